/**
 * public.page_context (20261205010000_page_context.sql) gives the layouts in one call what
 * they read table by table before. It is security definer, so it restates each table's
 * policy; this checks that its answer equals what the same person reads through RLS, for
 * every kind of actor and account (one they may not see, a missing one, none at all).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, openTestDb, type TestDb, type Tx } from './harness';

const ACME = '10000000-0000-4000-8000-00000000ac01';
const GLOBEX = '20000000-0000-4000-8000-00000000910b';
const MISSING = '99999999-0000-4000-8000-000000000000';
const ACTORS = {
	'Ada (admin)': 'a0000000-0000-4000-8000-000000000001',
	'Sam (staff, Acme)': 'a0000000-0000-4000-8000-000000000002',
	'Tess (staff, Globex)': 'a0000000-0000-4000-8000-000000000003',
	'Olivia (Acme owner)': 'c0000000-0000-4000-8000-000000000001',
	'Mark (Acme member)': 'c0000000-0000-4000-8000-000000000002',
	'Bill (Acme billing)': 'c0000000-0000-4000-8000-000000000003',
	'Vera (Acme viewer)': 'c0000000-0000-4000-8000-000000000004',
	'Grace (Globex owner)': 'c0000000-0000-4000-8000-000000000005',
	'a signed-in stranger': 'e0000000-0000-4000-8000-000000000001'
};

interface Context {
	business_name: string | null;
	primary_color: string | null;
	logo_path: string | null;
	staff_role: string | null;
	unread_notifications: number | null;
	member_account_ids: string[] | null;
	member_account_names: string[] | null;
	account_id: string | null;
	account_name: string | null;
	account_status: string | null;
	member_role: string | null;
	can_read: boolean | null;
	open_requests: number | null;
	pending_approvals: number | null;
	unread_messages: number | null;
}

let db: TestDb;

beforeAll(async () => {
	db = await openTestDb();
});
afterAll(async () => {
	await db?.close();
});

async function one<T>(tx: Tx, sql: string, params: unknown[] = []): Promise<T | undefined> {
	return (await tx.query<T>(sql, params)).rows[0];
}

/** What the layouts used to read, statement by statement, under each table's policy. */
async function throughPolicies(tx: Tx, me: string, account: string | null): Promise<Context> {
	const branding = await one<{ business_name: string; primary_color: string; logo_path: string }>(
		tx,
		'select business_name, primary_color, logo_path from public.branding'
	);
	const staff = await one<{ role: string }>(
		tx,
		'select role from public.staff_members where user_id = $1',
		[me]
	);
	const unread = await one<{ n: number }>(
		tx,
		'select count(*)::int as n from public.notifications where read_at is null'
	);
	const memberships = (
		await tx.query<{ id: string; name: string }>(
			`select a.id, a.name from public.account_members m
			join public.client_accounts a on a.id = m.account_id
			where m.user_id = $1 order by a.name, a.id`,
			[me]
		)
	).rows;
	const row = account
		? await one<{ id: string; name: string; status: string }>(
				tx,
				'select id, name, status from public.client_accounts where id = $1',
				[account]
			)
		: undefined;
	const role = row
		? await one<{ role: string }>(
				tx,
				'select role from public.account_members where account_id = $1 and user_id = $2',
				[account, me]
			)
		: undefined;
	const canRead = row ? !!staff || ['owner', 'member', 'viewer'].includes(role?.role ?? '') : null;
	const count = async (sql: string, params: unknown[]) =>
		(await one<{ n: number }>(tx, sql, params))!.n;
	return {
		business_name: branding?.business_name ?? null,
		primary_color: branding?.primary_color ?? null,
		logo_path: branding?.logo_path ?? null,
		staff_role: staff?.role ?? null,
		unread_notifications: unread!.n,
		member_account_ids: memberships.map((m) => m.id),
		member_account_names: memberships.map((m) => m.name),
		account_id: row?.id ?? null,
		account_name: row?.name ?? null,
		account_status: row?.status ?? null,
		member_role: role?.role ?? null,
		can_read: canRead,
		open_requests: canRead
			? await count(
					`select count(*)::int as n from public.file_requests
					where account_id = $1 and status = 'open'`,
					[account]
				)
			: null,
		pending_approvals: canRead
			? await count(
					`select count(*)::int as n from public.approval_approvers aa
					join public.approvals a on a.id = aa.approval_id
					where aa.account_id = $1 and aa.user_id = $2 and a.status = 'pending'`,
					[account, me]
				)
			: null,
		unread_messages: canRead
			? await count('select public.unread_message_count($1) as n', [account])
			: null
	};
}

async function pageContext(tx: Tx, account: string | null): Promise<Context> {
	const { branding_updated_at: _updated, ...rest } = (await one<
		Context & { branding_updated_at: unknown }
	>(tx, 'select * from public.page_context($1)', [account]))!;
	return rest;
}

describe('page_context', () => {
	it('answers what each person reads through the policies, for every account', async () => {
		const seen = { staff: 0, notifications: 0, requests: 0, approvals: 0, messages: 0 };
		for (const [name, me] of Object.entries(ACTORS)) {
			for (const account of [ACME, GLOBEX, MISSING, null]) {
				await db.asUser(me, async (tx) => {
					const expected = await throughPolicies(tx, me, account);
					expect(await pageContext(tx, account), `${name}, account ${account}`).toEqual(expected);
					if (expected.staff_role) seen.staff++;
					if (expected.unread_notifications) seen.notifications++;
					if (expected.open_requests) seen.requests++;
					if (expected.pending_approvals) seen.approvals++;
					if (expected.unread_messages) seen.messages++;
				});
			}
		}
		// The comparison means something only if the seed gives each part something to count.
		for (const [part, times] of Object.entries(seen)) expect(times, part).toBeGreaterThan(0);
	});

	it('follows a change at once: a new open request and a notification read', async () => {
		const olivia = ACTORS['Olivia (Acme owner)'];
		await db.asUser(olivia, async (tx) => {
			const before = await pageContext(tx, ACME);
			await tx.asOwner(() =>
				tx.query(
					`insert into public.file_requests (account_id, title, status) values ($1, 'W-9', 'open')`,
					[ACME]
				)
			);
			await tx.query('update public.notifications set read_at = now() where read_at is null');
			const after = await pageContext(tx, ACME);
			expect(after.open_requests).toBe(before.open_requests! + 1);
			expect(after.unread_notifications).toBe(0);
		});
	});

	it('is not for anonymous callers', async () => {
		await db.asUser(null, async (tx) => {
			await expectError(tx.query('select * from public.page_context($1)', [ACME]), '42501');
		});
	});
});
