/**
 * Notifications (20261204010000_notifications.sql), straight against Postgres: who each kind
 * of event tells (and that nobody else, the actor and the other account included, hears of
 * it), that the outbox rows live and die with the change's transaction, the preferences
 * (immediate, digest, off), digest planning, the worker's lease/complete/fail protocol, the
 * bell's own-rows rule and the one-click unsubscribe.
 *
 * The emails themselves (the worker, SMTP, the mail catcher) are tested through the local stack
 * in tests/api/notifications-worker.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	expectDenied42501,
	expectError,
	openTestDb,
	SERVICE_ROLE,
	type TestDb,
	type Tx
} from './harness';

const ACME = '10000000-0000-4000-8000-00000000ac01';
const ADA = 'a0000000-0000-4000-8000-000000000001'; // admin, assigned to no account
const SAM = 'a0000000-0000-4000-8000-000000000002'; // staff, assigned to Acme
const TESS = 'a0000000-0000-4000-8000-000000000003'; // staff, assigned to Globex
const OLIVIA = 'c0000000-0000-4000-8000-000000000001'; // Acme owner
const MARK = 'c0000000-0000-4000-8000-000000000002'; // Acme member
const BILL = 'c0000000-0000-4000-8000-000000000003'; // Acme billing
const VERA = 'c0000000-0000-4000-8000-000000000004'; // Acme viewer
const GRACE = 'c0000000-0000-4000-8000-000000000005'; // Globex owner
const GREG = 'c0000000-0000-4000-8000-000000000006'; // Globex member
const NINA = 'c0000000-0000-4000-8000-000000000007'; // Acme viewer, Globex member
const ACME_THREAD = '71000000-0000-4000-8000-000000000001';
const ACME_PROJECT = 'b1000000-0000-4000-8000-000000000001';
const DESIGN_V2 = 'e1000000-0000-4000-8000-000000000002';
const ACME_APPROVAL = 'a1000000-0000-4000-8000-000000000001'; // pending; Olivia and Mark decide

const NAMES: Record<string, string> = {
	[ADA]: 'Ada',
	[SAM]: 'Sam',
	[TESS]: 'Tess',
	[OLIVIA]: 'Olivia',
	[MARK]: 'Mark',
	[BILL]: 'Bill',
	[VERA]: 'Vera',
	[GRACE]: 'Grace',
	[GREG]: 'Greg',
	[NINA]: 'Nina'
};
const named = (ids: string[]) => ids.map((id) => NAMES[id] ?? id).sort();

let db: TestDb;

beforeAll(async () => {
	db = await openTestDb();
	console.log(`tests/db: ${db.description} ready in ${(db.setupMs / 1000).toFixed(1)} s`);
});
afterAll(async () => {
	await db?.close();
});

// --- helpers ----------------------------------------------------------------------------------

interface Told {
	user_id: string;
	email_frequency: string;
	immediate: boolean;
	queued: boolean;
	actor_id: string | null;
	details: Record<string, unknown>;
}

/**
 * Who the newest events of a kind (made in this transaction: the seed's are older) told, read
 * as the owner: each recipient, their frequency, and whether an immediate email or a digest
 * entry was queued for them.
 */
function told(tx: Tx, kind: string, subjectId?: string): Promise<Told[]> {
	return tx.asOwner(async () => {
		const { rows } = await tx.query<Told>(
			`select n.user_id, n.email_frequency, n.actor_id, n.details,
			        exists (select 1 from private.email_delivery_items i
			                join private.email_deliveries d on d.id = i.delivery_id
			                where i.notification_id = n.id and d.kind = 'immediate') as immediate,
			        exists (select 1 from private.digest_queue q where q.notification_id = n.id) as queued
			   from public.notifications n
			   join private.notification_events e on e.id = n.event_id
			  where e.kind = $1 and ($2::uuid is null or e.subject_id = $2::uuid)
			    and e.created_at = now()`,
			[kind, subjectId ?? null]
		);
		return rows;
	});
}

