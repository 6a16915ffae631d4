import { describe, expect, it } from 'vitest';
import { messageIdFor, notificationEmail, type ClaimedDelivery } from './emails';

const SITE = 'https://portal.example.com';
const ACME = '10000000-0000-4000-8000-00000000ac01';
const GLOBEX = '20000000-0000-4000-8000-00000000910b';
const TOKEN = '6f1c2a4e-0000-4000-8000-00000000aaaa';

function item(
	id: number,
	kind: string,
	details: Record<string, unknown>,
	createdAt: string,
	account: string | null = ACME
) {
	return {
		id,
		kind,
		account_id: account,
		subject_id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
		details: {
			actor_name: 'Sam Staff',
			account_name: account === GLOBEX ? 'Globex Household' : 'Acme Corporation',
			...details
		},
		created_at: createdAt
	};
}

function delivery(kind: string, items: unknown[]): ClaimedDelivery {
	return {
		delivery_id: 'd5d5d5d5-0000-4000-8000-000000000001',
		kind,
		email: 'olivia@acme.example.com',
		display_name: 'Olivia Owner',
		unsubscribe_token: TOKEN,
		items
	};
}

describe('an immediate email', () => {
	const mail = notificationEmail(
		delivery('immediate', [
			item(7, 'document', { name: 'Plans <v2> & "final".pdf', version: 1 }, '2026-12-04T10:00:00Z')
		]),
		`${SITE}/`
	);

	it('says what happened in the subject, with the account', () => {
		expect(mail.to).toBe('olivia@acme.example.com');
		expect(mail.subject).toBe('Sam Staff added “Plans <v2> & "final".pdf” (Acme Corporation)');
	});

	it('links to the item in both parts', () => {
		const link = `${SITE}/accounts/${ACME}/documents/00000000-0000-4000-8000-000000000007`;
		expect(mail.text).toContain(link);
		expect(mail.html).toContain(`href="${link}"`);
	});

	it('escapes titles in the HTML part', () => {
		expect(mail.html).toContain('Plans &#60;v2&#62; &#38; &#34;final&#34;.pdf');
		expect(mail.html).not.toContain('<v2>');
		expect(mail.text).toContain('Plans <v2> & "final".pdf');
	});

	it('unsubscribes from its own kind in one click, and links to the preferences', () => {
		const unsubscribe = `${SITE}/unsubscribe/${TOKEN}?kind=document`;
		expect(mail.headers['List-Unsubscribe']).toBe(`<${unsubscribe}>`);
		expect(mail.text).toContain(unsubscribe);
		expect(mail.html).toContain(`href="${unsubscribe}"`);
		expect(mail.text).toContain(`${SITE}/settings/notifications`);
		expect(mail.html).toContain(`href="${SITE}/settings/notifications"`);
	});

	it('has the delivery as its Message-ID, the same on every attempt', () => {
		expect(mail.messageId).toBe('<d5d5d5d5-0000-4000-8000-000000000001@portal.example.com>');
		expect(messageIdFor('abc', 'http://127.0.0.1:4183')).toBe('<abc@127.0.0.1>');
	});

	it('never carries more than describe.ts gives (no message body)', () => {
		const message = notificationEmail(
			delivery('immediate', [
				item(
					8,
					'message',
					{ subject: 'Kick-off', message_id: 'x', internal: false, body: 'SECRET BODY' },
					'2026-12-04T10:00:00Z'
				)
			]),
			SITE
		);
		expect(message.subject).toBe('Sam Staff wrote in “Kick-off” (Acme Corporation)');
		expect(message.text).not.toContain('SECRET BODY');
		expect(message.html).not.toContain('SECRET BODY');
	});
});

describe('a digest', () => {
	const mail = notificationEmail(
		delivery('daily', [
			// Out of order on purpose: the email lists them oldest first.
			item(3, 'message', { subject: 'Third' }, '2026-12-04T12:00:00Z'),
			item(1, 'status_update', { project_name: 'First', project_id: 'p1' }, '2026-12-04T08:00:00Z'),
			item(2, 'file_request', { title: 'Second', status: 'open' }, '2026-12-04T09:00:00Z', GLOBEX)
		]),
		SITE
	);

	it('counts its updates in the subject', () => {
		expect(mail.subject).toBe('Your daily summary: 3 updates');
		expect(
			notificationEmail(
				delivery('weekly', [item(1, 'message', { subject: 'x' }, '2026-12-04T08:00:00Z')]),
				SITE
			).subject
		).toBe('Your weekly summary: 1 update');
	});

	it('groups by account, newest last', () => {
		const acme = mail.text.indexOf('Acme Corporation');
		const globex = mail.text.indexOf('Globex Household');
		const first = mail.text.indexOf('posted an update on First');
		const third = mail.text.indexOf('wrote in “Third”');
		const second = mail.text.indexOf('asked for files: “Second”');
		expect(acme).toBeGreaterThanOrEqual(0);
		expect(acme).toBeLessThan(first);
		expect(first).toBeLessThan(third);
		expect(third).toBeLessThan(globex);
		expect(globex).toBeLessThan(second);
		expect(mail.html.indexOf('Acme Corporation')).toBeLessThan(
			mail.html.indexOf('Globex Household')
		);
	});

	it('links to each item', () => {
		for (const path of [
			`/accounts/${ACME}/projects/p1`,
			`/accounts/${ACME}/messages/00000000-0000-4000-8000-000000000003`,
			`/accounts/${GLOBEX}/requests`
		]) {
			expect(mail.text).toContain(`${SITE}${path}`);
			expect(mail.html).toContain(`href="${SITE}${path}"`);
		}
	});

	it('unsubscribes from everything', () => {
		expect(mail.headers['List-Unsubscribe']).toBe(`<${SITE}/unsubscribe/${TOKEN}>`);
		expect(mail.html).toContain(`href="${SITE}/unsubscribe/${TOKEN}"`);
	});
});
