-- Lists at scale (issue 8, benchmark 1: `node scripts/bench/policy-cli.ts`), what the figures
-- at 10,000 accounts still called for after 20261204020000_performance.sql. Median under RLS on
-- PostgreSQL 15 (client / staff / admin), before → after: the activity page 58 / 13 / 37 →
-- 0.6 / 0.6 / 0.4 ms (most of it by no longer counting the history, in
-- src/lib/server/activity.ts; an admin's page alone 12 → 0.2 ms by the policy below); the
-- staff clients list's open items 4.1 / 28 → 2.6 / 1.7 ms (staff / admin); a thread page's
-- attachable documents 30 / 32 / 20 → 1.9 / 1.9 / 1.5 ms.
-- Nobody's access changes: each policy admits the same rows as the one it replaces (the policy
-- matrix in tests/db checks it, tests/db/performance.test.ts the cases it does not reach).

-- ---------------------------------------------------------------------------
-- activity_log: admins decided once per statement
-- ---------------------------------------------------------------------------

-- For an admin, manageable_accounts() is every account, so the first branch of the old policy
-- built a hash of all 10,000 accounts for every statement (10 ms, before a row was read): the
-- activity page, the staff account page and the staff clients list (its last activity) paid
-- it. 20261204020000 skipped this table because its rows outlive their accounts, and an admin
-- does not read the history of a deleted account. The first branch below says exactly that:
-- an admin reads the workspace rows (no account) and the rows of an account that exists, which
-- is what the old branches gave an admin (every account they could manage or belong to
-- exists). It probes client_accounts by primary key for the rows read; `offset 0` keeps
-- Postgres from hashing client_accounts instead (an EXISTS with an offset is not turned into a
-- hashed IN). For everyone else `(select private.is_admin())` is false, once per statement, and
-- the other branches read as before.
drop policy "activity_log: read as member, serving staff or admin" on public.activity_log;
create policy "activity_log: read as member, serving staff or admin"
on public.activity_log for select to authenticated
using (
	(
		(select private.is_admin())
		and (
			account_id is null
			or exists (
				select 1 from public.client_accounts a where a.id = activity_log.account_id offset 0
			)
		)
	)
	or account_id in (select private.manageable_accounts())
	or (
		account_id in (select private.member_accounts(array['member', 'viewer']))
		and action !~ '^invitation\.'
	)
	or (
		account_id in (select private.member_accounts(array['billing']))
		and action ~ '^(member|account)\.'
	)
);

-- ---------------------------------------------------------------------------
-- profiles: the people of visible accounts, probed per profile
-- ---------------------------------------------------------------------------

-- The third branch asked `id in (select m.user_id from account_members m …)`: uncorrelated, so
-- Postgres hashed every membership the caller may see (a sequential scan of account_members,
-- 32,000 rows at full size) to check the few names a page shows. Naming the profile makes it
-- a probe of account_members_user_id_idx per profile read; `offset 0` as in the activity_log
-- policy above, so that it stays a probe (pages read tens of names, not thousands). The same
-- rows either way.
drop policy "profiles: read self, visible people, or the team as staff" on public.profiles;
create policy "profiles: read self, visible people, or the team as staff"
on public.profiles for select to authenticated
using (
	id = (select auth.uid())
	or ((select private.is_staff()) and id in (select s.user_id from public.staff_members s))
	or exists (
		select 1 from public.account_members m
		where m.user_id = profiles.id
			and ((select private.is_admin()) or m.account_id in (select private.visible_accounts()))
		offset 0
	)
);

-- ---------------------------------------------------------------------------
-- Open items per account: file requests counted in one pass
-- ---------------------------------------------------------------------------

-- The staff clients list reads this view for its 25 accounts. Its three file_requests counts
-- were three subqueries, each under the file_requests policy (one readable_accounts() call
-- each, 0.2 to 0.5 ms for a staff member); one pass over the account's open and submitted
-- requests gives all three. The same columns, in the same order, under the caller's policies.
create or replace view public.account_open_items
with (security_invoker = true)
as
select
	a.id as account_id,
	r.open_requests,
	r.overdue_requests,
	r.submitted_requests,
	(select count(*) from public.approvals p
		where p.account_id = a.id and p.status = 'pending')::integer as pending_approvals,
	(select max(l.created_at) from public.activity_log l
		where l.account_id = a.id) as last_activity_at
from public.client_accounts a
cross join lateral (
	select
		(count(*) filter (where fr.status = 'open'))::integer as open_requests,
		(count(*) filter (where fr.status = 'open' and fr.due_on < current_date))::integer
			as overdue_requests,
		(count(*) filter (where fr.status = 'submitted'))::integer as submitted_requests
	from public.file_requests fr
	where fr.account_id = a.id and fr.status in ('open', 'submitted')
) r;

-- ---------------------------------------------------------------------------
-- Indexes: a thread page's attachable documents from indexes alone
-- ---------------------------------------------------------------------------

-- The thread page offers up to 500 of the account's live documents by name, each with its
-- folder's name. The documents came from documents_live_account_name_idx plus a heap fetch
-- each; with the size and folder in the index they are read from it alone (the documents
-- policy reads account_id only). Same keys and predicate, so every other use stays.
drop index if exists public.documents_live_account_name_idx;
create index documents_live_account_name_idx
	on public.documents (account_id, name, id) include (size_bytes, folder_id)
	where deleted_at is null;

-- Each folder was looked up through folders_unique_name_idx by account alone (Postgres
-- guesses one or two folders per account; a large one has hundreds), then filtered by id:
-- 11,700 buffers for 500 documents. By account and id, with the name: one index probe each.
create index if not exists folders_account_id_id_idx
	on public.folders (account_id, id) include (name);