const recipients = async (tx: Tx, kind: string, subjectId?: string) =>
	named((await told(tx, kind, subjectId)).map((r) => r.user_id));

/** Stores a file as the Storage API would for the current actor, then adds its documents row. */
async function addDocument(
	tx: Tx,
	name: string,
	fileRequest: string | null = null
): Promise<string> {
	const path = `${ACME}/${crypto.randomUUID()}/${name}`;
	await tx.asOwner(() =>
		tx.query(
			`insert into storage.objects (bucket_id, name, owner_id, metadata)
			 values ('documents', $1::text, auth.uid()::text, '{"size": 6, "mimetype": "text/plain"}'::jsonb)`,
			[path]
		)
	);
	const { rows } = await tx.query<{ id: string }>(
		`insert into public.documents (account_id, name, storage_path, size_bytes, mime_type, uploaded_by, file_request_id)
		 values ($1::uuid, $2::text, $3::text, 6, 'text/plain', auth.uid(), $4::uuid) returning id`,
		[ACME, name, path, fileRequest]
	);
	return rows[0]!.id;
}

const postMessage = (tx: Tx, body: string, internal = false) =>
	tx.query(
		`insert into public.messages (thread_id, account_id, body, internal) values ($1, $2, $3, $4)`,
		[ACME_THREAD, ACME, body, internal]
	);

// --- who hears of what ------------------------------------------------------------------------

