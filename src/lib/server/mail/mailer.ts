import { MAIL_FROM, SMTP_URL } from '$app/env/private';
import type { Transporter } from 'nodemailer';
import { smtpTransport } from '../../mail/smtp';
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
	transporter ??= smtpTransport(SMTP_URL);
	return transporter;
}

/**
 * Sends one email in the business's branding (./branding.ts: From name, HTML layout, brand
 * colour); rejects if the SMTP server does not accept it.
 */
export async function sendMail(mail: Mail): Promise<void> {
	await transport().sendMail(brandMail(mail, await currentMailBranding(), MAIL_FROM));
}
