import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { parseTimestamp } from '../../../../../../lib/format';
import { MESSAGES_DEPENDENCY } from '../../../../../../lib/realtime/live-updates';
import { parseForm, parseFormData, type FieldErrors } from '../../../../../../lib/server/forms';
import {
	profileName,
	requireAccount,
	withAccount,
	type EmbeddedProfile
} from '../../../../../../lib/server/portal';
import { messageWriteFailure, NO_MESSAGES_FOR_BILLING, REFUSED } from '../messages.server';
import { attachmentsSchema, readSchema, replySchema } from '../schema';
import type { Actions, PageServerLoad } from './$types';

const NOT_FOUND = 'This conversation does not exist, or it is not shared with you.';

/** Documents offered as attachments; an account with more is filtered by name on the page. */
const ATTACHABLE_LIMIT = 500;

function threadIdOf(event: RequestEvent<{ threadId: string }>): string {
	const threadId = z.uuid().safeParse(event.params.threadId);
	if (!threadId.success) error(404, NOT_FOUND);
	return threadId.data;
}

/**
 * One conversation, oldest message first, with authors' names and attachments. Read as the
 * user: RLS gives internal notes to serving staff only, so a client's page never holds one.
 * Reading marks nothing; the page marks the thread read once it is shown (the `read` action).
 */
export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	event.depends(MESSAGES_DEPENDENCY);
	const threadId = threadIdOf(event);
	const { supabase } = event.locals;

	// One request: the thread; its messages with their authors' names and attachments; this
	// person's read mark; and, through the account, the documents offered as attachments to
	// those who may write (read for everyone so that the page stays one round; a viewer's are
	// dropped). Each part under its own table's policies, as separate requests would be.
	const [{ user, account, access }, thread] = await withAccount(event, (accountId, userId) =>
		supabase
			.from('threads')
			.select(
				`id, subject, created_at,
				messages(id, author_id, body, internal, created_at,
					author:profiles(display_name, email),
					attachments:message_attachments(document:documents(id, name, size_bytes, deleted_at))),
				thread_reads(last_read_at),
				account:client_accounts(attachable:documents(id, name, size_bytes, folder:folders(name)))`
			)
			.eq('id', threadId)
			.eq('account_id', accountId)
			.eq('thread_reads.user_id', userId)
			.order('created_at', { referencedTable: 'messages' })
			.order('id', { referencedTable: 'messages' })
			.is('account.attachable.deleted_at', null)
			.order('name', { referencedTable: 'account.attachable' })
			.order('id', { referencedTable: 'account.attachable' })
			.limit(ATTACHABLE_LIMIT, { referencedTable: 'account.attachable' })
			.maybeSingle()
	);
	if (!access.canRead) error(403, NO_MESSAGES_FOR_BILLING(account.name));
	if (thread.error) {
		console.error('[messages] loading the thread failed', thread.error);
		error(503, 'This conversation could not be loaded. Please try again.');
	}
	if (!thread.data) error(404, NOT_FOUND);

	const { messages } = thread.data;
	const lastReadAt = thread.data.thread_reads[0]?.last_read_at;
	const lastRead = lastReadAt ? parseTimestamp(lastReadAt) : null;
	const attachable = access.canWrite ? (thread.data.account?.attachable ?? []) : [];

	return {
		thread: {
			id: thread.data.id,
			subject: thread.data.subject,
			created_at: thread.data.created_at
		},
		messages: messages.map((message) => ({
			id: message.id,
			author: authorName(message, user.id, access.isStaff),
			own: message.author_id === user.id,
			body: message.body,
			internal: message.internal,
			createdAt: message.created_at,
			attachments: message.attachments.map(({ document }) =>
				document && !document.deleted_at
					? { id: document.id, name: document.name, size: document.size_bytes, available: true }
					: { id: null, name: 'A deleted document', size: null, available: false }
			)
		})),
		/** Whether someone else wrote since this person last read the thread. */
		unread: messages.some(
			(m) =>
				m.author_id !== user.id &&
				(!lastRead || (parseTimestamp(m.created_at)?.getTime() ?? 0) > lastRead.getTime())
		),
		attachable: attachable.map((d) => ({
			id: d.id,
			name: d.name,
			size: d.size_bytes,
			folder: d.folder?.name ?? null
		})),
		attachableCapped: attachable.length >= ATTACHABLE_LIMIT
	};
};