describe('each kind of event tells exactly the right people', () => {
	it('a message: the thread’s readers and Acme’s staff, never its author, billing or Globex', async () => {
		await db.asUser(SAM, async (tx) => {
			await postMessage(tx, 'The build starts on Monday.');
			expect(await recipients(tx, 'message', ACME_THREAD)).toEqual([
				'Mark',
				'Nina',
				'Olivia',
				'Vera'
			]);
			const [one] = await told(tx, 'message', ACME_THREAD);
			expect(one!.actor_id).toBe(SAM);
			expect(one!.details).toMatchObject({
				subject: 'Homepage feedback',
				internal: false,
				account_name: 'Acme Corporation'
			});
			// Titles only: the body never goes into a notification (nor, so, into an email).
			expect(JSON.stringify(one!.details)).not.toContain('Monday');
		});
		await db.asUser(MARK, async (tx) => {
			await postMessage(tx, 'Thanks!');
			expect(await recipients(tx, 'message', ACME_THREAD)).toEqual([
				'Nina',
				'Olivia',
				'Sam',
				'Vera'
			]);
		});
	});

	it('an internal note: Acme’s staff only, no client at all', async () => {
		await db.asUser(ADA, async (tx) => {
			await postMessage(tx, 'Olivia prefers calls.', true);
			expect(await recipients(tx, 'message', ACME_THREAD)).toEqual(['Sam']);
		});
		await db.asUser(SAM, async (tx) => {
			await postMessage(tx, 'Noted.', true);
			expect(await recipients(tx, 'message', ACME_THREAD)).toEqual([]);
		});
	});

	it('a new document and a new version: readers and staff, not the uploader, not billing', async () => {
		await db.asUser(MARK, async (tx) => {
			const id = await addDocument(tx, 'Brief.txt');
			expect(await recipients(tx, 'document', id)).toEqual(['Nina', 'Olivia', 'Sam', 'Vera']);
			const [one] = await told(tx, 'document', id);
			expect(one!.details).toMatchObject({
				name: 'Brief.txt',
				version: 1,
				actor_name: 'Mark Member'
			});

			// Sam uploads version 2: Mark hears of it now, Sam does not.
			await tx.asUser(SAM, async () => {
				const path = `${ACME}/${id}/${crypto.randomUUID()}`;
				await tx.asOwner(() =>
					tx.query(
						`insert into storage.objects (bucket_id, name, owner_id, metadata)
						 values ('documents', $1::text, auth.uid()::text, '{"size": 6, "mimetype": "text/plain"}'::jsonb)`,
						[path]
					)
				);
				await tx.query(
					`insert into public.document_versions (document_id, account_id, storage_path, size_bytes, mime_type, uploaded_by)
					 values ($1, $2, $3, 6, 'text/plain', auth.uid())`,
					[id, ACME, path]
				);
				const versions = (await told(tx, 'document', id)).filter((r) => r.details.version === 2);
				expect(named(versions.map((r) => r.user_id))).toEqual(['Mark', 'Nina', 'Olivia', 'Vera']);
			});
		});
	});

	it('a file request: the clients who can answer; its answer: the staff', async () => {
		await db.asUser(SAM, async (tx) => {
			const { rows } = await tx.query<{ id: string }>(
				`insert into public.file_requests (account_id, title) values ($1, 'Your logo') returning id`,
				[ACME]
			);
			const request = rows[0]!.id;
			expect(await recipients(tx, 'file_request', request)).toEqual(['Mark', 'Olivia']);

			await tx.asUser(MARK, async () => {
				await addDocument(tx, 'logo.txt', request);
				const answered = await told(tx, 'file_request', request);
				expect(
					named(answered.filter((r) => r.details.status === 'submitted').map((r) => r.user_id))
				).toEqual(['Sam']);
			});
		});
	});

	it('an approval asked: each approver alone; decided: who asked and the staff', async () => {
		await db.asUser(SAM, async (tx) => {
			const { rows } = await tx.query<{ id: string }>(
				`select public.request_approval($1, $2, 'Homepage, third draft', $3::uuid[]) as id`,
				[ACME, DESIGN_V2, [OLIVIA]]
			);
			const approval = rows[0]!.id;
			expect(await recipients(tx, 'approval_requested', approval)).toEqual(['Olivia']);

			await tx.asUser(OLIVIA, () =>
				tx.query(
					`insert into public.approval_responses (approval_id, account_id, decision) values ($1, $2, 'approved')`,
					[approval, ACME]
				)
			);
			// Olivia decided: Sam asked and serves Acme (once, though he is both).
			expect(await recipients(tx, 'approval_decided', approval)).toEqual(['Sam']);
		});
	});

	it('the seeded approval, decided by its last approver: Sam, not the approvers', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const respond = () =>
				tx.query(
					`insert into public.approval_responses (approval_id, account_id, decision, comment)
					 values ($1, $2, 'changes_requested', 'Bigger hero image')`,
					[ACME_APPROVAL, ACME]
				);
			await respond();
			const decided = await told(tx, 'approval_decided', ACME_APPROVAL);
			expect(named(decided.map((r) => r.user_id))).toEqual(['Sam']);
			expect(decided[0]!.details).toMatchObject({ status: 'changes_requested' });
		});
	});

	it('a status update: readers once published; a draft tells nobody until then', async () => {
		await db.asUser(SAM, async (tx) => {
			const { rows } = await tx.query<{ id: string }>(
				`insert into public.status_updates (account_id, project_id, body) values ($1, $2, 'Draft') returning id`,
				[ACME, ACME_PROJECT]
			);
			const update = rows[0]!.id;
			expect(await recipients(tx, 'status_update', update)).toEqual([]);
			await tx.query(`update public.status_updates set published_at = now() where id = $1`, [
				update
			]);
			expect(await recipients(tx, 'status_update', update)).toEqual([
				'Mark',
				'Nina',
				'Olivia',
				'Vera'
			]);
			const [one] = await told(tx, 'status_update', update);
			expect(one!.details).toMatchObject({ project_name: 'Website redesign' });
		});
	});

	it('an invitation accepted: the account’s owners and staff, not the newcomer', async () => {
		await db.asOwner(
			async (tx) => {
				const { rows } = await tx.query<{ id: string }>(
					`insert into public.invitations (kind, account_id, email, role, token_hash, invited_by, expires_at)
					 values ('client', $1, 'newcomer@example.com', 'member', extensions.digest('t0ken', 'sha256'), $2, now() + interval '1 day')
					 returning id`,
					[ACME, OLIVIA]
				);
				await tx.query(
					`update public.invitations set accepted_at = now(), accepted_by = $2 where id = $1`,
					[rows[0]!.id, GREG]
				);
				expect(await recipients(tx, 'invitation', rows[0]!.id)).toEqual(['Olivia', 'Sam']);
			},
			{ rollback: true }
		);
	});
});

