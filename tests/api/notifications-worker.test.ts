/**
 * The notification email worker (`npm run worker`, src/lib/notifications/worker.ts) against
 * the test stack: who gets an email for each kind of event (the triggers of the
 * notifications migration), digests, and exactly-once delivery when workers die between the
 * SMTP server's acceptance and the mark, or run side by side.
 *
 * The worker runs as its own process, as in production (`scripts/worker.ts --drain`). Other
 * test files create events too, and the worker sends theirs as well: this file finds its
 * emails by a random tag in every title, never by counting the whole inbox.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/database.types';
import { NOTIFICATION_KINDS } from '../../src/lib/notifications/describe.ts';
import { isPermanent } from '../../src/lib/notifications/worker.ts';
import { DEV_SECRET_KEY, root } from '../../scripts/stack.ts';
import { readAuthMail, waitForMail } from '../support/inbox';
import { ACME, anonClient, signedIn, siteUrl, supabaseUrl, type Client } from './env';

const inboxUrl = process.env.TEST_INBOX_URL ?? '';
const tag = randomUUID().slice(0, 8);
const service = createClient<Database>(supabaseUrl, DEV_SECRET_KEY, {
	auth: { persistSession: false, autoRefreshToken: false }
});

const people = {
	olivia: 'olivia@acme.example.com',
	mark: 'mark@acme.example.com',
	bill: 'bill@acme.example.com',
	vera: 'vera@acme.example.com',
	nina: 'nina@consultant.example.com',
	grace: 'grace@globex.example.com',
	gus: 'gus@globex.example.com',
	sam: 'sam@staff.example.com',
	tess: 'tess@staff.example.com',
	ada: 'ada@staff.example.com'
} as const;
type Person = keyof typeof people;
const ids = {
	olivia: 'c0000000-0000-4000-8000-000000000001',
	mark: 'c0000000-0000-4000-8000-000000000002'
} as const;

const clients = {} as Record<Person, Client>;
/** Everyone's own preference rows before this file, put back at the end. */
const savedPreferences = new Map<Person, { kind: string; frequency: string }[]>();
const cleanup = { documents: [] as string[], paths: [] as string[], projects: [] as string[] };
const threads: string[] = [];
const fileRequests: string[] = [];

// ---------------------------------------------------------------------------------------------
// Helpers: the worker as a process, the inbox
// ---------------------------------------------------------------------------------------------

interface WorkerRun {
	code: number | null;
	signal: NodeJS.Signals | null;
	output: string;
}

function workerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	return {
		...process.env,
		SUPABASE_URL: supabaseUrl,
		SUPABASE_SECRET_KEY: DEV_SECRET_KEY,
		SMTP_URL: process.env.SMTP_URL,
		MAIL_FROM: process.env.MAIL_FROM,
		SITE_URL: siteUrl,
		MAIL_SENT_CHECK_URL: inboxUrl,
		...extra
	};
}

function startWorker(args: string[] = [], extra: Record<string, string> = {}) {
	const child = spawn(
		path.join(root, 'node_modules', '.bin', 'node'),
		['scripts/worker.ts', '--drain', ...args],
		{ cwd: root, env: workerEnv(extra), stdio: ['ignore', 'pipe', 'pipe'] }
	);
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const done = new Promise<WorkerRun>((resolve) =>
		child.on('exit', (code, signal) => resolve({ code, signal, output }))
	);
	return { child, done };
}

const drain = (args: string[] = [], extra: Record<string, string> = {}) =>
	startWorker(args, extra).done;

/** Drains the queue and expects a clean exit. */
async function drainOk() {
	const run = await drain();
	expect(run.code, run.output).toBe(0);
	return run;
}

interface CaughtMail {
	id: string;
	subject: string;
	text: string;
	html: string;
	to: { address: string }[];
	/** Lower-case names; MailDev keeps only headers with a plain string value. */
	headers: Record<string, string>;
	time: string;
}

/** A header as sent, from the raw message (MailDev's JSON drops List-Unsubscribe). */
async function rawHeader(mail: CaughtMail, name: string): Promise<string | undefined> {
	const response = await fetch(`${inboxUrl}/api/email/${mail.id}/source`);
	expect(response.ok).toBe(true);
	const head = (await response.text()).split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
	const line = head
		.split(/\r?\n/)
		.find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
	return line?.slice(name.length + 1).trim();
}

