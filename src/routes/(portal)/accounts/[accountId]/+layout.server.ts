import { CURRENT_ACCOUNT_COOKIE, requireAccount } from '../../../../lib/server/portal';
import type { LayoutServerLoad } from './$types';

/**
 * Every page of one account: the account, the person's access, the accounts they can switch
 * to, and the counts the navigation shows (what needs them now). All of it comes with the
 * page context, the one call the layouts share.
 */
export const load: LayoutServerLoad = async (event) => {
	event.depends('supabase:auth');
	event.depends('portal:counts');
	const { account, access, context } = await requireAccount(event);

	// Remember the account for `/`; not secret, and only a preference (RLS still decides).
	event.cookies.set(CURRENT_ACCOUNT_COOKIE, account.id, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		maxAge: 60 * 60 * 24 * 365
	});

	const ids = context.member_account_ids ?? [];
	const names = context.member_account_names ?? [];
	return {
		account,
		access,
		accounts: ids
			.map((id, i) => ({ id, name: names[i] ?? '' }))
			.toSorted((a, b) => a.name.localeCompare(b.name)),
		counts: {
			openRequests: context.open_requests ?? 0,
			pendingApprovals: context.pending_approvals ?? 0,
			// Capped at 100 by the database: the badge says "99+" past that.
			unreadMessages: context.unread_messages ?? 0
		}
	};
};
