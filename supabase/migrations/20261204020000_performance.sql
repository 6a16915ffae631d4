-- Performance at scale (issue 8, benchmark 1: `node scripts/bench/policy-cli.ts`): only what
-- the figures at 10,000 accounts called for. Median under RLS, before → after: any statement
-- of an admin 18-40 → 0.2-0.8 ms; a thread page's messages 155-580 → 2 ms; its attachable
-- documents 520-720 → 8-12 ms; the activity page 250-310 → 9-27 ms; the documents page 23-70 →
-- 1.3-2.2 ms; recent documents 20-30 → 0.4 ms; the staff clients list (admin) 153 → 1.2 ms.
-- Nobody's access changes: each helper returns the same accounts as before, each policy admits
-- the same rows as the one it replaces (the policy matrix in tests/db checks both).

-- ---------------------------------------------------------------------------
-- The account helpers in PL/pgSQL: their plans are kept, not remade per statement
-- ---------------------------------------------------------------------------

-- Every policy calls one of these once per statement. As SQL functions that are security
-- definer (never inlined) they were parsed and planned on every call: readable_accounts()
-- with member_accounts() and staff_accounts() inside cost about 0.25 ms, is_admin() 0.08 ms,
-- before any row was read; more than most of the portal's queries cost without RLS (0.1 to
-- 0.3 ms). PL/pgSQL keeps each statement's plan for the life of the connection, and
-- PostgREST's connections live long: the same calls then cost a few hundredths of a
-- millisecond. The queries are unchanged.

create or replace function private.is_staff()
returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
	return exists (select 1 from public.staff_members where user_id = (select auth.uid()));
end;
$$;

create or replace function private.is_admin()
returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
	return exists (
		select 1 from public.staff_members where user_id = (select auth.uid()) and role = 'admin'
	);
end;
$$;

create or replace function private.member_accounts(roles text[] default array['owner', 'member', 'billing', 'viewer'])
returns setof uuid
language plpgsql stable security definer set search_path = ''
as $$
begin
	return query
	select account_id from public.account_members
	where user_id = (select auth.uid()) and role = any (roles);
end;
$$;

create or replace function private.staff_accounts()
returns setof uuid
language plpgsql stable security definer set search_path = ''
as $$
begin
	return query
	select a.id from public.client_accounts a
	where exists (
		select 1 from public.staff_members s
		where s.user_id = (select auth.uid()) and s.role = 'admin'
	)
	union
	select sa.account_id from public.staff_assignments sa
	where sa.staff_user_id = (select auth.uid());
end;
$$;

create or replace function private.visible_accounts()
returns setof uuid
language plpgsql stable security definer set search_path = ''
as $$
begin
	return query select private.member_accounts() union select private.staff_accounts();
end;
$$;

create or replace function private.readable_accounts()
returns setof uuid
language plpgsql stable security definer set search_path = ''
as $$
begin
	return query
	select private.member_accounts(array['owner', 'member', 'viewer'])
	union
	select private.staff_accounts();
end;
$$;

create or replace function private.writable_accounts()
returns setof uuid
language plpgsql stable security definer set search_path = ''
as $$
begin
	return query
	select private.member_accounts(array['owner', 'member'])
	union
	select private.staff_accounts();
end;
$$;

create or replace function private.manageable_accounts()
returns setof uuid
language plpgsql stable security definer set search_path = ''
as $$
begin
	return query select private.member_accounts(array['owner']) union select private.staff_accounts();
end;
$$;

-- ---------------------------------------------------------------------------
-- Admins: decided once per statement, not by hashing every account
-- ---------------------------------------------------------------------------

