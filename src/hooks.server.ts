import { MAIL_FROM, SMTP_URL } from '$app/env/private';
import { PUBLIC_SUPABASE_PUBLISHABLE_KEY, PUBLIC_SUPABASE_URL } from '$app/env/public';
import { createServerClient } from '@supabase/ssr';
import type { Session, SupabaseClient, User } from '@supabase/supabase-js';
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { sequence, type Handle, type ServerInit } from '@sveltejs/kit/hooks';
import type { Database } from './lib/database.types';
import { getStaffRole, safeRedirectPath, signInPath } from './lib/server/auth';
import { CONFIG_DOCS, configProblems } from './lib/server/config';

/**
 * Refuses to start with a missing or malformed setting: names each one and exits, before
 * the server takes a single request (src/lib/server/config.ts holds the rules).
 */
export const init: ServerInit = () => {
	const problems = configProblems({
		PUBLIC_SUPABASE_URL,
		PUBLIC_SUPABASE_PUBLISHABLE_KEY,
		SMTP_URL,
		MAIL_FROM
	});
	if (problems.length > 0) {
		console.error(
			`The portal cannot start: fix its environment (see ${CONFIG_DOCS}).\n` +
				problems.map((problem) => `  - ${problem}`).join('\n')
		);
		process.exit(1);
	}
};

/**
 * A Supabase client per request, acting as the user whose cookies came with it.
 * Follows https://supabase.com/docs/guides/auth/server-side/sveltekit
 */
const supabase: Handle = async ({ event, resolve }) => {
	// Cache headers @supabase/ssr asks for whenever it writes auth cookies, so that no
	// shared cache hands one user's session to another.
	const authCacheHeaders = new Headers();

	event.locals.supabase = createServerClient<Database>(
		PUBLIC_SUPABASE_URL,
		PUBLIC_SUPABASE_PUBLISHABLE_KEY,
		{
			cookies: {
				getAll: () => event.cookies.getAll(),
				setAll: (cookiesToSet, headers) => {
					for (const { name, value, options } of cookiesToSet) {
						// SvelteKit requires a path; '/' so the session is sent with every page.
						event.cookies.set(name, value, { ...options, path: '/' });
					}
					for (const [name, value] of Object.entries(headers)) authCacheHeaders.set(name, value);
				}
			}
		}
	);

	event.locals.safeGetSession = validatedSession(event.locals.supabase);

	const response = await resolve(event, {
		// supabase-js reads these from responses a load's `fetch` made during SSR.
		filterSerializedResponseHeaders: (name) =>
			name === 'content-range' || name === 'x-supabase-api-version'
	});
	return setHeaders(response, authCacheHeaders, true);
};

/**
 * Unlike `getSession()`, which only decodes the cookie anyone can forge, this asks the Auth
 * server (`getUser()`) whether the token is genuine and the user still exists. The answer is
 * remembered per access token, so the guard and the loads of one request ask once, while a
 * sign-in or sign-out during the request is still noticed.
 */
function validatedSession(client: SupabaseClient<Database>) {
	let checked: { token: string; result: Promise<{ session: Session; user: User } | null> } | null =
		null;

	return async () => {
		const {
			data: { session }
		} = await client.auth.getSession();
		if (!session) return { session: null, user: null };

		if (checked?.token !== session.access_token) {
			const result = client.auth
				.getUser(session.access_token)
				.then(({ data, error }) => (error || !data.user ? null : { session, user: data.user }));
			checked = { token: session.access_token, result };
		}
		return (await checked.result) ?? { session: null, user: null };
	};
}

const SIGNED_OUT_ONLY = new Set(['/sign-in', '/sign-in/email']);

/**
 * Route groups say who a page is for: (portal) needs a signed-in user, (staff) a staff
 * member. Loads, actions and endpoints check again with requireUser / requireStaff.
 */
const authGuard: Handle = async ({ event, resolve }) => {
	const { user } = await event.locals.safeGetSession();
	event.locals.user = user;

	const group = routeGroup(event.route.id);
	if (group === 'portal' || group === 'staff') {
		if (!user) redirect(303, signInPath(event.url));

		// A client on a staff URL gets a 403, never a redirect to /sign-in (they are signed
		// in: that would loop). A full page render reaches (staff)/+layout.server.ts, which
		// throws that 403 inside the app's layout; everything else (client-side navigation
		// data, form posts, endpoints) is refused right here.
		if (group === 'staff' && !isPageRender(event) && !(await getStaffRole(event.locals, user.id))) {
			error(403, 'This area is for staff members only.');
		}
	}

	if (user && SIGNED_OUT_ONLY.has(event.url.pathname)) {
		redirect(303, safeRedirectPath(event.url.searchParams.get('redirectTo'), '/'));
	}

	const response = await resolve(event);

	const headers = new Headers(SECURITY_HEADERS);
	allowSupabaseConnections(response);
	// Pages carry Kit's nonce-based policy; any other HTML (the static error page Kit renders
	// for an endpoint's error) gets one that allows nothing at all.
	if (response.headers.get('content-type')?.startsWith('text/html')) {
		headers.set('content-security-policy', FALLBACK_CSP);
	}
	// Signed-in pages show private data: no shared cache, and no bfcache copy after sign-out.
	if (user) headers.set('cache-control', 'private, no-store');
	return setHeaders(response, headers, false);
};

export const handle = sequence(supabase, authGuard);

const FALLBACK_CSP =
	"default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'strict-origin-when-cross-origin',
	// Legacy twin of CSP frame-ancestors 'none', for browsers without CSP level 2.
	'x-frame-options': 'DENY',
	'cross-origin-opener-policy': 'same-origin',
	'permissions-policy':
		'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()'
};

/**
 * The browser talks to Supabase (token refresh, uploads, and Realtime over a WebSocket on the
 * same host), whose URL is only known at run time.
 */
function allowSupabaseConnections(response: Response) {
	const policy = response.headers.get('content-security-policy');
	if (!policy) return;
	const supabaseOrigin = new URL(PUBLIC_SUPABASE_URL).origin;
	const realtimeOrigin = supabaseOrigin.replace(/^http/, 'ws');
	try {
		response.headers.set(
			'content-security-policy',
			policy.replace(/connect-src 'self'/, `connect-src 'self' ${supabaseOrigin} ${realtimeOrigin}`)
		);
	} catch {
		// Immutable headers (a response passed through from fetch) carry no page CSP.
	}
}

function routeGroup(routeId: string | null): 'auth' | 'portal' | 'staff' | null {
	const match = routeId?.match(/^\/\((auth|portal|staff)\)(?:\/|$)/);
	return (match?.[1] as 'auth' | 'portal' | 'staff' | undefined) ?? null;
}

function isPageRender(event: RequestEvent): boolean {
	const method = event.request.method;
	return (method === 'GET' || method === 'HEAD') && !event.isDataRequest && !event.isRemoteRequest;
}

/**
 * Adds headers to a response; `override` replaces values already there, otherwise a
 * route's own choice wins. Responses passed through from `fetch` have immutable headers,
 * so those are copied first.
 */
function setHeaders(response: Response, headers: Headers, override: boolean): Response {
	let target = response;
	for (const [name, value] of headers) {
		if (!override && target.headers.has(name)) continue;
		try {
			target.headers.set(name, value);
		} catch {
			target = new Response(target.body, target);
			target.headers.set(name, value);
		}
	}
	return target;
}
