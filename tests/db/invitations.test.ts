/**
 * The invitation, role-change and activity-log migration (20261129020000), through its entry
 * points as real users: create_invitation, create_staff_invitation, accept_invitation,
 * invitation_preview, resend_invitation, revoke_invitation, operator_grant_admin; the
 * last-owner / last-admin triggers; and the activity log the triggers write.
 *
 * Every test runs in a transaction that is rolled back (asUser). Within it, tx.asUser switches
 * to another actor (the invitee who accepts, say) and tx.asOwner inspects what really happened.
 * Refusals are checked for their exact SQLSTATE and message, and for leaving every table the
 * entry points touch exactly as it was (`expectRefused`).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	expectDenied42501,
	expectError,
	openTestDb,
	SERVICE_ROLE,
	type Actor,
	type Row,
	type TestDb,
	type Tx
} from './harness';

// --- the cast (seed.sql, plus a stranger made below) -------------------------------------------

const ACME = '10000000-0000-4000-8000-00000000ac01';
const GLOBEX = '20000000-0000-4000-8000-00000000910b';

const ADA = 'a0000000-0000-4000-8000-000000000001'; // admin (the only one)
const SAM = 'a0000000-0000-4000-8000-000000000002'; // staff, assigned to Acme
const TESS = 'a0000000-0000-4000-8000-000000000003'; // staff, assigned to Globex only
const OLIVIA = 'c0000000-0000-4000-8000-000000000001'; // Acme owner (the only one)
const MARK = 'c0000000-0000-4000-8000-000000000002'; // Acme member
const BILL = 'c0000000-0000-4000-8000-000000000003'; // Acme billing
const VERA = 'c0000000-0000-4000-8000-000000000004'; // Acme viewer
const GRACE = 'c0000000-0000-4000-8000-000000000005'; // Globex owner
const STRANGER = 'e0000000-0000-4000-8000-000000000001'; // signed up, in no account

/**
 * The SQLSTATEs the migration raises besides 42501/22023/23505 (its header explains them:
 * PostgREST answers PTnnn with HTTP nnn).
 */
const NOT_FOUND = 'PT404'; // invitation_not_found
const CONFLICT = 'PT409'; // last_owner, last_admin

const CLIENT_ROLES = ['owner', 'member', 'billing', 'viewer'] as const;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
/** A token of the right shape that no invitation has. */
const randomToken = () => randomBytes(32).toString('base64url');

// --- helpers ----------------------------------------------------------------------------------

let db: TestDb;

beforeAll(async () => {
	db = await openTestDb();
	console.log(`tests/db: ${db.description} ready in ${(db.setupMs / 1000).toFixed(1)} s`);
	await db.asOwner((tx) =>
		tx.query(
			`insert into auth.users (id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
			 values ('${STRANGER}', 'authenticated', 'authenticated', 'stranger@example.net', now(),
			         '{"provider": "email", "providers": ["email"]}', '{"display_name": "Stan Stranger"}', now(), now())`
		)
	);
});

afterAll(async () => {
	await db?.close();
});

/** A new signed-up user (made as the owner, inside the test's transaction); returns the id. */
async function newUser(
	tx: Tx,
	email: string,
	{ confirmed = true, name = 'New Person' } = {}
): Promise<string> {
	const id = randomUUID();
	await tx.asOwner(() =>
		tx.query(
			`insert into auth.users (id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
			 values ($1::uuid, 'authenticated', 'authenticated', $2::text, case when $3::boolean then now() end,
			         '{"provider": "email", "providers": ["email"]}', jsonb_build_object('display_name', $4::text), now(), now())`,
			[id, email, confirmed, name]
		)
	);
	return id;
}

interface Issued {
	invitation_id: string;
	token: string;
}

async function invite(tx: Tx, account: string | null, email: string | null, role: string | null) {
	const { rows } = await tx.query<Issued>(
		`select invitation_id, token from public.create_invitation($1::uuid, $2::text, $3::text)`,
		[account, email, role]
	);
	expect(rows).toHaveLength(1);
	return rows[0]!;
}

async function inviteStaff(tx: Tx, email: string | null, role: string | null) {
	const { rows } = await tx.query<Issued>(
		`select invitation_id, token from public.create_staff_invitation($1::text, $2::text)`,
		[email, role]
	);
	expect(rows).toHaveLength(1);
	return rows[0]!;
}

const acceptSql = `select kind, account_id, role from public.accept_invitation($1::text)`;
const accept = (tx: Tx, token: string | null) => tx.query(acceptSql, [token]);
const resend = (tx: Tx, id: string) =>
	tx.query<Issued>(`select invitation_id, token from public.resend_invitation($1::uuid)`, [id]);
const revoke = (tx: Tx, id: string) => tx.query(`select public.revoke_invitation($1::uuid)`, [id]);
const preview = (tx: Tx, token: string | null) =>
	tx.query(
		`select kind, account_name, role, email, invited_by_name, status,
		        expires_at = now() + interval '7 days' as fresh
		   from public.invitation_preview($1::text)`,
		[token]
	);

/** The invitation's row as stored (token_hash as hex), read as the owner. */
async function stored(tx: Tx, id: string) {
	const { rows } = await tx.asOwner(() =>
		tx.query(
			`select kind, account_id, email, role, encode(token_hash, 'hex') as token_hash, invited_by,
			        expires_at = now() + interval '7 days' as expires_in_7_days,
			        accepted_at is not null as accepted, accepted_by,
			        revoked_at is not null as revoked, revoked_by
			   from public.invitations where id = $1::uuid`,
			[id]
		)
	);
	expect(rows, `invitation ${id}`).toHaveLength(1);
	return rows[0]!;
}

/** Everything the entry points and triggers write, as one string (read as the owner). */
async function state(tx: Tx): Promise<string> {
	const { rows } = await tx.asOwner(() =>
		tx.query<{ state: string }>(
			`select json_build_object(
			   'invitations', (select json_agg(t order by t.id) from public.invitations t),
			   'members', (select json_agg(t order by t.account_id, t.user_id) from public.account_members t),
			   'staff', (select json_agg(t order by t.user_id) from public.staff_members t),
			   'assignments', (select json_agg(t order by t.account_id, t.staff_user_id) from public.staff_assignments t),
			   'accounts', (select json_agg(t order by t.id) from public.client_accounts t),
			   'activity', (select json_agg(t order by t.id) from public.activity_log t)
			 )::text as state`
		)
	);
	return rows[0]!.state;
}

