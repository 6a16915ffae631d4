-- Fixture: the same rewrite, declared.
-- upgrade-check: rewrites public.notes: fixture; titles are upper-cased on purpose

update public.notes set title = upper(title);
