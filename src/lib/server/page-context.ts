import { error, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import type { Database } from '../database.types';

type ContextRow = Database['public']['Functions']['page_context']['Returns'][number];

/**
 * What a page's layouts show, from one call (`public.page_context`, which restates each
 * table's policy): the branding, the bell's count, the staff role, the accounts to switch to
 * and, on an account's pages, the account, the person's role in it and the navigation's
 * counts. The generator types a function's columns as never null; those of an account the
 * caller may not see, or of parts they may not read, are null.
 */
export type PageContext = { [K in keyof ContextRow]: ContextRow[K] | null };

/** The account a route is about (`[accountId]`), when it is a well-formed id. */
export function routeAccountId(event: Pick<RequestEvent, 'params'>): string | null {
	const parsed = z.uuid().safeParse((event.params as { accountId?: string }).accountId);
	return parsed.success ? parsed.data : null;
}

async function readContext(event: RequestEvent, accountId: string | null): Promise<PageContext> {
	const { data, error: rpcError } = await event.locals.supabase.rpc(
		'page_context',
		accountId ? { p_account_id: accountId } : {}
	);
	const row = data?.[0];
	if (rpcError || !row) {
		console.error('[portal] loading the page context failed', rpcError);
		error(503, 'This page could not be loaded. Please try again.');
	}
	return row;
}

/**
 * The root layout, the account layout and the page under them all need the context: in one
 * GET they share one call (keyed by the request's locals) instead of each making their own.
 * A POST never shares: its action may have just changed what the layouts show.
 */
const shared = new WeakMap<App.Locals, Map<string, Promise<PageContext>>>();

export function pageContext(event: RequestEvent): Promise<PageContext> {
	const accountId = routeAccountId(event);
	if (event.request.method !== 'GET') return readContext(event, accountId);
	let contexts = shared.get(event.locals);
	if (!contexts) shared.set(event.locals, (contexts = new Map()));
	const key = accountId ?? '';
	let pending = contexts.get(key);
	if (!pending) {
		pending = readContext(event, accountId);
		// Awaited by some loads only (a failure is their 503); never an unhandled rejection.
		pending.catch(() => {});
		contexts.set(key, pending);
	}
	return pending;
}
