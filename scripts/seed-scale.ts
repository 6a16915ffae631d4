/**
 * A realistic, skewed dataset at scale, for the benchmarks of issue 8, loaded into a database
 * that already has the migrations (and usually supabase/seed.sql) applied.
 *
 *   npm run seed:scale -- --accounts 10000 --db-url postgresql://postgres@127.0.0.1:PORT/db
 *   npm run seed:scale -- --accounts 500 --db-url …      a quick run (same proportions)
 *   npm run seed:scale -- --accounts 50 --pglite          an in-memory PGlite built by
 *                                                         tests/db/harness.ts (a check that the
 *                                                         seed loads there; nothing is kept)
 *
 * In code (a test, a benchmark): `await loadScaleSeed(db.query, { accounts: 50 })` with any
 * TestDb from openTestDb() (PGlite by default, TEST_DB_TARGET=postgres too), or with
 * `postgresExec(url)` below.
 *
 * At 10,000 accounts (the default), 9.5M rows: 29,000 client users (auth.users, identities,
 * profiles; 20 in each huge account, 8 in each large one, 2 to 4 elsewhere; one in ten also
 * belongs to a second account), 200 staff with 50 accounts each and 3 admins, 1,000,000
 * documents with 1,300,000 versions and 14,000 folders, 2,000,000 messages in 88,000 threads
 * (one in a hundred a 300-message conversation; 5% internal notes), 20,000 approvals with their
 * approvers and decisions, 30,000 file requests, 20,000 projects, 50,000 status updates, read
 * marks, the activity the triggers would have written (3.4M rows) and the notifications of
 * the last 14 days' messages and uploads (174,000 events, 864,000 notifications). Skewed like
 * real customers: a few huge accounts (10% of all content over accounts/2,000 of them, 20,000
 * documents each), large ones (20% over accounts/100), a long tail for the rest. Rows are
 * inserted in time order, as a live database would have them on disk.
 *
 * How it loads fast: everything is generated inside the database by INSERT … SELECT over
 * generate_series, in one transaction, with `session_replication_role = replica`. That mode
 * turns off every ordinary trigger, which at this volume would cost hours (each document would
 * write its version, an activity row and a notification per reader, one statement at a time),
 * and also the foreign-key triggers. So this script writes what the triggers would have
 * written itself (versions, activity, notifications, profiles, each thread's newest messages)
 * and keeps every reference right by construction: ids are derived from numbers (sid()
 * below), so a row can name its parent without a lookup. Check constraints, unique indexes
 * and not-null still apply as usual, and verifyForeignKeys() re-checks every foreign key of
 * the loaded tables afterwards with anti-joins (--no-verify skips it). Needs a superuser
 * (session_replication_role), which the throwaway clusters and PGlite give.
 *
 * No storage.objects rows: no policy or trigger the reads depend on looks at them (only the
 * insert triggers do, and they are off), so documents point at files that are not there.
 * Every scale user can sign in with the demo password (portal-demo-2026).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Runs one SQL statement; the harness's TestDb.query has this shape. */
export type Exec = (sql: string) => Promise<{ rows: Record<string, unknown>[]; rowCount: number }>;

/** The sizes derived from the number of accounts; every count scales with it. */
export interface ScaleSize {
	accounts: number;
	/** Accounts holding 10% of all content between them. */
	huge: number;
	/** Accounts holding 20% of all content between them. */
	large: number;
	staff: number;
	admins: number;
	documents: number;
	threads: number;
	statusUpdates: number;
	fileRequests: number;
	approvals: number;
	/** Notifications are kept for the events of the last this many days. */
	notificationDays: number;
}

export function scaleSize(accounts: number): ScaleSize {
	if (!Number.isInteger(accounts) || accounts < 10) {
		throw new Error('--accounts must be a whole number of at least 10');
	}
	return {
		accounts,
		huge: Math.max(1, Math.round(accounts / 2000)),
		large: Math.max(1, Math.round(accounts / 100)),
		staff: Math.ceil(accounts / 50),
		admins: 3,
		documents: 100 * accounts,
		// About 22.8 messages per thread on average (see messagesPerThread): 2M at full size.
		threads: Math.round(8.77 * accounts),
		statusUpdates: 5 * accounts,
		fileRequests: 3 * accounts,
		approvals: 2 * accounts,
		notificationDays: 14
	};
}

/**
 * Id prefixes per kind of row: a scale row's uuid is `<prefix>-0000-4000-8000-<n in hex>`,
 * valid v4-shaped uuids that never meet the demo seed's (a0…, c0…, 10…, d0…).
 */
