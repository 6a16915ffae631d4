import { loadActivity } from '../../../../../lib/server/activity';
import { PAGE_SIZE, pageFrom, requireAccount } from '../../../../../lib/server/portal';
import type { PageServerLoad } from './$types';

/** Everything that happened in the account that this person's role may see, newest first. */
export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	const { account } = await requireAccount(event);
	const page = pageFrom(event.url);
	const { items, total } = await loadActivity(event.locals.supabase, account.id, {
		offset: (page - 1) * PAGE_SIZE,
		limit: PAGE_SIZE
	});
	return { items, page, pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)), total };
};
