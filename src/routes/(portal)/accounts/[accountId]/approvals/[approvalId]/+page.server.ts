import { error, fail } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { z } from 'zod';
import { parseForm } from '../../../../../../lib/server/forms';
import { approvalReminderEmail } from '../../../../../../lib/server/mail/approval-reminder-email';
import { sendMail } from '../../../../../../lib/server/mail/mailer';
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
				'id, title, note, due_on, status, requested_by, created_at, decided_at, withdrawn_at, last_reminded_at, version:document_versions(id, version, document_id, document:documents(id, name))'
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
	const { version, requested_by, last_reminded_at, ...rest } = approval.data;
	return {
		today: new Date().toISOString().slice(0, 10),
		approval: {
			...rest,
			// The requester is staff; clients may not read staff profiles.
			requestedBy: (requested_by && names.get(requested_by)) || 'Your project team',
			// Reminders are the team's business.
			lastRemindedAt: access.isStaff ? last_reminded_at : null
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
		/** Remind and withdraw: the serving team, while the approval is pending. */
		canManage: access.isStaff && approval.data.status === 'pending',
		canDecide:
			approval.data.status === 'pending' &&
			isApprover &&
			!myResponse &&
			access.canWrite &&
			!access.isStaff
	};
};

const STAFF_ONLY =
	'Only the team serving this account can remind approvers or withdraw an approval.';

/** The staff forms' answers. */
interface ManageForm {
	notice?: string;
	message?: string;
}
const manageForm = (form: ManageForm) => form;

/**
 * Emails each required approver who has not decided yet. Returns the names of those the
 * email could not reach; the reminder itself is already recorded.
 */
async function emailWaitingApprovers(
	event: RequestEvent,
	accountId: string,
	accountName: string,
	approval: { id: string; title: string; due_on: string | null },
	senderId: string
): Promise<{ sent: string[]; failed: string[] }> {
	const { supabase } = event.locals;
	const [approvers, responses, sender] = await Promise.all([
		supabase
			.from('approval_approvers')
			.select('user_id')
			.eq('approval_id', approval.id)
			.eq('account_id', accountId),
		supabase
			.from('approval_responses')
			.select('approver_id')
			.eq('approval_id', approval.id)
			.eq('account_id', accountId),
		supabase.from('profiles').select('display_name').eq('id', senderId).maybeSingle()
	]);
	if (approvers.error || responses.error) {
		console.error('[approval] reading the approvers failed', approvers.error ?? responses.error);
		return { sent: [], failed: ['the approvers'] };
	}
	const decided = new Set(responses.data.map((r) => r.approver_id));
	const waiting = approvers.data.map((a) => a.user_id).filter((id) => !decided.has(id));
	if (waiting.length === 0) return { sent: [], failed: [] };

	const { data: people, error: peopleError } = await supabase
		.from('profiles')
		.select('id, display_name, email')
		.in('id', waiting);
	if (peopleError) {
		console.error('[approval] reading the approvers failed', peopleError);
		return { sent: [], failed: ['the approvers'] };
	}
	const link = new URL(
		resolve('/(portal)/accounts/[accountId]/approvals/[approvalId]', {
			accountId,
			approvalId: approval.id
		}),
		event.url.origin
	).href;
	const results = await Promise.allSettled(
		people.map((person) =>
			sendMail(
				approvalReminderEmail({
					to: person.email,
					approverName: person.display_name || null,
					accountName,
					title: approval.title,
					dueOn: approval.due_on,
					senderName: sender.data?.display_name ?? null,
					link
				})
			)
		)
	);
	const sent: string[] = [];
	const failed: string[] = [];
	results.forEach((result, i) => {
		const person = people[i];
		if (!person) return;
		const name = person.display_name || person.email;
		if (result.status === 'fulfilled') {
			sent.push(name);
		} else {
			console.error('[approval] sending a reminder failed', (result.reason as Error).message);
			failed.push(name);
		}
	});
	return { sent, failed };
}

/** "Olivia Owner", "Olivia Owner and Mark Member", "A, B and C". */
const listOf = (names: string[]) =>
	names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

export const actions = {
	/**
	 * Staff remind the approvers who have not decided: the database stamps the reminder (and
	 * refuses one within the hour), then each of them gets an email. An email that cannot be
	 * sent does not undo the reminder: the page says so.
	 */
	remind: async (event) => {
		const { user, account, access, approvalId } = await readable(event);
		if (!access.isStaff) return fail(403, { manage: manageForm({ message: STAFF_ONLY }) });
		const { data: approval, error: updateError } = await event.locals.supabase
			.from('approvals')
			// The database sets the time itself; this only asks for a reminder.
			.update({ last_reminded_at: new Date().toISOString() })
			.eq('id', approvalId)
			.eq('account_id', account.id)
			.select('id, title, due_on')
			.maybeSingle();
		if (updateError) {
			if (updateError.code === 'PT409') {
				return fail(409, {
					manage: manageForm({
						message: updateError.hint || 'The approvers cannot be reminded now.'
					})
				});
			}
			if (updateError.code === '42501')
				return fail(403, { manage: manageForm({ message: STAFF_ONLY }) });
			console.error('[approval] recording the reminder failed', updateError);
			return fail(503, {
				manage: manageForm({ message: 'The reminder could not be recorded. Please try again.' })
			});
		}
		if (!approval) error(404, NOT_FOUND);

		const { sent, failed } = await emailWaitingApprovers(
			event,
			account.id,
			account.name,
			approval,
			user.id
		);
		if (failed.length > 0) {
			return {
				manage: manageForm({
					message: `Reminder recorded, but the email could not be sent to ${listOf(failed)}. Please contact them another way.`
				})
			};
		}
		return {
			manage: manageForm({
				notice:
					sent.length > 0
						? `Reminder recorded and emailed to ${listOf(sent)}.`
						: 'Reminder recorded. Nobody is waiting to decide.'
			})
		};
	},

	/** Staff withdraw a pending approval; the database sets the status (and refuses a decided one). */
	withdraw: async (event) => {
		const { account, access, approvalId } = await readable(event);
		if (!access.isStaff) return fail(403, { manage: manageForm({ message: STAFF_ONLY }) });
		const { data: approval, error: updateError } = await event.locals.supabase
			.from('approvals')
			.update({ withdrawn_at: new Date().toISOString() })
			.eq('id', approvalId)
			.eq('account_id', account.id)
			.select('status')
			.maybeSingle();
		if (updateError) {
			if (updateError.code === 'PT409') {
				return fail(409, {
					manage: manageForm({
						message: updateError.hint || 'This approval can no longer be withdrawn.'
					})
				});
			}
			if (updateError.code === '42501')
				return fail(403, { manage: manageForm({ message: STAFF_ONLY }) });
			console.error('[approval] withdrawing failed', updateError);
			return fail(503, {
				manage: manageForm({ message: 'The approval could not be withdrawn. Please try again.' })
			});
		}
		if (!approval) error(404, NOT_FOUND);
		return {
			manage: manageForm({ notice: 'The approval is withdrawn: no decision is needed any more.' })
		};
	},

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
