/**
 * One-off confirmations passed in the URL (`?notice=password-updated`) after a redirect.
 * Only these fixed texts are shown, never text taken from the URL.
 */
const notices = {
	'password-updated': 'Your password has been changed.',
	'left-account': 'You have left the account.',
	'invitation-accepted': 'Invitation accepted. Welcome!',
	'account-created':
		'The account was created. Next, invite its first client below and assign staff to serve it.',
	'account-archived':
		'The account was archived. Its people keep their access; reactivate it at any time.',
	'account-reactivated': 'The account is active again.'
} as const;

export type NoticeCode = keyof typeof notices;

export function noticeText(code: string | null): string | null {
	return code !== null && Object.hasOwn(notices, code) ? notices[code as NoticeCode] : null;
}
