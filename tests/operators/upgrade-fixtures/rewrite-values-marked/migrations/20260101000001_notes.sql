-- Fixture: one table of notes written by users; the check's generated dataset fills it.
create table public.notes (
	id bigint generated always as identity primary key,
	author_id uuid not null references auth.users (id) on delete cascade,
	title text not null,
	body text,
	created_at timestamptz not null default now()
);
create index notes_author_id_idx on public.notes (author_id);
alter table public.notes enable row level security;
