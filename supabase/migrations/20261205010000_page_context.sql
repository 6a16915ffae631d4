-- Fewer requests per page (issue 8, benchmark 2: `npm run bench -- --only pages`). Every
-- page of an account made 14 to 17 requests to Supabase in four rounds: the session check,
-- then the layouts' reads (branding, the bell, the staff role, the account, the membership,
-- the accounts to switch to, three navigation counts), then the page's own, then the names
-- of the people it shows. This gives the layouts one call, and the pages their names with
-- their rows, so that a page is the session check and then one round of reads.
-- Nobody's access changes: page_context returns what the caller could read table by table
-- (tests/db/page-context.test.ts compares the two for every actor and account), and the new
-- foreign keys only let the API embed a profile the caller may already read.

-- ---------------------------------------------------------------------------
-- What every page's layouts show, in one call
-- ---------------------------------------------------------------------------

-- One row, always. Branding, for everyone signed in; the caller's staff role, unread
-- notifications and the accounts they belong to; and when p_account_id is an account the
-- caller may see: its name and status, their role in it, and (for the account's readers) the
-- navigation's counts. Definer, like thread_page, for @supabase/lite (an invoker function may
-- not read auth.uid() there), so each part restates its table's select policy:
--   branding             anyone;
--   staff_members        one's own row;
--   notifications        one's own, in accounts one may read (or about no account);
--   client_accounts      admins, members of any role, serving staff (visible_accounts);
--   account_members      one's own memberships (each account is visible to its member);
--   file_requests,
--   approvals            the account's readers (readable_accounts; admins among them);
--   unread messages      public.unread_message_count, which applies the messages policy.
create function public.page_context(p_account_id uuid default null)
returns table (
	business_name text,
	primary_color text,
	logo_path text,
	branding_updated_at timestamptz,
	staff_role text,
	unread_notifications integer,
	member_account_ids uuid[],
	member_account_names text[],
	account_id uuid,
	account_name text,
	account_status text,
	member_role text,
	can_read boolean,
	open_requests integer,
	pending_approvals integer,
	unread_messages integer
)
language plpgsql stable security definer set search_path = ''
as $$
declare
	v_uid uuid := (select auth.uid());
	v_visible boolean;
	v_readable boolean;
begin
	select b.business_name, b.primary_color, b.logo_path, b.updated_at
	into business_name, primary_color, logo_path, branding_updated_at
	from public.branding b
	limit 1;

	if v_uid is null then
		return next;
		return;
	end if;

	select s.role::text into staff_role from public.staff_members s where s.user_id = v_uid;

	select count(*)::integer into unread_notifications
	from public.notifications n
	where n.user_id = v_uid
		and n.read_at is null
		and (n.account_id is null or n.account_id in (select private.readable_accounts()));

	select coalesce(array_agg(a.id order by a.name, a.id), '{}'),
		coalesce(array_agg(a.name order by a.name, a.id), '{}')
	into member_account_ids, member_account_names
	from public.account_members m
	join public.client_accounts a on a.id = m.account_id
	where m.user_id = v_uid;

	v_visible := p_account_id is not null and (
		private.is_admin() or p_account_id in (select private.visible_accounts())
	);
	if v_visible then
		select a.id, a.name, a.status::text into account_id, account_name, account_status
		from public.client_accounts a
		where a.id = p_account_id;
	end if;

	if account_id is not null then
		select m.role::text into member_role
		from public.account_members m
		where m.account_id = p_account_id and m.user_id = v_uid;

		v_readable := private.is_admin() or p_account_id in (select private.readable_accounts());
		can_read := v_readable;
		if v_readable then
			select count(*)::integer into open_requests
			from public.file_requests r
			where r.account_id = p_account_id and r.status = 'open';

			select count(*)::integer into pending_approvals
			from public.approval_approvers aa
			join public.approvals ap on ap.id = aa.approval_id
			where aa.account_id = p_account_id
				and aa.user_id = v_uid
				and ap.status = 'pending';

			unread_messages := public.unread_message_count(p_account_id);
		end if;
	end if;

	return next;
end;
$$;
revoke all on function public.page_context(uuid) from public, anon;
grant execute on function public.page_context(uuid) to authenticated;

-- ---------------------------------------------------------------------------
-- Names with the rows that show them
-- ---------------------------------------------------------------------------

-- The authors of messages and status updates and who uploaded or deleted a document were
-- read in a second request after the rows (`profiles?id=in.(…)`). With these keys the API
-- embeds the profile in the same request (`author:profiles(display_name, email)`), under the
-- profiles policy as before: a name the caller may not read comes back as null. Every user
-- has a profile (made with the user, removed with them), so each existing value has one; on
-- a profile's removal the value becomes null, as the key to auth.users already does.
alter table public.messages
	add constraint messages_author_id_profile_fkey
	foreign key (author_id) references public.profiles (id) on delete set null;
alter table public.status_updates
	add constraint status_updates_author_id_profile_fkey
	foreign key (author_id) references public.profiles (id) on delete set null;
alter table public.documents
	add constraint documents_uploaded_by_profile_fkey
	foreign key (uploaded_by) references public.profiles (id) on delete set null;
alter table public.documents
	add constraint documents_deleted_by_profile_fkey
	foreign key (deleted_by) references public.profiles (id) on delete set null;
