import { error, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { parseForm } from '../../../../../../lib/server/forms';
import {
	PAGE_SIZE,
	pageFrom,
	rangeFor,
	refuseBillingUsers,
	requireAccount
} from '../../../../../../lib/server/portal';
import type { Actions, PageServerLoad } from './$types';
import {
	authorNames,
	done,
	editDraft,
	idSchema,
	loadAccountWideUpdates,
	milestoneSchema,
	moveSchema,
	postUpdate,
	projectSchema,
	publishDraft,
	refused,
	requireServingStaff,
	updateView,
	writeFailure
} from '../projects.server';

const NOT_FOUND = 'This project does not exist, or it is not shared with you.';
const MILESTONE_GONE = 'That milestone no longer exists. Reload the page to see the current plan.';

/** Account-wide updates shown beside the project's own (the newest few). */
const ACCOUNT_WIDE_LIMIT = 3;

/**
 * One project: its milestones in order and its published status updates, newest first
 * (RLS already hides drafts from clients; staff get their drafts in a list of their own),
 * and the latest account-wide updates.
 */
export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	const { account, access } = await requireAccount(event);
	refuseBillingUsers(access, account.name);
	const projectId = z.uuid().safeParse(event.params.projectId);
	if (!projectId.success) error(404, NOT_FOUND);

	const { supabase } = event.locals;
	const page = pageFrom(event.url);
	const [from, to] = rangeFor(page);

	const [project, milestones, updates, drafts, accountWide] = await Promise.all([
		supabase
			.from('projects')
			.select('id, name, description, status, created_at')
			.eq('id', projectId.data)
			.eq('account_id', account.id)
			.maybeSingle(),
		supabase
			.from('milestones')
			.select('id, title, due_on, state, position, completed_at')
			.eq('project_id', projectId.data)
			.eq('account_id', account.id)
			.order('position')
			.order('created_at'),
		supabase
			.from('status_updates')
			.select('id, body, published_at, author_id', { count: 'exact' })
			.eq('project_id', projectId.data)
			.eq('account_id', account.id)
			.not('published_at', 'is', null)
			.order('published_at', { ascending: false })
			.order('id')
			.range(from, to),
		access.isStaff
			? supabase
					.from('status_updates')
					.select('id, body, published_at, author_id, created_at')
					.eq('project_id', projectId.data)
					.eq('account_id', account.id)
					.is('published_at', null)
					.order('created_at', { ascending: false })
					.limit(50)
			: null,
		loadAccountWideUpdates(event, account.id, false, ACCOUNT_WIDE_LIMIT)
	]);
	// PostgREST answers a page past the end with PGRST103.
	if (updates.error?.code === 'PGRST103') error(404, 'That page of status updates does not exist.');
	if (project.error || milestones.error || updates.error || drafts?.error) {
		console.error(
			'[project] loading failed',
			project.error ?? milestones.error ?? updates.error ?? drafts?.error
		);
		error(503, 'This project could not be loaded. Please try again.');
	}
	if (!project.data) error(404, NOT_FOUND);

	const authorIds = [...new Set(updates.data.flatMap((u) => (u.author_id ? [u.author_id] : [])))];
	const names = new Map<string, string>();
	if (authorIds.length > 0) {
		// Clients may not read staff profiles; such an update reads as from the team.
		const { data } = await supabase
			.from('profiles')
			.select('id, display_name, email')
			.in('id', authorIds);
		for (const p of data ?? []) names.set(p.id, p.display_name || p.email);
	}

	const nameOf = await authorNames(event, [
		...(drafts?.data ?? []).map((u) => u.author_id),
		...accountWide.published.map((u) => u.author_id)
	]);

	const all = milestones.data ?? [];
	return {
		today: new Date().toISOString().slice(0, 10),
		isStaff: access.isStaff,
		drafts: (drafts?.data ?? []).map((u) => updateView(u, nameOf)),
		accountWide: accountWide.published.map((u) => updateView(u, nameOf)),
		project: project.data,
		milestones: all,
		milestonesDone: all.filter((m) => m.state === 'done').length,
		updates: updates.data.map((u) => ({
			id: u.id,
			body: u.body,
			publishedAt: u.published_at ?? '',
			author: (u.author_id && names.get(u.author_id)) || 'Your project team'
		})),
		updatesTotal: updates.count ?? updates.data.length,
		page,
		pageCount: Math.max(1, Math.ceil((updates.count ?? 0) / PAGE_SIZE))
	};
};

/** The project an action is about: in this account and visible to the staff member, or 404. */
async function staffProject(event: RequestEvent) {
	const account = await requireServingStaff(event);
	const projectId = z.uuid().safeParse(event.params.projectId);
	if (!projectId.success) error(404, NOT_FOUND);
	const { data, error: queryError } = await event.locals.supabase
		.from('projects')
		.select('id')
		.eq('id', projectId.data)
		.eq('account_id', account.id)
		.maybeSingle();
	if (queryError) {
		console.error('[project] loading for an action failed', queryError);
		error(503, 'This project could not be loaded. Please try again.');
	}
	if (!data) error(404, NOT_FOUND);
	return { account, projectId: data.id };
}

