/**
 * The notification email worker (`npm run worker`, scripts/worker.ts): drains
 * private.email_deliveries through the worker_* functions of the notifications migration,
 * with the project's secret key (service_role; the only role that may call them).
 *
 * Each tick: gather due digests (worker_plan_digests), lease a batch (worker_claim_emails:
 * SKIP LOCKED, so any number of workers share the queue), send each over SMTP, then mark
 * it sent (worker_complete_email) or failed (worker_fail_email: retried with backoff, or
 * given up on a 5xx). Runs in plain Node: relative `.ts` imports, no SvelteKit modules.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '../database.types.ts';
import { brandMail, type MailBranding } from '../mail/brand-mail.ts';
import { smtpTransport } from '../mail/smtp.ts';
import { notificationEmail, type ClaimedDelivery } from './emails.ts';

export interface WorkerOptions {
	supabaseUrl: string;
	secretKey: string;
	smtpUrl: string;
	mailFrom: string;
	/** The portal's origin: links, the logo and the Message-ID's host. */
	siteUrl: string;
	/** The local MailDev's base URL, to settle in-doubt deliveries (development only). */
	sentCheckUrl?: string;
	batchSize?: number;
	/** Emails sent at the same time, each on its own SMTP connection (default 4). */
	concurrency?: number;
	pollMs?: number;
	leaseSeconds?: number;
	/** Stop once the queue is empty instead of polling. */
	drain?: boolean;
	/** Test-only fault injection: SIGKILL right after the k-th accepted send, before marking it. */
	crashAfterSends?: number;
	log?: (line: string) => void;
}

type Service = SupabaseClient<Database>;

const BRANDING_TTL_MS = 60_000;

/**
 * A refusal of this email that will not change on a retry: a 5xx to its sender, recipient or
 * content. A 4xx, a network error or a 5xx to the login (wrong SMTP credentials: every email
 * would fail alike until someone fixes the settings) is retried with backoff.
 */
export function isPermanent(error: unknown): boolean {
	const { responseCode, command } = (error ?? {}) as { responseCode?: unknown; command?: unknown };
	if (typeof responseCode !== 'number' || responseCode < 500 || responseCode >= 600) return false;
	return !/^(AUTH|CONN|EHLO|HELO|STARTTLS)/i.test(typeof command === 'string' ? command : '');
}