/** Refused with exactly this SQLSTATE and message, and nothing changed anywhere. */
async function expectRefused(
	tx: Tx,
	attempt: () => Promise<unknown>,
	code: string,
	message: string
): Promise<void> {
	const before = await state(tx);
	const error = await expectError(attempt(), code);
	expect(error.message).toBe(message);
	expect(await state(tx), 'nothing changed').toBe(before);
}

/** The client memberships and staff role a user has, read as the owner. */
async function standing(tx: Tx, userId: string) {
	const { rows } = await tx.asOwner(() =>
		tx.query<{ memberships: Row[] | null; staff_role: string | null }>(
			`select (select json_agg(json_build_object('account_id', account_id, 'role', role) order by account_id)
			           from public.account_members where user_id = $1::uuid) as memberships,
			        (select role from public.staff_members where user_id = $1::uuid) as staff_role`,
			[userId]
		)
	);
	return { memberships: rows[0]!.memberships ?? [], staffRole: rows[0]!.staff_role };
}

async function lastActivityId(tx: Tx): Promise<number> {
	const { rows } = await tx.asOwner(() =>
		tx.query<{ id: number }>(`select coalesce(max(id), 0)::int as id from public.activity_log`)
	);
	return rows[0]!.id;
}

/** The activity rows written after `since`, in order, read as the owner. */
async function activitySince(tx: Tx, since: number) {
	const { rows } = await tx.asOwner(() =>
		tx.query(
			`select action, account_id, actor_id, subject_user_id, details
			   from public.activity_log where id > $1::int order by id`,
			[since]
		)
	);
	return rows;
}

/** Runs step and returns the activity rows it wrote. */
async function logged(tx: Tx, step: () => Promise<unknown>) {
	const since = await lastActivityId(tx);
	await step();
	return activitySince(tx, since);
}

// --- create_invitation ---------------------------------------------------------------------------

describe('create_invitation', () => {
	it.each([
		['Acme owner (Olivia)', OLIVIA],
		['staff serving Acme (Sam)', SAM],
		['admin (Ada)', ADA]
	])('lets the %s invite people into Acme with any client role', async (_label, actor) => {
		await db.asUser(actor, async (tx) => {
			for (const role of CLIENT_ROLES) {
				const { invitation_id, token } = await invite(tx, ACME, `new-${role}@example.org`, role);
				expect(token).toMatch(TOKEN);
				expect(await stored(tx, invitation_id)).toEqual({
					kind: 'client',
					account_id: ACME,
					email: `new-${role}@example.org`,
					role,
					token_hash: sha256Hex(token),
					invited_by: actor,
					expires_in_7_days: true,
					accepted: false,
					accepted_by: null,
					revoked: false,
					revoked_by: null
				});
			}
		});
	});

	it('returns a 43-character URL-safe token once and stores only its SHA-256, for 7 days', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const first = await invite(tx, ACME, 'newbie@example.org', 'member');
			const second = await invite(tx, ACME, 'someone@example.org', 'member');
			for (const { invitation_id, token } of [first, second]) {
				expect(token).toMatch(TOKEN);
				const { rows } = await tx.asOwner(() =>
					tx.query(
						`select encode(i.token_hash, 'hex') as hash,
						        i.expires_at = now() + interval '7 days' as in_7_days,
						        strpos(row_to_json(i)::text, $2::text) > 0 as row_holds_token,
						        (select count(*)::int from public.activity_log l
						          where strpos(l.details::text, $2::text) > 0) as log_rows_holding_token
						   from public.invitations i where i.id = $1::uuid`,
						[invitation_id, token]
					)
				);
				// now() is the transaction's start, the same inside the function.
				expect(rows).toEqual([
					{
						hash: sha256Hex(token),
						in_7_days: true,
						row_holds_token: false,
						log_rows_holding_token: 0
					}
				]);
			}
			expect(first.token).not.toBe(second.token);
		});
	});

	it('stores the email trimmed and in lower case', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const { invitation_id } = await invite(tx, ACME, '  NewBie@Example.ORG ', 'viewer');
			expect((await stored(tx, invitation_id)).email).toBe('newbie@example.org');
		});
	});

	it.each([
		['Acme member (Mark)', MARK],
		['Acme billing (Bill)', BILL],
		['Acme viewer (Vera)', VERA],
		["other account's owner (Grace)", GRACE],
		['staff not serving Acme (Tess)', TESS],
		['stranger', STRANGER]
	])('refuses the %s with not_allowed', async (_label, actor) => {
		await db.asUser(actor, async (tx) => {
			for (const role of CLIENT_ROLES) {
				await expectRefused(
					tx,
					() => invite(tx, ACME, 'newbie@example.org', role),
					'42501',
					'not_allowed'
				);
			}
		});
	});

	it('refuses owners and staff for accounts they do not manage, and unknown accounts', async () => {
		await db.asUser(OLIVIA, (tx) =>
			expectRefused(tx, () => invite(tx, GLOBEX, 'x@example.org', 'member'), '42501', 'not_allowed')
		);
		await db.asUser(SAM, (tx) =>
			expectRefused(tx, () => invite(tx, GLOBEX, 'x@example.org', 'member'), '42501', 'not_allowed')
		);
		await db.asUser(ADA, async (tx) => {
			await expectRefused(
				tx,
				() => invite(tx, randomUUID(), 'x@example.org', 'member'),
				'42501',
				'not_allowed'
			);
			await expectRefused(
				tx,
				() => invite(tx, null, 'x@example.org', 'member'),
				'42501',
				'not_allowed'
			);
		});
	});

	it('is not executable by anon', async () => {
		await db.asUser(null, async (tx) => {
			const error = await expectDenied42501(
				invite(tx, ACME, 'x@example.org', 'member'),
				'privilege'
			);
			expect(error.message).toBe('permission denied for function create_invitation');
		});
	});

	it('refuses a role that is not a client role with invalid_role', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			for (const role of ['admin', 'staff', 'Owner', '', null]) {
				await expectRefused(
					tx,
					() => invite(tx, ACME, 'x@example.org', role),
					'22023',
					'invalid_role'
				);
			}
		});
	});

	it('refuses a malformed email with invalid_email', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			for (const email of ['', '   ', 'no-at-sign', 'a@', '@b', 'two words@example.org', null]) {
				await expectRefused(tx, () => invite(tx, ACME, email, 'member'), '22023', 'invalid_email');
			}
			await expectRefused(
				tx,
				() => invite(tx, ACME, `${'a'.repeat(310)}@example.org`, 'member'),
				'22023',
				'invalid_email'
			);
		});
	});

	it("refuses an account member's email, in any case and spacing, with already_member", async () => {
		await db.asUser(SAM, async (tx) => {
			for (const email of [
				'mark@acme.example.com',
				'  MARK@Acme.Example.COM ',
				'olivia@acme.example.com'
			]) {
				await expectRefused(tx, () => invite(tx, ACME, email, 'owner'), '23505', 'already_member');
			}
		});
		// A member of another account is no member here.
		await db.asUser(OLIVIA, async (tx) => {
			await invite(tx, ACME, 'grace@globex.example.com', 'viewer');
		});
	});

	it('replaces the open invitation for the same email: the earlier token stops working', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const first = await invite(tx, ACME, 'newbie@example.org', 'member');
			// Re-invited by someone else who manages Acme, in other spelling.
			const second = await tx.asUser(SAM, () => invite(tx, ACME, 'NEWBIE@example.org ', 'billing'));
			expect(await stored(tx, first.invitation_id)).toMatchObject({
				revoked: true,
				revoked_by: SAM,
				accepted: false
			});
			expect(await stored(tx, second.invitation_id)).toMatchObject({
				revoked: false,
				role: 'billing'
			});
			const { rows: open } = await tx.asOwner(() =>
				tx.query(
					`select id from public.invitations
					  where email = 'newbie@example.org' and accepted_at is null and revoked_at is null`
				)
			);
			expect(open).toEqual([{ id: second.invitation_id }]);

			const newbie = await newUser(tx, 'newbie@example.org');
			await tx.asUser(newbie, async () => {
				await expectRefused(tx, () => accept(tx, first.token), '22023', 'invitation_revoked');
				expect((await accept(tx, second.token)).rows).toEqual([
					{ kind: 'client', account_id: ACME, role: 'billing' }
				]);
			});
		});
	});
});

