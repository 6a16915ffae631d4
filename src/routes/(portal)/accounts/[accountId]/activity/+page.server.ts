import { error } from '@sveltejs/kit';
import { loadActivity } from '../../../../../lib/server/activity';
import { PAGE_SIZE, pageFrom, requireAccount } from '../../../../../lib/server/portal';
import type { PageServerLoad } from './$types';

/**
 * Everything that happened in the account that this person's role may see, newest first, a
 * page at a time. Without a total (see loadActivity): the page knows only whether an older
 * page follows.
 */
export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	const { account } = await requireAccount(event);
	const page = pageFrom(event.url);
	const { items, hasMore } = await loadActivity(event.locals.supabase, account.id, {
		offset: (page - 1) * PAGE_SIZE,
		limit: PAGE_SIZE
	});
	if (items.length === 0 && page > 1) error(404, 'That page of activity does not exist.');
	return { items, page, hasMore };
};
