import { error, redirect } from '@sveltejs/kit';
import { getStaffRole, requireUser } from '../../lib/server/auth';
import { CURRENT_ACCOUNT_COOKIE } from '../../lib/server/portal';
import type { PageServerLoad } from './$types';

/**
 * The front door: staff go to their workspace; a client goes to the account they looked at
 * last (or their first); someone in no account yet is told what to do.
 */
export const load: PageServerLoad = async (event) => {
	const { locals, url, cookies, depends } = event;
	depends('supabase:auth');
	const user = await requireUser(event);
	// Staff work from their own pages; keep any ?notice= for them.
	if (await getStaffRole(locals, user.id)) redirect(303, `/staff${url.search}`);

	const { data: memberships, error: membershipsError } = await locals.supabase
		.from('account_members')
		.select('account:client_accounts!inner(id, name)')
		.eq('user_id', user.id);
	if (membershipsError) {
		console.error('[portal] loading memberships failed', membershipsError);
		error(503, 'Your accounts could not be loaded. Please try again.');
	}
	const accounts = memberships
		.map(({ account }) => account)
		.toSorted((a, b) => a.name.localeCompare(b.name));
	const remembered = cookies.get(CURRENT_ACCOUNT_COOKIE);
	const target = accounts.find((a) => a.id === remembered) ?? accounts[0];
	if (!target) return {};
	redirect(303, `/accounts/${target.id}${url.search}`);
};
