-- Fixture: narrows a column's type (every generated title still fits, so it applies).

alter table public.notes alter column title type varchar(40);
