-- Fixture: rewrites existing values of a column the table already had. The static scan does
-- not flag `update`; the data comparison must.

update public.notes set title = upper(title);
