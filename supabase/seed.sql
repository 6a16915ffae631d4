-- Demo data for local development and tests. Never run against a hosted project
-- holding real data. Every demo login's password is: portal-demo-2026
--
-- Users are inserted the way GoTrue stores them (bcrypt via pgcrypto, an email
-- identity, empty token strings rather than NULL), so the same file seeds
-- @supabase/lite and a Supabase project reset with the Supabase CLI.

insert into auth.users (id, aud, role, email, encrypted_password, email_confirmed_at,
	raw_app_meta_data, raw_user_meta_data, created_at, updated_at, confirmation_token,
	recovery_token, email_change_token_new, email_change_token_current, email_change,
	reauthentication_token, phone_change, phone_change_token)
values
	('a0000000-0000-4000-8000-000000000001', 'authenticated', 'authenticated', 'ada@staff.example.com',
		extensions.crypt('portal-demo-2026', extensions.gen_salt('bf', 10)), now(),
		'{"provider": "email", "providers": ["email"]}', '{"display_name": "Ada Admin"}',
		now(), now(), '', '', '', '', '', '', '', ''),
	('a0000000-0000-4000-8000-000000000002', 'authenticated', 'authenticated', 'sam@staff.example.com',
		extensions.crypt('portal-demo-2026', extensions.gen_salt('bf', 10)), now(),
		'{"provider": "email", "providers": ["email"]}', '{"display_name": "Sam Staff"}',
		now(), now(), '', '', '', '', '', '', '', ''),
	('a0000000-0000-4000-8000-000000000003', 'authenticated', 'authenticated', 'tess@staff.example.com',
		extensions.crypt('portal-demo-2026', extensions.gen_salt('bf', 10)), now(),
		'{"provider": "email", "providers": ["email"]}', '{"display_name": "Tess Staff"}',
		now(), now(), '', '', '', '', '', '', '', ''),
	('c0000000-0000-4000-8000-000000000001', 'authenticated', 'authenticated', 'olivia@acme.example.com',
		extensions.crypt('portal-demo-2026', extensions.gen_salt('bf', 10)), now(),
		'{"provider": "email", "providers": ["email"]}', '{"display_name": "Olivia Owner"}',
		now(), now(), '', '', '', '', '', '', '', ''),
	('c0000000-0000-4000-8000-000000000002', 'authenticated', 'authenticated', 'mark@acme.example.com',
		extensions.crypt('portal-demo-2026', extensions.gen_salt('bf', 10)), now(),
		'{"provider": "email", "providers": ["email"]}', '{"display_name": "Mark Member"}',
		now(), now(), '', '', '', '', '', '', '', ''),
	('c0000000-0000-4000-8000-000000000003', 'authenticated', 'authenticated', 'bill@acme.example.com',
		extensions.crypt('portal-demo-2026', extensions.gen_salt('bf', 10)), now(),
		'{"provider": "email", "providers": ["email"]}', '{"display_name": "Bill Billing"}',
		now(), now(), '', '', '', '', '', '', '', ''),
	('c0000000-0000-4000-8000-000000000004', 'authenticated', 'authenticated', 'vera@acme.example.com',
		extensions.crypt('portal-demo-2026', extensions.gen_salt('bf', 10)), now(),
		'{"provider": "email", "providers": ["email"]}', '{"display_name": "Vera Viewer"}',
		now(), now(), '', '', '', '', '', '', '', ''),
	('c0000000-0000-4000-8000-000000000005', 'authenticated', 'authenticated', 'grace@globex.example.com',
		extensions.crypt('portal-demo-2026', extensions.gen_salt('bf', 10)), now(),
		'{"provider": "email", "providers": ["email"]}', '{"display_name": "Grace Owner"}',
		now(), now(), '', '', '', '', '', '', '', ''),
	('c0000000-0000-4000-8000-000000000006', 'authenticated', 'authenticated', 'gus@globex.example.com',
		extensions.crypt('portal-demo-2026', extensions.gen_salt('bf', 10)), now(),
		'{"provider": "email", "providers": ["email"]}', '{"display_name": "Gus Member"}',
		now(), now(), '', '', '', '', '', '', '', '');

insert into auth.identities (id, provider, provider_id, user_id, identity_data, last_sign_in_at, created_at, updated_at)
select gen_random_uuid(), 'email', u.id::text, u.id,
	jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true), now(), now(), now()
from auth.users u
where u.email like '%.example.com';

insert into public.staff_members (user_id, role) values
	('a0000000-0000-4000-8000-000000000001', 'admin'),
	('a0000000-0000-4000-8000-000000000002', 'staff'),
	('a0000000-0000-4000-8000-000000000003', 'staff');

insert into public.client_accounts (id, name) values
	('10000000-0000-4000-8000-00000000ac01', 'Acme Corporation'),
	('20000000-0000-4000-8000-00000000910b', 'Globex Household');

insert into public.account_members (account_id, user_id, role) values
	('10000000-0000-4000-8000-00000000ac01', 'c0000000-0000-4000-8000-000000000001', 'owner'),
	('10000000-0000-4000-8000-00000000ac01', 'c0000000-0000-4000-8000-000000000002', 'member'),
	('10000000-0000-4000-8000-00000000ac01', 'c0000000-0000-4000-8000-000000000003', 'billing'),
	('10000000-0000-4000-8000-00000000ac01', 'c0000000-0000-4000-8000-000000000004', 'viewer'),
	('20000000-0000-4000-8000-00000000910b', 'c0000000-0000-4000-8000-000000000005', 'owner'),
	('20000000-0000-4000-8000-00000000910b', 'c0000000-0000-4000-8000-000000000006', 'member');

-- Sam serves Acme, Tess serves Globex; Ada (admin) sees both.
insert into public.staff_assignments (account_id, staff_user_id) values
	('10000000-0000-4000-8000-00000000ac01', 'a0000000-0000-4000-8000-000000000002'),
	('20000000-0000-4000-8000-00000000910b', 'a0000000-0000-4000-8000-000000000003');

-- Document rows. The files themselves live in storage; the local stack uploads them
-- from supabase/seed-files/ right after seeding (scripts/seed-files.ts).
insert into public.documents (id, account_id, name, storage_path, size_bytes, mime_type, uploaded_by) values
	('d0000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-00000000ac01', 'Statement of work.pdf', '10000000-0000-4000-8000-00000000ac01/d0000000-0000-4000-8000-000000000001/Statement of work.pdf', 819, 'application/pdf', 'a0000000-0000-4000-8000-000000000002'),
	('d0000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-00000000ac01', 'Kick-off notes.txt', '10000000-0000-4000-8000-00000000ac01/d0000000-0000-4000-8000-000000000002/Kick-off notes.txt', 136, 'text/plain', 'c0000000-0000-4000-8000-000000000001'),
	('d0000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-00000000ac01', 'Brand logo.png', '10000000-0000-4000-8000-00000000ac01/d0000000-0000-4000-8000-000000000003/Brand logo.png', 205, 'image/png', 'c0000000-0000-4000-8000-000000000002'),
	('d0000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-00000000910b', 'Home survey.pdf', '20000000-0000-4000-8000-00000000910b/d0000000-0000-4000-8000-000000000004/Home survey.pdf', 739, 'application/pdf', 'a0000000-0000-4000-8000-000000000003'),
	('d0000000-0000-4000-8000-000000000005', '20000000-0000-4000-8000-00000000910b', 'Welcome letter.txt', '20000000-0000-4000-8000-00000000910b/d0000000-0000-4000-8000-000000000005/Welcome letter.txt', 91, 'text/plain', 'a0000000-0000-4000-8000-000000000001');
