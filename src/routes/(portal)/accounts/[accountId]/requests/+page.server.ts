import { error } from '@sveltejs/kit';
import {
	PAGE_SIZE,
	pageFrom,
	rangeFor,
	refuseBillingUsers,
	requireAccount
} from '../../../../../lib/server/portal';
import type { PageServerLoad } from './$types';

const COLUMNS = 'id, title, instructions, due_on, status, created_at, submitted_at, closed_at';

/** Open and submitted requests are the ones to act on: all shown. Past ones are paginated. */
const ACTIVE_LIMIT = 200;

const STATUS_ORDER: Partial<Record<string, number>> = {
	open: 0,
	submitted: 1,
	closed: 2,
	cancelled: 3
};

/**
 * File requests: open ones first (soonest due first), then submitted, then closed and
 * cancelled; each with the files already sent into it (documents.file_request_id).
 */
export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	const { account, access } = await requireAccount(event);
	refuseBillingUsers(access, account.name);
	const { supabase } = event.locals;
	const page = pageFrom(event.url);
	const [from, to] = rangeFor(page);

	const [active, past] = await Promise.all([
		supabase
			.from('file_requests')
			.select(COLUMNS)
			.eq('account_id', account.id)
			.in('status', ['open', 'submitted'])
			.order('due_on', { ascending: true, nullsFirst: false })
			.order('created_at')
			.limit(ACTIVE_LIMIT),
		supabase
			.from('file_requests')
			.select(COLUMNS, { count: 'exact' })
			.eq('account_id', account.id)
			.in('status', ['closed', 'cancelled'])
			.order('created_at', { ascending: false })
			.order('id')
			.range(from, to)
	]);
	// PostgREST answers a page past the end with PGRST103.
	if (past.error?.code === 'PGRST103') error(404, 'That page of past requests does not exist.');
	if (active.error || past.error) {
		console.error('[requests] loading failed', active.error ?? past.error);
		error(503, 'The file requests could not be loaded. Please try again.');
	}

	const rank = (status: string) => STATUS_ORDER[status] ?? 9;
	// Stable sorts: within a status, the database's order (soonest due, newest) stays.
	const requests = [
		...active.data.toSorted((a, b) => rank(a.status) - rank(b.status)),
		...past.data.toSorted((a, b) => rank(a.status) - rank(b.status))
	];
	const ids = requests.map((r) => r.id);
	const files =
		ids.length > 0
			? await supabase
					.from('documents')
					.select('id, name, size_bytes, created_at, file_request_id')
					.eq('account_id', account.id)
					.in('file_request_id', ids)
					.is('deleted_at', null)
					.order('created_at')
			: null;
	if (files?.error) {
		console.error('[requests] loading the files failed', files.error);
		error(503, 'The file requests could not be loaded. Please try again.');
	}

	return {
		today: new Date().toISOString().slice(0, 10),
		requests: requests.map((request) => ({
			...request,
			files: (files?.data ?? [])
				.filter((f) => f.file_request_id === request.id)
				.map(({ id, name, size_bytes, created_at }) => ({ id, name, size_bytes, created_at }))
		})),
		pastTotal: past.count ?? past.data.length,
		page,
		pageCount: Math.max(1, Math.ceil((past.count ?? 0) / PAGE_SIZE))
	};
};
