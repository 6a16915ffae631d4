import { describe, expect, it } from 'vitest';
import { configProblems } from './config';

const good = {
	PUBLIC_SUPABASE_URL: 'https://abcd.supabase.co',
	PUBLIC_SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_abc123',
	SMTP_URL: 'smtps://user:pass@smtp.example.com:465',
	MAIL_FROM: 'Acme Portal <portal@acme.example>'
};

describe('configProblems', () => {
	it('accepts a complete, well-formed environment', () => {
		expect(configProblems(good)).toEqual([]);
		expect(configProblems({ ...good, MAIL_FROM: 'portal@acme.example' })).toEqual([]);
		expect(configProblems({ ...good, SMTP_URL: 'smtp://127.0.0.1:54325' })).toEqual([]);
	});

	it('names every missing variable, blank counts as missing', () => {
		expect(
			configProblems({
				PUBLIC_SUPABASE_URL: undefined,
				PUBLIC_SUPABASE_PUBLISHABLE_KEY: '',
				SMTP_URL: '   ',
				MAIL_FROM: good.MAIL_FROM
			})
		).toEqual([
			'PUBLIC_SUPABASE_URL is missing',
			'PUBLIC_SUPABASE_PUBLISHABLE_KEY is missing',
			'SMTP_URL is missing'
		]);
	});

	it('names every malformed variable with what it should be, never echoing the value', () => {
		const problems = configProblems({
			PUBLIC_SUPABASE_URL: 'ftp://abcd.supabase.co',
			PUBLIC_SUPABASE_PUBLISHABLE_KEY: 'sb_secret_do-not-print-me',
			SMTP_URL: 'https://smtp.example.com',
			MAIL_FROM: 'Acme Portal\r\nBcc: victim@example.com <x@y.z>'
		});
		expect(problems.map((p) => p.split(' ')[0])).toEqual([
			'PUBLIC_SUPABASE_URL',
			'PUBLIC_SUPABASE_PUBLISHABLE_KEY',
			'SMTP_URL',
			'MAIL_FROM'
		]);
		expect(problems[1]).toMatch(/never the secret key/);
		expect(problems.join('\n')).not.toContain('do-not-print-me');
	});
});
