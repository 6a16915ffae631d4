/**
 * What 20261204020000_performance.sql added must answer what it replaced: the Messages badge
 * (public.unread_message_count) is the sum of thread_summaries' unread counts, capped, and
 * thread_page is thread_summaries a page at a time, for every kind of actor; the rewritten
 * helpers and policies are covered by the policy matrix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from './harness';

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
