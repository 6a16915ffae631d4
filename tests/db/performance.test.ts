/**
 * What 20261204020000_performance.sql added must answer what it replaced: the Messages badge
 * (public.unread_message_count) is the sum of thread_summaries' unread counts, capped, and
 * thread_page is thread_summaries a page at a time, for every kind of actor; the rewritten
 * helpers and policies are covered by the policy matrix. What 20261205020000_lists_at_scale.sql
 * reshaped must return the same rows (the cases the matrix does not reach: an admin and the
 * history of a deleted account, everyone's visible profiles, the open items per account), and
 * the plans must keep the shape that made them fast at scale (`plan` below).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb, type Tx } from './harness';

const ACME = '10000000-0000-4000-8000-00000000ac01';
const GLOBEX = '20000000-0000-4000-8000-00000000910b';
const ACME_THREAD = '71000000-0000-4000-8000-000000000001';
const ACTORS = {
	ada: 'a0000000-0000-4000-8000-000000000001',
	sam: 'a0000000-0000-4000-8000-000000000002',
	tess: 'a0000000-0000-4000-8000-000000000003',
	olivia: 'c0000000-0000-4000-8000-000000000001',
	mark: 'c0000000-0000-4000-8000-000000000002',
	bill: 'c0000000-0000-4000-8000-000000000003',
	vera: 'c0000000-0000-4000-8000-000000000004',
	grace: 'c0000000-0000-4000-8000-000000000005'
};

let db: TestDb;

beforeAll(async () => {
	db = await openTestDb();
});
afterAll(async () => {
	await db?.close();
});

describe('the Messages badge (unread_message_count)', () => {
	it('equals the sum of thread_summaries’ unread counts for every actor and account', async () => {
		for (const [name, id] of Object.entries(ACTORS)) {
			for (const account of [ACME, GLOBEX]) {
				await db.asUser(id, async (tx) => {
					const summed = await tx.query<{ n: number }>(
						'select coalesce(sum(unread_count), 0)::int as n from public.thread_summaries($1)',
						[account]
					);
					const badge = await tx.query<{ n: number }>(
						'select public.unread_message_count($1) as n',
						[account]
					);
					expect(badge.rows[0]!.n, `${name} in ${account}`).toBe(summed.rows[0]!.n);
				});
			}
		}
	});

	it('counts new messages, not one’s own, and stops at the cap', async () => {
		await db.asUser(ACTORS.sam, async (tx) => {
			const before = (
				await tx.asUser(ACTORS.olivia, () =>
					tx.query<{ n: number }>('select public.unread_message_count($1) as n', [ACME])
				)
			).rows[0]!.n;
			await tx.query(
				`insert into public.messages (thread_id, account_id, body)
				 select $1, $2, 'News ' || i from generate_series(1, 5) as i`,
				[ACME_THREAD, ACME]
			);
			const count = (cap: number) =>
				tx.query<{ n: number }>('select public.unread_message_count($1, $2) as n', [ACME, cap]);
			await tx.asUser(ACTORS.olivia, async () => {
				expect((await count(100)).rows[0]!.n).toBe(before + 5);
				expect((await count(3)).rows[0]!.n).toBe(3);
			});
			// Sam wrote them: none is unread for him.
			expect((await count(100)).rows[0]!.n).toBe(
				(
					await tx.query<{ n: number }>(
						'select coalesce(sum(unread_count), 0)::int as n from public.thread_summaries($1)',
						[ACME]
					)
				).rows[0]!.n
			);
		});
	});
});

interface Summary {
	id: string;
	subject: string;
	message_count: number;
	unread_count: number;
}

describe('conversations a page at a time (thread_page)', () => {
	it('is thread_summaries sliced, with its total, for every actor and account', async () => {
		for (const [name, id] of Object.entries(ACTORS)) {
			for (const account of [ACME, GLOBEX]) {
				await db.asUser(id, async (tx) => {
					// More threads than a page of 2, so the slicing is exercised.
					await tx.asOwner(() =>
						tx.query(
							`insert into public.threads (account_id, subject)
							 select $1, 'Extra ' || i from generate_series(1, 3) as i`,
							[account]
						)
					);
					const all = (
						await tx.query<Summary>(
							'select id, subject, message_count, unread_count from public.thread_summaries($1)',
							[account]
						)
					).rows;
					const pages: Summary[] = [];
					for (let offset = 0; offset < all.length + 2; offset += 2) {
						const { rows } = await tx.query<Summary & { total: number }>(
							'select * from public.thread_page($1, 2, $2)',
							[account, offset]
						);
						for (const row of rows) expect(row.total, `${name}`).toBe(all.length);
						pages.push(
							...rows.map(({ id, subject, message_count, unread_count }) => ({
								id,
								subject,
								message_count,
								unread_count
							}))
						);
					}
					expect(pages, `${name} in ${account}`).toEqual(all);

					const unread = (
						await tx.query<{ id: string; total: number }>(
							'select id, total from public.thread_page($1, 100, 0, true)',
							[account]
						)
					).rows;
					expect(
						unread.map((r) => r.id),
						`${name} unread in ${account}`
					).toEqual(all.filter((t) => t.unread_count > 0).map((t) => t.id));
				});
			}
		}
	});
});

interface PlanNode {
	'Node Type': string;
	'Relation Name'?: string;
	'Index Name'?: string;
	'Index Cond'?: string;
	'Recheck Cond'?: string;
	'Actual Loops'?: number;
	Plans?: PlanNode[];
}

/** Every node of a statement's plan as the current user (EXPLAIN, JSON; ANALYZE if asked). */
async function plan(tx: Tx, sql: string, { analyze = false } = {}): Promise<PlanNode[]> {
	// The seed's tables are tiny, where a sequential scan is always cheapest: make Postgres show
	// the index it would use at scale instead.
	await tx.query('set local enable_seqscan = off');
	const { rows } = await tx.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
		`explain (format json${analyze ? ', analyze' : ''}) ${sql}`
	);
	await tx.query('reset enable_seqscan');
	const nodes: PlanNode[] = [];
	const walk = (node: PlanNode) => {
		nodes.push(node);
		for (const child of node.Plans ?? []) walk(child);
	};
	walk(rows[0]!['QUERY PLAN'][0].Plan);
	return nodes;
}

