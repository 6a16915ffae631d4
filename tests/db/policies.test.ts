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
 *         admin, a folder that is not empty): SQLSTATE PT409 (PostgREST answers 409) and the
 *         case's `error` message
 *   fk    refused by a foreign key: SQLSTATE 23503. The portal's content tables reference their
 *         parents by (id, account_id), so a row can never point into another account, even
 *         for someone the policies let write both
 *
 * The target rows belong to Acme (seed.sql, and the fixtures made in beforeAll) unless a row
 * says otherwise. Every case runs in its own transaction, rolled back, so cases never see each
 * other's writes. A case's `setup` runs first as the owner in that transaction: a documents
 * row may only point at a file that is really stored (the insert trigger checks, for API users),
 * so the file is put there before the statement, as the browser uploads it first.
 *
 * The behaviour behind these rows (the trash, versions, approvals, the message functions) is
 * tested step by step in content.test.ts.
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
const BRAND_LOGO = '10a00000-0000-4000-8000-000000000001'; // a logo object name
const ODD_OBJECT = 'not-a-uuid/readme.txt'; // a stored object whose first folder is no uuid
// Made in beforeAll: an open invitation into Acme (by Olivia) and one to the staff (by Ada).
const ACME_INVITE = '1a000000-0000-4000-8000-000000000001';
const STAFF_INVITE = '5a000000-0000-4000-8000-000000000001';

// The portal's content (seed.sql).
const KICKOFF_DOC = 'd0000000-0000-4000-8000-000000000002'; // "Kick-off notes.txt", by Olivia
const KICKOFF_PATH = `${ACME}/${KICKOFF_DOC}/Kick-off notes.txt`;
const LOGO_DOC = 'd0000000-0000-4000-8000-000000000003'; // "Brand logo.png", by Mark
const GLOBEX_DOC = 'd0000000-0000-4000-8000-000000000004';
const DESIGN_DOC = 'd0000000-0000-4000-8000-000000000006'; // "Homepage design.pdf", 2 versions
const DESIGN_V2 = 'e1000000-0000-4000-8000-000000000002';
const CONTRACTS = 'f0000000-0000-4000-8000-000000000001'; // Acme folder holding ACME_DOC
const DESIGN_FOLDER = 'f0000000-0000-4000-8000-000000000002';
const LOGO_REQUEST = 'f1000000-0000-4000-8000-000000000001'; // an open Acme file request
const ACME_THREAD = '71000000-0000-4000-8000-000000000001'; // 2 messages and an internal note
const GLOBEX_THREAD = '71000000-0000-4000-8000-000000000002';
const ACME_PROJECT = 'b1000000-0000-4000-8000-000000000001';
const GLOBEX_PROJECT = 'b1000000-0000-4000-8000-000000000002';
const ACME_APPROVAL = 'a1000000-0000-4000-8000-000000000001'; // pending; Olivia and Mark decide
// Made in beforeAll.
const EMPTY_FOLDER = 'f0000000-0000-4000-8000-0000000000a1'; // Acme, nothing in it
const GLOBEX_FOLDER = 'f0000000-0000-4000-8000-0000000000b1';
const TRASHED_DOC = 'd0000000-0000-4000-8000-0000000000a1'; // Acme, trashed by Mark
const READS_THREAD = '71000000-0000-4000-8000-0000000000a1'; // Acme; Olivia and Pat read it
const PAT_MESSAGE = '77000000-0000-4000-8000-0000000000a1'; // Pat's, in ACME_THREAD, KICKOFF_DOC attached
const STAFF_NOTE = '77000000-0000-4000-8000-0000000000a2'; // Sam's internal note, LOGO_DOC attached
const SECOND_APPROVAL = 'a1000000-0000-4000-8000-0000000000a2'; // Olivia and Pat decide; Pat approved
const PAT_UPLOAD = `${ACME}/6a000000-0000-4000-8000-0000000000a1/unsaved.txt`; // no row refers to it
// What a case's setup stores before the statement (the same names in every case: each is
// rolled back).
const NEW_FILE = `${ACME}/6a000000-0000-4000-8000-000000000001/Matrix.txt`;
const NEW_GLOBEX_FILE = `${GLOBEX}/6a000000-0000-4000-8000-000000000001/Matrix.txt`;
const CLIMBING_FILE = `${ACME}/../${GLOBEX_DOC_PATH}`;
const OWN_MESSAGE = '77000000-0000-4000-8000-000000000001';
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
const OUTCOMES = ['ok', 'hide', 'noop', 'priv', 'rls', 'chk', 'trg', 'fk'] as const;
/** What the invariant triggers raise (the migration's header lists its codes). */
const TRIGGER_REFUSAL = 'PT409';
const FOREIGN_KEY_REFUSAL = '23503';
type Outcome = (typeof OUTCOMES)[number];
type Op = 'select' | 'insert' | 'update' | 'delete';

interface Case {
	table: string;
	op: Op;
	what: string;
	sql: string;
	/** Selects the target row(s) as the owner; needed for select/update/delete. */
	probe?: string;
	/** Run first as the owner, in the case's transaction (auth.uid() is the actor's). */
	setup?: string;
	/** Run first as the actor, e.g. what the Storage API sets before a delete. */
	before?: string;
	/** The exact message of every `chk` or `trg` refusal in this row (e.g. 'last_owner'). */
	error?: string;
	/** One outcome per actor, in ACTORS order. */
	expect: string;
}

const newDocument = (account: string, storagePath: string, uploader = 'auth.uid()') =>
	`insert into public.documents (account_id, name, storage_path, size_bytes, mime_type, uploaded_by)
	 values ('${account}', 'Matrix.txt', '${storagePath}', 1, 'text/plain', ${uploader})`;
const newObject = (name: string, bucket = 'documents') =>
	`insert into storage.objects (bucket_id, name, owner_id) values ('${bucket}', ${name}, auth.uid()::text)`;
const newVersion = (
	document: string,
	account: string,
	storagePath: string,
	uploader = 'auth.uid()'
) =>
	`insert into public.document_versions (document_id, account_id, storage_path, size_bytes, mime_type, uploaded_by)
	 values ('${document}', '${account}', '${storagePath}', 1, 'text/plain', ${uploader})`;
/** A message by the actor in the homepage thread, made as the owner (for a case's setup). */
const ownMessage = `insert into public.messages (id, thread_id, account_id, author_id, body)
	values ('${OWN_MESSAGE}', '${ACME_THREAD}', '${ACME}', auth.uid(), 'Mine')`;
