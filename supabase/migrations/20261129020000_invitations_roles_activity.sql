-- Invitations (staff → client users, owners → colleagues, admins → staff), role changes
-- and removals with last-owner / last-admin protection, staff management by admins, and
-- an append-only activity log written by triggers.
--
-- How invitations stay safe:
--   * the token is 32 random bytes made here, returned once to the inviter's request and
--     stored only as its SHA-256; nobody can read even the hash through the API;
--   * every change to an invitation goes through a reviewed entry point below (security
--     definer, fixed empty search_path), which checks the caller with the same private
--     helpers the policies use; the table itself takes no writes from the API;
--   * accepting needs a signed-in user whose confirmed email is the invited address; the
--     invitation row is locked, so two concurrent accepts cannot both succeed.
--
-- Errors: the message is a stable code the app maps to words (the hint is a sentence for
-- people). SQLSTATEs are chosen so that PostgREST, and @supabase/lite locally, answer with
-- the same 4xx: 42501 → 401/403, 22023 → 400, 23505 → 409, PTnnn → nnn (PT404, PT409).

-- ---------------------------------------------------------------------------
-- Invitations
-- ---------------------------------------------------------------------------

create table public.invitations (
	id uuid primary key default gen_random_uuid(),
	kind text not null check (kind in ('client', 'staff')),
	account_id uuid references public.client_accounts (id) on delete cascade,
	email text not null check (
		email = lower(btrim(email))
		and char_length(email) between 3 and 320
		and email ~ '^[^@[:space:]]+@[^@[:space:]]+$'
	),
	role text not null,
	token_hash bytea not null unique check (octet_length(token_hash) = 32),
	invited_by uuid references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	expires_at timestamptz not null,
	accepted_at timestamptz,
	accepted_by uuid references auth.users (id) on delete set null,
	revoked_at timestamptz,
	revoked_by uuid references auth.users (id) on delete set null,
	constraint invitations_kind_shape check (
		(kind = 'client' and account_id is not null and role in ('owner', 'member', 'billing', 'viewer'))
		or (kind = 'staff' and account_id is null and role in ('admin', 'staff'))
	),
	constraint invitations_one_outcome check (accepted_at is null or revoked_at is null)
);
comment on table public.invitations is
	'Open, accepted and revoked invitations. Written only through the invitation functions.';
create index invitations_account_id_idx on public.invitations (account_id);
create index invitations_kind_account_id_idx on public.invitations (kind, account_id);
create index invitations_invited_by_idx on public.invitations (invited_by);
create index invitations_accepted_by_idx on public.invitations (accepted_by);
create index invitations_revoked_by_idx on public.invitations (revoked_by);
-- At most one open invitation per person and account (or per person for staff):
-- inviting again replaces the earlier one.
create unique index invitations_one_open_per_target_idx
	on public.invitations (kind, coalesce(account_id, '00000000-0000-0000-0000-000000000000'::uuid), email)
	where accepted_at is null and revoked_at is null;

-- ---------------------------------------------------------------------------
-- Activity log: append-only, one row per change, written by the triggers below.
-- account_id is null for workspace events (the staff team). No foreign keys: the
-- history outlives the accounts and people it mentions.
-- ---------------------------------------------------------------------------

create table public.activity_log (
	id bigint generated always as identity primary key,
	account_id uuid,
	actor_id uuid,
	action text not null check (action ~ '^[a-z_]+\.[a-z_]+$'),
	subject_user_id uuid,
	details jsonb not null default '{}'::jsonb,
	created_at timestamptz not null default now()
);
comment on table public.activity_log is
	'What happened, who did it (actor_id null = an operator or the system) and to whom. Append-only.';
create index activity_log_account_id_created_at_idx on public.activity_log (account_id, created_at desc);
create index activity_log_workspace_created_at_idx on public.activity_log (created_at desc)
	where account_id is null;
create index activity_log_actor_id_idx on public.activity_log (actor_id);
create index activity_log_action_idx on public.activity_log (action);
create index activity_log_subject_user_id_idx on public.activity_log (subject_user_id);

create function private.refuse_activity_log_change()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	raise exception 'activity_log is append-only' using errcode = '42501';
end;
$$;
revoke all on function private.refuse_activity_log_change() from public;

