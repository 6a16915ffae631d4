import nodemailer, { type Transporter } from 'nodemailer';

/**
 * nodemailer over SMTP_URL, for the app's emails (src/lib/server/mail/mailer.ts) and the
 * notification worker's: `smtps://` is TLS from the start, `smtp://` must offer STARTTLS
 * unless the server is on this machine. Plain Node (no SvelteKit imports): the worker runs
 * outside the app.
 */
export function smtpTransport(smtpUrl: string, connections = 1): Transporter {
	const url = new URL(smtpUrl);
	const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
	return nodemailer.createTransport({
		host: url.hostname.replace(/^\[|\]$/g, ''),
		port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
		secure: url.protocol === 'smtps:',
		// Credentials never cross a network in clear text: plain SMTP is only accepted on
		// this machine (the local mail catcher); anywhere else STARTTLS is required.
		requireTLS: url.protocol === 'smtp:' && !loopback,
		auth: url.username
			? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
			: undefined,
		// Connections reused across emails instead of a handshake per email.
		pool: true,
		maxConnections: connections,
		connectionTimeout: 10_000,
		greetingTimeout: 10_000,
		socketTimeout: 20_000
	});
}