// --- create_staff_invitation ---------------------------------------------------------------------

describe('create_staff_invitation', () => {
	it('lets an admin invite staff and admins', async () => {
		await db.asUser(ADA, async (tx) => {
			for (const role of ['staff', 'admin']) {
				const { invitation_id, token } = await inviteStaff(
					tx,
					` Recruit-${role}@Example.org`,
					role
				);
				expect(token).toMatch(TOKEN);
				expect(await stored(tx, invitation_id)).toEqual({
					kind: 'staff',
					account_id: null,
					email: `recruit-${role}@example.org`,
					role,
					token_hash: sha256Hex(token),
					invited_by: ADA,
					expires_in_7_days: true,
					accepted: false,
					accepted_by: null,
					revoked: false,
					revoked_by: null
				});
			}
		});
	});

	it.each([
		['staff (Sam)', SAM],
		['staff (Tess)', TESS],
		['Acme owner (Olivia)', OLIVIA],
		['Acme member (Mark)', MARK],
		['stranger', STRANGER]
	])('refuses the %s with not_allowed', async (_label, actor) => {
		await db.asUser(actor, async (tx) => {
			for (const role of ['staff', 'admin']) {
				await expectRefused(
					tx,
					() => inviteStaff(tx, 'recruit@example.org', role),
					'42501',
					'not_allowed'
				);
			}
		});
	});

	it('is not executable by anon', async () => {
		await db.asUser(null, async (tx) => {
			const error = await expectDenied42501(
				inviteStaff(tx, 'recruit@example.org', 'staff'),
				'privilege'
			);
			expect(error.message).toBe('permission denied for function create_staff_invitation');
		});
	});

	it('refuses a bad role, a bad email and a staff member’s email', async () => {
		await db.asUser(ADA, async (tx) => {
			for (const role of ['owner', 'member', '', null]) {
				await expectRefused(
					tx,
					() => inviteStaff(tx, 'recruit@example.org', role),
					'22023',
					'invalid_role'
				);
			}
			await expectRefused(tx, () => inviteStaff(tx, 'nobody', 'staff'), '22023', 'invalid_email');
			await expectRefused(
				tx,
				() => inviteStaff(tx, ' SAM@staff.example.com', 'admin'),
				'23505',
				'already_member'
			);
			// A client user may be invited to the staff.
			await inviteStaff(tx, 'mark@acme.example.com', 'staff');
		});
	});
});

// --- accept_invitation ---------------------------------------------------------------------------

