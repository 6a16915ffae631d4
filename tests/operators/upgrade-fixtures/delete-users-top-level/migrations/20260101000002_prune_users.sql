-- Fixture: deletes some users at top level; the cascade takes their identities and notes.

delete from auth.users where email like 'client1%';
