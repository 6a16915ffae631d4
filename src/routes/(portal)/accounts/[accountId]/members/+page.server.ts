import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { requireUser } from '../../../../../lib/server/auth';
import { loadAccountPeople, memberActions } from '../../../../../lib/server/members';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	const user = await requireUser(event);
	const accountId = z.uuid().safeParse(event.params.accountId);
	if (!accountId.success) error(404, 'Account not found.');

	const people = await loadAccountPeople(event.locals.supabase, accountId.data);
	const me = people.members.find((m) => m.userId === user.id);
	// Staff reach accounts through their own pages; here only the account's members.
	if (!me) error(404, 'Account not found.');
	return {
		...people,
		myRole: me.role,
		canManage: me.role === 'owner',
		currentUserId: user.id,
		now: new Date().toISOString()
	};
};

export const actions = memberActions('/') satisfies Actions;
