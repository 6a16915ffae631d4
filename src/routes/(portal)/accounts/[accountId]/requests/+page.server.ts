import { error, fail, type RequestEvent } from '@sveltejs/kit';
import type { PostgrestError } from '@supabase/supabase-js';
import { loadNames } from '../../../../../lib/server/activity';
import { parseForm, type FieldErrors } from '../../../../../lib/server/forms';
import {
	PAGE_SIZE,
	pageFrom,
	rangeFor,
	refuseBillingUsers,
	requireAccount,
	withAccount
} from '../../../../../lib/server/portal';
import type { Actions, PageServerLoad } from './$types';
import {
	editRequestSchema,
	newRequestSchema,
	PAST_DUE_MESSAGE,
	STATUS_FROM,
	statusSchema,
	today
} from './schema';

const COLUMNS =
	'id, title, instructions, due_on, status, requested_by, created_at, submitted_at, closed_at';

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
	const { supabase } = event.locals;
	const page = pageFrom(event.url);
	const [from, to] = rangeFor(page);

	const [{ account, access }, [active, past]] = await withAccount(event, (accountId) =>
		Promise.all([
			supabase
				.from('file_requests')
				.select(COLUMNS)
				.eq('account_id', accountId)
				.in('status', ['open', 'submitted'])
				.order('due_on', { ascending: true, nullsFirst: false })
				.order('created_at')
				.limit(ACTIVE_LIMIT),
			supabase
				.from('file_requests')
				.select(COLUMNS, { count: 'exact' })
				.eq('account_id', accountId)
				.in('status', ['closed', 'cancelled'])
				.order('created_at', { ascending: false })
				.order('id')
				.range(from, to)
		])
	);
	refuseBillingUsers(access, account.name);
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
					.select('id, name, size_bytes, created_at, uploaded_by, file_request_id')
					.eq('account_id', account.id)
					.in('file_request_id', ids)
					.is('deleted_at', null)
					.order('created_at')
			: null;
	if (files?.error) {
		console.error('[requests] loading the files failed', files.error);
		error(503, 'The file requests could not be loaded. Please try again.');
	}

	// Staff track who asked and who sent each file; the client pages stay as they were.
	const nameOf = access.isStaff
		? await loadNames(supabase, [
				...requests.map((r) => r.requested_by),
				...(files?.data ?? []).map((f) => f.uploaded_by)
			])
		: null;

	return {
		today: today(),
		requests: requests.map(({ requested_by, ...request }) => ({
			...request,
			requestedBy: nameOf && requested_by ? nameOf(requested_by) : null,
			files: (files?.data ?? [])
				.filter((f) => f.file_request_id === request.id)
				.map(({ id, name, size_bytes, created_at, uploaded_by }) => ({
					id,
					name,
					size_bytes,
					created_at,
					uploadedBy: nameOf && uploaded_by ? nameOf(uploaded_by) : null
				}))
		})),
		pastTotal: past.count ?? past.data.length,
		page,
		pageCount: Math.max(1, Math.ceil((past.count ?? 0) / PAGE_SIZE))
	};
};

/** What the new request form gets back. */
interface CreateForm {
	errors?: FieldErrors<typeof newRequestSchema>;
	message?: string;
	values?: { title: string; instructions: string; dueOn: string };
	created?: { id: string; title: string };
}
/** What one request's edit and status forms get back; `id` says which request. */
interface RequestForm {
	id: string;
	errors?: FieldErrors<typeof editRequestSchema>;
	message?: string;
	values?: { title: string; instructions: string; dueOn: string };
	notice?: string;
}
const createForm = (form: CreateForm) => form;
const requestForm = (form: RequestForm) => form;

const STAFF_ONLY = 'Only the team serving this account can create and change file requests.';

/** Staff who serve the account (or admins); RLS decides the same, this says so in words. */
async function requireStaff(event: RequestEvent<{ accountId: string }>) {
	const context = await requireAccount(event);
	return context.access.isStaff ? context : null;
}

/** A database refusal of a file request write, in words. */
function writeFailure(err: PostgrestError): { status: number; message: string } {
	if (err.code === '42501') return { status: 403, message: STAFF_ONLY };
	if (err.code === '23514' || err.code === '22023' || err.code === '22007') {
		return { status: 400, message: err.hint || 'Check the title, instructions and due date.' };
	}
	console.error('[requests] writing a file request failed', err);
	return { status: 503, message: 'The file request could not be saved. Please try again.' };
}

const gone = (id: string) =>
	fail(404, {
		request: requestForm({ id, message: 'This file request no longer exists. Reload the page.' })
	});