/** The activity page's statement (src/lib/server/activity.ts): a page and one more row. */
const activityPage = (account: string) =>
	`select id, actor_id, action, subject_user_id, details, created_at from public.activity_log
	 where account_id = '${account}' order by created_at desc, id desc limit 26`;

describe('activity_log: admins decided once per statement', () => {
	it('shows an admin the workspace and every existing account, not a deleted account’s history', async () => {
		await db.asUser(ACTORS.ada, async (tx) => {
			const gone = crypto.randomUUID();
			await tx.asOwner(async () => {
				await tx.query(`insert into public.client_accounts (id, name) values ($1, 'Gone Ltd')`, [
					gone
				]);
				await tx.query(
					`insert into public.activity_log (account_id, action) values ($1, 'account.imported'), (null, 'staff.imported')`,
					[gone]
				);
			});
			// Entries per account (null: the workspace's).
			const seen = async () =>
				(
					await tx.query<{ account_id: string | null; n: number }>(
						`select account_id, count(*)::int as n from public.activity_log
						 group by 1 order by 1 nulls first`
					)
				).rows;
			// Everything there is: every account's history and the workspace's.
			const all = await tx.asOwner(seen);
			expect(await seen()).toEqual(all);
			expect(all.some((r) => r.account_id === gone)).toBe(true);
			expect(all.some((r) => r.account_id === null)).toBe(true);

			// The account is deleted, its history stays: no longer an admin's to read.
			await tx.asOwner(() => tx.query('delete from public.client_accounts where id = $1', [gone]));
			expect(await seen()).toEqual(all.filter((r) => r.account_id !== gone));
			// The history itself is kept (append-only, no foreign key).
			const kept = await tx.asOwner(() =>
				tx.query('select 1 from public.activity_log where account_id = $1', [gone])
			);
			expect(kept.rowCount).toBeGreaterThan(0);
		});
	});

	it('gives everyone what the old policy gave them', async () => {
		// The old policy, evaluated over every row as the owner under the caller's claims (the
		// helpers read auth.uid() from them).
		const oldPolicy = `account_id in (select private.manageable_accounts())
			or (account_id in (select private.member_accounts(array['member', 'viewer'])) and action !~ '^invitation\\.')
			or (account_id in (select private.member_accounts(array['billing'])) and action ~ '^(member|account)\\.')
			or (account_id is null and (select private.is_admin()))`;
		for (const [name, id] of Object.entries(ACTORS)) {
			await db.asUser(id, async (tx) => {
				const ids = (sql: string) => tx.query<{ id: number }>(sql).then((r) => r.rows);
				const visible = await ids('select id from public.activity_log order by id');
				const byOld = await tx.asOwner(() =>
					ids(`select id from public.activity_log where ${oldPolicy} order by id`)
				);
				expect(visible, name).toEqual(byOld);
			});
		}
	});

	it('computes no account set for an admin’s activity page', async () => {
		await db.asUser(ACTORS.ada, async (tx) => {
			const nodes = await plan(tx, activityPage(ACME), { analyze: true });
			// The helpers' sets are function scans (ProjectSet): built only if a row needs one.
			const helperSets = nodes.filter((n) => n['Node Type'] === 'ProjectSet');
			expect(helperSets.length).toBeGreaterThan(0);
			for (const node of helperSets) expect(node['Actual Loops']).toBe(0);
			// The admin's branch probes client_accounts by primary key, row by row.
			const probe = nodes.find((n) => n['Relation Name'] === 'client_accounts');
			expect(probe?.['Index Cond']).toMatch(/\(id = \w+\.account_id\)/);
		});
	});
});

