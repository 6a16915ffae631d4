import { error, redirect } from '@sveltejs/kit';
import { getStaffRole, requireUser } from '../../lib/server/auth';
import type { PageServerLoad } from './$types';

/** How many of an account's newest documents the dashboard lists. */
const LATEST_DOCUMENTS = 10;

export const load: PageServerLoad = async (event) => {
	const { locals, url, depends } = event;
	depends('supabase:auth');
	const user = await requireUser(event);
	// Staff work from their own pages; keep any ?notice= for them.
	if (await getStaffRole(locals, user.id)) redirect(303, `/staff${url.search}`);

	// RLS shows every member of the user's accounts; the user's own rows give their roles.
	const { data: memberships, error: membershipsError } = await locals.supabase
		.from('account_members')
		.select('role, account:client_accounts!inner(id, name, status)')
		.eq('user_id', user.id);
	if (membershipsError) {
		console.error('[portal] loading memberships failed', membershipsError);
		error(503, 'Your accounts could not be loaded. Please try again.');
	}

	const accounts = await Promise.all(
		memberships
			.toSorted((a, b) => a.account.name.localeCompare(b.account.name))
			.map(async ({ role, account }) => {
				// A billing member sees no documents: RLS returns none, and we say why.
				const {
					data: documents,
					count,
					error: documentsError
				} = await locals.supabase
					.from('documents')
					.select('id, name, size_bytes, created_at', { count: 'exact' })
					.eq('account_id', account.id)
					.order('created_at', { ascending: false })
					.limit(LATEST_DOCUMENTS);
				if (documentsError) {
					console.error('[portal] loading documents failed', documentsError);
					error(503, 'Your documents could not be loaded. Please try again.');
				}
				return { ...account, role, documents, documentCount: count ?? documents.length };
			})
	);

	return { accounts };
};
