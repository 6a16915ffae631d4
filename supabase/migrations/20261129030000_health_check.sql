-- A no-op the app's /health endpoint calls through the data API, to learn whether the API
-- and the database answer. Security invoker, reads nothing, returns true.

create function public.health_check()
returns boolean
language sql stable security invoker set search_path = ''
as $$
	select true;
$$;
comment on function public.health_check() is 'Answers true: proves the data API reaches the database.';

revoke all on function public.health_check() from public;
grant execute on function public.health_check() to anon, authenticated, service_role;
