-- Fixture: rebuilds the table (new column order), copying every row: destructive statements,
-- reviewed, and the data comparison still follows the rows into the new table.
-- upgrade-check: destructive-reviewed: fixture; every row is copied before the drop

create table public.notes_new (
	id bigint generated always as identity primary key,
	title text not null,
	body text,
	author_id uuid not null references auth.users (id) on delete cascade,
	created_at timestamptz not null default now()
);
insert into public.notes_new (id, title, body, author_id, created_at)
	overriding system value
	select id, title, body, author_id, created_at from public.notes;
drop table public.notes;
alter table public.notes_new rename to notes;
create index notes_author_id_idx on public.notes (author_id);
alter table public.notes enable row level security;
