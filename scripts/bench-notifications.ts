/**
 * How fast the notification worker empties its queue into the local mail catcher, and how
 * long a change waits for its email.
 *
 *   npm run bench:notifications                        300 messages by Sam in Acme, one worker
 *   npm run bench:notifications -- --events 1000 --workers 3
 *
 * Starts a throwaway stack of its own (.local/bench-notifications, ports 24380-24385, removed
 * at the end) and measures twice (each message tells Olivia, Mark, Vera and Nina: 4 emails):
 *   backlog  the events are made first, then the workers drain the queue: throughput;
 *   live     the workers poll (every 2 s) while the events are made: the delay people see.
 * The delay runs from the notification's created_at to MailDev's arrival time (MailDev keeps
 * whole seconds: read it as ±1 s); in the backlog run it includes the wait for the workers.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { createClient } from '@supabase/supabase-js';
import type { Database } from '../src/lib/database.types.ts';
import { DEV_PUBLISHABLE_KEY, DEV_SECRET_KEY, root, startStack } from './stack.ts';

const ACME = '10000000-0000-4000-8000-00000000ac01';
/** Who hears of a message by Sam in Acme. */
const RECIPIENTS = [
	'olivia@acme.example.com',
	'mark@acme.example.com',
	'vera@acme.example.com',
	'nina@consultant.example.com'
];

function option(name: string, fallback: number): number {
	const index = process.argv.indexOf(name);
	if (index === -1) return fallback;
	const value = Number(process.argv[index + 1]);
	if (!Number.isInteger(value) || value < 1) {
		console.error(`${name} takes a whole number above 0.`);
		process.exit(1);
	}
	return value;
}

const events = option('--events', 300);
const workers = option('--workers', 1);
const batch = option('--batch', 20);

const stack = await startStack({
	name: 'bench-notifications',
	apiPort: 24380,
	inboxPort: 24384,
	smtpPort: 24385,
	siteUrl: 'http://127.0.0.1:24383',
	reset: true,
	log: 'file'
});

const workerEnv = {
	...process.env,
	...stack.appEnv,
	SUPABASE_URL: stack.apiUrl,
	SUPABASE_SECRET_KEY: DEV_SECRET_KEY,
	SITE_URL: 'http://127.0.0.1:24383',
	MAIL_SENT_CHECK_URL: stack.inboxUrl
};

interface Mail {
	subject: string;
	time: string;
	to: { address: string }[];
}

