import { error, fail, redirect } from '@sveltejs/kit';
import type { SupabaseClient } from '@supabase/supabase-js';
import { resolve } from '$app/paths';
import type { Database } from '../../../../../lib/database.types';
import { parseFormData, type FieldErrors } from '../../../../../lib/server/forms';
import {
	PAGE_SIZE,
	pageFrom,
	rangeFor,
	refuseBillingUsers,
	requireAccount,
	withAccount
} from '../../../../../lib/server/portal';
import type { Actions, PageServerLoad } from './$types';
import { approversSchema, requestApprovalSchema } from './schema';

type Db = SupabaseClient<Database>;

/** How many of the account's documents the staff form offers (newest names first past that). */
const DOCUMENTS_LIMIT = 500;

/**
 * What staff may put up for approval: each live document with its current version (the
 * newest document_versions row), and the people who may decide (owners and members).
 */
async function loadRequestOptions(supabase: Db, accountId: string) {
	const [documents, members] = await Promise.all([
		supabase
			.from('documents')
			.select('id, name, versions:document_versions(id, version)')
			.eq('account_id', accountId)
			.is('deleted_at', null)
			.order('name')
			.order('version', { referencedTable: 'document_versions', ascending: false })
			.limit(1, { referencedTable: 'document_versions' })
			.limit(DOCUMENTS_LIMIT),
		supabase
			.from('account_members')
			.select(
				'user_id, role, profile:profiles!account_members_user_id_profile_fkey(display_name, email)'
			)
			.eq('account_id', accountId)
			.in('role', ['owner', 'member'])
	]);
	if (documents.error || members.error) {
		console.error('[approvals] loading the request form failed', documents.error ?? members.error);
		error(503, 'The approvals could not be loaded. Please try again.');
	}
	return {
		documents: documents.data.flatMap((d) => {
			const [current] = d.versions;
			return current ? [{ id: d.id, name: d.name, version: current.version }] : [];
		}),
		approvers: members.data
			.map((m) => ({
				userId: m.user_id,
				role: m.role,
				name: m.profile?.display_name || m.profile?.email || 'A member',
				email: m.profile?.email ?? ''
			}))
			.toSorted((a, b) => a.name.localeCompare(b.name))
	};
}

const COLUMNS =
	'id, title, status, due_on, created_at, decided_at, withdrawn_at, approval_approvers(user_id), approval_responses(approver_id, decision, created_at), version:document_versions(version, document:documents(name))';

/** Pending approvals are few and all shown; decided ones are history and paginated. */
const PENDING_LIMIT = 200;

/**
 * The account's approvals: those waiting for this person's decision first, then the other
 * pending ones, then the decided (approved, changes requested, withdrawn) with their dates.
 */
export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	const { supabase } = event.locals;
	const page = pageFrom(event.url);
	const [from, to] = rangeFor(page);

	const [{ user, account, access }, [pending, decided]] = await withAccount(event, (accountId) =>
		Promise.all([
			supabase
				.from('approvals')
				.select(COLUMNS)
				.eq('account_id', accountId)
				.eq('status', 'pending')
				.order('due_on', { ascending: true, nullsFirst: false })
				.order('created_at', { ascending: false })
				.limit(PENDING_LIMIT),
			supabase
				.from('approvals')
				.select(COLUMNS, { count: 'exact' })
				.eq('account_id', accountId)
				.neq('status', 'pending')
				.order('created_at', { ascending: false })
				.order('id')
				.range(from, to)
		])
	);
	refuseBillingUsers(access, account.name);
	// PostgREST answers a page past the end with PGRST103.
	if (decided.error?.code === 'PGRST103')
		error(404, 'That page of decided approvals does not exist.');
	if (pending.error || decided.error) {
		console.error('[approvals] loading failed', pending.error ?? decided.error);
		error(503, 'The approvals could not be loaded. Please try again.');
	}

	type Approval = NonNullable<typeof pending.data>[number];
	const summary = (approval: Approval) => ({
		id: approval.id,
		title: approval.title,
		status: approval.status,
		dueOn: approval.due_on,
		createdAt: approval.created_at,
		// Withdrawal does not set decided_at; its own timestamp says when.
		closedAt: approval.decided_at ?? approval.withdrawn_at,
		document: approval.version
			? `${approval.version.document?.name ?? 'A document'}, version ${approval.version.version}`
			: null,
		approvers: approval.approval_approvers.length,
		responses: approval.approval_responses.length
	});
	const isMine = (approval: Approval) =>
		approval.approval_approvers.some((a) => a.user_id === user.id) &&
		!approval.approval_responses.some((r) => r.approver_id === user.id);

	return {
		today: new Date().toISOString().slice(0, 10),
		waiting: pending.data.filter(isMine).map(summary),
		otherPending: pending.data.filter((a) => !isMine(a)).map(summary),
		decided: decided.data.map(summary),
		decidedTotal: decided.count ?? decided.data.length,
		page,
		pageCount: Math.max(1, Math.ceil((decided.count ?? 0) / PAGE_SIZE)),
		requestOptions: access.isStaff ? await loadRequestOptions(supabase, account.id) : null
	};
};

