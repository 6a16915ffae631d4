import { error } from '@sveltejs/kit';
import { z } from 'zod';
import {
	PAGE_SIZE,
	pageFrom,
	rangeFor,
	refuseBillingUsers,
	requireAccount
} from '../../../../../../lib/server/portal';
import type { PageServerLoad } from './$types';

const NOT_FOUND = 'This project does not exist, or it is not shared with you.';

/**
 * One project: its milestones in order and its published status updates, newest first
 * (RLS already hides drafts from clients; staff see drafts elsewhere, not in this view).
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

	const [project, milestones, updates] = await Promise.all([
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
			.range(from, to)
	]);
	// PostgREST answers a page past the end with PGRST103.
	if (updates.error?.code === 'PGRST103') error(404, 'That page of status updates does not exist.');
	if (project.error || milestones.error || updates.error) {
		console.error('[project] loading failed', project.error ?? milestones.error ?? updates.error);
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

	const all = milestones.data;
	return {
		today: new Date().toISOString().slice(0, 10),
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
