/**
 * Attacks on the staff workspace (migration 20261129050000), as every actor, through
 * supabase-js: previewing an account one does not serve or as someone outside it, requesting
 * approvals into another account or from people who may not decide, reminding as a client,
 * reading another account's open-item counts, and changing the branding or its logo as anyone
 * but an admin. Each attempt asserts the exact refusal and is recorded for the summary table.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ACME, GLOBEX } from '../api/env';
import {
	ACME_CONTENT,
	accountName,
	as,
	shows,
	userIds,
	type Actor,
	type Loose
} from './api-support';
import { recordAttempt } from './report';

const PREVIEW = 'staff: preview as a client';
const APPROVALS = 'staff: approvals & reminders';
const COUNTS = 'staff: open-item counts';
const BRANDING = 'staff: branding';

interface Answer {
	data: unknown;
	error: { code?: string; message: string } | null;
	status: number;
}

describe('preview as a client', () => {
	// [caller, account, member]: none of these may see a preview.
	const refused: [Actor, string, string][] = [
		['stranger', ACME, userIds.olivia],
		['olivia', ACME, userIds.mark],
		['mark', ACME, userIds.olivia],
		['vera', ACME, userIds.olivia],
		['bill', ACME, userIds.olivia],
		['grace', ACME, userIds.olivia],
		['grace', GLOBEX, userIds.gus],
		['tess', ACME, userIds.olivia],
		['sam', GLOBEX, userIds.grace],
		// Sam serves Acme; Grace is Globex's: previewing her "through" Acme must not work.
		['sam', ACME, userIds.grace],
		['tess', GLOBEX, userIds.olivia]
	];

	it('is refused to everyone who does not serve the account, or for people outside it', async () => {
		for (const [who, account, member] of refused) {
			const answer = (await (
				await as(who)
			).rpc('preview_portal', { p_account_id: account, p_member_id: member })) as Answer;
			const leaked = answer.error === null || shows(account === ACME ? GLOBEX : ACME, answer.data);
			recordAttempt(PREVIEW, `${who}: preview ${accountName(account)} as ${member.slice(-2)}`, {
				leaked,
				status: answer.status
			});
			expect.soft(answer.data, `${who} ${account} ${member}`).toBeNull();
			// Staff serving the account may know who is in it: a non-member there is bad input
			// (400). Everyone else learns nothing: 403.
			const serves = (who === 'sam' && account === ACME) || (who === 'tess' && account === GLOBEX);
			const expected = serves ? '22023' : '42501';
			expect.soft(answer.error?.code, `${who} ${account} ${member}`).toBe(expected);
			expect.soft(answer.status).toBe(expected === '22023' ? 400 : 403);
		}
		const anon = (await (
			await as('anon')
		).rpc('preview_portal', { p_account_id: ACME, p_member_id: userIds.olivia })) as Answer;
		recordAttempt(PREVIEW, 'anon: preview Acme as Olivia', {
			leaked: anon.error === null,
			status: anon.status
		});
		expect.soft(anon.data).toBeNull();
		expect.soft(anon.status).toBe(401);
	});

	it('a preview as a member of two accounts shows only the previewed one', async () => {
		// Nina is an Acme viewer and a Globex member; Sam serves Acme only.
		const nina = 'c0000000-0000-4000-8000-000000000007';
		const answer = (await (
			await as('sam')
		).rpc('preview_portal', { p_account_id: ACME, p_member_id: nina })) as Answer;
		expect(answer.error).toBeNull();
		const leaked = shows(GLOBEX, answer.data);
		recordAttempt(PREVIEW, 'sam: preview Acme as Nina (also in Globex)', {
			leaked,
			status: answer.status
		});
		expect(leaked).toBe(false);
	});

	it('cannot be made to return Sam’s own staff-only rows (internal notes, drafts)', async () => {
		const sam = await as('sam');
		for (const member of [userIds.olivia, userIds.mark, userIds.vera, userIds.bill]) {
			const answer = (await sam.rpc('preview_portal', {
				p_account_id: ACME,
				p_member_id: member
			})) as Answer;
			const text = JSON.stringify(answer.data);
			const leaked =
				text.includes('Internal: Olivia prefers calls') ||
				text.includes('Draft: build starts once the design is approved.');
			recordAttempt(PREVIEW, `sam: preview Acme as ${member.slice(-2)}: no staff-only rows`, {
				leaked,
				status: answer.status
			});
			expect(answer.error).toBeNull();
			expect(leaked).toBe(false);
		}
	});
});

describe('approvals and reminders', () => {
	it('request_approval into another account, or naming people who may not decide: refused, nothing written', async () => {
		const globexVersion = await (
			await as('ada')
		)
			.from('document_versions')
			.select('id')
			.eq('account_id', GLOBEX)
			.limit(1)
			.single();
		expect(globexVersion.error).toBeNull();
		const GLOBEX_VERSION = (globexVersion.data as { id: string }).id;
		const cases: [Actor, string, string, string[], string][] = [
			// [who, account, version, approvers, expected code]
			['olivia', ACME, ACME_CONTENT.version, [userIds.olivia], '42501'],
			['mark', ACME, ACME_CONTENT.version, [userIds.mark], '42501'],
			['tess', ACME, ACME_CONTENT.version, [userIds.olivia], '42501'],
			['grace', ACME, ACME_CONTENT.version, [userIds.olivia], '42501'],
			['stranger', ACME, ACME_CONTENT.version, [userIds.olivia], '42501'],
			// Sam, in Acme, naming Globex's owner, a viewer, a billing user or staff: the
			// approvers' policy admits only Acme's owners and members.
			['sam', ACME, ACME_CONTENT.version, [userIds.grace], '42501'],
			['sam', ACME, ACME_CONTENT.version, [userIds.vera], '42501'],
			['sam', ACME, ACME_CONTENT.version, [userIds.bill], '42501'],
			['sam', ACME, ACME_CONTENT.version, [userIds.sam], '42501'],
			// Sam, for Globex, or for a Globex version inside Acme.
			['sam', GLOBEX, ACME_CONTENT.version, [userIds.grace], '42501'],
			['sam', ACME, GLOBEX_VERSION, [userIds.olivia], '23503']
		];
		const title = `attack-${randomUUID().slice(0, 8)}`;
		for (const [who, account, version, approvers, code] of cases) {
			const answer = (await (
				await as(who)
			).rpc('request_approval', {
				p_account_id: account,
				p_document_version_id: version,
				p_title: title,
				p_approver_ids: approvers
			})) as Answer;
			recordAttempt(APPROVALS, `${who}: request_approval in ${accountName(account)}`, {
				leaked: answer.error === null,
				status: answer.status
			});
			expect.soft(answer.data, `${who} ${account} ${approvers}`).toBeNull();
			expect.soft(answer.error?.code, `${who} ${account} ${approvers}`).toBe(code);
		}
		const written = await (await as('ada')).from('approvals').select('id').eq('title', title);
		expect(written.data).toEqual([]);
	});

	it('a reminder by a client or by staff of another account changes nothing', async () => {
		for (const who of ['olivia', 'mark', 'vera', 'bill', 'grace', 'tess', 'stranger'] as const) {
			const answer = (await (
				await as(who)
			)
				.from('approvals')
				.update({ last_reminded_at: new Date().toISOString() })
				.eq('id', ACME_CONTENT.approval)
				.select()) as Answer;
			recordAttempt(APPROVALS, `${who}: remind the Acme approval`, {
				leaked: Array.isArray(answer.data) && answer.data.length > 0,
				status: answer.status
			});
			expect.soft(answer.error).toBeNull();
			expect.soft(answer.data, who).toEqual([]);
		}
	});
});

describe('open-item counts', () => {
	const readers: [Actor, string[]][] = [
		['stranger', []],
		['grace', [GLOBEX]],
		['tess', [GLOBEX]],
		['olivia', [ACME]],
		['bill', [ACME]],
		['sam', [ACME]]
	];
	it('show each caller only the accounts they see, with filters, or, and counts', async () => {
		for (const [who, own] of readers) {
			const client: Loose = await as(who);
			for (const probe of [
				client.from('account_open_items').select('*'),
				client.from('account_open_items').select('*').in('account_id', [ACME, GLOBEX]),
				client
					.from('account_open_items')
					.select('*')
					.or(`account_id.eq.${ACME},account_id.eq.${GLOBEX}`)
			]) {
				const answer = (await probe) as Answer & { data: { account_id: string }[] | null };
				const seen = (answer.data ?? []).map((r) => r.account_id).sort();
				const leaked = seen.some((id) => !own.includes(id));
				recordAttempt(COUNTS, `${who}: account_open_items`, { leaked, status: answer.status });
				expect.soft(answer.error).toBeNull();
				expect.soft(seen, who).toEqual([...own].sort());
			}
		}
		const anon = (await (await as('anon')).from('account_open_items').select('*')) as Answer;
		recordAttempt(COUNTS, 'anon: account_open_items', {
			leaked: Array.isArray(anon.data) && anon.data.length > 0,
			status: anon.status
		});
		expect.soft(anon.error?.code).toBe('42501');
	});
});

describe('branding', () => {
	it('only admins change it: everyone else changes nothing', async () => {
		const before = await (await as('anon')).from('branding').select('*').single();
		for (const who of ['stranger', 'olivia', 'mark', 'grace', 'sam', 'tess'] as const) {
			const answer = (await (
				await as(who)
			)
				.from('branding')
				.update({ business_name: `Taken over by ${who}` })
				.eq('id', true)
				.select()) as Answer;
			recordAttempt(BRANDING, `${who}: rename the business`, {
				leaked: Array.isArray(answer.data) && answer.data.length > 0,
				status: answer.status
			});
			expect.soft(answer.data, who).toEqual([]);
		}
		for (const [who, change] of [
			['anon', { business_name: 'Anon' }],
			['sam', { updated_by: userIds.sam }],
			['ada', { updated_by: userIds.sam }]
		] as const) {
			const answer = (await (
				await as(who)
			)
				.from('branding')
				.update(change)
				.eq('id', true)
				.select()) as Answer;
			recordAttempt(BRANDING, `${who}: update ${Object.keys(change)[0]}`, {
				leaked: answer.error === null,
				status: answer.status
			});
			expect.soft(answer.error?.code, who).toBe('42501');
		}
		const after = await (await as('anon')).from('branding').select('*').single();
		expect(after.data).toEqual(before.data);
	});

	it('only admins upload or delete the logo, and never an SVG', async () => {
		const png = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])], {
			type: 'image/png'
		});
		for (const who of ['anon', 'stranger', 'olivia', 'sam', 'tess'] as const) {
			const path = `logo/${randomUUID()}`;
			const answer = await (await as(who)).storage.from('branding').upload(path, png);
			recordAttempt(BRANDING, `${who}: upload a logo`, {
				leaked: answer.error === null,
				status: answer.error ? 403 : 200
			});
			expect.soft(answer.error, who).not.toBeNull();
			expect.soft(answer.data).toBeNull();
		}
		const svg = new Blob(
			['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
			{
				type: 'image/svg+xml'
			}
		);
		const bySvg = await (
			await as('ada')
		).storage
			.from('branding')
			.upload(`logo/${randomUUID()}`, svg);
		recordAttempt(BRANDING, 'ada: upload an SVG logo', {
			leaked: bySvg.error === null,
			status: bySvg.error ? 415 : 200
		});
		expect(bySvg.error).not.toBeNull();
	});
});
