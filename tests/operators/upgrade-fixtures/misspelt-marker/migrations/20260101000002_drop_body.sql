-- Fixture: the same drop with a misspelt marker, which must not count as a review.
-- upgrade-check: destructive-reviewd: fixture

alter table public.notes drop column body;
