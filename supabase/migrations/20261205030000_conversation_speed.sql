-- The conversations at scale (issue 8, benchmark 1: `npm run bench:policy`): the Messages badge
-- and thread_page for the largest account (1,754 threads, 39,000 messages at 10,000
-- accounts). Median / p95 under RLS, client, staff, admin, before → after:
--   the badge                        1.0/1.2, 42/43, 10/12 ms → 1.0/1.2, 1.4/2.3, 0.5/0.6 ms
--   the dashboard's unread threads   12/17, 5.8/7.8, 21/25 ms → 2.4/2.7, 1.9/2.5, 1.8/1.9 ms
--   the messages page, page 1        6.9/9.0, 7.1/9.6, 19/20 ms → 1.4/1.5, 1.5/1.8, 1.0/1.6 ms
-- The same answers with the same rules as before (tests/db/conversations-at-scale.test.ts
-- compares them with the earlier definitions). What it took: admins decided before the
-- account helpers, plans made for the account at hand, indexes that answer from themselves,
-- and each thread's newest messages kept by triggers (private.thread_latest).

-- ---------------------------------------------------------------------------
-- Indexes that answer from themselves
-- ---------------------------------------------------------------------------

-- threads: an account's threads in the pages' exact order (newest activity, then id), so a
-- page is read in order and stops, and the badge and the totals read the index alone. It
-- replaces the index on (account_id, last_message_at desc), whose heap fetches were scattered
-- over the whole table (threads are stored in time order, each account's among everyone's):
-- Postgres read all 88,000 threads instead.
create index threads_account_last_message_id_idx
	on public.threads (account_id, last_message_at desc, id);
drop index public.threads_account_id_last_message_at_idx;

-- messages: the counts ask, per thread, who wrote each message, when and whether it is an
-- internal note; with those in the index they never visit the table (a 300-message thread was
-- 300 heap fetches). It replaces the index on (thread_id, created_at), which it also serves.
create index messages_thread_created_at_idx
	on public.messages (thread_id, created_at) include (author_id, internal);
drop index public.messages_thread_id_created_at_idx;

-- thread_reads: a person's read marks in one account, from the index alone, so they can be
-- joined to the account's threads in one hash instead of looked up once per thread (4 pages
-- read per thread, 1,754 times). It replaces the index on (user_id), which it also serves.
create index thread_reads_user_account_idx
	on public.thread_reads (user_id, account_id) include (thread_id, last_read_at);
drop index public.thread_reads_user_id_idx;

-- ---------------------------------------------------------------------------
-- Each thread's newest messages, kept by triggers
-- ---------------------------------------------------------------------------

-- Whether a thread has a message the caller has not read is the question the dashboard asks
-- of every thread of the account (its total counts them all): one probe of the messages
-- index per thread, 1,754 of them for the largest account, 4-5 ms. Two facts per thread
-- answer it without reading a message: its newest message (time and author) and the newest
-- message by anyone else. The caller has something unread exactly when the newest message by
-- someone other than the caller is after their read mark, and that is the first when the
-- newest is not theirs, the second when it is. Kept twice: over all messages (staff, who read
-- internal notes) and over the messages clients see. Private: the times of internal notes are
-- no client's business.
create table private.thread_latest (
	thread_id uuid primary key references public.threads (id) on delete cascade,
	account_id uuid not null,
	-- All messages (what serving staff read).
	latest_at timestamptz,
	latest_by uuid,
	others_latest_at timestamptz,
	-- The messages clients read (no internal notes).
	shared_latest_at timestamptz,
	shared_latest_by uuid,
	shared_others_latest_at timestamptz
);
comment on table private.thread_latest is
	'Per thread: the newest message (time, author) and the newest by anyone else, over all messages and over those clients see. Kept by triggers on messages.';
-- An account's threads with their facts from the index alone, joined in one hash.
create index thread_latest_account_idx on private.thread_latest (account_id)
	include (thread_id, latest_at, latest_by, others_latest_at, shared_latest_at, shared_latest_by,
		shared_others_latest_at);
revoke all on table private.thread_latest from public, anon, authenticated;

