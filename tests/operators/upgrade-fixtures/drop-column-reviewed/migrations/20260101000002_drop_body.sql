-- Fixture: the same drop, reviewed.
-- upgrade-check: destructive-reviewed: fixture; in a real project say why the values are not needed

alter table public.notes drop column body;