export const actions = {
	/** A new file request (staff). */
	create: async (event) => {
		const form = await parseForm(newRequestSchema, event.request);
		const values = {
			title: form.input.title ?? '',
			instructions: form.input.instructions ?? '',
			dueOn: form.input.dueOn ?? ''
		};
		const staff = await requireStaff(event);
		if (!staff) return fail(403, { create: createForm({ message: STAFF_ONLY, values }) });
		if (!form.data) return fail(400, { create: createForm({ errors: form.errors, values }) });

		const id = crypto.randomUUID();
		const { error: insertError } = await event.locals.supabase.from('file_requests').insert({
			id,
			account_id: staff.account.id,
			title: form.data.title,
			instructions: form.data.instructions,
			due_on: form.data.dueOn
		});
		if (insertError) {
			const failure = writeFailure(insertError);
			return fail(failure.status, { create: createForm({ message: failure.message, values }) });
		}
		return { create: createForm({ created: { id, title: form.data.title } }) };
	},

	/** New title, instructions or due date (staff). */
	edit: async (event) => {
		const form = await parseForm(editRequestSchema, event.request);
		const id = form.input.request ?? '';
		const values = {
			title: form.input.title ?? '',
			instructions: form.input.instructions ?? '',
			dueOn: form.input.dueOn ?? ''
		};
		const staff = await requireStaff(event);
		if (!staff) return fail(403, { request: requestForm({ id, message: STAFF_ONLY, values }) });
		if (!form.data) {
			if (form.errors.request) return gone(id);
			return fail(400, { request: requestForm({ id, errors: form.errors, values }) });
		}
		const { supabase } = event.locals;

		const { data: current, error: readError } = await supabase
			.from('file_requests')
			.select('due_on')
			.eq('id', form.data.request)
			.eq('account_id', staff.account.id)
			.maybeSingle();
		if (readError) {
			console.error('[requests] reading a file request failed', readError);
			return fail(503, {
				request: requestForm({
					id,
					message: 'The change could not be saved. Please try again.',
					values
				})
			});
		}
		if (!current) return gone(id);
		// An overdue request keeps its date through other edits; a newly chosen date is not past.
		if (
			form.data.dueOn !== null &&
			form.data.dueOn !== current.due_on &&
			form.data.dueOn < today()
		) {
			return fail(400, {
				request: requestForm({ id, errors: { dueOn: [PAST_DUE_MESSAGE] }, values })
			});
		}

		const { data: updated, error: updateError } = await supabase
			.from('file_requests')
			.update({
				title: form.data.title,
				instructions: form.data.instructions,
				due_on: form.data.dueOn
			})
			.eq('id', form.data.request)
			.eq('account_id', staff.account.id)
			.select('id');
		if (updateError) {
			const failure = writeFailure(updateError);
			return fail(failure.status, {
				request: requestForm({ id, message: failure.message, values })
			});
		}
		if (updated.length === 0) return gone(id);
		return { request: requestForm({ id, notice: `Saved the changes to “${form.data.title}”.` }) };
	},

	/** Close, cancel or reopen (staff), from the statuses where that makes sense. */
	status: async (event) => {
		const form = await parseForm(statusSchema, event.request);
		const id = form.input.request ?? '';
		const staff = await requireStaff(event);
		if (!staff) return fail(403, { request: requestForm({ id, message: STAFF_ONLY }) });
		if (!form.data) {
			if (form.errors.request) return gone(id);
			return fail(400, {
				request: requestForm({ id, message: 'Choose Close, Cancel or Reopen.' })
			});
		}
		const { supabase } = event.locals;
		const { status } = form.data;

		const { data: updated, error: updateError } = await supabase
			.from('file_requests')
			.update({ status })
			.eq('id', form.data.request)
			.eq('account_id', staff.account.id)
			.in('status', STATUS_FROM[status])
			.select('title');
		if (updateError) {
			const failure = writeFailure(updateError);
			return fail(failure.status, { request: requestForm({ id, message: failure.message }) });
		}
		const [row] = updated;
		if (!row) {
			// Nothing matched: gone, or someone changed its status meanwhile.
			const { data: exists } = await supabase
				.from('file_requests')
				.select('status')
				.eq('id', form.data.request)
				.eq('account_id', staff.account.id)
				.maybeSingle();
			if (!exists) return gone(id);
			return fail(409, {
				request: requestForm({
					id,
					message: `This request is already ${exists.status}: the page was out of date and now shows it as it is.`
				})
			});
		}
		const done = { open: 'reopened', closed: 'closed', cancelled: 'cancelled' }[status];
		return { request: requestForm({ id, notice: `“${row.title}” is ${done}.` }) };
	}
} satisfies Actions;
