/**
 * 20261205030000_conversation_speed.sql reshaped the Messages badge (unread_message_count) and
 * thread_page for large accounts. They must answer exactly what the definitions of
 * 20261204020000_performance.sql answered, which this file recreates beside them
 * (private.old_*), for every kind of reader: a client owner and member (read marks, their own
 * messages), the serving staff member (internal notes, their own), an admin (no read marks), a
 * client of another account and the demo seed's people. On the scale seed (a small size), so
 * that private.thread_latest is the one scripts/seed-scale.ts fills, and again after messages
 * are written, edited, moved and deleted, which its triggers must follow.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScaleSeed, scaleIds, scaleSize } from '../../scripts/seed-scale';
import { openTestDb, root, type TestDb, type Tx } from './harness';

const ACCOUNTS = 20;
const size = scaleSize(ACCOUNTS);
const LARGEST = scaleIds.account(1);
const ACME = '10000000-0000-4000-8000-00000000ac01';
const GLOBEX = '20000000-0000-4000-8000-00000000910b';

const READERS = {
	owner: scaleIds.client(1),
	// Also a member of a second account.
	member: scaleIds.client(2),
	staff: scaleIds.staff(1),
	admin: scaleIds.admin(size),
	// Account 2's first client: nothing of the largest account.
	stranger: '',
	ada: 'a0000000-0000-4000-8000-000000000001',
	sam: 'a0000000-0000-4000-8000-000000000002',
	olivia: 'c0000000-0000-4000-8000-000000000001',
	bill: 'c0000000-0000-4000-8000-000000000003',
	vera: 'c0000000-0000-4000-8000-000000000004'
};

/** The calls the app makes (and the edges: no limit, offsets, a null filter, caps). */
const PAGES: [limit: number | null, offset: number | null, unreadOnly: boolean | null][] = [
	[25, 0, false],
	[5, 0, true],
	[1, 0, true],
	[2, 1, true],
	[3, 2, false],
	[null, 0, false],
	[null, 0, true],
	[4, null, null],
	[0, 0, false],
	[200, -3, true]
];
const CAPS = [100, 3, 1, null];

let db: TestDb;
let accounts: string[];

/** The function as the earlier migration created it, renamed to private.old_<name>. */
function oldDefinition(name: string): string {
	const file = readFileSync(
		path.join(root, 'supabase', 'migrations', '20261204020000_performance.sql'),
		'utf8'
	);
	const start = file.indexOf(`create function public.${name}(`);
	const end = file.indexOf('\n$$;', file.indexOf('as $$', start)) + '\n$$;'.length;
	expect(start, name).toBeGreaterThan(-1);
	return file
		.slice(start, end)
		.replace(`create function public.${name}(`, `create function private.old_${name}(`);
}

beforeAll(async () => {
	db = await openTestDb();
	await loadScaleSeed(db.query, { accounts: ACCOUNTS });
	await db.asOwner(async (tx) => {
		for (const name of ['unread_message_count', 'thread_page']) {
			await tx.query(oldDefinition(name));
			await tx.query(`grant execute on function private.old_${name} to authenticated`);
		}
	});
	const { rows } = await db.query<{ account_id: string }>(
		`select account_id from public.account_members where user_id = $1 and account_id <> $2`,
		[READERS.member, LARGEST]
	);
	accounts = [LARGEST, rows[0]!.account_id, ACME, GLOBEX];
	const { rows: stranger } = await db.query<{ user_id: string }>(
		`select user_id from public.account_members where account_id = $1
		 and user_id not in (select user_id from public.account_members where account_id = $2)
		 order by user_id limit 1`,
		[scaleIds.account(2), LARGEST]
	);
	READERS.stranger = stranger[0]!.user_id;
}, 120_000);
afterAll(async () => {
	await db?.close();
});

