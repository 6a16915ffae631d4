import { resolve } from '$app/paths';
import { error, fail, redirect } from '@sveltejs/kit';
import { parseForm, type FieldErrors } from '../../../../../lib/server/forms';
import { PAGE_SIZE, pageFrom, requireAccount, withAccount } from '../../../../../lib/server/portal';
import { MESSAGES_DEPENDENCY } from '../../../../../lib/realtime/live-updates';
import { messageWriteFailure, NO_MESSAGES_FOR_BILLING, REFUSED } from './messages.server';
import { newThreadSchema } from './schema';
import type { Actions, PageServerLoad } from './$types';

/**
 * The account's conversations, newest activity first, a page at a time, each with this
 * person's unread count (thread_page: the same rules as the policies, counting only the page
 * shown), and how many threads hold unread messages (the same function, unread only).
 */
export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	event.depends(MESSAGES_DEPENDENCY);
	const page = pageFrom(event.url);
	const { supabase } = event.locals;
	const [{ account, access }, [shown, unread]] = await withAccount(event, (accountId) =>
		Promise.all([
			supabase.rpc('thread_page', {
				p_account_id: accountId,
				p_limit: PAGE_SIZE,
				p_offset: (page - 1) * PAGE_SIZE
			}),
			supabase.rpc('thread_page', { p_account_id: accountId, p_limit: 1, p_unread_only: true })
		])
	);
	if (!access.canRead) error(403, NO_MESSAGES_FOR_BILLING(account.name));
	const failed = shown.error ?? unread.error;
	if (failed) {
		console.error('[messages] loading the threads failed', failed);
		error(503, 'The conversations could not be loaded. Please try again.');
	}
	const rows = shown.data ?? [];
	// Past the last page there are no rows, and so no total: only page 1 may be empty.
	if (rows.length === 0 && page > 1) error(404, 'That page of conversations does not exist.');
	const total = rows[0]?.total ?? 0;

	return {
		threads: rows.map((thread) => ({
			id: thread.id,
			subject: thread.subject,
			lastMessageAt: thread.last_message_at,
			messageCount: thread.message_count,
			unreadCount: thread.unread_count
		})),
		total,
		unreadThreads: unread.data?.[0]?.total ?? 0,
		page,
		pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE))
	};
};

/** What the new-conversation form gets back when it is refused. */
interface StartForm {
	message?: string;
	values: { subject: string; body: string };
	errors?: FieldErrors<typeof newThreadSchema>;
}
const startForm = (form: StartForm) => form;

export const actions = {
	/** Starts a conversation with its first message (start_thread: both or neither). */
	start: async (event) => {
		const { account, access } = await requireAccount(event);
		const form = await parseForm(newThreadSchema, event.request);
		const values = { subject: form.input.subject ?? '', body: form.input.body ?? '' };
		if (!access.canWrite) {
			return fail(403, { start: startForm({ message: REFUSED.conversation, values }) });
		}
		if (!form.data) {
			return fail(400, {
				start: startForm({ errors: form.errors, values })
			});
		}

		const { data: threadId, error: startError } = await event.locals.supabase.rpc('start_thread', {
			p_account_id: account.id,
			p_subject: form.data.subject,
			p_body: form.data.body,
			p_document_ids: []
		});
		if (startError || !threadId) {
			const failure = messageWriteFailure(startError, 'conversation');
			return fail(failure.status, { start: startForm({ message: failure.message, values }) });
		}
		redirect(
			303,
			resolve('/(portal)/accounts/[accountId]/messages/[threadId]', {
				accountId: account.id,
				threadId
			})
		);
	}
} satisfies Actions;
