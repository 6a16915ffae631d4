import { safeRedirectPath } from './auth';

/**
 * Where an emailed auth link continues once its token is verified: the `next` path, else
 * the path inside `redirect_to`, else home (or /reset-password for a recovery link).
 *
 * The email templates append Auth's `{{ .RedirectTo }}` unencoded. It is the absolute URL
 * the app asked for, usually this very route with its own `next`
 * (`…/auth/confirm?next=%2Fstaff`), or the Site URL when Auth refused the address. Only a URL
 * on this origin counts, and the result always passes safeRedirectPath.
 */
export function confirmedDestination(
	link: { type: string; next?: string | undefined; redirect_to?: string | undefined },
	current: URL
): string {
	const fallback = link.type === 'recovery' ? '/reset-password' : '/';
	return safeRedirectPath(link.next ?? pathFromRedirectTo(link.redirect_to, current), fallback);
}

function pathFromRedirectTo(redirectTo: string | undefined, current: URL): string | undefined {
	if (!redirectTo || !URL.canParse(redirectTo)) return undefined;
	const target = new URL(redirectTo);
	if (target.origin !== current.origin) return undefined;
	if (target.pathname === current.pathname) return target.searchParams.get('next') ?? undefined;
	// The bare Site URL says nothing about where to go; let the fallback decide.
	if (target.pathname === '/' && target.search === '') return undefined;
	return target.pathname + target.search;
}
