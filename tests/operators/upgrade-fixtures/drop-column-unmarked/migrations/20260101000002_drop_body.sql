-- Fixture: drops a column that holds data, without the reviewed marker.

alter table public.notes drop column body;