-- Recomputes the facts of the given threads from the messages index (newest first, a few
-- entries each). A thread that no longer exists gets no row.
create function private.refresh_thread_latest(p_thread_ids uuid[])
returns void
language sql volatile security definer set search_path = ''
as $$
	insert into private.thread_latest as l (thread_id, account_id, latest_at, latest_by,
		others_latest_at, shared_latest_at, shared_latest_by, shared_others_latest_at)
	select t.id, t.account_id, a.created_at, a.author_id,
		(select max(m.created_at) from public.messages m
			where m.thread_id = t.id and m.author_id is distinct from a.author_id),
		s.created_at, s.author_id,
		(select max(m.created_at) from public.messages m
			where m.thread_id = t.id and not m.internal and m.author_id is distinct from s.author_id)
	from public.threads t
	left join lateral (
		select m.created_at, m.author_id from public.messages m
		where m.thread_id = t.id
		order by m.created_at desc limit 1
	) as a on true
	left join lateral (
		select m.created_at, m.author_id from public.messages m
		where m.thread_id = t.id and not m.internal
		order by m.created_at desc limit 1
	) as s on true
	where t.id = any (p_thread_ids)
	on conflict (thread_id) do update set
		account_id = excluded.account_id,
		latest_at = excluded.latest_at,
		latest_by = excluded.latest_by,
		others_latest_at = excluded.others_latest_at,
		shared_latest_at = excluded.shared_latest_at,
		shared_latest_by = excluded.shared_latest_by,
		shared_others_latest_at = excluded.shared_others_latest_at;
$$;
revoke all on function private.refresh_thread_latest(uuid[]) from public;

-- After every statement that inserts, updates or deletes messages: the threads it touched,
-- recomputed once each. Their rows are locked first, so that two transactions writing to one
-- thread take turns: the second recomputes after the first has committed, and sees its
-- message (READ COMMITTED gives each statement here a fresh snapshot).
create function private.messages_refresh_thread_latest()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
	v_thread_ids uuid[];
begin
	if tg_op = 'UPDATE' then
		v_thread_ids := array(
			select thread_id from changed_messages union select thread_id from new_messages
		);
	else
		v_thread_ids := array(select distinct thread_id from changed_messages);
	end if;
	perform 1 from public.threads t where t.id = any (v_thread_ids)
	order by t.id for no key update;
	perform private.refresh_thread_latest(v_thread_ids);
	return null;
end;
$$;
revoke all on function private.messages_refresh_thread_latest() from public;
create trigger messages_thread_latest_insert
after insert on public.messages
referencing new table as changed_messages
for each statement execute function private.messages_refresh_thread_latest();
create trigger messages_thread_latest_update
after update on public.messages
referencing old table as changed_messages new table as new_messages
for each statement execute function private.messages_refresh_thread_latest();
create trigger messages_thread_latest_delete
after delete on public.messages
referencing old table as changed_messages
for each statement execute function private.messages_refresh_thread_latest();

-- The threads there are now (the scale seed, which loads with triggers off, calls this too).
select private.refresh_thread_latest(array(select id from public.threads));

-- ---------------------------------------------------------------------------
-- The Messages badge
-- ---------------------------------------------------------------------------

-- As before: the unread messages the caller may read, in the threads with news since they
-- last read them, up to p_cap; internal notes only for serving staff, one's own messages never
-- unread, nothing for an account the caller cannot read. What changed is how it is read:
--
-- * An admin is decided first. readable_accounts() and staff_accounts() return all 10,000
--   accounts for an admin, and asking whether one account is among them cost 10-20 ms before
--   a message was counted. For an admin every existing account is readable and served, and an
--   account that does not exist has no threads: the same answer (as the policies of
--   20261204020000_performance.sql reason).
-- * Each thread's unread messages are read beside it (lateral), from the index, at most p_cap
--   of them, and the whole stops at p_cap.
-- * Planned for the account it is called for (plan_cache_mode): PL/pgSQL otherwise keeps a
--   generic plan made for an average account (9 threads, a few read marks), and for a large
--   one that plan rescanned the read marks once per thread (1.5 million comparisons, 100 to
--   200 ms for a staff member). Planning costs about 0.3 ms.
create or replace function public.unread_message_count(p_account_id uuid, p_cap integer default 100)
returns integer
language plpgsql stable security definer set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
	v_uid uuid := (select auth.uid());
	v_admin boolean := private.is_admin();
	v_cap integer := greatest(1, least(p_cap, 1000));
	v_staff boolean;