/** A stored file, as the Storage API records an upload by the actor (for a case's setup). */
const storedFile = (name: string) =>
	`insert into storage.objects (bucket_id, name, owner_id, metadata)
	 values ('documents', '${name.replace(/'/g, "''")}', auth.uid()::text, '{"size": 6, "mimetype": "text/plain"}')`;
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
	// Clients see the names of the staff who serve their accounts, and of the admins; staff
	// see the whole team.
	{ table: 'public.profiles', op: 'select', what: "a staff colleague's profile (Tess, serving Globex)",
		sql: `select * from public.profiles where id = '${TESS}'`,
		probe: `select * from public.profiles where id = '${TESS}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   ok     hide   hide   hide   hide   ok     ok     ok' },
	{ table: 'public.profiles', op: 'select', what: "Acme's staff contact's profile (Sam)",
		sql: `select * from public.profiles where id = '${SAM}'`,
		probe: `select * from public.profiles where id = '${SAM}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     ok     ok     ok     ok     ok' },
	{ table: 'public.profiles', op: 'select', what: "the admin's profile (Ada)",
		sql: `select * from public.profiles where id = '${ADA}'`,
		probe: `select * from public.profiles where id = '${ADA}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   ok     ok     ok     ok     ok     ok     ok     ok' },
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
	// Billing users see people and account events only (no staff, documents or content).
	{ table: 'public.activity_log', op: 'select', what: "Acme's account activity",
		sql: `select * from public.activity_log where account_id = '${ACME}' and action like 'account.%' order by id`,
		probe: `select * from public.activity_log where account_id = '${ACME}' and action like 'account.%' order by id`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     ok     ok     ok     hide   ok' },
	{ table: 'public.activity_log', op: 'select', what: "Acme's staff assignment activity",
		sql: `select * from public.activity_log where account_id = '${ACME}' and action like 'staff.%' order by id`,
		probe: `select * from public.activity_log where account_id = '${ACME}' and action like 'staff.%' order by id`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   ok     ok     hide   ok' },
	{ table: 'public.activity_log', op: 'select', what: "Acme's content activity (messages, folders, approvals, …)",
		sql: `select * from public.activity_log where account_id = '${ACME}' and split_part(action, '.', 1) not in ('member', 'account', 'staff', 'invitation', 'document') order by id`,
		probe: `select * from public.activity_log where account_id = '${ACME}' and split_part(action, '.', 1) not in ('member', 'account', 'staff', 'invitation', 'document') order by id`,
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
	// Writers (owners, members, serving staff) upload, rename, move and trash; on a trashed
	// document only serving staff act (restore it); hard deletes stay with staff. The insert
	// trigger checks the stored file first, so each insert's setup stores it (content.test.ts
	// has the trigger's own refusals).
	{ table: 'public.documents', op: 'select', what: 'an Acme document',
		sql: `select * from public.documents where id = '${ACME_DOC}'`,
		probe: `select * from public.documents where id = '${ACME_DOC}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   ok     ok     hide   ok' },
	{ table: 'public.documents', op: 'insert', what: 'an Acme document, as its uploader',
		setup: storedFile(NEW_FILE),
		sql: newDocument(ACME, NEW_FILE),
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    ok     ok     rls    rls    ok     rls    ok' },
	{ table: 'public.documents', op: 'insert', what: 'an Acme document credited to Pat (spoofed uploader)',
		setup: storedFile(NEW_FILE),
		sql: newDocument(ACME, NEW_FILE, `'${PAT}'`),
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    rls    rls    rls    rls    rls    rls    rls' },
	{ table: 'public.documents', op: 'insert', what: "an Acme row whose storage_path is in Globex's folder (escalation)",
		setup: storedFile(NEW_GLOBEX_FILE),
		sql: newDocument(ACME, NEW_GLOBEX_FILE),
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    chk    chk    rls    rls    chk    rls    chk' },
	// Storage refuses such a name (see storage.objects below); stored here all the same, so
	// the statement reaches the policy and the check constraint.
	{ table: 'public.documents', op: 'insert', what: 'an Acme row whose storage_path climbs into Globex with ".." (escalation)',
		setup: storedFile(CLIMBING_FILE),
		sql: newDocument(ACME, CLIMBING_FILE),
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    chk    chk    rls    rls    chk    rls    chk' },
	{ table: 'public.documents', op: 'insert', what: 'an Acme document straight into the trash',
		setup: storedFile(NEW_FILE),
		sql: `insert into public.documents (account_id, name, storage_path, size_bytes, mime_type, uploaded_by, deleted_at)
		      values ('${ACME}', 'Matrix.txt', '${NEW_FILE}', 1, 'text/plain', auth.uid(), now())`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.documents', op: 'update', what: 'rename an Acme document',
		sql: `update public.documents set name = 'Renamed.pdf' where id = '${ACME_DOC}'`,
		probe: `select * from public.documents where id = '${ACME_DOC}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   hide   ok     hide   ok' },
	{ table: 'public.documents', op: 'update', what: 'move an Acme document into the Design folder',
		sql: `update public.documents set folder_id = '${DESIGN_FOLDER}' where id = '${ACME_DOC}'`,
		probe: `select * from public.documents where id = '${ACME_DOC}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   hide   ok     hide   ok' },
	{ table: 'public.documents', op: 'update', what: "move an Acme document into Globex's folder (escalation)",
		sql: `update public.documents set folder_id = '${GLOBEX_FOLDER}' where id = '${ACME_DOC}'`,
		probe: `select * from public.documents where id = '${ACME_DOC}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   fk     fk     hide   hide   fk     hide   fk' },
	{ table: 'public.documents', op: 'update', what: 'put an Acme document in the trash',
		sql: `update public.documents set deleted_at = now() where id = '${ACME_DOC}'`,
		probe: `select * from public.documents where id = '${ACME_DOC}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   hide   ok     hide   ok' },
	{ table: 'public.documents', op: 'update', what: 'restore a trashed Acme document',
		sql: `update public.documents set deleted_at = null where id = '${TRASHED_DOC}'`,
		probe: `select * from public.documents where id = '${TRASHED_DOC}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   ok     hide   ok' },
	{ table: 'public.documents', op: 'update', what: 'rename a trashed Acme document',
		sql: `update public.documents set name = 'Renamed.txt' where id = '${TRASHED_DOC}'`,
		probe: `select * from public.documents where id = '${TRASHED_DOC}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   ok     hide   ok' },
	{ table: 'public.documents', op: 'update', what: 'who trashed a document (deleted_by: the trigger sets it)',
		sql: `update public.documents set deleted_by = '${PAT}' where id = '${TRASHED_DOC}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.documents', op: 'update', what: 'move an Acme document to Globex (escalation)',
		sql: `update public.documents set account_id = '${GLOBEX}' where id = '${ACME_DOC}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.documents', op: 'update', what: "repoint an Acme document at Globex's file (escalation)",
		sql: `update public.documents set storage_path = '${GLOBEX_DOC_PATH}' where id = '${ACME_DOC}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.documents', op: 'update', what: "an Acme document's size (the stored file decides)",
		sql: `update public.documents set size_bytes = 1 where id = '${ACME_DOC}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.documents', op: 'delete', what: 'an Acme document',
		sql: `delete from public.documents where id = '${ACME_DOC}'`,
		probe: `select * from public.documents where id = '${ACME_DOC}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   ok     hide   ok' },

	// --- document_versions -------------------------------------------------------------------
	// Readers see every version; writers add one (the trigger numbers it and makes it the
	// document's current file). Nobody rewrites or removes a version.
	{ table: 'public.document_versions', op: 'select', what: 'version 2 of the homepage design',
		sql: `select * from public.document_versions where id = '${DESIGN_V2}'`,
		probe: `select * from public.document_versions where id = '${DESIGN_V2}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   ok     ok     hide   ok' },
	{ table: 'public.document_versions', op: 'insert', what: 'a new version of the homepage design',
		setup: storedFile(NEW_FILE),
		sql: newVersion(DESIGN_DOC, ACME, NEW_FILE),
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    ok     ok     rls    rls    ok     rls    ok' },
	{ table: 'public.document_versions', op: 'insert', what: 'a new version credited to Pat (spoofed uploader)',
		setup: storedFile(NEW_FILE),
		sql: newVersion(DESIGN_DOC, ACME, NEW_FILE, `'${PAT}'`),
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    rls    rls    rls    rls    rls    rls    rls' },
	{ table: 'public.document_versions', op: 'insert', what: "a new version whose file is Globex's (escalation)",
		sql: newVersion(DESIGN_DOC, ACME, GLOBEX_DOC_PATH),
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    chk    chk    rls    rls    chk    rls    chk' },
	{ table: 'public.document_versions', op: 'insert', what: "an Acme version of Globex's document (escalation)",
		setup: storedFile(NEW_FILE),
		sql: newVersion(GLOBEX_DOC, ACME, NEW_FILE),
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    fk     fk     rls    rls    fk     rls    fk' },
	{ table: 'public.document_versions', op: 'insert', what: 'a version with a number of its own choosing',
		setup: storedFile(NEW_FILE),
		sql: `insert into public.document_versions (document_id, account_id, version, storage_path, size_bytes, mime_type, uploaded_by)
		      values ('${DESIGN_DOC}', '${ACME}', 9, '${NEW_FILE}', 1, 'text/plain', auth.uid())`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.document_versions', op: 'update', what: "repoint version 2 at another file",
		sql: `update public.document_versions set storage_path = '${KICKOFF_PATH}' where id = '${DESIGN_V2}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.document_versions', op: 'delete', what: 'version 2 of the homepage design',
		sql: `delete from public.document_versions where id = '${DESIGN_V2}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },

	// --- folders -----------------------------------------------------------------------------
	// Readers see them; writers create, rename and delete them (only empty ones: trigger
	// 'folder_not_empty'). A folder never moves, so no cycle can form.
	{ table: 'public.folders', op: 'select', what: "Acme's Contracts folder",
		sql: `select * from public.folders where id = '${CONTRACTS}'`,
		probe: `select * from public.folders where id = '${CONTRACTS}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   ok     ok     hide   ok' },
	{ table: 'public.folders', op: 'insert', what: 'a folder in Acme',
		sql: `insert into public.folders (account_id, name) values ('${ACME}', 'Matrix')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    ok     ok     rls    rls    ok     rls    ok' },
	{ table: 'public.folders', op: 'insert', what: 'a subfolder of Contracts',
		sql: `insert into public.folders (account_id, parent_id, name) values ('${ACME}', '${CONTRACTS}', 'Matrix')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    ok     ok     rls    rls    ok     rls    ok' },
	{ table: 'public.folders', op: 'insert', what: "an Acme folder inside Globex's folder (escalation)",
		sql: `insert into public.folders (account_id, parent_id, name) values ('${ACME}', '${GLOBEX_FOLDER}', 'Matrix')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    fk     fk     rls    rls    fk     rls    fk' },
	{ table: 'public.folders', op: 'insert', what: 'a folder credited to Pat (created_by)',
		sql: `insert into public.folders (account_id, name, created_by) values ('${ACME}', 'Matrix', '${PAT}')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.folders', op: 'update', what: 'rename Contracts',
		sql: `update public.folders set name = 'Agreements' where id = '${CONTRACTS}'`,
		probe: `select * from public.folders where id = '${CONTRACTS}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   hide   ok     hide   ok' },
	{ table: 'public.folders', op: 'update', what: 'move Contracts into Design',
		sql: `update public.folders set parent_id = '${DESIGN_FOLDER}' where id = '${CONTRACTS}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.folders', op: 'update', what: 'move Contracts to Globex (escalation)',
		sql: `update public.folders set account_id = '${GLOBEX}' where id = '${CONTRACTS}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.folders', op: 'delete', what: 'an empty Acme folder',
		sql: `delete from public.folders where id = '${EMPTY_FOLDER}'`,
		probe: `select * from public.folders where id = '${EMPTY_FOLDER}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   hide   ok     hide   ok' },
	{ table: 'public.folders', op: 'delete', what: 'Contracts, which holds a document',
		sql: `delete from public.folders where id = '${CONTRACTS}'`,
		probe: `select * from public.folders where id = '${CONTRACTS}'`,
		error: 'folder_not_empty',
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   trg    trg    hide   hide   trg    hide   trg' },

	// --- file_requests -----------------------------------------------------------------------
	// Readers see them; serving staff create and update them. Uploading into one is a documents
	// insert (content.test.ts).
	{ table: 'public.file_requests', op: 'select', what: "Acme's request for a vector logo",
		sql: `select * from public.file_requests where id = '${LOGO_REQUEST}'`,
		probe: `select * from public.file_requests where id = '${LOGO_REQUEST}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   ok     ok     hide   ok' },
	{ table: 'public.file_requests', op: 'insert', what: 'a request to Acme',
		sql: `insert into public.file_requests (account_id, title) values ('${ACME}', 'Matrix')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    rls    rls    rls    rls    ok     rls    ok' },
	{ table: 'public.file_requests', op: 'insert', what: 'a request credited to Sam (requested_by)',
		sql: `insert into public.file_requests (account_id, title, requested_by) values ('${ACME}', 'Matrix', '${SAM}')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.file_requests', op: 'update', what: "close Acme's request",
		sql: `update public.file_requests set status = 'closed' where id = '${LOGO_REQUEST}'`,
		probe: `select * from public.file_requests where id = '${LOGO_REQUEST}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   ok     hide   ok' },
	{ table: 'public.file_requests', op: 'update', what: "a status that does not exist",
		sql: `update public.file_requests set status = 'done' where id = '${LOGO_REQUEST}'`,
		probe: `select * from public.file_requests where id = '${LOGO_REQUEST}'`,
		error: 'new row for relation "file_requests" violates check constraint "file_requests_status_check"',
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   chk    hide   chk' },
	{ table: 'public.file_requests', op: 'update', what: "move Acme's request to Globex (escalation)",
		sql: `update public.file_requests set account_id = '${GLOBEX}' where id = '${LOGO_REQUEST}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.file_requests', op: 'delete', what: "Acme's request",
		sql: `delete from public.file_requests where id = '${LOGO_REQUEST}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },

	// --- threads -----------------------------------------------------------------------------
	// Readers see them; writers start them (with a first message: start_thread, content.test.ts).
	{ table: 'public.threads', op: 'select', what: "Acme's homepage thread",
		sql: `select * from public.threads where id = '${ACME_THREAD}'`,
		probe: `select * from public.threads where id = '${ACME_THREAD}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   ok     ok     hide   ok' },
	{ table: 'public.threads', op: 'insert', what: 'a thread in Acme',
		sql: `insert into public.threads (account_id, subject) values ('${ACME}', 'Matrix')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    ok     ok     rls    rls    ok     rls    ok' },
	{ table: 'public.threads', op: 'insert', what: 'a thread credited to Pat (created_by)',
		sql: `insert into public.threads (account_id, subject, created_by) values ('${ACME}', 'Matrix', '${PAT}')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.threads', op: 'update', what: "the homepage thread's subject",
		sql: `update public.threads set subject = 'Renamed' where id = '${ACME_THREAD}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.threads', op: 'delete', what: "Acme's homepage thread",
		sql: `delete from public.threads where id = '${ACME_THREAD}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },

	// --- messages ----------------------------------------------------------------------------
	// Internal notes are for serving staff alone: no client role, and no staff member who does
	// not serve the account, reads or writes one. Messages are never edited or deleted.
	{ table: 'public.messages', op: 'select', what: "the homepage thread's messages, internal notes aside",
		sql: `select * from public.messages where thread_id = '${ACME_THREAD}' and not internal order by created_at, id`,
		probe: `select * from public.messages where thread_id = '${ACME_THREAD}' and not internal order by created_at, id`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   ok     ok     hide   ok' },
	{ table: 'public.messages', op: 'select', what: "the homepage thread's internal notes",
		sql: `select * from public.messages where thread_id = '${ACME_THREAD}' and internal order by created_at, id`,
		probe: `select * from public.messages where thread_id = '${ACME_THREAD}' and internal order by created_at, id`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   ok     hide   ok' },
	{ table: 'public.messages', op: 'insert', what: 'a message in the homepage thread',
		sql: `insert into public.messages (thread_id, account_id, body) values ('${ACME_THREAD}', '${ACME}', 'Matrix')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    ok     ok     rls    rls    ok     rls    ok' },
	{ table: 'public.messages', op: 'insert', what: 'an internal note in the homepage thread',
		sql: `insert into public.messages (thread_id, account_id, body, internal) values ('${ACME_THREAD}', '${ACME}', 'Matrix', true)`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    rls    rls    rls    rls    ok     rls    ok' },
	{ table: 'public.messages', op: 'insert', what: 'a message credited to Sam (spoofed author)',
		sql: `insert into public.messages (thread_id, account_id, body, author_id) values ('${ACME_THREAD}', '${ACME}', 'Matrix', '${SAM}')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.messages', op: 'insert', what: "an Acme message in Globex's thread (escalation)",
		sql: `insert into public.messages (thread_id, account_id, body) values ('${GLOBEX_THREAD}', '${ACME}', 'Matrix')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    fk     fk     rls    rls    fk     rls    fk' },
	{ table: 'public.messages', op: 'insert', what: "a message in Globex's thread",
		sql: `insert into public.messages (thread_id, account_id, body) values ('${GLOBEX_THREAD}', '${GLOBEX}', 'Matrix')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    ok     rls    rls    rls    rls    rls    ok     ok' },
	{ table: 'public.messages', op: 'update', what: "Pat's message rewritten",
		sql: `update public.messages set body = 'Rewritten' where id = '${PAT_MESSAGE}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.messages', op: 'update', what: "Sam's internal note made public",
		sql: `update public.messages set internal = false where id = '${STAFF_NOTE}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.messages', op: 'delete', what: "Pat's message",
		sql: `delete from public.messages where id = '${PAT_MESSAGE}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },

	// --- message_attachments -----------------------------------------------------------------
	// Seen with their message (an internal note's attachments only by serving staff); added by
	// the message's author. Fixtures: KICKOFF_DOC on Pat's message, LOGO_DOC on Sam's note; a
	// case's setup gives the actor a message of their own (as the owner, whatever their role).
	{ table: 'public.message_attachments', op: 'select', what: "the attachment of Pat's message",
		sql: `select * from public.message_attachments where message_id = '${PAT_MESSAGE}'`,
		probe: `select * from public.message_attachments where message_id = '${PAT_MESSAGE}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   ok     ok     hide   ok' },
	{ table: 'public.message_attachments', op: 'select', what: "the attachment of Sam's internal note",
		sql: `select * from public.message_attachments where message_id = '${STAFF_NOTE}'`,
		probe: `select * from public.message_attachments where message_id = '${STAFF_NOTE}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   ok     hide   ok' },
	{ table: 'public.message_attachments', op: 'insert', what: 'an Acme document attached to own message',
		setup: ownMessage,
		sql: `insert into public.message_attachments (message_id, document_id, account_id) values ('${OWN_MESSAGE}', '${LOGO_DOC}', '${ACME}')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    ok     ok     rls    rls    ok     rls    ok' },
	{ table: 'public.message_attachments', op: 'insert', what: "an Acme document attached to Pat's message",
		sql: `insert into public.message_attachments (message_id, document_id, account_id) values ('${PAT_MESSAGE}', '${LOGO_DOC}', '${ACME}')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    rls    rls    rls    rls    rls    rls    rls' },
	{ table: 'public.message_attachments', op: 'insert', what: "Globex's document attached to own Acme message (escalation)",
		setup: ownMessage,
		sql: `insert into public.message_attachments (message_id, document_id, account_id) values ('${OWN_MESSAGE}', '${GLOBEX_DOC}', '${ACME}')`,
		// Refused by the policy (the document is not one the author sees live), except for the
		// admin, who sees it: then the composite key keeps it out of Acme.
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    rls    rls    rls    rls    rls    rls    fk' },
	{ table: 'public.message_attachments', op: 'update', what: "the attachment of Pat's message swapped",
		sql: `update public.message_attachments set document_id = '${LOGO_DOC}' where message_id = '${PAT_MESSAGE}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.message_attachments', op: 'delete', what: "the attachment of Pat's message",
		sql: `delete from public.message_attachments where message_id = '${PAT_MESSAGE}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },

	// --- thread_reads ------------------------------------------------------------------------
	// Each person's own read marks, on threads they can read. Fixtures: Olivia's and Pat's
	// marks on READS_THREAD.
	{ table: 'public.thread_reads', op: 'select', what: "Olivia's read mark",
		sql: `select * from public.thread_reads where thread_id = '${READS_THREAD}' and user_id = '${OLIVIA}'`,
		probe: `select * from public.thread_reads where thread_id = '${READS_THREAD}' and user_id = '${OLIVIA}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     hide   hide   hide   hide   hide   hide' },
	{ table: 'public.thread_reads', op: 'select', what: "Pat's read mark",
		sql: `select * from public.thread_reads where thread_id = '${READS_THREAD}' and user_id = '${PAT}'`,
		probe: `select * from public.thread_reads where thread_id = '${READS_THREAD}' and user_id = '${PAT}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   hide   hide   hide' },
	{ table: 'public.thread_reads', op: 'insert', what: 'own read mark on the homepage thread',
		sql: `insert into public.thread_reads (thread_id, account_id) values ('${ACME_THREAD}', '${ACME}')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    ok     ok     rls    ok     ok     rls    ok' },
	{ table: 'public.thread_reads', op: 'insert', what: "an Acme read mark on Globex's thread (escalation)",
		sql: `insert into public.thread_reads (thread_id, account_id) values ('${GLOBEX_THREAD}', '${ACME}')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    fk     fk     rls    fk     fk     rls    fk' },
	{ table: 'public.thread_reads', op: 'insert', what: 'a read mark for Pat',
		sql: `insert into public.thread_reads (thread_id, account_id, user_id) values ('${ACME_THREAD}', '${ACME}', '${PAT}')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	// The probe is every mark on the thread: only Olivia has one to move.
	{ table: 'public.thread_reads', op: 'update', what: 'own read mark',
		sql: `update public.thread_reads set last_read_at = now() - interval '1 hour' where thread_id = '${READS_THREAD}' and user_id = auth.uid()`,
		probe: `select * from public.thread_reads where thread_id = '${READS_THREAD}' order by user_id`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     hide   hide   hide   hide   hide   hide' },
	{ table: 'public.thread_reads', op: 'update', what: "Pat's read mark",
		sql: `update public.thread_reads set last_read_at = now() - interval '1 hour' where thread_id = '${READS_THREAD}' and user_id = '${PAT}'`,
		probe: `select * from public.thread_reads where thread_id = '${READS_THREAD}' and user_id = '${PAT}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   hide   hide   hide' },
	{ table: 'public.thread_reads', op: 'update', what: "Pat's read mark taken over (user_id)",
		sql: `update public.thread_reads set user_id = auth.uid() where thread_id = '${READS_THREAD}' and user_id = '${PAT}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.thread_reads', op: 'delete', what: "Olivia's read mark",
		sql: `delete from public.thread_reads where thread_id = '${READS_THREAD}' and user_id = '${OLIVIA}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },

	// --- projects ----------------------------------------------------------------------------
	// Readers see them; serving staff run them.
	{ table: 'public.projects', op: 'select', what: "Acme's website project",
		sql: `select * from public.projects where id = '${ACME_PROJECT}'`,
		probe: `select * from public.projects where id = '${ACME_PROJECT}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   ok     ok     hide   ok' },
	{ table: 'public.projects', op: 'insert', what: 'a project for Acme',
		sql: `insert into public.projects (account_id, name) values ('${ACME}', 'Matrix')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    rls    rls    rls    rls    ok     rls    ok' },
	{ table: 'public.projects', op: 'insert', what: 'a project credited to Sam (created_by)',
		sql: `insert into public.projects (account_id, name, created_by) values ('${ACME}', 'Matrix', '${SAM}')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.projects', op: 'update', what: "put Acme's project on hold",
		sql: `update public.projects set status = 'on_hold' where id = '${ACME_PROJECT}'`,
		probe: `select * from public.projects where id = '${ACME_PROJECT}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   ok     hide   ok' },
	{ table: 'public.projects', op: 'update', what: "move Acme's project to Globex (escalation)",
		sql: `update public.projects set account_id = '${GLOBEX}' where id = '${ACME_PROJECT}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.projects', op: 'delete', what: "Acme's website project",
		sql: `delete from public.projects where id = '${ACME_PROJECT}'`,
		probe: `select * from public.projects where id = '${ACME_PROJECT}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   ok     hide   ok' },

	// --- milestones --------------------------------------------------------------------------
	{ table: 'public.milestones', op: 'select', what: "the website project's milestones",
		sql: `select * from public.milestones where project_id = '${ACME_PROJECT}' order by position`,
		probe: `select * from public.milestones where project_id = '${ACME_PROJECT}' order by position`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   ok     ok     hide   ok' },
	{ table: 'public.milestones', op: 'insert', what: 'a milestone of the website project',
		sql: `insert into public.milestones (project_id, account_id, title) values ('${ACME_PROJECT}', '${ACME}', 'Matrix')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    rls    rls    rls    rls    ok     rls    ok' },
	{ table: 'public.milestones', op: 'insert', what: "an Acme milestone of Globex's project (escalation)",
		sql: `insert into public.milestones (project_id, account_id, title) values ('${GLOBEX_PROJECT}', '${ACME}', 'Matrix')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    rls    rls    rls    rls    fk     rls    fk' },
	{ table: 'public.milestones', op: 'update', what: 'mark "Build" done',
		sql: `update public.milestones set state = 'done' where project_id = '${ACME_PROJECT}' and title = 'Build'`,
		probe: `select * from public.milestones where project_id = '${ACME_PROJECT}' and title = 'Build'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   ok     hide   ok' },
	{ table: 'public.milestones', op: 'update', what: 'when "Build" was completed (the trigger sets it)',
		sql: `update public.milestones set completed_at = now() where project_id = '${ACME_PROJECT}' and title = 'Build'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.milestones', op: 'delete', what: 'the "Launch" milestone',
		sql: `delete from public.milestones where project_id = '${ACME_PROJECT}' and title = 'Launch'`,
		probe: `select * from public.milestones where project_id = '${ACME_PROJECT}' and title = 'Launch'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   ok     hide   ok' },

	// --- status_updates ----------------------------------------------------------------------
	// Clients see published updates; drafts (published_at null) are for serving staff, who
	// edit and publish them. A published update is never edited.
	{ table: 'public.status_updates', op: 'select', what: "Acme's published updates",
		sql: `select * from public.status_updates where account_id = '${ACME}' and published_at is not null order by created_at`,
		probe: `select * from public.status_updates where account_id = '${ACME}' and published_at is not null order by created_at`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   ok     ok     hide   ok' },
	{ table: 'public.status_updates', op: 'select', what: "Acme's draft",
		sql: `select * from public.status_updates where account_id = '${ACME}' and published_at is null`,
		probe: `select * from public.status_updates where account_id = '${ACME}' and published_at is null`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   ok     hide   ok' },
	{ table: 'public.status_updates', op: 'insert', what: 'a draft for Acme',
		sql: `insert into public.status_updates (account_id, project_id, body) values ('${ACME}', '${ACME_PROJECT}', 'Matrix')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    rls    rls    rls    rls    ok     rls    ok' },
	{ table: 'public.status_updates', op: 'insert', what: 'an update credited to Sam (spoofed author)',
		sql: `insert into public.status_updates (account_id, body, author_id) values ('${ACME}', 'Matrix', '${SAM}')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.status_updates', op: 'insert', what: "an Acme update on Globex's project (escalation)",
		sql: `insert into public.status_updates (account_id, project_id, body) values ('${ACME}', '${GLOBEX_PROJECT}', 'Matrix')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    rls    rls    rls    rls    fk     rls    fk' },
	{ table: 'public.status_updates', op: 'update', what: "publish Acme's draft",
		sql: `update public.status_updates set published_at = now() where account_id = '${ACME}' and published_at is null`,
		probe: `select * from public.status_updates where account_id = '${ACME}' and published_at is null`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   ok     hide   ok' },
	{ table: 'public.status_updates', op: 'update', what: "rewrite Acme's published updates",
		sql: `update public.status_updates set body = 'Rewritten' where account_id = '${ACME}' and published_at is not null`,
		probe: `select * from public.status_updates where account_id = '${ACME}' and published_at is not null order by created_at`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   hide   hide   hide' },
	{ table: 'public.status_updates', op: 'update', what: "Acme's draft handed to Tess (author_id)",
		sql: `update public.status_updates set author_id = '${TESS}' where account_id = '${ACME}' and published_at is null`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.status_updates', op: 'delete', what: "Acme's draft",
		sql: `delete from public.status_updates where account_id = '${ACME}' and published_at is null`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },

	// --- approvals ---------------------------------------------------------------------------
	// Readers see them; serving staff request and withdraw them. The status follows the
	// responses (triggers; content.test.ts), never a direct write.
	{ table: 'public.approvals', op: 'select', what: 'the homepage design approval',
		sql: `select * from public.approvals where id = '${ACME_APPROVAL}'`,
		probe: `select * from public.approvals where id = '${ACME_APPROVAL}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   ok     ok     hide   ok' },
	{ table: 'public.approvals', op: 'insert', what: 'an approval of version 2 of the homepage design',
		sql: `insert into public.approvals (account_id, document_version_id, title) values ('${ACME}', '${DESIGN_V2}', 'Matrix')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    rls    rls    rls    rls    ok     rls    ok' },
	{ table: 'public.approvals', op: 'insert', what: 'an approval that starts out approved',
		sql: `insert into public.approvals (account_id, document_version_id, title, status) values ('${ACME}', '${DESIGN_V2}', 'Matrix', 'approved')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.approvals', op: 'update', what: 'withdraw the homepage design approval',
		sql: `update public.approvals set withdrawn_at = now() where id = '${ACME_APPROVAL}'`,
		probe: `select * from public.approvals where id = '${ACME_APPROVAL}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   ok     hide   ok' },
	{ table: 'public.approvals', op: 'update', what: 'the homepage design approved by hand',
		sql: `update public.approvals set status = 'approved' where id = '${ACME_APPROVAL}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.approvals', op: 'delete', what: 'the homepage design approval',
		sql: `delete from public.approvals where id = '${ACME_APPROVAL}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },

	{ table: 'public.approvals', op: 'update', what: 'remind the homepage design approvers',
		sql: `update public.approvals set last_reminded_at = now() where id = '${ACME_APPROVAL}'`,
		probe: `select * from public.approvals where id = '${ACME_APPROVAL}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   ok     hide   ok' },

	// --- approval_approvers ------------------------------------------------------------------
	// Serving staff name the account's people whose decision an approval needs.
	{ table: 'public.approval_approvers', op: 'select', what: 'Olivia, named on the homepage approval',
		sql: `select * from public.approval_approvers where approval_id = '${ACME_APPROVAL}' and user_id = '${OLIVIA}'`,
		probe: `select * from public.approval_approvers where approval_id = '${ACME_APPROVAL}' and user_id = '${OLIVIA}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   ok     ok     hide   ok' },
	{ table: 'public.approval_approvers', op: 'insert', what: 'Pat named on the homepage approval',
		sql: `insert into public.approval_approvers (approval_id, account_id, user_id) values ('${ACME_APPROVAL}', '${ACME}', '${PAT}')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    rls    rls    rls    rls    ok     rls    ok' },
	{ table: 'public.approval_approvers', op: 'insert', what: "Grace (not in Acme) named on Acme's approval",
		sql: `insert into public.approval_approvers (approval_id, account_id, user_id) values ('${ACME_APPROVAL}', '${ACME}', '${GRACE}')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    rls    rls    rls    rls    rls    rls    rls' },
	{ table: 'public.approval_approvers', op: 'insert', what: "Vera (a viewer, who cannot decide) named on Acme's approval",
		sql: `insert into public.approval_approvers (approval_id, account_id, user_id) values ('${ACME_APPROVAL}', '${ACME}', '${VERA}')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    rls    rls    rls    rls    rls    rls    rls' },
	{ table: 'public.approval_approvers', op: 'update', what: 'Olivia swapped for Pat',
		sql: `update public.approval_approvers set user_id = '${PAT}' where approval_id = '${ACME_APPROVAL}' and user_id = '${OLIVIA}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.approval_approvers', op: 'delete', what: 'Olivia taken off the homepage approval',
		sql: `delete from public.approval_approvers where approval_id = '${ACME_APPROVAL}' and user_id = '${OLIVIA}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },

	// --- approval_responses ------------------------------------------------------------------
	// Each required approver decides once, as themselves, while an owner or member; a decision
	// is never changed (not even by the service role: content.test.ts).
	{ table: 'public.approval_responses', op: 'select', what: "Pat's approval of the second approval",
		sql: `select * from public.approval_responses where approval_id = '${SECOND_APPROVAL}'`,
		probe: `select * from public.approval_responses where approval_id = '${SECOND_APPROVAL}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     ok     hide   ok     ok     hide   ok' },
	{ table: 'public.approval_responses', op: 'insert', what: 'approve the homepage design (Olivia and Mark decide)',
		sql: `insert into public.approval_responses (approval_id, account_id, decision) values ('${ACME_APPROVAL}', '${ACME}', 'approved')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    ok     ok     rls    rls    rls    rls    rls' },
	{ table: 'public.approval_responses', op: 'insert', what: 'approve the second approval (Olivia and Pat decide)',
		sql: `insert into public.approval_responses (approval_id, account_id, decision) values ('${SECOND_APPROVAL}', '${ACME}', 'approved')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    ok     rls    rls    rls    rls    rls    rls' },
	{ table: 'public.approval_responses', op: 'insert', what: 'ask for changes to the homepage design without saying which',
		sql: `insert into public.approval_responses (approval_id, account_id, decision) values ('${ACME_APPROVAL}', '${ACME}', 'changes_requested')`,
		error: 'new row for relation "approval_responses" violates check constraint "approval_responses_comment_for_changes"',
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    chk    chk    rls    rls    rls    rls    rls' },
	{ table: 'public.approval_responses', op: 'insert', what: 'a decision credited to Olivia (spoofed approver)',
		sql: `insert into public.approval_responses (approval_id, account_id, decision, approver_id) values ('${ACME_APPROVAL}', '${ACME}', 'approved', '${OLIVIA}')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.approval_responses', op: 'update', what: "Pat's decision changed",
		sql: `update public.approval_responses set decision = 'changes_requested', comment = 'No' where approval_id = '${SECOND_APPROVAL}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.approval_responses', op: 'delete', what: "Pat's decision",
		sql: `delete from public.approval_responses where approval_id = '${SECOND_APPROVAL}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },

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
	// An uploader may remove their own file while no row refers to it (a failed save cleans up
	// after itself); a saved file, or someone else's, stays until staff delete it.
	{ table: 'storage.objects', op: 'delete', what: "own unsaved upload in Acme's folder",
		setup: storedFile(NEW_FILE),
		before: `select set_config('storage.allow_delete_query', 'true', true)`,
		sql: `delete from storage.objects where bucket_id = 'documents' and name = '${NEW_FILE}'`,
		probe: `select * from storage.objects where bucket_id = 'documents' and name = '${NEW_FILE}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'hide   hide   hide   ok     ok     hide   hide   ok     hide   ok' },
	{ table: 'storage.objects', op: 'delete', what: "Pat's unsaved upload in Acme's folder",
		before: `select set_config('storage.allow_delete_query', 'true', true)`,
		sql: `delete from storage.objects where bucket_id = 'documents' and name = '${PAT_UPLOAD}'`,
		probe: `select * from storage.objects where bucket_id = 'documents' and name = '${PAT_UPLOAD}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'hide   hide   hide   hide   hide   hide   hide   ok     hide   ok' },
	{ table: 'storage.objects', op: 'delete', what: "Olivia's saved kick-off notes (a document's file)",
		before: `select set_config('storage.allow_delete_query', 'true', true)`,
		sql: `delete from storage.objects where bucket_id = 'documents' and name = '${KICKOFF_PATH}'`,
		probe: `select * from storage.objects where bucket_id = 'documents' and name = '${KICKOFF_PATH}'`,
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
		expect: 'rls    rls    rls    rls    rls    rls    rls    rls    rls    rls' },

	// --- branding ----------------------------------------------------------------------------
	// One public row: anyone reads it (the sign-in page), admins alone change it, and the
	// primary colour must keep white button text at WCAG AA contrast.
	{ table: 'public.branding', op: 'select', what: 'the business name, colour and logo',
		sql: `select * from public.branding`,
		probe: `select * from public.branding`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'ok     ok     ok     ok     ok     ok     ok     ok     ok     ok' },
	{ table: 'public.branding', op: 'insert', what: 'a second branding row',
		sql: `insert into public.branding (id) values (false)`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.branding', op: 'update', what: 'rename the business',
		sql: `update public.branding set business_name = 'Matrix Ltd'`,
		probe: `select * from public.branding`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   hide   hide   ok' },
	{ table: 'public.branding', op: 'update', what: 'a primary colour failing AA (#3b82f6, 3.68:1)',
		sql: `update public.branding set primary_color = '#3b82f6'`,
		probe: `select * from public.branding`,
		error: 'new row for relation "branding" violates check constraint "branding_primary_color_contrast"',
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   hide   hide   hide   hide   hide   hide   chk' },
	{ table: 'public.branding', op: 'update', what: 'who changed it (updated_by)',
		sql: `update public.branding set updated_by = '${SAM}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.branding', op: 'delete', what: 'the branding row',
		sql: `delete from public.branding`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'storage.objects', op: 'select', what: 'the logo in the branding bucket',
		setup: `insert into storage.objects (bucket_id, name) values ('branding', 'logo/${BRAND_LOGO}')`,
		sql: `select * from storage.objects where bucket_id = 'branding' and name = 'logo/${BRAND_LOGO}'`,
		probe: `select * from storage.objects where bucket_id = 'branding' and name = 'logo/${BRAND_LOGO}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'ok     ok     ok     ok     ok     ok     ok     ok     ok     ok' },
	{ table: 'storage.objects', op: 'insert', what: 'a logo in the branding bucket',
		sql: newObject(`'logo/${BRAND_LOGO}'`, 'branding'),
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'rls    rls    rls    rls    rls    rls    rls    rls    rls    ok' },
	{ table: 'storage.objects', op: 'delete', what: 'the logo, as the Storage API deletes',
		setup: `insert into storage.objects (bucket_id, name) values ('branding', 'logo/${BRAND_LOGO}')`,
		before: `select set_config('storage.allow_delete_query', 'true', true)`,
		sql: `delete from storage.objects where bucket_id = 'branding' and name = 'logo/${BRAND_LOGO}'`,
		probe: `select * from storage.objects where bucket_id = 'branding' and name = 'logo/${BRAND_LOGO}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'hide   hide   hide   hide   hide   hide   hide   hide   hide   ok' },

	// --- notifications -------------------------------------------------------------------------
	// Written by triggers only (20261204010000_notifications.sql); each person reads their own
	// and may only mark them read. The target: Olivia's "asks for your approval" from the seed.
	{ table: 'public.notifications', op: 'select', what: "Olivia's approval notification",
		sql: `select * from public.notifications where user_id = '${OLIVIA}' and kind = 'approval_requested' and subject_id = '${ACME_APPROVAL}'`,
		probe: `select * from public.notifications where user_id = '${OLIVIA}' and kind = 'approval_requested' and subject_id = '${ACME_APPROVAL}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     hide   hide   hide   hide   hide   hide' },
	{ table: 'public.notifications', op: 'insert', what: 'a notification for Olivia',
		sql: `insert into public.notifications (event_id, user_id, account_id, kind, email_frequency)
		      select event_id, '${OLIVIA}', account_id, kind, 'off' from public.notifications limit 1`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.notifications', op: 'update', what: 'mark it read (read_at)',
		sql: `update public.notifications set read_at = now() where user_id = '${OLIVIA}' and kind = 'approval_requested' and subject_id = '${ACME_APPROVAL}'`,
		probe: `select * from public.notifications where user_id = '${OLIVIA}' and kind = 'approval_requested' and subject_id = '${ACME_APPROVAL}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     hide   hide   hide   hide   hide   hide' },
	{ table: 'public.notifications', op: 'update', what: 'rewrite what it says (details)',
		sql: `update public.notifications set details = '{}' where user_id = '${OLIVIA}' and kind = 'approval_requested' and subject_id = '${ACME_APPROVAL}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },
	{ table: 'public.notifications', op: 'delete', what: "Olivia's approval notification",
		sql: `delete from public.notifications where user_id = '${OLIVIA}' and kind = 'approval_requested' and subject_id = '${ACME_APPROVAL}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   priv   priv   priv   priv   priv   priv   priv   priv   priv' },

	// --- notification_preferences ----------------------------------------------------------------
	// Each person's own email rhythm; nobody else reads or sets it.
	{ table: 'public.notification_preferences', op: 'select', what: "Olivia's choice for messages",
		setup: `insert into public.notification_preferences (user_id, kind, frequency) values ('${OLIVIA}', 'message', 'daily')`,
		sql: `select * from public.notification_preferences where user_id = '${OLIVIA}'`,
		probe: `select * from public.notification_preferences where user_id = '${OLIVIA}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     hide   hide   hide   hide   hide   hide' },
	{ table: 'public.notification_preferences', op: 'insert', what: 'own choice (user_id by default)',
		sql: `insert into public.notification_preferences (kind, frequency) values ('message', 'weekly')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   ok     ok     ok     ok     ok     ok     ok     ok     ok' },
	{ table: 'public.notification_preferences', op: 'insert', what: "a choice for Olivia",
		sql: `insert into public.notification_preferences (user_id, kind, frequency) values ('${OLIVIA}', 'message', 'off')`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   rls    rls    ok     rls    rls    rls    rls    rls    rls' },
	{ table: 'public.notification_preferences', op: 'insert', what: 'an unknown rhythm (hourly)',
		sql: `insert into public.notification_preferences (kind, frequency) values ('message', 'hourly')`,
		error: 'new row for relation "notification_preferences" violates check constraint "notification_preferences_frequency_check"',
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   chk    chk    chk    chk    chk    chk    chk    chk    chk' },
	{ table: 'public.notification_preferences', op: 'update', what: "Olivia's choice, to off",
		setup: `insert into public.notification_preferences (user_id, kind, frequency) values ('${OLIVIA}', 'message', 'daily')`,
		sql: `update public.notification_preferences set frequency = 'off' where user_id = '${OLIVIA}'`,
		probe: `select * from public.notification_preferences where user_id = '${OLIVIA}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     hide   hide   hide   hide   hide   hide' },
	{ table: 'public.notification_preferences', op: 'update', what: "Olivia's choice, handed to Mark",
		setup: `insert into public.notification_preferences (user_id, kind, frequency) values ('${OLIVIA}', 'message', 'daily')`,
		sql: `update public.notification_preferences set user_id = '${MARK}' where user_id = '${OLIVIA}'`,
		probe: `select * from public.notification_preferences where user_id = '${OLIVIA}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   rls    hide   hide   hide   hide   hide   hide' },
	{ table: 'public.notification_preferences', op: 'delete', what: "Olivia's choice (back to the default)",
		setup: `insert into public.notification_preferences (user_id, kind, frequency) values ('${OLIVIA}', 'message', 'daily')`,
		sql: `delete from public.notification_preferences where user_id = '${OLIVIA}'`,
		probe: `select * from public.notification_preferences where user_id = '${OLIVIA}'`,
		//       anon   strngr other  owner  member billng viewer staff  staff2 admin
		expect: 'priv   hide   hide   ok     hide   hide   hide   hide   hide   hide' }
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
		if (cell === 'fk' && (c.op === 'select' || c.op === 'delete'))
			throw new Error(`${where}: only an insert or an update can point at another row`);
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
		if (c.setup) await tx.asOwner(() => tx.query(c.setup!));
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
			case 'fk':
				await expectError(attempt(), FOREIGN_KEY_REFUSAL);
				break;
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
		// Content fixtures beside the seed's: an empty folder, a folder in Globex, a document
		// Mark put in the trash, a thread Olivia and Pat have read, a message of Pat's and an
		// internal note of Sam's (each with an attachment), an approval Pat has approved.
		await tx.query(
			`insert into public.folders (id, account_id, name, created_by)
			 values ('${EMPTY_FOLDER}', '${ACME}', 'Archive', '${SAM}'),
			        ('${GLOBEX_FOLDER}', '${GLOBEX}', 'Plans', '${TESS}')`
		);
		await tx.query(
			`insert into public.documents (id, account_id, name, storage_path, size_bytes, mime_type, uploaded_by)
			 values ('${TRASHED_DOC}', '${ACME}', 'Old draft.txt', '${ACME}/${TRASHED_DOC}/Old draft.txt', 5, 'text/plain', '${MARK}')`
		);
		await tx.asUser(MARK, () =>
			tx.query(`update public.documents set deleted_at = now() where id = '${TRASHED_DOC}'`)
		);
		await tx.query(
			`insert into public.threads (id, account_id, subject, created_by)
			 values ('${READS_THREAD}', '${ACME}', 'Invoices', '${OLIVIA}')`
		);
		await tx.query(
			`insert into public.thread_reads (thread_id, account_id, user_id)
			 values ('${READS_THREAD}', '${ACME}', '${OLIVIA}'), ('${READS_THREAD}', '${ACME}', '${PAT}')`
		);
		await tx.query(
			`insert into public.messages (id, thread_id, account_id, author_id, body, internal)
			 values ('${PAT_MESSAGE}', '${ACME_THREAD}', '${ACME}', '${PAT}', 'The kick-off notes, as promised.', false),
			        ('${STAFF_NOTE}', '${ACME_THREAD}', '${ACME}', '${SAM}', 'Internal: logo needs redrawing.', true)`
		);
		await tx.query(
			`insert into public.message_attachments (message_id, document_id, account_id)
			 values ('${PAT_MESSAGE}', '${KICKOFF_DOC}', '${ACME}'), ('${STAFF_NOTE}', '${LOGO_DOC}', '${ACME}')`
		);
		await tx.query(
			`insert into public.approvals (id, account_id, document_version_id, title, requested_by)
			 values ('${SECOND_APPROVAL}', '${ACME}', '${DESIGN_V2}', 'Homepage copy', '${SAM}')`
		);
		await tx.query(
			`insert into public.approval_approvers (approval_id, account_id, user_id)
			 values ('${SECOND_APPROVAL}', '${ACME}', '${OLIVIA}'), ('${SECOND_APPROVAL}', '${ACME}', '${PAT}')`
		);
		await tx.query(
			`insert into public.approval_responses (approval_id, account_id, approver_id, decision)
			 values ('${SECOND_APPROVAL}', '${ACME}', '${PAT}', 'approved')`
		);
		// The files the local stack uploads for the seeded documents (every version), an upload of
		// Pat's no row refers to, one odd name, one more bucket.
		await tx.query(
			`insert into storage.objects (bucket_id, name, owner_id)
			 select 'documents', storage_path, uploaded_by::text from public.document_versions
			 union all select 'documents', '${PAT_UPLOAD}', '${PAT}'`
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