-- private.staff_accounts() returns every account for an admin, so each policy that asks
-- `account_id in (select private.readable_accounts())` had Postgres build a hash of all
-- accounts (10,000 at full size) for every statement an admin ran, before reading a row. The
-- policies below ask `(select private.is_admin())` first: one initplan, and for an admin the
-- rest of the condition is never evaluated. For everyone else it is false and the condition
-- reads as before. An admin already read every row of these tables (by its foreign keys each
-- row belongs to an existing account, and staff_accounts() is every account for an admin), so
-- nobody's access changes. Not activity_log: its rows outlive their accounts, and an admin
-- does not read the history of a deleted account.

drop policy "client_accounts: read visible" on public.client_accounts;
create policy "client_accounts: read visible"
on public.client_accounts for select to authenticated
using ((select private.is_admin()) or id in (select private.visible_accounts()));

drop policy "account_members: read visible accounts" on public.account_members;
create policy "account_members: read visible accounts"
on public.account_members for select to authenticated
using ((select private.is_admin()) or account_id in (select private.visible_accounts()));

drop policy "documents: read as member or serving staff" on public.documents;
create policy "documents: read as member or serving staff"
on public.documents for select to authenticated
using (
	(select private.is_admin())
	or account_id in (select private.member_accounts(array['owner', 'member', 'viewer']))
	or account_id in (select private.staff_accounts())
);

drop policy "document_versions: read as reader" on public.document_versions;
create policy "document_versions: read as reader"
on public.document_versions for select to authenticated
using ((select private.is_admin()) or account_id in (select private.readable_accounts()));

drop policy "folders: read as reader" on public.folders;
create policy "folders: read as reader"
on public.folders for select to authenticated
using ((select private.is_admin()) or account_id in (select private.readable_accounts()));

drop policy "file_requests: read as reader" on public.file_requests;
create policy "file_requests: read as reader"
on public.file_requests for select to authenticated
using ((select private.is_admin()) or account_id in (select private.readable_accounts()));

drop policy "threads: read as reader" on public.threads;
create policy "threads: read as reader"
on public.threads for select to authenticated
using ((select private.is_admin()) or account_id in (select private.readable_accounts()));

drop policy "messages: read as reader, internal notes as serving staff" on public.messages;
create policy "messages: read as reader, internal notes as serving staff"
on public.messages for select to authenticated
using (
	(select private.is_admin())
	or account_id in (select private.staff_accounts())
	or (not internal and account_id in (select private.member_accounts(array['owner', 'member', 'viewer'])))
);

-- message_attachments also stops hashing every message. Its old check, `message_id in (select
-- m.id from public.messages m)`, was uncorrelated, so Postgres answered it by reading every
-- message the caller may see into a hash table (a sequential scan of messages, 2M rows at full
-- size) as soon as one attachment was looked at: the thread page paid for all the messages of
-- all the caller's accounts. Naming the attachment's own message makes it a primary-key probe
-- per attachment, still under the messages policy (a client sees no attachment of an internal
-- note). The account condition changes nothing: the foreign key (message_id, account_id)
-- already ties an attachment to its message's account.
drop policy "message_attachments: read with the message" on public.message_attachments;
create policy "message_attachments: read with the message"
on public.message_attachments for select to authenticated
using (
	((select private.is_admin()) or account_id in (select private.readable_accounts()))
	and exists (
		select 1 from public.messages m
		where m.id = message_attachments.message_id and m.account_id = message_attachments.account_id
	)
);

drop policy "projects: read as reader" on public.projects;
create policy "projects: read as reader"
on public.projects for select to authenticated
using ((select private.is_admin()) or account_id in (select private.readable_accounts()));

drop policy "status_updates: read published, drafts as serving staff" on public.status_updates;
create policy "status_updates: read published, drafts as serving staff"
on public.status_updates for select to authenticated
using (
	(select private.is_admin())
	or account_id in (select private.staff_accounts())
	or (published_at is not null and account_id in (select private.member_accounts(array['owner', 'member', 'viewer'])))
);

drop policy "approvals: read as reader" on public.approvals;
create policy "approvals: read as reader"
on public.approvals for select to authenticated
using ((select private.is_admin()) or account_id in (select private.readable_accounts()));