// --- the outbox and the transaction -----------------------------------------------------------

describe('the outbox is written by the change’s own transaction', () => {
	const counts = () =>
		db.query<{ events: number; notifications: number; deliveries: number }>(
			`select (select count(*)::int from private.notification_events) as events,
			        (select count(*)::int from public.notifications) as notifications,
			        (select count(*)::int from private.email_deliveries) as deliveries`
		);

	it('a refused statement leaves no event, notification or delivery behind', async () => {
		const before = (await counts()).rows[0];
		await db.asUser(SAM, async (tx) => {
			// The first row is fine and fires its trigger; the second breaks a check: all or nothing.
			await expectError(
				tx.query(
					`insert into public.messages (thread_id, account_id, body) values ($1, $2, 'Fine'), ($1, $2, '   ')`,
					[ACME_THREAD, ACME]
				),
				'23514'
			);
			expect(await recipients(tx, 'message', ACME_THREAD)).toEqual([]);
		});
		expect((await counts()).rows[0]).toEqual(before);
	});

	it('a committed change keeps its rows, one immediate email per recipient', async () => {
		await db.asUser(SAM, async (tx) => {
			await postMessage(tx, 'Kept');
			const rows = await told(tx, 'message', ACME_THREAD);
			expect(rows).toHaveLength(4);
			expect(rows.every((r) => r.immediate && !r.queued && r.email_frequency === 'immediate')).toBe(
				true
			);
		});
	});
});

// --- preferences and digests --------------------------------------------------------------------

