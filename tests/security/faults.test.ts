/**
 * Crashes: the local stack (lite on embedded PGlite, data on disk) is killed with SIGKILL in
 * the middle of invitation acceptances, of an upload and of message sends with attachments,
 * then started again on the same
 * folder. Each operation must have happened completely or not at all, whatever was
 * answered before the crash must still be there, and no document row may point at a
 * missing file. Runs its own stack (ports 248xx), so the shared test stack is never killed.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/database.types';
import {
	DEV_PUBLISHABLE_KEY,
	startStack,
	type Stack,
	type StackOptions
} from '../../scripts/stack.ts';
import { inboxAt, readAuthMail } from '../support/inbox';
import { recordAttempt } from './report';

const ACME = '10000000-0000-4000-8000-00000000ac01';
const PASSWORD = 'portal-demo-2026';
// Its own ports and folder, moved like the test stack's by TEST_PORT_OFFSET.
const offset = Number(process.env.TEST_PORT_OFFSET ?? 0);
const options: StackOptions = {
	name: offset ? `faults-${offset}` : 'faults',
	apiPort: 24821 + offset,
	inboxPort: 24824 + offset,
	smtpPort: 24825 + offset,
	siteUrl: `http://127.0.0.1:${4673 + offset}`,
	log: 'file'
};

let stack: Stack;

beforeAll(async () => {
	stack = await startStack({ ...options, reset: true });
}, 120_000);

afterAll(async () => {
	await stack?.stop();
});

/** Kills the stack, then starts it again on the same data. */
async function crashAndRestart() {
	await stack.crash();
	stack = await startStack({ ...options, reset: false });
}

function client() {
	return createClient<Database>(stack.apiUrl, DEV_PUBLISHABLE_KEY, {
		auth: { persistSession: false, autoRefreshToken: false }
	});
}

async function signedIn(email: string, password = PASSWORD) {
	const c = client();
	const { error } = await c.auth.signInWithPassword({ email, password });
	if (error) throw new Error(`sign-in as ${email}: ${error.message}`);
	return c;
}