create trigger activity_log_append_only
before update or delete on public.activity_log
for each row execute function private.refuse_activity_log_change();
create trigger activity_log_no_truncate
before truncate on public.activity_log
for each statement execute function private.refuse_activity_log_change();

create function private.log_activity(
	p_account_id uuid,
	p_action text,
	p_subject_user_id uuid,
	p_details jsonb
)
returns void
language sql security definer set search_path = ''
as $$
	insert into public.activity_log (account_id, actor_id, action, subject_user_id, details)
	values (p_account_id, (select auth.uid()), p_action, p_subject_user_id, coalesce(p_details, '{}'::jsonb));
$$;
revoke all on function private.log_activity(uuid, text, uuid, jsonb) from public;

-- ---------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------

-- Whether the current user may manage an account's people: its owners and serving staff.
create function private.manageable_accounts()
returns setof uuid
language sql stable security definer set search_path = ''
as $$
	select private.member_accounts(array['owner']) union select private.staff_accounts();
$$;
revoke all on function private.manageable_accounts() from public;
grant execute on function private.manageable_accounts() to authenticated;

-- A random URL-safe token (256 bits) and the hash that is stored in its place.
create function private.new_invitation_token(out token text, out token_hash bytea)
language plpgsql volatile security definer set search_path = ''
as $$
begin
	token := rtrim(translate(encode(extensions.gen_random_bytes(32), 'base64'), '+/', '-_'), '=');
	token_hash := extensions.digest(token, 'sha256');
end;
$$;
revoke all on function private.new_invitation_token() from public;

create function private.invitation_token_hash(p_token text)
returns bytea
language sql immutable security definer set search_path = ''
as $$
	select case
		when p_token ~ '^[A-Za-z0-9_-]{43}$' then extensions.digest(p_token, 'sha256')
	end;
$$;
revoke all on function private.invitation_token_hash(text) from public;

-- Turns an email into the stored form, or raises a clear error.
create function private.normalise_email(p_email text)
returns text
language plpgsql immutable security definer set search_path = ''
as $$
declare
	normalised text := lower(btrim(coalesce(p_email, '')));
begin
	if char_length(normalised) not between 3 and 320 or normalised !~ '^[^@[:space:]]+@[^@[:space:]]+$' then
		raise exception 'invalid_email' using errcode = '22023', hint = 'Enter an email address like name@example.com.';
	end if;
	return normalised;
end;
$$;
revoke all on function private.normalise_email(text) from public;

-- ---------------------------------------------------------------------------
-- Entry points (exposed on purpose, reviewed; listed in tests/db/advisor.test.ts)
-- ---------------------------------------------------------------------------

-- Staff (for accounts they serve) and owners (for their own account) invite client users.
-- Returns the token once: the caller emails it and never stores it.
create function public.create_invitation(p_account_id uuid, p_email text, p_role text)
returns table (invitation_id uuid, token text, expires_at timestamptz)
language plpgsql volatile security definer set search_path = ''
as $$
declare
	v_email text;
	v_token text;
	v_hash bytea;
begin
	if (select auth.uid()) is null then
		raise exception 'not_signed_in' using errcode = '42501';
	end if;
	if p_account_id is null or p_account_id not in (select private.manageable_accounts()) then
		raise exception 'not_allowed' using errcode = '42501',
			hint = 'Only the account''s owners and its staff can invite people.';
	end if;
	-- Owners are the highest client role, so "no higher than your own" holds for every
	-- role they can pick; members, billing users and viewers cannot invite at all.
	if p_role is null or p_role not in ('owner', 'member', 'billing', 'viewer') then
		raise exception 'invalid_role' using errcode = '22023',
			hint = 'Choose owner, member, billing or viewer.';
	end if;
	v_email := private.normalise_email(p_email);
	if exists (
		select 1 from public.account_members m join auth.users u on u.id = m.user_id
		where m.account_id = p_account_id and lower(u.email) = v_email
	) then
		raise exception 'already_member' using errcode = '23505',
			hint = 'That person is already in this account.';
	end if;

	update public.invitations i
	set revoked_at = now(), revoked_by = (select auth.uid())
	where i.kind = 'client' and i.account_id = p_account_id and i.email = v_email
		and i.accepted_at is null and i.revoked_at is null;

	select t.token, t.token_hash into v_token, v_hash from private.new_invitation_token() t;
	return query
	insert into public.invitations as i (kind, account_id, email, role, token_hash, invited_by, expires_at)
	values ('client', p_account_id, v_email, p_role, v_hash, (select auth.uid()), now() + interval '7 days')
	returning i.id, v_token, i.expires_at;
