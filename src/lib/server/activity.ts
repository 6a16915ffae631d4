import type { SupabaseClient } from '@supabase/supabase-js';
import { error } from '@sveltejs/kit';
import type { Database, Json } from '../database.types';
import { roleLabel } from '../format';
import { FORMER_USER, profileName } from './portal';

export interface ActivityItem {
	id: number;
	at: string;
	sentence: string;
	/** Set when a staff member opened or downloaded a file: clients see who looked. */
	byStaff: boolean;
}

/**
 * A page of an account's activity, newest first, as sentences. Read as the user: the
 * activity_log policy decides which entries each role sees.
 *
 * No total: counting a large account's history (60,000 entries, each checked by the policy)
 * cost more than the rest of the page together (issue 8). One row past the page tells
 * whether there is an older page, so the pagination says "Page 3" with Previous and Next.
 */
export async function loadActivity(
	supabase: SupabaseClient<Database>,
	accountId: string,
	{ offset = 0, limit = 25 }: { offset?: number; limit?: number } = {}
): Promise<{ items: ActivityItem[]; hasMore: boolean }> {
	const { data, error: activityError } = await supabase
		.from('activity_log')
		// The people an entry names come with it (computed relationships: the log has no keys).
		.select(
			'id, actor_id, action, subject_user_id, details, created_at, actor(display_name, email), subject(display_name, email)'
		)
		.eq('account_id', accountId)
		.order('created_at', { ascending: false })
		.order('id', { ascending: false })
		// Inclusive: limit + 1 rows, the last only to tell whether more follow.
		.range(offset, offset + limit);
	if (activityError) {
		console.error('[activity] loading failed', activityError);
		error(503, 'The activity could not be loaded. Please try again.');
	}
	const shown = data.slice(0, limit);
	const names = new Map<string, string>();
	for (const entry of shown) {
		const actor = profileName(entry.actor);
		const subject = profileName(entry.subject);
		if (entry.actor_id && actor) names.set(entry.actor_id, actor);
		if (entry.subject_user_id && subject) names.set(entry.subject_user_id, subject);
	}
	const nameOf = (id: string) => names.get(id) || FORMER_USER;
	return {
		hasMore: data.length > limit,
		items: shown.map((entry) => ({
			id: entry.id,
			at: entry.created_at,
			sentence: describeActivity(entry, nameOf),
			byStaff: detailValue(entry.details, 'by_staff') === true
		}))
	};
}

/** One query for every name a page shows; unknown ids read as "a former user". */
export async function loadNames(
	supabase: SupabaseClient<Database>,
	userIds: (string | null)[]
): Promise<(id: string) => string> {
	const ids = [...new Set(userIds.filter((id): id is string => !!id))];
	const profiles = new Map<string, string>();
	if (ids.length > 0) {
		const { data, error: profilesError } = await supabase
			.from('profiles')
			.select('id, display_name, email')
			.in('id', ids);
		if (profilesError) {
			console.error('[activity] loading names failed', profilesError);
			error(503, 'Names could not be loaded. Please try again.');
		}
		for (const p of data) profiles.set(p.id, profileName(p) ?? FORMER_USER);
	}
	return (id: string) => profiles.get(id) || FORMER_USER;
}

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
export function describeActivity(entry: ActivityEntry, nameOf: (id: string) => string): string {
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
	const doc = detail('name') ?? 'a document';
	const title = detail('title') ?? 'an item';

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
			return `${actor} uploaded ${doc}`;
		case 'document.version_added':
			return `${actor} uploaded version ${detailValue(entry.details, 'version') ?? '?'} of ${doc}`;
		case 'document.renamed':
			return `${actor} renamed ${detail('from') ?? 'a document'} to ${detail('to') ?? '?'}`;
		case 'document.moved':
			return `${actor} moved ${doc} to ${detail('to') ?? 'the top level'}`;
		case 'document.trashed':
			return `${actor} deleted ${doc} (it can be restored)`;
		case 'document.restored':
			return `${actor} restored ${doc}`;
		case 'document.deleted':
			return `${actor} permanently deleted ${doc}`;
		case 'document.viewed':
			return `${actor} viewed ${doc}`;
		case 'document.downloaded':
			return `${actor} downloaded ${doc}`;
		case 'folder.created':
			return `${actor} created the folder ${detail('name') ?? ''}`.trimEnd();
		case 'folder.renamed':
			return `${actor} renamed the folder ${detail('from') ?? ''} to ${detail('to') ?? '?'}`;
		case 'folder.deleted':
			return `${actor} deleted the folder ${detail('name') ?? ''}`.trimEnd();
		case 'file_request.created':
			return `${actor} requested files: ${title}`;
		case 'file_request.submitted':
			return `${actor} sent files for the request ${title}`;
		case 'file_request.closed':
			return `${actor} closed the request ${title}`;
		case 'file_request.cancelled':
			return `${actor} cancelled the request ${title}`;
		case 'file_request.open':
			return `${actor} reopened the request ${title}`;
		case 'message.posted':
			return `${actor} wrote in ${detail('subject') ?? 'a conversation'}`;
		case 'status.published':
			return `${actor} posted a status update`;
		case 'approval.requested':
			return `${actor} asked for approval of ${title}`;
		case 'approval.approved':
			return `${actor} approved ${title}`;
		case 'approval.changes_requested':
			return `${actor} requested changes to ${title}`;
		case 'approval.withdrawn':
			return `${actor} withdrew the approval request ${title}`;
		case 'approval.reminded':
			return `${actor} reminded the approvers of ${title}`;
		case 'account.previewed':
			return `${actor} previewed the portal as ${subject} (read-only)`;
		default:
			return `${actor}: ${entry.action}`;
	}
}

function detailValue(details: Json, key: string): Json | undefined {
	if (typeof details !== 'object' || details === null || Array.isArray(details)) return undefined;
	return details[key];
}

/** A text value from an activity row's details, or null. */
function detailText(details: Json, key: string): string | null {
	const value = detailValue(details, key);
	return typeof value === 'string' ? value : null;
}
