import { formatDay } from '../../format';
import { escapeHtml } from '../../mail/brand-mail';
import type { Mail } from './mailer';

export interface ApprovalReminderEmail {
	to: string;
	/** The approver's name, if they gave one. */
	approverName: string | null;
	accountName: string;
	/** The approval's title (staff wrote it): escaped in the HTML. */
	title: string;
	/** The decision's due date ('2026-12-31'), if any. */
	dueOn: string | null;
	/** The staff member who sent the reminder. */
	senderName: string | null;
	/** The approval's page in the portal. */
	link: string;
}

/**
 * A reminder that an approval waits for this person's decision, as plain text and HTML. It
 * names the approval and links to its page; the document itself stays in the portal, behind
 * the sign-in (no file, no file contents in the email).
 */
export function approvalReminderEmail(reminder: ApprovalReminderEmail): Mail {
	const greeting = reminder.approverName?.trim()
		? `Hello ${reminder.approverName.trim()},`
		: 'Hello,';
	const who = reminder.senderName?.trim() || 'Your project team';
	const due = reminder.dueOn ? formatDay(reminder.dueOn) : '';
	// One line: a title may hold line breaks, a subject header may not.
	const subject = `Reminder: your approval is needed for “${reminder.title.replace(/\s+/g, ' ')}”`;
	const asks = `${who} is waiting for your decision on “${reminder.title}” for ${reminder.accountName}.`;
	const when = due ? `The decision is due on ${due}.` : '';

	const text = [
		greeting,
		'',
		asks,
		...(when ? [when] : []),
		'',
		'Look at the document and approve it, or request changes:',
		reminder.link,
		'',
		'You will be asked to sign in first. If you have already decided, you can ignore this email.'
	].join('\n');

	const html = `<!doctype html>
<html lang="en">
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2328">
<p>${escapeHtml(greeting)}</p>
<p>${escapeHtml(who)} is waiting for your decision on <strong>${escapeHtml(reminder.title)}</strong> for ${escapeHtml(reminder.accountName)}.${when ? ` ${escapeHtml(when)}` : ''}</p>
<p><a href="${escapeHtml(reminder.link)}" style="display: inline-block; padding: 0.6em 1.2em; background: #1d4ed8; color: #ffffff; text-decoration: none; border-radius: 6px">Review and decide</a></p>
<p>Or paste this link into your browser:<br>${escapeHtml(reminder.link)}</p>
<p>You will be asked to sign in first. If you have already decided, you can ignore this email.</p>
</body>
</html>`;

	return { to: reminder.to, subject, text, html };
}