async function inbox(): Promise<CaughtMail[]> {
	const response = await fetch(`${inboxUrl}/api/email`);
	expect(response.ok).toBe(true);
	return (await response.json()) as CaughtMail[];
}

/** Mails whose text part contains `needle`. */
async function mailsWith(needle: string) {
	return (await inbox()).filter((m) => m.text?.includes(needle) || m.subject.includes(needle));
}

/** The people a set of mails went to, sorted. */
const recipients = (mails: CaughtMail[]) =>
	mails.flatMap((m) => m.to.map((t) => t.address.toLowerCase())).sort();
const addresses = (...who: Person[]) => who.map((p) => people[p]).sort();

/** How many times each Message-ID was caught. */
function messageIdCounts(mails: CaughtMail[]) {
	const counts = new Map<string, number>();
	for (const mail of mails) {
		const id = mail.headers['message-id'] ?? '';
		counts.set(id, (counts.get(id) ?? 0) + 1);
	}
	return counts;
}

/** A thread by Sam in Acme, then `count - 1` more messages: 4 emails each (Olivia, Mark, Vera, Nina). */
async function busyThread(subject: string, count: number) {
	const { data, error } = await clients.sam.rpc('start_thread', {
		p_account_id: ACME,
		p_subject: subject,
		p_body: `First message ${tag}`
	});
	expect(error).toBeNull();
	threads.push(data!);
	for (let i = 1; i < count; i++) {
		const sent = await clients.sam.rpc('send_message', {
			p_thread_id: data!,
			p_body: `Message ${i} ${tag}`
		});
		expect(sent.error).toBeNull();
	}
	return data!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
	if (!inboxUrl)
		throw new Error('TEST_INBOX_URL is not set: run the API tests through `npm test`.');
	const entries = await Promise.all(
		(Object.keys(people) as Person[]).map(async (p) => [p, await signedIn(people[p])] as const)
	);
	for (const [p, client] of entries) clients[p] = client;

	// Everyone hears of everything at once while this file runs (whatever another file or a
	// person left in their settings), so each event's recipients show as immediate emails.
	for (const [p, client] of entries) {
		const { data, error } = await client.from('notification_preferences').select('kind, frequency');
		expect(error).toBeNull();
		savedPreferences.set(p, data!);
		const set = await client
			.from('notification_preferences')
			.upsert(NOTIFICATION_KINDS.map((kind) => ({ kind, frequency: 'immediate' })));
		expect(set.error).toBeNull();
	}
	// Whatever other files left in the queue goes out first, so that this file's runs are timed
	// on its own emails.
	await drainOk();
}, 120_000);

afterAll(async () => {
	for (const [p, rows] of savedPreferences) {
		const client = clients[p];
		await client
			.from('notification_preferences')
			.delete()
			.in('kind', [...NOTIFICATION_KINDS]);
		if (rows.length > 0) await client.from('notification_preferences').insert(rows);
	}
	if (cleanup.documents.length > 0) {
		await clients.sam.from('documents').delete().in('id', cleanup.documents);
	}
	if (cleanup.paths.length > 0) await clients.sam.storage.from('documents').remove(cleanup.paths);
	if (cleanup.projects.length > 0) {
		await clients.sam.from('projects').delete().in('id', cleanup.projects);
	}
	if (fileRequests.length > 0) {
		await clients.sam.from('file_requests').update({ status: 'closed' }).in('id', fileRequests);
	}
	// Threads cannot be deleted: every client marks them read, so nobody's unread count moves.
	const later = new Date(Date.now() + 60_000).toISOString();
	for (const p of ['olivia', 'mark', 'vera', 'nina'] as const) {
		for (const thread of threads) {
			const { data } = await clients[p]
				.from('thread_reads')
				.update({ last_read_at: later })
				.eq('thread_id', thread)
				.select('thread_id');
			if (data?.length === 0) {
				await clients[p]
					.from('thread_reads')
					.insert({ thread_id: thread, account_id: ACME, last_read_at: later });
			}
		}
	}
}, 120_000);