describe('accept_invitation', () => {
	it('gives the signed-in user with the invited email exactly one membership, with the invited role', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const { invitation_id, token } = await invite(tx, ACME, 'newbie@example.org', 'billing');
			// GoTrue keeps the address as typed; the match is case-insensitive.
			const newbie = await newUser(tx, 'NewBie@Example.org');
			expect(await standing(tx, newbie)).toEqual({ memberships: [], staffRole: null });

			await tx.asUser(newbie, async () => {
				expect((await accept(tx, token)).rows).toEqual([
					{ kind: 'client', account_id: ACME, role: 'billing' }
				]);
				// The membership works through the policies at once.
				const { rows } = await tx.query(`select id from public.client_accounts`);
				expect(rows).toEqual([{ id: ACME }]);
			});
			expect(await standing(tx, newbie)).toEqual({
				memberships: [{ account_id: ACME, role: 'billing' }],
				staffRole: null
			});
			const { rows } = await tx.asOwner(() =>
				tx.query(
					`select accepted_at = now() as accepted_now, accepted_by, revoked_at
					   from public.invitations where id = $1::uuid`,
					[invitation_id]
				)
			);
			expect(rows).toEqual([{ accepted_now: true, accepted_by: newbie, revoked_at: null }]);
		});
	});

	it('accepts a token only once: invitation_used', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const { token } = await invite(tx, ACME, 'newbie@example.org', 'member');
			const newbie = await newUser(tx, 'newbie@example.org');
			await tx.asUser(newbie, async () => {
				await accept(tx, token);
				await expectRefused(tx, () => accept(tx, token), '22023', 'invitation_used');
			});
			await tx.asUser(MARK, () =>
				expectRefused(tx, () => accept(tx, token), '22023', 'invitation_used')
			);
			expect((await standing(tx, newbie)).memberships).toHaveLength(1);
		});
	});

	it('refuses someone already in the account: already_member, role unchanged, invitation open', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			// Mark (a member) is invited as owner at a second address, which he then takes over.
			const { invitation_id, token } = await invite(tx, ACME, 'mark.alt@example.org', 'owner');
			await tx.asOwner(() =>
				tx.query(`update auth.users set email = 'mark.alt@example.org' where id = $1::uuid`, [MARK])
			);
			await tx.asUser(MARK, () =>
				expectRefused(tx, () => accept(tx, token), '23505', 'already_member')
			);
			expect((await standing(tx, MARK)).memberships).toEqual([
				{ account_id: ACME, role: 'member' }
			]);
			const { rows } = await tx.asOwner(() =>
				tx.query(`select accepted_at, revoked_at from public.invitations where id = $1::uuid`, [
					invitation_id
				])
			);
			expect(rows).toEqual([{ accepted_at: null, revoked_at: null }]);
		});
	});

	it('refuses a user with another email: invitation_wrong_email, even with a forged email claim', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const { token } = await invite(tx, ACME, 'newbie@example.org', 'owner');
			const other = await newUser(tx, 'other@example.org');
			for (const actor of [MARK, GRACE, SAM, STRANGER, other]) {
				await tx.asUser(actor, () =>
					expectRefused(tx, () => accept(tx, token), '42501', 'invitation_wrong_email')
				);
			}
			// The function reads the address from auth.users, not from the JWT's claims.
			await tx.asUser(other, async () => {
				await tx.query(`select set_config('request.jwt.claims', $1::text, true)`, [
					JSON.stringify({ sub: other, role: 'authenticated', email: 'newbie@example.org' })
				]);
				expect((await tx.query(`select auth.email() as email`)).rows).toEqual([
					{ email: 'newbie@example.org' }
				]);
				await expectRefused(tx, () => accept(tx, token), '42501', 'invitation_wrong_email');
			});
		});
	});

	it('refuses an expired invitation: invitation_expired', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const { invitation_id, token } = await invite(tx, ACME, 'newbie@example.org', 'member');
			await tx.asOwner(() =>
				tx.query(
					`update public.invitations set expires_at = now() - interval '1 second' where id = $1::uuid`,
					[invitation_id]
				)
			);
			const newbie = await newUser(tx, 'newbie@example.org');
			await tx.asUser(newbie, () =>
				expectRefused(tx, () => accept(tx, token), '22023', 'invitation_expired')
			);
		});
	});

	it('refuses a revoked invitation: invitation_revoked', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const { invitation_id, token } = await invite(tx, ACME, 'newbie@example.org', 'member');
			await revoke(tx, invitation_id);
			const newbie = await newUser(tx, 'newbie@example.org');
			await tx.asUser(newbie, () =>
				expectRefused(tx, () => accept(tx, token), '22023', 'invitation_revoked')
			);
		});
	});

	it('knows no invitation for a garbage, forged or random token: invitation_not_found', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const { token } = await invite(tx, ACME, 'newbie@example.org', 'member');
			const newbie = await newUser(tx, 'newbie@example.org');
			const last = token.at(-1) === 'A' ? 'B' : 'A';
			const forged = [
				'garbage',
				'',
				null,
				randomToken(),
				token.slice(0, -1) + last, // one character off
				`${token}=`, // with base64 padding
				token.slice(0, -1), // 42 characters
				sha256Hex(token), // what is stored, as hex
				Buffer.from(sha256Hex(token), 'hex').toString('base64url') // …and as base64url
			];
			await tx.asUser(newbie, async () => {
				for (const candidate of forged) {
					await expectRefused(tx, () => accept(tx, candidate), NOT_FOUND, 'invitation_not_found');
				}
			});
		});
	});

	it('refuses an unconfirmed email address: email_not_confirmed', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const { token } = await invite(tx, ACME, 'newbie@example.org', 'member');
			const newbie = await newUser(tx, 'newbie@example.org', { confirmed: false });
			await tx.asUser(newbie, () =>
				expectRefused(tx, () => accept(tx, token), '42501', 'email_not_confirmed')
			);
		});
	});

	it('is not executable by anon', async () => {
		await db.asUser(null, async (tx) => {
			const error = await expectDenied42501(accept(tx, randomToken()), 'privilege');
			expect(error.message).toBe('permission denied for function accept_invitation');
		});
	});

	it('makes a staff member (or admin) of who accepts a staff invitation', async () => {
		await db.asUser(ADA, async (tx) => {
			for (const role of ['staff', 'admin']) {
				const email = `recruit-${role}@example.org`;
				const { token } = await inviteStaff(tx, email, role);
				const recruit = await newUser(tx, email);
				await tx.asUser(recruit, async () => {
					expect((await accept(tx, token)).rows).toEqual([
						{ kind: 'staff', account_id: null, role }
					]);
					// Staff now see the team.
					const { rows } = await tx.query(`select count(*)::int as n from public.staff_members`);
					expect(rows).toEqual([{ n: 4 + (role === 'admin' ? 1 : 0) }]);
				});
				expect(await standing(tx, recruit)).toEqual({ memberships: [], staffRole: role });
			}
		});
	});
});

// --- invitation_preview --------------------------------------------------------------------------

describe('invitation_preview', () => {
	it('shows a token holder (signed in or not) what they are invited to', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const { token } = await invite(tx, ACME, 'newbie@example.org', 'member');
			for (const actor of [null, MARK] as Actor[]) {
				await tx.asUser(actor, async () => {
					expect((await preview(tx, token)).rows).toEqual([
						{
							kind: 'client',
							account_name: 'Acme Corporation',
							role: 'member',
							email: 'newbie@example.org',
							invited_by_name: 'Olivia Owner',
							status: 'pending',
							fresh: true
						}
					]);
				});
			}
			const staff = await tx.asUser(ADA, () => inviteStaff(tx, 'recruit@example.org', 'admin'));
			await tx.asUser(null, async () => {
				expect((await preview(tx, staff.token)).rows).toEqual([
					{
						kind: 'staff',
						account_name: null,
						role: 'admin',
						email: 'recruit@example.org',
						invited_by_name: 'Ada Admin',
						status: 'pending',
						fresh: true
					}
				]);
			});
		});
	});

	it('tells expired, revoked and accepted invitations apart', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const expired = await invite(tx, ACME, 'late@example.org', 'member');
			await tx.asOwner(() =>
				tx.query(
					`update public.invitations set expires_at = now() - interval '1 minute' where id = $1::uuid`,
					[expired.invitation_id]
				)
			);
			const revoked = await invite(tx, ACME, 'withdrawn@example.org', 'member');
			await revoke(tx, revoked.invitation_id);
			const accepted = await invite(tx, ACME, 'newbie@example.org', 'member');
			const newbie = await newUser(tx, 'newbie@example.org');
			await tx.asUser(newbie, () => accept(tx, accepted.token));

			await tx.asUser(null, async () => {
				const status = async (token: string) =>
					(await preview(tx, token)).rows.map((r) => r.status);
				expect(await status(expired.token)).toEqual(['expired']);
				expect(await status(revoked.token)).toEqual(['revoked']);
				expect(await status(accepted.token)).toEqual(['accepted']);
			});
		});
	});

	it('shows nothing for a wrong token', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const { token } = await invite(tx, ACME, 'newbie@example.org', 'member');
			await tx.asUser(null, async () => {
				for (const candidate of ['garbage', '', null, randomToken(), sha256Hex(token)]) {
					expect((await preview(tx, candidate)).rows).toEqual([]);
				}
			});
		});
	});
});

