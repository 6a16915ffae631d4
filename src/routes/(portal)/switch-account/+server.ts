import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { RequestHandler } from './$types';

/**
 * The account switcher without JavaScript: a GET form posts the chosen account here. Only
 * ever redirects to an account page on this site (the account page itself checks access).
 */
export const GET: RequestHandler = ({ url }) => {
	const account = z.uuid().safeParse(url.searchParams.get('account'));
	if (!account.success) error(400, 'Choose an account to switch to.');
	redirect(303, `/accounts/${account.data}`);
};