/** Uploads a file as `who` and saves it as an Acme document (optionally answering a request). */
async function saveDocument(who: 'mark', name: string, body: string, fileRequestId?: string) {
	const id = randomUUID();
	const storagePath = `${ACME}/${id}/${randomUUID()}`;
	cleanup.paths.push(storagePath);
	const client = clients[who];
	const uploaded = await client.storage
		.from('documents')
		.upload(storagePath, new Blob([body], { type: 'text/plain' }));
	expect(uploaded.error).toBeNull();
	const { error } = await client.from('documents').insert({
		id,
		account_id: ACME,
		name,
		storage_path: storagePath,
		size_bytes: body.length,
		mime_type: 'text/plain',
		uploaded_by: ids[who],
		...(fileRequestId ? { file_request_id: fileRequestId } : {})
	});
	expect(error).toBeNull();
	cleanup.documents.push(id);
	return id;
}

describe('who is told of what', () => {
	const secret = `SECRET-BODY-${tag}`;

	beforeAll(async () => {
		// A document added by Mark (a member).
		await saveDocument('mark', `Doc ${tag}.txt`, `file contents ${secret}`);

		// A file request by Sam, then Mark answers it with a file.
		const request = await clients.sam
			.from('file_requests')
			.insert({ account_id: ACME, title: `Request ${tag}`, instructions: secret })
			.select('id')
			.single();
		expect(request.error).toBeNull();
		fileRequests.push(request.data!.id);
		await saveDocument('mark', `Answer ${tag}.txt`, `answer ${secret}`, request.data!.id);

		// A thread started by Sam, a reply from Mark, and an internal note by Sam.
		const thread = await clients.sam.rpc('start_thread', {
			p_account_id: ACME,
			p_subject: `Thread ${tag}`,
			p_body: `Sam writes ${secret}`
		});
		expect(thread.error).toBeNull();
		threads.push(thread.data!);
		const reply = await clients.mark.rpc('send_message', {
			p_thread_id: thread.data!,
			p_body: `Mark replies ${secret}`
		});
		expect(reply.error).toBeNull();
		const note = await clients.sam.rpc('send_message', {
			p_thread_id: thread.data!,
			p_body: `Sam notes ${secret}`,
			p_internal: true
		});
		expect(note.error).toBeNull();

		// Approvals of the version of a document of this file: one asked of Olivia and Mark, one
		// of Olivia alone, which she approves.
		const approvalDoc = await saveDocument('mark', `For approval ${tag}.txt`, 'draft');
		const version = await clients.sam
			.from('document_versions')
			.select('id')
			.eq('document_id', approvalDoc)
			.single();
		expect(version.error).toBeNull();
		const asked = await clients.sam.rpc('request_approval', {
			p_account_id: ACME,
			p_document_version_id: version.data!.id,
			p_title: `Approval ${tag}`,
			p_approver_ids: [ids.olivia, ids.mark]
		});
		expect(asked.error).toBeNull();
		const decided = await clients.sam.rpc('request_approval', {
			p_account_id: ACME,
			p_document_version_id: version.data!.id,
			p_title: `Decision ${tag}`,
			p_approver_ids: [ids.olivia]
		});
		expect(decided.error).toBeNull();
		const response = await clients.olivia.from('approval_responses').insert({
			approval_id: decided.data!,
			account_id: ACME,
			decision: 'approved',
			comment: secret
		});
		expect(response.error).toBeNull();

		// A status update published on a new project.
		const project = await clients.sam
			.from('projects')
			.insert({ account_id: ACME, name: `Project ${tag}` })
			.select('id')
			.single();
		expect(project.error).toBeNull();
		cleanup.projects.push(project.data!.id);
		const update = await clients.sam.from('status_updates').insert({
			account_id: ACME,
			project_id: project.data!.id,
			body: `Progress ${secret}`,
			published_at: new Date().toISOString()
		});
		expect(update.error).toBeNull();

		await drainOk();
	}, 120_000);

	it.each<[string, string, Person[]]>([
		// Readers of the account's documents and its staff; not the uploader, not billing.
		['a document', `Mark Member added “Doc ${tag}.txt”`, ['olivia', 'vera', 'nina', 'sam']],
		// The clients who can answer: owners and members, not viewers, billing or staff.
		['a file request', `Sam Staff asked for files: “Request ${tag}”`, ['olivia', 'mark']],
		// The answer: the account's staff.
		['an answered file request', `Mark Member sent files for “Request ${tag}”`, ['sam']],
		['a new thread', `Sam Staff wrote in “Thread ${tag}”`, ['olivia', 'mark', 'vera', 'nina']],
		['a reply', `Mark Member wrote in “Thread ${tag}”`, ['olivia', 'vera', 'nina', 'sam']],
		// Staff only, and Sam (who wrote it) is Acme's only staff: nobody.
		['an internal note', `internal note in “Thread ${tag}”`, []],
		['an approval asked', `asks for your approval of “Approval ${tag}”`, ['olivia', 'mark']],
		// Who asked (Sam) and the account's staff (Sam); not Olivia, who decided.
		['an approval decided', `Olivia Owner approved “Decision ${tag}”`, ['sam']],
		// The account's clients who read it, not billing, not staff.
		[
			'a status update',
			`Sam Staff posted an update on Project ${tag}`,
			['olivia', 'mark', 'vera', 'nina']
		]
	])('%s is emailed to exactly the expected people', async (_what, sentence, expected) => {
		const mails = await mailsWith(sentence);
		expect(recipients(mails)).toEqual(addresses(...expected));
		for (const mail of mails) {
			expect(mail.text).toContain(`${siteUrl}/accounts/${ACME}/`);
			expect(mail.html).toContain(`href="${siteUrl}/accounts/${ACME}/`);
			expect(await rawHeader(mail, 'List-Unsubscribe')).toMatch(
				new RegExp(`^<${siteUrl}/unsubscribe/[0-9a-f-]{36}\\?kind=[a-z_]+>$`)
			);
		}
	});

	it('tells nobody outside the account, and never carries a body or a file', async () => {
		const mine = await mailsWith(tag);
		expect(mine.length).toBeGreaterThanOrEqual(20);
		expect(recipients(mine)).not.toEqual(
			expect.arrayContaining([expect.stringMatching(/globex|tess@|ada@|bill@/)])
		);
		for (const mail of mine) {
			expect(`${mail.subject}\n${mail.text}\n${mail.html}`).not.toContain(secret);
		}
	});

	it('sends each mail once, with its delivery as Message-ID on the site host', async () => {
		const mine = await mailsWith(tag);
		const host = new URL(siteUrl).hostname;
		for (const [id, count] of messageIdCounts(mine)) {
			expect(id).toMatch(new RegExp(`^<[0-9a-f-]{36}@${host.replaceAll('.', '\\.')}>$`));
			expect(count, id).toBe(1);
		}
	});
});