// --- resend_invitation and revoke_invitation -----------------------------------------------------

describe('resend_invitation', () => {
	it('gives an open invitation a new token and a fresh 7 days; the old token stops working', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const first = await invite(tx, ACME, 'newbie@example.org', 'viewer');
			// Even once expired.
			await tx.asOwner(() =>
				tx.query(
					`update public.invitations set expires_at = now() - interval '1 day' where id = $1::uuid`,
					[first.invitation_id]
				)
			);
			const { rows } = await tx.asUser(SAM, () => resend(tx, first.invitation_id));
			expect(rows).toHaveLength(1);
			const second = rows[0]!;
			expect(second.invitation_id).toBe(first.invitation_id);
			expect(second.token).toMatch(TOKEN);
			expect(second.token).not.toBe(first.token);
			expect(await stored(tx, first.invitation_id)).toMatchObject({
				token_hash: sha256Hex(second.token),
				expires_in_7_days: true,
				revoked: false,
				invited_by: OLIVIA
			});

			const newbie = await newUser(tx, 'newbie@example.org');
			await tx.asUser(newbie, async () => {
				expect((await preview(tx, first.token)).rows).toEqual([]);
				await expectRefused(tx, () => accept(tx, first.token), NOT_FOUND, 'invitation_not_found');
				expect((await accept(tx, second.token)).rows).toEqual([
					{ kind: 'client', account_id: ACME, role: 'viewer' }
				]);
			});
		});
	});

	it('is refused to whoever may not manage the invitation: invitation_not_found', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const client = await invite(tx, ACME, 'newbie@example.org', 'member');
			const staff = await tx.asUser(ADA, () => inviteStaff(tx, 'recruit@example.org', 'staff'));
			for (const actor of [MARK, BILL, VERA, GRACE, TESS, STRANGER]) {
				await tx.asUser(actor, () =>
					expectRefused(
						tx,
						() => resend(tx, client.invitation_id),
						NOT_FOUND,
						'invitation_not_found'
					)
				);
			}
			for (const actor of [OLIVIA, SAM, TESS, MARK]) {
				await tx.asUser(actor, () =>
					expectRefused(
						tx,
						() => resend(tx, staff.invitation_id),
						NOT_FOUND,
						'invitation_not_found'
					)
				);
			}
			await expectRefused(tx, () => resend(tx, randomUUID()), NOT_FOUND, 'invitation_not_found');
			await tx.asUser(null, async () => {
				const error = await expectDenied42501(resend(tx, client.invitation_id), 'privilege');
				expect(error.message).toBe('permission denied for function resend_invitation');
			});
			// The staff invitation is the admin's to resend.
			expect((await tx.asUser(ADA, () => resend(tx, staff.invitation_id))).rows).toHaveLength(1);
		});
	});

	it('refuses accepted and revoked invitations: invitation_closed', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const accepted = await invite(tx, ACME, 'newbie@example.org', 'member');
			const newbie = await newUser(tx, 'newbie@example.org');
			await tx.asUser(newbie, () => accept(tx, accepted.token));
			const revoked = await invite(tx, ACME, 'withdrawn@example.org', 'member');
			await revoke(tx, revoked.invitation_id);
			for (const id of [accepted.invitation_id, revoked.invitation_id]) {
				await expectRefused(tx, () => resend(tx, id), '22023', 'invitation_closed');
			}
		});
	});
});

describe('revoke_invitation', () => {
	it('closes an open invitation, recording who revoked it', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const client = await invite(tx, ACME, 'newbie@example.org', 'member');
			await tx.asUser(SAM, () => revoke(tx, client.invitation_id));
			expect(await stored(tx, client.invitation_id)).toMatchObject({
				revoked: true,
				revoked_by: SAM,
				accepted: false
			});
			const staff = await tx.asUser(ADA, async () => {
				const issued = await inviteStaff(tx, 'recruit@example.org', 'staff');
				await revoke(tx, issued.invitation_id);
				return issued;
			});
			expect(await stored(tx, staff.invitation_id)).toMatchObject({
				revoked: true,
				revoked_by: ADA
			});
		});
	});

	it('is refused to whoever may not manage the invitation: invitation_not_found', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const client = await invite(tx, ACME, 'newbie@example.org', 'member');
			const staff = await tx.asUser(ADA, () => inviteStaff(tx, 'recruit@example.org', 'staff'));
			for (const actor of [MARK, BILL, VERA, GRACE, TESS, STRANGER]) {
				await tx.asUser(actor, () =>
					expectRefused(
						tx,
						() => revoke(tx, client.invitation_id),
						NOT_FOUND,
						'invitation_not_found'
					)
				);
			}
			for (const actor of [OLIVIA, SAM, TESS, MARK]) {
				await tx.asUser(actor, () =>
					expectRefused(
						tx,
						() => revoke(tx, staff.invitation_id),
						NOT_FOUND,
						'invitation_not_found'
					)
				);
			}
			await expectRefused(tx, () => revoke(tx, randomUUID()), NOT_FOUND, 'invitation_not_found');
			await tx.asUser(null, async () => {
				const error = await expectDenied42501(revoke(tx, client.invitation_id), 'privilege');
				expect(error.message).toBe('permission denied for function revoke_invitation');
			});
		});
	});

	it('refuses accepted and revoked invitations: invitation_closed', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const accepted = await invite(tx, ACME, 'newbie@example.org', 'member');
			const newbie = await newUser(tx, 'newbie@example.org');
			await tx.asUser(newbie, () => accept(tx, accepted.token));
			const revoked = await invite(tx, ACME, 'withdrawn@example.org', 'member');
			await revoke(tx, revoked.invitation_id);
			for (const id of [accepted.invitation_id, revoked.invitation_id]) {
				await expectRefused(tx, () => revoke(tx, id), '22023', 'invitation_closed');
			}
		});
	});
});

// --- the last owner, the last admin ----------------------------------------------------------------

const setRole = (tx: Tx, account: string, user: string, role: string) =>
	tx.query(
		`update public.account_members set role = $3::text where account_id = $1::uuid and user_id = $2::uuid`,
		[account, user, role]
	);