describe('each person’s rhythm', () => {
	it('daily → a digest entry due at the next 08:00 UTC; off → the bell only; immediate → an email', async () => {
		await db.asUser(SAM, async (tx) => {
			await tx.asUser(OLIVIA, () =>
				tx.query(
					`insert into public.notification_preferences (kind, frequency) values ('message', 'daily')`
				)
			);
			await tx.asUser(MARK, () =>
				tx.query(
					`insert into public.notification_preferences (kind, frequency) values ('message', 'off')`
				)
			);
			await postMessage(tx, 'Rhythm');
			const byName = Object.fromEntries(
				(await told(tx, 'message', ACME_THREAD)).map((r) => [NAMES[r.user_id], r])
			);
			expect(byName.Olivia).toMatchObject({
				email_frequency: 'daily',
				immediate: false,
				queued: true
			});
			expect(byName.Mark).toMatchObject({
				email_frequency: 'off',
				immediate: false,
				queued: false
			});
			expect(byName.Vera).toMatchObject({
				email_frequency: 'immediate',
				immediate: true,
				queued: false
			});
		});
	});

	it('status updates default to the daily digest', async () => {
		await db.asUser(SAM, async (tx) => {
			await tx.query(
				`insert into public.status_updates (account_id, body, published_at) values ($1, 'Weekly news', now())`,
				[ACME]
			);
			const rows = await told(tx, 'status_update');
			expect(rows.length).toBeGreaterThan(0);
			expect(rows.every((r) => r.email_frequency === 'daily' && r.queued)).toBe(true);
		});
	});

	it('digest due times: the next 08:00 UTC (daily), the next Monday 08:00 UTC (weekly)', async () => {
		const { rows } = await db.query<{ d1: string; d2: string; w1: string; w2: string }>(
			`select private.digest_due_at('daily', '2026-12-04 07:59:00+00')::text as d1,
			        private.digest_due_at('daily', '2026-12-04 08:00:00+00')::text as d2,
			        private.digest_due_at('weekly', '2026-12-04 12:00:00+00')::text as w1,
			        private.digest_due_at('weekly', '2026-12-07 07:00:00+00')::text as w2`
		);
		const utc = (text: string) => new Date(text).toISOString();
		expect(utc(rows[0]!.d1)).toBe('2026-12-04T08:00:00.000Z');
		expect(utc(rows[0]!.d2)).toBe('2026-12-05T08:00:00.000Z');
		expect(utc(rows[0]!.w1)).toBe('2026-12-07T08:00:00.000Z'); // a Friday → Monday
		expect(utc(rows[0]!.w2)).toBe('2026-12-07T08:00:00.000Z'); // Monday before 08:00 → that day
	});

	it('worker_plan_digests gathers a period’s events into one delivery per person, once due', async () => {
		await db.asUser(SAM, async (tx) => {
			await tx.asUser(OLIVIA, () =>
				tx.query(
					`insert into public.notification_preferences (kind, frequency) values ('message', 'daily')`
				)
			);
			await postMessage(tx, 'One');
			await postMessage(tx, 'Two');
			const digestsFor = () =>
				tx.asOwner(() =>
					tx.query<{ items: number }>(
						`select (select count(*)::int from private.email_delivery_items i where i.delivery_id = d.id) as items
						   from private.email_deliveries d where d.user_id = $1 and d.kind = 'daily' and d.created_at = now()`,
						[OLIVIA]
					)
				);
			await tx.asUser(SERVICE_ROLE, async () => {
				await tx.query(`select public.worker_plan_digests(now())`);
				expect((await digestsFor()).rows).toEqual([]); // not due yet
				const { rows } = await tx.query<{ made: number }>(
					`select public.worker_plan_digests(now() + interval '2 days') as made`
				);
				expect(rows[0]!.made).toBeGreaterThanOrEqual(1);
			});
			// One email for Olivia's two messages (and the seed's older ones would join it too).
			const made = (await digestsFor()).rows;
			expect(made).toHaveLength(1);
			expect(made[0]!.items).toBeGreaterThanOrEqual(2);
			// Planning again finds nothing left for her.
			await tx.asUser(SERVICE_ROLE, () =>
				tx.query(`select public.worker_plan_digests(now() + interval '2 days')`)
			);
			expect((await digestsFor()).rows).toHaveLength(1);
		});
	});
});

// --- the worker's protocol ----------------------------------------------------------------------

interface Claimed {
	delivery_id: string;
	kind: string;
	attempts: number;
	in_doubt: boolean;
	email: string;
	unsubscribe_token: string;
	items: { kind: string; details: Record<string, unknown> }[];
}

