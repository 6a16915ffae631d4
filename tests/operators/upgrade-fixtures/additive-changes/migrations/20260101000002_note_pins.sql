-- Fixture: only additive changes and drops that lose no data, which must pass unmarked: a new
-- column filled by a top-level update (like profiles.email), a scratch table created and
-- dropped, `drop … if exists` of things that never existed, and policy, trigger, function and
-- index drops. Function bodies may delete and truncate: the scan does not look inside them.

alter table public.notes add column pinned boolean not null default false;
alter table public.notes add column title_length int;
update public.notes set title_length = char_length(title);

create table public.notes_scratch (id int primary key);
insert into public.notes_scratch values (1), (2);
delete from public.notes_scratch where id = 1;
drop table public.notes_scratch;
drop table if exists public.never_existed;
alter table if exists public.never_existed drop column whatever;

create policy "notes: read own" on public.notes for select to authenticated
	using (author_id = (select auth.uid()));
drop policy "notes: read own" on public.notes;

create function public.purge_notes() returns void language sql as $$
	delete from public.notes;
	truncate public.notes;
$$;
drop function public.purge_notes();

create function public.touch_note() returns trigger language plpgsql as $$
begin
	new.title_length := char_length(new.title);
	return new;
end;
$$;
create trigger notes_touch before update on public.notes
	for each row execute function public.touch_note();
drop trigger notes_touch on public.notes;
drop index public.notes_author_id_idx;
create index notes_author_id_idx on public.notes (author_id);