const removeMember = (tx: Tx, account: string, user: string) =>
	tx.query(
		`delete from public.account_members where account_id = $1::uuid and user_id = $2::uuid`,
		[account, user]
	);
const setStaffRole = (tx: Tx, user: string, role: string) =>
	tx.query(`update public.staff_members set role = $2::text where user_id = $1::uuid`, [
		user,
		role
	]);
const removeStaff = (tx: Tx, user: string) =>
	tx.query(`delete from public.staff_members where user_id = $1::uuid`, [user]);

describe('the last owner of an account', () => {
	it('cannot demote herself, leave, or be demoted or removed by staff: last_owner', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			await expectRefused(tx, () => setRole(tx, ACME, OLIVIA, 'member'), CONFLICT, 'last_owner');
			await expectRefused(tx, () => removeMember(tx, ACME, OLIVIA), CONFLICT, 'last_owner');
			for (const actor of [SAM, ADA]) {
				await tx.asUser(actor, async () => {
					await expectRefused(
						tx,
						() => setRole(tx, ACME, OLIVIA, 'viewer'),
						CONFLICT,
						'last_owner'
					);
					await expectRefused(tx, () => removeMember(tx, ACME, OLIVIA), CONFLICT, 'last_owner');
				});
			}
		});
	});

	it('can step down once someone else is owner, who then is the last one', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			expect((await setRole(tx, ACME, MARK, 'owner')).rowCount).toBe(1);
			expect((await setRole(tx, ACME, OLIVIA, 'member')).rowCount).toBe(1);
			// Olivia is no owner any more: she cannot touch Mark's role.
			expect((await setRole(tx, ACME, MARK, 'viewer')).rowCount).toBe(0);
			await tx.asUser(SAM, () =>
				expectRefused(tx, () => setRole(tx, ACME, MARK, 'member'), CONFLICT, 'last_owner')
			);
			expect((await standing(tx, OLIVIA)).memberships).toEqual([
				{ account_id: ACME, role: 'member' }
			]);
			expect((await standing(tx, MARK)).memberships).toEqual([{ account_id: ACME, role: 'owner' }]);
		});
	});

	it('is kept when one statement would demote or remove every owner', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			await setRole(tx, ACME, MARK, 'owner');
			await tx.asUser(SAM, async () => {
				await expectRefused(
					tx,
					() =>
						tx.query(
							`update public.account_members set role = 'member' where account_id = $1::uuid and role = 'owner'`,
							[ACME]
						),
					CONFLICT,
					'last_owner'
				);
				await expectRefused(
					tx,
					() =>
						tx.query(
							`delete from public.account_members where account_id = $1::uuid and role = 'owner'`,
							[ACME]
						),
					CONFLICT,
					'last_owner'
				);
			});
		});
	});

	it('does not keep anyone else: a member leaves', async () => {
		await db.asUser(MARK, async (tx) => {
			expect((await removeMember(tx, ACME, MARK)).rowCount).toBe(1);
			expect(await standing(tx, MARK)).toEqual({ memberships: [], staffRole: null });
			expect((await tx.query(`select id from public.client_accounts`)).rows).toEqual([]);
		});
	});

	it('does not stand in the way of deleting the account or the user', async () => {
		await db.asOwner(
			async (tx) => {
				expect(
					(await tx.query(`delete from public.client_accounts where id = $1::uuid`, [ACME]))
						.rowCount
				).toBe(1);
				const { rows } = await tx.query(
					`select (select count(*)::int from public.account_members where account_id = $1::uuid) as members,
					        (select count(*)::int from public.staff_assignments where account_id = $1::uuid) as assignments,
					        (select count(*)::int from public.documents where account_id = $1::uuid) as documents`,
					[ACME]
				);
				expect(rows).toEqual([{ members: 0, assignments: 0, documents: 0 }]);
			},
			{ rollback: true }
		);
		await db.asOwner(
			async (tx) => {
				// Grace is Globex's only owner.
				expect(
					(await tx.query(`delete from auth.users where id = $1::uuid`, [GRACE])).rowCount
				).toBe(1);
				const { rows } = await tx.query(
					`select count(*)::int as n from public.account_members where user_id = $1::uuid`,
					[GRACE]
				);
				expect(rows).toEqual([{ n: 0 }]);
			},
			{ rollback: true }
		);
	});
});

describe('the last admin', () => {
	it('cannot demote or remove herself: last_admin', async () => {
		await db.asUser(ADA, async (tx) => {
			await expectRefused(tx, () => setStaffRole(tx, ADA, 'staff'), CONFLICT, 'last_admin');
			await expectRefused(tx, () => removeStaff(tx, ADA), CONFLICT, 'last_admin');
		});
	});

	it('can step down once someone else is admin, who then is the last one', async () => {
		await db.asUser(ADA, async (tx) => {
			expect((await setStaffRole(tx, SAM, 'admin')).rowCount).toBe(1);
			expect((await setStaffRole(tx, ADA, 'staff')).rowCount).toBe(1);
			// Ada is no admin any more.
			expect((await setStaffRole(tx, SAM, 'staff')).rowCount).toBe(0);
			await tx.asUser(SAM, async () => {
				await expectRefused(tx, () => setStaffRole(tx, SAM, 'staff'), CONFLICT, 'last_admin');
				await expectRefused(tx, () => removeStaff(tx, SAM), CONFLICT, 'last_admin');
				expect((await removeStaff(tx, ADA)).rowCount).toBe(1);
			});
			expect((await standing(tx, SAM)).staffRole).toBe('admin');
			expect((await standing(tx, ADA)).staffRole).toBe(null);
		});
	});

	it('does not stand in the way of deleting the user', async () => {
		await db.asOwner(
			async (tx) => {
				expect((await tx.query(`delete from auth.users where id = $1::uuid`, [ADA])).rowCount).toBe(
					1
				);
				const { rows } = await tx.query(
					`select count(*)::int as n from public.staff_members where role = 'admin'`
				);
				expect(rows).toEqual([{ n: 0 }]);
			},
			{ rollback: true }
		);
	});
});

// --- the activity log --------------------------------------------------------------------------------

