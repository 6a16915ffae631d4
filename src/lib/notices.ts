/**
 * One-off confirmations passed in the URL (`?notice=password-updated`) after a redirect.
 * Only these fixed texts are shown, never text taken from the URL.
 */
const notices = {
	'password-updated': 'Your password has been changed.',
	'left-account': 'You have left the account.',
	'invitation-accepted': 'Invitation accepted. Welcome!'
} as const;

export type NoticeCode = keyof typeof notices;

export function noticeText(code: string | null): string | null {
	return code !== null && Object.hasOwn(notices, code) ? notices[code as NoticeCode] : null;
}