export function createWorker(options: WorkerOptions) {
	const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
	const batchSize = options.batchSize ?? 20;
	const concurrency = options.concurrency ?? 4;
	const pollMs = options.pollMs ?? 2000;
	const leaseSeconds = options.leaseSeconds ?? 120;
	const log = options.log ?? ((line: string) => console.log(line));
	const siteUrl = options.siteUrl.replace(/\/+$/, '');
	const supabase: Service = createClient<Database>(options.supabaseUrl, options.secretKey, {
		auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false }
	});
	const transport = smtpTransport(options.smtpUrl, concurrency);

	let stopping = false;
	let wake: (() => void) | null = null;
	let accepted = 0;
	let branding: { value: MailBranding | null; readAt: number } | null = null;

	let brandingRead: Promise<MailBranding | null> | null = null;

	/** The branding, read at most once a minute (and once for emails sent side by side). */
	function currentBranding(): Promise<MailBranding | null> {
		if (branding && Date.now() - branding.readAt < BRANDING_TTL_MS) {
			return Promise.resolve(branding.value);
		}
		brandingRead ??= readBranding().finally(() => (brandingRead = null));
		return brandingRead;
	}

	async function readBranding(): Promise<MailBranding | null> {
		const { data, error } = await supabase
			.from('branding')
			.select('business_name, primary_color, logo_path, updated_at')
			.maybeSingle();
		if (error) {
			// A missing logo or colour never holds up an email: send unbranded, try again later.
			log(`[worker] reading the branding failed (${error.message}); sending unbranded`);
			branding = { value: branding?.value ?? null, readAt: Date.now() };
			return branding.value;
		}
		const value: MailBranding | null = data && {
			name: data.business_name,
			color: data.primary_color,
			updatedAt: data.updated_at,
			logoUrl: data.logo_path
				? `${siteUrl}/brand/logo?v=${Date.parse(data.updated_at ?? '') || 0}`
				: null
		};
		branding = { value, readAt: Date.now() };
		return value;
	}

	/** Whether the local catcher already holds a mail with this Message-ID. */
	async function alreadyCaught(messageId: string): Promise<boolean> {
		const url = new URL('/api/email', options.sentCheckUrl);
		// MailDev filters its list by any field of the stored mail, dotted.
		url.searchParams.set('headers.message-id', messageId);
		const response = await fetch(url);
		if (!response.ok) throw new Error(`MailDev answered ${response.status}`);
		const mails = (await response.json()) as unknown[];
		return mails.length > 0;
	}

	type Outcome = 'sent' | 'failed' | 'confirmed' | 'lost' | 'unmarked';

	async function deliver(row: ClaimedDelivery & { in_doubt: boolean }): Promise<Outcome> {
		const email = notificationEmail(row, siteUrl);
		try {
			// In doubt: a worker died after the SMTP server accepted this email and before it
			// was marked sent, so the mail may already be out. Exactly-once over SMTP needs the
			// receiver's help: with a catcher we can ask (the local MailDev) we look the
			// Message-ID up and only mark it sent; elsewhere we send again with the same
			// Message-ID, which receivers such as Gmail use to drop the duplicate. Resending
			// risks a second copy at a receiver that does not; not resending would risk losing
			// the email, which is worse for "your approval is needed".
			if (row.in_doubt && options.sentCheckUrl && (await alreadyCaught(email.messageId))) {
				return (await complete(row.delivery_id)) ? 'confirmed' : 'lost';
			}
			const { messageId, ...mail } = email;
			await transport.sendMail({
				...brandMail(mail, await currentBranding(), options.mailFrom),
				messageId
			});
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			const { error: failError } = await supabase.rpc('worker_fail_email', {
				p_delivery_id: row.delivery_id,
				p_worker: workerId,
				p_error: message,
				p_permanent: isPermanent(error)
			});
			if (failError) log(`[worker] marking ${row.delivery_id} failed: ${failError.message}`);
			log(`[worker] ${row.delivery_id} to ${row.email} failed: ${message}`);
			return 'failed';
		}
		accepted += 1;
		if (options.crashAfterSends && accepted >= options.crashAfterSends) {
			// Fault injection for the tests: die between the SMTP acceptance and the mark.
			process.kill(process.pid, 'SIGKILL');
		}
		return (await complete(row.delivery_id)) ? 'sent' : 'lost';
	}

	/** Marks a delivery sent; false if the lease ran out and another worker took it. */
	async function complete(deliveryId: string): Promise<boolean> {
		const { data, error } = await supabase.rpc('worker_complete_email', {
			p_delivery_id: deliveryId,
			p_worker: workerId
		});
		if (error) throw new Error(`worker_complete_email failed: ${error.message}`);
		return data === true;
	}

	/** One tick; returns whether it found work. */
	async function tick(): Promise<boolean> {
		const planned = await supabase.rpc('worker_plan_digests', {});
		if (planned.error) throw new Error(`worker_plan_digests failed: ${planned.error.message}`);
		const claimed = await supabase.rpc('worker_claim_emails', {
			p_worker: workerId,
			p_limit: batchSize,
			p_lease_seconds: leaseSeconds
		});
		if (claimed.error) throw new Error(`worker_claim_emails failed: ${claimed.error.message}`);
		const rows = claimed.data;
		if (rows.length === 0) return (planned.data ?? 0) > 0;

		const counts: Record<Outcome, number> = {
			sent: 0,
			failed: 0,
			confirmed: 0,
			lost: 0,
			unmarked: 0
		};
		let inDoubt = 0;
		let released = 0;
		// A few emails at once (one SMTP connection each): one at a time, the round trips to
		// the SMTP server and the database leave both idle most of the time.
		let next = 0;
		const lane = async () => {
			while (next < rows.length) {
				await handle(rows[next++]!);
			}
		};
		const handle = async (row: (typeof rows)[number]) => {
			if (stopping) {
				// On SIGTERM the emails in hand are finished; the rest of the batch goes back to the
				// queue now (never sent) instead of waiting for its lease to run out.
				await supabase.rpc('worker_release_email', {
					p_delivery_id: row.delivery_id,
					p_worker: workerId
				});
				released += 1;
				return;
			}
			if (row.in_doubt) inDoubt += 1;
			try {
				counts[await deliver(row)] += 1;
			} catch (error) {
				// Sent but not marked (the database did not answer): it stays leased and comes
				// back in doubt once the lease runs out.
				log(`[worker] ${row.delivery_id}: ${(error as Error).message}`);
				counts.unmarked += 1;
			}
		};
		await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, lane));
		log(
			`[worker] batch of ${rows.length}: ${counts.sent} sent, ${counts.failed} failed, ` +
				`${inDoubt} in doubt (${counts.confirmed} already delivered)` +
				(counts.lost ? `, ${counts.lost} lost their lease` : '') +
				(counts.unmarked ? `, ${counts.unmarked} sent but not marked` : '') +
				(released ? `, ${released} released on stop` : '')
		);
		return true;
	}

	async function run(): Promise<void> {
		log(`[worker] ${workerId} started${options.drain ? ' (drain)' : ''}`);
		try {
			while (!stopping) {
				let busy: boolean;
				try {
					busy = await tick();
				} catch (error) {
					if (options.drain) throw error;
					log(`[worker] ${(error as Error).message}; trying again in ${pollMs} ms`);
					busy = false;
				}
				if (!busy && options.drain) break;
				if (!busy && !stopping) {
					await new Promise<void>((resolve) => {
						const timer = setTimeout(resolve, pollMs);
						wake = () => {
							clearTimeout(timer);
							resolve();
						};
					});
					wake = null;
				}
			}
		} finally {
			transport.close();
		}
		log(`[worker] ${workerId} stopped`);
	}

	return {
		id: workerId,
		run,
		/** Finishes the emails in hand, then run() resolves. */
		stop() {
			stopping = true;
			wake?.();
		}
	};
}
