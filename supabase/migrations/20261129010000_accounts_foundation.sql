-- Accounts foundation: who is who (profiles, staff, client accounts, memberships,
-- staff assignments), client documents and the private documents bucket.
--
-- Conventions (DESIGN.md, Supabase's RLS performance guide):
--   * every table in `public` has RLS on; default grants are revoked and given back
--     per role, column by column where writes are allowed;
--   * helpers live in `private` (not exposed through the API), are security definer
--     with an empty search_path, and return sets so policies read
--     `account_id in (select private.…())` instead of calling a function per row;
--   * `auth.uid()` is always wrapped as `(select auth.uid())`;
--   * every column a policy filters on is indexed.

create schema if not exists extensions;
create extension if not exists pgcrypto with schema extensions;

create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated;

-- ---------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------

create table public.profiles (
	id uuid primary key references auth.users (id) on delete cascade,
	display_name text not null default '' check (char_length(display_name) <= 120),
	created_at timestamptz not null default now()
);
comment on table public.profiles is 'One row per auth user: what other people see of them.';

create table public.staff_members (
	user_id uuid primary key references auth.users (id) on delete cascade,
	role text not null check (role in ('admin', 'staff')),
	created_at timestamptz not null default now()
);
comment on table public.staff_members is 'The business''s own people. Admins see every account; staff only those assigned to them.';

create table public.client_accounts (
	id uuid primary key default gen_random_uuid(),
	name text not null check (char_length(btrim(name)) between 1 and 200),
	status text not null default 'active' check (status in ('active', 'archived')),
	created_at timestamptz not null default now()
);
comment on table public.client_accounts is 'The business''s customers (a company or a household).';

create table public.account_members (
	account_id uuid not null references public.client_accounts (id) on delete cascade,
	user_id uuid not null references auth.users (id) on delete cascade,
	role text not null check (role in ('owner', 'member', 'billing', 'viewer')),
	created_at timestamptz not null default now(),
	primary key (account_id, user_id)
);
create index account_members_user_id_idx on public.account_members (user_id);
comment on table public.account_members is 'Client users in an account. billing = finances only, viewer = read-only.';

create table public.staff_assignments (
	account_id uuid not null references public.client_accounts (id) on delete cascade,
	staff_user_id uuid not null references public.staff_members (user_id) on delete cascade,
	created_at timestamptz not null default now(),
	primary key (account_id, staff_user_id)
);
create index staff_assignments_staff_user_id_idx on public.staff_assignments (staff_user_id);

create table public.documents (
	id uuid primary key default gen_random_uuid(),
	account_id uuid not null references public.client_accounts (id) on delete cascade,
	name text not null check (char_length(btrim(name)) between 1 and 255),
	storage_path text not null unique,
	size_bytes bigint not null check (size_bytes >= 0),
	mime_type text not null,
	uploaded_by uuid references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	-- A row may only point at a file stored under its own account's folder: no empty,
	-- '.' or '..' segment may lead it anywhere else.
	constraint documents_path_in_account check (
		storage_path like account_id::text || '/%'
		and storage_path !~ '(^|/)\.{0,2}(/|$)'
	)
);
create index documents_account_id_created_at_idx on public.documents (account_id, created_at desc);
create index documents_uploaded_by_idx on public.documents (uploaded_by);

-- ---------------------------------------------------------------------------
-- Helpers (private schema, security definer, fixed empty search_path)
-- ---------------------------------------------------------------------------

create function private.is_staff()
returns boolean
language sql stable security definer set search_path = ''
as $$
	select exists (select 1 from public.staff_members where user_id = (select auth.uid()));
$$;

create function private.is_admin()
returns boolean
language sql stable security definer set search_path = ''
as $$
	select exists (
		select 1 from public.staff_members where user_id = (select auth.uid()) and role = 'admin'
	);
$$;

-- Accounts the current user belongs to as a client, limited to the given roles.
create function private.member_accounts(roles text[] default array['owner', 'member', 'billing', 'viewer'])
returns setof uuid
language sql stable security definer set search_path = ''
as $$
	select account_id from public.account_members
	where user_id = (select auth.uid()) and role = any (roles);
$$;

-- Accounts the current user serves as staff: all of them for admins, assigned ones otherwise.
create function private.staff_accounts()
returns setof uuid
language sql stable security definer set search_path = ''
as $$
	select a.id from public.client_accounts a
	where exists (
		select 1 from public.staff_members s
		where s.user_id = (select auth.uid()) and s.role = 'admin'
	)
	union
	select sa.account_id from public.staff_assignments sa
	where sa.staff_user_id = (select auth.uid());
$$;

-- Every account the current user may see at all, as client or staff.
create function private.visible_accounts()
returns setof uuid
language sql stable security definer set search_path = ''
as $$
	select private.member_accounts() union select private.staff_accounts();
$$;

-- The account id an object path starts with, or null when the first folder is not a
-- uuid or any segment is empty, '.' or '..' (which could lead into another account's
-- folder wherever keys get normalised): such paths are refused by the policies instead
-- of failing with a cast error.
create function private.account_id_from_path(object_name text)
returns uuid
language sql immutable security definer set search_path = ''
as $$
	select case
		when split_part(object_name, '/', 1) ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
			and object_name !~ '(^|/)\.{0,2}(/|$)'
		then split_part(object_name, '/', 1)::uuid
	end;
$$;

revoke all on function private.is_staff() from public;
revoke all on function private.is_admin() from public;
revoke all on function private.member_accounts(text[]) from public;
revoke all on function private.staff_accounts() from public;
revoke all on function private.visible_accounts() from public;
revoke all on function private.account_id_from_path(text) from public;
grant execute on function private.is_staff() to authenticated;
grant execute on function private.is_admin() to authenticated;
grant execute on function private.member_accounts(text[]) to authenticated;
grant execute on function private.staff_accounts() to authenticated;
grant execute on function private.visible_accounts() to authenticated;
grant execute on function private.account_id_from_path(text) to authenticated;

-- A profile for every new auth user.
create function private.create_profile_for_new_user()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	insert into public.profiles (id, display_name)
	values (new.id, coalesce(left(new.raw_user_meta_data ->> 'display_name', 120), ''))
	on conflict (id) do nothing;
	return new;
end;
$$;
revoke all on function private.create_profile_for_new_user() from public;

create trigger on_auth_user_created
after insert on auth.users
for each row execute function private.create_profile_for_new_user();

-- ---------------------------------------------------------------------------
-- Row-level security and grants
-- ---------------------------------------------------------------------------

alter table public.profiles enable row level security;
alter table public.staff_members enable row level security;
alter table public.client_accounts enable row level security;
alter table public.account_members enable row level security;
alter table public.staff_assignments enable row level security;
alter table public.documents enable row level security;

revoke all on table public.profiles, public.staff_members, public.client_accounts,
	public.account_members, public.staff_assignments, public.documents
	from anon, authenticated;
-- The service role (server-side tooling only, e.g. seeding demo files) keeps full access,
-- as it has on hosted Supabase through default privileges.
grant all on table public.profiles, public.staff_members, public.client_accounts,
	public.account_members, public.staff_assignments, public.documents
	to service_role;

-- profiles: yourself, the people who share an account with you, and (for staff) everyone.
grant select on table public.profiles to authenticated;
grant update (display_name) on table public.profiles to authenticated;
create policy "profiles: read self, co-members, or as staff"
on public.profiles for select to authenticated
using (
	id = (select auth.uid())
	or (select private.is_staff())
	or id in (
		select m.user_id from public.account_members m
		where m.account_id in (select private.member_accounts())
	)
);
create policy "profiles: edit own"
on public.profiles for update to authenticated
using (id = (select auth.uid()))
with check (id = (select auth.uid()));

-- staff_members: staff see the team; a client sees no staff roster.
grant select on table public.staff_members to authenticated;
create policy "staff_members: read self or as staff"
on public.staff_members for select to authenticated
using (user_id = (select auth.uid()) or (select private.is_staff()));

-- client_accounts: members and serving staff read; admins create and edit.
grant select, insert on table public.client_accounts to authenticated;
grant update (name, status) on table public.client_accounts to authenticated;
create policy "client_accounts: read visible"
on public.client_accounts for select to authenticated
using (id in (select private.visible_accounts()));
create policy "client_accounts: admins create"
on public.client_accounts for insert to authenticated
with check ((select private.is_admin()));
create policy "client_accounts: serving staff edit"
on public.client_accounts for update to authenticated
using (id in (select private.staff_accounts()))
with check (id in (select private.staff_accounts()));

-- account_members: everyone who can see an account sees who is in it.
grant select on table public.account_members to authenticated;
create policy "account_members: read visible accounts"
on public.account_members for select to authenticated
using (account_id in (select private.visible_accounts()));

-- staff_assignments: a staff member sees their own; admins see all.
grant select on table public.staff_assignments to authenticated;
create policy "staff_assignments: read own or as admin"
on public.staff_assignments for select to authenticated
using (staff_user_id = (select auth.uid()) or (select private.is_admin()));

-- documents: billing users handle finances only, so they see no documents.
grant select, insert, delete on table public.documents to authenticated;
grant update (name) on table public.documents to authenticated;
create policy "documents: read as member or serving staff"
on public.documents for select to authenticated
using (
	account_id in (select private.member_accounts(array['owner', 'member', 'viewer']))
	or account_id in (select private.staff_accounts())
);
create policy "documents: upload as owner, member or serving staff"
on public.documents for insert to authenticated
with check (
	uploaded_by = (select auth.uid())
	and (
		account_id in (select private.member_accounts(array['owner', 'member']))
		or account_id in (select private.staff_accounts())
	)
);
create policy "documents: rename as owner, member or serving staff"
on public.documents for update to authenticated
using (
	account_id in (select private.member_accounts(array['owner', 'member']))
	or account_id in (select private.staff_accounts())
)
with check (
	account_id in (select private.member_accounts(array['owner', 'member']))
	or account_id in (select private.staff_accounts())
);
create policy "documents: delete as serving staff"
on public.documents for delete to authenticated
using (account_id in (select private.staff_accounts()));

-- ---------------------------------------------------------------------------
-- Storage: the private documents bucket. Object names are
-- '<account id>/<document id>/<file name>'; the same helpers decide access.
-- ---------------------------------------------------------------------------

insert into storage.buckets (id, name, public, file_size_limit)
values ('documents', 'documents', false, 52428800)
on conflict (id) do nothing;

create policy "documents bucket: read as member or serving staff"
on storage.objects for select to authenticated
using (
	bucket_id = 'documents'
	and (
		private.account_id_from_path(name) in (select private.member_accounts(array['owner', 'member', 'viewer']))
		or private.account_id_from_path(name) in (select private.staff_accounts())
	)
);
create policy "documents bucket: upload as owner, member or serving staff"
on storage.objects for insert to authenticated
with check (
	bucket_id = 'documents'
	and (
		private.account_id_from_path(name) in (select private.member_accounts(array['owner', 'member']))
		or private.account_id_from_path(name) in (select private.staff_accounts())
	)
);
create policy "documents bucket: delete as serving staff"
on storage.objects for delete to authenticated
using (
	bucket_id = 'documents'
	and private.account_id_from_path(name) in (select private.staff_accounts())
);
