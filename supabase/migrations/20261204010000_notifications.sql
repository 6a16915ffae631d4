-- Notifications: an outbox filled by triggers in the same transaction as each change, an
-- in-app list per person (the bell), email deliveries for the worker (`npm run worker`), and
-- each person's choice per kind of event: immediate, daily digest, weekly digest or off.
--
-- Flow:
--   change (trigger) → private.notify():
--     one row in private.notification_events (the outbox: what happened, once);
--     one row per recipient in public.notifications (the bell; the recipient reads it);
--     immediate → a private.email_deliveries row now; daily/weekly → private.digest_queue,
--     gathered into one delivery per person when the period ends (worker_plan_digests).
--   worker → worker_claim_emails (lease, SKIP LOCKED) → SMTP → worker_complete_email, or
--     worker_fail_email (retry with backoff). A committed change always has its rows; a
--     rolled-back one never does, because they are written by the same transaction.
--
-- The worker calls the worker_* functions with the project's secret key (role service_role);
-- no other role may execute them.

-- ---------------------------------------------------------------------------
-- Kinds and preferences
-- ---------------------------------------------------------------------------

create function private.notification_kinds()
returns text[]
language sql immutable set search_path = ''
as $$
	select array['document', 'file_request', 'message', 'approval_requested', 'approval_decided',
		'status_update', 'invitation'];
$$;
revoke all on function private.notification_kinds() from public;
grant execute on function private.notification_kinds() to authenticated, service_role;

-- What a person gets without having chosen: the things that wait for them at once; news of
-- progress and of people joining once a day.
create function private.default_frequency(p_kind text)
returns text
language sql immutable set search_path = ''
as $$
	select case when p_kind in ('status_update', 'invitation') then 'daily' else 'immediate' end;
$$;
revoke all on function private.default_frequency(text) from public;

create table public.notification_preferences (
	user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
	kind text not null check (kind = any (private.notification_kinds())),
	frequency text not null check (frequency in ('immediate', 'daily', 'weekly', 'off')),
	updated_at timestamptz not null default now(),
	primary key (user_id, kind)
);
comment on table public.notification_preferences is
	'Each person''s email rhythm per kind of event; a missing row means the default (private.default_frequency).';

create function private.notification_preferences_before_write()
returns trigger
language plpgsql set search_path = ''
as $$
begin
	new.updated_at := now();
	return new;
end;
$$;
revoke all on function private.notification_preferences_before_write() from public;
create trigger notification_preferences_before_write
before insert or update on public.notification_preferences
for each row execute function private.notification_preferences_before_write();

create function private.frequency_for(p_user_id uuid, p_kind text)
returns text
language sql stable security definer set search_path = ''
as $$
	select coalesce(
		(select p.frequency from public.notification_preferences p
			where p.user_id = p_user_id and p.kind = p_kind),
		private.default_frequency(p_kind)
	);
$$;
revoke all on function private.frequency_for(uuid, text) from public;

alter table public.notification_preferences enable row level security;
revoke all on table public.notification_preferences from anon, authenticated;
grant select, insert, update, delete on table public.notification_preferences to authenticated;

create policy "notification_preferences: read own"
on public.notification_preferences for select to authenticated
using (user_id = (select auth.uid()));
create policy "notification_preferences: add own"
on public.notification_preferences for insert to authenticated
with check (user_id = (select auth.uid()));
create policy "notification_preferences: change own"
on public.notification_preferences for update to authenticated
using (user_id = (select auth.uid()))
with check (user_id = (select auth.uid()));
create policy "notification_preferences: remove own"
on public.notification_preferences for delete to authenticated
using (user_id = (select auth.uid()));

-- ---------------------------------------------------------------------------
-- The outbox, the bell, the deliveries
-- ---------------------------------------------------------------------------