begin
	if not (v_admin or p_account_id in (select private.readable_accounts())) then
		return 0;
	end if;
	v_staff := v_admin or p_account_id in (select private.staff_accounts());
	return (
		select count(*)::integer from (
			select 1
			from public.threads t
			left join public.thread_reads r
				on r.user_id = v_uid and r.account_id = p_account_id and r.thread_id = t.id
			cross join lateral (
				select 1 from public.messages m
				where m.thread_id = t.id
					and m.created_at > coalesce(r.last_read_at, '-infinity'::timestamptz)
					and (v_staff or not m.internal)
					and m.author_id is distinct from v_uid
				limit v_cap
			) as m
			where t.account_id = p_account_id
				and t.last_message_at > coalesce(r.last_read_at, '-infinity'::timestamptz)
			limit v_cap
		) as unread
	);
end;
$$;

-- ---------------------------------------------------------------------------
-- Conversations a page at a time
-- ---------------------------------------------------------------------------

-- The same rows, order and total as before, with the same rules: nothing for an account the
-- caller cannot read, internal notes counted only for serving staff, one's own messages never
-- unread. Admins decided first and planned per account, as the badge above. All threads: the
-- total from the index alone, and the page read in the index's order, stopping at its last
-- row. Unread threads: the account's threads, the caller's read marks and the threads'
-- newest messages (private.thread_latest), each read from an index alone and joined in
-- hashes, without a message read. Only the page's threads are then fetched and their
-- messages counted (from the index alone). p_unread_only null keeps the unread threads, as it
-- did (`not null or …` filtered like true).
create or replace function public.thread_page(
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
set plan_cache_mode = force_custom_plan
as $$
declare
	v_uid uuid := (select auth.uid());
	v_admin boolean := private.is_admin();
	v_limit integer := case when p_limit is null then null else greatest(0, least(p_limit, 100)) end;
	v_offset integer := greatest(0, p_offset);
	v_staff boolean;
begin
	if not (v_admin or p_account_id in (select private.readable_accounts())) then
		return;
	end if;
	v_staff := v_admin or p_account_id in (select private.staff_accounts());
	if p_unread_only is distinct from false then
		return query
		with candidates as materialized (
			select t.id, t.last_message_at, r.last_read_at
			from public.threads t
			join private.thread_latest l on l.account_id = p_account_id and l.thread_id = t.id
			left join public.thread_reads r
				on r.user_id = v_uid and r.account_id = p_account_id and r.thread_id = t.id
			where t.account_id = p_account_id
				and t.last_message_at > coalesce(r.last_read_at, '-infinity'::timestamptz)
				-- A message the caller may read, not theirs, after their read mark: the newest
				-- by anyone but the caller is after it (see private.thread_latest).
				and case
					when v_staff and l.latest_by is not distinct from v_uid then l.others_latest_at
					when v_staff then l.latest_at
					when l.shared_latest_by is not distinct from v_uid then l.shared_others_latest_at
					else l.shared_latest_at
				end > coalesce(r.last_read_at, '-infinity'::timestamptz)
		),
		shown as (
			select c.id, c.last_message_at, c.last_read_at from candidates c
			order by c.last_message_at desc, c.id
			limit v_limit offset v_offset
		)
		select s.id, t.subject, t.created_at, s.last_message_at, n.message_count, n.unread_count,
			s.last_read_at, (select count(*)::integer from candidates)
		from shown s
		join public.threads t on t.id = s.id
		cross join lateral (
			select count(*)::integer as message_count,
				(count(*) filter (
					where m.author_id is distinct from v_uid
						and m.created_at > coalesce(s.last_read_at, '-infinity'::timestamptz)
				))::integer as unread_count
			from public.messages m
			where m.thread_id = s.id and (v_staff or not m.internal)
		) as n
		order by s.last_message_at desc, s.id;
	else
		return query
		select s.id, s.subject, s.created_at, s.last_message_at, n.message_count, n.unread_count,
			r.last_read_at,
			(select count(*)::integer from public.threads t where t.account_id = p_account_id)
		from (
			select t.id, t.subject, t.created_at, t.last_message_at from public.threads t
			where t.account_id = p_account_id
			order by t.last_message_at desc, t.id
			limit v_limit offset v_offset
		) as s
		left join public.thread_reads r on r.thread_id = s.id and r.user_id = v_uid
		cross join lateral (
			select count(*)::integer as message_count,
				(count(*) filter (
					where m.author_id is distinct from v_uid
						and m.created_at > coalesce(r.last_read_at, '-infinity'::timestamptz)
				))::integer as unread_count
			from public.messages m
			where m.thread_id = s.id and (v_staff or not m.internal)
		) as n
		order by s.last_message_at desc, s.id;
	end if;
end;
$$;
