import { error, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { getStaffRole, requireUser } from './auth';

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
 * The account a portal page is about, read as the user (RLS hides accounts they may not
 * see, which then get the same 404 as a missing one), with their role in it.
 */
export async function requireAccount(event: RequestEvent) {
	const user = await requireUser(event);
	const accountId = z.uuid().safeParse(event.params.accountId);
	if (!accountId.success) error(404, NOT_FOUND);

	const [accountResult, membershipResult, staffRole] = await accountReads(
		event,
		user.id,
		accountId.data
	);
	if (accountResult.error || membershipResult.error) {
		console.error(
			'[portal] loading the account failed',
			accountResult.error ?? membershipResult.error
		);
		error(503, 'This account could not be loaded. Please try again.');
	}
	if (!accountResult.data) error(404, NOT_FOUND);
	const role = (membershipResult.data?.role ?? null) as ClientRole | null;
	if (!role && !staffRole) error(404, NOT_FOUND);

	return {
		user,
		account: accountResult.data,
		access: accessFor(user.id, role, !!staffRole && !role)
	};
}

function readAccount(event: RequestEvent, userId: string, accountId: string) {
	const { supabase } = event.locals;
	return Promise.all([
		supabase.from('client_accounts').select('id, name, status').eq('id', accountId).maybeSingle(),
		supabase
			.from('account_members')
			.select('role')
			.eq('account_id', accountId)
			.eq('user_id', userId)
			.maybeSingle(),
		getStaffRole(event.locals, userId)
	]);
}

/**
 * The account layout and the page under it both need the account: in one GET they share one
 * read (keyed by the request's locals) instead of making the same three requests twice. A
 * POST never shares: its action may have just changed the account, and the page must show
 * that.
 */
const sharedReads = new WeakMap<App.Locals, Map<string, ReturnType<typeof readAccount>>>();

function accountReads(event: RequestEvent, userId: string, accountId: string) {
	if (event.request.method !== 'GET') return readAccount(event, userId, accountId);
	let reads = sharedReads.get(event.locals);
	if (!reads) sharedReads.set(event.locals, (reads = new Map()));
	let pending = reads.get(accountId);
	if (!pending) reads.set(accountId, (pending = readAccount(event, userId, accountId)));
	return pending;
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