describe('profiles: the people of visible accounts, probed per profile', () => {
	it('shows everyone the same profiles as the old policies', async () => {
		// The old policy and the clients' one, evaluated as the owner under the caller's claims.
		const oldPolicies = `id = (select auth.uid())
			or ((select private.is_staff()) and id in (select s.user_id from public.staff_members s))
			or id in (select m.user_id from public.account_members m
				where (select private.is_admin()) or m.account_id in (select private.visible_accounts()))
			or id in (select private.serving_staff())`;
		for (const [name, id] of Object.entries(ACTORS)) {
			await db.asUser(id, async (tx) => {
				const ids = (sql: string) => tx.query<{ id: string }>(sql).then((r) => r.rows);
				const visible = await ids('select id from public.profiles order by id');
				const byOld = await tx.asOwner(() =>
					ids(`select id from public.profiles where ${oldPolicies} order by id`)
				);
				expect(visible, name).toEqual(byOld);
				expect(visible.length, name).toBeGreaterThan(0);
			});
		}
	});

	it('looks up a page’s names by account_members.user_id, not by hashing every membership', async () => {
		await db.asUser(ACTORS.olivia, async (tx) => {
			const nodes = await plan(
				tx,
				`select id, display_name, email from public.profiles where id in ('${ACTORS.mark}', '${ACTORS.sam}')`
			);
			const members = nodes.filter((n) => n['Relation Name'] === 'account_members');
			expect(members.length).toBeGreaterThan(0);
			// An index scan, or a bitmap scan (its heap node rechecks the same condition).
			for (const node of members) {
				expect(node['Index Cond'] ?? node['Recheck Cond']).toMatch(/user_id = \w+\.id\b/);
			}
		});
	});
});

describe('account_open_items: file requests counted in one pass', () => {
	it('answers what the three subqueries answered, for every actor', async () => {
		const old = `select a.id as account_id,
			(select count(*) from public.file_requests r where r.account_id = a.id and r.status = 'open')::integer as open_requests,
			(select count(*) from public.file_requests r where r.account_id = a.id and r.status = 'open' and r.due_on < current_date)::integer as overdue_requests,
			(select count(*) from public.file_requests r where r.account_id = a.id and r.status = 'submitted')::integer as submitted_requests,
			(select count(*) from public.approvals p where p.account_id = a.id and p.status = 'pending')::integer as pending_approvals,
			(select max(l.created_at) from public.activity_log l where l.account_id = a.id) as last_activity_at
			from public.client_accounts a order by 1`;
		await db.asUser(ACTORS.sam, async (tx) => {
			// One of each kind in Acme, so that every count is exercised.
			await tx.asOwner(() =>
				tx.query(
					`insert into public.file_requests (account_id, title, status, due_on) values
						($1, 'Overdue', 'open', current_date - 3), ($1, 'Later', 'open', current_date + 3),
						($1, 'Sent', 'submitted', null), ($1, 'Done', 'closed', null)`,
					[ACME]
				)
			);
			for (const [name, id] of Object.entries(ACTORS)) {
				await tx.asUser(id, async () => {
					const view = (await tx.query('select * from public.account_open_items order by 1')).rows;
					expect(view, name).toEqual((await tx.query(old)).rows);
				});
			}
			const acme = (
				await tx.query<{
					open_requests: number;
					overdue_requests: number;
					submitted_requests: number;
				}>('select * from public.account_open_items where account_id = $1', [ACME])
			).rows[0]!;
			expect(acme.open_requests).toBeGreaterThanOrEqual(2);
			expect(acme.overdue_requests).toBeGreaterThanOrEqual(1);
			expect(acme.submitted_requests).toBeGreaterThanOrEqual(1);
		});
	});
});

describe('a thread page’s attachable documents', () => {
	it('reads the documents in name order and each folder by account and id', async () => {
		await db.asUser(ACTORS.olivia, async (tx) => {
			const nodes = await plan(
				tx,
				`select t.id, t.name, t.size_bytes,
					(select row_to_json(r) from (select f.name from public.folders f
						where f.id = t.folder_id and f.account_id = t.account_id) r limit 1) as folder
				 from public.documents t
				 where t.account_id = '${ACME}' and t.deleted_at is null order by t.name, t.id limit 500`
			);
			expect(nodes.find((n) => n['Relation Name'] === 'documents')?.['Index Name']).toBe(
				'documents_live_account_name_idx'
			);
			expect(nodes.some((n) => n['Node Type'] === 'Sort')).toBe(false);
			const folder = nodes.find((n) => n['Relation Name'] === 'folders');
			expect(folder?.['Index Cond']).toMatch(/id = t\.folder_id/);
			expect(folder?.['Index Cond']).toMatch(/account_id = t\.account_id/);
		});
	});
});
