import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { logAuthError } from '../../../lib/server/auth-errors';
import { confirmedDestination } from '../../../lib/server/confirm';
import type { RequestHandler } from './$types';

/** What the links in Supabase's auth emails carry (see supabase/templates/). */
const confirmLinkSchema = z.object({
	token_hash: z.string().min(1).max(512),
	type: z.enum(['email', 'recovery', 'signup', 'magiclink', 'invite', 'email_change']),
	next: z.string().optional(),
	redirect_to: z.string().optional()
});

/**
 * Signs in with the token from an emailed link (sign-in link, password reset, email
 * confirmation, invitation), then continues to a page on this site.
 * https://supabase.com/docs/guides/auth/server-side/sveltekit
 */
export const GET: RequestHandler = async ({ url, locals }) => {
	const link = confirmLinkSchema.safeParse(Object.fromEntries(url.searchParams));
	if (!link.success) redirect(303, '/sign-in?error=link-invalid');

	const { token_hash, type } = link.data;
	const { error } = await locals.supabase.auth.verifyOtp({ token_hash, type });
	if (error) {
		logAuthError(`verifyOtp (${type} link)`, error);
		redirect(303, '/sign-in?error=link-invalid');
	}
	redirect(303, confirmedDestination(link.data, url));
};