describe('the worker’s lease, completion and retries', () => {
	const claim = (tx: Tx, worker: string, limit = 500) =>
		tx.query<Claimed>(`select * from public.worker_claim_emails($1, $2, 60)`, [worker, limit]);
	const mine = (rows: Claimed[]) =>
		rows.filter((r) => r.items.some((i) => i.details.subject === 'Homepage feedback'));

	it('leases a delivery to one worker; another skips it; only the holder completes it', async () => {
		await db.asUser(SAM, async (tx) => {
			await postMessage(tx, 'Lease me');
			await tx.asUser(SERVICE_ROLE, async () => {
				const first = mine((await claim(tx, 'worker-a')).rows);
				expect(first.map((r) => r.email).sort()).toEqual(
					[
						'mark@acme.example.com',
						'nina@consultant.example.com',
						'olivia@acme.example.com',
						'vera@acme.example.com'
					].sort()
				);
				expect(first.every((r) => r.attempts === 1 && !r.in_doubt && r.unsubscribe_token)).toBe(
					true
				);
				expect(mine((await claim(tx, 'worker-b')).rows)).toEqual([]);

				const id = first[0]!.delivery_id;
				const complete = (worker: string) =>
					tx.query<{ ok: boolean }>(`select public.worker_complete_email($1, $2) as ok`, [
						id,
						worker
					]);
				expect((await complete('worker-b')).rows[0]!.ok).toBe(false);
				expect((await complete('worker-a')).rows[0]!.ok).toBe(true);
				expect((await complete('worker-a')).rows[0]!.ok).toBe(false); // already sent
			});
		});
	});

	it('a lease that runs out comes back in doubt; a failure is retried later, then given up', async () => {
		await db.asUser(SAM, async (tx) => {
			await postMessage(tx, 'Crash here');
			await tx.asUser(SERVICE_ROLE, async () => {
				const [one] = mine((await claim(tx, 'worker-a')).rows);
				const id = one!.delivery_id;
				// worker-a died holding it: its lease runs out.
				await tx.asOwner(() =>
					tx.query(
						`update private.email_deliveries set lease_until = now() - interval '1 second' where id = $1`,
						[id]
					)
				);
				const again = mine((await claim(tx, 'worker-b')).rows).find((r) => r.delivery_id === id);
				expect(again).toMatchObject({ in_doubt: true, attempts: 2 });

				const fail = (permanent: boolean) =>
					tx.query<{ status: string }>(
						`select public.worker_fail_email($1, 'worker-b', 'timeout', $2) as status`,
						[id, permanent]
					);
				expect((await fail(false)).rows[0]!.status).toBe('pending');
				const state = await tx.asOwner(() =>
					tx.query<{ wait: number; last_error: string }>(
						`select extract(epoch from next_attempt_at - now())::int as wait, last_error
						   from private.email_deliveries where id = $1`,
						[id]
					)
				);
				expect(state.rows[0]).toEqual({ wait: 60, last_error: 'timeout' }); // 2nd attempt → 1 min
				// Not due yet: nobody gets it.
				expect(mine((await claim(tx, 'worker-c')).rows).map((r) => r.delivery_id)).not.toContain(
					id
				);
				await tx.asOwner(() =>
					tx.query(`update private.email_deliveries set next_attempt_at = now() where id = $1`, [
						id
					])
				);
				await claim(tx, 'worker-b');
				expect((await fail(true)).rows[0]!.status).toBe('failed');
			});
		});
	});

	it('drops an immediate email whose kind its person turned off since', async () => {
		await db.asUser(SAM, async (tx) => {
			await postMessage(tx, 'Turned off');
			await tx.asUser(VERA, () =>
				tx.query(
					`insert into public.notification_preferences (kind, frequency) values ('message', 'off')`
				)
			);
			await tx.asUser(SERVICE_ROLE, async () => {
				const emails = mine((await claim(tx, 'worker-a')).rows).map((r) => r.email);
				expect(emails).not.toContain('vera@acme.example.com');
				expect(emails).toContain('olivia@acme.example.com');
			});
		});
	});

	it('no API user may call the worker’s functions or read its tables', async () => {
		for (const actor of [null, OLIVIA, SAM, ADA]) {
			await db.asUser(actor, async (tx) => {
				await expectDenied42501(tx.query(`select * from public.worker_claim_emails('x', 1, 60)`));
				await expectDenied42501(tx.query(`select public.worker_plan_digests()`));
				await expectDenied42501(
					tx.query(`select public.worker_complete_email(gen_random_uuid(), 'x')`)
				);
				await expectDenied42501(tx.query(`select * from public.worker_queue_stats()`));
				await expectDenied42501(
					tx.query(`select public.worker_release_email(gen_random_uuid(), 'x')`)
				);
				await expectDenied42501(tx.query(`select * from private.email_deliveries`));
				await expectDenied42501(tx.query(`select * from private.unsubscribe_tokens`));
			});
		}
	});
});

// --- the bell and unsubscribing -----------------------------------------------------------------

