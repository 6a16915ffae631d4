import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { User } from '@supabase/supabase-js';

export type StaffRole = 'admin' | 'staff';

/** The parts of a request event the guards read: loads, actions and endpoints all have them. */
type GuardEvent = Pick<RequestEvent, 'locals' | 'url'>;

/**
 * The signed-in user, validated with the Auth server; otherwise a 303 to the sign-in page
 * that comes back here afterwards. Call it first in every protected load, action and
 * endpoint: a layout load alone is skipped on client-side navigation and by form actions.
 */
export async function requireUser(event: GuardEvent): Promise<User> {
	const { user } = await event.locals.safeGetSession();
	if (!user) redirect(303, signInPath(event.url));
	return user;
}

/**
 * A signed-in staff member (a `staff_members` row), else 403. A 403 and not a redirect:
 * a signed-in client sent to /sign-in would be sent straight back, in a loop.
 */
export async function requireStaff(event: GuardEvent): Promise<{ user: User; role: StaffRole }> {
	const user = await requireUser(event);
	const role = await getStaffRole(event.locals, user.id);
	if (!role) error(403, 'This area is for staff members only.');
	return { user, role };
}

const staffRoles = new WeakMap<App.Locals, Promise<StaffRole | null>>();

/**
 * The user's staff role, or null for clients. Read as the user, so RLS applies (a user may
 * always read their own row); remembered for the rest of the request.
 */
export function getStaffRole(locals: App.Locals, userId: string): Promise<StaffRole | null> {
	let role = staffRoles.get(locals);
	if (!role) {
		role = lookUpStaffRole(locals, userId);
		staffRoles.set(locals, role);
	}
	return role;
}

async function lookUpStaffRole(locals: App.Locals, userId: string): Promise<StaffRole | null> {
	const { data, error: queryError } = await locals.supabase
		.from('staff_members')
		.select('role')
		.eq('user_id', userId)
		.maybeSingle();
	// Failing closed would show staff a misleading 403; an outage is a 503.
	if (queryError) error(503, 'The portal could not check your access. Please try again.');
	return data?.role === 'admin' || data?.role === 'staff' ? data.role : null;
}

/** `/sign-in?redirectTo=…` for the current page (without a form action's `?/name` key). */
export function signInPath(url: URL): string {
	const search = new URLSearchParams(url.search);
	for (const key of [...search.keys()]) if (key.startsWith('/')) search.delete(key);
	const query = search.size > 0 ? `?${search}` : '';
	return `/sign-in?redirectTo=${encodeURIComponent(url.pathname + query)}`;
}

const PLACEHOLDER_ORIGIN = 'http://redirect.invalid';
const MAX_REDIRECT_LENGTH = 2048;
/** Rounds of percent-decoding inspected; anything still encoded after that is refused. */
const DECODE_ROUNDS = 3;

/**
 * `value` if it is a path on this site (`/…`), else `fallback`. For `redirectTo` / `next`
 * values that come from a URL or a form, which an attacker can craft to send a freshly
 * signed-in user to their own site (an open redirect).
 *
 * Refused: absolute and protocol-relative URLs (`https://…`, `//evil`, `/\evil`, which
 * browsers read as `//evil`), other schemes (`javascript:`), backslashes, whitespace and
 * control characters (browsers drop tabs and newlines from URLs: `/\t/evil` is `//evil`),
 * and the same tricks percent-encoded (`/%2F%2Fevil`), since a proxy or a later redirect
 * may decode them. The result is normalised by the URL parser and checked again, because
 * dot segments can produce a `//` (`/.//evil` becomes `//evil`).
 */
export function safeRedirectPath(value: unknown, fallback: string): string {
	if (typeof value !== 'string' || value.length > MAX_REDIRECT_LENGTH) return fallback;
	if (!isPlainPath(value) || /\s/.test(value)) return fallback;

	let decoded = value;
	for (let round = 0; ; round++) {
		let next: string;
		try {
			next = decodeURIComponent(decoded);
		} catch {
			return fallback; // malformed percent-encoding
		}
		if (next === decoded) break;
		if (round === DECODE_ROUNDS || !isPlainPath(next)) return fallback;
		decoded = next;
	}

	const url = new URL(value, PLACEHOLDER_ORIGIN);
	if (url.origin !== PLACEHOLDER_ORIGIN) return fallback;
	const path = url.pathname + url.search + url.hash;
	return isPlainPath(path) ? path : fallback;
}

/** Starts with exactly one `/`, and no backslash or control character anywhere. */
function isPlainPath(path: string): boolean {
	return (
		path.startsWith('/') &&
		!path.startsWith('//') &&
		// eslint-disable-next-line no-control-regex -- control characters are what we look for
		!/[\\\u0000-\u001f\u007f-\u009f]/.test(path)
	);
}
