/**
 * The staff workspace (migration 20261129050000) through supabase-js: the preview of the
 * portal as one client member, the open-item counts, request_approval and branding, as the
 * app's server calls them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, anonClient, GLOBEX, signedIn, type Client } from './env';

const OLIVIA = 'c0000000-0000-4000-8000-000000000001';
const MARK = 'c0000000-0000-4000-8000-000000000002';
const VERA = 'c0000000-0000-4000-8000-000000000004';
const ACME_VERSION = 'e1000000-0000-4000-8000-000000000002';

let sam: Client;
let tess: Client;
let olivia: Client;
let ada: Client;
const madeApprovals: string[] = [];

beforeAll(async () => {
	[sam, tess, olivia, ada] = await Promise.all([
		signedIn('sam@staff.example.com'),
		signedIn('tess@staff.example.com'),
		signedIn('olivia@acme.example.com'),
		signedIn('ada@staff.example.com')
	]);
});

afterAll(async () => {
	// Withdraw what this file requested, so the seeded counts stay meaningful for others.
	for (const id of madeApprovals) {
		await sam.from('approvals').update({ withdrawn_at: new Date().toISOString() }).eq('id', id);
	}
});

interface PreviewBody {
	role: string;
	documents: { id: string }[];
	threads: { id: string; message_count: number }[];
	status_updates: { id: string; published_at: string | null }[];
}

describe('preview_portal', () => {
	it('answers Sam with what Olivia reads herself, and nothing more', async () => {
		const preview = await sam.rpc('preview_portal', { p_account_id: ACME, p_member_id: OLIVIA });
		expect(preview.error).toBeNull();
		const body = preview.data as unknown as PreviewBody;
		expect(body.role).toBe('owner');

		const [docs, messages] = await Promise.all([
			olivia.from('documents').select('id').eq('account_id', ACME).is('deleted_at', null),
			olivia.from('messages').select('id', { count: 'exact', head: true }).eq('account_id', ACME)
		]);
		expect(body.documents.map((d) => d.id).sort()).toEqual(docs.data!.map((d) => d.id).sort());
		expect(body.threads.reduce((n, t) => n + t.message_count, 0)).toBe(messages.count);
		expect(body.status_updates.every((s) => s.published_at !== null)).toBe(true);

		// After the preview, Sam's next request is Sam's again: he sees the internal note.
		const internal = await sam
			.from('messages')
			.select('id', { count: 'exact', head: true })
			.eq('account_id', ACME)
			.eq('internal', true);
		expect(internal.count).toBeGreaterThan(0);
	});

	it('is refused to staff of other accounts and to clients', async () => {
		const byTess = await tess.rpc('preview_portal', { p_account_id: ACME, p_member_id: OLIVIA });
		expect(byTess.error?.code).toBe('42501');
		const byOlivia = await olivia.rpc('preview_portal', { p_account_id: ACME, p_member_id: MARK });
		expect(byOlivia.error?.code).toBe('42501');
		const byAnon = await anonClient().rpc('preview_portal', {
			p_account_id: ACME,
			p_member_id: OLIVIA
		});
		expect(byAnon.error).not.toBeNull();
		expect(byAnon.data).toBeNull();
	});
});

describe('account_open_items', () => {
	it('counts for the accounts the caller serves, under their policies', async () => {
		const bySam = await sam.from('account_open_items').select('*');
		expect(bySam.error).toBeNull();
		expect(bySam.data!.map((r) => r.account_id)).toEqual([ACME]);
		expect(bySam.data![0]!.pending_approvals).toBeGreaterThanOrEqual(1);
		const byAda = await ada.from('account_open_items').select('account_id');
		expect(byAda.data!.map((r) => r.account_id)).toEqual(expect.arrayContaining([ACME, GLOBEX]));
	});
});

describe('request_approval', () => {
	it('creates an approval with its approvers, and refuses a viewer as approver with nothing written', async () => {
		const made = await sam.rpc('request_approval', {
			p_account_id: ACME,
			p_document_version_id: ACME_VERSION,
			p_title: 'API approval',
			p_approver_ids: [OLIVIA, MARK]
		});
		expect(made.error).toBeNull();
		madeApprovals.push(made.data!);
		const approvers = await sam
			.from('approval_approvers')
			.select('user_id')
			.eq('approval_id', made.data!);
		expect(approvers.data!.map((a) => a.user_id).sort()).toEqual([OLIVIA, MARK].sort());

		const refused = await sam.rpc('request_approval', {
			p_account_id: ACME,
			p_document_version_id: ACME_VERSION,
			p_title: 'API approval with a viewer',
			p_approver_ids: [OLIVIA, VERA]
		});
		expect(refused.error?.code).toBe('42501');
		const none = await sam.from('approvals').select('id').eq('title', 'API approval with a viewer');
		expect(none.data).toEqual([]);
	});
});

describe('branding', () => {
	it('is read without signing in, and changed by admins only', async () => {
		const read = await anonClient().from('branding').select('business_name, primary_color');
		expect(read.error).toBeNull();
		expect(read.data).toHaveLength(1);

		const bySam = await sam
			.from('branding')
			.update({ business_name: 'Taken over' })
			.eq('id', true)
			.select();
		expect(bySam.data).toEqual([]);

		const tooLight = await ada
			.from('branding')
			.update({ primary_color: '#60a5fa' })
			.eq('id', true)
			.select();
		expect(tooLight.error?.code).toBe('23514');
	});
});
