import { error } from '@sveltejs/kit';
import { CURRENT_ACCOUNT_COOKIE, requireAccount } from '../../../../lib/server/portal';
import type { LayoutServerLoad } from './$types';

/**
 * Every page of one account: the account, the person's access, the accounts they can switch
 * to, and the counts the navigation shows (what needs them now).
 */
export const load: LayoutServerLoad = async (event) => {
	event.depends('supabase:auth');
	event.depends('portal:counts');
	const { user, account, access } = await requireAccount(event);
	const { supabase } = event.locals;

	const [memberships, requests, approvals, threads] = await Promise.all([
		supabase
			.from('account_members')
			.select('role, account:client_accounts!inner(id, name)')
			.eq('user_id', user.id),
		access.canRead
			? supabase
					.from('file_requests')
					.select('id', { count: 'exact', head: true })
					.eq('account_id', account.id)
					.eq('status', 'open')
			: null,
		access.canRead
			? supabase
					.from('approval_approvers')
					.select('approval:approvals!inner(status)', { count: 'exact', head: true })
					.eq('account_id', account.id)
					.eq('user_id', user.id)
					.eq('approval.status', 'pending')
			: null,
		access.canRead ? supabase.rpc('unread_message_count', { p_account_id: account.id }) : null
	]);
	const failed = memberships.error ?? requests?.error ?? approvals?.error ?? threads?.error;
	if (failed) {
		console.error('[portal] loading the navigation failed', failed);
		error(503, 'This account could not be loaded. Please try again.');
	}

	// Remember the account for `/`; not secret, and only a preference (RLS still decides).
	event.cookies.set(CURRENT_ACCOUNT_COOKIE, account.id, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		maxAge: 60 * 60 * 24 * 365
	});

	return {
		account,
		access,
		accounts: (memberships.data ?? [])
			.map(({ account: a }) => a)
			.toSorted((a, b) => a.name.localeCompare(b.name)),
		counts: {
			openRequests: requests?.count ?? 0,
			pendingApprovals: approvals?.count ?? 0,
			// Capped at 100 by the database: the badge says "99+" past that.
			unreadMessages: threads?.data ?? 0
		}
	};
};