export const KIND = {
	account: 0x5ca1e001,
	client: 0x5ca1e002,
	staff: 0x5ca1e003,
	folder: 0x5ca1e004,
	document: 0x5ca1e005,
	version: 0x5ca1e006,
	thread: 0x5ca1e007,
	message: 0x5ca1e008,
	project: 0x5ca1e009,
	statusUpdate: 0x5ca1e00a,
	fileRequest: 0x5ca1e00b,
	approval: 0x5ca1e00c
} as const;

/** The same ids as the SQL's pg_temp.sid(kind, n), for callers that pick rows by number. */
export function sid(kind: number, n: number): string {
	return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** Who is who in a loaded scale seed, by construction (see the users step). */
export const scaleIds = {
	account: (k: number) => sid(KIND.account, k),
	/** The first user of account 1 is its owner, the second a member who also has a second account. */
	client: (u: number) => sid(KIND.client, u),
	/** Staff 1…size.staff, then the admins. Staff j serves the accounts k with (k-1) % staff = j-1. */
	staff: (j: number) => sid(KIND.staff, j),
	admin: (size: ScaleSize, i = 1) => sid(KIND.staff, size.staff + i)
};

// ---------------------------------------------------------------------------
// The SQL, step by step
// ---------------------------------------------------------------------------

/** Helpers for the generating statements; temporary, gone with the session. */
function helperStatements(): string[] {
	return [
		// A deterministic uuid per kind and number (inlined by the planner: a plain SQL function).
		`create or replace function pg_temp.sid(kind bigint, n bigint) returns uuid
		language sql immutable as $$
			select (lpad(to_hex(kind), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid
		$$`,
		// The number back from such a uuid.
		`create or replace function pg_temp.num(id uuid) returns bigint
		language sql immutable as $$
			select ('x' || lpad(right(id::text, 12), 16, '0'))::bit(64)::bigint
		$$`,
		// A repeatable pseudo-random number in [0, 1) per (n, salt): the same data every run.
		`create or replace function pg_temp.rnd(n bigint, salt int) returns float8
		language sql immutable as $$
			select (hashint8extended(n, salt) & 4503599627370495)::float8 / 4503599627370496.0
		$$`,
		// How many versions document n has: 75% one, 20% two, 5% three.
		`create or replace function pg_temp.versions(n bigint) returns int
		language sql immutable as $$
			select case when pg_temp.rnd(n, 4) < 0.05 then 3 when pg_temp.rnd(n, 4) < 0.25 then 2 else 1 end
		$$`,
		// How many messages thread t has: one in a hundred is a long conversation.
		`create or replace function pg_temp.messages_per_thread(t bigint) returns int
		language sql immutable as $$
			select case when t % 100 = 0 then 300 else 2 + floor(pg_temp.rnd(t, 8) * 37)::int end
		$$`,
		// A client's role by their position in the account: owner, member, then a mix.
		`create or replace function pg_temp.client_role(p int) returns text
		language sql immutable as $$
			select case when p = 1 then 'owner' when p = 2 then 'member' when p % 4 = 0 then 'viewer'
				when p % 7 = 3 then 'billing' else 'member' end
		$$`
	];
}

/**
 * One row per account with its share of the content and the offsets of its rows in each
 * numbered table (documents of account k are numbers doc_off+1 … doc_off+docs).
 */
function accountPlan(size: ScaleSize): string {
	const { accounts, huge, large } = size;
	const share = (total: number) => `greatest(1, round(${total} * w))::int`;
	const offset = (column: string) => `(sum(${column}) over (order by k) - ${column})::bigint`;
	return `create temp table seed_accounts on commit drop as
	with base as (
		select k,
			case when k <= ${huge} then 0.10 / ${huge}
				when k <= ${huge + large} then 0.20 / ${large}
				else 0.4 + 0.8 * pg_temp.rnd(k, 1) end as raw,
			case when k <= ${huge} then 20 when k <= ${huge + large} then 8
				else 2 + floor(pg_temp.rnd(k, 2) * 2.6)::int end as members,
			-- Staff j serves the accounts with (k-1) % staff = j-1: 50 each, big ones spread out.
			1 + (k - 1) % ${size.staff} as staff_no
		from generate_series(1, ${accounts}) k
	),
	weighted as (
		select *, case when k <= ${huge + large} then raw
			else 0.70 * raw / sum(raw) filter (where k > ${huge + large}) over () end as w
		from base
	),
	counted as (
		select k, members, staff_no, w,
			${share(size.documents)} as docs,
			${share(size.threads)} as threads,
			${share(size.statusUpdates)} as updates,
			${share(size.fileRequests)} as requests,
			${share(size.approvals)} as approvals,
			least(200, 1 + ${share(size.documents)} / 100) as folders,
			1 + k % 3 as projects
		from weighted
	)
	select k, pg_temp.sid(${KIND.account}, k) as id, members, staff_no,
		pg_temp.sid(${KIND.staff}, staff_no) as staff_id, docs, threads, updates, requests, approvals,
		folders, projects,
		${offset('members')} as mem_off, ${offset('docs')} as doc_off,
		${offset('threads')} as thread_off, ${offset('updates')} as update_off,
		${offset('requests')} as request_off, ${offset('approvals')} as approval_off,
		${offset('folders')} as folder_off,
		pg_temp.sid(${KIND.client}, ${offset('members')} + 1) as owner_id
	from counted`;
}

export interface ScaleStep {
	/** What the step loads, as printed (a table, or a note such as "plan"). */
	table: string;
	sql: string;
}

/** Every statement of the load, in order, inside one transaction. */
export function scaleSeedSteps(size: ScaleSize, passwordHash: string): ScaleStep[] {
	const staffTotal = size.staff + size.admins;
	const days = size.notificationDays;
	const hash = passwordHash.replace(/'/g, "''");
	return [
		...helperStatements().map((sql) => ({ table: '(helpers)', sql })),
		{ table: '(plan: accounts)', sql: accountPlan(size) },
		// Threads need a plan too: messages are numbered per thread.
		{
			table: '(plan: threads)',
			sql: `create temp table seed_threads on commit drop as
			select t, k, a.id as account_id, a.members, a.mem_off, a.staff_id, a.owner_id, msgs,
				(sum(msgs) over (order by t) - msgs)::bigint as msg_off, created_at
			from (
				select a.k, a.thread_off + i as t, pg_temp.messages_per_thread(a.thread_off + i) as msgs,
					now() - pg_temp.rnd(a.thread_off + i, 7) * interval '730 days' as created_at
				from seed_accounts a cross join lateral generate_series(1, a.threads) i
			) x join seed_accounts a using (k)`
		},
		{
			table: 'client_accounts',
			sql: `insert into public.client_accounts (id, name, status, created_at)
			select id, initcap(substr(md5(k::text), 1, 6)) || ' ' ||
					(array['Ltd', 'LLC', 'GmbH', 'Household', 'Partners', 'Studio'])[1 + k % 6] || ' ' || k,
				case when pg_temp.rnd(k, 3) < 0.05 then 'archived' else 'active' end,
				now() - interval '3 years' + pg_temp.rnd(k, 5) * interval '1 year'
			from seed_accounts`
		},
		// Users: clients are numbered account by account (mem_off+1 … mem_off+members).
		{
			table: '(plan: users)',
			sql: `create temp table seed_users on commit drop as
			select pg_temp.sid(${KIND.client}, a.mem_off + p) as id,
				'client' || (a.mem_off + p) || '@scale.example.com' as email,
				'Client ' || (a.mem_off + p) as display_name
			from seed_accounts a cross join lateral generate_series(1, a.members) p
			union all
			select pg_temp.sid(${KIND.staff}, j),
				case when j <= ${size.staff} then 'staff' || j else 'admin' || (j - ${size.staff}) end
					|| '@scale.example.com',
				case when j <= ${size.staff} then 'Staff ' || j else 'Admin ' || (j - ${size.staff}) end
			from generate_series(1, ${staffTotal}) j`
		},
		{
			table: 'auth.users',
			sql: `insert into auth.users (id, aud, role, email, encrypted_password, email_confirmed_at,
				raw_app_meta_data, raw_user_meta_data, created_at, updated_at, confirmation_token,
				recovery_token, email_change_token_new, email_change_token_current, email_change,
				reauthentication_token, phone_change, phone_change_token)
			select id, 'authenticated', 'authenticated', email, '${hash}', now(),
				'{"provider": "email", "providers": ["email"]}',
				jsonb_build_object('display_name', display_name), now(), now(), '', '', '', '', '', '', '', ''
			from seed_users`
		},
		{
			table: 'auth.identities',
			sql: `insert into auth.identities (provider, provider_id, user_id, identity_data, created_at, updated_at)
			select 'email', id::text, id,
				jsonb_build_object('sub', id::text, 'email', email, 'email_verified', true), now(), now()
			from seed_users`
		},
		{
			table: 'profiles',
			sql: `insert into public.profiles (id, display_name, email)
			select id, display_name, email from seed_users`
		},
		{
			table: 'staff_members',
			sql: `insert into public.staff_members (user_id, role)
			select pg_temp.sid(${KIND.staff}, j), case when j <= ${size.staff} then 'staff' else 'admin' end
			from generate_series(1, ${staffTotal}) j`
		},
		{
			table: 'staff_assignments',
			sql: `insert into public.staff_assignments (account_id, staff_user_id)
			select id, staff_id from seed_accounts`
		},
		// One client in ten also belongs to a second account, half the list away.
		{
			table: 'account_members',
			sql: `insert into public.account_members (account_id, user_id, role, created_at)
			select a.id, pg_temp.sid(${KIND.client}, a.mem_off + p), pg_temp.client_role(p), now() - interval '2 years'
			from seed_accounts a cross join lateral generate_series(1, a.members) p
			union all
			select b.id, pg_temp.sid(${KIND.client}, a.mem_off + p), case when p % 2 = 0 then 'member' else 'viewer' end,
				now() - interval '1 year'
			from seed_accounts a cross join lateral generate_series(1, a.members) p
			join seed_accounts b on b.k = 1 + (a.k - 1 + ${Math.floor(size.accounts / 2)}) % ${size.accounts}
			where (a.mem_off + p) % 10 = 2`
		},
		{
			table: 'folders',
			sql: `insert into public.folders (id, account_id, name, created_by, created_at)
			select pg_temp.sid(${KIND.folder}, a.folder_off + f), a.id, 'Folder ' || f, a.staff_id,
				now() - interval '2 years'
			from seed_accounts a cross join lateral generate_series(1, a.folders) f`
		},
		// Documents, in the order they were uploaded (the heap as a live database has it).
		{
			table: 'documents',
			sql: `insert into public.documents (id, account_id, name, storage_path, size_bytes, mime_type,
				uploaded_by, created_at, updated_at, folder_id, deleted_at, deleted_by)
			select id, account_id, name,
				account_id || '/' || id || '/' || case when versions > 1 then versions || '/' else '' end || name,
				size_bytes, mime, uploaded_by, created_at, updated_at, folder_id,
				case when deleted then least(now(), updated_at + interval '1 day') end,
				case when deleted then owner_id end
			from (
				select pg_temp.sid(${KIND.document}, n) as id, a.id as account_id, a.owner_id,
					'Document ' || i || (array['.pdf', '.docx', '.xlsx', '.png', '.txt'])[1 + n % 5] as name,
					(array['application/pdf',
						'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
						'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
						'image/png', 'text/plain'])[1 + n % 5] as mime,
					1000 + floor(pg_temp.rnd(n, 9) * 5000000)::bigint as size_bytes,
					case when n % 2 = 0 then a.staff_id
						else pg_temp.sid(${KIND.client}, a.mem_off + 1 + n % 2) end as uploaded_by,
					case when pg_temp.rnd(n, 3) < 0.3 then null
						else pg_temp.sid(${KIND.folder}, a.folder_off + 1 + n % a.folders) end as folder_id,
					pg_temp.versions(n) as versions,
					created_at,
					least(now(), created_at + (pg_temp.versions(n) - 1) * interval '3 days') as updated_at,
					pg_temp.rnd(n, 6) < 0.02 as deleted
				from seed_accounts a
				cross join lateral generate_series(1, a.docs) i
				cross join lateral (select a.doc_off + i as n) nn
				cross join lateral (select now() - pg_temp.rnd(n, 5) * interval '730 days' as created_at) c
			) d
			order by created_at`
		},
		// Every version a document has had: 1 is the upload, later ones replaced the file.
		{
			table: 'document_versions',
			sql: `insert into public.document_versions (id, document_id, account_id, version, storage_path,
				size_bytes, mime_type, uploaded_by, created_at)
			select pg_temp.sid(${KIND.version}, pg_temp.num(d.id) * 4 + v), d.id, d.account_id, v,
				d.account_id || '/' || d.id || '/' || case when v > 1 then v || '/' else '' end || d.name,
				d.size_bytes, d.mime_type, d.uploaded_by,
				least(now(), d.created_at + (v - 1) * interval '3 days')
			from public.documents d
			cross join lateral generate_series(1, pg_temp.versions(pg_temp.num(d.id))) v
			where d.account_id in (select id from seed_accounts)
			order by 9`
		},
		{
			table: 'threads',
			sql: `insert into public.threads (id, account_id, subject, created_by, created_at, last_message_at)
			select pg_temp.sid(${KIND.thread}, t), account_id, 'Conversation ' || t, staff_id, created_at,
				created_at + (now() - created_at) * msgs / (msgs + 1.0)
			from seed_threads order by created_at`
		},
		// Messages spread from the thread's start to now; one in twenty is an internal note.
		{
			table: 'messages',
			sql: `insert into public.messages (id, thread_id, account_id, author_id, body, internal, created_at)
			select pg_temp.sid(${KIND.message}, m), pg_temp.sid(${KIND.thread}, t), account_id,
				case when j % 3 = 0 then staff_id else pg_temp.sid(${KIND.client}, mem_off + 1 + (j + t) % 2) end,
				'Message ' || j || ' of conversation ' || t || ': thanks, here is where things stand and what comes next.',
				pg_temp.rnd(m, 9) < 0.05,
				at
			from (
				select s.t, s.account_id, s.staff_id, s.mem_off, j, s.msg_off + j as m,
					s.created_at + (now() - s.created_at) * j / (s.msgs + 1.0) as at
				from seed_threads s cross join lateral generate_series(1, s.msgs) j
			) x
			order by at`
		},
		// Each thread's newest messages, which a trigger on messages keeps (off here).
		{
			table: '(private.thread_latest)',
			sql: `select private.refresh_thread_latest(array(select pg_temp.sid(${KIND.thread}, t) from seed_threads))`
		},
		{
			table: 'message_attachments',
			sql: `insert into public.message_attachments (message_id, document_id, account_id)
			select pg_temp.sid(${KIND.message}, s.msg_off + j),
				pg_temp.sid(${KIND.document}, a.doc_off + 1 + (s.msg_off + j) % a.docs), s.account_id
			from seed_threads s join seed_accounts a using (k)
			cross join lateral generate_series(1, s.msgs) j
			where (s.msg_off + j) % 100 = 7`
		},
		// Read marks: the owner, the second client (a member) and the account's staff member.
		{
			table: 'thread_reads',
			sql: `insert into public.thread_reads (thread_id, account_id, user_id, last_read_at)
			select pg_temp.sid(${KIND.thread}, s.t), s.account_id, r.user_id,
				s.created_at + (now() - s.created_at) * r.fraction
			from seed_threads s
			cross join lateral (values
				(s.owner_id, 0.9), (pg_temp.sid(${KIND.client}, s.mem_off + 2), 0.5), (s.staff_id, 0.99)
			) r (user_id, fraction)`
		},
		{
			table: 'projects',
			sql: `insert into public.projects (id, account_id, name, description, status, created_by, created_at)
			select pg_temp.sid(${KIND.project}, a.k * 4 + p), a.id, 'Project ' || p, 'Scale seed project.',
				(array['active', 'on_hold', 'completed'])[1 + (a.k + p) % 3], a.staff_id,
				now() - interval '1 year' * p
			from seed_accounts a cross join lateral generate_series(1, a.projects) p`
		},
		{
			table: 'milestones',
			sql: `insert into public.milestones (project_id, account_id, title, due_on, state, position, completed_at)
			select pg_temp.sid(${KIND.project}, a.k * 4 + p), a.id, 'Milestone ' || s, current_date + (s * 20 - 40),
				(array['done', 'in_progress', 'planned', 'planned'])[s],
				s, case when s = 1 then now() - interval '20 days' end
			from seed_accounts a cross join lateral generate_series(1, a.projects) p
			cross join lateral generate_series(1, 4) s`
		},
		{
			table: 'status_updates',
			sql: `insert into public.status_updates (id, account_id, project_id, body, author_id, created_at, published_at)
			select pg_temp.sid(${KIND.statusUpdate}, n), a.id,
				case when n % 5 = 0 then null else pg_temp.sid(${KIND.project}, a.k * 4 + 1 + n % a.projects) end,
				'Update ' || i || ': the work is on track.', a.staff_id, c.at,
				case when pg_temp.rnd(n, 10) < 0.9 then c.at end
			from seed_accounts a cross join lateral generate_series(1, a.updates) i
			cross join lateral (select a.update_off + i as n) nn
			cross join lateral (select now() - pg_temp.rnd(n, 11) * interval '730 days' as at) c
			order by c.at`
		},
		{
			table: 'file_requests',
			sql: `insert into public.file_requests (id, account_id, title, instructions, due_on, status,
				requested_by, created_at, submitted_at, closed_at)
			select pg_temp.sid(${KIND.fileRequest}, n), a.id, 'Request ' || i, 'Please upload the file.',
				current_date + floor(pg_temp.rnd(n, 12) * 60)::int - 30, st.status, a.staff_id, c.at,
				case when st.status in ('submitted', 'closed') then c.at + interval '2 days' end,
				case when st.status in ('closed', 'cancelled') then c.at + interval '5 days' end
			from seed_accounts a cross join lateral generate_series(1, a.requests) i
			cross join lateral (select a.request_off + i as n) nn
			cross join lateral (select now() - pg_temp.rnd(n, 13) * interval '365 days' as at) c
			cross join lateral (select case when pg_temp.rnd(n, 14) < 0.35 then 'open'
				when pg_temp.rnd(n, 14) < 0.5 then 'submitted' when pg_temp.rnd(n, 14) < 0.95 then 'closed'
				else 'cancelled' end as status) st`
		},
		// Approvals of a document's first version; the owner decides, with the member on half.
		{
			table: '(plan: approvals)',
			sql: `create temp table seed_approvals on commit drop as
			select pg_temp.sid(${KIND.approval}, n) as id, a.id as account_id, a.staff_id, a.owner_id,
				pg_temp.sid(${KIND.client}, a.mem_off + 2) as member_id, n,
				pg_temp.sid(${KIND.version}, (a.doc_off + 1 + n % a.docs) * 4 + 1) as version_id,
				c.at, case when pg_temp.rnd(n, 15) < 0.4 then 'pending' when pg_temp.rnd(n, 15) < 0.8 then 'approved'
					when pg_temp.rnd(n, 15) < 0.95 then 'changes_requested' else 'withdrawn' end as status
			from seed_accounts a cross join lateral generate_series(1, a.approvals) i
			cross join lateral (select a.approval_off + i as n) nn
			cross join lateral (select now() - pg_temp.rnd(n, 16) * interval '365 days' as at) c`
		},
		{
			table: 'approvals',
			sql: `insert into public.approvals (id, account_id, document_version_id, title, note, due_on, status,
				requested_by, created_at, decided_at, withdrawn_at)
			select id, account_id, version_id, 'Approval ' || n, '', (at + interval '7 days')::date, status,
				staff_id, at,
				case when status in ('approved', 'changes_requested') then at + interval '2 days' end,
				case when status = 'withdrawn' then at + interval '1 day' end
			from seed_approvals`
		},
		{
			table: 'approval_approvers',
			sql: `insert into public.approval_approvers (approval_id, account_id, user_id)
			select id, account_id, owner_id from seed_approvals
			union all
			select id, account_id, member_id from seed_approvals where n % 2 = 0`
		},
		{
			table: 'approval_responses',
			sql: `insert into public.approval_responses (approval_id, account_id, approver_id, decision, comment, created_at)
			select id, account_id, owner_id, status,
				case when status = 'changes_requested' then 'Please change the second page.' else '' end,
				at + interval '2 days'
			from seed_approvals where status in ('approved', 'changes_requested')
			union all
			select id, account_id, member_id, 'approved', '', at + interval '1 day'
			from seed_approvals where status = 'approved' and n % 2 = 0`
		},
		// The history the triggers would have written, oldest first (ids grow with time).
		{ table: 'activity_log', sql: activityInsert() },
		// Notifications: what the last days' messages and uploads told each reader.
		{
			table: '(plan: notification events)',
			sql: `create temp table seed_events on commit drop as
			select (select coalesce(max(id), 0) from private.notification_events) + row_number() over (order by created_at) as id,
				*
			from (
				select m.account_id, 'message' as kind, m.author_id as actor_id, m.thread_id as subject_id,
					jsonb_build_object('subject', t.subject, 'message_id', m.id, 'internal', false,
						'actor_name', p.display_name, 'account_name', a.name) as details,
					m.created_at
				from public.messages m
				join public.threads t on t.id = m.thread_id
				join public.profiles p on p.id = m.author_id
				join public.client_accounts a on a.id = m.account_id
				where m.created_at > now() - interval '${days} days' and not m.internal
					and m.account_id in (select id from seed_accounts)
				union all
				select v.account_id, 'document', v.uploaded_by, v.document_id,
					jsonb_build_object('name', d.name, 'version', v.version,
						'actor_name', p.display_name, 'account_name', a.name),
					v.created_at
				from public.document_versions v
				join public.documents d on d.id = v.document_id
				join public.profiles p on p.id = v.uploaded_by
				join public.client_accounts a on a.id = v.account_id
				where v.created_at > now() - interval '${days} days'
					and v.account_id in (select id from seed_accounts)
			) e`
		},
		{
			table: 'notification_events',
			sql: `insert into private.notification_events (id, account_id, kind, actor_id, subject_id, details, created_at)
			overriding system value
			select id, account_id, kind, actor_id, subject_id, details, created_at from seed_events order by id`
		},
		{
			table: '(notification_events id)',
			sql: `select setval(pg_get_serial_sequence('private.notification_events', 'id'),
				(select max(id) from private.notification_events))`
		},
		// Everyone who reads the account's content, as private.account_audience says, bar the actor;
		// read, except most of the last two days'.
		{
			table: 'notifications',
			sql: `insert into public.notifications (event_id, user_id, account_id, kind, actor_id, subject_id,
				details, email_frequency, created_at, read_at)
			select e.id, r.user_id, e.account_id, e.kind, e.actor_id, e.subject_id, e.details, 'immediate',
				e.created_at,
				case when e.created_at < now() - interval '2 days' or pg_temp.rnd(e.id, 17) < 0.3
					then e.created_at + interval '3 hours' end
			from seed_events e
			join lateral (
				select m.user_id from public.account_members m
				where m.account_id = e.account_id and m.role in ('owner', 'member', 'viewer')
				union
				select sa.staff_user_id from public.staff_assignments sa where sa.account_id = e.account_id
			) r on r.user_id is distinct from e.actor_id
			order by e.id`
		}
	];
}

/** activity_log rows for everything the load wrote, as the triggers would have logged it. */
function activityInsert(): string {
	const scale = `in (select id from seed_accounts)`;
	return `insert into public.activity_log (account_id, actor_id, action, subject_user_id, details, created_at)
	select account_id, actor_id, action, subject_user_id, details, created_at from (
		select id as account_id, null::uuid as actor_id, 'account.created' as action, null::uuid as subject_user_id,
			jsonb_build_object('name', name) as details, created_at
		from public.client_accounts where id ${scale}
		union all
		select account_id, null, 'member.added', user_id, jsonb_build_object('role', role), created_at
		from public.account_members where account_id ${scale}
		union all
		select account_id, null, 'staff.assigned', staff_user_id, '{}', now() - interval '2 years'
		from public.staff_assignments where account_id ${scale}
		union all
		select null, null, 'staff.added', user_id, jsonb_build_object('role', role), now() - interval '3 years'
		from public.staff_members where user_id in (select id from seed_users)
		union all
		select account_id, uploaded_by, 'document.uploaded', null,
			jsonb_build_object('document_id', document_id, 'name', 'Document'), created_at
		from public.document_versions where version = 1 and account_id ${scale}
		union all
		select account_id, uploaded_by, 'document.version_added', null,
			jsonb_build_object('document_id', document_id, 'version', version, 'name', 'Document'), created_at
		from public.document_versions where version > 1 and account_id ${scale}
		union all
		select account_id, deleted_by, 'document.trashed', null,
			jsonb_build_object('document_id', id, 'name', name), deleted_at
		from public.documents where deleted_at is not null and account_id ${scale}
		union all
		select account_id, author_id, 'message.posted', null,
			jsonb_build_object('thread_id', thread_id, 'subject', 'Conversation'), created_at
		from public.messages where not internal and account_id ${scale}
		union all
		select account_id, requested_by, 'file_request.created', null,
			jsonb_build_object('file_request_id', id, 'title', title), created_at
		from public.file_requests where account_id ${scale}
		union all
		select account_id, author_id, 'status.published', null,
			jsonb_build_object('status_update_id', id, 'project_id', project_id), published_at
		from public.status_updates where published_at is not null and account_id ${scale}
		union all
		select account_id, requested_by, 'approval.requested', null,
			jsonb_build_object('approval_id', id, 'title', title), created_at
		from public.approvals where account_id ${scale}
		union all
		select account_id, approver_id, 'approval.' || decision, null,
			jsonb_build_object('approval_id', approval_id), created_at
		from public.approval_responses where account_id ${scale}
	) history
	order by created_at`;
}

// ---------------------------------------------------------------------------
// Foreign keys, checked once the triggers are back on
// ---------------------------------------------------------------------------

/**
 * Every foreign key of the tables loaded here, as a count of the rows that break it: the
 * load ran with the foreign-key triggers off. Read from the catalog, so a key added by a
 * later migration is checked too.
 */
export async function verifyForeignKeys(exec: Exec): Promise<string[]> {
	const { rows } = await exec(`
		select c.conname, c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent,
			array(select quote_ident(a.attname) from unnest(c.conkey) with ordinality k (n, o)
				join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.o) as child_cols,
			array(select quote_ident(a.attname) from unnest(c.confkey) with ordinality k (n, o)
				join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.o) as parent_cols
		from pg_constraint c
		where c.contype = 'f' and c.connamespace in ('public'::regnamespace, 'private'::regnamespace)`);
	const broken: string[] = [];
	for (const row of rows as {
		conname: string;
		child: string;
		parent: string;
		child_cols: string[];
		parent_cols: string[];
	}[]) {
		const notNull = row.child_cols.map((c) => `x.${c} is not null`).join(' and ');
		const match = row.child_cols.map((c, i) => `p.${row.parent_cols[i]} = x.${c}`).join(' and ');
		const { rows: found } = await exec(
			`select count(*)::int as n from ${row.child} x
			where ${notNull} and not exists (select 1 from ${row.parent} p where ${match})`
		);
		const n = Number(found[0]?.n ?? 0);
		if (n > 0) broken.push(`${row.conname} (${row.child} → ${row.parent}): ${n} rows`);
	}
	return broken;
}

// ---------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------

export interface LoadedTable {
	table: string;
	rows: number;
	seconds: number;
}

/** The demo password's hash, made once (bcrypt per user would take minutes). */
async function demoPasswordHash(exec: Exec): Promise<string> {
	const { rows } = await exec(
		`select extensions.crypt('portal-demo-2026', extensions.gen_salt('bf', 10)) as hash`
	);
	return String(rows[0]!.hash);
}

/**
 * Loads the scale seed in one transaction (all or nothing) and returns rows and seconds per
 * table. Refuses a database that already holds it.
 */
export async function loadScaleSeed(
	exec: Exec,
	options: { accounts: number; verify?: boolean; log?: (line: string) => void }
): Promise<LoadedTable[]> {
	const size = scaleSize(options.accounts);
	const log = options.log ?? (() => {});
	const { rows: existing } = await exec(
		`select count(*)::int as n from public.client_accounts where id::text like '5ca1e001-%'`
	);
	if (Number(existing[0]?.n) > 0) {
		throw new Error('this database already holds a scale seed: load it into a fresh one');
	}
	const steps = scaleSeedSteps(size, await demoPasswordHash(exec));
	const loaded: LoadedTable[] = [];
	await exec('begin');
	try {
		// Triggers off (see the header); the sorts and hashes of 2M-row statements want memory.
		await exec(`set local session_replication_role = replica`);
		await exec(`set local work_mem = '256MB'`);
		for (const step of steps) {
			const started = performance.now();
			const result = await exec(step.sql);
			const seconds = (performance.now() - started) / 1000;
			if (!step.table.startsWith('(')) {
				loaded.push({ table: step.table, rows: result.rowCount, seconds });
				log(
					`  ${step.table.padEnd(20)} ${String(result.rowCount).padStart(10)} rows  ${seconds.toFixed(1)} s`
				);
			}
		}
		await exec('commit');
	} catch (error) {
		await exec('rollback').catch(() => {});
		throw error;
	}
	if (options.verify !== false) {
		const started = performance.now();
		const broken = await verifyForeignKeys(exec);
		if (broken.length > 0) throw new Error(`foreign keys broken:\n${broken.join('\n')}`);
		log(
			`  foreign keys checked: all hold (${((performance.now() - started) / 1000).toFixed(1)} s)`
		);
	}
	return loaded;
}

/**
 * An Exec on one connection of the `postgres` package (session settings stay put), and
 * `script` for several statements at once (a migration file: the simple protocol).
 */
export async function postgresExec(
	url: string,
	applicationName = 'seed-scale'
): Promise<{ exec: Exec; script: (text: string) => Promise<void>; close: () => Promise<void> }> {
	const { default: postgres } = await import('postgres');
	const sql = postgres(url, {
		max: 1,
		prepare: false,
		onnotice: () => {},
		connection: { application_name: applicationName }
	});
	return {
		async exec(text) {
			const result = await sql.unsafe(text);
			return { rows: [...result], rowCount: result.count ?? result.length };
		},
		async script(text) {
			await sql.unsafe(text).simple();
		},
		close: () => sql.end({ timeout: 5 })
	};
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

function option(args: string[], name: string): string | undefined {
	const i = args.indexOf(name);
	return i === -1 ? undefined : args[i + 1];
}

async function main(args: string[]) {
	const accounts = Number(option(args, '--accounts') ?? 10000);
	const verify = !args.includes('--no-verify');
	const started = performance.now();
	let loaded: LoadedTable[];
	if (args.includes('--pglite')) {
		// The harness builds the same database the db tests use (platform, migrations, seed).
		process.env.TEST_DB_TARGET = 'pglite';
		const { openTestDb } = await import('../tests/db/harness.ts');
		const db = await openTestDb();
		console.log(`Loading ${accounts} accounts into ${db.description} (in memory)…`);
		try {
			loaded = await loadScaleSeed(db.query, { accounts, verify, log: console.log });
		} finally {
			await db.close();
		}
	} else {
		const url = option(args, '--db-url') ?? process.env.LOCAL_DB_URL;
		if (!url) {
			throw new Error(
				'Give --db-url postgresql://… (a superuser URL of a database with the migrations applied), or --pglite'
			);
		}
		const { exec, close } = await postgresExec(url);
		console.log(`Loading ${accounts} accounts into ${new URL(url).pathname.slice(1) || url}…`);
		try {
			loaded = await loadScaleSeed(exec, { accounts, verify, log: console.log });
		} finally {
			await close();
		}
	}
	const rows = loaded.reduce((sum, t) => sum + t.rows, 0);
	console.log(
		`Loaded ${rows.toLocaleString('en')} rows in ${((performance.now() - started) / 1000).toFixed(0)} s.`
	);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main(process.argv.slice(2)).catch((error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	});
}
