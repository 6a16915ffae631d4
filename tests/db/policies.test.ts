/**
 * The policy matrix: every table in `public`, and storage.objects in the documents bucket,
 * × select/insert/update/delete × every kind of actor, straight against Postgres.
 *
 * Each row of `matrix` below is one statement and what each actor must get from it:
 *
 *   ok    select: the actor sees exactly the rows the owner sees (at least one);
 *         insert/update/delete: one row written (update/delete: the owner sees the change)
 *   hide  filtered by a USING policy: zero rows, and the target, re-read as the owner in the
 *         same transaction, is there and unchanged (a select or a write that finds nothing for
 *         this actor is this too, e.g. "leave Acme" for someone not in it)
 *   noop  allowed, but there is nothing to change: at least one row written, and the target
 *         re-read as the owner is unchanged (an owner "raising" herself to owner)
 *   priv  refused for a missing grant: SQLSTATE 42501 "permission denied for …"
 *   rls   refused by a WITH CHECK policy: SQLSTATE 42501 "new row violates row-level security"
 *   chk   refused by a check constraint: SQLSTATE 23514 (and the case's `error` message, if set)
 *   trg   refused by a trigger keeping an invariant (the last owner of an account, the last
 *         admin): SQLSTATE PT409 (PostgREST answers 409) and the case's `error` message
 *
 * The target rows belong to Acme (seed.sql) unless a row says otherwise. Every case runs in its
 * own transaction, rolled back, so cases never see each other's writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	expectDenied42501,
	expectError,
	expectFilteredOut,
	openTestDb,
	type TestDb,
	type Tx
} from './harness';

// --- the cast (seed.sql, plus two users made below) ------------------------------------------

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
// Made in beforeAll: a signed-up user with no membership at all, and an Acme member who is
// nobody's actor, so "someone else's row in my account" is never the actor's own row.
const STRANGER = 'e0000000-0000-4000-8000-000000000001';
const PAT = 'c0000000-0000-4000-8000-0000000000a1';

const ACME_DOC = 'd0000000-0000-4000-8000-000000000001'; // "Statement of work.pdf", by Sam
const ACME_DOC_PATH = `${ACME}/${ACME_DOC}/Statement of work.pdf`;
const GLOBEX_DOC_PATH = `${GLOBEX}/d0000000-0000-4000-8000-000000000004/Home survey.pdf`;
const ODD_OBJECT = 'not-a-uuid/readme.txt'; // a stored object whose first folder is no uuid
// Made in beforeAll: an open invitation into Acme (by Olivia) and one to the staff (by Ada).
const ACME_INVITE = '1a000000-0000-4000-8000-000000000001';
const STAFF_INVITE = '5a000000-0000-4000-8000-000000000001';
/** Every column of invitations but token_hash: what authenticated may select. */
const INVITATION_COLUMNS =
	'id, kind, account_id, email, role, invited_by, created_at, expires_at, accepted_at, accepted_by, revoked_at, revoked_by';

const ACTORS = [
	['anon', 'anon (no session)', null],
	['stranger', 'stranger (signed in, no membership)', STRANGER],
	['other', "other account's owner (Grace, Globex)", GRACE],
	['owner', 'Acme owner (Olivia)', OLIVIA],
	['member', 'Acme member (Mark)', MARK],
	['billing', 'Acme billing (Bill)', BILL],
	['viewer', 'Acme viewer (Vera)', VERA],
	['staff', 'staff assigned to Acme (Sam)', SAM],
	['staff2', 'staff not assigned to Acme (Tess)', TESS],
	['admin', 'admin (Ada)', ADA]
] as const;
const OUTCOMES = ['ok', 'hide', 'noop', 'priv', 'rls', 'chk', 'trg'] as const;
/** What the last-owner / last-admin triggers raise (the migration's header lists its codes). */
const TRIGGER_REFUSAL = 'PT409';
type Outcome = (typeof OUTCOMES)[number];
type Op = 'select' | 'insert' | 'update' | 'delete';

interface Case {
	table: string;
	op: Op;
	what: string;
	sql: string;
	/** Selects the target row(s) as the owner; needed for select/update/delete. */
	probe?: string;
	/** Run first as the actor, e.g. what the Storage API sets before a delete. */
	before?: string;
	/** The exact message of every `chk` or `trg` refusal in this row (e.g. 'last_owner'). */
	error?: string;
	/** One outcome per actor, in ACTORS order. */
	expect: string;
}

