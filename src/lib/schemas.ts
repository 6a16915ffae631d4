import { z } from 'zod';

/** Field schemas shared by the sign-in, code and password forms. */

export const emailField = z
	.string({ error: 'Enter your email address' })
	.trim()
	.min(1, 'Enter your email address')
	.max(254, 'An email address is at most 254 characters')
	.pipe(z.email({ error: 'Enter an email address like name@example.com' }))
	.transform((email) => email.toLowerCase());

/** A password someone already has: any non-empty text, spaces included. */
export const currentPasswordField = z
	.string({ error: 'Enter your password' })
	.min(1, 'Enter your password');

export const PASSWORD_MIN_LENGTH = 8;
/** Supabase Auth hashes with bcrypt, which reads only the first 72 bytes. */
export const PASSWORD_MAX_BYTES = 72;

export const newPasswordField = z
	.string({ error: 'Enter a new password' })
	.min(1, 'Enter a new password')
	.min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
	.refine((password) => new TextEncoder().encode(password).length <= PASSWORD_MAX_BYTES, {
		error: `Use at most ${PASSWORD_MAX_BYTES} characters`
	});

/** Where to go after signing in; checked again with safeRedirectPath before use. */
export const redirectToField = z.string().optional();

/** Postgres text cannot hold a NUL character: refuse it with a message, not a database error. */
export function withoutNul(text: string): boolean {
	return !text.includes('\u0000');
}
export const NUL_MESSAGE = 'Remove the invisible control character (NUL) from the text';

/** A client account's name, as the staff pages create and rename it (the table allows 200). */
export const accountNameField = z
	.string({ error: 'Enter a name for the account' })
	.trim()
	.min(1, 'Enter a name for the account')
	.max(200, 'Keep the name to 200 characters or fewer')
	.refine(withoutNul, NUL_MESSAGE);
