-- Fixture: the same rebuild, reviewed, but the copy leaves rows behind: the marker allows the
-- statements, not the loss.
-- upgrade-check: destructive-reviewed: fixture; every row is copied before the drop (it is not)

create table public.notes_new (
	id bigint generated always as identity primary key,
	title text not null,
	body text,
	author_id uuid not null references auth.users (id) on delete cascade,
	created_at timestamptz not null default now()
);
insert into public.notes_new (id, title, body, author_id, created_at)
	overriding system value
	select id, title, body, author_id, created_at from public.notes where id > 10;
drop table public.notes;
alter table public.notes_new rename to notes;
