import { describe, expect, it } from 'vitest';
import { confirmedDestination } from './confirm';

const here = new URL('https://portal.example/auth/confirm?token_hash=abc&type=magiclink');

describe('confirmedDestination', () => {
	it('follows a safe `next`', () => {
		expect(confirmedDestination({ type: 'magiclink', next: '/staff' }, here)).toBe('/staff');
		expect(confirmedDestination({ type: 'recovery', next: '/reset-password' }, here)).toBe(
			'/reset-password'
		);
	});

	it('reads `next` from a redirect_to that points back at this route', () => {
		// As the template renders it: unencoded, so URLSearchParams already decoded `%2F`.
		const redirect_to = 'https://portal.example/auth/confirm?next=/documents?tab=2';
		expect(confirmedDestination({ type: 'magiclink', redirect_to }, here)).toBe('/documents?tab=2');
	});

	it('uses the path of a redirect_to elsewhere on this origin', () => {
		const redirect_to = 'https://portal.example/staff?view=all';
		expect(confirmedDestination({ type: 'magiclink', redirect_to }, here)).toBe('/staff?view=all');
	});

	it('falls back for the bare Site URL, by link type', () => {
		const redirect_to = 'https://portal.example';
		expect(confirmedDestination({ type: 'magiclink', redirect_to }, here)).toBe('/');
		expect(confirmedDestination({ type: 'recovery', redirect_to }, here)).toBe('/reset-password');
		expect(confirmedDestination({ type: 'signup' }, here)).toBe('/');
	});

	it.each([
		['https://evil.example/phish'],
		['https://portal.example.evil.example/'],
		['http://portal.example/staff'],
		['//evil.example'],
		['javascript:alert(1)'],
		['not a url']
	])('ignores the redirect_to %j', (redirect_to) => {
		expect(confirmedDestination({ type: 'magiclink', redirect_to }, here)).toBe('/');
	});

	it.each([['//evil.example'], ['https://evil.example'], ['/%2F%2Fevil.example'], ['/\\evil']])(
		'refuses the next %j, also when it comes inside redirect_to',
		(next) => {
			expect(confirmedDestination({ type: 'magiclink', next }, here)).toBe('/');
			const redirect_to = `https://portal.example/auth/confirm?next=${encodeURIComponent(next)}`;
			expect(confirmedDestination({ type: 'magiclink', redirect_to }, here)).toBe('/');
		}
	);
});