describe('digests', () => {
	it('gathers a daily kind into one email when its period ends', async () => {
		const set = await clients.olivia
			.from('notification_preferences')
			.upsert({ kind: 'message', frequency: 'daily' });
		expect(set.error).toBeNull();
		try {
			await digestOfTwo();
		} finally {
			const reset = await clients.olivia
				.from('notification_preferences')
				.upsert({ kind: 'message', frequency: 'immediate' });
			expect(reset.error).toBeNull();
		}
	}, 60_000);

	async function digestOfTwo() {
		await busyThread(`Digest one ${tag}`, 1);
		await busyThread(`Digest two ${tag}`, 1);
		await drainOk();

		// Nothing for Olivia yet: her messages wait for the end of the day; Mark's came at once.
		expect(recipients(await mailsWith(`Digest one ${tag}`))).toEqual(
			addresses('mark', 'vera', 'nina')
		);

		const planned = await service.rpc('worker_plan_digests', {
			p_now: new Date(Date.now() + 8 * 86_400_000).toISOString()
		});
		expect(planned.error).toBeNull();
		expect(planned.data).toBeGreaterThanOrEqual(1);
		await drainOk();

		const toOlivia = (await mailsWith(`Digest one ${tag}`)).filter(
			(m) => recipients([m])[0] === people.olivia
		);
		expect(toOlivia).toHaveLength(1);
		const digest = toOlivia[0]!;
		expect(digest.subject).toMatch(/^Your daily summary: \d+ updates$/);
		expect(digest.text).toContain(`“Digest two ${tag}”`);
		expect(digest.text.indexOf(`Digest one ${tag}`)).toBeLessThan(
			digest.text.indexOf(`Digest two ${tag}`)
		);
		expect(await rawHeader(digest, 'List-Unsubscribe')).toMatch(
			new RegExp(`^<${siteUrl}/unsubscribe/[0-9a-f-]{36}>$`)
		);
		expect(digest.html).toContain(`href="${siteUrl}/settings/notifications"`);
		expect(
			(await mailsWith(`Digest two ${tag}`)).filter((m) => m.to[0]?.address === people.olivia)
		).toHaveLength(1);
	}
});