/**
 * An author's name as the page shows it. Clients cannot read the profiles of staff who do
 * not serve them, so an author they cannot see is, as far as they know, our team; staff see
 * everyone but former members.
 */
function authorName(
	message: { author_id: string | null; author: EmbeddedProfile },
	userId: string,
	isStaff: boolean
): string {
	if (message.author_id === userId) return 'You';
	if (!message.author_id) return 'A former user';
	return profileName(message.author) ?? (isStaff ? 'A former member' : 'Our team');
}

/** What the reply form gets back: why it was refused, or that it was sent. */
interface ReplyForm {
	message?: string;
	sent?: string;
	values?: { body: string; internal: boolean; documents: string[] };
	errors?: FieldErrors<typeof replySchema> & { documents?: string[] };
}
const replyForm = (form: ReplyForm) => form;

export const actions = {
	/** A reply, with attachments, or (staff) an internal note: send_message, all or nothing. */
	send: async (event) => {
		const { access } = await requireAccount(event);
		const threadId = threadIdOf(event);

		let formData: FormData;
		try {
			formData = await event.request.formData();
		} catch {
			error(400, 'This form could not be read. Reload the page and try again.');
		}
		const form = parseFormData(replySchema, formData);
		const attachments = attachmentsSchema.safeParse(
			formData.getAll('document').filter((value) => typeof value === 'string')
		);
		const values = {
			body: form.input.body ?? '',
			internal: form.input.internal === 'on',
			documents: attachments.success ? attachments.data : []
		};
		if (!access.canWrite) {
			return fail(403, { reply: replyForm({ message: REFUSED.message, values }) });
		}
		if (!form.data || !attachments.success) {
			return fail(400, {
				reply: replyForm({
					errors: {
						...form.errors,
						documents: attachments.success
							? undefined
							: [attachments.error.issues[0]?.message ?? 'Choose attachments from the list']
					},
					values
				})
			});
		}
		if (form.data.internal && !access.isStaff) {
			return fail(403, { reply: replyForm({ message: REFUSED['internal note'], values }) });
		}

		const { error: sendError } = await event.locals.supabase.rpc('send_message', {
			p_thread_id: threadId,
			p_body: form.data.body,
			p_document_ids: attachments.data,
			p_internal: form.data.internal
		});
		if (sendError) {
			const failure = messageWriteFailure(
				sendError,
				form.data.internal ? 'internal note' : 'message'
			);
			const attachmentProblem = sendError.message === 'attachment_not_found';
			return fail(failure.status, {
				reply: replyForm({
					errors: attachmentProblem ? { documents: [failure.message] } : undefined,
					message: failure.message,
					values
				})
			});
		}
		return {
			reply: replyForm({ sent: form.data.internal ? 'Internal note added.' : 'Message sent.' })
		};
	},

	/**
	 * Marks the thread read up to the newest message the page showed (not "now": a message
	 * that arrives meanwhile stays unread). A read mark only ever moves forward.
	 */
	read: async (event) => {
		const { user, account } = await requireAccount(event);
		const threadId = threadIdOf(event);
		const form = await parseForm(readSchema, event.request);
		if (!form.data) return fail(400, { read: false });
		const { supabase } = event.locals;

		const { data: message, error: messageError } = await supabase
			.from('messages')
			.select('created_at')
			.eq('id', form.data.message)
			.eq('thread_id', threadId)
			.eq('account_id', account.id)
			.maybeSingle();
		if (messageError) {
			console.error('[messages] marking read failed', messageError);
			return fail(503, { read: false });
		}
		if (!message) return fail(404, { read: false });

		const updated = await supabase
			.from('thread_reads')
			.update({ last_read_at: message.created_at })
			.eq('thread_id', threadId)
			.eq('user_id', user.id)
			.lt('last_read_at', message.created_at)
			.select('thread_id');
		if (updated.error) {
			console.error('[messages] marking read failed', updated.error);
			return fail(503, { read: false });
		}
		if (updated.data.length === 0) {
			// No mark yet, or one already as far: a duplicate key means the latter.
			const inserted = await supabase
				.from('thread_reads')
				.insert({ thread_id: threadId, account_id: account.id, last_read_at: message.created_at });
			if (inserted.error && inserted.error.code !== '23505') {
				console.error('[messages] marking read failed', inserted.error);
				return fail(503, { read: false });
			}
		}
		return { read: true };
	}
} satisfies Actions;
