import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { logAuthError } from '../../../lib/server/auth-errors';
import { safeRedirectPath } from '../../../lib/server/auth';
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
 * https://supabase.com/docs/guides/auth/server-side/sveltekit#confirm-route
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

	const fallback = type === 'recovery' ? '/reset-password' : '/';
	const next = link.data.next ?? nextFromRedirectTo(link.data.redirect_to, url);
	redirect(303, safeRedirectPath(next, fallback));
};

/**
 * The templates add Auth's `{{ .RedirectTo }}`, unencoded: the absolute URL the app asked
 * for, which is this very route with its own `next` (e.g. `…/auth/confirm?next=/staff`).
 * Only a URL on this origin counts; anything else falls back.
 */
function nextFromRedirectTo(redirectTo: string | undefined, current: URL): string | undefined {
	if (!redirectTo || !URL.canParse(redirectTo)) return undefined;
	const target = new URL(redirectTo);
	if (target.origin !== current.origin) return undefined;
	if (target.pathname === current.pathname) return target.searchParams.get('next') ?? undefined;
	return target.pathname + target.search;
}
