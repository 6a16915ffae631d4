import { error } from '@sveltejs/kit';
import {
	PAGE_SIZE,
	pageFrom,
	rangeFor,
	refuseBillingUsers,
	requireAccount
} from '../../../../../lib/server/portal';
import type { PageServerLoad } from './$types';

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
	const { user, account, access } = await requireAccount(event);
	refuseBillingUsers(access, account.name);
	const { supabase } = event.locals;
	const page = pageFrom(event.url);
	const [from, to] = rangeFor(page);

	const [pending, decided] = await Promise.all([
		supabase
			.from('approvals')
			.select(COLUMNS)
			.eq('account_id', account.id)
			.eq('status', 'pending')
			.order('due_on', { ascending: true, nullsFirst: false })
			.order('created_at', { ascending: false })
			.limit(PENDING_LIMIT),
		supabase
			.from('approvals')
			.select(COLUMNS, { count: 'exact' })
			.eq('account_id', account.id)
			.neq('status', 'pending')
			.order('created_at', { ascending: false })
			.order('id')
			.range(from, to)
	]);
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
		pageCount: Math.max(1, Math.ceil((decided.count ?? 0) / PAGE_SIZE))
	};
};
