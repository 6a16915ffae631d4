/**
 * Sends the notification emails (src/lib/notifications/worker.ts): runs until stopped, or
 * with --drain until the queue is empty.
 *
 *   npm run worker                                  the local dev stack (npm run dev starts it too)
 *   SUPABASE_URL=https://<ref>.supabase.co SUPABASE_SECRET_KEY=sb_secret_… \
 *     SMTP_URL=smtp://user:pass@smtp.example.com:587 MAIL_FROM='Portal <no-reply@example.com>' \
 *     SITE_URL=https://portal.example.com npm run worker
 *
 *   --drain            exit 0 once nothing is left to send
 *   --batch N          deliveries leased per round trip (default 20)
 *   --poll-ms N        wait between empty polls (default 2000)
 *   --lease-seconds N  how long a leased delivery is this worker's (default 120)
 *   --concurrency N    emails sent at once, one SMTP connection each (default 4)
 *
 * MAIL_SENT_CHECK_URL: a MailDev base URL to settle in-doubt deliveries by looking their
 * Message-ID up (the dev inbox by default on the local stack; unset it elsewhere).
 * SIGTERM / SIGINT finish the emails in hand, then exit 0.
 */
import { createWorker } from '../src/lib/notifications/worker.ts';
import { DEV_SECRET_KEY, devStack } from './stack.ts';

/** The dev stack's mail catcher (scripts/stack.ts starts MailDev with this login). */
const DEV_SMTP_URL = `smtp://portal-dev:LOCAL-DEV-ONLY-smtp-password@127.0.0.1:${devStack.smtpPort}`;
const DEV_MAIL_FROM = 'Client Portal (local) <no-reply@portal.localhost>';
const DEV_INBOX_URL = `http://127.0.0.1:${devStack.inboxPort}`;
const USAGE =
	'Usage: npm run worker -- [--drain] [--batch N] [--poll-ms N] [--lease-seconds N] [--concurrency N]';

function fail(message: string): never {
	console.error(message);
	process.exit(1);
}

function isUrl(value: string, protocols: string[]): boolean {
	try {
		return protocols.includes(new URL(value).protocol);
	} catch {
		return false;
	}
}

function settings() {
	const args = process.argv.slice(2);
	const flags = { drain: false, batch: 20, pollMs: 2000, leaseSeconds: 120, concurrency: 4 };
	const numberFlags = {
		'--batch': ['batch', 1, 500],
		'--poll-ms': ['pollMs', 10, 600_000],
		'--lease-seconds': ['leaseSeconds', 5, 3600],
		'--concurrency': ['concurrency', 1, 32]
	} as const;
	for (let i = 0; i < args.length; i++) {
		const arg = args[i]!;
		if (arg === '--drain') {
			flags.drain = true;
			continue;
		}
		const [name, inline] = arg.split('=', 2) as [string, string | undefined];
		const spec = numberFlags[name as keyof typeof numberFlags];
		if (!spec) fail(`Unknown option "${arg}".\n${USAGE}`);
		const raw = inline ?? args[++i];
		const value = Number(raw);
		if (!Number.isInteger(value) || value < spec[1] || value > spec[2]) {
			fail(`${name} takes a whole number from ${spec[1]} to ${spec[2]}, got "${raw ?? ''}".`);
		}
		flags[spec[0]] = value;
	}

	const env = (name: string) => process.env[name]?.trim() || undefined;
	const url = env('SUPABASE_URL');
	const secretKey = env('SUPABASE_SECRET_KEY');
	// Both or neither: one without the other is a mistake, never a reason to fall back to
	// the local stack while the operator thinks they are sending a hosted project's mail.
	if (!url !== !secretKey) {
		fail('Set both SUPABASE_URL and SUPABASE_SECRET_KEY (or neither, for the local dev stack).');
	}
	const local = !url;
	const supabaseUrl = url ?? `http://127.0.0.1:${devStack.apiPort}`;
	if (!isUrl(supabaseUrl, ['http:', 'https:'])) {
		fail(`SUPABASE_URL must be an http(s) URL, got "${supabaseUrl}".`);
	}

	// Against a hosted project, nothing falls back to the dev stack's mail settings.
	const smtpUrl = env('SMTP_URL') ?? (local ? DEV_SMTP_URL : undefined);
	const mailFrom = env('MAIL_FROM') ?? (local ? DEV_MAIL_FROM : undefined);
	const siteUrl = (env('SITE_URL') ?? (local ? devStack.siteUrl : '')).replace(/\/+$/, '');
	if (!smtpUrl) fail('Set SMTP_URL (smtp://user:password@host:587 or smtps://…:465).');
	if (!isUrl(smtpUrl, ['smtp:', 'smtps:'])) {
		fail('SMTP_URL must be an smtp:// or smtps:// URL.');
	}
	if (!mailFrom || !/@/.test(mailFrom)) {
		fail('Set MAIL_FROM to the sender, e.g. "Client Portal <no-reply@example.com>".');
	}
	if (!siteUrl) fail("Set SITE_URL to the portal's address (its links point there).");
	if (!isUrl(siteUrl, ['http:', 'https:'])) {
		fail(`SITE_URL must be an http(s) URL, got "${siteUrl}".`);
	}
	const sentCheckUrl =
		env('MAIL_SENT_CHECK_URL') ?? (local && !env('SMTP_URL') ? DEV_INBOX_URL : undefined);
	if (sentCheckUrl && !isUrl(sentCheckUrl, ['http:', 'https:'])) {
		fail(`MAIL_SENT_CHECK_URL must be an http(s) URL, got "${sentCheckUrl}".`);
	}
	const crash = Number(env('WORKER_CRASH_AFTER_SENDS') ?? 0);

	return {
		supabaseUrl,
		secretKey: secretKey ?? DEV_SECRET_KEY,
		smtpUrl,
		mailFrom,
		siteUrl,
		sentCheckUrl,
		batchSize: flags.batch,
		pollMs: flags.pollMs,
		leaseSeconds: flags.leaseSeconds,
		concurrency: flags.concurrency,
		drain: flags.drain,
		crashAfterSends: Number.isInteger(crash) && crash > 0 ? crash : undefined
	};
}

const worker = createWorker(settings());
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
	process.on(signal, () => {
		console.log(`[worker] ${signal}: finishing the email in hand`);
		worker.stop();
	});
}
try {
	await worker.run();
	process.exit(0);
} catch (error) {
	fail(`[worker] stopped: ${error instanceof Error ? error.message : String(error)}`);
}
