-- Fixture: deletes rows inside a DO block, where the static scan does not look; the data
-- comparison must catch it.

do $$
begin
	delete from public.notes where id % 2 = 0;
end
$$;
