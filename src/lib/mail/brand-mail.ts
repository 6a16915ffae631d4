/**
 * Every email wears the business's branding, applied here and not in each template: the
 * From name is the business name, and the HTML sits in one layout with the name, the logo
 * and the brand colour; the plain-text part gets the name as a signature.
 *
 * Templates write a whole HTML document or just its body, and draw their links and buttons
 * in DEFAULT_PRIMARY_COLOR (#1d4ed8): the layout puts the brand colour in its place. Any
 * brand colour carries white text at 4.5:1 (the database checks), as the default does.
 *
 * Pure and without SvelteKit imports: the app (src/lib/server/mail) and the notification
 * worker, which runs in plain Node (`npm run worker`), share it.
 */

/** Copied from ../branding (whose extensionless imports plain Node cannot follow). */
const DEFAULT_PRIMARY_COLOR = '#1d4ed8';
const DEFAULT_BUSINESS_NAME = 'Client Portal';

export interface Mail {
	to: string;
	subject: string;
	text: string;
	html: string;
}

export interface MailBranding {
	name: string;
	/** `#rrggbb` */
	color: string;
	updatedAt: string | null;
	/** Absolute URL of the logo, or null without one (or without a known origin). */
	logoUrl: string | null;
}

/** The message as nodemailer takes it. */
export type BrandedMail<M extends Mail = Mail> = M & {
	from: string | { name: string; address: string };
};

export const escapeHtml = (text: string) =>
	text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The address part of MAIL_FROM (`Name <address>` or a bare address). */
export function fromAddress(mailFrom: string): string {
	return /<([^<>]+)>\s*$/.exec(mailFrom)?.[1]?.trim() ?? mailFrom.trim();
}

/** The body of an HTML document, or the text itself if it is only a fragment. */
function bodyOf(html: string): string {
	return /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1]?.trim() ?? html;
}

/**
 * A mail in the business's branding; without branding, as it was, from MAIL_FROM. Other
 * fields of the mail (headers, a Message-ID) pass through untouched.
 */
export function brandMail<M extends Mail>(
	mail: M,
	branding: MailBranding | null,
	mailFrom: string
): BrandedMail<M> {
	if (!branding) return { ...mail, from: mailFrom };
	// A name is one line in a header; nodemailer encodes the rest.
	const name = branding.name.replace(/[\r\n\t]+/g, ' ').trim() || DEFAULT_BUSINESS_NAME;
	return {
		...mail,
		from: { name, address: fromAddress(mailFrom) },
		text: `${mail.text.trimEnd()}\n\n— ${name}\n`,
		html: brandedLayout(mail, branding, name)
	};
}

function brandedLayout(mail: Mail, branding: MailBranding, name: string): string {
	const color = /^#[0-9a-f]{6}$/.test(branding.color) ? branding.color : DEFAULT_PRIMARY_COLOR;
	const content = bodyOf(mail.html).replaceAll(new RegExp(DEFAULT_PRIMARY_COLOR, 'gi'), color);
	const logo = branding.logoUrl
		? `<img src="${escapeHtml(branding.logoUrl)}" alt="" height="40" style="height: 40px; width: auto; vertical-align: middle; margin-right: 12px; border: 0">`
		: '';
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(mail.subject)}</title>
<style>a { color: ${color}; }</style>
</head>
<body style="margin: 0; padding: 0; background: #f5f6f8; font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2328">
<div style="max-width: 600px; margin: 0 auto; padding: 24px 16px">
<div style="padding-bottom: 12px; margin-bottom: 24px; border-bottom: 4px solid ${color}">
${logo}<span style="font-size: 20px; font-weight: 700; color: #1f2328; vertical-align: middle">${escapeHtml(name)}</span>
</div>
<div style="background: #ffffff; padding: 24px; border-radius: 8px">
${content}
</div>
<p style="margin-top: 16px; font-size: 13px; color: #4b5563">Sent by ${escapeHtml(name)} through its client portal.</p>
</div>
</body>
</html>`;
}