describe('exactly once', () => {
	/** Waits until `count` mails carry `needle` (a drained worker's last mail may still be stored). */
	async function allArrive(needle: string, count: number) {
		const deadline = Date.now() + 10_000;
		let mails = await mailsWith(needle);
		while (mails.length < count && Date.now() < deadline) {
			await sleep(200);
			mails = await mailsWith(needle);
		}
		return mails;
	}

	function expectEachOnce(mails: CaughtMail[], count: number) {
		const counts = messageIdCounts(mails);
		expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
		expect(counts.size).toBe(count);
		expect(mails).toHaveLength(count);
	}

	it('after a worker dies between the SMTP acceptance and the mark', async () => {
		const subject = `Crash ${tag}`;
		await busyThread(subject, 16); // 64 emails
		const crashed = await drain(['--batch', '10', '--lease-seconds', '5'], {
			WORKER_CRASH_AFTER_SENDS: '21'
		});
		expect(crashed.signal, crashed.output).toBe('SIGKILL');
		// The 21st, and at most the three others in flight on its other connections.
		const before = (await mailsWith(subject)).length;
		expect(before).toBeGreaterThanOrEqual(21);
		expect(before).toBeLessThanOrEqual(24);

		// The dead worker's lease runs out; a fresh one finds the 21st email already caught.
		await sleep(5_500);
		const fresh = await drainOk();
		expectEachOnce(await allArrive(subject, 64), 64);
		// Settled by asking the catcher, not by luck.
		expect(fresh.output).toMatch(/[1-9]\d* in doubt \([1-9]\d* already delivered\)/);
	}, 60_000);

	it('after a worker is killed at a random moment mid-batch', async () => {
		const subject = `Killed ${tag}`;
		await busyThread(subject, 16);
		const victim = startWorker(['--batch', '8', '--lease-seconds', '5']);
		// Somewhere after the first mails are out and before the last.
		const threshold = 4 + Math.floor(Math.random() * 40);
		while ((await mailsWith(subject)).length < threshold && victim.child.exitCode === null) {
			await sleep(10);
		}
		victim.child.kill('SIGKILL');
		const killed = await victim.done;
		expect(killed.signal, killed.output).toBe('SIGKILL');
		expect((await mailsWith(subject)).length).toBeLessThan(64);

		await sleep(5_500);
		await drainOk();
		expectEachOnce(await allArrive(subject, 64), 64);
	}, 60_000);

	it('with three workers at once', async () => {
		const subject = `Three ${tag}`;
		await busyThread(subject, 16);
		const runs = await Promise.all([1, 2, 3].map(() => drain(['--batch', '4'])));
		for (const run of runs) expect(run.code, run.output).toBe(0);
		expectEachOnce(await allArrive(subject, 64), 64);
	}, 60_000);
});

