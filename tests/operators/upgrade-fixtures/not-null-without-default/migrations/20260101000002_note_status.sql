-- Fixture: a required column without a default applies to an empty database but not to one
-- with notes in it; the check applies every migration on top of data.

alter table public.notes add column status text not null;