/** A new user with a confirmed address, signed in. */
async function newUser(email: string) {
	const c = client();
	const since = new Date();
	expect((await c.auth.signUp({ email, password: PASSWORD })).error).toBeNull();
	const mail = await inboxAt(stack.inboxUrl).waitForMail(email, since);
	const tokenHash = readAuthMail(mail).link.searchParams.get('token_hash')!;
	expect((await c.auth.verifyOtp({ token_hash: tokenHash, type: 'signup' })).error).toBeNull();
	return c;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('a crash of the local stack', () => {
	it('leaves each invitation acceptance complete or not done, and keeps what was answered', async () => {
		const olivia = await signedIn('olivia@acme.example.com');
		const invitees = await Promise.all(
			Array.from({ length: 8 }, async (_, i) => {
				const email = `crash-${i}-${randomUUID().slice(0, 8)}@example.com`;
				const session = await newUser(email);
				const { data, error } = await olivia.rpc('create_invitation', {
					p_account_id: ACME,
					p_email: email,
					p_role: 'member'
				});
				expect(error).toBeNull();
				const { data: me } = await session.auth.getUser();
				return { email, session, userId: me.user!.id, ...data![0]! };
			})
		);

		// All accept at once; the stack dies a few milliseconds later, while they are in flight
		// (how many had completed varies from run to run; the invariants below may not).
		const accepts = invitees.map((invitee) =>
			invitee.session.rpc('accept_invitation', { p_token: invitee.token })
		);
		await new Promise((resolve) => setTimeout(resolve, 10));
		await crashAndRestart();
		const answers = await Promise.allSettled(accepts);

		const admin = await signedIn('ada@staff.example.com');
		const { data: invitations } = await admin
			.from('invitations')
			.select('id, accepted_at, accepted_by')
			.in(
				'id',
				invitees.map((i) => i.invitation_id)
			);
		const { data: members } = await admin
			.from('account_members')
			.select('user_id, role')
			.eq('account_id', ACME)
			.in(
				'user_id',
				invitees.map((i) => i.userId)
			);
		// Every invitation was committed before the crash, so every one is still there.
		expect(invitations).toHaveLength(invitees.length);

		let completed = 0;
		invitees.forEach((invitee, i) => {
			const invitation = invitations!.find((row) => row.id === invitee.invitation_id)!;
			const member = members!.find((row) => row.user_id === invitee.userId);
			const answered = answers[i]!.status === 'fulfilled' && !answers[i]!.value.error;
			const accepted = invitation.accepted_at !== null;
			// Both halves or neither; and an acceptance the caller was told about survived.
			const consistent = accepted === Boolean(member) && (!answered || accepted);
			if (accepted) completed++;
			recordAttempt('faults: invitation acceptance', invitee.email, { leaked: !consistent });
			expect({ accepted, member: Boolean(member), answered: answered && !accepted }).toEqual({
				accepted,
				member: accepted,
				answered: false
			});
		});
		console.log(
			`faults: ${completed} of ${invitees.length} acceptances had completed at the crash`
		);
	}, 180_000);

	it('leaves an interrupted upload whole or absent, keeps a finished one, and every row has its file', async () => {
		const olivia = await signedIn('olivia@acme.example.com');
		const finished = new Uint8Array(256 * 1024).map((_, i) => (i * 7) % 251);
		const finishedPath = `${ACME}/${randomUUID()}/finished.bin`;
		const { error: finishedError } = await olivia.storage
			.from('documents')
			// A type the bucket takes (it refuses application/octet-stream); the bytes are what count.
			.upload(finishedPath, new Blob([finished], { type: 'application/pdf' }));
		expect(finishedError).toBeNull();

		const big = new Uint8Array(20 * 1024 * 1024).map((_, i) => (i * 13) % 251);
		const folder = `${ACME}/${randomUUID()}`;
		const upload = olivia.storage
			.from('documents')
			.upload(`${folder}/interrupted.bin`, new Blob([big], { type: 'application/pdf' }));
		await new Promise((resolve) => setTimeout(resolve, 150));
		await crashAndRestart();
		await upload.catch(() => undefined);

		const reader = await signedIn('olivia@acme.example.com');
		const bucket = reader.storage.from('documents');
		const { data: kept, error: keptError } = await bucket.download(finishedPath);
		expect(keptError).toBeNull();
		expect(sha256(new Uint8Array(await kept!.arrayBuffer()))).toBe(sha256(finished));

		const { data: listed } = await bucket.list(folder);
		const interrupted = (listed ?? []).filter((entry) => entry.name === 'interrupted.bin');
		let whole = true;
		if (interrupted.length > 0) {
			const { data: file } = await bucket.download(`${folder}/interrupted.bin`);
			whole = file !== null && sha256(new Uint8Array(await file.arrayBuffer())) === sha256(big);
		}
		recordAttempt('faults: upload', 'interrupted 20 MB upload', { leaked: !whole });
		console.log(
			`faults: the interrupted upload is ${interrupted.length > 0 ? 'whole' : 'absent'} after the restart`
		);
		expect(whole).toBe(true);

		// No document or version row points at a missing file (the seeded ones and their files).
		const admin = await signedIn('ada@staff.example.com');
		const { data: documents } = await admin.from('documents').select('storage_path');
		const { data: versions } = await admin.from('document_versions').select('storage_path');
		expect(documents!.length).toBeGreaterThan(0);
		expect(versions!.length).toBeGreaterThan(documents!.length);
		for (const { storage_path } of [...documents!, ...versions!]) {
			const { error } = await admin.storage.from('documents').download(storage_path);
			recordAttempt('faults: rows have files', storage_path, { leaked: error !== null });
			expect(error, storage_path).toBeNull();
		}
	}, 180_000);

	it('leaves each message sent with attachments whole (with every attachment) or absent', async () => {
		const mark = await signedIn('mark@acme.example.com');
		const sam = await signedIn('sam@staff.example.com');
		const thread = await sam.rpc('start_thread', {
			p_account_id: ACME,
			p_subject: `Crash test ${randomUUID().slice(0, 8)}`,
			p_body: 'Messages below are sent while the stack is killed.'
		});
		expect(thread.error).toBeNull();
		// Three seeded Acme documents: each message carries all of them.
		const attachments = [
			'd0000000-0000-4000-8000-000000000001',
			'd0000000-0000-4000-8000-000000000002',
			'd0000000-0000-4000-8000-000000000003'
		];
		const bodies = Array.from({ length: 16 }, (_, i) => `crash message ${i} ${randomUUID()}`);

		// Sent in waves; the stack dies as soon as the first is answered, so that some are done,
		// some in flight and some not begun.
		const sends = bodies.map(
			(body, i) =>
				new Promise<{ data: string | null; error: unknown }>((resolve) => {
					setTimeout(() => {
						mark
							.rpc('send_message', {
								p_thread_id: thread.data!,
								p_body: body,
								p_document_ids: attachments
							})
							.then(
								(answer) => resolve(answer),
								(error: unknown) => resolve({ data: null, error })
							);
					}, i * 8);
				})
		);
		await Promise.race(sends);
		await crashAndRestart();
		const answers = await Promise.all(sends);

		const reader = await signedIn('sam@staff.example.com');
		const { data: messages, error } = await reader
			.from('messages')
			.select('id, body, message_attachments(document_id)')
			.eq('thread_id', thread.data!)
			.in('body', bodies);
		expect(error).toBeNull();
		let whole = 0;
		bodies.forEach((body, i) => {
			const found = messages!.filter((m) => m.body === body);
			const answered = !answers[i]!.error && answers[i]!.data !== null;
			const attached = found[0]?.message_attachments.map((a) => a.document_id).sort() ?? [];
			// At most one message, with all its attachments or none at all; and a send the caller
			// was told succeeded is there, under the id it was given.
			const consistent =
				found.length <= 1 &&
				(found.length === 0 || JSON.stringify(attached) === JSON.stringify(attachments)) &&
				(!answered || found[0]?.id === answers[i]!.data);
			if (found.length === 1) whole++;
			recordAttempt('faults: message send', body.split(' ').slice(0, 3).join(' '), {
				leaked: !consistent
			});
			expect(
				consistent,
				`${body}: ${found.length} found, attached [${attached.join(', ')}], answered ${answered}`
			).toBe(true);
		});
		console.log(`faults: ${whole} of ${bodies.length} message sends had completed at the crash`);
	}, 180_000);
});
