import type { PostgrestError } from '@supabase/supabase-js';

/** Billing users handle finances only: no conversations. */
export const NO_MESSAGES_FOR_BILLING = (accountName: string) =>
	`Your billing role in ${accountName} covers its finances only: conversations are shared with the account’s owners, members and viewers. Ask an owner if you need them.`;

/** What each kind of write needs, for someone whose role does not allow it. */
export const REFUSED = {
	conversation: 'Your role in this account can read conversations but not start them.',
	message: 'Your role in this account can read this conversation but not reply to it.',
	'internal note': 'Only staff serving this account can add internal notes.'
} as const;

/**
 * A refused message or conversation, in words. The messages are worded here, not taken from
 * the error's hint alone: the local stack drops hints on some errors.
 */
export function messageWriteFailure(
	err: PostgrestError | null,
	what: 'message' | 'internal note' | 'conversation'
): { status: number; message: string } {
	switch (err?.message) {
		case 'attachment_not_found':
			return {
				status: 400,
				message:
					err.hint ??
					'An attached document is not in this account, or was deleted. Choose it again.'
			};
		case 'thread_not_found':
			return { status: 404, message: 'This conversation no longer exists.' };
	}
	if (err?.code === '42501') {
		return { status: 403, message: REFUSED[what] };
	}
	if (err?.code === '23514') {
		return { status: 400, message: 'The subject or the message is empty or too long.' };
	}
	console.error(`[messages] saving a ${what} failed`, err);
	return {
		status: 503,
		message: `The ${what} could not be sent. Please try again.`
	};
}
