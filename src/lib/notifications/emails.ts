/**
 * The notification emails: one claimed delivery (a row of public.worker_claim_emails) becomes
 * one email. An immediate delivery tells of one notification; a daily or weekly one is a
 * digest of several, grouped by account, oldest first. Each item is the sentence and the
 * link describe.ts gives (titles and names only: never a message's body or a file's
 * contents), and each email ends with a link to the preferences and an unsubscribe link
 * (also in the List-Unsubscribe header) whose page turns the emails off with one button, no
 * sign-in. RFC 8058's automatic POST is not offered: SvelteKit refuses a cross-site form post
 * (its origin check), and a GET that unsubscribed would be triggered by link scanners.
 *
 * Pure, with relative `.ts` imports: the worker runs in plain Node (`npm run worker`).
 */
import { escapeHtml, type Mail } from '../mail/brand-mail.ts';
import { describeNotification, type Description } from './describe.ts';

/** One row of worker_claim_emails, as the worker receives it. */
export interface ClaimedDelivery {
	delivery_id: string;
	kind: string;
	email: string;
	display_name: string | null;
	unsubscribe_token: string;
	/** The notifications it carries: {id, kind, account_id, subject_id, details, created_at}. */
	items: unknown;
}

interface Item {
	id: number;
	kind: string;
	account_id: string | null;
	subject_id: string | null;
	details: unknown;
	created_at: string;
}

export interface NotificationEmail extends Mail {
	/** `<delivery_id@site host>`: the same on every attempt, so receivers can drop repeats. */
	messageId: string;
	headers: Record<string, string>;
}

/** The Message-ID of a delivery: its idempotency key. */
export function messageIdFor(deliveryId: string, siteUrl: string): string {
	return `<${deliveryId}@${new URL(siteUrl).hostname}>`;
}

function itemsOf(delivery: ClaimedDelivery): Item[] {
	const items = Array.isArray(delivery.items) ? (delivery.items as Item[]) : [];
	// The database orders them already; sorting again keeps "newest last" true for any caller.
	return [...items].sort(
		(a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id
	);
}

interface Line extends Description {
	url: string;
}

/** Items in groups by account, in the order each account first appears (oldest first). */
function byAccount(lines: Line[]): { accountName: string | null; lines: Line[] }[] {
	const groups = new Map<string, { accountName: string | null; lines: Line[] }>();
	for (const line of lines) {
		const key = line.accountName ?? '';
		const group = groups.get(key) ?? { accountName: line.accountName, lines: [] };
		group.lines.push(line);
		groups.set(key, group);
	}
	return [...groups.values()];
}

const BUTTON =
	'display: inline-block; padding: 10px 16px; border-radius: 6px; background: #1d4ed8; color: #ffffff; text-decoration: none; font-weight: 600';

/** The email for one claimed delivery; siteUrl is the portal's origin (no trailing slash). */
export function notificationEmail(delivery: ClaimedDelivery, siteUrl: string): NotificationEmail {
	const site = siteUrl.replace(/\/+$/, '');
	const items = itemsOf(delivery);
	const lines: Line[] = items.map((item) => {
		const description = describeNotification(item);
		return { ...description, url: `${site}${description.path}` };
	});
	const digest = delivery.kind !== 'immediate';
	const first = lines[0];
	// An immediate email turns off its own kind; a digest may carry any kind, so it turns off all.
	const unsubscribeUrl =
		!digest && items[0]
			? `${site}/unsubscribe/${delivery.unsubscribe_token}?kind=${encodeURIComponent(items[0].kind)}`
			: `${site}/unsubscribe/${delivery.unsubscribe_token}`;
	const settingsUrl = `${site}/settings/notifications`;

	const period = delivery.kind === 'weekly' ? 'weekly' : 'daily';
	const count = `${lines.length} ${lines.length === 1 ? 'update' : 'updates'}`;
	const subject = digest
		? `Your ${period} summary: ${count}`
		: first
			? first.accountName
				? `${first.text} (${first.accountName})`
				: first.text
			: 'An update in your client portal';
	const greeting = delivery.display_name?.trim()
		? `Hello ${delivery.display_name.trim()},`
		: 'Hello,';
	const intro = digest
		? `Here is what happened in your client portal since your last ${period} summary.`
		: 'There is news in your client portal.';
	const why = digest
		? `You get this summary because you chose ${period} emails for these updates.`
		: 'You get this email because you chose to hear of this at once.';

	const textGroups = byAccount(lines).map((group) =>
		[
			...(group.accountName ? [group.accountName, ''] : []),
			...group.lines.map((line) => `- ${line.text}\n  ${line.url}`)
		].join('\n')
	);
	const text = [
		greeting,
		'',
		intro,
		'',
		textGroups.join('\n\n'),
		'',
		why,
		`Choose what you hear about: ${settingsUrl}`,
		`Unsubscribe: ${unsubscribeUrl}`,
		''
	].join('\n');

	const htmlGroups = byAccount(lines)
		.map((group) => {
			const items = group.lines
				.map(
					(line) =>
						`<li style="margin-bottom: 8px">${escapeHtml(line.text)}<br><a href="${escapeHtml(line.url)}" style="color: #1d4ed8">Open in the portal</a></li>`
				)
				.join('\n');
			const heading = group.accountName
				? `<h2 style="font-size: 16px; margin: 16px 0 8px">${escapeHtml(group.accountName)}</h2>\n`
				: '';
			return `${heading}<ul style="padding-left: 20px; margin: 0">\n${items}\n</ul>`;
		})
		.join('\n');
	const button =
		!digest && first
			? `<p><a href="${escapeHtml(first.url)}" style="${BUTTON}">Open in the portal</a></p>\n`
			: '';
	const html = `<!doctype html>
<html lang="en">
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2328">
<p>${escapeHtml(greeting)}</p>
<p>${escapeHtml(intro)}</p>
${htmlGroups}
${button}<p style="font-size: 13px; color: #4b5563">${escapeHtml(why)} <a href="${escapeHtml(settingsUrl)}" style="color: #1d4ed8">Choose what you hear about</a> · <a href="${escapeHtml(unsubscribeUrl)}" style="color: #1d4ed8">Unsubscribe</a></p>
</body>
</html>`;

	return {
		to: delivery.email,
		subject,
		text,
		html,
		messageId: messageIdFor(delivery.delivery_id, site),
		headers: {
			'List-Unsubscribe': `<${unsubscribeUrl}>`,
			// Not a reply-worthy conversation; auto-responders stay quiet.
			'Auto-Submitted': 'auto-generated'
		}
	};
}
