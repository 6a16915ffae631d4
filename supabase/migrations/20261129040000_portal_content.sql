-- The client portal's content: folders, document versions and the trash, file requests,
-- message threads, projects with milestones and status updates, and approvals.
--
-- Who may do what (the same three groups throughout):
--   * readers:  the account's owners, members and viewers, and the staff serving it;
--   * writers:  owners, members and serving staff (viewers read only);
--   * staff:    serving staff (admins serve every account).
-- Billing users handle finances only and see none of it. Internal notes (messages marked
-- internal) and unpublished status updates are for staff alone.
--
-- Files: the browser uploads a file to storage first, then inserts its row. A trigger checks
-- that the object really exists under the row's path and takes the size and type from the
-- stored object, so no row ever points at a missing file or misstates it. If the insert
-- fails, the uploader may delete their own object while no row refers to it, so a failed
-- upload leaves nothing behind.

-- ---------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------

create function private.readable_accounts()
returns setof uuid
language sql stable security definer set search_path = ''
as $$
	select private.member_accounts(array['owner', 'member', 'viewer'])
	union
	select private.staff_accounts();
$$;

create function private.writable_accounts()
returns setof uuid
language sql stable security definer set search_path = ''
as $$
	select private.member_accounts(array['owner', 'member'])
	union
	select private.staff_accounts();
$$;

revoke all on function private.readable_accounts() from public;
revoke all on function private.writable_accounts() from public;
grant execute on function private.readable_accounts() to authenticated;
grant execute on function private.writable_accounts() to authenticated;

-- ---------------------------------------------------------------------------
-- Folders
-- ---------------------------------------------------------------------------

create table public.folders (
	id uuid primary key default gen_random_uuid(),
	account_id uuid not null references public.client_accounts (id) on delete cascade,
	parent_id uuid,
	name text not null check (char_length(btrim(name)) between 1 and 120 and name !~ '[/\\[:cntrl:]]'),
	created_by uuid references auth.users (id) on delete set null default auth.uid(),
	created_at timestamptz not null default now(),
	unique (id, account_id),
	foreign key (parent_id, account_id) references public.folders (id, account_id) on delete cascade
);
comment on table public.folders is 'Folders inside an account''s documents. Parents stay in the same account.';
create index folders_account_id_idx on public.folders (account_id);
create index folders_parent_id_idx on public.folders (parent_id, account_id);
create index folders_created_by_idx on public.folders (created_by);
create unique index folders_unique_name_idx on public.folders (
	account_id, coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(btrim(name))
);

-- ---------------------------------------------------------------------------
-- File requests (before documents, which may fulfil one)
-- ---------------------------------------------------------------------------

create table public.file_requests (
	id uuid primary key default gen_random_uuid(),
	account_id uuid not null references public.client_accounts (id) on delete cascade,
	title text not null check (char_length(btrim(title)) between 1 and 200),
	instructions text not null default '' check (char_length(instructions) <= 4000),
	due_on date,
	status text not null default 'open' check (status in ('open', 'submitted', 'closed', 'cancelled')),
	requested_by uuid references auth.users (id) on delete set null default auth.uid(),
	created_at timestamptz not null default now(),
	submitted_at timestamptz,
	closed_at timestamptz,
	unique (id, account_id)
);
comment on table public.file_requests is
	'Staff ask a client for files; uploading into the request marks it submitted.';
create index file_requests_account_id_status_idx on public.file_requests (account_id, status, due_on);
create index file_requests_requested_by_idx on public.file_requests (requested_by);

-- ---------------------------------------------------------------------------
-- Documents: folders, the trash, versions
-- ---------------------------------------------------------------------------

alter table public.documents
	add column folder_id uuid,
	add column file_request_id uuid,
	add column deleted_at timestamptz,
	add column deleted_by uuid references auth.users (id) on delete set null,
	add column updated_at timestamptz not null default now(),
	add constraint documents_id_account_id_key unique (id, account_id),
	add constraint documents_folder_fkey foreign key (folder_id, account_id)
		references public.folders (id, account_id) on delete set null (folder_id),
	add constraint documents_file_request_fkey foreign key (file_request_id, account_id)
		references public.file_requests (id, account_id) on delete set null (file_request_id);
comment on column public.documents.deleted_at is
	'Set when someone deletes the document: it moves to the trash, and serving staff can restore it.';
comment on column public.documents.storage_path is 'The current version''s file (document_versions keeps them all).';
create index documents_folder_id_idx on public.documents (folder_id, account_id);
create index documents_file_request_id_idx on public.documents (file_request_id, account_id);
create index documents_deleted_by_idx on public.documents (deleted_by);
create index documents_account_id_name_idx on public.documents (account_id, lower(name));