create table private.notification_events (
	id bigint generated always as identity primary key,
	account_id uuid references public.client_accounts (id) on delete cascade,
	kind text not null check (kind = any (private.notification_kinds())),
	actor_id uuid references auth.users (id) on delete set null,
	subject_id uuid,
	details jsonb not null default '{}'::jsonb,
	created_at timestamptz not null default now()
);
comment on table private.notification_events is
	'The outbox: one row per notifiable change, written by triggers in the change''s own transaction.';
create index notification_events_account_id_idx on private.notification_events (account_id);
create index notification_events_actor_id_idx on private.notification_events (actor_id);

create table public.notifications (
	id bigint generated always as identity primary key,
	event_id bigint not null references private.notification_events (id) on delete cascade,
	user_id uuid not null references auth.users (id) on delete cascade,
	account_id uuid references public.client_accounts (id) on delete cascade,
	kind text not null check (kind = any (private.notification_kinds())),
	actor_id uuid references auth.users (id) on delete set null,
	subject_id uuid,
	-- Titles and names only (a document's name, a thread's subject): never a message body or
	-- a file's contents, so neither the bell nor an email carries them.
	details jsonb not null default '{}'::jsonb,
	-- The person's choice for this kind when it happened: immediate, daily, weekly or off.
	email_frequency text not null check (email_frequency in ('immediate', 'daily', 'weekly', 'off')),
	created_at timestamptz not null default now(),
	read_at timestamptz,
	unique (event_id, user_id)
);
comment on table public.notifications is
	'What each person is told, one row per recipient: the bell lists them, the worker emails them.';
create index notifications_user_created_idx on public.notifications (user_id, created_at desc, id desc);
create index notifications_user_unread_idx on public.notifications (user_id) where read_at is null;
create index notifications_account_id_idx on public.notifications (account_id);
create index notifications_actor_id_idx on public.notifications (actor_id);

create table private.email_deliveries (
	-- Also the idempotency key: the email's Message-ID is <id@…>, the same on every attempt.
	id uuid primary key default gen_random_uuid(),
	user_id uuid not null references auth.users (id) on delete cascade,
	kind text not null check (kind in ('immediate', 'daily', 'weekly')),
	status text not null default 'pending'
		check (status in ('pending', 'sending', 'sent', 'failed', 'cancelled')),
	attempts integer not null default 0,
	next_attempt_at timestamptz not null default now(),
	leased_by text,
	lease_until timestamptz,
	last_error text,
	created_at timestamptz not null default now(),
	sent_at timestamptz
);
comment on table private.email_deliveries is
	'One email to one person (one notification, or a digest of several); the worker''s queue.';
create index email_deliveries_due_idx on private.email_deliveries (next_attempt_at)
	where status in ('pending', 'sending');
create index email_deliveries_user_id_idx on private.email_deliveries (user_id);

create table private.email_delivery_items (
	delivery_id uuid not null references private.email_deliveries (id) on delete cascade,
	notification_id bigint not null unique references public.notifications (id) on delete cascade,
	primary key (delivery_id, notification_id)
);
comment on table private.email_delivery_items is 'Which notifications an email carries; each at most once.';

create table private.digest_queue (
	notification_id bigint primary key references public.notifications (id) on delete cascade,
	user_id uuid not null references auth.users (id) on delete cascade,
	frequency text not null check (frequency in ('daily', 'weekly')),
	due_at timestamptz not null
);
comment on table private.digest_queue is
	'Notifications waiting for their digest; due at the end of their period (08:00 UTC, Mondays for weekly).';
create index digest_queue_due_idx on private.digest_queue (due_at);
create index digest_queue_user_id_idx on private.digest_queue (user_id);

create table private.unsubscribe_tokens (
	user_id uuid primary key references auth.users (id) on delete cascade,
	token uuid not null unique default gen_random_uuid()
);
comment on table private.unsubscribe_tokens is
	'The secret in each person''s one-click unsubscribe links (122 random bits; read only by definer functions).';