/** Every reader, every account, every call: the new answer is the old one. */
async function expectSameAnswers(tx: Tx, when: string) {
	for (const [who, userId] of Object.entries(READERS)) {
		await tx.asUser(userId, async () => {
			for (const account of accounts) {
				for (const cap of CAPS) {
					const { rows } = await tx.query<{ now: number; was: number }>(
						`select public.unread_message_count($1, $2) as now,
							private.old_unread_message_count($1, $2) as was`,
						[account, cap]
					);
					expect(rows[0]!.now, `${when}: badge (cap ${cap}) of ${who} in ${account}`).toBe(
						rows[0]!.was
					);
				}
				for (const [limit, offset, unreadOnly] of PAGES) {
					const args = [account, limit, offset, unreadOnly];
					const now = await tx.query('select * from public.thread_page($1, $2, $3, $4)', args);
					const was = await tx.query('select * from private.old_thread_page($1, $2, $3, $4)', args);
					expect(now.rows, `${when}: thread_page(${args.join(', ')}) for ${who}`).toEqual(was.rows);
				}
			}
		});
	}
}

/**
 * The threads whose row in private.thread_latest is not what its messages say: the newest
 * message (its time, and the author of a message at that time) and the newest by anyone else,
 * over all messages and over those clients see; no row is needed for a thread without any.
 */
async function wrongLatest(tx: Tx): Promise<unknown[]> {
	const { rows } = await tx.asOwner(() =>
		tx.query(`
			select t.id, l.*
			from public.threads t
			left join private.thread_latest l on l.thread_id = t.id
			where exists (select 1 from public.messages m where m.thread_id = t.id)
				and (l.thread_id is null or l.account_id <> t.account_id or not (
					l.latest_at is not distinct from
						(select max(m.created_at) from public.messages m where m.thread_id = t.id)
					and exists (select 1 from public.messages m where m.thread_id = t.id
						and m.created_at = l.latest_at and m.author_id is not distinct from l.latest_by)
					and l.others_latest_at is not distinct from (select max(m.created_at)
						from public.messages m
						where m.thread_id = t.id and m.author_id is distinct from l.latest_by)
					and l.shared_latest_at is not distinct from (select max(m.created_at)
						from public.messages m where m.thread_id = t.id and not m.internal)
					and (l.shared_latest_at is null or exists (select 1 from public.messages m
						where m.thread_id = t.id and not m.internal
							and m.created_at = l.shared_latest_at
							and m.author_id is not distinct from l.shared_latest_by))
					and l.shared_others_latest_at is not distinct from (select max(m.created_at)
						from public.messages m where m.thread_id = t.id and not m.internal
							and m.author_id is distinct from l.shared_latest_by)
				))
			union all
			-- and no row for a thread that is gone
			select l.thread_id, l.* from private.thread_latest l
			where not exists (select 1 from public.threads t where t.id = l.thread_id)`)
	);
	return rows;
}

/** The largest account's threads, newest activity first (as the owner sees them). */
async function threadsOf(tx: Tx, account: string): Promise<string[]> {
	const { rows } = await tx.asOwner(() =>
		tx.query<{ id: string }>(
			`select id from public.threads where account_id = $1 order by last_message_at desc, id`,
			[account]
		)
	);
	return rows.map((r) => r.id);
}

