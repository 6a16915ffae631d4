/**
 * The staff workspace (20261129050000_staff_workspace.sql): branding and its contrast rule,
 * request_approval and reminders, the open-item counts, and the preview of the portal as one
 * client member. The preview is proven the strong way: what it returns is compared with what
 * the member reads directly under their own policies, and nothing a member may not see
 * (internal notes, drafts, the trash, another account) ever appears in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDenied42501, expectError, openTestDb, type TestDb, type Tx } from './harness';

const ACME = '10000000-0000-4000-8000-00000000ac01';
const GLOBEX = '20000000-0000-4000-8000-00000000910b';
const ADA = 'a0000000-0000-4000-8000-000000000001'; // admin
const SAM = 'a0000000-0000-4000-8000-000000000002'; // staff, assigned to Acme
const TESS = 'a0000000-0000-4000-8000-000000000003'; // staff, assigned to Globex only
const OLIVIA = 'c0000000-0000-4000-8000-000000000001'; // Acme owner
const MARK = 'c0000000-0000-4000-8000-000000000002'; // Acme member
const BILL = 'c0000000-0000-4000-8000-000000000003'; // Acme billing
const VERA = 'c0000000-0000-4000-8000-000000000004'; // Acme viewer
const GRACE = 'c0000000-0000-4000-8000-000000000005'; // Globex owner
const NINA = 'c0000000-0000-4000-8000-000000000007'; // Acme viewer, Globex member
const DESIGN_V2 = 'e1000000-0000-4000-8000-000000000002';
const ACME_APPROVAL = 'a1000000-0000-4000-8000-000000000001';

let db: TestDb;

beforeAll(async () => {
	db = await openTestDb();
	console.log(`tests/db: ${db.description} ready in ${(db.setupMs / 1000).toFixed(1)} s`);
});
afterAll(async () => {
	await db?.close();
});

interface Preview {
	role: string;
	account: { id: string; name: string };
	documents: { id: string }[];
	requests: { id: string }[];
	threads: { id: string; message_count: number; unread_count: number }[];
	projects: { id: string }[];
	status_updates: { id: string; published_at: string | null }[];
	approvals: { id: string; waiting_for_member: boolean }[];
	folders: { id: string }[];
}

const preview = async (tx: Tx, account: string, member: string) =>
	(await tx.query<{ p: Preview }>('select public.preview_portal($1, $2) as p', [account, member]))
		.rows[0]!.p;

const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

/** What the member reads directly, as themselves, in the same account. */
async function directView(member: string, account: string) {
	return db.asUser(member, async (tx) => {
		const col = async (sql: string) =>
			(await tx.query<{ id: string }>(sql, [account])).rows.map((r) => r.id).sort();
		return {
			documents: await col(
				'select id from public.documents where account_id = $1 and deleted_at is null'
			),
			requests: await col('select id from public.file_requests where account_id = $1'),
			threads: await col('select id from public.thread_summaries($1)'),
			projects: await col('select id from public.projects where account_id = $1'),
			status_updates: await col('select id from public.status_updates where account_id = $1'),
			approvals: await col('select id from public.approvals where account_id = $1'),
			folders: await col('select id from public.folders where account_id = $1'),
			messages: (
				await tx.query<{ n: number }>(
					'select count(*)::int as n from public.messages where account_id = $1',
					[account]
				)
			).rows[0]!.n
		};
	});
}

