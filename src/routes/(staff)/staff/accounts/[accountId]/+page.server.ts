import { error } from '@sveltejs/kit';
import { z } from 'zod';
import type { Json } from '../../../../../lib/database.types';
import { roleLabel } from '../../../../../lib/format';
import { requireStaff } from '../../../../../lib/server/auth';
import { loadAccountPeople, memberActions } from '../../../../../lib/server/members';
import type { Actions, PageServerLoad } from './$types';

const ACTIVITY_LIMIT = 25;
/** Who a row names when that person's profile is gone (the log outlives people). */
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

interface ActivityEntry {
	action: string;
	actor_id: string | null;
	subject_user_id: string | null;
	details: Json;
}

/**
 * One activity_log row as a sentence: "Olivia Owner invited new@example.com as Viewer".
 * No actor means an operator or the database itself: "System".
 */
function describeActivity(entry: ActivityEntry, nameOf: (id: string) => string): string {
	const sentence = activitySentence(entry, nameOf);
	return sentence.startsWith(FORMER_USER) ? `A${sentence.slice(1)}` : sentence;
}

function activitySentence(entry: ActivityEntry, nameOf: (id: string) => string): string {
	const detail = (key: string) => detailText(entry.details, key);
	const role = (key: string) => roleLabel(detail(key) ?? 'unknown role');
	const actor = entry.actor_id ? nameOf(entry.actor_id) : 'System';
	const subject = entry.subject_user_id
		? nameOf(entry.subject_user_id)
		: (detail('email') ?? FORMER_USER);
	const by = entry.actor_id ? ` by ${actor}` : '';
	const self = entry.actor_id !== null && entry.actor_id === entry.subject_user_id;

	switch (entry.action) {
		case 'member.added':
			return self
				? `${subject} joined as ${role('role')}`
				: `${actor} added ${subject} as ${role('role')}`;
		case 'member.role_changed':
			return `${subject}'s role changed from ${role('from')} to ${role('to')}${by}`;
		case 'member.removed':
			return self ? `${subject} left the account` : `${actor} removed ${subject}`;
		case 'invitation.created':
			return `${actor} invited ${detail('email') ?? 'someone'} as ${role('role')}`;
		case 'invitation.accepted':
			return `${subject} accepted the invitation as ${role('role')}`;
		case 'invitation.revoked':
			return `${actor} withdrew the invitation to ${detail('email') ?? 'someone'}`;
		case 'invitation.resent':
			return `${actor} sent a new invitation link to ${detail('email') ?? 'someone'}`;
		case 'staff.assigned':
			return `${actor} assigned ${subject} to this account`;
		case 'staff.unassigned':
			return `${actor} took ${subject} off this account`;
		case 'account.created':
			return `${actor} created the account`;
		case 'account.updated': {
			const name = detail('name');
			const status = detail('status');
			if (name) return `${actor} renamed the account to ${name}`;
			if (status === 'archived') return `${actor} archived the account`;
			if (status === 'active') return `${actor} reactivated the account`;
			return `${actor} updated the account`;
		}
		case 'document.uploaded':
			return `${actor} uploaded ${detail('name') ?? 'a document'}`;
		case 'document.renamed':
			return `${actor} renamed ${detail('from') ?? 'a document'} to ${detail('to') ?? '?'}`;
		case 'document.deleted':
			return `${actor} deleted ${detail('name') ?? 'a document'}`;
		default:
			return `${actor}: ${entry.action}`;
	}
}

/** A text value from an activity row's details, or null. */
function detailText(details: Json, key: string): string | null {
	if (typeof details !== 'object' || details === null || Array.isArray(details)) return null;
	const value = details[key];
	return typeof value === 'string' ? value : null;
}