describe('the bell: each person’s own', () => {
	it('Olivia reads and marks only hers; Grace and Sam see none of them', async () => {
		await db.asUser(SAM, async (tx) => {
			await postMessage(tx, 'Bell');
			await tx.asUser(OLIVIA, async () => {
				const { rows } = await tx.query<{ user_id: string }>(
					`select user_id from public.notifications`
				);
				expect(rows.length).toBeGreaterThan(0);
				expect(new Set(rows.map((r) => r.user_id))).toEqual(new Set([OLIVIA]));
				const marked = await tx.query<{ n: number }>(
					`select public.mark_notifications_read() as n`
				);
				expect(marked.rows[0]!.n).toBeGreaterThan(0);
				const unread = await tx.query(`select 1 from public.notifications where read_at is null`);
				expect(unread.rowCount).toBe(0);
			});
			await tx.asUser(GRACE, async () => {
				const { rows } = await tx.query<{ user_id: string }>(
					`select user_id from public.notifications`
				);
				expect(rows.every((r) => r.user_id === GRACE)).toBe(true);
			});
			// Sam's own message told him nothing.
			const { rows } = await tx.query(
				`select 1 from public.notifications where created_at = now()`
			);
			expect(rows).toHaveLength(0);
		});
	});

	it('someone who leaves an account no longer reads what happened in it', async () => {
		await db.asUser(SAM, async (tx) => {
			await postMessage(tx, 'Before Vera leaves');
			const visible = () =>
				tx.asUser(VERA, () =>
					tx.query(
						`select 1 from public.notifications where account_id = $1 and created_at = now()`,
						[ACME]
					)
				);
			expect((await visible()).rowCount).toBe(1);
			await tx.asOwner(() =>
				tx.query(`delete from public.account_members where account_id = $1 and user_id = $2`, [
					ACME,
					VERA
				])
			);
			expect((await visible()).rowCount).toBe(0);
		});
	});
});

describe('one-click unsubscribe', () => {
	it('the token turns off one kind, or all, for its owner only; a wrong token changes nothing', async () => {
		await db.asUser(null, async (tx) => {
			const { rows } = await tx.asOwner(() =>
				tx.query<{ token: string }>(
					`insert into private.unsubscribe_tokens (user_id) values ($1)
					 on conflict (user_id) do update set user_id = excluded.user_id returning token`,
					[MARK]
				)
			);
			const token = rows[0]!.token;
			const preview = await tx.query<{ email: string; kind: string; frequency: string }>(
				`select * from public.unsubscribe_preview($1)`,
				[token]
			);
			expect(preview.rows.find((r) => r.kind === 'message')).toEqual({
				email: 'mark@acme.example.com',
				kind: 'message',
				frequency: 'immediate'
			});
			expect(
				(await tx.query(`select * from public.unsubscribe_preview(gen_random_uuid())`)).rowCount
			).toBe(0);

			const off = await tx.query<{ ok: boolean }>(
				`select public.unsubscribe($1, 'message') as ok`,
				[token]
			);
			expect(off.rows[0]!.ok).toBe(true);
			const wrong = await tx.query<{ ok: boolean }>(
				`select public.unsubscribe(gen_random_uuid(), null) as ok`
			);
			expect(wrong.rows[0]!.ok).toBe(false);
			await expectError(tx.query(`select public.unsubscribe($1, 'everything')`, [token]), '22023');

			const prefs = await tx.asOwner(() =>
				tx.query<{ user_id: string; kind: string; frequency: string }>(
					`select user_id, kind, frequency from public.notification_preferences where user_id = $1`,
					[MARK]
				)
			);
			expect(prefs.rows).toEqual([{ user_id: MARK, kind: 'message', frequency: 'off' }]);

			await tx.query(`select public.unsubscribe($1, null)`, [token]);
			const all = await tx.asOwner(() =>
				tx.query<{ n: number }>(
					`select count(*)::int as n from public.notification_preferences where user_id = $1 and frequency = 'off'`,
					[MARK]
				)
			);
			expect(all.rows[0]!.n).toBe(7);
		});
	});
});