describe('the badge and thread_page at scale answer what they replaced', () => {
	it('on the scale seed as loaded (thread_latest filled by the seed)', async () => {
		await db.asUser(READERS.owner, async (tx) => {
			expect(await wrongLatest(tx)).toEqual([]);
			await expectSameAnswers(tx, 'as loaded');
		});
	}, 120_000);

	it('after messages are written, read, edited, moved and deleted', async () => {
		await db.asUser(READERS.owner, async (tx) => {
			const [first, second, third, fourth, fifth, sixth] = await threadsOf(tx, LARGEST);
			const insert = (thread: string, author: string | null, internal: boolean, hours: number) =>
				tx.query(
					`insert into public.messages (thread_id, account_id, author_id, body, internal, created_at)
					 values ($1, $2, $3, 'At scale', $4, now() + make_interval(hours => $5))`,
					[thread, LARGEST, author, internal, hours]
				);
			await tx.asOwner(async () => {
				// The member's own message, then a staff note: unread for the others, not for them.
				await insert(first!, READERS.member, false, 1);
				await insert(first!, READERS.staff, true, 2);
				// Two at the same moment by different people, and one whose author is gone.
				await tx.query(
					`insert into public.messages (thread_id, account_id, author_id, body, created_at)
					 select $1, $2, a, 'Together', now() + interval '3 hours'
					 from unnest($3::uuid[]) a`,
					[second, LARGEST, [READERS.owner, READERS.staff]]
				);
				await insert(third!, null, false, 4);
			});
			expect(await wrongLatest(tx)).toEqual([]);
			await expectSameAnswers(tx, 'after new messages');

			await tx.asOwner(async () => {
				// The member reads the first thread; the admin reads the second; staff read nothing.
				await tx.query(
					`update public.thread_reads set last_read_at = now() + interval '90 minutes'
					 where thread_id = $1 and user_id = $2`,
					[first, READERS.member]
				);
				await tx.query(
					`insert into public.thread_reads (thread_id, account_id, user_id, last_read_at)
					 values ($1, $2, $3, now() + interval '3 hours')`,
					[second, LARGEST, READERS.admin]
				);
				await tx.query(`delete from public.thread_reads where user_id = $1 and thread_id = $2`, [
					READERS.staff,
					fourth
				]);
			});
			await expectSameAnswers(tx, 'after read marks');

			await tx.asOwner(async () => {
				// The newest message deleted, a note made visible, a message given to someone else,
				// one moved to another thread and one back in time.
				await tx.query(
					`delete from public.messages where id = (select id from public.messages
					 where thread_id = $1 order by created_at desc limit 1)`,
					[first]
				);
				await tx.query(
					`update public.messages set internal = not internal where id in (
					 select id from public.messages where thread_id = $1 order by created_at desc limit 2)`,
					[fourth]
				);
				await tx.query(
					`update public.messages set author_id = $2 where id = (select id from public.messages
					 where thread_id = $1 order by created_at desc limit 1)`,
					[fifth, READERS.member]
				);
				await tx.query(
					`update public.messages set thread_id = $2 where id = (select id from public.messages
					 where thread_id = $1 order by created_at desc limit 1)`,
					[sixth, second]
				);
				await tx.query(
					`update public.messages set created_at = created_at - interval '1000 days'
					 where id = (select id from public.messages where thread_id = $1
					 order by created_at desc limit 1)`,
					[third]
				);
			});
			expect(await wrongLatest(tx)).toEqual([]);
			await expectSameAnswers(tx, 'after edits');

			await tx.asOwner(async () => {
				// Every message of one thread deleted, another thread deleted with its messages, and
				// a new thread with none yet.
				await tx.query(`delete from public.messages where thread_id = $1`, [fifth]);
				await tx.query(`delete from public.threads where id = $1`, [sixth]);
				await tx.query(`insert into public.threads (account_id, subject) values ($1, 'Empty')`, [
					LARGEST
				]);
			});
			expect(await wrongLatest(tx)).toEqual([]);
			await expectSameAnswers(tx, 'after deletes');
		});
	}, 300_000);

	it('never counts one’s own newest message, and internal notes only for staff', async () => {
		await db.asUser(READERS.owner, async (tx) => {
			const threads = await threadsOf(tx, LARGEST);
			const [mine, staffOwn, noteAfterGone, noteOnly] = threads.slice(-4);
			const at = (hours: number) => `now() + make_interval(hours => ${hours})`;
			await tx.asOwner(async () => {
				const post = (thread: string, author: string, internal: boolean, hours: number) =>
					tx.query(
						`insert into public.messages (thread_id, account_id, author_id, body, internal, created_at)
						 values ($1, $2, $3, 'Own', $4, ${at(hours)})`,
						[thread, LARGEST, author, internal]
					);
				const readAt = (thread: string, user: string, hours: number) =>
					tx.query(
						`insert into public.thread_reads (thread_id, account_id, user_id, last_read_at)
						 values ($1, $2, $3, ${at(hours)})
						 on conflict (thread_id, user_id) do update set last_read_at = excluded.last_read_at`,
						[thread, LARGEST, user]
					);
				// Read, then wrote: nothing unread for the writer, news for everyone else.
				for (const [thread, writer] of [
					[mine!, READERS.member],
					[staffOwn!, READERS.staff]
				] as const) {
					await readAt(thread, writer, 1);
					await post(thread, writer, false, 2);
				}
				// …then a note by the admin: news for the staff member only.
				await post(staffOwn!, READERS.admin, true, 3);
				// A note after a message that was then deleted: the thread keeps its place
				// (last_message_at), and staff still have the note to read.
				await readAt(noteAfterGone!, READERS.staff, 1);
				await post(noteAfterGone!, READERS.owner, false, 2);
				await post(noteAfterGone!, READERS.admin, true, 3);
				await tx.query(
					`delete from public.messages where thread_id = $1 and created_at = ${at(2)}`,
					[noteAfterGone]
				);
				// Only a note after the read mark: no news for anyone (the thread did not move).
				await readAt(noteOnly!, READERS.staff, 1);
				await post(noteOnly!, READERS.admin, true, 2);
			});
			expect(await wrongLatest(tx)).toEqual([]);
			const unread = (user: string) =>
				tx.asUser(user, async () =>
					(
						await tx.query<{ id: string }>('select id from public.thread_page($1, null, 0, true)', [
							LARGEST
						])
					).rows.map((r) => r.id)
				);
			const member = await unread(READERS.member);
			expect(member).not.toContain(mine);
			expect(member).toContain(staffOwn);
			const staff = await unread(READERS.staff);
			expect(staff).toContain(mine);
			expect(staff).toContain(staffOwn);
			expect(staff).toContain(noteAfterGone);
			expect(staff).not.toContain(noteOnly);
			await expectSameAnswers(tx, 'after own messages and notes');
		});
	}, 120_000);

	it('follows what people do through the app: send_message and start_thread', async () => {
		await db.asUser(READERS.member, async (tx) => {
			const [first] = await threadsOf(tx, LARGEST);
			await tx.query(`select public.send_message($1, 'From the member')`, [first]);
			await tx.asUser(READERS.staff, () =>
				tx.query(`select public.send_message($1, 'A note', '{}', true)`, [first])
			);
			await tx.asUser(READERS.owner, () =>
				tx.query(`select public.start_thread($1, 'New', 'Hello')`, [LARGEST])
			);
			expect(await wrongLatest(tx)).toEqual([]);
			await expectSameAnswers(tx, 'after the app wrote');
		});
	}, 120_000);
});

