import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { PostgrestError, SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { Database } from '../database.types';
import { requireUser } from './auth';
import { parseForm } from './forms';
import { inviteAction, resendAction, revokeAction } from './invitation-actions';
import { CLIENT_ROLES } from './invitations';

/**
 * The people of one client account: loading them, and the form actions that invite,
 * change roles and remove. Shared by the client's members page and the staff account page.
 * Every write runs as the signed-in user; the policies and triggers decide.
 */

type Db = SupabaseClient<Database>;

export async function loadAccountPeople(supabase: Db, accountId: string) {
	const [account, members, invitations] = await Promise.all([
		supabase.from('client_accounts').select('id, name, status').eq('id', accountId).maybeSingle(),
		supabase
			.from('account_members')
			.select(
				'user_id, role, created_at, profile:profiles!account_members_user_id_profile_fkey(display_name, email)'
			)
			.eq('account_id', accountId)
			.order('created_at'),
		// Only owners and serving staff may read invitations: for anyone else RLS returns none.
		supabase
			.from('invitations')
			.select('id, email, role, created_at, expires_at')
			.eq('kind', 'client')
			.eq('account_id', accountId)
			.is('accepted_at', null)
			.is('revoked_at', null)
			.order('created_at', { ascending: false })
	]);
	const failed = account.error ?? members.error ?? invitations.error;
	if (failed) {
		console.error('[members] loading the account failed', failed);
		error(503, 'This account could not be loaded. Please try again.');
	}
	// Not visible and not existing look the same: nothing here says which accounts exist.
	if (!account.data) error(404, 'Account not found.');
	return {
		account: account.data,
		members: (members.data ?? []).map((m) => ({
			userId: m.user_id,
			role: m.role,
			since: m.created_at,
			name: m.profile?.display_name ?? '',
			email: m.profile?.email ?? ''
		})),
		invitations: invitations.data ?? []
	};
}

export type AccountPeople = Awaited<ReturnType<typeof loadAccountPeople>>;

const memberSchema = z.object({ user: z.uuid({ error: 'Unknown member' }) });
const roleChangeSchema = memberSchema.extend({
	role: z.enum(CLIENT_ROLES, { error: 'Choose a role' })
});

/** Database refusals of role changes and removals, in words. */
function memberWriteFailure(err: PostgrestError) {
	if (err.message === 'last_owner') {
		return fail(409, {
			memberError: 'An account needs at least one owner. Make someone else an owner first.'
		});
	}
	if (err.code === '42501') {
		return fail(403, { memberError: 'You cannot change the people in this account.' });
	}
	console.error('[members] write failed', err);
	return fail(503, { memberError: 'The change could not be saved. Please try again.' });
}

type MembersEvent = RequestEvent<{ accountId: string }>;

function accountIdOf(event: MembersEvent): string {
	const parsed = z.uuid().safeParse(event.params.accountId);
	if (!parsed.success) error(404, 'Account not found.');
	return parsed.data;
}

/**
 * Form actions for a members page. `afterLeaving` is where someone goes after removing
 * themselves from the account (they can no longer see this page).
 */
export function memberActions(afterLeaving: string) {
	return {
		invite: async (event: MembersEvent) => {
			const user = await requireUser(event);
			return inviteAction(event, accountIdOf(event), user.id);
		},

		resend: async (event: MembersEvent) => {
			const user = await requireUser(event);
			accountIdOf(event);
			return resendAction(event, user.id);
		},

		revoke: async (event: MembersEvent) => {
			await requireUser(event);
			accountIdOf(event);
			return revokeAction(event);
		},

		changeRole: async (event: MembersEvent) => {
			await requireUser(event);
			const accountId = accountIdOf(event);
			const form = await parseForm(roleChangeSchema, event.request);
			if (!form.data) return fail(400, { memberError: 'Choose one of the listed roles.' });
			const { data, error: err } = await event.locals.supabase
				.from('account_members')
				.update({ role: form.data.role })
				.eq('account_id', accountId)
				.eq('user_id', form.data.user)
				.select('user_id');
			if (err) return memberWriteFailure(err);
			// RLS filtered the row out: not someone this user may manage.
			if (data.length === 0) {
				return fail(403, { memberError: 'You cannot change the people in this account.' });
			}
			return { memberNotice: 'Role updated.' };
		},

		remove: async (event: MembersEvent) => {
			const user = await requireUser(event);
			const accountId = accountIdOf(event);
			const form = await parseForm(memberSchema, event.request);
			if (!form.data) return fail(400, { memberError: 'Unknown member.' });
			const { data, error: err } = await event.locals.supabase
				.from('account_members')
				.delete()
				.eq('account_id', accountId)
				.eq('user_id', form.data.user)
				.select('user_id');
			if (err) return memberWriteFailure(err);
			if (data.length === 0) {
				return fail(403, { memberError: 'You cannot change the people in this account.' });
			}
			if (form.data.user === user.id) redirect(303, `${afterLeaving}?notice=left-account`);
			return { memberNotice: 'Removed from the account.' };
		}
	};
}
