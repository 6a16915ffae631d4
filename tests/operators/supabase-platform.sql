-- Makes a bare PostgreSQL 15 cluster look like a fresh hosted Supabase database, as far as
-- our migrations and seed can tell: the platform roles, the `extensions`, `auth` and `storage`
-- schemas with the tables, functions, owners, grants and row-level security that Supabase's own
-- services create, the default privileges on `public`, the `supabase_realtime` publication and,
-- last, the demotion of `postgres` to the non-superuser role operators connect as.
--
-- Modelled on (written here, not copied):
--   supabase/postgres  migrations/db/init-scripts/0000000000000{0,1,2,3}-*.sql and
--                      migrations/db/migrations/{10000000000000_demote-postgres, 20211115181400_
--                      update-auth-permissions, 20230529180330_alter_api_roles_for_inherit,
--                      20240319072844_lock_down_…, 20250421084701_revoke_admin_roles_from_postgres,
--                      20250623125453_…storage_tables_to_postgres…, 20250709135250_…}.sql
--   supabase/auth      migrations/* (auth.users / auth.identities columns and indexes, the RLS
--                      and grants of 20240612123726, auth.jwt() of 20220531120530); function
--                      bodies as pg_dump shows them on hosted projects
--   supabase/storage   migrations/tenant/* (buckets / objects columns, 0036 helper functions,
--                      0050 protect_delete triggers)
--
-- Not modelled: GoTrue's other tables (sessions, mfa_*, …), the storage API's other tables and
-- search functions, realtime, pg_graphql, pgsodium/vault, pg_net, event triggers, and the
-- `supautils` extension. On hosted projects supautils lets the non-superuser `postgres` manage
-- policies and drop triggers on auth/storage tables it does not own (supautils.policy_grants,
-- supautils.drop_trigger_grants). Here `postgres` is made a member of supabase_storage_admin
-- instead, so policies on storage.objects / storage.buckets work (that also allows a little
-- more than hosted: ALTER TABLE on storage tables, CREATE in the storage schema). It is NOT made
-- a member of supabase_auth_admin, so creating objects in `auth` fails here as it does on hosted;
-- the price: DROP TRIGGER / CREATE POLICY on auth.users fail here although hosted allows them.
--
-- The CLI's own history (supabase_migrations.schema_migrations, and seed_files for `db reset`)
-- is NOT created here: `supabase migration up` / `db push` / `db reset` create it themselves.
--
-- Run once on a new cluster, as the bootstrap superuser `postgres`:
--   psql "postgresql://postgres@127.0.0.1:PORT/postgres" -v ON_ERROR_STOP=1 -f tests/operators/supabase-platform.sql
-- Afterwards `postgres` is no longer a superuser (like on hosted projects); use
-- postgresql://supabase_admin@127.0.0.1:PORT/postgres for superuser work. To keep `postgres` a
-- superuser, add `-v keep_postgres_superuser=1`.

\set ON_ERROR_STOP on
set client_min_messages = warning;

select
	(select rolsuper from pg_roles where rolname = current_user) as is_superuser,
	to_regnamespace('auth') is not null as already_bootstrapped
\gset
\if :already_bootstrapped
	\echo 'supabase-platform.sql: the auth schema already exists; nothing to do'
	\quit
\endif
\if :is_superuser
\else
	\echo 'supabase-platform.sql: must run as a superuser (the cluster''s bootstrap user postgres)'
	select 1 / 0 as must_run_as_superuser;
\endif

begin;

-- ---------------------------------------------------------------------------
-- Roles
-- ---------------------------------------------------------------------------

create role supabase_admin login superuser createdb createrole replication bypassrls;
alter role supabase_admin set search_path to "$user", public, auth, extensions;

-- The Data API roles. Created NOINHERIT by the init script, switched to INHERIT since 2023.
create role anon nologin inherit;
create role authenticated nologin inherit;
create role service_role nologin inherit bypassrls;
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';

-- PostgREST logs in as authenticator and switches to the role named in the JWT.
create role authenticator login noinherit;
grant anon, authenticated, service_role to authenticator;
alter role authenticator set statement_timeout = '8s';

-- Owners of the auth (GoTrue) and storage API schemas.
create role supabase_auth_admin login noinherit noreplication;
alter role supabase_auth_admin set search_path = auth;
create role supabase_storage_admin login noinherit createrole noreplication;
alter role supabase_storage_admin set search_path = storage;

create role dashboard_user nosuperuser createdb createrole replication;
create role supabase_replication_admin login replication;
create role supabase_read_only_user login bypassrls;
grant pg_read_all_data to supabase_read_only_user;

-- `postgres` can impersonate the API roles (SQL editor's "run as", RLS tests).
grant anon, authenticated, service_role to postgres;
alter role postgres set search_path to "$user", public, extensions;

grant all on database postgres to dashboard_user;
grant create on database postgres to supabase_auth_admin, supabase_storage_admin;

-- ---------------------------------------------------------------------------
-- Extensions
-- ---------------------------------------------------------------------------

create schema extensions;
create extension "uuid-ossp" with schema extensions;
create extension pgcrypto with schema extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
grant all on schema extensions to dashboard_user;
grant all on all tables in schema extensions to dashboard_user;
grant all on all sequences in schema extensions to dashboard_user;
grant all on all routines in schema extensions to dashboard_user;

-- ---------------------------------------------------------------------------
-- public: everything postgres (or supabase_admin) creates is granted to the API roles.
-- This is why a migration must revoke what a table should not expose.
-- ---------------------------------------------------------------------------

grant usage on schema public to postgres, anon, authenticated, service_role;

alter default privileges for role postgres in schema public
	grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public
	grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public
	grant all on sequences to postgres, anon, authenticated, service_role;

alter default privileges for role supabase_admin in schema public
	grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public
	grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public
	grant all on sequences to postgres, anon, authenticated, service_role;

-- Realtime streams what is added to this publication (empty at first).
-- (client_min_messages: a wal_level below `logical` only earns a warning here.)
set local client_min_messages = error;
create publication supabase_realtime;
set local client_min_messages = warning;
alter publication supabase_realtime owner to postgres;

-- ---------------------------------------------------------------------------
-- auth: the tables GoTrue owns that projects read, reference and seed.
-- ---------------------------------------------------------------------------

create schema auth authorization supabase_admin;
grant usage on schema auth to anon, authenticated, service_role;
grant all on schema auth to supabase_auth_admin;
grant all on schema auth to dashboard_user;
grant usage on schema auth to postgres;

set role supabase_auth_admin;

create table auth.users (
	instance_id uuid,
	id uuid not null,
	aud varchar(255),
	role varchar(255),
	email varchar(255),
	encrypted_password varchar(255),
	email_confirmed_at timestamptz,
	invited_at timestamptz,
	confirmation_token varchar(255),
	confirmation_sent_at timestamptz,
	recovery_token varchar(255),
	recovery_sent_at timestamptz,
	email_change_token_new varchar(255),
	email_change varchar(255),
	email_change_sent_at timestamptz,
	last_sign_in_at timestamptz,
	raw_app_meta_data jsonb,
	raw_user_meta_data jsonb,
	is_super_admin boolean,
	created_at timestamptz,
	updated_at timestamptz,
	phone text default null::varchar,
	phone_confirmed_at timestamptz,
	phone_change text default ''::varchar,
	phone_change_token varchar(255) default ''::varchar,
	phone_change_sent_at timestamptz,
	confirmed_at timestamptz generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
	email_change_token_current varchar(255) default ''::varchar,
	email_change_confirm_status smallint default 0,
	banned_until timestamptz,
	reauthentication_token varchar(255) default ''::varchar,
	reauthentication_sent_at timestamptz,
	is_sso_user boolean not null default false,
	deleted_at timestamptz,
	is_anonymous boolean not null default false,
	constraint users_pkey primary key (id),
	constraint users_phone_key unique (phone),
	constraint users_email_change_confirm_status_check
		check (email_change_confirm_status >= 0 and email_change_confirm_status <= 2)
);
comment on table auth.users is 'Auth: Stores user login data within a secure schema.';
comment on column auth.users.is_sso_user is 'Auth: Set this column to true when the account comes from SSO. These accounts can have duplicate emails.';
create unique index users_email_partial_key on auth.users (email) where is_sso_user = false;
create unique index confirmation_token_idx on auth.users (confirmation_token) where confirmation_token !~ '^[0-9 ]*$';
create unique index recovery_token_idx on auth.users (recovery_token) where recovery_token !~ '^[0-9 ]*$';
create unique index email_change_token_current_idx on auth.users (email_change_token_current) where email_change_token_current !~ '^[0-9 ]*$';
create unique index email_change_token_new_idx on auth.users (email_change_token_new) where email_change_token_new !~ '^[0-9 ]*$';
create unique index reauthentication_token_idx on auth.users (reauthentication_token) where reauthentication_token !~ '^[0-9 ]*$';
create index users_instance_id_idx on auth.users (instance_id);
create index users_instance_id_email_idx on auth.users (instance_id, lower(email));
create index users_is_anonymous_idx on auth.users (is_anonymous);

create table auth.identities (
	provider_id text not null,
	user_id uuid not null,
	identity_data jsonb not null,
	provider text not null,
	last_sign_in_at timestamptz,
	created_at timestamptz,
	updated_at timestamptz,
	email text generated always as (lower(identity_data ->> 'email')) stored,
	id uuid not null default gen_random_uuid(),
	constraint identities_pkey primary key (id),
	constraint identities_provider_id_provider_unique unique (provider_id, provider),
	constraint identities_user_id_fkey foreign key (user_id) references auth.users (id) on delete cascade
);
comment on table auth.identities is 'Auth: Stores identities associated to a user.';
comment on column auth.identities.email is 'Auth: Email is a generated column that references the optional email property in the identity_data';
create index identities_user_id_idx on auth.identities (user_id);
create index identities_email_idx on auth.identities (email text_pattern_ops);

alter table auth.users enable row level security;
alter table auth.identities enable row level security;

-- The JWT helpers as hosted projects have them: PostgREST sets `request.jwt.claims` (a JSON
-- object; older versions set one `request.jwt.claim.<name>` per claim).
create function auth.uid() returns uuid
language sql stable
as $$
  select
  coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;
comment on function auth.uid() is 'Deprecated. Use auth.jwt() -> ''sub'' instead.';

create function auth.role() returns text
language sql stable
as $$
  select
  coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;
comment on function auth.role() is 'Deprecated. Use auth.jwt() -> ''role'' instead.';

create function auth.email() returns text
language sql stable
as $$
  select
  coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;
comment on function auth.email() is 'Deprecated. Use auth.jwt() -> ''email'' instead.';

create function auth.jwt() returns jsonb
language sql stable
as $$
  select
    coalesce(
        nullif(current_setting('request.jwt.claim', true), ''),
        nullif(current_setting('request.jwt.claims', true), '')
    )::jsonb
$$;

reset role;

-- postgres: full rights on the auth tables (it may read, seed, reference and add triggers),
-- but no CREATE on the schema.
grant all on all tables in schema auth to postgres, dashboard_user;
grant all on all sequences in schema auth to postgres, dashboard_user;
grant all on all routines in schema auth to postgres, dashboard_user;
grant select on all tables in schema auth to postgres with grant option;

-- ---------------------------------------------------------------------------
-- storage: the tables of the storage API that policies are written against.
-- ---------------------------------------------------------------------------

create schema storage authorization supabase_admin;
grant usage on schema storage to postgres with grant option;
grant usage on schema storage to anon, authenticated, service_role;
grant all on schema storage to supabase_storage_admin with grant option;
grant all on schema storage to dashboard_user;
alter default privileges for role supabase_storage_admin in schema storage
	grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_storage_admin in schema storage
	grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_storage_admin in schema storage
	grant all on sequences to postgres, anon, authenticated, service_role;

set role supabase_storage_admin;

create type storage.buckettype as enum ('STANDARD', 'ANALYTICS', 'VECTOR');

create table storage.migrations (
	id integer primary key,
	name varchar(100) not null unique,
	hash varchar(40) not null,
	executed_at timestamp default current_timestamp
);

create table storage.buckets (
	id text not null,
	name text not null,
	owner uuid,
	created_at timestamptz default now(),
	updated_at timestamptz default now(),
	public boolean default false,
	avif_autodetection boolean default false,
	file_size_limit bigint,
	allowed_mime_types text[],
	owner_id text,
	type storage.buckettype not null default 'STANDARD',
	constraint buckets_pkey primary key (id)
);
comment on column storage.buckets.owner is 'Field is deprecated, use owner_id instead';
create unique index bname on storage.buckets using btree (name);

create table storage.objects (
	id uuid not null default gen_random_uuid(),
	bucket_id text,
	name text,
	owner uuid,
	created_at timestamptz default now(),
	updated_at timestamptz default now(),
	last_accessed_at timestamptz default now(),
	metadata jsonb,
	path_tokens text[] generated always as (string_to_array(name, '/')) stored,
	version text,
	owner_id text,
	user_metadata jsonb,
	constraint objects_pkey primary key (id),
	constraint "objects_bucketId_fkey" foreign key (bucket_id) references storage.buckets (id)
);
comment on column storage.objects.owner is 'Field is deprecated, use owner_id instead';
create unique index bucketid_objname on storage.objects using btree (bucket_id, name);
create index idx_objects_bucket_id_name on storage.objects (bucket_id, name collate "C");
create index name_prefix_search on storage.objects (name text_pattern_ops);

create function storage.foldername(name text) returns text[]
language plpgsql immutable
as $function$
declare
	_parts text[];
begin
	select string_to_array(name, '/') into _parts;
	return _parts[1 : array_length(_parts, 1) - 1];
end
$function$;

create function storage.filename(name text) returns text
language plpgsql immutable
as $function$
declare
	_parts text[];
begin
	select string_to_array(name, '/') into _parts;
	return _parts[array_length(_parts, 1)];
end
$function$;

create function storage.extension(name text) returns text
language plpgsql immutable
as $function$
declare
	_parts text[];
	_filename text;
begin
	select string_to_array(name, '/') into _parts;
	select _parts[array_length(_parts, 1)] into _filename;
	return reverse(split_part(reverse(_filename), '.', 1));
end
$function$;

create function storage.update_updated_at_column() returns trigger
language plpgsql
as $$
begin
	new.updated_at = now();
	return new;
end;
$$;
create trigger update_objects_updated_at before update on storage.objects
	for each row execute function storage.update_updated_at_column();

-- Files are deleted through the Storage API, which sets storage.allow_delete_query; a plain
-- DELETE on these tables fails on hosted projects.
create function storage.protect_delete() returns trigger
language plpgsql
as $$
begin
	if coalesce(current_setting('storage.allow_delete_query', true), 'false') != 'true' then
		raise exception 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
			using hint = 'This prevents accidental data loss from orphaned objects.',
				errcode = '42501';
	end if;
	return null;
end;
$$;
create trigger protect_buckets_delete before delete on storage.buckets
	for each statement execute function storage.protect_delete();
create trigger protect_objects_delete before delete on storage.objects
	for each statement execute function storage.protect_delete();

alter table storage.migrations enable row level security;
alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;

reset role;

grant all on storage.buckets, storage.objects to postgres with grant option;
grant all on all sequences in schema storage to dashboard_user;
grant all on all routines in schema storage to dashboard_user;
revoke all on storage.migrations from anon, authenticated, service_role, postgres;

-- ---------------------------------------------------------------------------
-- Stand-in for supautils' policy_grants / drop_trigger_grants (see the header).
-- ---------------------------------------------------------------------------

grant supabase_storage_admin to postgres;

commit;

-- ---------------------------------------------------------------------------
-- Last: `postgres` loses superuser, keeping the attributes it has on hosted projects.
-- (PostgreSQL 16+ refuses to demote the bootstrap superuser; there it stays a superuser.)
-- ---------------------------------------------------------------------------

\if :{?keep_postgres_superuser}
	\echo 'supabase-platform.sql: postgres stays a superuser (keep_postgres_superuser set)'
\else
	select current_setting('server_version_num')::int >= 160000
		and (select oid from pg_roles where rolname = 'postgres') = 10 as cannot_demote
	\gset
	\if :cannot_demote
		\echo 'supabase-platform.sql: PostgreSQL 16+ cannot demote the bootstrap superuser; postgres stays a superuser'
	\else
		alter role postgres nosuperuser createdb createrole login replication bypassrls;
	\endif
\endif
