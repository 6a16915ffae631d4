/** The foundation's account scoping, seen through the data API as each demo actor. */
import { describe, expect, it } from 'vitest';
import { ACME, GLOBEX, anonClient, signedIn } from './env';

async function visibleDocumentAccounts(email: string) {
	const client = await signedIn(email);
	const { data, error } = await client.from('documents').select('account_id');
	expect(error).toBeNull();
	return [...new Set(data!.map((d) => d.account_id))].sort();
}

describe('who sees which account’s documents', () => {
	it.each([
		['olivia@acme.example.com', [ACME]],
		['mark@acme.example.com', [ACME]],
		['vera@acme.example.com', [ACME]],
		['bill@acme.example.com', []],
		['grace@globex.example.com', [GLOBEX]],
		['sam@staff.example.com', [ACME]],
		['tess@staff.example.com', [GLOBEX]],
		['ada@staff.example.com', [ACME, GLOBEX].sort()]
	])('%s sees %j', async (email, expected) => {
		expect(await visibleDocumentAccounts(email)).toEqual(expected);
	});

	it('refuses the anonymous role outright (no grant)', async () => {
		const { data, error } = await anonClient().from('documents').select('id');
		expect(data).toBeNull();
		expect(error?.code).toBe('42501');
	});

	it('refuses a client filing a document into another account', async () => {
		const olivia = await signedIn('olivia@acme.example.com');
		const { data: me } = await olivia.auth.getUser();
		// A real Globex file: the row is refused by the policy, not for want of a file.
		const { error } = await olivia.from('documents').insert({
			account_id: GLOBEX,
			name: 'sneaky.txt',
			storage_path: `${GLOBEX}/d0000000-0000-4000-8000-000000000004/Home survey.pdf`,
			size_bytes: 1,
			mime_type: 'text/plain',
			uploaded_by: me.user!.id
		});
		expect(error?.code).toBe('42501');
	});

	it('does not let a member move a document to another account', async () => {
		const mark = await signedIn('mark@acme.example.com');
		const { data, error } = await mark
			.from('documents')
			// account_id has no update grant at all
			.update({ account_id: GLOBEX } as never)
			.eq('account_id', ACME)
			.select();
		expect(data).toBeNull();
		expect(error?.code).toBe('42501');
	});

	it('shows a client only their own accounts', async () => {
		const grace = await signedIn('grace@globex.example.com');
		const { data } = await grace.from('client_accounts').select('name');
		expect(data).toEqual([{ name: 'Globex Household' }]);
	});
});
