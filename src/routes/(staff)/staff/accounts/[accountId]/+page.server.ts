import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { PostgrestError } from '@supabase/supabase-js';
import { z } from 'zod';
import { accountNameField } from '../../../../../lib/schemas';
import { describeActivity } from '../../../../../lib/server/activity';
import { requireStaff } from '../../../../../lib/server/auth';
import { parseForm } from '../../../../../lib/server/forms';
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
	const [people, assignments, activity, openItems] = await Promise.all([
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
			.limit(ACTIVITY_LIMIT),
		supabase
			.from('account_open_items')
			.select(
				'open_requests, overdue_requests, submitted_requests, pending_approvals, last_activity_at'
			)
			.eq('account_id', accountId.data)
			.maybeSingle()
	]);
	if (assignments.error || activity.error || openItems.error) {
		console.error(
			'[staff] loading the account failed',
			assignments.error ?? activity.error ?? openItems.error
		);
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
		/** `?confirm=status`: the archive / reactivate question, asked before the change. */
		confirmStatus: event.url.searchParams.get('confirm') === 'status',
		openItems: {
			openRequests: openItems.data?.open_requests ?? 0,
			overdueRequests: openItems.data?.overdue_requests ?? 0,
			submittedRequests: openItems.data?.submitted_requests ?? 0,
			pendingApprovals: openItems.data?.pending_approvals ?? 0,
			lastActivityAt: openItems.data?.last_activity_at ?? null
		},
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

const renameSchema = z.object({ name: accountNameField });
const statusSchema = z.object({
	status: z.enum(['active', 'archived'], { error: 'Choose active or archived' })
});

type AccountEvent = RequestEvent<{ accountId: string }>;

/** The account id from the URL (a malformed one is a 404, like a missing account). */
function accountIdOf(event: AccountEvent): string {
	const parsed = z.uuid().safeParse(event.params.accountId);
	if (!parsed.success) error(404, 'Account not found.');
	return parsed.data;
}

/** Database refusals of an account change, in words. */
function accountWriteFailure(err: PostgrestError) {
	if (err.code === '42501') {
		return fail(403, { accountError: 'Only staff serving this account can change it.' });
	}
	if (err.code === '23514') {
		return fail(400, { accountError: 'Enter a name of 1 to 200 characters.' });
	}
	console.error('[staff] changing the account failed', err);
	return fail(503, { accountError: 'The change could not be saved. Please try again.' });
}

export const actions = {
	...memberActions('/staff'),

	rename: async (event: AccountEvent) => {
		await requireStaff(event);
		const accountId = accountIdOf(event);
		const form = await parseForm(renameSchema, event.request);
		if (!form.data) {
			return fail(400, { renameErrors: form.errors, renameValue: form.input.name ?? '' });
		}
		// The policy "serving staff edit" decides: a row it hides is simply not updated.
		const { data, error: err } = await event.locals.supabase
			.from('client_accounts')
			.update({ name: form.data.name })
			.eq('id', accountId)
			.select('id');
		if (err) return accountWriteFailure(err);
		if (data.length === 0) {
			return fail(403, { accountError: 'Only staff serving this account can change it.' });
		}
		return { accountNotice: `Renamed to ${form.data.name}.` };
	},

	setStatus: async (event: AccountEvent) => {
		await requireStaff(event);
		const accountId = accountIdOf(event);
		const form = await parseForm(statusSchema, event.request);
		if (!form.data) return fail(400, { accountError: 'Choose active or archived.' });
		const { data, error: err } = await event.locals.supabase
			.from('client_accounts')
			.update({ status: form.data.status })
			.eq('id', accountId)
			.select('id');
		if (err) return accountWriteFailure(err);
		if (data.length === 0) {
			return fail(403, { accountError: 'Only staff serving this account can change it.' });
		}
		// Back to the page without ?confirm=status, which asked the question.
		const notice = form.data.status === 'archived' ? 'account-archived' : 'account-reactivated';
		redirect(303, `/staff/accounts/${accountId}?notice=${notice}`);
	}
} satisfies Actions;