describe('preview as a client member', () => {
	for (const [name, member] of [
		['Olivia (owner)', OLIVIA],
		['Mark (member)', MARK],
		['Vera (viewer)', VERA],
		['Bill (billing)', BILL],
		['Nina (viewer here, member of Globex)', NINA]
	] as const) {
		it(`shows Sam exactly what ${name} reads under their own policies`, async () => {
			const direct = await directView(member, ACME);
			const shown = await db.asUser(SAM, (tx) => preview(tx, ACME, member));
			expect(ids(shown.documents)).toEqual(direct.documents);
			expect(ids(shown.requests)).toEqual(direct.requests);
			expect(ids(shown.threads)).toEqual(direct.threads);
			expect(ids(shown.projects)).toEqual(direct.projects);
			expect(ids(shown.status_updates)).toEqual(direct.status_updates);
			expect(ids(shown.approvals)).toEqual(direct.approvals);
			expect(ids(shown.folders)).toEqual(direct.folders);
			const shownMessages = shown.threads.reduce((n, t) => n + t.message_count, 0);
			expect(shownMessages).toBe(direct.messages);
		});
	}

	it('never contains an internal note, a draft or a trashed document, which Sam himself sees', async () => {
		const asSam = await db.asUser(SAM, async (tx) => ({
			internal: (
				await tx.query<{ n: number }>(
					`select count(*)::int as n from public.messages where account_id = $1 and internal`,
					[ACME]
				)
			).rows[0]!.n,
			drafts: (
				await tx.query<{ id: string }>(
					`select id from public.status_updates where account_id = $1 and published_at is null`,
					[ACME]
				)
			).rows.map((r) => r.id),
			messages: (
				await tx.query<{ n: number }>(
					`select count(*)::int as n from public.messages where account_id = $1`,
					[ACME]
				)
			).rows[0]!.n
		}));
		// The seed has both, so the comparison below means something.
		expect(asSam.internal).toBeGreaterThan(0);
		expect(asSam.drafts.length).toBeGreaterThan(0);

		const shown = await db.asUser(SAM, (tx) => preview(tx, ACME, OLIVIA));
		expect(shown.status_updates.every((s) => s.published_at !== null)).toBe(true);
		for (const draft of asSam.drafts) expect(ids(shown.status_updates)).not.toContain(draft);
		const shownMessages = shown.threads.reduce((n, t) => n + t.message_count, 0);
		expect(shownMessages).toBe(asSam.messages - asSam.internal);
	});

	it('shows Olivia the approval waiting for her, as the portal would', async () => {
		const shown = await db.asUser(SAM, (tx) => preview(tx, ACME, OLIVIA));
		expect(shown.approvals.find((a) => a.id === ACME_APPROVAL)?.waiting_for_member).toBe(true);
		const asVera = await db.asUser(SAM, (tx) => preview(tx, ACME, VERA));
		expect(asVera.approvals.find((a) => a.id === ACME_APPROVAL)?.waiting_for_member).toBe(false);
	});

	it('shows nothing of Globex when Nina, a Globex member too, is previewed in Acme', async () => {
		const shown = await db.asUser(SAM, (tx) => preview(tx, ACME, NINA));
		const globex = await directView(NINA, GLOBEX);
		expect(globex.documents.length).toBeGreaterThan(0);
		for (const id of globex.documents) expect(ids(shown.documents)).not.toContain(id);
	});

	it('makes the rest of its transaction the member’s and read-only; the next one is the staff member’s', async () => {
		await db.asUser(SAM, async (tx) => {
			// One block, as PostgREST runs a request: the preview, then an attempt to write in
			// the same transaction (the harness runs each tx.query in a savepoint, which would
			// end a read-only setting, so the attempt must be in the same statement).
			const r = await tx.query<{ uid: string }>(
				`do $$
				 begin
					perform public.preview_portal('${ACME}', '${OLIVIA}');
					if auth.uid() <> '${OLIVIA}' then raise exception 'identity not switched'; end if;
					begin
						insert into public.folders (account_id, name) values ('${ACME}', 'Written in preview');
						raise exception 'wrote during a preview';
					exception when read_only_sql_transaction then null;
					end;
				 end $$`
			);
			expect(r.rowCount).toBe(0);
		});
		const who = await db.asUser(SAM, (tx) =>
			tx.query<{ uid: string }>('select auth.uid()::text as uid')
		);
		expect(who.rows[0]!.uid).toBe(SAM);
	});

	it('is refused to staff who do not serve the account, to clients, and for non-members', async () => {
		await db.asUser(TESS, (tx) => expectDenied42501(preview(tx, ACME, OLIVIA)));
		await db.asUser(OLIVIA, (tx) => expectDenied42501(preview(tx, ACME, MARK)));
		await db.asUser(GRACE, (tx) => expectDenied42501(preview(tx, ACME, OLIVIA)));
		await db.asUser(null, (tx) =>
			expectDenied42501(tx.query('select public.preview_portal($1, $2)', [ACME, OLIVIA]))
		);
		// Grace is not in Acme: no preview of her through Acme.
		await db.asUser(SAM, (tx) => expectError(preview(tx, ACME, GRACE), '22023'));
		// An admin previews any account.
		const asAda = await db.asUser(ADA, (tx) => preview(tx, GLOBEX, GRACE));
		expect(asAda.role).toBe('owner');
	});

	it('records who previewed as whom in the account activity', async () => {
		await db.asUser(SAM, async (tx) => {
			await preview(tx, ACME, MARK);
			const logged = await tx.asOwner(() =>
				tx.query<{ actor_id: string; subject_user_id: string }>(
					`select actor_id, subject_user_id from public.activity_log
					 where account_id = $1 and action = 'account.previewed'`,
					[ACME]
				)
			);
			expect(logged.rows).toEqual([{ actor_id: SAM, subject_user_id: MARK }]);
		});
	});
});