describe('activity log', () => {
	it('records each client-side step once, with who did it, where and to whom', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			let issued: { invitation_id: string; token: string } | undefined;
			expect(
				await logged(tx, async () => {
					issued = await invite(tx, ACME, 'newbie@example.org', 'member');
				})
			).toEqual([
				{
					action: 'invitation.created',
					account_id: ACME,
					actor_id: OLIVIA,
					subject_user_id: null,
					details: {
						invitation_id: issued!.invitation_id,
						email: 'newbie@example.org',
						role: 'member',
						kind: 'client'
					}
				}
			]);
			const details = {
				invitation_id: issued!.invitation_id,
				email: 'newbie@example.org',
				role: 'member',
				kind: 'client'
			};

			let resent: { token: string } | undefined;
			expect(
				await logged(tx, async () => {
					resent = (await tx.asUser(SAM, () => resend(tx, issued!.invitation_id))).rows[0];
				})
			).toEqual([
				{
					action: 'invitation.resent',
					account_id: ACME,
					actor_id: SAM,
					subject_user_id: null,
					details
				}
			]);

			const newbie = await newUser(tx, 'newbie@example.org');
			expect(await logged(tx, () => tx.asUser(newbie, () => accept(tx, resent!.token)))).toEqual([
				{
					action: 'member.added',
					account_id: ACME,
					actor_id: newbie,
					subject_user_id: newbie,
					details: { role: 'member' }
				},
				{
					action: 'invitation.accepted',
					account_id: ACME,
					actor_id: newbie,
					subject_user_id: newbie,
					details
				}
			]);

			expect(
				await logged(tx, () => tx.asUser(SAM, () => setRole(tx, ACME, newbie, 'viewer')))
			).toEqual([
				{
					action: 'member.role_changed',
					account_id: ACME,
					actor_id: SAM,
					subject_user_id: newbie,
					details: { from: 'member', to: 'viewer' }
				}
			]);
			// Setting the role it already has is no change.
			expect(await logged(tx, () => setRole(tx, ACME, newbie, 'viewer'))).toEqual([]);

			expect(await logged(tx, () => removeMember(tx, ACME, newbie))).toEqual([
				{
					action: 'member.removed',
					account_id: ACME,
					actor_id: OLIVIA,
					subject_user_id: newbie,
					details: { role: 'viewer' }
				}
			]);

			expect(await logged(tx, () => tx.asUser(VERA, () => removeMember(tx, ACME, VERA)))).toEqual([
				{
					action: 'member.removed',
					account_id: ACME,
					actor_id: VERA,
					subject_user_id: VERA,
					details: { role: 'viewer' }
				}
			]);

			let withdrawn: { invitation_id: string } | undefined;
			await logged(tx, async () => {
				withdrawn = await invite(tx, ACME, 'withdrawn@example.org', 'billing');
			});
			expect(await logged(tx, () => revoke(tx, withdrawn!.invitation_id))).toEqual([
				{
					action: 'invitation.revoked',
					account_id: ACME,
					actor_id: OLIVIA,
					subject_user_id: null,
					details: {
						invitation_id: withdrawn!.invitation_id,
						email: 'withdrawn@example.org',
						role: 'billing',
						kind: 'client'
					}
				}
			]);

			// Inviting again while an invitation is open: the open one is revoked, a new one created.
			const again = await logged(tx, () => invite(tx, ACME, 'withdrawn@example.org', 'viewer'));
			expect(again.map((r) => [r.action, r.actor_id])).toEqual([['invitation.created', OLIVIA]]);
			let third: { invitation_id: string } | undefined;
			const replaced = await logged(tx, async () => {
				third = await tx.asUser(SAM, () => invite(tx, ACME, 'Withdrawn@example.org', 'member'));
			});
			expect(
				replaced.map((r) => [r.action, r.account_id, r.actor_id, (r.details as Row).role])
			).toEqual([
				['invitation.revoked', ACME, SAM, 'viewer'],
				['invitation.created', ACME, SAM, 'member']
			]);
			expect((replaced[1]!.details as Row).invitation_id).toBe(third!.invitation_id);
		});
	});

	it('records each staff-side step once, with who did it and to whom', async () => {
		await db.asUser(ADA, async (tx) => {
			let issued: { invitation_id: string; token: string } | undefined;
			expect(
				await logged(tx, async () => {
					issued = await inviteStaff(tx, 'recruit@example.org', 'staff');
				})
			).toEqual([
				{
					action: 'invitation.created',
					account_id: null,
					actor_id: ADA,
					subject_user_id: null,
					details: {
						invitation_id: issued!.invitation_id,
						email: 'recruit@example.org',
						role: 'staff',
						kind: 'staff'
					}
				}
			]);

			const recruit = await newUser(tx, 'recruit@example.org');
			const joined = await logged(tx, () => tx.asUser(recruit, () => accept(tx, issued!.token)));
			expect(joined).toEqual([
				{
					action: 'staff.added',
					account_id: null,
					actor_id: recruit,
					subject_user_id: recruit,
					details: { role: 'staff' }
				},
				expect.objectContaining({
					action: 'invitation.accepted',
					account_id: null,
					actor_id: recruit,
					subject_user_id: recruit
				})
			]);

			expect(await logged(tx, () => setStaffRole(tx, SAM, 'admin'))).toEqual([
				{
					action: 'staff.role_changed',
					account_id: null,
					actor_id: ADA,
					subject_user_id: SAM,
					details: { from: 'staff', to: 'admin' }
				}
			]);

			expect(
				await logged(tx, () =>
					tx.query(
						`insert into public.staff_assignments (account_id, staff_user_id) values ($1::uuid, $2::uuid)`,
						[ACME, recruit]
					)
				)
			).toEqual([
				{
					action: 'staff.assigned',
					account_id: ACME,
					actor_id: ADA,
					subject_user_id: recruit,
					details: {}
				}
			]);

			expect(
				await logged(tx, () =>
					tx.query(
						`delete from public.staff_assignments where account_id = $1::uuid and staff_user_id = $2::uuid`,
						[ACME, recruit]
					)
				)
			).toEqual([
				{
					action: 'staff.unassigned',
					account_id: ACME,
					actor_id: ADA,
					subject_user_id: recruit,
					details: {}
				}
			]);

			expect(await logged(tx, () => removeStaff(tx, recruit))).toEqual([
				{
					action: 'staff.removed',
					account_id: null,
					actor_id: ADA,
					subject_user_id: recruit,
					details: { role: 'staff' }
				}
			]);

			// Removing Tess also ends her assignment to Globex (a cascade): both are recorded.
			const removed = await logged(tx, () => removeStaff(tx, TESS));
			expect(removed.sort((a, b) => String(a.action).localeCompare(String(b.action)))).toEqual([
				{
					action: 'staff.removed',
					account_id: null,
					actor_id: ADA,
					subject_user_id: TESS,
					details: { role: 'staff' }
				},
				{
					action: 'staff.unassigned',
					account_id: GLOBEX,
					actor_id: ADA,
					subject_user_id: TESS,
					details: {}
				}
			]);
		});
	});

	it('records nothing for a statement that is rolled back', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			await setRole(tx, ACME, MARK, 'owner');
			const since = await lastActivityId(tx);
			// The first owner's demotion passes the trigger, the second's does not: neither is logged.
			await tx.asUser(SAM, () =>
				expectRefused(
					tx,
					() =>
						tx.query(
							`update public.account_members set role = 'member' where account_id = $1::uuid and role = 'owner'`,
							[ACME]
						),
					CONFLICT,
					'last_owner'
				)
			);
			// An invitation made, then the statement fails.
			await expectError(
				tx.query(
					`with i as (select * from public.create_invitation($1::uuid, 'newbie@example.org', 'member'))
					 select 1 / (select count(*)::int - 1) from i`,
					[ACME]
				),
				'22012'
			);
			expect(await activitySince(tx, since)).toEqual([]);
			const { rows } = await tx.asOwner(() =>
				tx.query(`select count(*)::int as n from public.invitations`)
			);
			expect(rows).toEqual([{ n: 0 }]);
		});
	});

	it('cannot be rewritten, not even by the owner role or the service role', async () => {
		await db.asOwner(
			async (tx) => {
				for (const statement of [
					`update public.activity_log set actor_id = null`,
					`delete from public.activity_log`,
					`truncate public.activity_log`
				]) {
					const error = await expectError(tx.query(statement), '42501');
					expect(error.message).toBe('activity_log is append-only');
				}
			},
			{ rollback: true }
		);
		await db.asUser(SERVICE_ROLE, async (tx) => {
			for (const statement of [
				`update public.activity_log set actor_id = null`,
				`delete from public.activity_log`,
				`truncate public.activity_log`
			]) {
				const error = await expectDenied42501(tx.query(statement), 'privilege');
				expect(error.message).toBe('permission denied for table activity_log');
			}
			// Server-side tooling may read and add.
			expect(
				(
					await tx.query(
						`insert into public.activity_log (account_id, action) values ($1::uuid, 'account.imported')`,
						[ACME]
					)
				).rowCount
			).toBe(1);
			expect(
				(await tx.query(`select count(*)::int as n from public.activity_log`)).rows[0]!.n
			).toBeGreaterThan(0);
		});
	});
});

