import { error, type RequestEvent } from '@sveltejs/kit';
import { requireUser } from './auth';
import { pageContext, routeAccountId } from './page-context';

export type ClientRole = 'owner' | 'member' | 'billing' | 'viewer';

/** What the signed-in person may do in one account; the policies decide the same things. */
export interface AccountAccess {
	userId: string;
	/** Their client role, or null for serving staff. */
	role: ClientRole | null;
	isStaff: boolean;
	/** Documents, messages, projects, approvals, requests: everyone but billing users. */
	canRead: boolean;
	/** Upload, message, organise: owners, members and staff (viewers read only). */
	canWrite: boolean;
}

export function accessFor(
	userId: string,
	role: ClientRole | null,
	isStaff: boolean
): AccountAccess {
	return {
		userId,
		role,
		isStaff,
		canRead: isStaff || role === 'owner' || role === 'member' || role === 'viewer',
		canWrite: isStaff || role === 'owner' || role === 'member'
	};
}

/** The cookie that remembers which account someone last looked at (for `/`). */
export const CURRENT_ACCOUNT_COOKIE = 'portal_account';

const NOT_FOUND = 'This account does not exist, or you do not have access to it.';

/**
 * The account a portal page is about, as the user may see it (an account they may not see
 * gets the same 404 as a missing one), with their role in it: from the page context, the
 * one call the layouts share (src/lib/server/page-context.ts).
 */
export async function requireAccount(event: RequestEvent) {
	const user = await requireUser(event);
	if (!routeAccountId(event)) error(404, NOT_FOUND);

	const context = await pageContext(event);
	if (!context.account_id || !context.account_name || !context.account_status) {
		error(404, NOT_FOUND);
	}
	const role = context.member_role as ClientRole | null;
	const staffRole = context.staff_role;
	if (!role && !staffRole) error(404, NOT_FOUND);

	return {
		user,
		account: { id: context.account_id, name: context.account_name, status: context.account_status },
		access: accessFor(user.id, role, !!staffRole && !role),
		context
	};
}

/** Page size for every long list in the portal. */
export const PAGE_SIZE = 25;

/** The 1-based page number from `?page=`, clamped to something sensible. */
export function pageFrom(url: URL): number {
	const page = Number.parseInt(url.searchParams.get('page') ?? '1', 10);
	return Number.isFinite(page) && page >= 1 && page <= 10_000 ? page : 1;
}

/** The inclusive row range PostgREST wants for a page. */
export function rangeFor(page: number, size = PAGE_SIZE): [number, number] {
	return [(page - 1) * size, page * size - 1];
}

/**
 * The rows of a Supabase answer, or a 503 page that says what could not be loaded (the
 * details go to the server log, never to the page).
 */
export function rowsOf<T>(result: { data: T | null; error: unknown }, what: string): T {
	if (result.error || result.data === null) {
		console.error(`[portal] loading ${what} failed`, result.error);
		error(503, `${what[0]?.toUpperCase()}${what.slice(1)} could not be loaded. Please try again.`);
	}
	return result.data;
}

/**
 * Projects, approvals and file requests are for the account's readers: a billing user
 * gets a 403 that says why (their role covers finances only).
 */
export function refuseBillingUsers(access: AccountAccess, accountName: string): void {
	if (!access.canRead) {
		error(
			403,
			`Your billing role in ${accountName} covers its finances only: projects, approvals and file requests are shared with the account’s owners, members and viewers. Ask an owner if you need them.`
		);
	}
}

/**
 * Runs a page's own reads beside the account check instead of after it, so that a page is
 * the session check and then one round of requests. Safe because RLS scopes every read (for
 * an account the person may not see they come back empty) and their answers are only used
 * once requireAccount has admitted the person; a refusal still ends in its 404 or 403.
 */
export async function withAccount<T>(
	event: RequestEvent,
	reads: (accountId: string, userId: string) => PromiseLike<T>
): Promise<[Awaited<ReturnType<typeof requireAccount>>, T]> {
	const user = await requireUser(event);
	const accountId = routeAccountId(event);
	if (!accountId) error(404, NOT_FOUND);
	// A query builder runs when awaited: Promise.resolve starts it now.
	const pending = Promise.resolve(reads(accountId, user.id));
	// Should the account check fail first, nobody awaits the reads.
	pending.catch(() => {});
	const admitted = await requireAccount(event);
	return [admitted, await pending];
}

/** A profile embedded with a row (`author:profiles(display_name, email)`). */
export type EmbeddedProfile = { display_name: string | null; email: string | null } | null;

/** Who a row names when the caller may not read their profile, or it is gone. */
export const FORMER_USER = 'a former user';

/** A person's name from an embedded profile; null when the caller may not read it. */
export function profileName(profile: EmbeddedProfile): string | null {
	return profile ? profile.display_name || profile.email || null : null;
}
