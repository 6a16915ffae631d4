-- The staff workspace: branding, approvals requested in one statement and reminded,
-- open-item counts per account, and a preview of the portal as one client member sees it.
--
-- The preview is the part that needs care. A staff member sees more of an account than any
-- client does (internal notes, drafts, the trash's restore, every approval). Showing "what
-- Olivia sees" by filtering in the app would repeat every policy in TypeScript and drift
-- from them. Instead public.preview_portal runs the reads under Olivia's own identity: it
-- is security invoker (RLS stays on, as role authenticated), a definer check first confirms
-- that the caller serves the account and that Olivia belongs to it and records the preview,
-- then the function switches the request's JWT claims to Olivia for the rest of that one
-- transaction, marks the transaction read-only and reads. Every row in the answer passed
-- Olivia's policies; nothing can be written; the switch ends with the transaction.

-- ---------------------------------------------------------------------------
-- Branding: one row, public (the sign-in page shows it), changed by admins only
-- ---------------------------------------------------------------------------

-- WCAG 2 relative luminance of a #rrggbb colour.
create function private.relative_luminance(p_hex text)
returns double precision
language sql immutable strict set search_path = ''
as $$
	select 0.2126 * lin[1] + 0.7152 * lin[2] + 0.0722 * lin[3]
	from (
		select array_agg(
			case when c <= 0.04045 then c / 12.92 else power((c + 0.055) / 1.055, 2.4) end
			order by i) as lin
		from (
			select i, ('x' || substr(p_hex, 2 * i, 2))::bit(8)::integer / 255.0 as c
			from generate_series(1, 3) as i
		) channels
	) l;
$$;

-- Contrast of white text on the colour: buttons print white on the primary colour.
create function private.contrast_with_white(p_hex text)
returns double precision
language sql immutable strict set search_path = ''
as $$
	select 1.05 / (private.relative_luminance(p_hex) + 0.05);
$$;

create table public.branding (
	id boolean primary key default true check (id),
	business_name text not null default 'Client Portal'
		check (char_length(btrim(business_name)) between 1 and 80),
	primary_color text not null default '#1d4ed8'
		constraint branding_primary_color_format check (primary_color ~ '^#[0-9a-f]{6}$')
		-- WCAG AA for normal text: 4.5:1. The app refuses such a colour first, with the
		-- nearest darker shade that passes; this is the guarantee.
		constraint branding_primary_color_contrast check (private.contrast_with_white(primary_color) >= 4.5),
	logo_path text check (logo_path ~ '^logo/[0-9a-f-]{36}$'),
	updated_at timestamptz not null default now(),
	updated_by uuid references auth.users (id) on delete set null default auth.uid()
);
comment on table public.branding is 'The business''s name, logo and primary colour: one row.';
create index branding_updated_by_idx on public.branding (updated_by);
insert into public.branding (id) values (true);

create function private.branding_before_update()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	new.updated_at := now();
	new.updated_by := (select auth.uid());
	return new;
end;
$$;
create trigger branding_before_update
before update on public.branding
for each row execute function private.branding_before_update();

alter table public.branding enable row level security;
-- Only the grants below: the platform's default privileges give anon and authenticated all.
revoke all on table public.branding from anon, authenticated;
grant select on table public.branding to anon, authenticated;
grant update (business_name, primary_color, logo_path) on table public.branding to authenticated;
create policy "branding: anyone reads"
on public.branding for select to anon, authenticated
using (true);
create policy "branding: admins change"
on public.branding for update to authenticated
using ((select private.is_admin()))
with check ((select private.is_admin()));

-- The logo: a small image anyone may read (it is on the sign-in page and in emails), which
-- only admins write. No SVG: an SVG can carry script.
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('branding', 'branding', false, 409600, array['image/png', 'image/jpeg', 'image/webp'])
on conflict (id) do nothing;

create policy "branding bucket: anyone reads"
on storage.objects for select to anon, authenticated
using (bucket_id = 'branding');
create policy "branding bucket: admins upload"
on storage.objects for insert to authenticated
with check (bucket_id = 'branding' and (select private.is_admin()));
create policy "branding bucket: admins delete"
on storage.objects for delete to authenticated
using (bucket_id = 'branding' and (select private.is_admin()));

-- ---------------------------------------------------------------------------
-- Approvals: requested with their approvers in one statement; reminders
-- ---------------------------------------------------------------------------

alter table public.approvals add column last_reminded_at timestamptz;
comment on column public.approvals.last_reminded_at is
	'When staff last reminded the approvers who have not decided; at most once an hour.';
grant update (last_reminded_at) on table public.approvals to authenticated;

-- A reminder is stamped by the database, only on a pending approval, at most once an hour.
create or replace function private.approvals_before_update()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if new.withdrawn_at is not null and old.withdrawn_at is null then
		if old.status <> 'pending' then
			raise exception 'approval_closed' using errcode = 'PT409',
				hint = 'A decided approval cannot be withdrawn.';
		end if;
		new.withdrawn_at := now();
		new.status := 'withdrawn';
	elsif new.withdrawn_at is distinct from old.withdrawn_at then
		new.withdrawn_at := old.withdrawn_at;
	end if;
	if new.last_reminded_at is distinct from old.last_reminded_at then
		if old.status <> 'pending' or new.status <> 'pending' then
			raise exception 'approval_closed' using errcode = 'PT409',
				hint = 'Only a pending approval can be reminded.';
		end if;
		if old.last_reminded_at > now() - interval '1 hour' then
			raise exception 'reminded_recently' using errcode = 'PT409',
				hint = 'The approvers were reminded less than an hour ago.';
		end if;
		new.last_reminded_at := now();
	end if;
	return new;
end;
$$;

create or replace function private.log_approvals()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if tg_op = 'INSERT' then
		perform private.log_activity(new.account_id, 'approval.requested', null,
			jsonb_build_object('approval_id', new.id, 'title', new.title));
	elsif new.status = 'withdrawn' and old.status <> 'withdrawn' then
		perform private.log_activity(new.account_id, 'approval.withdrawn', null,
			jsonb_build_object('approval_id', new.id, 'title', new.title));
	elsif new.last_reminded_at is distinct from old.last_reminded_at then
		perform private.log_activity(new.account_id, 'approval.reminded', null,
			jsonb_build_object('approval_id', new.id, 'title', new.title));
	end if;
	return null;
end;
$$;

-- An approval and its approvers, or nothing: security invoker, so every insert is checked
-- by the approvals and approval_approvers policies as the caller.
create function public.request_approval(
	p_account_id uuid,
	p_document_version_id uuid,
	p_title text,
	p_approver_ids uuid[],
	p_note text default '',
	p_due_on date default null
)
returns uuid
language plpgsql volatile security invoker set search_path = ''
as $$
declare
	v_id uuid := gen_random_uuid();
begin
	if coalesce(cardinality(p_approver_ids), 0) = 0 then
		raise exception 'approvers_required' using errcode = '22023',
			hint = 'Choose at least one person to approve.';
	end if;
	insert into public.approvals (id, account_id, document_version_id, title, note, due_on)
	values (v_id, p_account_id, p_document_version_id, p_title, coalesce(p_note, ''), p_due_on);
	insert into public.approval_approvers (approval_id, account_id, user_id)
	select v_id, p_account_id, a from (select distinct unnest(p_approver_ids) as a) approvers;
	return v_id;
end;
$$;
revoke all on function public.request_approval(uuid, uuid, text, uuid[], text, date) from public, anon;
grant execute on function public.request_approval(uuid, uuid, text, uuid[], text, date) to authenticated;

-- ---------------------------------------------------------------------------
-- File requests: when staff close or cancel one, the database records when
-- ---------------------------------------------------------------------------

create function private.file_requests_before_update()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if new.status is distinct from old.status then
		new.closed_at := case when new.status in ('closed', 'cancelled') then now() end;
	end if;
	return new;
end;
$$;
create trigger file_requests_before_update
before update on public.file_requests
for each row execute function private.file_requests_before_update();

-- ---------------------------------------------------------------------------
-- Open items per account, for the staff clients list
-- ---------------------------------------------------------------------------

-- security_invoker: the counts are taken under the caller's policies, row by row.
create view public.account_open_items
with (security_invoker = true)
as
select
	a.id as account_id,
	(select count(*) from public.file_requests r
		where r.account_id = a.id and r.status = 'open')::integer as open_requests,
	(select count(*) from public.file_requests r
		where r.account_id = a.id and r.status = 'open' and r.due_on < current_date)::integer
		as overdue_requests,
	(select count(*) from public.file_requests r
		where r.account_id = a.id and r.status = 'submitted')::integer as submitted_requests,
	(select count(*) from public.approvals p
		where p.account_id = a.id and p.status = 'pending')::integer as pending_approvals,
	(select max(l.created_at) from public.activity_log l
		where l.account_id = a.id) as last_activity_at
from public.client_accounts a;
comment on view public.account_open_items is
	'Per account: open and overdue file requests, submitted ones to review, pending approvals.';
revoke all on table public.account_open_items from public, anon, authenticated;
grant select on table public.account_open_items to authenticated;

-- The counts use file_requests_account_id_status_idx, approvals_account_id_status_idx and
-- the activity log's (account_id, created_at) index, all from earlier migrations.

-- ---------------------------------------------------------------------------
-- Preview as a client member (see the top of this file)
-- ---------------------------------------------------------------------------

-- Checks, as the real caller, that a preview is allowed, and records it. Definer so that it
-- can write the activity log; it reads the caller from auth.uid() before any switch.
create function private.begin_preview(p_account_id uuid, p_member_id uuid)
returns text
language plpgsql volatile security definer set search_path = ''
as $$
declare
	v_role text;
begin
	if not (p_account_id in (select private.staff_accounts())) then
		raise exception 'preview_not_allowed' using errcode = '42501',
			hint = 'Only staff who serve this account can preview it.';
	end if;
	select m.role into v_role from public.account_members m
	where m.account_id = p_account_id and m.user_id = p_member_id;
	if v_role is null then
		raise exception 'not_a_member' using errcode = '22023',
			hint = 'That person is not a member of this account.';
	end if;
	perform private.log_activity(p_account_id, 'account.previewed', p_member_id, '{}'::jsonb);
	return v_role;
end;
$$;
revoke all on function private.begin_preview(uuid, uuid) from public;
grant execute on function private.begin_preview(uuid, uuid) to authenticated;

create function public.preview_portal(p_account_id uuid, p_member_id uuid)
returns jsonb
language plpgsql volatile security invoker set search_path = ''
as $$
declare
	v_role text := private.begin_preview(p_account_id, p_member_id);
	v_result jsonb;
begin
	-- From here on this transaction is the member's: auth.uid() and auth.jwt() name them,
	-- and every policy and helper answers for them. Both settings are local to the
	-- transaction, which is also made read-only.
	perform set_config('request.jwt.claim.sub', p_member_id::text, true);
	perform set_config('request.jwt.claim.role', 'authenticated', true);
	perform set_config('request.jwt.claims',
		jsonb_build_object('sub', p_member_id, 'role', 'authenticated', 'preview', true)::text, true);
	perform set_config('transaction_read_only', 'on', true);

	select jsonb_build_object(
		'role', v_role,
		'account', (select to_jsonb(a) from (
			select c.id, c.name, c.status from public.client_accounts c where c.id = p_account_id) a),
		'folders', coalesce((select jsonb_agg(f order by f.name) from (
			select id, parent_id, name from public.folders where account_id = p_account_id) f), '[]'),
		'documents', coalesce((select jsonb_agg(d order by d.created_at desc) from (
			select id, folder_id, name, size_bytes, mime_type, created_at, updated_at
			from public.documents
			where account_id = p_account_id and deleted_at is null
			order by created_at desc limit 50) d), '[]'),
		'document_count', (select count(*) from public.documents
			where account_id = p_account_id and deleted_at is null),
		'requests', coalesce((select jsonb_agg(r order by r.created_at desc) from (
			select id, title, status, due_on, created_at from public.file_requests
			where account_id = p_account_id order by created_at desc limit 50) r), '[]'),
		'threads', coalesce((select jsonb_agg(t order by t.last_message_at desc) from (
			select id, subject, last_message_at, message_count, unread_count
			from public.thread_summaries(p_account_id)) t), '[]'),
		'projects', coalesce((select jsonb_agg(p order by p.created_at desc) from (
			select pr.id, pr.name, pr.status, pr.created_at,
				(select count(*) from public.milestones m where m.project_id = pr.id) as milestones,
				(select count(*) from public.milestones m
					where m.project_id = pr.id and m.state = 'done') as milestones_done
			from public.projects pr where pr.account_id = p_account_id) p), '[]'),
		'status_updates', coalesce((select jsonb_agg(s order by s.published_at desc) from (
			select id, project_id, body, published_at from public.status_updates
			where account_id = p_account_id
			order by published_at desc nulls first limit 10) s), '[]'),
		'approvals', coalesce((select jsonb_agg(ap order by ap.created_at desc) from (
			select a.id, a.title, a.status, a.due_on, a.created_at,
				exists (
					select 1 from public.approval_approvers aa
					where aa.approval_id = a.id and aa.user_id = p_member_id
						and a.status = 'pending'
						and not exists (select 1 from public.approval_responses r
							where r.approval_id = a.id and r.approver_id = p_member_id)
				) as waiting_for_member
			from public.approvals a where a.account_id = p_account_id
			order by a.created_at desc limit 50) ap), '[]'),
		'activity_count', (select count(*) from public.activity_log where account_id = p_account_id)
	) into v_result;
	return v_result;
end;
$$;
revoke all on function public.preview_portal(uuid, uuid) from public, anon;
grant execute on function public.preview_portal(uuid, uuid) to authenticated;
