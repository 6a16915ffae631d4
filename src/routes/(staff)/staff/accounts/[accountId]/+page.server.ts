import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { describeActivity } from '../../../../../lib/server/activity';
import { requireStaff } from '../../../../../lib/server/auth';
import { loadAccountPeople, memberActions } from '../../../../../lib/server/members';
import type { Actions, PageServerLoad } from './$types';

const ACTIVITY_LIMIT = 25;
const FORMER_USER = 'a former user';

export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	const { user, role } = await requireStaff(event);
	const accountId = z.uuid().safeParse(event.params.accountId);
	if (!accountId.success) error(404, 'Account not found.');
	const { supabase } = event.locals;

	// RLS hides accounts this staff member does not serve: loadAccountPeople answers 404.
	const [people, assignments, activity] = await Promise.all([
		loadAccountPeople(supabase, accountId.data),
		supabase
			.from('staff_assignments')
			.select('staff_user_id, created_at')
			.eq('account_id', accountId.data)
			.order('created_at'),
		supabase
			.from('activity_log')
			.select('id, actor_id, action, subject_user_id, details, created_at')
			.eq('account_id', accountId.data)
			.order('created_at', { ascending: false })
			.order('id', { ascending: false })
			.limit(ACTIVITY_LIMIT)
	]);
	if (assignments.error || activity.error) {
		console.error('[staff] loading the account failed', assignments.error ?? activity.error);
		error(503, 'This account could not be loaded. Please try again.');
	}

	// One query for every name on the page: assigned staff, actors and subjects.
	const ids = new Set<string>();
	for (const a of assignments.data) ids.add(a.staff_user_id);
	for (const entry of activity.data) {
		if (entry.actor_id) ids.add(entry.actor_id);
		if (entry.subject_user_id) ids.add(entry.subject_user_id);
	}
	const profiles = new Map<string, { name: string; email: string }>();
	if (ids.size > 0) {
		const { data, error: profilesError } = await supabase
			.from('profiles')
			.select('id, display_name, email')
			.in('id', [...ids]);
		if (profilesError) {
			console.error('[staff] loading names failed', profilesError);
			error(503, 'This account could not be loaded. Please try again.');
		}
		for (const p of data) profiles.set(p.id, { name: p.display_name, email: p.email });
	}
	const nameOf = (id: string) => {
		const profile = profiles.get(id);
		return profile?.name || profile?.email || FORMER_USER;
	};

	return {
		...people,
		staffRole: role,
		currentUserId: user.id,
		now: new Date().toISOString(),
		assignedStaff: assignments.data.map((a) => ({
			userId: a.staff_user_id,
			since: a.created_at,
			name: profiles.get(a.staff_user_id)?.name ?? '',
			email: profiles.get(a.staff_user_id)?.email ?? ''
		})),
		activity: activity.data.map((entry) => ({
			id: entry.id,
			at: entry.created_at,
			sentence: describeActivity(entry, nameOf)
		}))
	};
};

export const actions = memberActions('/staff') satisfies Actions;
