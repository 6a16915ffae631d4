import { error } from '@sveltejs/kit';
import { requireStaff } from '../../../lib/server/auth';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	const { role } = await requireStaff(event);

	// RLS limits this to the accounts the staff member serves (all of them for admins).
	const { data: accounts, error: queryError } = await event.locals.supabase
		.from('client_accounts')
		.select('id, name, status, created_at, account_members(count), documents(count)')
		.order('name');
	if (queryError) {
		console.error('[staff] loading accounts failed', queryError);
		error(503, 'The client accounts could not be loaded. Please try again.');
	}

	return {
		role,
		accounts: accounts.map(({ account_members, documents, ...account }) => ({
			...account,
			memberCount: account_members[0]?.count ?? 0,
			documentCount: documents[0]?.count ?? 0
		}))
	};
};