create table public.document_versions (
	id uuid primary key default gen_random_uuid(),
	document_id uuid not null,
	account_id uuid not null,
	-- Numbered by a trigger (the next after the document's newest); never chosen by the client.
	version integer not null default 1 check (version >= 1),
	storage_path text not null unique,
	size_bytes bigint not null check (size_bytes >= 0),
	mime_type text not null,
	uploaded_by uuid references auth.users (id) on delete set null default auth.uid(),
	created_at timestamptz not null default now(),
	unique (document_id, version),
	unique (id, account_id),
	foreign key (document_id, account_id) references public.documents (id, account_id) on delete cascade,
	constraint document_versions_path_in_account check (
		storage_path like account_id::text || '/%'
		and storage_path !~ '(^|/)\.{0,2}(/|$)'
	)
);
comment on table public.document_versions is
	'Every file a document has had, newest highest. documents.storage_path mirrors the newest.';
create index document_versions_account_id_idx on public.document_versions (account_id);
create index document_versions_document_id_idx on public.document_versions (document_id, account_id);
create index document_versions_uploaded_by_idx on public.document_versions (uploaded_by);

-- The stored object a row is about to point at: it must exist, and its size and type are
-- the ones storage recorded, not what the client claims. Only signed-in users are checked: the
-- demo seed writes rows before the local stack uploads their files.
create function private.stored_object(p_path text, out size_bytes bigint, out mime_type text)
language plpgsql stable security definer set search_path = ''
as $$
declare
	v_metadata jsonb;
begin
	select o.metadata into v_metadata
	from storage.objects o
	where o.bucket_id = 'documents' and o.name = p_path;
	if not found then
		raise exception 'file_missing' using errcode = '22023',
			hint = 'Upload the file before saving it: nothing is stored at that path.';
	end if;
	-- The local stack on PostgreSQL stores the metadata as a JSON string holding the object.
	if jsonb_typeof(v_metadata) = 'string' then
		v_metadata := (v_metadata #>> '{}')::jsonb;
	end if;
	size_bytes := coalesce((v_metadata ->> 'size')::bigint, (v_metadata ->> 'contentLength')::bigint);
	mime_type := coalesce(nullif(v_metadata ->> 'mimetype', ''), 'application/octet-stream');
end;
$$;
revoke all on function private.stored_object(text) from public;

-- A signed-in person acting through the API. Operators, the demo seed and the service role
-- act without a user id. (auth.role() is not used: the local stack on PostgreSQL leaves the
-- role claim unset.)
create function private.is_api_user()
returns boolean
language sql stable security definer set search_path = ''
as $$
	select (select auth.uid()) is not null;
$$;
revoke all on function private.is_api_user() from public;

create function private.documents_before_insert()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
	v_file record;
	v_request_status text;
begin
	-- Someone who may not write here, or a path outside the row's account, is refused by the
	-- policy or the path check, not by what this trigger would find: it must neither answer
	-- about nor lock another account's rows or files.
	if private.is_api_user() and (
		not (new.account_id in (select private.writable_accounts()))
		or new.storage_path not like new.account_id::text || '/%'
	) then
		return new;
	end if;
	if private.is_api_user() then
		select * into v_file from private.stored_object(new.storage_path);
		new.size_bytes := coalesce(v_file.size_bytes, new.size_bytes);
		new.mime_type := v_file.mime_type;
	end if;
	new.deleted_at := null;
	new.deleted_by := null;
	new.updated_at := now();
	if new.file_request_id is not null then
		select status into v_request_status from public.file_requests
		where id = new.file_request_id and account_id = new.account_id for update;
		if v_request_status not in ('open', 'submitted') then
			raise exception 'request_closed' using errcode = 'PT409',
				hint = 'This file request is closed: it takes no more files.';
		end if;
	end if;
	return new;
end;
$$;
create trigger documents_before_insert
before insert on public.documents
for each row execute function private.documents_before_insert();

-- The first version of every document, and the request it fulfils.
create function private.documents_after_insert()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	insert into public.document_versions
		(document_id, account_id, version, storage_path, size_bytes, mime_type, uploaded_by, created_at)
	values
		(new.id, new.account_id, 1, new.storage_path, new.size_bytes, new.mime_type, new.uploaded_by, new.created_at);
	if new.file_request_id is not null then
		update public.file_requests
		set status = 'submitted', submitted_at = now()
		where id = new.file_request_id and status = 'open';
	end if;
	return null;
end;
$$;
create trigger documents_after_insert
after insert on public.documents
for each row execute function private.documents_after_insert();

-- Renames, moves and the trash. Who deleted is recorded by the database; only serving
-- staff may take a document out of the trash (the update policy keeps clients off trashed
-- rows; this says so plainly should that ever change).
create function private.documents_before_update()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if new.deleted_at is not null and old.deleted_at is null then
		new.deleted_at := now();
		new.deleted_by := (select auth.uid());
	elsif new.deleted_at is null and old.deleted_at is not null then
		if private.is_api_user() and not (new.account_id in (select private.staff_accounts())) then
			raise exception 'restore_is_for_staff' using errcode = '42501',
				hint = 'Ask your contact to restore a deleted document.';
		end if;
		new.deleted_by := null;
	elsif new.deleted_at is distinct from old.deleted_at then
		new.deleted_at := old.deleted_at;
	end if;
	new.updated_at := now();
	return new;
end;
$$;
create trigger documents_before_update
before update on public.documents
for each row execute function private.documents_before_update();

create function private.document_versions_before_insert()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
	v_file record;
	v_deleted_at timestamptz;
begin
	-- Someone who may not write here, or a path outside the row's account, is refused by the
	-- policy or the path check, not by what this trigger would find: it must neither answer
	-- about nor lock another account's rows or files.
	if private.is_api_user() and (
		not (new.account_id in (select private.writable_accounts()))
		or new.storage_path not like new.account_id::text || '/%'
	) then
		return new;
	end if;
	-- One new version at a time per document: the lock orders concurrent uploads.
	select deleted_at into v_deleted_at from public.documents
	where id = new.document_id and account_id = new.account_id for update;
	if v_deleted_at is not null then
		raise exception 'document_deleted' using errcode = 'PT409',
			hint = 'This document is in the trash: restore it before adding a version.';
	end if;
	if private.is_api_user() and pg_trigger_depth() = 1 then
		select * into v_file from private.stored_object(new.storage_path);
		new.size_bytes := coalesce(v_file.size_bytes, new.size_bytes);
		new.mime_type := v_file.mime_type;
		new.created_at := now();
	end if;
	if pg_trigger_depth() = 1 then
		new.version := coalesce(
			(select max(version) from public.document_versions where document_id = new.document_id), 0
		) + 1;
	end if;
	return new;
end;
$$;
create trigger document_versions_before_insert
before insert on public.document_versions
for each row execute function private.document_versions_before_insert();

-- A new version becomes the document's current file.
create function private.document_versions_after_insert()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if new.version > 1 then
		update public.documents
		set storage_path = new.storage_path, size_bytes = new.size_bytes, mime_type = new.mime_type,
			updated_at = now()
		where id = new.document_id;
		perform private.log_activity(new.account_id, 'document.version_added', null,
			jsonb_build_object('document_id', new.document_id, 'version', new.version,
				'name', (select name from public.documents where id = new.document_id)));
	end if;
	return null;
end;
$$;
create trigger document_versions_after_insert
after insert on public.document_versions
for each row execute function private.document_versions_after_insert();

-- What the activity log says about documents (replaces the first migration's version).
create or replace function private.log_documents()
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
		if new.folder_id is distinct from old.folder_id then
			perform private.log_activity(new.account_id, 'document.moved', null,
				jsonb_build_object('document_id', new.id, 'name', new.name,
					'to', (select name from public.folders where id = new.folder_id)));
		end if;
		if new.deleted_at is not null and old.deleted_at is null then
			perform private.log_activity(new.account_id, 'document.trashed', null,
				jsonb_build_object('document_id', new.id, 'name', new.name));
		elsif new.deleted_at is null and old.deleted_at is not null then
			perform private.log_activity(new.account_id, 'document.restored', null,
				jsonb_build_object('document_id', new.id, 'name', new.name));
		end if;
	else
		perform private.log_activity(old.account_id, 'document.deleted', null,
			jsonb_build_object('document_id', old.id, 'name', old.name));
	end if;
	return null;
end;
$$;

-- A folder is deleted only when nothing live is left in it (trashed documents fall back to
-- the top level), so deleting a folder never takes documents with it.
create function private.folders_before_delete()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	-- The whole account is being deleted (by an operator): its folders go with it.
	if not exists (select 1 from public.client_accounts a where a.id = old.account_id) then
		return old;
	end if;
	if exists (select 1 from public.documents where folder_id = old.id and deleted_at is null)
		or exists (select 1 from public.folders where parent_id = old.id) then
		raise exception 'folder_not_empty' using errcode = 'PT409',
			hint = 'Move or delete what is in this folder first.';
	end if;
	return old;
end;
$$;
create trigger folders_before_delete
before delete on public.folders
for each row execute function private.folders_before_delete();

-- Staff and clients record that they opened or downloaded a file: the account's people see
-- which staff member looked at what. The caller must be able to read the version.
create function public.record_document_access(p_version_id uuid, p_kind text)
returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
	v record;
begin
	if p_kind is null or p_kind not in ('viewed', 'downloaded') then
		raise exception 'invalid_kind' using errcode = '22023', hint = 'Use viewed or downloaded.';
	end if;
	select dv.account_id, dv.document_id, dv.version, d.name into v
	from public.document_versions dv join public.documents d on d.id = dv.document_id
	where dv.id = p_version_id
		and dv.account_id in (select private.readable_accounts());
	if not found then
		raise exception 'document_not_found' using errcode = 'PT404';
	end if;
	perform private.log_activity(v.account_id, 'document.' || p_kind, null,
		jsonb_build_object('document_id', v.document_id, 'version', v.version, 'name', v.name,
			'by_staff', (select private.is_staff())));
end;
$$;
revoke all on function public.record_document_access(uuid, text) from public, anon;
grant execute on function public.record_document_access(uuid, text) to authenticated;

-- ---------------------------------------------------------------------------
-- Messages
-- ---------------------------------------------------------------------------

create table public.threads (
	id uuid primary key default gen_random_uuid(),
	account_id uuid not null references public.client_accounts (id) on delete cascade,
	subject text not null check (char_length(btrim(subject)) between 1 and 200),
	created_by uuid references auth.users (id) on delete set null default auth.uid(),
	created_at timestamptz not null default now(),
	last_message_at timestamptz not null default now(),
	unique (id, account_id)
);
create index threads_account_id_last_message_at_idx on public.threads (account_id, last_message_at desc);
create index threads_created_by_idx on public.threads (created_by);

create table public.messages (
	id uuid primary key default gen_random_uuid(),
	thread_id uuid not null,
	account_id uuid not null,
	author_id uuid references auth.users (id) on delete set null default auth.uid(),
	body text not null check (char_length(btrim(body)) between 1 and 10000),
	internal boolean not null default false,
	created_at timestamptz not null default now(),
	unique (id, account_id),
	foreign key (thread_id, account_id) references public.threads (id, account_id) on delete cascade
);
comment on column public.messages.internal is 'An internal note: staff only, never shown to clients.';
create index messages_thread_id_created_at_idx on public.messages (thread_id, created_at);
create index messages_account_id_idx on public.messages (account_id);
create index messages_thread_id_account_id_idx on public.messages (thread_id, account_id);
create index messages_author_id_idx on public.messages (author_id);

create table public.message_attachments (
	message_id uuid not null,
	document_id uuid not null,
	account_id uuid not null,
	primary key (message_id, document_id),
	foreign key (message_id, account_id) references public.messages (id, account_id) on delete cascade,
	foreign key (document_id, account_id) references public.documents (id, account_id) on delete cascade
);
create index message_attachments_document_id_idx on public.message_attachments (document_id, account_id);
create index message_attachments_message_id_idx on public.message_attachments (message_id, account_id);
create index message_attachments_account_id_idx on public.message_attachments (account_id);

create table public.thread_reads (
	thread_id uuid not null,
	account_id uuid not null,
	user_id uuid not null references auth.users (id) on delete cascade default auth.uid(),
	last_read_at timestamptz not null default now(),
	primary key (thread_id, user_id),
	foreign key (thread_id, account_id) references public.threads (id, account_id) on delete cascade
);
comment on table public.thread_reads is 'How far each person has read each thread (their own rows only).';
create index thread_reads_user_id_idx on public.thread_reads (user_id);
create index thread_reads_account_id_idx on public.thread_reads (account_id);
create index thread_reads_thread_id_account_id_idx on public.thread_reads (thread_id, account_id);

-- A message moves its thread to the top (internal notes do not: clients would see a thread
-- jump with nothing new in it).
create function private.messages_after_insert()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if not new.internal then
		update public.threads set last_message_at = new.created_at
		where id = new.thread_id and last_message_at < new.created_at;
		perform private.log_activity(new.account_id, 'message.posted', null,
			jsonb_build_object('thread_id', new.thread_id,
				'subject', (select subject from public.threads where id = new.thread_id)));
	end if;
	return null;
end;
$$;
create trigger messages_after_insert
after insert on public.messages
for each row execute function private.messages_after_insert();

-- Sending a message with its attachments is one statement: all of it or none of it.
-- Runs as the caller, so the table policies decide.
create function public.send_message(
	p_thread_id uuid,
	p_body text,
	p_document_ids uuid[] default '{}',
	p_internal boolean default false
)
returns uuid
language plpgsql volatile security invoker set search_path = ''
as $$
declare
	v_account_id uuid;
	v_message_id uuid;
	v_attached integer;
begin
	select account_id into v_account_id from public.threads where id = p_thread_id;
	if not found then
		raise exception 'thread_not_found' using errcode = 'PT404';
	end if;
	insert into public.messages (thread_id, account_id, body, internal)
	values (p_thread_id, v_account_id, p_body, coalesce(p_internal, false))
	returning id into v_message_id;
	insert into public.message_attachments (message_id, document_id, account_id)
	select v_message_id, d.id, d.account_id
	from public.documents d
	where d.id = any (coalesce(p_document_ids, '{}')) and d.account_id = v_account_id
		and d.deleted_at is null;
	get diagnostics v_attached = row_count;
	if v_attached <> coalesce(cardinality(array(select distinct unnest(p_document_ids))), 0) then
		raise exception 'attachment_not_found' using errcode = '22023',
			hint = 'An attached document is not in this account, or was deleted.';
	end if;
	insert into public.thread_reads (thread_id, account_id, last_read_at)
	values (p_thread_id, v_account_id, now())
	on conflict (thread_id, user_id) do update set last_read_at = excluded.last_read_at;
	return v_message_id;
end;
$$;
revoke all on function public.send_message(uuid, text, uuid[], boolean) from public, anon;
grant execute on function public.send_message(uuid, text, uuid[], boolean) to authenticated;

-- Starts a thread with its first message, atomically.
create function public.start_thread(
	p_account_id uuid,
	p_subject text,
	p_body text,
	p_document_ids uuid[] default '{}'
)
returns uuid
language plpgsql volatile security invoker set search_path = ''
as $$
declare
	v_thread_id uuid;
begin
	insert into public.threads (account_id, subject) values (p_account_id, p_subject)
	returning id into v_thread_id;
	perform public.send_message(v_thread_id, p_body, p_document_ids, false);
	return v_thread_id;
end;
$$;
revoke all on function public.start_thread(uuid, text, text, uuid[]) from public, anon;
grant execute on function public.start_thread(uuid, text, text, uuid[]) to authenticated;

-- The threads of an account, newest activity first, with the caller's unread count: one
-- round trip for the inbox. Security definer (lite cannot run invoker functions returning
-- sets that read auth.uid()), so it applies the same rules as the policies by hand: the
-- account must be readable, and internal notes count only for serving staff.
create function public.thread_summaries(p_account_id uuid)
returns table (
	id uuid,
	subject text,
	created_at timestamptz,
	last_message_at timestamptz,
	message_count integer,
	unread_count integer,
	last_read_at timestamptz
)
language plpgsql stable security definer set search_path = ''
as $$
declare
	v_uid uuid := (select auth.uid());
	v_staff boolean := p_account_id in (select private.staff_accounts());
begin
	if not (p_account_id in (select private.readable_accounts())) then
		return;
	end if;
	return query
	select t.id, t.subject, t.created_at, t.last_message_at,
		(select count(*)::integer from public.messages m
			where m.thread_id = t.id and (v_staff or not m.internal)),
		(select count(*)::integer from public.messages m
			where m.thread_id = t.id
				and (v_staff or not m.internal)
				and m.author_id is distinct from v_uid
				and m.created_at > coalesce(r.last_read_at, '-infinity'::timestamptz)),
		r.last_read_at
	from public.threads t
	left join public.thread_reads r on r.thread_id = t.id and r.user_id = v_uid
	where t.account_id = p_account_id
	order by t.last_message_at desc, t.id;
end;
$$;
revoke all on function public.thread_summaries(uuid) from public, anon;
grant execute on function public.thread_summaries(uuid) to authenticated;

-- ---------------------------------------------------------------------------
-- Projects, milestones, status updates
-- ---------------------------------------------------------------------------

create table public.projects (
	id uuid primary key default gen_random_uuid(),
	account_id uuid not null references public.client_accounts (id) on delete cascade,
	name text not null check (char_length(btrim(name)) between 1 and 200),
	description text not null default '' check (char_length(description) <= 4000),
	status text not null default 'active' check (status in ('active', 'on_hold', 'completed')),
	created_by uuid references auth.users (id) on delete set null default auth.uid(),
	created_at timestamptz not null default now(),
	unique (id, account_id)
);
create index projects_account_id_idx on public.projects (account_id, created_at desc);
create index projects_created_by_idx on public.projects (created_by);

create table public.milestones (
	id uuid primary key default gen_random_uuid(),
	project_id uuid not null,
	account_id uuid not null,
	title text not null check (char_length(btrim(title)) between 1 and 200),
	due_on date,
	state text not null default 'planned' check (state in ('planned', 'in_progress', 'done', 'blocked')),
	position integer not null default 0,
	completed_at timestamptz,
	created_at timestamptz not null default now(),
	foreign key (project_id, account_id) references public.projects (id, account_id) on delete cascade
);
create index milestones_project_id_idx on public.milestones (project_id, position);
create index milestones_account_id_idx on public.milestones (account_id);
create index milestones_project_id_account_id_idx on public.milestones (project_id, account_id);

create table public.status_updates (
	id uuid primary key default gen_random_uuid(),
	account_id uuid not null references public.client_accounts (id) on delete cascade,
	project_id uuid,
	body text not null check (char_length(btrim(body)) between 1 and 10000),
	author_id uuid references auth.users (id) on delete set null default auth.uid(),
	created_at timestamptz not null default now(),
	published_at timestamptz,
	foreign key (project_id, account_id) references public.projects (id, account_id) on delete cascade
);
comment on column public.status_updates.published_at is 'Null while a draft: staff only, editable.';
create index status_updates_account_id_published_at_idx on public.status_updates (account_id, published_at desc);
create index status_updates_project_id_idx on public.status_updates (project_id, account_id);
create index status_updates_author_id_idx on public.status_updates (author_id);

create function private.milestones_before_write()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if new.state = 'done' and (tg_op = 'INSERT' or old.state <> 'done') then
		new.completed_at := now();
	elsif new.state <> 'done' then
		new.completed_at := null;
	end if;
	return new;
end;
$$;
create trigger milestones_before_write
before insert or update on public.milestones
for each row execute function private.milestones_before_write();

create function private.log_status_updates()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if new.published_at is not null and (tg_op = 'INSERT' or old.published_at is null) then
		perform private.log_activity(new.account_id, 'status.published', null,
			jsonb_build_object('status_update_id', new.id, 'project_id', new.project_id));
	end if;
	return null;
end;
$$;
create trigger status_updates_log
after insert or update on public.status_updates
for each row execute function private.log_status_updates();

-- ---------------------------------------------------------------------------
-- Approvals
-- ---------------------------------------------------------------------------

create table public.approvals (
	id uuid primary key default gen_random_uuid(),
	account_id uuid not null references public.client_accounts (id) on delete cascade,
	document_version_id uuid not null,
	title text not null check (char_length(btrim(title)) between 1 and 200),
	note text not null default '' check (char_length(note) <= 4000),
	due_on date,
	status text not null default 'pending'
		check (status in ('pending', 'approved', 'changes_requested', 'withdrawn')),
	requested_by uuid references auth.users (id) on delete set null default auth.uid(),
	created_at timestamptz not null default now(),
	decided_at timestamptz,
	withdrawn_at timestamptz,
	unique (id, account_id),
	foreign key (document_version_id, account_id)
		references public.document_versions (id, account_id) on delete cascade
);
comment on table public.approvals is
	'A document version put up for approval. status follows the responses (set by triggers).';
create index approvals_account_id_status_idx on public.approvals (account_id, status, created_at desc);
create index approvals_document_version_id_idx on public.approvals (document_version_id, account_id);
create index approvals_requested_by_idx on public.approvals (requested_by);

create table public.approval_approvers (
	approval_id uuid not null,
	account_id uuid not null,
	user_id uuid not null,
	primary key (approval_id, user_id),
	foreign key (approval_id, account_id) references public.approvals (id, account_id) on delete cascade,
	foreign key (account_id, user_id) references public.account_members (account_id, user_id) on delete cascade
);
comment on table public.approval_approvers is 'The client members whose decision an approval needs.';
create index approval_approvers_user_id_idx on public.approval_approvers (user_id);
create index approval_approvers_account_id_user_id_idx on public.approval_approvers (account_id, user_id);
create index approval_approvers_approval_id_account_id_idx on public.approval_approvers (approval_id, account_id);

create table public.approval_responses (
	id uuid primary key default gen_random_uuid(),
	approval_id uuid not null,
	account_id uuid not null,
	approver_id uuid not null default auth.uid(),
	decision text not null check (decision in ('approved', 'changes_requested')),
	comment text not null default '' check (char_length(comment) <= 4000),
	created_at timestamptz not null default now(),
	unique (approval_id, approver_id),
	foreign key (approval_id, account_id) references public.approvals (id, account_id) on delete cascade,
	constraint approval_responses_comment_for_changes check (
		decision = 'approved' or char_length(btrim(comment)) > 0
	)
);
comment on table public.approval_responses is
	'Each approver''s decision: who, what, when. Written once, never edited.';
create index approval_responses_account_id_idx on public.approval_responses (account_id);
create index approval_responses_approval_id_account_id_idx on public.approval_responses (approval_id, account_id);
create index approval_responses_approver_id_idx on public.approval_responses (approver_id);

-- A response counts only while the approval is open; it is timestamped by the database.
create function private.approval_responses_before_insert()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
	v_status text;
begin
	-- Only the account's owners and members may decide (the policy says so with a 42501);
	-- anyone else learns nothing about the approval from this trigger.
	if private.is_api_user()
		and not (new.account_id in (select private.member_accounts(array['owner', 'member']))) then
		return new;
	end if;
	select status into v_status from public.approvals
	where id = new.approval_id and account_id = new.account_id for update;
	if v_status <> 'pending' then
		raise exception 'approval_closed' using errcode = 'PT409',
			hint = 'This approval has already been decided or withdrawn.';
	end if;
	new.created_at := now();
	return new;
end;
$$;
create trigger approval_responses_before_insert
before insert on public.approval_responses
for each row execute function private.approval_responses_before_insert();

-- Changes requested by anyone decides at once; approval needs every required approver.
create function private.approval_responses_after_insert()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
	v_status text;
begin
	if new.decision = 'changes_requested' then
		v_status := 'changes_requested';
	elsif not exists (
		select 1 from public.approval_approvers a
		where a.approval_id = new.approval_id
			and not exists (
				select 1 from public.approval_responses r
				where r.approval_id = a.approval_id and r.approver_id = a.user_id and r.decision = 'approved'
			)
	) then
		v_status := 'approved';
	end if;
	if v_status is not null then
		update public.approvals set status = v_status, decided_at = now() where id = new.approval_id;
	end if;
	perform private.log_activity(new.account_id, 'approval.' || new.decision, null,
		jsonb_build_object('approval_id', new.approval_id,
			'title', (select title from public.approvals where id = new.approval_id)));
	return null;
end;
$$;
create trigger approval_responses_after_insert
after insert on public.approval_responses
for each row execute function private.approval_responses_after_insert();

-- Staff withdraw a pending approval by setting withdrawn_at; nothing else about the
-- decision can be changed through the API.
create function private.approvals_before_update()
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
	return new;
end;
$$;
create trigger approvals_before_update
before update on public.approvals
for each row execute function private.approvals_before_update();

-- An approver who leaves the account is no longer required: if everyone left has approved,
-- the approval is decided.
create function private.approval_approvers_after_delete()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	update public.approvals a set status = 'approved', decided_at = now()
	where a.id = old.approval_id
		and a.status = 'pending'
		and exists (select 1 from public.approval_approvers x where x.approval_id = a.id)
		and not exists (
			select 1 from public.approval_approvers x
			where x.approval_id = a.id
				and not exists (
					select 1 from public.approval_responses r
					where r.approval_id = a.id and r.approver_id = x.user_id and r.decision = 'approved'
				)
		);
	return null;
end;
$$;
create trigger approval_approvers_after_delete
after delete on public.approval_approvers
for each row execute function private.approval_approvers_after_delete();

-- Someone demoted to viewer or billing can no longer decide: they stop being a required
-- approver of pending approvals (which may decide them, above).
create function private.account_members_drop_approver()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if new.role not in ('owner', 'member') then
		delete from public.approval_approvers aa
		using public.approvals a
		where aa.approval_id = a.id and a.status = 'pending'
			and aa.account_id = new.account_id and aa.user_id = new.user_id;
	end if;
	return null;
end;
$$;
create trigger account_members_drop_approver
after update of role on public.account_members
for each row execute function private.account_members_drop_approver();

create function private.log_approvals()
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
	end if;
	return null;
end;
$$;
create trigger approvals_log
after insert or update on public.approvals
for each row execute function private.log_approvals();

create function private.log_file_requests()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if tg_op = 'INSERT' then
		perform private.log_activity(new.account_id, 'file_request.created', null,
			jsonb_build_object('file_request_id', new.id, 'title', new.title));
	elsif new.status is distinct from old.status then
		perform private.log_activity(new.account_id, 'file_request.' || new.status, null,
			jsonb_build_object('file_request_id', new.id, 'title', new.title));
	end if;
	return null;
end;
$$;
create trigger file_requests_log
after insert or update on public.file_requests
for each row execute function private.log_file_requests();

create function private.log_folders()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if tg_op = 'INSERT' then
		perform private.log_activity(new.account_id, 'folder.created', null,
			jsonb_build_object('folder_id', new.id, 'name', new.name));
	elsif tg_op = 'UPDATE' then
		if new.name is distinct from old.name then
			perform private.log_activity(new.account_id, 'folder.renamed', null,
				jsonb_build_object('folder_id', new.id, 'from', old.name, 'to', new.name));
		end if;
	else
		perform private.log_activity(old.account_id, 'folder.deleted', null,
			jsonb_build_object('folder_id', old.id, 'name', old.name));
	end if;
	return null;
end;
$$;
create trigger folders_log
after insert or update or delete on public.folders
for each row execute function private.log_folders();

revoke all on function private.stored_object(text) from public;
revoke all on function private.documents_before_insert() from public;
revoke all on function private.documents_after_insert() from public;
revoke all on function private.documents_before_update() from public;
revoke all on function private.document_versions_before_insert() from public;
revoke all on function private.document_versions_after_insert() from public;
revoke all on function private.folders_before_delete() from public;
revoke all on function private.messages_after_insert() from public;
revoke all on function private.milestones_before_write() from public;
revoke all on function private.log_status_updates() from public;
revoke all on function private.approval_responses_before_insert() from public;
revoke all on function private.approval_responses_after_insert() from public;
revoke all on function private.approvals_before_update() from public;
revoke all on function private.log_approvals() from public;
revoke all on function private.approval_approvers_after_delete() from public;
revoke all on function private.account_members_drop_approver() from public;
revoke all on function private.log_file_requests() from public;
revoke all on function private.log_folders() from public;

-- ---------------------------------------------------------------------------
-- Row-level security and grants
-- ---------------------------------------------------------------------------

alter table public.folders enable row level security;
alter table public.file_requests enable row level security;
alter table public.document_versions enable row level security;
alter table public.threads enable row level security;
alter table public.messages enable row level security;
alter table public.message_attachments enable row level security;
alter table public.thread_reads enable row level security;
alter table public.projects enable row level security;
alter table public.milestones enable row level security;
alter table public.status_updates enable row level security;
alter table public.approvals enable row level security;
alter table public.approval_approvers enable row level security;
alter table public.approval_responses enable row level security;

revoke all on table public.folders, public.file_requests, public.document_versions,
	public.threads, public.messages, public.message_attachments, public.thread_reads,
	public.projects, public.milestones, public.status_updates, public.approvals,
	public.approval_approvers, public.approval_responses
	from anon, authenticated;
grant all on table public.folders, public.file_requests, public.document_versions,
	public.threads, public.messages, public.message_attachments, public.thread_reads,
	public.projects, public.milestones, public.status_updates, public.approvals,
	public.approval_approvers, public.approval_responses
	to service_role;
-- A decision, once made, is history: not even the service role edits it.
revoke update, delete, truncate on table public.approval_responses from service_role;

-- folders: readers see them; writers create, rename and delete (empty ones).
grant select, delete on table public.folders to authenticated;
grant insert (account_id, parent_id, name) on table public.folders to authenticated;
grant update (name) on table public.folders to authenticated;
create policy "folders: read as reader"
on public.folders for select to authenticated
using (account_id in (select private.readable_accounts()));
create policy "folders: create as writer"
on public.folders for insert to authenticated
with check (account_id in (select private.writable_accounts()));
create policy "folders: rename as writer"
on public.folders for update to authenticated
using (account_id in (select private.writable_accounts()))
with check (account_id in (select private.writable_accounts()));
create policy "folders: delete as writer"
on public.folders for delete to authenticated
using (account_id in (select private.writable_accounts()));

-- documents: writers may also move a document and put it in the trash; on a trashed
-- document only serving staff may act (restore it). Hard deletes stay with staff.
revoke insert on table public.documents from authenticated;
grant insert (id, account_id, name, storage_path, size_bytes, mime_type, uploaded_by, folder_id, file_request_id)
	on table public.documents to authenticated;
grant update (folder_id, deleted_at) on table public.documents to authenticated;
drop policy "documents: rename as owner, member or serving staff" on public.documents;
create policy "documents: edit as writer, restore as serving staff"
on public.documents for update to authenticated
using (
	account_id in (select private.staff_accounts())
	or (deleted_at is null and account_id in (select private.member_accounts(array['owner', 'member'])))
)
with check (account_id in (select private.writable_accounts()));

-- document_versions: readers see every version; writers add one.
grant select on table public.document_versions to authenticated;
grant insert (id, document_id, account_id, storage_path, size_bytes, mime_type, uploaded_by)
	on table public.document_versions to authenticated;
create policy "document_versions: read as reader"
on public.document_versions for select to authenticated
using (account_id in (select private.readable_accounts()));
create policy "document_versions: add as writer"
on public.document_versions for insert to authenticated
with check (
	uploaded_by = (select auth.uid())
	and account_id in (select private.writable_accounts())
);

-- Whether a storage path is the file of some document version. Such objects are kept;
-- any other object in the documents bucket is an upload whose row was never written.
create function private.is_registered_path(p_path text)
returns boolean
language sql stable security definer set search_path = ''
as $$
	select exists (select 1 from public.document_versions where storage_path = p_path)
		or exists (select 1 from public.documents where storage_path = p_path);
$$;
revoke all on function private.is_registered_path(text) from public;
grant execute on function private.is_registered_path(text) to authenticated;

-- The bucket takes only the business file types the app offers (src/lib/uploads/
-- file-rules.ts, kept in step by a unit test): no web pages, scripts or SVG, whatever
-- content type a client claims.
-- upgrade-check: rewrites storage.buckets: the documents bucket gains its list of accepted file types
update storage.buckets set allowed_mime_types = array[
	'application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'text/plain',
	'text/csv', 'text/markdown', 'application/rtf', 'application/msword',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	'application/vnd.ms-excel',
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	'application/vnd.ms-powerpoint',
	'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet',
	'application/vnd.oasis.opendocument.presentation', 'application/zip',
	'application/postscript', 'image/vnd.adobe.photoshop', 'image/heic', 'video/mp4',
	'video/quicktime', 'audio/mpeg'
]
where id = 'documents';

-- Storage: an uploader may remove their own object while no row refers to it (the clean-up
-- after a failed save); registered files stay until staff delete them.
create policy "documents bucket: uploader removes an unsaved upload"
on storage.objects for delete to authenticated
using (
	bucket_id = 'documents'
	and coalesce(owner_id, owner::text) = (select auth.uid())::text
	and private.account_id_from_path(name) in (select private.writable_accounts())
	and not private.is_registered_path(name)
);

-- file_requests: readers see them; serving staff create and update them.
grant select on table public.file_requests to authenticated;
grant insert (id, account_id, title, instructions, due_on) on table public.file_requests to authenticated;
grant update (title, instructions, due_on, status) on table public.file_requests to authenticated;
create policy "file_requests: read as reader"
on public.file_requests for select to authenticated
using (account_id in (select private.readable_accounts()));
create policy "file_requests: create as serving staff"
on public.file_requests for insert to authenticated
with check (account_id in (select private.staff_accounts()));
create policy "file_requests: update as serving staff"
on public.file_requests for update to authenticated
using (account_id in (select private.staff_accounts()))
with check (account_id in (select private.staff_accounts()));

-- threads: readers see them; writers start them.
grant select on table public.threads to authenticated;
grant insert (id, account_id, subject) on table public.threads to authenticated;
create policy "threads: read as reader"
on public.threads for select to authenticated
using (account_id in (select private.readable_accounts()));
create policy "threads: start as writer"
on public.threads for insert to authenticated
with check (
	created_by = (select auth.uid())
	and account_id in (select private.writable_accounts())
);

-- messages: clients never see internal notes; only serving staff write them.
grant select on table public.messages to authenticated;
grant insert (id, thread_id, account_id, body, internal) on table public.messages to authenticated;
create policy "messages: read as reader, internal notes as serving staff"
on public.messages for select to authenticated
using (
	account_id in (select private.staff_accounts())
	or (not internal and account_id in (select private.member_accounts(array['owner', 'member', 'viewer'])))
);
create policy "messages: write as writer, internal notes as serving staff"
on public.messages for insert to authenticated
with check (
	author_id = (select auth.uid())
	and (
		account_id in (select private.staff_accounts())
		or (not internal and account_id in (select private.member_accounts(array['owner', 'member'])))
	)
);

-- message_attachments: visible with their message; added by the message's author.
grant select on table public.message_attachments to authenticated;
grant insert (message_id, document_id, account_id) on table public.message_attachments to authenticated;
create policy "message_attachments: read with the message"
on public.message_attachments for select to authenticated
using (
	account_id in (select private.readable_accounts())
	and message_id in (select m.id from public.messages m)
);
create policy "message_attachments: add to own message"
on public.message_attachments for insert to authenticated
with check (
	account_id in (select private.writable_accounts())
	and message_id in (select m.id from public.messages m where m.author_id = (select auth.uid()))
	and document_id in (select d.id from public.documents d where d.deleted_at is null)
);

-- thread_reads: each person reads and writes only their own read marks.
grant select on table public.thread_reads to authenticated;
grant insert (thread_id, account_id, last_read_at) on table public.thread_reads to authenticated;
grant update (last_read_at) on table public.thread_reads to authenticated;
create policy "thread_reads: read own"
on public.thread_reads for select to authenticated
using (user_id = (select auth.uid()));
create policy "thread_reads: mark own"
on public.thread_reads for insert to authenticated
with check (
	user_id = (select auth.uid())
	and account_id in (select private.readable_accounts())
);
create policy "thread_reads: update own"
on public.thread_reads for update to authenticated
using (user_id = (select auth.uid()))
with check (user_id = (select auth.uid()) and account_id in (select private.readable_accounts()));

-- projects and milestones: readers see them; serving staff run them.
grant select on table public.projects, public.milestones to authenticated;
grant insert (id, account_id, name, description, status) on table public.projects to authenticated;
grant update (name, description, status) on table public.projects to authenticated;
grant delete on table public.projects, public.milestones to authenticated;
grant insert (id, project_id, account_id, title, due_on, state, position) on table public.milestones to authenticated;
grant update (title, due_on, state, position) on table public.milestones to authenticated;
create policy "projects: read as reader"
on public.projects for select to authenticated
using (account_id in (select private.readable_accounts()));
create policy "projects: create as serving staff"
on public.projects for insert to authenticated
with check (account_id in (select private.staff_accounts()));
create policy "projects: update as serving staff"
on public.projects for update to authenticated
using (account_id in (select private.staff_accounts()))
with check (account_id in (select private.staff_accounts()));
create policy "projects: delete as serving staff"
on public.projects for delete to authenticated
using (account_id in (select private.staff_accounts()));
create policy "milestones: read as reader"
on public.milestones for select to authenticated
using (account_id in (select private.readable_accounts()));
create policy "milestones: create as serving staff"
on public.milestones for insert to authenticated
with check (account_id in (select private.staff_accounts()));
create policy "milestones: update as serving staff"
on public.milestones for update to authenticated
using (account_id in (select private.staff_accounts()))
with check (account_id in (select private.staff_accounts()));
create policy "milestones: delete as serving staff"
on public.milestones for delete to authenticated
using (account_id in (select private.staff_accounts()));

-- status_updates: clients see published ones; staff write and edit drafts.
grant select on table public.status_updates to authenticated;
grant insert (id, account_id, project_id, body, published_at) on table public.status_updates to authenticated;
grant update (body, project_id, published_at) on table public.status_updates to authenticated;
create policy "status_updates: read published, drafts as serving staff"
on public.status_updates for select to authenticated
using (
	account_id in (select private.staff_accounts())
	or (published_at is not null and account_id in (select private.member_accounts(array['owner', 'member', 'viewer'])))
);
create policy "status_updates: post as serving staff"
on public.status_updates for insert to authenticated
with check (
	author_id = (select auth.uid())
	and account_id in (select private.staff_accounts())
);
create policy "status_updates: edit drafts as serving staff"
on public.status_updates for update to authenticated
using (published_at is null and account_id in (select private.staff_accounts()))
with check (account_id in (select private.staff_accounts()));

-- approvals: readers see them and the decisions; serving staff request and withdraw;
-- each required approver decides once, as themselves, while still an owner or member.
grant select on table public.approvals, public.approval_approvers, public.approval_responses to authenticated;
grant insert (id, account_id, document_version_id, title, note, due_on) on table public.approvals to authenticated;
grant update (withdrawn_at) on table public.approvals to authenticated;
grant insert (approval_id, account_id, user_id) on table public.approval_approvers to authenticated;
grant insert (approval_id, account_id, decision, comment) on table public.approval_responses to authenticated;
create policy "approvals: read as reader"
on public.approvals for select to authenticated
using (account_id in (select private.readable_accounts()));
create policy "approvals: request as serving staff"
on public.approvals for insert to authenticated
with check (
	requested_by = (select auth.uid())
	and account_id in (select private.staff_accounts())
);
create policy "approvals: withdraw as serving staff"
on public.approvals for update to authenticated
using (account_id in (select private.staff_accounts()))
with check (account_id in (select private.staff_accounts()));
create policy "approval_approvers: read as reader"
on public.approval_approvers for select to authenticated
using (account_id in (select private.readable_accounts()));
create policy "approval_approvers: name owners or members as serving staff"
on public.approval_approvers for insert to authenticated
with check (
	account_id in (select private.staff_accounts())
	-- Viewers and billing users cannot decide, so they cannot be required to.
	and exists (
		select 1 from public.account_members m
		where m.account_id = approval_approvers.account_id
			and m.user_id = approval_approvers.user_id
			and m.role in ('owner', 'member')
	)
);
create policy "approval_responses: read as reader"
on public.approval_responses for select to authenticated
using (account_id in (select private.readable_accounts()));
create policy "approval_responses: decide as a required approver"
on public.approval_responses for insert to authenticated
with check (
	approver_id = (select auth.uid())
	and account_id in (select private.member_accounts(array['owner', 'member']))
	and approval_id in (
		select a.approval_id from public.approval_approvers a where a.user_id = (select auth.uid())
	)
);

-- activity_log: billing users see only people and account events now that the log covers
-- content; the rest as before.
drop policy "activity_log: read as member, serving staff or admin" on public.activity_log;
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
		and action ~ '^(member|account)\.'
	)
	or (account_id is null and (select private.is_admin()))
);

-- profiles: clients now read what staff write (messages, status updates, approvals), so they
-- see the names of the staff who serve their accounts and of the business's admins; never
-- the rest of the team.
create function private.serving_staff()
returns setof uuid
language sql stable security definer set search_path = ''
as $$
	select sa.staff_user_id from public.staff_assignments sa
	where sa.account_id in (select private.member_accounts())
	union
	select s.user_id from public.staff_members s
	where s.role = 'admin' and exists (select 1 from private.member_accounts());
$$;
revoke all on function private.serving_staff() from public;
grant execute on function private.serving_staff() to authenticated;

create policy "profiles: clients read the staff who serve them"
on public.profiles for select to authenticated
using (id in (select private.serving_staff()));