export const actions = {
	editProject: async (event) => {
		const { account, projectId } = await staffProject(event);
		const form = await parseForm(projectSchema, event.request);
		if (!form.data) {
			return refused(400, 'editProject', null, null, { errors: form.errors, values: form.input });
		}
		const { error: updateError } = await event.locals.supabase
			.from('projects')
			.update(form.data)
			.eq('id', projectId)
			.eq('account_id', account.id);
		if (updateError) return writeFailure('editProject', null, updateError, form.input);
		return done('editProject', null, 'Project saved.');
	},

	/** A new milestone goes last. */
	addMilestone: async (event) => {
		const { account, projectId } = await staffProject(event);
		const form = await parseForm(milestoneSchema, event.request);
		if (!form.data) {
			return refused(400, 'addMilestone', null, null, { errors: form.errors, values: form.input });
		}
		const { supabase } = event.locals;
		const last = await supabase
			.from('milestones')
			.select('position')
			.eq('project_id', projectId)
			.eq('account_id', account.id)
			.order('position', { ascending: false })
			.limit(1)
			.maybeSingle();
		if (last.error) return writeFailure('addMilestone', null, last.error, form.input);
		const { error: insertError } = await supabase.from('milestones').insert({
			project_id: projectId,
			account_id: account.id,
			...form.data,
			position: (last.data?.position ?? 0) + 1
		});
		if (insertError) return writeFailure('addMilestone', null, insertError, form.input);
		return done('addMilestone', null, `Milestone “${form.data.title}” added.`);
	},

	editMilestone: async (event) => {
		const { account, projectId } = await staffProject(event);
		const form = await parseForm(milestoneSchema.extend(idSchema.shape), event.request);
		const target = form.input.id ?? null;
		if (!form.data) {
			const message = form.errors.id ? MILESTONE_GONE : null;
			return refused(400, 'editMilestone', target, message, {
				errors: form.errors,
				values: form.input
			});
		}
		const { id, ...change } = form.data;
		const { data, error: updateError } = await event.locals.supabase
			.from('milestones')
			.update(change)
			.eq('id', id)
			.eq('project_id', projectId)
			.eq('account_id', account.id)
			.select('id');
		if (updateError) return writeFailure('editMilestone', target, updateError, form.input);
		if (data.length === 0) return refused(404, 'editMilestone', target, MILESTONE_GONE);
		return done('editMilestone', target, `Milestone “${change.title}” saved.`);
	},

	/**
	 * Moves a milestone one place up or down. The milestones are renumbered 1..n in their new
	 * order, writing only the rows whose position changes (two, once positions are tidy).
	 */
	moveMilestone: async (event) => {
		const { account, projectId } = await staffProject(event);
		const form = await parseForm(moveSchema, event.request);
		const target = form.input.id ?? null;
		if (!form.data) return refused(400, 'moveMilestone', target, MILESTONE_GONE);
		const { supabase } = event.locals;
		const list = await supabase
			.from('milestones')
			.select('id, position')
			.eq('project_id', projectId)
			.eq('account_id', account.id)
			.order('position')
			.order('created_at');
		if (list.error) return writeFailure('moveMilestone', target, list.error);
		const order = list.data;
		const from = order.findIndex((m) => m.id === form.data.id);
		if (from === -1) return refused(404, 'moveMilestone', target, MILESTONE_GONE);
		const to = form.data.direction === 'up' ? from - 1 : from + 1;
		if (to < 0 || to >= order.length) {
			return refused(
				400,
				'moveMilestone',
				target,
				`That milestone is already ${from === 0 ? 'first' : 'last'}.`
			);
		}
		[order[from], order[to]] = [order[to]!, order[from]!];
		const changes = order.flatMap((m, i) =>
			m.position === i + 1 ? [] : [{ id: m.id, position: i + 1 }]
		);
		for (const change of changes) {
			const { error: updateError } = await supabase
				.from('milestones')
				.update({ position: change.position })
				.eq('id', change.id)
				.eq('account_id', account.id);
			if (updateError) return writeFailure('moveMilestone', target, updateError);
		}
		return done('moveMilestone', target, `Milestone moved ${form.data.direction}.`);
	},

	deleteMilestone: async (event) => {
		const { account, projectId } = await staffProject(event);
		const form = await parseForm(idSchema, event.request);
		const target = form.input.id ?? null;
		if (!form.data) return refused(400, 'deleteMilestone', target, MILESTONE_GONE);
		const { data, error: deleteError } = await event.locals.supabase
			.from('milestones')
			.delete()
			.eq('id', form.data.id)
			.eq('project_id', projectId)
			.eq('account_id', account.id)
			.select('title');
		if (deleteError) return writeFailure('deleteMilestone', target, deleteError);
		if (data.length === 0) return refused(404, 'deleteMilestone', target, MILESTONE_GONE);
		return done('deleteMilestone', null, `Milestone “${data[0]?.title ?? ''}” deleted.`);
	},

	postUpdate: async (event) => postUpdate(event, (await staffProject(event)).projectId),
	editUpdate: async (event) => editDraft(event, (await staffProject(event)).projectId),
	publishUpdate: async (event) => publishDraft(event, (await staffProject(event)).projectId)
} satisfies Actions;
