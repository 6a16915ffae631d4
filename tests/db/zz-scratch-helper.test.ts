import { afterAll, beforeAll, it } from 'vitest';
import { openTestDb, pgError, type TestDb } from './harness';
const ACME = '10000000-0000-4000-8000-00000000ac01';
const GRACE = 'c0000000-0000-4000-8000-000000000005';
const SAM = 'a0000000-0000-4000-8000-000000000002';
let db: TestDb;
beforeAll(async () => { db = await openTestDb(); });
afterAll(async () => { await db?.close(); });
const tryq = async (label: string, f: () => Promise<unknown>) => {
	try { const r = await f(); console.log(label, 'OK', JSON.stringify((r as {rows: unknown}).rows ?? r)); }
	catch (e) { const p = pgError(e); console.log(label, 'ERR', p.code, p.message); }
};
it('probes', async () => {
	await db.asOwner(async (tx) => {
		await tryq('nested folder', () => tx.query(`insert into public.folders (id, account_id, parent_id, name) values ('f0000000-0000-4000-8000-0000000000aa', '${ACME}', 'f0000000-0000-4000-8000-000000000001', 'Sub')`));
		await tryq('delete account', () => tx.query(`delete from public.client_accounts where id = '${ACME}'`));
	}, { rollback: true });
	await db.asOwner(async (tx) => {
		await tryq('delete account (no nesting)', () => tx.query(`delete from public.client_accounts where id = '${ACME}'`));
	}, { rollback: true });
	await db.asOwner(async (tx) => {
		await tryq('delete globex', () => tx.query(`delete from public.client_accounts where id = '20000000-0000-4000-8000-00000000910b'`));
	}, { rollback: true });
	await db.asUser(GRACE, async (tx) => {
		await tx.asOwner(() => tx.query(`update public.approvals set status = 'approved' where id = 'a1000000-0000-4000-8000-000000000001'`));
		await tryq('grace responds to decided acme approval', () => tx.query(`insert into public.approval_responses (approval_id, account_id, decision) values ('a1000000-0000-4000-8000-000000000001', '${ACME}', 'approved')`));
		await tryq('grace doc with missing file', () => tx.query(`insert into public.documents (account_id, name, storage_path, size_bytes, mime_type, uploaded_by) values ('${ACME}', 'x', '${ACME}/x/y.txt', 1, 'text/plain', auth.uid())`));
		await tryq('grace doc with existing file', () => tx.query(`insert into public.documents (account_id, name, storage_path, size_bytes, mime_type, uploaded_by) values ('${ACME}', 'x', '${ACME}/d0000000-0000-4000-8000-000000000001/Statement of work.pdf', 1, 'text/plain', auth.uid())`));
	});
	await db.asUser(SAM, async (tx) => {
		await tryq('sam vers', () => tx.query(`select id, document_id, version from public.document_versions order by document_id, version`));
		await tryq('sam activity', () => tx.query(`select account_id, action from public.activity_log order by id`));
	});
});
