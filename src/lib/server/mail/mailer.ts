import { MAIL_FROM, SMTP_URL } from '$app/env/private';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Mail } from '../../mail/brand-mail';
import { brandMail, currentMailBranding } from './branding';

/**
 * The one place that holds the SMTP credentials (SMTP_URL). The portal sends its own
 * emails (invitations) over SMTP because Supabase Auth's admin API, which could send them
 * instead, needs the project's secret key and does not exist on the local stack.
 */

export type { Mail };

let transporter: Transporter | null = null;

function transport(): Transporter {
	if (!transporter) {
		const url = new URL(SMTP_URL);
		const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
		transporter = nodemailer.createTransport({
			host: url.hostname.replace(/^\[|\]$/g, ''),
			port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
			secure: url.protocol === 'smtps:',
			// Credentials never cross a network in clear text: plain SMTP is only accepted on
			// this machine (the local mail catcher); anywhere else STARTTLS is required.
			requireTLS: url.protocol === 'smtp:' && !loopback,
			auth: url.username
				? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
				: undefined,
			connectionTimeout: 10_000,
			greetingTimeout: 10_000,
			socketTimeout: 20_000
		});
	}
	return transporter;
}

/**
 * Sends one email in the business's branding (./branding.ts: From name, HTML layout, brand
 * colour); rejects if the SMTP server does not accept it.
 */
export async function sendMail(mail: Mail): Promise<void> {
	await transport().sendMail(brandMail(mail, await currentMailBranding(), MAIL_FROM));
}