/** What the request form gets back when it is refused. */
interface RequestForm {
	errors?: FieldErrors<typeof requestApprovalSchema> & { approvers?: string[] };
	message?: string;
	values?: { document: string; title: string; note: string; dueOn: string; approvers: string[] };
}
const requestForm = (form: RequestForm) => form;

export const actions = {
	/**
	 * Staff ask for an approval of a document's current version: request_approval writes the
	 * approval and its approvers in one statement, or nothing.
	 */
	request: async (event) => {
		const { account, access } = await requireAccount(event);
		let formData: FormData;
		try {
			formData = await event.request.formData();
		} catch {
			error(400, 'This form could not be read. Reload the page and try again.');
		}
		const form = parseFormData(requestApprovalSchema, formData);
		const approvers = approversSchema.safeParse(
			formData.getAll('approvers').filter((value) => typeof value === 'string')
		);
		const values = {
			document: form.input.document ?? '',
			title: form.input.title ?? '',
			note: form.input.note ?? '',
			dueOn: form.input.dueOn ?? '',
			approvers: formData.getAll('approvers').filter((value) => typeof value === 'string')
		};
		if (!access.isStaff) {
			return fail(403, {
				request: requestForm({
					message: 'Only the team serving this account can ask for approvals.',
					values
				})
			});
		}
		if (!form.data || !approvers.success) {
			return fail(400, {
				request: requestForm({
					errors: {
						...form.errors,
						approvers: approvers.success
							? undefined
							: [approvers.error.issues[0]?.message ?? 'Choose at least one person to approve']
					},
					values
				})
			});
		}
		const { supabase } = event.locals;

		// The document's current version: the newest row, read now (not when the page loaded).
		const { data: version, error: versionError } = await supabase
			.from('document_versions')
			.select('id, document:documents!inner(name, deleted_at)')
			.eq('document_id', form.data.document)
			.eq('account_id', account.id)
			.is('document.deleted_at', null)
			.order('version', { ascending: false })
			.limit(1)
			.maybeSingle();
		if (versionError) {
			console.error('[approvals] reading the document failed', versionError);
			return fail(503, {
				request: requestForm({
					message: 'The approval could not be requested. Please try again.',
					values
				})
			});
		}
		if (!version) {
			return fail(400, {
				request: requestForm({
					errors: { document: ['That document is no longer available: choose another one.'] },
					values
				})
			});
		}

		const title = form.data.title || version.document.name.slice(0, 200);
		const { data: approvalId, error: rpcError } = await supabase.rpc('request_approval', {
			p_account_id: account.id,
			p_document_version_id: version.id,
			p_title: title,
			p_note: form.data.note,
			// Left out when there is no due date: the function's default is null.
			...(form.data.dueOn ? { p_due_on: form.data.dueOn } : {}),
			p_approver_ids: approvers.data
		});
		if (rpcError) {
			if (rpcError.code === '22023') {
				return fail(400, {
					request: requestForm({
						errors: { approvers: [rpcError.hint || 'Choose at least one person to approve.'] },
						values
					})
				});
			}
			if (rpcError.code === '42501' || rpcError.code === '23503') {
				return fail(rpcError.code === '42501' ? 403 : 400, {
					request: requestForm({
						message:
							rpcError.hint ||
							`The approval was not requested: approvers must be owners or members of ${account.name}, and only the team serving it can ask. Reload the page and choose again.`,
						values
					})
				});
			}
			if (rpcError.code === '23514') {
				return fail(400, {
					request: requestForm({
						message: rpcError.hint || 'Check the title and note: one of them is too long.',
						values
					})
				});
			}
			console.error('[approvals] requesting an approval failed', rpcError);
			return fail(503, {
				request: requestForm({
					message: rpcError.hint || 'The approval could not be requested. Please try again.',
					values
				})
			});
		}
		redirect(
			303,
			resolve(`/(portal)/accounts/[accountId]/approvals/[approvalId]?requested=1`, {
				accountId: account.id,
				approvalId
			})
		);
	}
} satisfies Actions;
