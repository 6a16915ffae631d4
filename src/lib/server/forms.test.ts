import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { resetPasswordSchema } from '../../routes/(auth)/reset-password/schema';
import { signInSchema } from '../../routes/(auth)/sign-in/schema';
import { verifyCodeSchema } from '../../routes/(auth)/sign-in/email/schema';
import { parseForm, parseFormData } from './forms';

function formData(fields: Record<string, string | Blob>): FormData {
	const data = new FormData();
	for (const [name, value] of Object.entries(fields)) data.append(name, value);
	return data;
}

describe('parseFormData', () => {
	it('returns parsed data for a valid form', () => {
		const form = parseFormData(
			signInSchema,
			formData({ email: '  Olivia@ACME.example.com ', password: ' secret with spaces ' })
		);
		expect(form.errors).toBeNull();
		expect(form.data).toEqual({
			email: 'olivia@acme.example.com',
			password: ' secret with spaces ',
			redirectTo: undefined
		});
	});

	it('returns a message per invalid field, and what was posted', () => {
		const form = parseFormData(signInSchema, formData({ email: 'not-an-email' }));
		expect(form.data).toBeNull();
		expect(form.errors).toEqual({
			email: ['Enter an email address like name@example.com'],
			password: ['Enter your password']
		});
		expect(form.input).toEqual({ email: 'not-an-email' });
	});

	it('says what is missing when a field is absent or empty', () => {
		expect(parseFormData(signInSchema, formData({})).errors?.email).toEqual([
			'Enter your email address'
		]);
		expect(parseFormData(signInSchema, formData({ email: '   ' })).errors?.email).toEqual([
			'Enter your email address'
		]);
	});

	it('never reads a file as text, and keeps the first of repeated names', () => {
		const data = formData({ password: 'first' });
		data.append('password', 'second');
		data.append('email', new Blob(['olivia@acme.example.com']));
		const form = parseFormData(signInSchema, data);
		expect(form.input).toEqual({ password: 'first' });
		expect(form.errors?.email).toEqual(['Enter your email address']);
	});
});

describe('verifyCodeSchema', () => {
	it('accepts the code with spaces or a dash, as people copy it', () => {
		for (const token of ['123456', '123 456', '123-456', ' 123456 ']) {
			const result = verifyCodeSchema.safeParse({ email: 'a@example.com', token });
			expect(result.success && result.data.token).toBe('123456');
		}
	});

	it('refuses anything that is not 6 to 10 digits', () => {
		for (const token of ['', '12345', '12345a', 'abcdef', '12345678901']) {
			expect(verifyCodeSchema.safeParse({ email: 'a@example.com', token }).success).toBe(false);
		}
	});
});

describe('resetPasswordSchema', () => {
	it('needs at least 8 characters and the same password twice', () => {
		const short = resetPasswordSchema.safeParse({ password: 'short', confirm: 'short' });
		expect(short.success).toBe(false);
		const mismatch = parseFormData(
			resetPasswordSchema,
			formData({ password: 'long enough', confirm: 'long enuogh' })
		);
		expect(mismatch.errors).toEqual({ confirm: ['The passwords do not match'] });
		expect(
			resetPasswordSchema.safeParse({ password: 'long enough', confirm: 'long enough' }).success
		).toBe(true);
	});

	it('refuses passwords bcrypt would cut short (over 72 bytes)', () => {
		const ascii = 'a'.repeat(72);
		expect(resetPasswordSchema.safeParse({ password: ascii, confirm: ascii }).success).toBe(true);
		const long = 'a'.repeat(73);
		expect(resetPasswordSchema.safeParse({ password: long, confirm: long }).success).toBe(false);
		const accents = 'é'.repeat(37); // 74 bytes in UTF-8
		expect(resetPasswordSchema.safeParse({ password: accents, confirm: accents }).success).toBe(
			false
		);
	});
});

describe('parseForm (reading the request)', () => {
	const schema = z.object({ email: z.string() });
	const post = (body: string, contentType: string) =>
		new Request('http://portal.test/sign-in', {
			method: 'POST',
			headers: { 'content-type': contentType },
			body
		});

	it.each([
		['text/plain', 'email=a'],
		['multipart/form-data', 'email=a'],
		[
			'multipart/form-data; boundary=xyz',
			'--abc\r\ncontent-disposition: form-data; name="email"\r\n\r\na'
		],
		['multipart/form-data; boundary=xyz', '--xyz\r\ncontent-disposition: form-data; name="em']
	])('answers a %s body that is not a form with a 400, not a 500', async (contentType, body) => {
		const failure = await parseForm(schema, post(body, contentType)).catch((e: unknown) => e);
		expect(isHttpError(failure, 400)).toBe(true);
	});

	it('reads a real form post', async () => {
		const form = await parseForm(
			schema,
			post('email=a%40b.c', 'application/x-www-form-urlencoded')
		);
		expect(form.data).toEqual({ email: 'a@b.c' });
	});
});
