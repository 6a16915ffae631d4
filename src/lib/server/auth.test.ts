import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeRedirectPath, signInPath } from './auth';

const FALLBACK = '/fallback';

describe('safeRedirectPath', () => {
	it.each([
		['/', '/'],
		['/staff', '/staff'],
		[
			'/documents/d0000000-0000-4000-8000-000000000001/download',
			'/documents/d0000000-0000-4000-8000-000000000001/download'
		],
		['/search?q=a%20b&page=2', '/search?q=a%20b&page=2'],
		['/reset-password#form', '/reset-password#form'],
		['/a/b/../c', '/a/c'],
		['/caf%C3%A9', '/caf%C3%A9'],
		['/@user', '/@user'],
		['/path:with:colons', '/path:with:colons'],
		// an encoded `//` inside the query string is still refused (see below); a plain one is fine
		['/?tab=a/b', '/?tab=a/b']
	])('keeps the same-site path %j', (value, expected) => {
		expect(safeRedirectPath(value, FALLBACK)).toBe(expected);
	});

	it('percent-encodes characters outside ASCII instead of passing them on raw', () => {
		expect(safeRedirectPath('/café', FALLBACK)).toBe('/caf%C3%A9');
		// U+2215 DIVISION SLASH looks like "/" but is not one to a URL parser
		expect(safeRedirectPath('/\u2215\u2215evil.example', FALLBACK)).toBe(
			'/%E2%88%95%E2%88%95evil.example'
		);
	});

	it.each([
		// not a string, or empty
		[undefined],
		[null],
		[42],
		[['/array']],
		[''],
		// absolute URLs and other schemes
		['https://evil.example'],
		['http://evil.example/'],
		['HTTPS://evil.example'],
		['javascript:alert(1)'],
		['JaVaScRiPt:alert(1)'],
		['data:text/html,<script>alert(1)</script>'],
		['mailto:someone@example.com'],
		['ftp://evil.example'],
		// relative paths that do not start at the root
		['staff'],
		['./staff'],
		['../staff'],
		['?next=/x'],
		['#top'],
		['evil.example'],
		// protocol-relative and its disguises
		['//evil.example'],
		['///evil.example'],
		['//evil.example/path'],
		['/\\evil.example'],
		['\\/evil.example'],
		['\\\\evil.example'],
		['/\\/evil.example'],
		['/path\\with\\backslashes'],
		// dot segments that normalise to a protocol-relative URL
		['/.//evil.example'],
		['/..//evil.example'],
		['/a/../..//evil.example'],
		// whitespace and control characters, which browsers strip or which split headers
		['/\t/evil.example'],
		['/\n/evil.example'],
		['/\r\n/evil.example'],
		['/ /evil.example'],
		[' /staff'],
		['/staff '],
		['\t//evil.example'],
		['/\u0000/evil.example'],
		['/\u007f'],
		['/\u0085'],
		// percent-encoded variants
		['/%2F%2Fevil.example'],
		['/%2f%2fevil.example'],
		['/%2Fevil.example'],
		['/%5Cevil.example'],
		['/%5cevil.example'],
		['/%09/evil.example'],
		['/%0A/evil.example'],
		['/%0d%0aSet-Cookie:%20x=y'],
		['/%00'],
		['%2F%2Fevil.example'],
		['%2Fstaff'],
		// double- and triple-encoded variants
		['/%252F%252Fevil.example'],
		['/%25252F%25252Fevil.example'],
		['/%255Cevil.example'],
		// more encoding layers than we inspect
		['/%2525252Fstaff'],
		// malformed encoding
		['/%E0%A4%A'],
		['/%'],
		['/%zz']
	])('refuses %j', (value) => {
		expect(safeRedirectPath(value, FALLBACK)).toBe(FALLBACK);
	});

	it('refuses overly long values', () => {
		expect(safeRedirectPath(`/${'a'.repeat(5000)}`, FALLBACK)).toBe(FALLBACK);
	});

	it('returns the fallback it is given', () => {
		expect(safeRedirectPath('//evil.example', '/')).toBe('/');
		expect(safeRedirectPath(null, '/reset-password')).toBe('/reset-password');
	});

	it('never returns anything a browser would read as another origin', () => {
		const base = 'https://portal.example';
		const tricky = [
			'/%2e%2e//evil.example',
			'/.%2e//evil.example',
			'/%2e/%2fevil.example',
			'/./evil.example',
			'/\u3000/x',
			'/\uff0f\uff0fevil.example'
		];
		for (const value of tricky) {
			const result = safeRedirectPath(value, FALLBACK);
			expect(new URL(result, base).origin, value).toBe(base);
			expect(result.startsWith('//'), value).toBe(false);
		}
	});
});

describe('safeRedirectPath, for any input', () => {
	const base = 'https://portal.example';
	const pieces = [
		'/',
		'//',
		'\\',
		'%2F',
		'%5C',
		'%25',
		'.',
		'..',
		':',
		'@',
		'?',
		'#',
		'\t',
		' ',
		'evil.example',
		'http:',
		'a'
	];
	const crafted = fc
		.array(fc.constantFrom(...pieces), { maxLength: 8 })
		.map((parts) => parts.join(''));

	it('returns the fallback or a path that stays on this origin', () => {
		fc.assert(
			fc.property(
				fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.webUrl(), crafted),
				(value) => {
					const result = safeRedirectPath(value, FALLBACK);
					expect(new URL(result, base).origin).toBe(base);
					expect(result).toMatch(/^\/(?![/\\])/);
					expect(result).not.toMatch(/[\s\\]/);
				}
			),
			{ numRuns: 5000 }
		);
	});
});

describe('signInPath', () => {
	it('comes back to the page, query string included', () => {
		expect(signInPath(new URL('http://portal.test/staff?tab=accounts'))).toBe(
			'/sign-in?redirectTo=%2Fstaff%3Ftab%3Daccounts'
		);
		expect(signInPath(new URL('http://portal.test/'))).toBe('/sign-in?redirectTo=%2F');
	});

	it('drops a form action key, which only makes sense for a POST', () => {
		expect(signInPath(new URL('http://portal.test/reset-password?/update'))).toBe(
			'/sign-in?redirectTo=%2Freset-password'
		);
	});

	it('builds a redirectTo that safeRedirectPath accepts unchanged', () => {
		const url = new URL('http://portal.test/documents/abc/download?x=1');
		const redirectTo = new URL(signInPath(url), url).searchParams.get('redirectTo');
		expect(safeRedirectPath(redirectTo, FALLBACK)).toBe('/documents/abc/download?x=1');
	});
});
