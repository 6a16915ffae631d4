import { DEFAULT_PRIMARY_COLOR } from '../../branding/contrast';
import { roleLabel } from '../../format';
import { escapeHtml } from '../../mail/brand-mail';
import type { Mail } from './mailer';

export interface InvitationEmail {
	to: string;
	kind: 'client' | 'staff';
	/** The client account's name (client invitations). */
	accountName: string | null;
	role: string;
	inviterName: string | null;
	link: string;
	expiresAt: Date;
}

const expiryFormat = new Intl.DateTimeFormat('en-GB', {
	day: 'numeric',
	month: 'long',
	year: 'numeric',
	hour: '2-digit',
	minute: '2-digit',
	timeZone: 'UTC',
	timeZoneName: 'short'
});

/**
 * The invitation email, as plain text and HTML. Names come from users: always escaped. The
 * mailer puts it in the business's branding (./branding.ts), the button's colour included.
 */
export function invitationEmail(invitation: InvitationEmail): Mail {
	const who = invitation.inviterName?.trim() || 'Someone';
	const where =
		invitation.kind === 'staff'
			? 'the staff team of the client portal'
			: `${invitation.accountName ?? 'an account'} on the client portal`;
	const role = roleLabel(invitation.role);
	const expires = expiryFormat.format(invitation.expiresAt);
	const subject =
		invitation.kind === 'staff'
			? 'You are invited to join the client portal staff'
			: `You are invited to ${invitation.accountName ?? 'a client account'}`;

	const text = [
		`${who} invited you to join ${where} as ${role}.`,
		'',
		'Accept the invitation:',
		invitation.link,
		'',
		`The link works once and expires on ${expires}.`,
		'If you did not expect this email, you can ignore it.'
	].join('\n');

	const html = `<!doctype html>
<html lang="en">
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2328">
<p>${escapeHtml(who)} invited you to join ${escapeHtml(where)} as <strong>${escapeHtml(role)}</strong>.</p>
<p><a href="${escapeHtml(invitation.link)}" style="display: inline-block; padding: 0.6em 1.2em; background: ${DEFAULT_PRIMARY_COLOR}; color: #ffffff; text-decoration: none; border-radius: 6px">Accept the invitation</a></p>
<p>Or paste this link into your browser:<br>${escapeHtml(invitation.link)}</p>
<p>The link works once and expires on ${escapeHtml(expires)}. If you did not expect this email, you can ignore it.</p>
</body>
</html>`;

	return { to: invitation.to, subject, text, html };
}