end;
$$;

-- Admins invite staff and admins.
create function public.create_staff_invitation(p_email text, p_role text)
returns table (invitation_id uuid, token text, expires_at timestamptz)
language plpgsql volatile security definer set search_path = ''
as $$
declare
	v_email text;
	v_token text;
	v_hash bytea;
begin
	if not (select private.is_admin()) then
		raise exception 'not_allowed' using errcode = '42501', hint = 'Only admins can invite staff.';
	end if;
	if p_role is null or p_role not in ('admin', 'staff') then
		raise exception 'invalid_role' using errcode = '22023', hint = 'Choose admin or staff.';
	end if;
	v_email := private.normalise_email(p_email);
	if exists (
		select 1 from public.staff_members s join auth.users u on u.id = s.user_id
		where lower(u.email) = v_email
	) then
		raise exception 'already_member' using errcode = '23505',
			hint = 'That person is already on the staff.';
	end if;

	update public.invitations i
	set revoked_at = now(), revoked_by = (select auth.uid())
	where i.kind = 'staff' and i.email = v_email and i.accepted_at is null and i.revoked_at is null;

	select t.token, t.token_hash into v_token, v_hash from private.new_invitation_token() t;
	return query
	insert into public.invitations as i (kind, account_id, email, role, token_hash, invited_by, expires_at)
	values ('staff', null, v_email, p_role, v_hash, (select auth.uid()), now() + interval '7 days')
	returning i.id, v_token, i.expires_at;
end;
$$;

-- Whether the current user may manage an (open or closed) invitation.
create function private.can_manage_invitation(p_kind text, p_account_id uuid)
returns boolean
language sql stable security definer set search_path = ''
as $$
	select case p_kind
		when 'staff' then (select private.is_admin())
		else p_account_id in (select private.manageable_accounts())
	end;
$$;
revoke all on function private.can_manage_invitation(text, uuid) from public;

-- A new token and a fresh 7 days for an open invitation (the old link stops working).
create function public.resend_invitation(p_invitation_id uuid)
returns table (invitation_id uuid, token text, expires_at timestamptz)
language plpgsql volatile security definer set search_path = ''
as $$
declare
	v_invitation public.invitations;
	v_token text;
	v_hash bytea;
begin
	select * into v_invitation from public.invitations i where i.id = p_invitation_id for update;
	if not found or not private.can_manage_invitation(v_invitation.kind, v_invitation.account_id) then
		raise exception 'invitation_not_found' using errcode = 'PT404';
	end if;
	if v_invitation.accepted_at is not null or v_invitation.revoked_at is not null then
		raise exception 'invitation_closed' using errcode = '22023',
			hint = 'This invitation was already accepted or revoked.';
	end if;
	select t.token, t.token_hash into v_token, v_hash from private.new_invitation_token() t;
	return query
	update public.invitations i
	set token_hash = v_hash, expires_at = now() + interval '7 days'
	where i.id = p_invitation_id
	returning i.id, v_token, i.expires_at;
end;
$$;

create function public.revoke_invitation(p_invitation_id uuid)
returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
	v_invitation public.invitations;
begin
	select * into v_invitation from public.invitations i where i.id = p_invitation_id for update;
	if not found or not private.can_manage_invitation(v_invitation.kind, v_invitation.account_id) then
		raise exception 'invitation_not_found' using errcode = 'PT404';
	end if;
	if v_invitation.accepted_at is not null or v_invitation.revoked_at is not null then
		raise exception 'invitation_closed' using errcode = '22023',
			hint = 'This invitation was already accepted or revoked.';
	end if;
	update public.invitations i
	set revoked_at = now(), revoked_by = (select auth.uid())
	where i.id = p_invitation_id;
end;
$$;

-- What the accept page shows before anyone signs in. Only a holder of the token (sent to
-- the invited address) learns anything, and only about this one invitation.
create function public.invitation_preview(p_token text)
returns table (
	kind text,
	account_name text,
	role text,
	email text,
	invited_by_name text,
	status text,
	expires_at timestamptz
)
language sql stable security definer set search_path = ''
as $$
	select i.kind, a.name, i.role, i.email, p.display_name,
		case
			when i.accepted_at is not null then 'accepted'
			when i.revoked_at is not null then 'revoked'
			when i.expires_at <= now() then 'expired'
			else 'pending'
		end,
		i.expires_at
	from public.invitations i
	left join public.client_accounts a on a.id = i.account_id
	left join public.profiles p on p.id = i.invited_by
	where i.token_hash = private.invitation_token_hash(p_token);
