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
		now(), now(), '', '', '', '', '', '', '', ''),
	('c0000000-0000-4000-8000-000000000007', 'authenticated', 'authenticated', 'nina@consultant.example.com',
		extensions.crypt('portal-demo-2026', extensions.gen_salt('bf', 10)), now(),
		'{"provider": "email", "providers": ["email"]}', '{"display_name": "Nina Consultant"}',
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
	('20000000-0000-4000-8000-00000000910b', 'c0000000-0000-4000-8000-000000000006', 'member'),
	-- Nina advises both clients: she switches between their accounts from the header.
	('10000000-0000-4000-8000-00000000ac01', 'c0000000-0000-4000-8000-000000000007', 'viewer'),
	('20000000-0000-4000-8000-00000000910b', 'c0000000-0000-4000-8000-000000000007', 'member');

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

-- The portal's content (migration 20261129040000). Acme is a website project in full
-- swing; Globex has just started. Version 2 of the homepage design replaces version 1.
insert into public.folders (id, account_id, name, created_by) values
	('f0000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-00000000ac01', 'Contracts', 'a0000000-0000-4000-8000-000000000002'),
	('f0000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-00000000ac01', 'Design', 'a0000000-0000-4000-8000-000000000002');

update public.documents set folder_id = 'f0000000-0000-4000-8000-000000000001'
where id = 'd0000000-0000-4000-8000-000000000001';

insert into public.documents (id, account_id, folder_id, name, storage_path, size_bytes, mime_type, uploaded_by) values
	('d0000000-0000-4000-8000-000000000006', '10000000-0000-4000-8000-00000000ac01', 'f0000000-0000-4000-8000-000000000002', 'Homepage design.pdf', '10000000-0000-4000-8000-00000000ac01/d0000000-0000-4000-8000-000000000006/Homepage design.pdf', 753, 'application/pdf', 'a0000000-0000-4000-8000-000000000002');
insert into public.document_versions (id, document_id, account_id, version, storage_path, size_bytes, mime_type, uploaded_by) values
	('e1000000-0000-4000-8000-000000000002', 'd0000000-0000-4000-8000-000000000006', '10000000-0000-4000-8000-00000000ac01', 2, '10000000-0000-4000-8000-00000000ac01/d0000000-0000-4000-8000-000000000006/2/Homepage design (rev 2).pdf', 774, 'application/pdf', 'a0000000-0000-4000-8000-000000000002');

insert into public.file_requests (id, account_id, title, instructions, due_on, requested_by) values
	('f1000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-00000000ac01', 'Logo in vector format', 'An SVG, EPS or PDF of your logo, so it stays sharp at every size.', current_date + 5, 'a0000000-0000-4000-8000-000000000002'),
	('f1000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-00000000ac01', 'Signed statement of work', 'Print, sign and scan the statement of work in the Contracts folder.', current_date - 2, 'a0000000-0000-4000-8000-000000000002'),
	('f1000000-0000-4000-8000-000000000003', '20000000-0000-4000-8000-00000000910b', 'Floor plan', 'A photo or scan of your floor plan.', current_date + 10, 'a0000000-0000-4000-8000-000000000003');

insert into public.threads (id, account_id, subject, created_by, created_at, last_message_at) values
	('71000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-00000000ac01', 'Homepage feedback', 'a0000000-0000-4000-8000-000000000002', now() - interval '2 days', now() - interval '2 days'),
	('71000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-00000000910b', 'Survey visit', 'a0000000-0000-4000-8000-000000000003', now() - interval '1 day', now() - interval '1 day');
insert into public.messages (thread_id, account_id, author_id, body, internal, created_at) values
	('71000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-00000000ac01', 'a0000000-0000-4000-8000-000000000002', 'Hello Olivia, the second homepage draft is up for approval. Tell us what you think!', false, now() - interval '2 days'),
	('71000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-00000000ac01', 'c0000000-0000-4000-8000-000000000002', 'Looks great so far. Could the hero image be larger?', false, now() - interval '1 day'),
	('71000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-00000000ac01', 'a0000000-0000-4000-8000-000000000002', 'Internal: Olivia prefers calls in the morning.', true, now() - interval '20 hours'),
	('71000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-00000000910b', 'a0000000-0000-4000-8000-000000000003', 'Hi Grace, we can visit on Tuesday at 10:00. Does that suit you?', false, now() - interval '1 day');

insert into public.projects (id, account_id, name, description, status, created_by) values
	('b1000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-00000000ac01', 'Website redesign', 'A new website: discovery, design, build and launch.', 'active', 'a0000000-0000-4000-8000-000000000002'),
	('b1000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-00000000910b', 'Kitchen renovation', 'Survey, plans and building work.', 'active', 'a0000000-0000-4000-8000-000000000003');
insert into public.milestones (project_id, account_id, title, due_on, state, position) values
	('b1000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-00000000ac01', 'Discovery workshop', current_date - 20, 'done', 1),
	('b1000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-00000000ac01', 'Homepage design', current_date + 3, 'in_progress', 2),
	('b1000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-00000000ac01', 'Build', current_date + 30, 'planned', 3),
	('b1000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-00000000ac01', 'Launch', current_date + 45, 'planned', 4),
	('b1000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-00000000910b', 'Survey', current_date + 4, 'planned', 1);
insert into public.status_updates (account_id, project_id, body, author_id, created_at, published_at) values
	('10000000-0000-4000-8000-00000000ac01', 'b1000000-0000-4000-8000-000000000001', 'Discovery is done: thank you for a productive workshop. The homepage design is next.', 'a0000000-0000-4000-8000-000000000002', now() - interval '10 days', now() - interval '10 days'),
	('10000000-0000-4000-8000-00000000ac01', 'b1000000-0000-4000-8000-000000000001', 'The second homepage draft is ready for your approval.', 'a0000000-0000-4000-8000-000000000002', now() - interval '2 days', now() - interval '2 days'),
	('10000000-0000-4000-8000-00000000ac01', 'b1000000-0000-4000-8000-000000000001', 'Draft: build starts once the design is approved.', 'a0000000-0000-4000-8000-000000000002', now() - interval '1 hour', null),
	('20000000-0000-4000-8000-00000000910b', 'b1000000-0000-4000-8000-000000000002', 'Welcome aboard! We will survey your kitchen first.', 'a0000000-0000-4000-8000-000000000003', now() - interval '1 day', now() - interval '1 day');

insert into public.approvals (id, account_id, document_version_id, title, note, due_on, requested_by) values
	('a1000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-00000000ac01', 'e1000000-0000-4000-8000-000000000002', 'Homepage design, second draft', 'Please approve, or tell us what to change.', current_date + 3, 'a0000000-0000-4000-8000-000000000002');
insert into public.approval_approvers (approval_id, account_id, user_id) values
	('a1000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-00000000ac01', 'c0000000-0000-4000-8000-000000000001'),
	('a1000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-00000000ac01', 'c0000000-0000-4000-8000-000000000002');

-- Notifications (migration 20261204010000). The rows above told their people, as any change
-- does: the bell shows that history. The emails they queued are dropped: nobody is mailed
-- about demo data made before they could sign in.
delete from private.email_deliveries;
delete from private.digest_queue;

-- Ada hears at once when someone joins the team (the default is a daily digest).
insert into public.notification_preferences (user_id, kind, frequency) values
	('a0000000-0000-4000-8000-000000000001', 'invitation', 'immediate');
