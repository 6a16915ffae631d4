import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { accountNameField } from '../../../lib/schemas';
import { requireStaff } from '../../../lib/server/auth';
import { parseForm } from '../../../lib/server/forms';
import { PAGE_SIZE, pageFrom, rangeFor, rowsOf } from '../../../lib/server/portal';
import type { Actions, PageServerLoad } from './$types';

/**
 * The clients list: every account the staff member serves (all of them for admins), with
 * search, filters and what is open in each; admins create accounts here. The filters are
 * query parameters, so a filtered list is a link and works without JavaScript.
 */

const STATUSES = ['active', 'archived', 'all'] as const;
type StatusFilter = (typeof STATUSES)[number];
/** `?staff=none`: accounts nobody is assigned to. */
const UNASSIGNED = 'none';
const MAX_SEARCH = 200;

/**
 * A `like` pattern that matches the text literally: `%`, `_` and `\` are escaped (Postgres'
 * default escape character is `\`). PostgREST also reads `*` as `%`, with no escape for it,
 * so a `*` becomes `_` (any one character, which includes `*` itself).
 */
function containsPattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, '\\$&').replaceAll('*', '_')}%`;
}

interface Filters {
	q: string;
	status: StatusFilter;
	/** A staff member's id, UNASSIGNED, or '' for anyone; admins only. */
	staff: string;
}

/** The filters from the URL; anything we cannot use is dropped and said so, never a 500. */
function readFilters(url: URL, isAdmin: boolean): { filters: Filters; ignored: string[] } {
	const ignored: string[] = [];
	const params = url.searchParams;

	let q = (params.get('q') ?? '').trim();
	if (q.length > MAX_SEARCH) {
		q = q.slice(0, MAX_SEARCH);
		ignored.push(`The search was shortened to its first ${MAX_SEARCH} characters.`);
	}

	const rawStatus = params.get('status');
	let status: StatusFilter = 'active';
	if (rawStatus !== null && rawStatus !== '') {
		const parsed = z.enum(STATUSES).safeParse(rawStatus);
		if (parsed.success) status = parsed.data;
		else ignored.push('The status filter was not recognised, so active accounts are shown.');
	}

	const rawStaff = params.get('staff') ?? '';
	let staff = '';
	if (rawStaff !== '') {
		if (!isAdmin) {
			ignored.push('Only admins filter by staff member; the staff filter was ignored.');
		} else if (rawStaff === UNASSIGNED || z.uuid().safeParse(rawStaff).success) {
			staff = rawStaff.toLowerCase();
		} else {
			ignored.push('The staff filter was not recognised, so it was ignored.');
		}
	}
	return { filters: { q, status, staff }, ignored };
}

type Supabase = App.Locals['supabase'];

/** The team, for names (staff may read every staff member and profile). */
async function loadTeam(supabase: Supabase) {
	const staffRows = rowsOf(
		await supabase.from('staff_members').select('user_id, role'),
		'the staff list'
	);
	const staffIds = staffRows.map((s) => s.user_id);
	const profiles =
		staffIds.length > 0
			? rowsOf(
					await supabase.from('profiles').select('id, display_name, email').in('id', staffIds),
					'staff names'
				)
			: [];
	const nameOf = new Map(profiles.map((p) => [p.id, p.display_name || p.email || 'Unnamed']));
	return { staffRows, nameOf };
}

interface AccountRow {
	id: string;
	name: string;
	status: string;
	memberCount: number;
}

/** One page of the accounts that match the filters, with the number there are. */
async function loadAccounts(
	supabase: Supabase,
	filters: Filters,
	page: number
): Promise<{ accounts: AccountRow[]; total: number }> {
	// The staff filter becomes a list of account ids (or ids to leave out).
	let onlyIds: string[] | null = null;
	let exceptIds: string[] = [];
	if (filters.staff === UNASSIGNED) {
		const assigned = rowsOf(
			await supabase.from('staff_assignments').select('account_id'),
			'the staff assignments'
		);
		exceptIds = [...new Set(assigned.map((a) => a.account_id))];
	} else if (filters.staff !== '') {
		const assigned = rowsOf(
			await supabase
				.from('staff_assignments')
				.select('account_id')
				.eq('staff_user_id', filters.staff),
			'the staff assignments'
		);
		onlyIds = assigned.map((a) => a.account_id);
	}
	if (onlyIds !== null && onlyIds.length === 0) return { accounts: [], total: 0 };

	// RLS limits this to the accounts the staff member serves (all of them for admins).
	const [from, to] = rangeFor(page);
	let query = supabase
		.from('client_accounts')
		.select('id, name, status, account_members(count)', { count: 'exact' });
	if (filters.q) query = query.ilike('name', containsPattern(filters.q));
	if (filters.status !== 'all') query = query.eq('status', filters.status);
	if (onlyIds) query = query.in('id', onlyIds);
	// Ids read from the database: uuids, safe inside the list syntax.
	if (exceptIds.length > 0) query = query.not('id', 'in', `(${exceptIds.join(',')})`);
	const result = await query.order('name').order('id').range(from, to);
	// PostgREST answers a page past the end with PGRST103.
	if (result.error?.code === 'PGRST103') error(404, 'That page of client accounts does not exist.');
	const accounts = rowsOf(result, 'the client accounts').map(({ account_members, ...account }) => ({
		...account,
		memberCount: account_members[0]?.count ?? 0
	}));
	return { accounts, total: result.count ?? accounts.length };
}

export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	const { role } = await requireStaff(event);
	const isAdmin = role === 'admin';
	const { supabase } = event.locals;
	const { filters, ignored } = readFilters(event.url, isAdmin);
	const page = pageFrom(event.url);

	// The team's names and the page of accounts do not wait for each other (issue 8: no
	// sequential waterfalls).
	const [{ staffRows, nameOf }, { accounts, total }] = await Promise.all([
		loadTeam(supabase),
		loadAccounts(supabase, filters, page)
	]);

	// What is open in each account on this page, and who serves it: one query each.
	const ids = accounts.map((a) => a.id);
	const [openItems, assignments] =
		ids.length > 0
			? await Promise.all([
					supabase
						.from('account_open_items')
						.select(
							'account_id, open_requests, overdue_requests, submitted_requests, pending_approvals, last_activity_at'
						)
						.in('account_id', ids),
					// Staff read only their own assignments; admins read everyone's.
					supabase
						.from('staff_assignments')
						.select('account_id, staff_user_id')
						.in('account_id', ids)
				])
			: [null, null];
	const openByAccount = new Map(
		(openItems ? rowsOf(openItems, 'the open items') : []).map((o) => [o.account_id, o])
	);
	const assignmentRows = assignments ? rowsOf(assignments, 'the staff assignments') : [];

	// Nothing on this page: is that the filters, or are there no accounts at all?
	let anyAccounts = total > 0;
	if (!anyAccounts) {
		const all = await supabase.from('client_accounts').select('id', { count: 'exact', head: true });
		if (all.error) {
			console.error('[staff] counting accounts failed', all.error);
			error(503, 'The client accounts could not be loaded. Please try again.');
		}
		anyAccounts = (all.count ?? 0) > 0;
	}

	return {
		role,
		filters,
		ignored,
		page,
		total,
		pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
		anyAccounts,
		staffOptions: isAdmin
			? staffRows
					.map((s) => ({ id: s.user_id, name: nameOf.get(s.user_id) ?? 'Unnamed' }))
					.toSorted((a, b) => a.name.localeCompare(b.name))
			: [],
		accounts: accounts.map((account) => {
			const open = openByAccount.get(account.id);
			return {
				...account,
				staff: assignmentRows
					.filter((a) => a.account_id === account.id)
					.map((a) => nameOf.get(a.staff_user_id) ?? 'Unnamed')
					.toSorted((a, b) => a.localeCompare(b)),
				openRequests: open?.open_requests ?? 0,
				overdueRequests: open?.overdue_requests ?? 0,
				submittedRequests: open?.submitted_requests ?? 0,
				pendingApprovals: open?.pending_approvals ?? 0,
				lastActivityAt: open?.last_activity_at ?? null
			};
		})
	};
};

const createSchema = z.object({ name: accountNameField });

export const actions = {
	create: async (event) => {
		const { role } = await requireStaff(event);
		// The policy ("admins create") decides too; this answers clearly first.
		if (role !== 'admin') {
			return fail(403, { createError: 'Only admins can create client accounts.' });
		}
		const form = await parseForm(createSchema, event.request);
		if (!form.data) {
			return fail(400, {
				createErrors: form.errors,
				createValues: { name: form.input.name ?? '' }
			});
		}
		// The id is chosen here, not read back: `insert … returning` would also need the read
		// policy to see the new row, and its helper (visible_accounts) runs on the snapshot
		// taken before the insert, so Postgres would refuse the statement.
		const id = crypto.randomUUID();
		const { error: insertError } = await event.locals.supabase
			.from('client_accounts')
			.insert({ id, name: form.data.name });
		if (insertError) {
			if (insertError.code === '42501') {
				return fail(403, { createError: 'Only admins can create client accounts.' });
			}
			console.error('[staff] creating an account failed', insertError);
			return fail(503, {
				createError: 'The account could not be created. Please try again.',
				createValues: { name: form.data.name }
			});
		}
		redirect(303, `/staff/accounts/${id}?notice=account-created`);
	}
} satisfies Actions;