$$;

-- Accepts an invitation for the signed-in user: exactly one membership (or staff role),
-- and the invitation is used up.
create function public.accept_invitation(p_token text)
returns table (kind text, account_id uuid, role text)
language plpgsql volatile security definer set search_path = ''
as $$
declare
	v_invitation public.invitations;
	v_user_email text;
	v_confirmed timestamptz;
begin
	if (select auth.uid()) is null then
		raise exception 'not_signed_in' using errcode = '42501';
	end if;
	select * into v_invitation from public.invitations i
	where i.token_hash = private.invitation_token_hash(p_token)
	for update;
	if not found then
		raise exception 'invitation_not_found' using errcode = 'PT404',
			hint = 'This invitation link is not valid. Ask for a new one.';
	end if;
	if v_invitation.accepted_at is not null then
		raise exception 'invitation_used' using errcode = '22023',
			hint = 'This invitation was already accepted.';
	end if;
	if v_invitation.revoked_at is not null then
		raise exception 'invitation_revoked' using errcode = '22023',
			hint = 'This invitation was withdrawn. Ask for a new one.';
	end if;
	if v_invitation.expires_at <= now() then
		raise exception 'invitation_expired' using errcode = '22023',
			hint = 'This invitation has expired. Ask for a new one.';
	end if;

	select lower(u.email), u.email_confirmed_at into v_user_email, v_confirmed
	from auth.users u where u.id = (select auth.uid());
	if v_user_email is distinct from v_invitation.email then
		raise exception 'invitation_wrong_email' using errcode = '42501',
			hint = 'This invitation is for another email address.';
	end if;
	if v_confirmed is null then
		raise exception 'email_not_confirmed' using errcode = '42501',
			hint = 'Confirm your email address first.';
	end if;

	if v_invitation.kind = 'client' then
		insert into public.account_members (account_id, user_id, role)
		values (v_invitation.account_id, (select auth.uid()), v_invitation.role)
		on conflict on constraint account_members_pkey do nothing;
	else
		insert into public.staff_members (user_id, role)
		values ((select auth.uid()), v_invitation.role)
		on conflict on constraint staff_members_pkey do nothing;
	end if;
	-- Already in (e.g. joined through another invitation): say so, and leave this one open
	-- rather than report a role that was never given.
	if not found then
		raise exception 'already_member' using errcode = '23505',
			hint = 'You are already in; the invitation stays open.';
	end if;

	update public.invitations i
	set accepted_at = now(), accepted_by = (select auth.uid())
	where i.id = v_invitation.id;

	return query select v_invitation.kind, v_invitation.account_id, v_invitation.role;
end;
$$;

-- Operators only (service role, SQL editor): makes an existing user an admin, or, when no
-- user has that email yet, creates an admin invitation and returns its token.
create function public.operator_grant_admin(p_email text)
returns table (outcome text, token text)
language plpgsql volatile security definer set search_path = ''
as $$
declare
	v_email text := private.normalise_email(p_email);
	v_user_id uuid;
	v_token text;
	v_hash bytea;
begin
	select u.id into v_user_id from auth.users u where lower(u.email) = v_email;
	if v_user_id is not null then
		if exists (select 1 from public.staff_members s where s.user_id = v_user_id and s.role = 'admin') then
			return query select 'already_admin'::text, null::text;
			return;
		end if;
		insert into public.staff_members (user_id, role) values (v_user_id, 'admin')
		on conflict on constraint staff_members_pkey do update set role = 'admin';
		return query select 'granted'::text, null::text;
		return;
	end if;
	update public.invitations i
	set revoked_at = now()
	where i.kind = 'staff' and i.email = v_email and i.accepted_at is null and i.revoked_at is null;
	select t.token, t.token_hash into v_token, v_hash from private.new_invitation_token() t;
	insert into public.invitations (kind, account_id, email, role, token_hash, invited_by, expires_at)
	values ('staff', null, v_email, 'admin', v_hash, null, now() + interval '7 days');
	return query select 'invited'::text, v_token;
