import { describe, expect, it } from 'vitest';
import { brandMail, fromAddress, type MailBranding } from './branding';

const mail = {
	to: 'cora@example.com',
	subject: 'You are invited to Acme <Corp>',
	text: 'Accept the invitation:\nhttps://portal.example.com/invite/abc\n',
	html: `<!doctype html>
<html lang="en">
<body style="color: #1f2328">
<p>Hello</p>
<p><a href="https://portal.example.com/invite/abc" style="background: #1D4ED8; color: #ffffff">Accept</a></p>
</body>
</html>`
};

const northwind: MailBranding = {
	name: 'Northwind <Studio> & Co',
	color: '#7c2d12',
	updatedAt: '2026-11-29T12:00:00Z',
	logoUrl: 'https://portal.example.com/brand/logo?v=1'
};

describe('fromAddress', () => {
	it.each([
		['Client Portal (local) <no-reply@portal.localhost>', 'no-reply@portal.localhost'],
		['no-reply@portal.example.com', 'no-reply@portal.example.com'],
		['"Portal" <a@b.example>', 'a@b.example']
	])('%s → %s', (from, address) => {
		expect(fromAddress(from)).toBe(address);
	});
});

describe('brandMail', () => {
	it('sends a mail as it was, from MAIL_FROM, without branding', () => {
		expect(brandMail(mail, null, 'Portal <p@example.com>')).toEqual({
			...mail,
			from: 'Portal <p@example.com>'
		});
	});

	it('sends from the business name, at the configured address', () => {
		const branded = brandMail(mail, northwind, 'Client Portal <no-reply@portal.example.com>');
		expect(branded.from).toEqual({
			name: 'Northwind <Studio> & Co',
			address: 'no-reply@portal.example.com'
		});
		expect(branded.to).toBe(mail.to);
		expect(branded.subject).toBe(mail.subject);
	});

	it('keeps the plain text, signed with the name', () => {
		const { text } = brandMail(mail, northwind, 'p@example.com');
		expect(text).toContain('https://portal.example.com/invite/abc');
		expect(text.trimEnd().endsWith('— Northwind <Studio> & Co')).toBe(true);
	});

	it('wraps the HTML in one layout with the escaped name, the logo and the brand colour', () => {
		const { html } = brandMail(mail, northwind, 'p@example.com');
		expect(html.match(/<body/g)).toHaveLength(1);
		expect(html).toContain('Northwind &#60;Studio&#62; &#38; Co');
		expect(html).not.toContain('<Studio>');
		expect(html).toContain('<img src="https://portal.example.com/brand/logo?v=1"');
		expect(html).toContain('<p>Hello</p>');
		expect(html).toContain('background: #7c2d12');
		expect(html).not.toMatch(/#1d4ed8/i);
		expect(html).toContain('<title>You are invited to Acme &#60;Corp&#62;</title>');
	});

	it('has no image without a logo, and takes a fragment as the body', () => {
		const { html } = brandMail(
			{ ...mail, html: '<p>Just a fragment</p>' },
			{ ...northwind, logoUrl: null },
			'p@example.com'
		);
		expect(html).not.toContain('<img');
		expect(html).toContain('<p>Just a fragment</p>');
	});

	it('keeps a header name on one line', () => {
		const branded = brandMail(
			mail,
			{ ...northwind, name: 'Evil\r\nBcc: x@example.com' },
			'p@example.com'
		);
		expect(branded.from).toEqual({ name: 'Evil Bcc: x@example.com', address: 'p@example.com' });
	});
});
