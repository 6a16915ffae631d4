/**
 * Staff assignments: staff see who else serves the accounts they serve (the staff account
 * page lists them), never the assignments of accounts they do not serve. Needs a second
 * staff member on one account, which the seed does not have, so this sits beside the matrix.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openTestDb, type TestDb } from './harness';

const ACME = '10000000-0000-4000-8000-00000000ac01';
const GLOBEX = '20000000-0000-4000-8000-00000000910b';
const SAM = 'a0000000-0000-4000-8000-000000000002'; // staff, assigned to Acme
const TESS = 'a0000000-0000-4000-8000-000000000003'; // staff, assigned to Globex only
const OLIVIA = 'c0000000-0000-4000-8000-000000000001'; // Acme owner

let db: TestDb;

beforeAll(async () => {
	db = await openTestDb();
});

afterAll(async () => {
	await db?.close();
});

const everyAssignment = `select account_id, staff_user_id from public.staff_assignments
	order by account_id, staff_user_id`;

it('shows staff the colleagues on their accounts, and nothing of other accounts', async () => {
	const stan = randomUUID();
	await db.asUser(SAM, async (tx) => {
		// A second staff member on Acme, made as the owner in this (rolled back) transaction.
		await tx.asOwner(async () => {
			await tx.query(
				`insert into auth.users (id, aud, role, email, email_confirmed_at, created_at, updated_at)
				 values ($1::uuid, 'authenticated', 'authenticated', 'stan@staff.example.com', now(), now(), now())`,
				[stan]
			);
			await tx.query(
				`insert into public.staff_members (user_id, role) values ($1::uuid, 'staff')`,
				[stan]
			);
			await tx.query(
				`insert into public.staff_assignments (account_id, staff_user_id) values ($1::uuid, $2::uuid)`,
				[ACME, stan]
			);
		});

		const acmeTeam = [
			{ account_id: ACME, staff_user_id: SAM },
			{ account_id: ACME, staff_user_id: stan }
		].sort((a, b) => a.staff_user_id.localeCompare(b.staff_user_id));
		expect((await tx.query(everyAssignment)).rows).toEqual(acmeTeam);
		await tx.asUser(stan, async () => {
			expect((await tx.query(everyAssignment)).rows).toEqual(acmeTeam);
		});
		await tx.asUser(TESS, async () => {
			expect((await tx.query(everyAssignment)).rows).toEqual([
				{ account_id: GLOBEX, staff_user_id: TESS }
			]);
		});
		// Clients see no staff assignments at all.
		await tx.asUser(OLIVIA, async () => {
			expect((await tx.query(everyAssignment)).rows).toEqual([]);
		});
	});
});