drop policy "approval_approvers: read as reader" on public.approval_approvers;
create policy "approval_approvers: read as reader"
on public.approval_approvers for select to authenticated
using ((select private.is_admin()) or account_id in (select private.readable_accounts()));

drop policy "approval_responses: read as reader" on public.approval_responses;
create policy "approval_responses: read as reader"
on public.approval_responses for select to authenticated
using ((select private.is_admin()) or account_id in (select private.readable_accounts()));

-- profiles: the team first (a staff page's names are all team members, and the check is a
-- small hash), then the people of visible accounts, short-cut for admins as above. An OR reads
-- the same in any order.
drop policy "profiles: read self, visible people, or the team as staff" on public.profiles;
create policy "profiles: read self, visible people, or the team as staff"
on public.profiles for select to authenticated
using (
	id = (select auth.uid())
	or ((select private.is_staff()) and id in (select s.user_id from public.staff_members s))
	or id in (
		select m.user_id from public.account_members m
		where (select private.is_admin()) or m.account_id in (select private.visible_accounts())
	)
);

-- ---------------------------------------------------------------------------
-- Indexes for the portal's lists (with or without RLS, these were the slow part)
-- ---------------------------------------------------------------------------

-- documents, live ones only (the trash is a few percent): the overview's "recent documents"
-- (newest change first), the documents page (one folder, or the top level, by name, with its
-- count) and the attachable documents of a thread page (all by name). Before, each sorted
-- every live document of the account: 20 to 700 ms for an account with 20,000 documents.
create index if not exists documents_live_account_updated_idx
	on public.documents (account_id, updated_at desc) where deleted_at is null;
create index if not exists documents_live_account_folder_name_idx
	on public.documents (account_id, folder_id, name, id) where deleted_at is null;
create index if not exists documents_live_account_name_idx
	on public.documents (account_id, name, id) where deleted_at is null;
-- The trash count in the documents page's tabs.
create index if not exists documents_trash_account_idx
	on public.documents (account_id) where deleted_at is not null;

-- activity_log: the feed's order exactly (created_at, then id), and the action, which the
-- policy reads for members, viewers and billing users: the page and its count are then read
-- from the index alone instead of one heap fetch per entry (60,000 for a large account).
create index if not exists activity_log_account_feed_idx
	on public.activity_log (account_id, created_at desc, id desc) include (action);

-- client_accounts: the staff clients list, active ones by name a page at a time, reads its
-- page in order instead of sorting every account (and counting members for each) first.
create index if not exists client_accounts_status_name_idx
	on public.client_accounts (status, name, id);

-- ---------------------------------------------------------------------------
-- The unread-messages badge: counted, capped, without summarising every thread
-- ---------------------------------------------------------------------------

-- Every page of an account showed its Messages badge from public.thread_summaries, which
-- counts every message of every thread (two sub-counts per thread): 150 to 180 ms for an
-- account with thousands of threads, on every page. The badge needs one number, and past 99
-- only "99+": this counts the unread messages the caller may read, in the threads with news
-- since they last read them, and stops at p_cap. The same rules as thread_page below:
-- internal notes only for serving staff, one's own messages
-- never unread, nothing for an account the caller cannot read. Definer for the same reason.
create function public.unread_message_count(p_account_id uuid, p_cap integer default 100)
returns integer
language plpgsql stable security definer set search_path = ''
as $$
declare
	v_uid uuid := (select auth.uid());
	v_staff boolean;
begin
	if not (p_account_id in (select private.readable_accounts())) then
		return 0;
	end if;
	v_staff := p_account_id in (select private.staff_accounts());
	return (
		select count(*)::integer from (
			select 1
			from public.threads t
			left join public.thread_reads r on r.thread_id = t.id and r.user_id = v_uid
			join public.messages m on m.thread_id = t.id
			where t.account_id = p_account_id
				and t.last_message_at > coalesce(r.last_read_at, '-infinity'::timestamptz)
				and m.created_at > coalesce(r.last_read_at, '-infinity'::timestamptz)
				and (v_staff or not m.internal)
				and m.author_id is distinct from v_uid
			limit greatest(1, least(p_cap, 1000))
		) as unread
	);