const newDocument = (account: string, storagePath: string, uploader = 'auth.uid()') =>
	`insert into public.documents (account_id, name, storage_path, size_bytes, mime_type, uploaded_by)
	 values ('${account}', 'Matrix.txt', ${storagePath}, 1, 'text/plain', ${uploader})`;
const newObject = (name: string, bucket = 'documents') =>
	`insert into storage.objects (bucket_id, name, owner_id) values ('${bucket}', ${name}, auth.uid()::text)`;
const uuidFolder = `gen_random_uuid()::text`;

// prettier-ignore
const matrix: Case[] = [
	// --- profiles ----------------------------------------------------------------------------
	{ table: 'public.profiles', op: 'select', what: "an Acme co-member's profile (Pat)",
		sql: `select * from public.profiles where id = '${PAT}'`,
		probe: `select * from public.profiles where id = '${PAT}'`,
		// Profiles carry email addresses: staff see the people of the accounts they serve.
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     ok     ok     ok     hide   ok' },
	{ table: 'public.profiles', op: 'select', what: "a staff colleague's profile (Tess)",
		sql: `select * from public.profiles where id = '${TESS}'`,
		probe: `select * from public.profiles where id = '${TESS}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   ok     ok     ok' },
	{ table: 'public.profiles', op: 'select', what: 'own profile',
		sql: `select * from public.profiles where id = auth.uid()`,
		probe: `select * from public.profiles where id = auth.uid()`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   ok     ok     ok     ok     ok     ok     ok     ok     ok' },
	{ table: 'public.profiles', op: 'insert', what: 'a profile for oneself',
		sql: `insert into public.profiles (id, display_name) values (auth.uid(), 'Me again')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.profiles', op: 'update', what: 'own display name',
		sql: `update public.profiles set display_name = 'Renamed' where id = auth.uid()`,
		probe: `select * from public.profiles where id = auth.uid()`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   ok     ok     ok     ok     ok     ok     ok     ok     ok' },
	{ table: 'public.profiles', op: 'update', what: "Pat's display name",
		sql: `update public.profiles set display_name = 'Hijacked' where id = '${PAT}'`,
		probe: `select * from public.profiles where id = '${PAT}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   hide   hide   hide' },
	// profiles.email mirrors auth.users (triggers); nobody sets it through the API.
	{ table: 'public.profiles', op: 'update', what: 'own email (escalation)',
		sql: `update public.profiles set email = 'olivia@acme.example.com' where id = auth.uid()`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.profiles', op: 'update', what: "own id, to take over Pat's (escalation)",
		sql: `update public.profiles set id = '${PAT}' where id = auth.uid()`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.profiles', op: 'delete', what: 'own profile',
		sql: `delete from public.profiles where id = auth.uid()`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },

	// --- staff_members -----------------------------------------------------------------------
	// Admins change roles and remove staff; nobody else writes here. The last admin stays
	// (trigger: 'last_admin', PT409). Only the role column is updatable.
	{ table: 'public.staff_members', op: 'select', what: "Sam's staff record",
		sql: `select * from public.staff_members where user_id = '${SAM}'`,
		probe: `select * from public.staff_members where user_id = '${SAM}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   ok     ok     ok' },
	{ table: 'public.staff_members', op: 'insert', what: 'oneself as admin (escalation)',
		sql: `insert into public.staff_members (user_id, role) values (auth.uid(), 'admin')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	// Only staff have a row to raise; the probe is the whole team, which must not change.
	// Ada is an admin already: her own row matches and nothing changes.
	{ table: 'public.staff_members', op: 'update', what: 'own role to admin (escalation)',
		sql: `update public.staff_members set role = 'admin' where user_id = auth.uid()`,
		probe: `select * from public.staff_members order by user_id`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   hide   hide   noop' },
	{ table: 'public.staff_members', op: 'update', what: "Sam's role to admin",
		sql: `update public.staff_members set role = 'admin' where user_id = '${SAM}'`,
		probe: `select * from public.staff_members where user_id = '${SAM}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   hide   hide   ok' },
	{ table: 'public.staff_members', op: 'update', what: 'the only admin (Ada) to staff',
		sql: `update public.staff_members set role = 'staff' where user_id = '${ADA}'`,
		probe: `select * from public.staff_members where user_id = '${ADA}'`,
		error: 'last_admin',
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   hide   hide   trg' },
	{ table: 'public.staff_members', op: 'update', what: "Sam's role to one that does not exist",
		sql: `update public.staff_members set role = 'owner' where user_id = '${SAM}'`,
		probe: `select * from public.staff_members where user_id = '${SAM}'`,
		error: 'new row for relation "staff_members" violates check constraint "staff_members_role_check"',
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   hide   hide   chk' },
	{ table: 'public.staff_members', op: 'update', what: "Sam's record handed to oneself (escalation)",
		sql: `update public.staff_members set user_id = auth.uid() where user_id = '${SAM}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	// Sam removing himself is filtered too: leaving the staff is an admin's decision.
	{ table: 'public.staff_members', op: 'delete', what: "Sam's staff record",
		sql: `delete from public.staff_members where user_id = '${SAM}'`,
		probe: `select * from public.staff_members where user_id = '${SAM}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   hide   hide   ok' },
	{ table: 'public.staff_members', op: 'delete', what: "the only admin's (Ada's) staff record",
		sql: `delete from public.staff_members where user_id = '${ADA}'`,
		probe: `select * from public.staff_members where user_id = '${ADA}'`,
		error: 'last_admin',
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   hide   hide   trg' },

	// --- client_accounts ---------------------------------------------------------------------
	{ table: 'public.client_accounts', op: 'select', what: 'Acme',
		sql: `select * from public.client_accounts where id = '${ACME}'`,
		probe: `select * from public.client_accounts where id = '${ACME}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     ok     ok     ok     hide   ok' },
	{ table: 'public.client_accounts', op: 'insert', what: 'a new client account',
		sql: `insert into public.client_accounts (name) values ('Initech')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    rls    rls    rls    rls    rls    rls    ok' },
	{ table: 'public.client_accounts', op: 'update', what: 'rename Acme',
		sql: `update public.client_accounts set name = 'Acme Renamed' where id = '${ACME}'`,
		probe: `select * from public.client_accounts where id = '${ACME}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   ok     hide   ok' },
	{ table: 'public.client_accounts', op: 'update', what: "Acme's id (escalation)",
		sql: `update public.client_accounts set id = gen_random_uuid() where id = '${ACME}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.client_accounts', op: 'delete', what: 'Acme',
		sql: `delete from public.client_accounts where id = '${ACME}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },

	// --- account_members ---------------------------------------------------------------------
	// Memberships are made by accepting an invitation (invitations.test.ts), never inserted
	// directly. An account's owners and its serving staff change roles and remove people;
	// anyone may leave. The last owner stays (trigger: 'last_owner', PT409). Only the role
	// column is updatable, so a membership never moves to another account or person.
	{ table: 'public.account_members', op: 'select', what: "Pat's Acme membership",
		sql: `select * from public.account_members where account_id = '${ACME}' and user_id = '${PAT}'`,
		probe: `select * from public.account_members where account_id = '${ACME}' and user_id = '${PAT}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     ok     ok     ok     hide   ok' },
	{ table: 'public.account_members', op: 'insert', what: 'oneself into Acme as owner (escalation)',
		sql: `insert into public.account_members (account_id, user_id, role) values ('${ACME}', auth.uid(), 'owner')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	// The probe is every membership, which must not change. Owners (Olivia, Grace) are owners
	// already: their own row matches and nothing changes. Staff have no membership to raise.
	{ table: 'public.account_members', op: 'update', what: 'raise own role to owner (escalation)',
		sql: `update public.account_members set role = 'owner' where user_id = auth.uid()`,
		probe: `select * from public.account_members order by account_id, user_id`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   noop   noop   hide   hide   hide   hide   hide   hide' },
	{ table: 'public.account_members', op: 'update', what: "Pat's role to owner",
		sql: `update public.account_members set role = 'owner' where account_id = '${ACME}' and user_id = '${PAT}'`,
		probe: `select * from public.account_members where account_id = '${ACME}' and user_id = '${PAT}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     hide   hide   hide   ok     hide   ok' },
	{ table: 'public.account_members', op: 'update', what: "Pat's role to one that does not exist",
		sql: `update public.account_members set role = 'admin' where account_id = '${ACME}' and user_id = '${PAT}'`,
		probe: `select * from public.account_members where account_id = '${ACME}' and user_id = '${PAT}'`,
		error: 'new row for relation "account_members" violates check constraint "account_members_role_check"',
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   chk    hide   hide   hide   chk    hide   chk' },
	{ table: 'public.account_members', op: 'update', what: "Acme's only owner (Olivia) to member",
		sql: `update public.account_members set role = 'member' where account_id = '${ACME}' and user_id = '${OLIVIA}'`,
		probe: `select * from public.account_members where account_id = '${ACME}' and user_id = '${OLIVIA}'`,
		error: 'last_owner',
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   trg    hide   hide   hide   trg    hide   trg' },
	{ table: 'public.account_members', op: 'update', what: "move Pat's membership to Globex (escalation)",
		sql: `update public.account_members set account_id = '${GLOBEX}' where account_id = '${ACME}' and user_id = '${PAT}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.account_members', op: 'update', what: "Pat's membership handed to oneself (escalation)",
		sql: `update public.account_members set user_id = auth.uid() where account_id = '${ACME}' and user_id = '${PAT}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.account_members', op: 'delete', what: "Pat's Acme membership",
		sql: `delete from public.account_members where account_id = '${ACME}' and user_id = '${PAT}'`,
		probe: `select * from public.account_members where account_id = '${ACME}' and user_id = '${PAT}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     hide   hide   hide   ok     hide   ok' },
	// Leaving: the probe is all of Acme's memberships; those not in Acme find nothing to leave.
	{ table: 'public.account_members', op: 'delete', what: 'own Acme membership (leave)',
		sql: `delete from public.account_members where account_id = '${ACME}' and user_id = auth.uid()`,
		probe: `select * from public.account_members where account_id = '${ACME}' order by user_id`,
		error: 'last_owner',
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   trg    ok     ok     ok     hide   hide   hide' },
	{ table: 'public.account_members', op: 'delete', what: "Acme's only owner's (Olivia's) membership",
		sql: `delete from public.account_members where account_id = '${ACME}' and user_id = '${OLIVIA}'`,
		probe: `select * from public.account_members where account_id = '${ACME}' and user_id = '${OLIVIA}'`,
		error: 'last_owner',
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   trg    hide   hide   hide   trg    hide   trg' },

	// --- staff_assignments -------------------------------------------------------------------
	// Admins assign and unassign; nobody else writes here.
	{ table: 'public.staff_assignments', op: 'select', what: 'Sam serving Acme',
		sql: `select * from public.staff_assignments where account_id = '${ACME}' and staff_user_id = '${SAM}'`,
		probe: `select * from public.staff_assignments where account_id = '${ACME}' and staff_user_id = '${SAM}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   ok     hide   ok' },
	// For an admin this is no escalation: admins serve every account anyway.
	{ table: 'public.staff_assignments', op: 'insert', what: 'assign oneself to Acme (escalation)',
		sql: `insert into public.staff_assignments (account_id, staff_user_id) values ('${ACME}', auth.uid())`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    rls    rls    rls    rls    rls    rls    ok' },
	{ table: 'public.staff_assignments', op: 'insert', what: 'assign Tess to Acme',
		sql: `insert into public.staff_assignments (account_id, staff_user_id) values ('${ACME}', '${TESS}')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    rls    rls    rls    rls    rls    rls    ok' },
	{ table: 'public.staff_assignments', op: 'update', what: "take over Sam's Acme assignment (escalation)",
		sql: `update public.staff_assignments set staff_user_id = auth.uid() where account_id = '${ACME}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.staff_assignments', op: 'delete', what: 'Sam serving Acme',
		sql: `delete from public.staff_assignments where account_id = '${ACME}' and staff_user_id = '${SAM}'`,
		probe: `select * from public.staff_assignments where account_id = '${ACME}' and staff_user_id = '${SAM}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   hide   hide   ok' },

	// --- invitations -------------------------------------------------------------------------
	// Read (never token_hash) by who may manage them; written only through the invitation
	// functions (invitations.test.ts). Fixtures made in beforeAll: one open Acme invitation,
	// one open staff invitation.
	{ table: 'public.invitations', op: 'select', what: 'an open Acme invitation',
		sql: `select ${INVITATION_COLUMNS} from public.invitations where id = '${ACME_INVITE}'`,
		probe: `select ${INVITATION_COLUMNS} from public.invitations where id = '${ACME_INVITE}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     hide   hide   hide   ok     hide   ok' },
	{ table: 'public.invitations', op: 'select', what: 'an open staff invitation',
		sql: `select ${INVITATION_COLUMNS} from public.invitations where id = '${STAFF_INVITE}'`,
		probe: `select ${INVITATION_COLUMNS} from public.invitations where id = '${STAFF_INVITE}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   hide   hide   ok' },
	{ table: 'public.invitations', op: 'select', what: 'token_hash (no one reads it)',
		sql: `select token_hash from public.invitations`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.invitations', op: 'select', what: 'ids by token_hash (no oracle for guesses)',
		sql: `select id from public.invitations where token_hash = extensions.digest('matrix-acme', 'sha256')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.invitations', op: 'select', what: '* (takes token_hash along)',
		sql: `select * from public.invitations where id = '${ACME_INVITE}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.invitations', op: 'insert', what: 'an Acme owner invitation with a known token (escalation)',
		sql: `insert into public.invitations (kind, account_id, email, role, token_hash, expires_at)
		      values ('client', '${ACME}', 'accomplice@example.net', 'owner',
		              extensions.digest('chosen', 'sha256'), now() + interval '1 year')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.invitations', op: 'update', what: 'the Acme invitation readdressed to oneself as owner (escalation)',
		sql: `update public.invitations set email = 'accomplice@example.net', role = 'owner' where id = '${ACME_INVITE}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.invitations', op: 'update', what: 'revoke the Acme invitation by hand',
		sql: `update public.invitations set revoked_at = now() where id = '${ACME_INVITE}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.invitations', op: 'delete', what: 'the Acme invitation',
		sql: `delete from public.invitations where id = '${ACME_INVITE}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },

	// --- activity_log ------------------------------------------------------------------------
	// Written by triggers only (the seed and beforeAll already wrote some). An account's rows
	// for its owners and serving staff; other members see what their role shows elsewhere
	// (no invited addresses; no document names for billing); workspace rows for admins.
	{ table: 'public.activity_log', op: 'select', what: "Acme's membership activity",
		sql: `select * from public.activity_log where account_id = '${ACME}' and action like 'member.%' order by id`,
		probe: `select * from public.activity_log where account_id = '${ACME}' and action like 'member.%' order by id`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     ok     ok     ok     hide   ok' },
	{ table: 'public.activity_log', op: 'select', what: "Acme's invitation activity (invited addresses)",
		sql: `select * from public.activity_log where account_id = '${ACME}' and action like 'invitation.%' order by id`,
		probe: `select * from public.activity_log where account_id = '${ACME}' and action like 'invitation.%' order by id`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     hide   hide   hide   ok     hide   ok' },
	{ table: 'public.activity_log', op: 'select', what: "Acme's document activity",
		sql: `select * from public.activity_log where account_id = '${ACME}' and action like 'document.%' order by id`,
		probe: `select * from public.activity_log where account_id = '${ACME}' and action like 'document.%' order by id`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   ok     ok     hide   ok' },
	{ table: 'public.activity_log', op: 'select', what: "Globex's activity",
		sql: `select * from public.activity_log where account_id = '${GLOBEX}' order by id`,
		probe: `select * from public.activity_log where account_id = '${GLOBEX}' order by id`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   ok     hide   hide   hide   hide   hide   ok     ok' },
	{ table: 'public.activity_log', op: 'select', what: 'workspace activity (the staff team)',
		sql: `select * from public.activity_log where account_id is null order by id`,
		probe: `select * from public.activity_log where account_id is null order by id`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   hide   hide   ok' },
	{ table: 'public.activity_log', op: 'insert', what: 'a forged Acme entry',
		sql: `insert into public.activity_log (account_id, actor_id, action) values ('${ACME}', '${OLIVIA}', 'member.removed')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.activity_log', op: 'update', what: "rewrite Acme's history",
		sql: `update public.activity_log set actor_id = null where account_id = '${ACME}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.activity_log', op: 'delete', what: "erase Acme's history",
		sql: `delete from public.activity_log where account_id = '${ACME}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },

	// --- documents ---------------------------------------------------------------------------
	{ table: 'public.documents', op: 'select', what: 'an Acme document',
		sql: `select * from public.documents where id = '${ACME_DOC}'`,
		probe: `select * from public.documents where id = '${ACME_DOC}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   ok     ok     hide   ok' },
	{ table: 'public.documents', op: 'insert', what: 'an Acme document, as its uploader',
		sql: newDocument(ACME, `'${ACME}/' || ${uuidFolder} || '/Matrix.txt'`),
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    ok     ok     rls    rls    ok     rls    ok' },
	{ table: 'public.documents', op: 'insert', what: 'an Acme document credited to Pat (spoofed uploader)',
		sql: newDocument(ACME, `'${ACME}/' || ${uuidFolder} || '/Matrix.txt'`, `'${PAT}'`),
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    rls    rls    rls    rls    rls    rls    rls' },
	{ table: 'public.documents', op: 'insert', what: "an Acme row whose storage_path is in Globex's folder (escalation)",
		sql: newDocument(ACME, `'${GLOBEX}/' || ${uuidFolder} || '/Matrix.txt'`),
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    chk    chk    rls    rls    chk    rls    chk' },
	{ table: 'public.documents', op: 'insert', what: 'an Acme row whose storage_path climbs into Globex with ".." (escalation)',
		sql: newDocument(ACME, `'${ACME}/../${GLOBEX_DOC_PATH}'`),
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    chk    chk    rls    rls    chk    rls    chk' },
	{ table: 'public.documents', op: 'update', what: 'rename an Acme document',
		sql: `update public.documents set name = 'Renamed.pdf' where id = '${ACME_DOC}'`,
		probe: `select * from public.documents where id = '${ACME_DOC}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   hide   ok     hide   ok' },
	{ table: 'public.documents', op: 'update', what: 'move an Acme document to Globex (escalation)',
		sql: `update public.documents set account_id = '${GLOBEX}' where id = '${ACME_DOC}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.documents', op: 'update', what: "repoint an Acme document at Globex's file (escalation)",
		sql: `update public.documents set storage_path = '${GLOBEX_DOC_PATH}' where id = '${ACME_DOC}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.documents', op: 'delete', what: 'an Acme document',
		sql: `delete from public.documents where id = '${ACME_DOC}'`,
		probe: `select * from public.documents where id = '${ACME_DOC}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   ok     hide   ok' },

	// --- storage.objects, documents bucket ----------------------------------------------------
	// anon keeps the platform's grants on storage.objects, so its denials are policy denials.
	{ table: 'storage.objects', op: 'select', what: "Acme's statement-of-work file",
		sql: `select * from storage.objects where bucket_id = 'documents' and name = '${ACME_DOC_PATH}'`,
		probe: `select * from storage.objects where bucket_id = 'documents' and name = '${ACME_DOC_PATH}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'hide   hide   hide   ok     ok     hide   ok     ok     hide   ok' },
	{ table: 'storage.objects', op: 'insert', what: "a file in Acme's folder",
		sql: newObject(`'${ACME}/' || ${uuidFolder} || '/upload.txt'`),
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'rls    rls    rls    ok     ok     rls    rls    ok     rls    ok' },
	{ table: 'storage.objects', op: 'update', what: "rename Acme's file (no update policy: no upsert)",
		sql: `update storage.objects set name = '${ACME}/moved.pdf' where bucket_id = 'documents' and name = '${ACME_DOC_PATH}'`,
		probe: `select * from storage.objects where bucket_id = 'documents' and name = '${ACME_DOC_PATH}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'hide   hide   hide   hide   hide   hide   hide   hide   hide   hide' },
	{ table: 'storage.objects', op: 'delete', what: "Acme's file, as the Storage API deletes",
		before: `select set_config('storage.allow_delete_query', 'true', true)`,
		sql: `delete from storage.objects where bucket_id = 'documents' and name = '${ACME_DOC_PATH}'`,
		probe: `select * from storage.objects where bucket_id = 'documents' and name = '${ACME_DOC_PATH}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'hide   hide   hide   hide   hide   hide   hide   ok     hide   ok' },
	{ table: 'storage.objects', op: 'insert', what: 'an Acme path in another bucket (escalation)',
		sql: newObject(`'${ACME}/' || ${uuidFolder} || '/upload.txt'`, 'avatars'),
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'rls    rls    rls    rls    rls    rls    rls    rls    rls    rls' },
	{ table: 'storage.objects', op: 'insert', what: 'a name whose first folder is no uuid (no 22P02)',
		sql: newObject(`'not-a-uuid/' || ${uuidFolder} || '/upload.txt'`),
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'rls    rls    rls    rls    rls    rls    rls    rls    rls    rls' },
	{ table: 'storage.objects', op: 'select', what: 'a stored object whose first folder is no uuid (no 22P02)',
		sql: `select * from storage.objects where bucket_id = 'documents' and name = '${ODD_OBJECT}'`,
		probe: `select * from storage.objects where bucket_id = 'documents' and name = '${ODD_OBJECT}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'hide   hide   hide   hide   hide   hide   hide   hide   hide   hide' },
	{ table: 'storage.objects', op: 'insert', what: '"../<acme>/…" (first folder "..") (escalation)',
		sql: newObject(`'../${ACME}/' || ${uuidFolder} || '/upload.txt'`),
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'rls    rls    rls    rls    rls    rls    rls    rls    rls    rls' },
	{ table: 'storage.objects', op: 'insert', what: '"<globex>/../<acme>/…" (escalation into Acme)',
		sql: newObject(`'${GLOBEX}/../${ACME}/' || ${uuidFolder} || '/upload.txt'`),
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'rls    rls    rls    rls    rls    rls    rls    rls    rls    rls' },
	{ table: 'storage.objects', op: 'insert', what: '"<acme>/../<globex>/…" (escalation into Globex)',
		sql: newObject(`'${ACME}/../${GLOBEX}/' || ${uuidFolder} || '/upload.txt'`),
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'rls    rls    rls    rls    rls    rls    rls    rls    rls    rls' }
];

// --- validating the table itself (a typo must fail loudly, not skip a case) ---------------------

function outcomesOf(c: Case): Outcome[] {
	const cells = c.expect.trim().split(/\s+/);
	const where = `${c.table} ${c.op} "${c.what}"`;
	if (cells.length !== ACTORS.length) {
		throw new Error(`${where}: ${cells.length} outcomes for ${ACTORS.length} actors`);
	}
	for (const cell of cells) {
		if (!(OUTCOMES as readonly string[]).includes(cell))
			throw new Error(`${where}: unknown outcome "${cell}"`);
		if (cell === 'hide' && c.op === 'insert')
			throw new Error(`${where}: an insert cannot be filtered`);
		if (cell === 'trg' && c.error === undefined)
			throw new Error(`${where}: "trg" needs the trigger's error message`);
		if (cell === 'noop' && (c.op === 'insert' || c.op === 'select'))
			throw new Error(`${where}: only an update or a delete can change nothing`);
		if ((cell === 'hide' || cell === 'ok' || cell === 'noop') && c.op !== 'insert' && !c.probe) {
			throw new Error(`${where}: "${cell}" needs a probe`);
		}
	}
	return cells as Outcome[];
}

// --- running one case -------------------------------------------------------------------------

async function runCase(db: TestDb, c: Case, userId: string | null, outcome: Outcome) {
	await db.asUser(userId, async (tx: Tx) => {
		if (c.before) await tx.query(c.before);
		const attempt = () => tx.query(c.sql);
		switch (outcome) {
			case 'priv':
				await expectDenied42501(attempt(), 'privilege');
				break;
			case 'rls':
				await expectDenied42501(attempt(), 'rls');
				break;
			case 'chk': {
				const error = await expectError(attempt(), '23514');
				if (c.error !== undefined) expect(error.message).toBe(c.error);
				break;
			}
			case 'trg': {
				const error = await expectError(attempt(), TRIGGER_REFUSAL);
				expect(error.message).toBe(c.error);
				break;
			}
			case 'noop': {
				const before = await tx.asOwner(() => tx.query(c.probe!));
				expect(before.rowCount, 'the probe finds the target as owner').toBeGreaterThan(0);
				expect((await attempt()).rowCount, `rows ${c.op}d`).toBeGreaterThan(0);
				const after = await tx.asOwner(() => tx.query(c.probe!));
				expect(after.rows, 'the target, re-read as owner').toEqual(before.rows);
				break;
			}
			case 'hide':
				await expectFilteredOut(tx, attempt, c.probe!);
				break;
			case 'ok':
				if (c.op === 'select') {
					const asOwner = await tx.asOwner(() => tx.query(c.probe!));
					expect(asOwner.rowCount, 'the probe finds the target as owner').toBeGreaterThan(0);
					expect((await attempt()).rows).toEqual(asOwner.rows);
				} else if (c.op === 'insert') {
					expect((await attempt()).rowCount, 'rows inserted').toBe(1);
				} else {
					// The probe is the target row, or a set that holds it ("Acme's memberships" for
					// "leave Acme"): one row written, and the owner sees the probe change.
					const before = await tx.asOwner(() => tx.query(c.probe!));
					expect(before.rowCount, 'the probe finds the target as owner').toBeGreaterThan(0);
					expect((await attempt()).rowCount, `rows ${c.op}d`).toBe(1);
					const after = await tx.asOwner(() => tx.query(c.probe!));
					expect(after.rows, 'the target, re-read as owner').not.toEqual(before.rows);
				}
				break;
		}
	});
}

// --- the suite --------------------------------------------------------------------------------

let db: TestDb;
let registered = 0;

beforeAll(async () => {
	db = await openTestDb();
	console.log(`tests/db: ${db.description} ready in ${(db.setupMs / 1000).toFixed(1)} s`);
	await db.asOwner(async (tx) => {
		await tx.query(
			`insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
			 values ('${STRANGER}', 'authenticated', 'authenticated', 'stranger@example.net',
			         '{"provider": "email", "providers": ["email"]}', '{"display_name": "Stan Stranger"}', now(), now()),
			        ('${PAT}', 'authenticated', 'authenticated', 'pat@acme.example.com',
			         '{"provider": "email", "providers": ["email"]}', '{"display_name": "Pat Peer"}', now(), now())`
		);
		await tx.query(
			`insert into public.account_members (account_id, user_id, role) values ('${ACME}', '${PAT}', 'member')`
		);
		// The files the local stack uploads for the seeded documents, one odd name, one more bucket.
		await tx.query(
			`insert into storage.objects (bucket_id, name, owner_id)
			 select 'documents', storage_path, uploaded_by::text from public.documents`
		);
		await tx.query(
			`insert into storage.objects (bucket_id, name) values ('documents', '${ODD_OBJECT}')`
		);
		await tx.query(
			`insert into storage.buckets (id, name, public) values ('avatars', 'avatars', false)`
		);
		// Invitations as the functions store them (only a hash of the token, never the token).
		await tx.query(
			`insert into public.invitations (id, kind, account_id, email, role, token_hash, invited_by, expires_at)
			 values ('${ACME_INVITE}', 'client', '${ACME}', 'newcomer@example.org', 'member',
			         extensions.digest('matrix-acme', 'sha256'), '${OLIVIA}', now() + interval '7 days'),
			        ('${STAFF_INVITE}', 'staff', null, 'recruit@example.org', 'staff',
			         extensions.digest('matrix-staff', 'sha256'), '${ADA}', now() + interval '7 days')`
		);
	});
});

afterAll(async () => {
	await db?.close();
});

describe('policy matrix', () => {
	const tables = [...new Set(matrix.map((c) => c.table))];
	for (const table of tables) {
		describe(table, () => {
			for (const c of matrix.filter((m) => m.table === table)) {
				const outcomes = outcomesOf(c);
				describe(`${c.op} ${c.what}`, () => {
					ACTORS.forEach(([, label, userId], i) => {
						const outcome = outcomes[i]!;
						registered++;
						it(`${label}: ${outcome}`, () => runCase(db, c, userId, outcome));
					});
				});
			}
		});
	}
});

describe('matrix coverage', () => {
	it('covers every table in public, and storage.objects, with select/insert/update/delete', async () => {
		const { rows } = await db.query<{ name: string }>(
			`select format('%I.%I', n.nspname, c.relname) as name
			   from pg_class c join pg_namespace n on n.oid = c.relnamespace
			  where n.nspname = 'public' and c.relkind in ('r', 'p')
			  order by 1`
		);
		const expected = [...rows.map((r) => r.name), 'storage.objects'].sort();
		expect([...new Set(matrix.map((c) => c.table))].sort()).toEqual(expected);
		const missing = expected.flatMap((table) =>
			(['select', 'insert', 'update', 'delete'] as const)
				.filter((op) => !matrix.some((c) => c.table === table && c.op === op))
				.map((op) => `${table} ${op}`)
		);
		expect(missing).toEqual([]);
	});

	it('reports its size', () => {
		expect(registered).toBe(matrix.length * ACTORS.length);
		console.log(
			`policy matrix: ${registered} cases (${matrix.length} statements × ${ACTORS.length} actors), ` +
				`on ${db.description}`
		);
	});
});