end;
$$;

revoke all on function public.create_invitation(uuid, text, text) from public, anon;
revoke all on function public.create_staff_invitation(text, text) from public, anon;
revoke all on function public.resend_invitation(uuid) from public, anon;
revoke all on function public.revoke_invitation(uuid) from public, anon;
revoke all on function public.invitation_preview(text) from public;
revoke all on function public.accept_invitation(text) from public, anon;
revoke all on function public.operator_grant_admin(text) from public, anon, authenticated;
grant execute on function public.create_invitation(uuid, text, text) to authenticated;
grant execute on function public.create_staff_invitation(text, text) to authenticated;
grant execute on function public.resend_invitation(uuid) to authenticated;
grant execute on function public.revoke_invitation(uuid) to authenticated;
grant execute on function public.invitation_preview(text) to anon, authenticated;
grant execute on function public.accept_invitation(text) to authenticated;
grant execute on function public.operator_grant_admin(text) to service_role;

-- ---------------------------------------------------------------------------
-- The last owner of an account, and the last admin, stay.
-- ---------------------------------------------------------------------------

create function private.protect_last_owner()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if old.role <> 'owner' or (tg_op = 'UPDATE' and new.role = 'owner') then
		return coalesce(new, old);
	end if;
	-- Deleting the account or the user cascades here: nothing left to protect.
	if not exists (select 1 from public.client_accounts a where a.id = old.account_id)
		or not exists (select 1 from auth.users u where u.id = old.user_id) then
		return coalesce(new, old);
	end if;
	-- One change at a time per account, so two owners cannot demote each other at once.
	perform 1 from public.client_accounts a where a.id = old.account_id for update;
	if not exists (
		select 1 from public.account_members m
		where m.account_id = old.account_id and m.role = 'owner' and m.user_id <> old.user_id
	) then
		raise exception 'last_owner' using errcode = 'PT409',
			hint = 'An account needs at least one owner: make someone else owner first.';
	end if;
	return coalesce(new, old);
end;
$$;
revoke all on function private.protect_last_owner() from public;

create trigger account_members_protect_last_owner
before update of role or delete on public.account_members
for each row execute function private.protect_last_owner();

create function private.protect_last_admin()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if old.role <> 'admin' or (tg_op = 'UPDATE' and new.role = 'admin') then
		return coalesce(new, old);
	end if;
	if not exists (select 1 from auth.users u where u.id = old.user_id) then
		return coalesce(new, old);
	end if;
	lock table public.staff_members in share row exclusive mode;
	if not exists (
		select 1 from public.staff_members s where s.role = 'admin' and s.user_id <> old.user_id
	) then
		raise exception 'last_admin' using errcode = 'PT409',
			hint = 'The workspace needs at least one admin: make someone else admin first.';
	end if;
	return coalesce(new, old);
end;
$$;
revoke all on function private.protect_last_admin() from public;

create trigger staff_members_protect_last_admin
before update of role or delete on public.staff_members
for each row execute function private.protect_last_admin();

-- ---------------------------------------------------------------------------
-- Activity triggers
-- ---------------------------------------------------------------------------

create function private.log_account_members()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if tg_op = 'INSERT' then
		perform private.log_activity(new.account_id, 'member.added', new.user_id, jsonb_build_object('role', new.role));
	elsif tg_op = 'UPDATE' then
		if new.role is distinct from old.role then
			perform private.log_activity(new.account_id, 'member.role_changed', new.user_id,
				jsonb_build_object('from', old.role, 'to', new.role));
		end if;
	else
		perform private.log_activity(old.account_id, 'member.removed', old.user_id, jsonb_build_object('role', old.role));
	end if;
	return null;
end;
$$;
create trigger account_members_log
after insert or update or delete on public.account_members
for each row execute function private.log_account_members();

create function private.log_invitations()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
	v_details jsonb := jsonb_build_object('invitation_id', new.id, 'email', new.email, 'role', new.role, 'kind', new.kind);
