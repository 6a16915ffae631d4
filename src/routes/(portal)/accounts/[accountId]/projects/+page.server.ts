import { error, redirect } from '@sveltejs/kit';
import { parseForm } from '../../../../../lib/server/forms';
import {
	PAGE_SIZE,
	pageFrom,
	rangeFor,
	refuseBillingUsers,
	withAccount
} from '../../../../../lib/server/portal';
import type { Actions, PageServerLoad } from './$types';
import {
	authorNames,
	editDraft,
	loadAccountWideUpdates,
	postUpdate,
	projectSchema,
	publishDraft,
	refused,
	requireServingStaff,
	updateView,
	writeFailure
} from './projects.server';

/** Account-wide updates shown on this page (the newest; the overview shows the latest too). */
const ACCOUNT_WIDE_LIMIT = 10;

/**
 * The account's projects with their progress (milestones done of all), the next milestone
 * and the latest published status update. Read as the user: RLS hides draft updates from
 * clients, and the filter below keeps staff's drafts out of a client-facing summary too.
 * Account-wide updates (no project) are listed on their own; staff also see their drafts.
 */
export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	const { supabase } = event.locals;
	const page = pageFrom(event.url);
	const [from, to] = rangeFor(page);

	const [{ account, access }, projects] = await withAccount(event, (accountId) =>
		supabase
			.from('projects')
			.select('id, name, description, status, created_at', { count: 'exact' })
			.eq('account_id', accountId)
			.order('created_at', { ascending: false })
			.order('id')
			.range(from, to)
	);
	refuseBillingUsers(access, account.name);
	// PostgREST answers a page past the end with PGRST103.
	if (projects.error?.code === 'PGRST103') error(404, 'That page of projects does not exist.');
	if (projects.error) {
		console.error('[projects] loading failed', projects.error);
		error(503, 'The projects could not be loaded. Please try again.');
	}
	const ids = projects.data.map((p) => p.id);

	const [accountWide, milestones, ...latest] = await Promise.all([
		loadAccountWideUpdates(event, account.id, access.isStaff, ACCOUNT_WIDE_LIMIT),
		ids.length > 0
			? supabase
					.from('milestones')
					.select('id, project_id, title, due_on, state, position')
					.in('project_id', ids)
					.order('position')
					.order('created_at')
			: null,
		// One small query per project (a page holds at most PAGE_SIZE): the newest published update.
		...ids.map((id) =>
			supabase
				.from('status_updates')
				.select('id, project_id, body, published_at, author_id')
				.eq('project_id', id)
				.not('published_at', 'is', null)
				.order('published_at', { ascending: false })
				.limit(1)
				.maybeSingle()
		)
	]);
	const failed = milestones?.error ?? latest.find((r) => r.error)?.error;
	if (failed) {
		console.error('[projects] loading milestones or updates failed', failed);
		error(503, 'The projects could not be loaded. Please try again.');
	}

	const updates = latest.flatMap((r) => (r.data ? [r.data] : []));
	const authorIds = [...new Set(updates.flatMap((u) => (u.author_id ? [u.author_id] : [])))];
	const names = new Map<string, string>();
	if (authorIds.length > 0) {
		// Clients may not read staff profiles; the update then reads as from the team.
		const { data } = await supabase
			.from('profiles')
			.select('id, display_name, email')
			.in('id', authorIds);
		for (const p of data ?? []) names.set(p.id, p.display_name || p.email);
	}

	const nameOf = await authorNames(
		event,
		[...accountWide.published, ...accountWide.drafts].map((u) => u.author_id)
	);

	const today = new Date().toISOString().slice(0, 10);
	return {
		today,
		isStaff: access.isStaff,
		accountWide: {
			published: accountWide.published.map((u) => updateView(u, nameOf)),
			drafts: accountWide.drafts.map((u) => updateView(u, nameOf))
		},
		page,
		pageCount: Math.max(1, Math.ceil((projects.count ?? 0) / PAGE_SIZE)),
		total: projects.count ?? projects.data.length,
		projects: projects.data.map((project) => {
			const own = (milestones?.data ?? []).filter((m) => m.project_id === project.id);
			const next = own.find((m) => m.state !== 'done') ?? null;
			const update = updates.find((u) => u.project_id === project.id) ?? null;
			return {
				...project,
				milestonesTotal: own.length,
				milestonesDone: own.filter((m) => m.state === 'done').length,
				next: next && { title: next.title, dueOn: next.due_on, state: next.state },
				latestUpdate: update && {
					body: update.body,
					publishedAt: update.published_at ?? '',
					author: (update.author_id && names.get(update.author_id)) || 'Your project team'
				}
			};
		})
	};
};

export const actions = {
	/** A new project; staff land on its page to add milestones. */
	createProject: async (event) => {
		const account = await requireServingStaff(event);
		const form = await parseForm(projectSchema, event.request);
		if (!form.data) {
			return refused(400, 'createProject', null, null, {
				errors: form.errors,
				values: form.input
			});
		}
		const { data, error: insertError } = await event.locals.supabase
			.from('projects')
			.insert({ account_id: account.id, ...form.data })
			.select('id')
			.single();
		if (insertError) return writeFailure('createProject', null, insertError, form.input);
		redirect(303, `/accounts/${account.id}/projects/${data.id}`);
	},
	postUpdate: (event) => postUpdate(event, null),
	editUpdate: (event) => editDraft(event, null),
	publishUpdate: (event) => publishDraft(event, null)
} satisfies Actions;