end;
$$;
revoke all on function public.unread_message_count(uuid, integer) from public, anon;
grant execute on function public.unread_message_count(uuid, integer) to authenticated;

-- ---------------------------------------------------------------------------
-- Conversations a page at a time
-- ---------------------------------------------------------------------------

-- public.thread_summaries counts the messages of every thread of the account (150 to 180 ms
-- for an account with thousands of threads), and the messages page then showed 25 of them;
-- the overview showed the few with unread messages. This returns one page, newest activity
-- first, counting only that page's messages, with the number of threads there are (total)
-- for the pagination (p_limit null: all of them); p_unread_only keeps the threads with
-- messages the caller has not read. The rules: nothing for an account the caller cannot read,
-- internal notes counted only for serving staff, one's own messages never unread.
-- thread_summaries is redefined below as all of its rows, so the rules live here once.
-- Definer for the same @supabase/lite reason.
create function public.thread_page(
	p_account_id uuid,
	p_limit integer default 25,
	p_offset integer default 0,
	p_unread_only boolean default false
)
returns table (
	id uuid,
	subject text,
	created_at timestamptz,
	last_message_at timestamptz,
	message_count integer,
	unread_count integer,
	last_read_at timestamptz,
	total integer
)
language plpgsql stable security definer set search_path = ''
as $$
declare
	v_uid uuid := (select auth.uid());
	v_staff boolean;
begin
	if not (p_account_id in (select private.readable_accounts())) then
		return;
	end if;
	v_staff := p_account_id in (select private.staff_accounts());
	return query
	with candidates as (
		select t.id, t.subject, t.created_at, t.last_message_at, r.last_read_at
		from public.threads t
		left join public.thread_reads r on r.thread_id = t.id and r.user_id = v_uid
		where t.account_id = p_account_id
			and (not p_unread_only or (
				t.last_message_at > coalesce(r.last_read_at, '-infinity'::timestamptz)
				and exists (
					select 1 from public.messages m
					where m.thread_id = t.id
						and (v_staff or not m.internal)
						and m.author_id is distinct from v_uid
						and m.created_at > coalesce(r.last_read_at, '-infinity'::timestamptz)
				)
			))
	),
	shown as (
		select c.* from candidates c
		order by c.last_message_at desc, c.id
		limit case when p_limit is null then null else greatest(0, least(p_limit, 100)) end
		offset greatest(0, p_offset)
	)
	select s.id, s.subject, s.created_at, s.last_message_at,
		(select count(*)::integer from public.messages m
			where m.thread_id = s.id and (v_staff or not m.internal)),
		(select count(*)::integer from public.messages m
			where m.thread_id = s.id
				and (v_staff or not m.internal)
				and m.author_id is distinct from v_uid
				and m.created_at > coalesce(s.last_read_at, '-infinity'::timestamptz)),
		s.last_read_at,
		(select count(*)::integer from candidates)
	from shown s
	order by s.last_message_at desc, s.id;
end;
$$;
revoke all on function public.thread_page(uuid, integer, integer, boolean) from public, anon;
grant execute on function public.thread_page(uuid, integer, integer, boolean) to authenticated;

-- Every thread with its counts, as before (the staff preview reads it): thread_page's rows.
create or replace function public.thread_summaries(p_account_id uuid)
returns table (
	id uuid,
	subject text,
	created_at timestamptz,
	last_message_at timestamptz,
	message_count integer,
	unread_count integer,
	last_read_at timestamptz
)
language sql stable security definer set search_path = ''
as $$
	select p.id, p.subject, p.created_at, p.last_message_at, p.message_count, p.unread_count,
		p.last_read_at
	from public.thread_page(p_account_id, null) as p;
$$;