describe('branding', () => {
	it('is read by anyone, even before signing in', async () => {
		const row = await db.asUser(null, (tx) =>
			tx.query<{ business_name: string }>('select business_name from public.branding')
		);
		expect(row.rows).toHaveLength(1);
	});

	it('is changed by admins only, and stamps who changed it', async () => {
		for (const actor of [SAM, OLIVIA, null]) {
			await db.asUser(actor, async (tx) => {
				const r = await tx
					.query(`update public.branding set business_name = 'Hijack'`)
					.catch((e: unknown) => e);
				// Staff and clients match no row (0 updated); anon has no grant at all.
				if (r instanceof Error) expect((r as { code?: string }).code).toBe('42501');
				else expect((r as { rowCount: number }).rowCount).toBe(0);
			});
		}
		await db.asUser(ADA, async (tx) => {
			const r = await tx.query<{ updated_by: string }>(
				`update public.branding set business_name = 'Northwind Studio', primary_color = '#7c2d12'
				 returning updated_by`
			);
			expect(r.rows).toEqual([{ updated_by: ADA }]);
		});
	});

	it('refuses a primary colour that fails WCAG AA under white button text', async () => {
		await db.asUser(ADA, async (tx) => {
			// #3b82f6 (a light blue) gives 3.68:1; #777777 gives 4.48:1, just under.
			for (const colour of ['#3b82f6', '#777777', '#ffff00']) {
				await expectError(
					tx.query(`update public.branding set primary_color = $1`, [colour]),
					'23514'
				);
			}
			// #767676 is the classic lightest grey that passes (4.54:1).
			await tx.query(`update public.branding set primary_color = '#767676'`);
			await expectError(tx.query(`update public.branding set primary_color = 'red'`), '23514');
		});
	});

	it('computes the contrast as WCAG defines it', async () => {
		const r = await db.query<{ black: number; blue: number }>(
			`select round(private.contrast_with_white('#000000')::numeric, 2)::float as black,
			        round(private.contrast_with_white('#1d4ed8')::numeric, 2)::float as blue`
		);
		expect(r.rows[0]).toEqual({ black: 21, blue: 6.7 });
	});
});

