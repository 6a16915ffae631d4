import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { parseForm } from '../../../../../../lib/server/forms';
import { refuseBillingUsers, requireAccount } from '../../../../../../lib/server/portal';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { NUL_MESSAGE, withoutNul } from '../../../../../../lib/schemas';

const NOT_FOUND = 'This approval does not exist, or it is not shared with you.';

/** One decision. Changes need a comment (so does the database: approval_responses_comment_for_changes). */
const decisionSchema = z
	.object({
		decision: z.enum(['approved', 'changes_requested'], {
			error: 'Choose Approve or Request changes.'
		}),
		comment: z
			.string()
			.trim()
			.max(4000, 'Keep the comment under 4,000 characters.')
			.refine(withoutNul, NUL_MESSAGE)
			.optional()
			.default('')
	})
	.superRefine((value, ctx) => {
		if (value.decision === 'changes_requested' && value.comment.length === 0) {
			ctx.addIssue({
				code: 'custom',
				path: ['comment'],
				message: 'Say what should change, so the team knows what to do next.'
			});
		}
	});

async function readable(event: RequestEvent) {
	const context = await requireAccount(event);
	refuseBillingUsers(context.access, context.account.name);
	const approvalId = z.uuid().safeParse(event.params.approvalId);
	if (!approvalId.success) error(404, NOT_FOUND);
	return { ...context, approvalId: approvalId.data };
}

/**
 * One approval: the document version under review, who must decide, each decision with its
 * comment and time, and, for a required approver who has not decided yet, the decision form.
 */
export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	const { user, account, access, approvalId } = await readable(event);
	const { supabase } = event.locals;

	const [approval, approvers, responses] = await Promise.all([
		supabase
			.from('approvals')
			.select(
				'id, title, note, due_on, status, requested_by, created_at, decided_at, withdrawn_at, version:document_versions(id, version, document_id, document:documents(id, name))'
			)
			.eq('id', approvalId)
			.eq('account_id', account.id)
			.maybeSingle(),
		supabase
			.from('approval_approvers')
			.select('user_id')
			.eq('approval_id', approvalId)
			.eq('account_id', account.id),
		supabase
			.from('approval_responses')
			.select('id, approver_id, decision, comment, created_at')
			.eq('approval_id', approvalId)
			.eq('account_id', account.id)
			.order('created_at')
	]);
	if (approval.error || approvers.error || responses.error) {
		console.error(
			'[approval] loading failed',
			approval.error ?? approvers.error ?? responses.error
		);
		error(503, 'This approval could not be loaded. Please try again.');
	}
	if (!approval.data) error(404, NOT_FOUND);

	const people = [
		...new Set([
			...approvers.data.map((a) => a.user_id),
			...responses.data.map((r) => r.approver_id),
			...(approval.data.requested_by ? [approval.data.requested_by] : [])
		])
	];
	const names = new Map<string, string>();
	if (people.length > 0) {
		const { data } = await supabase
			.from('profiles')
			.select('id, display_name, email')
			.in('id', people);
		for (const p of data ?? []) names.set(p.id, p.display_name || p.email);
	}

	const myResponse = responses.data.find((r) => r.approver_id === user.id) ?? null;
	const isApprover = approvers.data.some((a) => a.user_id === user.id);
	const { version, requested_by, ...rest } = approval.data;
	return {
		today: new Date().toISOString().slice(0, 10),
		approval: {
			...rest,
			// The requester is staff; clients may not read staff profiles.
			requestedBy: (requested_by && names.get(requested_by)) || 'Your project team'
		},
		version: version && {
			id: version.id,
			number: version.version,
			documentId: version.document_id,
			documentName: version.document?.name ?? 'Document'
		},
		approvers: approvers.data
			.map((a) => {
				const response = responses.data.find((r) => r.approver_id === a.user_id) ?? null;
				return {
					userId: a.user_id,
					name: names.get(a.user_id) || 'A former member',
					isMe: a.user_id === user.id,
					response: response && {
						decision: response.decision,
						comment: response.comment,
						at: response.created_at
					}
				};
			})
			.toSorted((a, b) => a.name.localeCompare(b.name)),
		myResponse,
		canDecide:
			approval.data.status === 'pending' &&
			isApprover &&
			!myResponse &&
			access.canWrite &&
			!access.isStaff
	};
};

export const actions = {
	decide: async (event) => {
		const { account, approvalId } = await readable(event);
		const form = await parseForm(decisionSchema, event.request);
		if (!form.data) {
			return fail(400, {
				errors: form.errors,
				values: { comment: form.input.comment ?? '' }
			});
		}

		const { error: insertError } = await event.locals.supabase.from('approval_responses').insert({
			approval_id: approvalId,
			account_id: account.id,
			decision: form.data.decision,
			comment: form.data.comment
		});
		if (insertError) {
			const values = { comment: form.data.comment };
			if (insertError.code === 'PT409') {
				return fail(409, {
					message: insertError.hint || 'This approval has already been decided or withdrawn.',
					values
				});
			}
			if (insertError.code === '23505') {
				return fail(409, { message: 'You have already recorded your decision.', values });
			}
			if (insertError.code === '23514') {
				return fail(400, {
					errors: { comment: ['Say what should change, so the team knows what to do next.'] },
					values
				});
			}
			if (insertError.code === '42501') {
				return fail(403, {
					message:
						'Your decision was not recorded: only the approvers named on this request, as owners or members of the account, can decide.',
					values
				});
			}
			if (insertError.code === '23503') error(404, NOT_FOUND);
			console.error('[approval] recording the decision failed', insertError);
			return fail(503, { message: 'Your decision could not be saved. Please try again.', values });
		}
		return { decided: form.data.decision };
	}
} satisfies Actions;