-- When a daily or weekly digest gathering an event at p_at is due.
create function private.digest_due_at(p_frequency text, p_at timestamptz)
returns timestamptz
language sql immutable set search_path = ''
as $$
	select case p_frequency
		when 'daily' then date_trunc('day', (p_at at time zone 'UTC') - interval '8 hours')
			+ interval '1 day 8 hours'
		else date_trunc('week', (p_at at time zone 'UTC') - interval '8 hours')
			+ interval '7 days 8 hours'
	end at time zone 'UTC';
$$;
revoke all on function private.digest_due_at(text, timestamptz) from public;

-- Records one event and tells each recipient (never the person who acted), in the caller's
-- transaction. Called by the triggers below only. The actor is the signed-in user, or, for a
-- change made without one (the seed, an operator's SQL), the row's own author (p_actor).
create function private.notify(
	p_account_id uuid,
	p_kind text,
	p_subject_id uuid,
	p_details jsonb,
	p_recipients uuid[],
	p_actor uuid default null
)
returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
	v_actor uuid := coalesce((select auth.uid()), p_actor);
	v_event bigint;
	v_details jsonb;
begin
	-- Names as they were when it happened, so the bell and the emails read the same later.
	v_details := coalesce(p_details, '{}'::jsonb) || jsonb_build_object(
		'actor_name', coalesce(
			(select nullif(btrim(p.display_name), '') from public.profiles p where p.id = v_actor),
			case when v_actor is null then 'The team' else 'Someone' end),
		'account_name', (select a.name from public.client_accounts a where a.id = p_account_id)
	);
	insert into private.notification_events (account_id, kind, actor_id, subject_id, details)
	values (p_account_id, p_kind, v_actor, p_subject_id, v_details)
	returning id into v_event;

	with recipients as (
		select distinct r.user_id
		from unnest(p_recipients) as r (user_id)
		where r.user_id is not null and r.user_id is distinct from v_actor
	),
	tokens as (
		insert into private.unsubscribe_tokens (user_id)
		select r.user_id from recipients r
		on conflict (user_id) do nothing
	),
	told as (
		insert into public.notifications
			(event_id, user_id, account_id, kind, actor_id, subject_id, details, email_frequency)
		select v_event, r.user_id, p_account_id, p_kind, v_actor, p_subject_id,
			v_details, private.frequency_for(r.user_id, p_kind)
		from recipients r
		returning id, user_id, email_frequency, created_at
	),
	queued as (
		insert into private.digest_queue (notification_id, user_id, frequency, due_at)
		select t.id, t.user_id, t.email_frequency, private.digest_due_at(t.email_frequency, t.created_at)
		from told t
		where t.email_frequency in ('daily', 'weekly')
	),
	deliveries as (
		insert into private.email_deliveries (user_id, kind)
		select t.user_id, 'immediate' from told t where t.email_frequency = 'immediate'
		returning id, user_id
	)
	insert into private.email_delivery_items (delivery_id, notification_id)
	select d.id, t.id
	from deliveries d join told t on t.user_id = d.user_id and t.email_frequency = 'immediate';
end;
$$;
revoke all on function private.notify(uuid, text, uuid, jsonb, uuid[], uuid) from public;

-- The people of an account who should hear of something: its members in the given roles,
-- and the staff assigned to it when p_staff.
create function private.account_audience(p_account_id uuid, p_roles text[], p_staff boolean)
returns uuid[]
language sql stable security definer set search_path = ''
as $$
	select coalesce(array_agg(distinct u), '{}')
	from (
		select m.user_id as u from public.account_members m
		where m.account_id = p_account_id and m.role = any (p_roles)
		union all
		select sa.staff_user_id from public.staff_assignments sa
		where p_staff and sa.account_id = p_account_id
	) as audience;
$$;
revoke all on function private.account_audience(uuid, text[], boolean) from public;

-- ---------------------------------------------------------------------------
-- The triggers: which change tells whom
-- ---------------------------------------------------------------------------

-- A new document (version 1) or a new version: everyone who reads the account's documents.
create function private.notify_document_versions()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
	v_name text;
begin
	select d.name into v_name from public.documents d where d.id = new.document_id;
	perform private.notify(new.account_id, 'document', new.document_id,
		jsonb_build_object('name', v_name, 'version', new.version),
		private.account_audience(new.account_id, array['owner', 'member', 'viewer'], true),
		new.uploaded_by);
	return null;
end;
$$;
revoke all on function private.notify_document_versions() from public;
create trigger document_versions_notify
after insert on public.document_versions
for each row execute function private.notify_document_versions();

-- A new file request: the clients who can answer it. A request answered: its staff.
create function private.notify_file_requests()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if tg_op = 'INSERT' then
		perform private.notify(new.account_id, 'file_request', new.id,
			jsonb_build_object('title', new.title, 'status', new.status, 'due_on', new.due_on),
			private.account_audience(new.account_id, array['owner', 'member'], false),
			new.requested_by);
	elsif new.status = 'submitted' and old.status is distinct from 'submitted' then
		perform private.notify(new.account_id, 'file_request', new.id,
			jsonb_build_object('title', new.title, 'status', new.status, 'due_on', new.due_on),
			private.account_audience(new.account_id, array[]::text[], true));
	end if;
	return null;
end;
$$;
revoke all on function private.notify_file_requests() from public;
create trigger file_requests_notify
after insert or update of status on public.file_requests
for each row execute function private.notify_file_requests();

-- A message: the thread's readers; an internal note: the account's staff only.
create function private.notify_messages()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
	v_subject text;
begin
	select t.subject into v_subject from public.threads t where t.id = new.thread_id;
	perform private.notify(new.account_id, 'message', new.thread_id,
		jsonb_build_object('subject', v_subject, 'message_id', new.id, 'internal', new.internal),
		private.account_audience(new.account_id,
			case when new.internal then array[]::text[] else array['owner', 'member', 'viewer'] end,
			true),
		new.author_id);
	return null;
end;
$$;
revoke all on function private.notify_messages() from public;
create trigger messages_notify
after insert on public.messages
for each row execute function private.notify_messages();

-- An approval requested: each chosen approver.
create function private.notify_approval_approvers()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
	v_approval public.approvals;
begin
	select * into v_approval from public.approvals a where a.id = new.approval_id;
	if v_approval.status = 'pending' then
		perform private.notify(new.account_id, 'approval_requested', new.approval_id,
			jsonb_build_object('title', v_approval.title, 'due_on', v_approval.due_on),
			array[new.user_id], v_approval.requested_by);
	end if;
	return null;
end;
$$;
revoke all on function private.notify_approval_approvers() from public;
create trigger approval_approvers_notify
after insert on public.approval_approvers
for each row execute function private.notify_approval_approvers();

-- An approval decided: who asked for it and the account's staff.
create function private.notify_approvals()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if new.status in ('approved', 'changes_requested') and old.status = 'pending' then
		perform private.notify(new.account_id, 'approval_decided', new.id,
			jsonb_build_object('title', new.title, 'status', new.status),
			array_append(private.account_audience(new.account_id, array[]::text[], true), new.requested_by));
	end if;
	return null;
end;
$$;
revoke all on function private.notify_approvals() from public;
create trigger approvals_notify
after update of status on public.approvals
for each row execute function private.notify_approvals();

-- A status update once published (drafts tell nobody): the account's readers.
create function private.notify_status_updates()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
	v_project text;
begin
	if new.published_at is not null and (tg_op = 'INSERT' or old.published_at is null) then
		select p.name into v_project from public.projects p where p.id = new.project_id;
		perform private.notify(new.account_id, 'status_update', new.id,
			jsonb_build_object('project_id', new.project_id, 'project_name', v_project),
			private.account_audience(new.account_id, array['owner', 'member', 'viewer'], false),
			new.author_id);
	end if;
	return null;
end;
$$;
revoke all on function private.notify_status_updates() from public;
create trigger status_updates_notify
after insert or update of published_at on public.status_updates
for each row execute function private.notify_status_updates();

-- An invitation accepted: the account's owners and staff (a client), or the admins (staff).
-- The invitee's own email with the link is sent when the invitation is made: its token is
-- never stored, so no outbox could carry it.
create function private.notify_invitations()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if new.accepted_at is not null and old.accepted_at is null then
		perform private.notify(new.account_id, 'invitation', new.id,
			jsonb_build_object('email', new.email, 'role', new.role, 'invitation_kind', new.kind),
			case when new.kind = 'client'
				then private.account_audience(new.account_id, array['owner'], true)
				else (select coalesce(array_agg(s.user_id), '{}') from public.staff_members s where s.role = 'admin')
			end,
			new.accepted_by);
	end if;
	return null;
end;
$$;
revoke all on function private.notify_invitations() from public;
create trigger invitations_notify
after update of accepted_at on public.invitations
for each row execute function private.notify_invitations();

-- ---------------------------------------------------------------------------
-- The bell: each person reads and marks their own
-- ---------------------------------------------------------------------------

alter table public.notifications enable row level security;
revoke all on table public.notifications from anon, authenticated;
grant select on table public.notifications to authenticated;
grant update (read_at) on table public.notifications to authenticated;
revoke all on sequence public.notifications_id_seq from anon, authenticated;

-- Someone who has left an account no longer reads what happened in it.
create policy "notifications: read own, in accounts still visible"
on public.notifications for select to authenticated
using (
	user_id = (select auth.uid())
	and (account_id is null or account_id in (select private.readable_accounts()))
);
create policy "notifications: mark own read"
on public.notifications for update to authenticated
using (
	user_id = (select auth.uid())
	and (account_id is null or account_id in (select private.readable_accounts()))
)
with check (user_id = (select auth.uid()));

-- Marks all of the caller's notifications read (up to p_before: what the page showed).
-- Definer because @supabase/lite refuses an invoker function reading auth.uid() (permission
-- denied for schema auth); it touches the caller's own rows only.
create function public.mark_notifications_read(p_before timestamptz default null)
returns integer
language sql volatile security definer set search_path = ''
as $$
	with marked as (
		update public.notifications n set read_at = now()
		where n.user_id = (select auth.uid()) and n.read_at is null
			and (p_before is null or n.created_at <= p_before)
		returning 1
	)
	select count(*)::integer from marked;
$$;
revoke all on function public.mark_notifications_read(timestamptz) from public, anon;
grant execute on function public.mark_notifications_read(timestamptz) to authenticated;

-- ---------------------------------------------------------------------------
-- One-click unsubscribe (no sign-in: the link's token is the proof)
-- ---------------------------------------------------------------------------

-- The address a token unsubscribes and its current choices, for the confirmation page.
create function public.unsubscribe_preview(p_token uuid)
returns table (email text, kind text, frequency text)
language sql stable security definer set search_path = ''
as $$
	select p.email, k.kind, private.frequency_for(t.user_id, k.kind)
	from private.unsubscribe_tokens t
	join public.profiles p on p.id = t.user_id
	cross join unnest(private.notification_kinds()) as k (kind)
	where t.token = p_token;
$$;

-- Turns one kind (or, with null, every kind) off for the token's owner. Returns false for an
-- unknown token, changing nothing.
create function public.unsubscribe(p_token uuid, p_kind text default null)
returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
	v_user uuid;
begin
	if p_kind is not null and not (p_kind = any (private.notification_kinds())) then
		raise exception 'unknown_kind' using errcode = '22023';
	end if;
	select t.user_id into v_user from private.unsubscribe_tokens t where t.token = p_token;
	if v_user is null then
		return false;
	end if;
	insert into public.notification_preferences (user_id, kind, frequency)
	select v_user, k.kind, 'off'
	from unnest(private.notification_kinds()) as k (kind)
	where p_kind is null or k.kind = p_kind
	on conflict (user_id, kind) do update set frequency = 'off';
	return true;
end;
$$;
revoke all on function public.unsubscribe_preview(uuid) from public;
revoke all on function public.unsubscribe(uuid, text) from public;
grant execute on function public.unsubscribe_preview(uuid) to anon, authenticated;
grant execute on function public.unsubscribe(uuid, text) to anon, authenticated;

-- ---------------------------------------------------------------------------
-- The worker's entry points (service_role only)
-- ---------------------------------------------------------------------------

-- Gathers every digest that is due at p_now into one delivery per person and period.
-- Returns how many deliveries it made.
create function public.worker_plan_digests(p_now timestamptz default now())
returns integer
language plpgsql volatile security definer set search_path = ''
as $$
declare
	v_made integer;
begin
	with due as (
		delete from private.digest_queue q
		where q.due_at <= p_now
		returning q.notification_id, q.user_id, q.frequency
	),
	groups as (
		select d.user_id, d.frequency, gen_random_uuid() as delivery_id
		from due d group by d.user_id, d.frequency
	),
	deliveries as (
		insert into private.email_deliveries (id, user_id, kind)
		select g.delivery_id, g.user_id, g.frequency from groups g
		returning id
	),
	items as (
		insert into private.email_delivery_items (delivery_id, notification_id)
		select g.delivery_id, d.notification_id
		from due d join groups g on g.user_id = d.user_id and g.frequency = d.frequency
	)
	select count(*) into v_made from deliveries;
	return v_made;
end;
$$;

-- Leases up to p_limit due deliveries to one worker (others skip them: SKIP LOCKED), with
-- everything needed to write the emails. A delivery whose lease ran out while 'sending' comes
-- back with in_doubt: its worker stopped between sending and marking, and it may have left.
-- A person who has since turned the kind off, or lost their address, is not written to.
create function public.worker_claim_emails(
	p_worker text,
	p_limit integer default 20,
	p_lease_seconds integer default 120
)
returns table (
	delivery_id uuid,
	kind text,
	attempts integer,
	in_doubt boolean,
	email text,
	display_name text,
	unsubscribe_token uuid,
	items jsonb
)
language plpgsql volatile security definer set search_path = ''
as $$
begin
	if coalesce(btrim(p_worker), '') = '' or p_limit not between 1 and 500
		or p_lease_seconds not between 5 and 3600 then
		raise exception 'bad_worker_arguments' using errcode = '22023';
	end if;

	-- Immediate emails of a kind turned off since, or to a person without an address: dropped.
	update private.email_deliveries d set status = 'cancelled', leased_by = null, lease_until = null
	where d.status = 'pending' and d.next_attempt_at <= now()
		and (
			not exists (select 1 from public.profiles p where p.id = d.user_id and p.email <> '')
			or (d.kind = 'immediate' and not exists (
				select 1 from private.email_delivery_items i
				join public.notifications n on n.id = i.notification_id
				where i.delivery_id = d.id and private.frequency_for(d.user_id, n.kind) <> 'off'
			))
		);

	return query
	with picked as (
		select d.id, d.status = 'sending' as in_doubt
		from private.email_deliveries d
		where (d.status = 'pending' and d.next_attempt_at <= now())
			or (d.status = 'sending' and d.lease_until < now())
		order by d.next_attempt_at
		limit p_limit
		for update skip locked
	),
	leased as (
		update private.email_deliveries d
		set status = 'sending', attempts = d.attempts + 1, leased_by = p_worker,
			lease_until = now() + make_interval(secs => p_lease_seconds)
		from picked
		where d.id = picked.id
		returning d.id, d.user_id, d.kind, d.attempts, picked.in_doubt
	)
	select l.id, l.kind, l.attempts, l.in_doubt, p.email, p.display_name, t.token,
		(
			select coalesce(jsonb_agg(jsonb_build_object(
				'id', n.id,
				'kind', n.kind,
				'account_id', n.account_id,
				'subject_id', n.subject_id,
				'details', n.details,
				'created_at', n.created_at
			) order by n.created_at, n.id), '[]'::jsonb)
			from private.email_delivery_items i
			join public.notifications n on n.id = i.notification_id
			where i.delivery_id = l.id
		)
	from leased l
	join public.profiles p on p.id = l.user_id
	join private.unsubscribe_tokens t on t.user_id = l.user_id;
end;
$$;

-- The SMTP server accepted the delivery: it is sent. False if this worker no longer holds it.
create function public.worker_complete_email(p_delivery_id uuid, p_worker text)
returns boolean
language sql volatile security definer set search_path = ''
as $$
	with done as (
		update private.email_deliveries d
		set status = 'sent', sent_at = now(), leased_by = null, lease_until = null, last_error = null
		where d.id = p_delivery_id and d.status = 'sending' and d.leased_by = p_worker
		returning 1
	)
	select exists (select 1 from done);
$$;

-- The send failed: try again later (30 s, 1 min, 2 min, … up to an hour), or give up after
-- the 8th attempt or on a permanent refusal (a 5xx from the server).
create function public.worker_fail_email(
	p_delivery_id uuid,
	p_worker text,
	p_error text,
	p_permanent boolean default false
)
returns text
language sql volatile security definer set search_path = ''
as $$
	update private.email_deliveries d
	set status = case when p_permanent or d.attempts >= 8 then 'failed' else 'pending' end,
		next_attempt_at = now() + least(interval '1 hour', interval '30 seconds' * power(2, d.attempts - 1)),
		leased_by = null, lease_until = null, last_error = left(p_error, 1000)
	where d.id = p_delivery_id and d.status = 'sending' and d.leased_by = p_worker
	returning d.status;
$$;

-- A worker stopping gives back what it leased and did not send: due again at once, and the
-- attempt not counted.
create function public.worker_release_email(p_delivery_id uuid, p_worker text)
returns boolean
language sql volatile security definer set search_path = ''
as $$
	with released as (
		update private.email_deliveries d
		set status = 'pending', attempts = greatest(d.attempts - 1, 0), next_attempt_at = now(),
			leased_by = null, lease_until = null
		where d.id = p_delivery_id and d.status = 'sending' and d.leased_by = p_worker
		returning 1
	)
	select exists (select 1 from released);
$$;

-- What the worker's queue holds, for its status line and the benchmark.
create function public.worker_queue_stats()
returns table (status text, deliveries bigint, oldest timestamptz)
language sql stable security definer set search_path = ''
as $$
	select d.status, count(*), min(d.created_at) from private.email_deliveries d group by d.status
	union all
	select 'digest_waiting', count(*), min(q.due_at) from private.digest_queue q;
$$;

revoke all on function public.worker_plan_digests(timestamptz) from public, anon, authenticated;
revoke all on function public.worker_claim_emails(text, integer, integer) from public, anon, authenticated;
revoke all on function public.worker_complete_email(uuid, text) from public, anon, authenticated;
revoke all on function public.worker_fail_email(uuid, text, text, boolean) from public, anon, authenticated;
revoke all on function public.worker_queue_stats() from public, anon, authenticated;
revoke all on function public.worker_release_email(uuid, text) from public, anon, authenticated;
grant execute on function public.worker_plan_digests(timestamptz) to service_role;
grant execute on function public.worker_claim_emails(text, integer, integer) to service_role;
grant execute on function public.worker_complete_email(uuid, text) to service_role;
grant execute on function public.worker_fail_email(uuid, text, text, boolean) to service_role;
grant execute on function public.worker_queue_stats() to service_role;
grant execute on function public.worker_release_email(uuid, text) to service_role;
-- The worker wears the business's branding too (the secret key's role had no grant on it).
grant select on table public.branding to service_role;

-- The private tables are the worker's, through the functions above; the API roles get nothing.
revoke all on table private.notification_events, private.email_deliveries,
	private.email_delivery_items, private.digest_queue, private.unsubscribe_tokens
	from public, anon, authenticated;