try {
	const sam = await signedIn('sam@staff.example.com');
	const readers = await Promise.all(RECIPIENTS.map(signedIn));

	// The seed's own events (demo documents) are sent first, outside the measurement.
	await Promise.all(startWorkers(1, true).map((w) => w.done));

	const rows = [
		await scenario('backlog', `Backlog ${Date.now()}`),
		await scenario('live', `Live ${Date.now()}`)
	];
	console.table(Object.fromEntries(rows.map(({ name, ...row }) => [name, row])));
	if (rows.some((row) => row['emails delivered'] !== row['emails expected'])) process.exitCode = 1;

	/**
	 * backlog: the events are made first, then the workers drain them (throughput).
	 * live: the workers poll (every 2 s, the default) while the events are made (latency).
	 */
	async function scenario(name: 'backlog' | 'live', subject: string) {
		const live = name === 'live' ? startWorkers(workers, false) : [];
		console.log(`${name}: ${events} messages by Sam in Acme, ${workers} worker(s)…`);
		const started = performance.now();
		const thread = await sam.rpc('start_thread', {
			p_account_id: ACME,
			p_subject: subject,
			p_body: 'Message 1'
		});
		if (thread.error) throw new Error(`start_thread failed: ${thread.error.message}`);
		for (let i = 2; i <= events; i++) {
			const sent = await sam.rpc('send_message', {
				p_thread_id: thread.data,
				p_body: `Message ${i}`
			});
			if (sent.error) throw new Error(`send_message failed: ${sent.error.message}`);
		}
		const createSeconds = (performance.now() - started) / 1000;

		// Each recipient reads their own notifications (the secret key has no grant on the table).
		const madeAt = new Map<string, number[]>();
		for (const [i, reader] of readers.entries()) {
			const { data, error } = await reader
				.from('notifications')
				.select('created_at')
				.eq('subject_id', thread.data)
				.eq('email_frequency', 'immediate');
			if (error) throw new Error(`reading notifications failed: ${error.message}`);
			madeAt.set(
				RECIPIENTS[i]!,
				data.map((n) => Date.parse(n.created_at)).sort((a, b) => a - b)
			);
		}
		const expected = [...madeAt.values()].reduce((n, list) => n + list.length, 0);

		const sendStarted = performance.now();
		if (name === 'backlog') await Promise.all(startWorkers(workers, true).map((w) => w.done));
		// Polled by count (a small answer), so that watching does not slow the catcher down.
		const deadline = Date.now() + 120_000;
		while ((await caught(subject)) < expected && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 250));
		}
		const sendSeconds = (performance.now() - sendStarted) / 1000;
		const mails = (await inbox()).filter((m) => m.subject.includes(subject));
		for (const worker of live) worker.child.kill('SIGTERM');
		await Promise.all(live.map((w) => w.done));

		// Per person, the n-th email answers the n-th notification: they are sent in order.
		const delays: number[] = [];
		for (const [address, made] of madeAt) {
			const arrived = mails
				.filter((m) => m.to.some((t) => t.address === address))
				.map((m) => Date.parse(m.time))
				.sort((a, b) => a - b);
			arrived.forEach((at, i) => {
				if (made[i] !== undefined) delays.push((at - made[i]) / 1000);
			});
		}
		delays.sort((a, b) => a - b);
		const pick = (q: number) =>
			delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? 0;
		// Live, the sending overlaps the making: count from the first event.
		const seconds = name === 'live' ? (performance.now() - started) / 1000 : sendSeconds;
		return {
			name,
			'emails expected': expected,
			'emails delivered': mails.length,
			'events made (s)': +createSeconds.toFixed(1),
			'sending (s)': +seconds.toFixed(1),
			'emails/s': +(mails.length / seconds).toFixed(1),
			'delay median (s)': +pick(0.5).toFixed(1),
			'delay p95 (s)': +pick(0.95).toFixed(1),
			'delay max (s)': +(delays.at(-1) ?? 0).toFixed(1)
		};
	}
} finally {
	await stack.stop();
	// Throwaway: its database and its 2,400 caught mails go with it.
	rmSync(stack.instanceDir, { recursive: true, force: true });
}

function startWorkers(count: number, drain: boolean) {
	return Array.from({ length: count }, () => {
		const child = spawn(
			process.execPath,
			[
				path.join(root, 'scripts', 'worker.ts'),
				...(drain ? ['--drain'] : []),
				'--batch',
				String(batch)
			],
			{ cwd: root, env: workerEnv, stdio: ['ignore', 'ignore', 'inherit'] }
		);
		const done = new Promise<void>((resolve, reject) =>
			child.on('exit', (code) =>
				code === 0 ? resolve() : reject(new Error(`a worker exited with ${code}`))
			)
		);
		return { child, done };
	});
}

async function signedIn(email: string) {
	const client = createClient<Database>(stack.apiUrl, DEV_PUBLISHABLE_KEY, {
		auth: { persistSession: false, autoRefreshToken: false }
	});
	const { error } = await client.auth.signInWithPassword({ email, password: 'portal-demo-2026' });
	if (error) throw new Error(`sign-in as ${email} failed: ${error.message}`);
	return client;
}

/** How many caught mails mention `search` (MailDev's paged summary, one item long). */
async function caught(search: string): Promise<number> {
	const url = new URL('/api/email/summary', stack.inboxUrl);
	url.searchParams.set('limit', '1');
	url.searchParams.set('search', search);
	const response = await fetch(url);
	return ((await response.json()) as { total: number }).total;
}

async function inbox(): Promise<Mail[]> {
	const response = await fetch(`${stack.inboxUrl}/api/email`);
	return (await response.json()) as Mail[];
}