describe('failures', () => {
	it('retries with backoff, or gives up on a permanent refusal', async () => {
		await busyThread(`Failing ${tag}`, 1);
		const worker = `test-${tag}`;
		const claimed = await service.rpc('worker_claim_emails', {
			p_worker: worker,
			p_limit: 500,
			p_lease_seconds: 60
		});
		expect(claimed.error).toBeNull();
		const mine = claimed.data!.filter((row) =>
			JSON.stringify(row.items).includes(`Failing ${tag}`)
		);
		expect(mine).toHaveLength(4);
		const [first, second, ...rest] = mine;

		// Another worker cannot mark what this one holds.
		const foreign = await service.rpc('worker_fail_email', {
			p_delivery_id: first!.delivery_id,
			p_worker: 'someone-else',
			p_error: 'x'
		});
		expect(foreign.data).toBeNull();

		const retry = await service.rpc('worker_fail_email', {
			p_delivery_id: first!.delivery_id,
			p_worker: worker,
			p_error: '421 try later'
		});
		expect(retry.data).toBe('pending');
		const refused = await service.rpc('worker_fail_email', {
			p_delivery_id: second!.delivery_id,
			p_worker: worker,
			p_error: '550 no such user',
			p_permanent: true
		});
		expect(refused.data).toBe('failed');
		for (const row of rest) {
			await service.rpc('worker_complete_email', {
				p_delivery_id: row.delivery_id,
				p_worker: worker
			});
		}

		// The retry waits for its backoff (30 s); the refused one never goes out.
		await drainOk();
		expect(await mailsWith(`Failing ${tag}`)).toEqual([]);
		const again = await service.rpc('worker_claim_emails', { p_worker: worker, p_limit: 500 });
		expect(
			again.data!.filter((row) => JSON.stringify(row.items).includes(`Failing ${tag}`))
		).toEqual([]);
	});

	it('only the secret key may drive the queue', async () => {
		const claim = await clients.ada.rpc('worker_claim_emails', { p_worker: 'intruder' });
		expect(claim.error?.code).toBe('42501');
		const plan = await clients.sam.rpc('worker_plan_digests', {});
		expect(plan.error?.code).toBe('42501');
	});

	it('treats a 5xx to the email as permanent, and a login or 4xx refusal as passing', () => {
		expect(isPermanent({ responseCode: 550, command: 'RCPT TO' })).toBe(true);
		expect(isPermanent({ responseCode: 552, command: 'DATA' })).toBe(true);
		expect(isPermanent({ responseCode: 535, command: 'AUTH PLAIN' })).toBe(false);
		expect(isPermanent({ responseCode: 421, command: 'RCPT TO' })).toBe(false);
		expect(isPermanent(new Error('ECONNREFUSED'))).toBe(false);
	});

	it('refuses bad settings with a clear message', async () => {
		const run = await drain([], { SUPABASE_SECRET_KEY: '' });
		expect(run.code).toBe(1);
		expect(run.output).toContain('Set both SUPABASE_URL and SUPABASE_SECRET_KEY');
		const flag = await drain(['--batch', 'many']);
		expect(flag.code).toBe(1);
		expect(flag.output).toContain('--batch takes a whole number');
	});
});

// Last: the invitee stays a viewer of Acme until the end, and would hear of the events above.
describe('people joining', () => {
	it("tells the account's owners and staff, not the newcomer or the other members", async () => {
		const email = `invitee-${tag}@example.com`;
		const invited = await clients.olivia.rpc('create_invitation', {
			p_account_id: ACME,
			p_email: email,
			p_role: 'viewer'
		});
		expect(invited.error).toBeNull();

		const invitee = anonClient();
		const since = new Date();
		const signUp = await invitee.auth.signUp({ email, password: 'invitee-pass-2026' });
		expect(signUp.error).toBeNull();
		const link = readAuthMail(await waitForMail(email, since)).link;
		const verified = await invitee.auth.verifyOtp({
			token_hash: link.searchParams.get('token_hash')!,
			type: 'signup'
		});
		expect(verified.error).toBeNull();
		const accepted = await invitee.rpc('accept_invitation', { p_token: invited.data![0]!.token });
		expect(accepted.error).toBeNull();

		try {
			await drainOk();
			const mails = await mailsWith(`${email} joined as a viewer`);
			expect(recipients(mails)).toEqual(addresses('olivia', 'sam'));
			for (const mail of mails) {
				expect(mail.text).toContain(`${siteUrl}/accounts/${ACME}/members`);
			}
		} finally {
			const { data: me } = await invitee.auth.getUser();
			await clients.olivia.from('account_members').delete().eq('user_id', me.user!.id);
		}
	}, 60_000);
});