begin
	if tg_op = 'INSERT' then
		perform private.log_activity(new.account_id, 'invitation.created', null, v_details);
	elsif new.accepted_at is not null and old.accepted_at is null then
		perform private.log_activity(new.account_id, 'invitation.accepted', new.accepted_by, v_details);
	elsif new.revoked_at is not null and old.revoked_at is null then
		perform private.log_activity(new.account_id, 'invitation.revoked', null, v_details);
	elsif new.token_hash <> old.token_hash then
		perform private.log_activity(new.account_id, 'invitation.resent', null, v_details);
	end if;
	return null;
end;
$$;
create trigger invitations_log
after insert or update on public.invitations
for each row execute function private.log_invitations();

create function private.log_staff_members()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if tg_op = 'INSERT' then
		perform private.log_activity(null, 'staff.added', new.user_id, jsonb_build_object('role', new.role));
	elsif tg_op = 'UPDATE' then
		if new.role is distinct from old.role then
			perform private.log_activity(null, 'staff.role_changed', new.user_id,
				jsonb_build_object('from', old.role, 'to', new.role));
		end if;
	else
		perform private.log_activity(null, 'staff.removed', old.user_id, jsonb_build_object('role', old.role));
	end if;
	return null;
end;
$$;
create trigger staff_members_log
after insert or update or delete on public.staff_members
for each row execute function private.log_staff_members();

create function private.log_staff_assignments()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if tg_op = 'INSERT' then
		perform private.log_activity(new.account_id, 'staff.assigned', new.staff_user_id, '{}'::jsonb);
	else
		perform private.log_activity(old.account_id, 'staff.unassigned', old.staff_user_id, '{}'::jsonb);
	end if;
	return null;
end;
$$;
create trigger staff_assignments_log
after insert or delete on public.staff_assignments
for each row execute function private.log_staff_assignments();

create function private.log_client_accounts()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if tg_op = 'INSERT' then
		perform private.log_activity(new.id, 'account.created', null, jsonb_build_object('name', new.name));
	elsif new.name is distinct from old.name or new.status is distinct from old.status then
		perform private.log_activity(new.id, 'account.updated', null,
			jsonb_strip_nulls(jsonb_build_object(
				'name', case when new.name is distinct from old.name then new.name end,
				'status', case when new.status is distinct from old.status then new.status end)));
	end if;
	return null;
end;
$$;
create trigger client_accounts_log
after insert or update on public.client_accounts
for each row execute function private.log_client_accounts();

create function private.log_documents()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if tg_op = 'INSERT' then
		perform private.log_activity(new.account_id, 'document.uploaded', null,
			jsonb_build_object('document_id', new.id, 'name', new.name));
	elsif tg_op = 'UPDATE' then
		if new.name is distinct from old.name then
			perform private.log_activity(new.account_id, 'document.renamed', null,
				jsonb_build_object('document_id', new.id, 'from', old.name, 'to', new.name));
		end if;
	else
		perform private.log_activity(old.account_id, 'document.deleted', null,
			jsonb_build_object('document_id', old.id, 'name', old.name));
	end if;
	return null;
end;
$$;
create trigger documents_log
after insert or update or delete on public.documents
for each row execute function private.log_documents();

revoke all on function private.log_account_members() from public;
revoke all on function private.log_invitations() from public;
revoke all on function private.log_staff_members() from public;
revoke all on function private.log_staff_assignments() from public;
revoke all on function private.log_client_accounts() from public;
revoke all on function private.log_documents() from public;

-- ---------------------------------------------------------------------------
-- Row-level security and grants
-- ---------------------------------------------------------------------------

alter table public.invitations enable row level security;
alter table public.activity_log enable row level security;

revoke all on table public.invitations, public.activity_log from anon, authenticated;
grant all on table public.invitations to service_role;
-- Not even the service role rewrites history.
revoke all on table public.activity_log from service_role;
grant select, insert on table public.activity_log to service_role;
revoke all on sequence public.activity_log_id_seq from anon, authenticated;

-- invitations: read (never the token hash) by who may manage them; written only through
-- the functions above.
grant select (id, kind, account_id, email, role, invited_by, created_at, expires_at,
	accepted_at, accepted_by, revoked_at, revoked_by)
	on table public.invitations to authenticated;
create policy "invitations: read as account owner, serving staff or admin"
on public.invitations for select to authenticated
using (
	(kind = 'client' and account_id in (select private.manageable_accounts()))
	or (kind = 'staff' and (select private.is_admin()))
);