// --- operator_grant_admin -----------------------------------------------------------------------------

const grantAdmin = (tx: Tx, email: string | null) =>
	tx.query<{ outcome: string; token: string | null }>(
		`select outcome, token from public.operator_grant_admin($1::text)`,
		[email]
	);

describe('operator_grant_admin', () => {
	it('is executable by the service role only', async () => {
		for (const actor of [null, STRANGER, OLIVIA, SAM, ADA] as Actor[]) {
			await db.asUser(actor, async (tx) => {
				const error = await expectDenied42501(grantAdmin(tx, 'sam@staff.example.com'), 'privilege');
				expect(error.message).toBe('permission denied for function operator_grant_admin');
			});
		}
	});

	it('makes an existing user admin (granted), then says so (already_admin)', async () => {
		await db.asUser(SERVICE_ROLE, async (tx) => {
			// A staff member: promoted.
			const since = await lastActivityId(tx);
			expect((await grantAdmin(tx, ' SAM@Staff.Example.com ')).rows).toEqual([
				{ outcome: 'granted', token: null }
			]);
			expect((await standing(tx, SAM)).staffRole).toBe('admin');
			// A client user: added to the staff as admin. Operators are no user: actor_id is null.
			expect((await grantAdmin(tx, 'mark@acme.example.com')).rows).toEqual([
				{ outcome: 'granted', token: null }
			]);
			expect(await standing(tx, MARK)).toEqual({
				memberships: [{ account_id: ACME, role: 'member' }],
				staffRole: 'admin'
			});
			expect(await activitySince(tx, since)).toEqual([
				{
					action: 'staff.role_changed',
					account_id: null,
					actor_id: null,
					subject_user_id: SAM,
					details: { from: 'staff', to: 'admin' }
				},
				{
					action: 'staff.added',
					account_id: null,
					actor_id: null,
					subject_user_id: MARK,
					details: { role: 'admin' }
				}
			]);
			for (const email of ['sam@staff.example.com', 'ada@staff.example.com']) {
				expect((await grantAdmin(tx, email)).rows).toEqual([
					{ outcome: 'already_admin', token: null }
				]);
			}
			await expectRefused(tx, () => grantAdmin(tx, 'not an email'), '22023', 'invalid_email');
		});
	});

	it('invites an unknown email as admin; the new user accepts and is admin', async () => {
		await db.asUser(SERVICE_ROLE, async (tx) => {
			const first = (await grantAdmin(tx, 'Boss@Example.org')).rows;
			expect(first).toEqual([{ outcome: 'invited', token: expect.stringMatching(TOKEN) }]);
			// Asking again replaces the open invitation.
			const [{ token }] = (await grantAdmin(tx, 'boss@example.org')).rows as [
				{ outcome: string; token: string }
			];
			expect(token).toMatch(TOKEN);
			expect(token).not.toBe(first[0]!.token);
			const { rows } = await tx.asOwner(() =>
				tx.query(
					`select kind, account_id, email, role, encode(token_hash, 'hex') as token_hash, invited_by,
					        revoked_at is not null as revoked
					   from public.invitations order by created_at, revoked_at nulls last`
				)
			);
			expect(rows).toEqual([
				{
					kind: 'staff',
					account_id: null,
					email: 'boss@example.org',
					role: 'admin',
					token_hash: sha256Hex(first[0]!.token!),
					invited_by: null,
					revoked: true
				},
				{
					kind: 'staff',
					account_id: null,
					email: 'boss@example.org',
					role: 'admin',
					token_hash: sha256Hex(token),
					invited_by: null,
					revoked: false
				}
			]);

			const boss = await newUser(tx, 'boss@example.org', { name: 'The Boss' });
			await tx.asUser(boss, async () => {
				await expectRefused(tx, () => accept(tx, first[0]!.token), '22023', 'invitation_revoked');
				expect((await accept(tx, token)).rows).toEqual([
					{ kind: 'staff', account_id: null, role: 'admin' }
				]);
				// An admin now: every account is visible.
				const { rows: accounts } = await tx.query(
					`select id from public.client_accounts order by id`
				);
				expect(accounts).toEqual([{ id: ACME }, { id: GLOBEX }]);
			});
			expect(await standing(tx, boss)).toEqual({ memberships: [], staffRole: 'admin' });
		});
	});
});