describe('what the speed relies on', () => {
	it('plans each call for its account, and keeps the covering indexes', async () => {
		const { rows: config } = await db.query<{ name: string; config: string[] }>(
			`select proname as name, proconfig as config from pg_proc
			 where pronamespace = 'public'::regnamespace
				and proname in ('unread_message_count', 'thread_page') order by 1`
		);
		// PL/pgSQL's generic plan, made for an average account, rescanned a large account's read
		// marks once per thread (100-200 ms).
		for (const { name, config: settings } of config) {
			expect(settings, name).toContain('plan_cache_mode=force_custom_plan');
		}
		const { rows: indexes } = await db.query<{ definition: string }>(
			`select pg_get_indexdef(indexrelid) as definition from pg_index
			 where indrelid in ('public.threads'::regclass, 'public.messages'::regclass,
				'public.thread_reads'::regclass, 'private.thread_latest'::regclass)`
		);
		const definitions = indexes.map((r) => r.definition.replace(/ USING btree/, ''));
		for (const expected of [
			'ON public.threads (account_id, last_message_at DESC, id)',
			'ON public.messages (thread_id, created_at) INCLUDE (author_id, internal)',
			'ON public.thread_reads (user_id, account_id) INCLUDE (thread_id, last_read_at)',
			'ON private.thread_latest (account_id) INCLUDE (thread_id, latest_at, latest_by, others_latest_at, shared_latest_at, shared_latest_by, shared_others_latest_at)'
		]) {
			expect(definitions.some((d) => d.endsWith(expected))).toBe(true);
		}
	});
});
