-- Names with the activity that shows them (issue 8, benchmark 2). The activity feed (the
-- overview and the activity page) read its entries, then the names of the people they mention
-- in a second request: a second round after the first, on every page that shows activity.
-- The log outlives people and is append-only, so it has no keys to profiles for the API to
-- embed through; these computed relationships stand in for them
-- (`activity_log?select=…,actor(display_name, email),subject(display_name, email)`).
-- Invoker functions: the profiles policy decides, as for the separate request (a name the
-- caller may not read comes back as null). One primary-key probe per entry shown.

create function public.actor(public.activity_log)
returns setof public.profiles rows 1
language sql stable set search_path = ''
as $$
	select p.* from public.profiles p where p.id = $1.actor_id;
$$;

create function public.subject(public.activity_log)
returns setof public.profiles rows 1
language sql stable set search_path = ''
as $$
	select p.* from public.profiles p where p.id = $1.subject_user_id;
$$;

revoke all on function public.actor(public.activity_log) from public, anon;
revoke all on function public.subject(public.activity_log) from public, anon;
grant execute on function public.actor(public.activity_log) to authenticated;
grant execute on function public.subject(public.activity_log) to authenticated;