-- activity_log: owners and serving staff see all of their account's history; other members
-- see what their role lets them see elsewhere (no invited addresses, which only owners and
-- staff may read; no document names for billing users, who see no documents); workspace
-- events for admins.
grant select on table public.activity_log to authenticated;
create policy "activity_log: read as member, serving staff or admin"
on public.activity_log for select to authenticated
using (
	account_id in (select private.manageable_accounts())
	or (
		account_id in (select private.member_accounts(array['member', 'viewer']))
		and action !~ '^invitation\.'
	)
	or (
		account_id in (select private.member_accounts(array['billing']))
		and action !~ '^(invitation|document)\.'
	)
	or (account_id is null and (select private.is_admin()))
);

-- account_members: owners and serving staff change roles and remove people; anyone may
-- leave. The last owner is kept by the trigger above.
grant update (role), delete on table public.account_members to authenticated;
create policy "account_members: owners and serving staff change roles"
on public.account_members for update to authenticated
using (account_id in (select private.manageable_accounts()))
with check (account_id in (select private.manageable_accounts()));
create policy "account_members: owners and serving staff remove, anyone leaves"
on public.account_members for delete to authenticated
using (
	account_id in (select private.manageable_accounts())
	or user_id = (select auth.uid())
);

-- staff_members: admins change roles and remove staff (the last admin stays).
grant update (role), delete on table public.staff_members to authenticated;
create policy "staff_members: admins change roles"
on public.staff_members for update to authenticated
using ((select private.is_admin()))
with check ((select private.is_admin()));
create policy "staff_members: admins remove"
on public.staff_members for delete to authenticated
using ((select private.is_admin()));

-- staff_assignments: admins assign and unassign.
grant insert, delete on table public.staff_assignments to authenticated;
create policy "staff_assignments: admins assign"
on public.staff_assignments for insert to authenticated
with check ((select private.is_admin()));
create policy "staff_assignments: admins unassign"
on public.staff_assignments for delete to authenticated
using ((select private.is_admin()));

-- ---------------------------------------------------------------------------
-- profiles.email: owners and staff manage people by address, and the address lives in
-- auth.users, which the API never exposes. Kept in step by triggers; readable by whoever
-- may read the profile (yourself, co-members, staff).
-- ---------------------------------------------------------------------------

alter table public.profiles add column email text not null default '';
update public.profiles p set email = coalesce(lower(u.email), '') from auth.users u where u.id = p.id;

create or replace function private.create_profile_for_new_user()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	insert into public.profiles (id, display_name, email)
	values (
		new.id,
		coalesce(left(new.raw_user_meta_data ->> 'display_name', 120), ''),
		coalesce(lower(new.email), '')
	)
	on conflict (id) do nothing;
	return new;
end;
$$;

create function private.sync_profile_email()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	update public.profiles set email = coalesce(lower(new.email), '') where id = new.id;
	return new;
end;
$$;
revoke all on function private.sync_profile_email() from public;

create trigger on_auth_user_email_changed
after update of email on auth.users
for each row when (old.email is distinct from new.email)
execute function private.sync_profile_email();

-- Foreign keys to profiles, so the API can embed a member's name and email with the
-- membership in one request (`account_members?select=role,profile:profiles(...)`).
alter table public.account_members
	add constraint account_members_user_id_profile_fkey
	foreign key (user_id) references public.profiles (id) on delete cascade;
alter table public.staff_members
	add constraint staff_members_user_id_profile_fkey
	foreign key (user_id) references public.profiles (id) on delete cascade;

-- Now that profiles carry email addresses, staff no longer read every profile: a staff
-- member sees the team and the people of the accounts they serve (admins: all accounts).
drop policy "profiles: read self, co-members, or as staff" on public.profiles;
create policy "profiles: read self, visible people, or the team as staff"
on public.profiles for select to authenticated
using (
	id = (select auth.uid())
	or id in (
		select m.user_id from public.account_members m
		where m.account_id in (select private.visible_accounts())
	)
	or ((select private.is_staff()) and id in (select s.user_id from public.staff_members s))
);

-- staff_assignments: staff see who else serves the accounts they serve (the account page
-- lists them); admins see all, through staff_accounts().
drop policy "staff_assignments: read own or as admin" on public.staff_assignments;
create policy "staff_assignments: read own or for accounts served"
on public.staff_assignments for select to authenticated
using (
	staff_user_id = (select auth.uid())
	or account_id in (select private.staff_accounts())
);