describe('request_approval and reminders', () => {
	it('creates the approval with its approvers in one statement, or nothing', async () => {
		await db.asUser(SAM, async (tx) => {
			const made = await tx.query<{ id: string }>(
				`select public.request_approval($1, $2, 'Sign off v2', $3, 'Please look') as id`,
				[ACME, DESIGN_V2, [OLIVIA, MARK, OLIVIA]]
			);
			const id = made.rows[0]!.id;
			const approvers = await tx.query<{ user_id: string }>(
				'select user_id from public.approval_approvers where approval_id = $1 order by user_id',
				[id]
			);
			expect(approvers.rows.map((r) => r.user_id)).toEqual([OLIVIA, MARK].sort());

			const before = await tx.asOwner(() =>
				tx.query<{ n: number }>('select count(*)::int as n from public.approvals')
			);
			// Vera is a viewer: the approvers' rule refuses her, and the approval goes too.
			await expectError(
				tx.query(`select public.request_approval($1, $2, 'Again', $3)`, [
					ACME,
					DESIGN_V2,
					[OLIVIA, VERA]
				]),
				'42501'
			);
			await expectError(
				tx.query(`select public.request_approval($1, $2, 'Nobody', '{}')`, [ACME, DESIGN_V2]),
				'22023'
			);
			const after = await tx.asOwner(() =>
				tx.query<{ n: number }>('select count(*)::int as n from public.approvals')
			);
			expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
		});
	});

	it('is refused to clients and to staff of other accounts', async () => {
		for (const actor of [OLIVIA, TESS]) {
			await db.asUser(actor, (tx) =>
				expectDenied42501(
					tx.query(`select public.request_approval($1, $2, 'X', $3)`, [ACME, DESIGN_V2, [OLIVIA]])
				)
			);
		}
	});

	it('stamps a reminder, logs it, and refuses another within the hour', async () => {
		await db.asUser(SAM, async (tx) => {
			const r = await tx.query<{ last_reminded_at: string }>(
				`update public.approvals set last_reminded_at = '2000-01-01' where id = $1
				 returning last_reminded_at`,
				[ACME_APPROVAL]
			);
			// The database stamps the time, whatever was sent.
			expect(new Date(r.rows[0]!.last_reminded_at).getFullYear()).toBeGreaterThan(2000);
			await expectError(
				// (a value other than the stamp: the same value is no change, hence no reminder)
				tx.query(`update public.approvals set last_reminded_at = '2001-01-01' where id = $1`, [
					ACME_APPROVAL
				]),
				'PT409'
			);
			const logged = await tx.asOwner(() =>
				tx.query(
					`select 1 from public.activity_log where action = 'approval.reminded' and account_id = $1`,
					[ACME]
				)
			);
			expect(logged.rowCount).toBe(1);
		});
		// Clients cannot remind (no row matches their update).
		await db.asUser(OLIVIA, async (tx) => {
			const r = await tx.query(
				`update public.approvals set last_reminded_at = now() where id = $1`,
				[ACME_APPROVAL]
			);
			expect(r.rowCount).toBe(0);
		});
	});
});

describe('open items per account', () => {
	it('counts under the caller’s policies: staff see their accounts, clients their own', async () => {
		const asSam = await db.asUser(SAM, (tx) =>
			tx.query<{ account_id: string; open_requests: number; pending_approvals: number }>(
				'select account_id, open_requests, pending_approvals from public.account_open_items'
			)
		);
		expect(asSam.rows.map((r) => r.account_id)).toEqual([ACME]);
		expect(asSam.rows[0]!.pending_approvals).toBe(1);
		expect(asSam.rows[0]!.open_requests).toBeGreaterThan(0);

		const asAda = await db.asUser(ADA, (tx) =>
			tx.query<{ account_id: string }>('select account_id from public.account_open_items')
		);
		expect(asAda.rows.map((r) => r.account_id).sort()).toEqual([ACME, GLOBEX].sort());

		const asBill = await db.asUser(BILL, (tx) =>
			tx.query<{ open_requests: number; pending_approvals: number }>(
				'select open_requests, pending_approvals from public.account_open_items'
			)
		);
		// Billing users see their account but none of its content.
		expect(asBill.rows).toEqual([{ open_requests: 0, pending_approvals: 0 }]);
		await db.asUser(null, (tx) =>
			expectDenied42501(tx.query('select * from public.account_open_items'))
		);
	});
});

describe('file requests closed by staff', () => {
	it('records when a request was closed or cancelled, and forgets it when reopened', async () => {
		const LOGO_REQUEST = 'f1000000-0000-4000-8000-000000000001';
		await db.asUser(SAM, async (tx) => {
			const closedAt = async (status: string) =>
				(
					await tx.query<{ closed_at: string | null }>(
						`update public.file_requests set status = $2 where id = $1 returning closed_at`,
						[LOGO_REQUEST, status]
					)
				).rows[0]!.closed_at;
			expect(await closedAt('closed')).not.toBeNull();
			expect(await closedAt('open')).toBeNull();
			expect(await closedAt('cancelled')).not.toBeNull();
		});
	});
});
