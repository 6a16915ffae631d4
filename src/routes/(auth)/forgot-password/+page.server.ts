import { fail } from '@sveltejs/kit';
import { logAuthError } from '../../../lib/server/auth-errors';
import { parseForm } from '../../../lib/server/forms';
import type { Actions } from './$types';
import { forgotPasswordSchema } from './schema';

export const actions = {
	default: async ({ request, locals, url }) => {
		const form = await parseForm(forgotPasswordSchema, request);
		const values = { email: form.input.email ?? '' };
		if (!form.data) return fail(400, { errors: form.errors, values });

		const { email } = form.data;
		const { error } = await locals.supabase.auth.resetPasswordForEmail(email, {
			// The emailed link signs the user in (auth/confirm), then asks for a new password.
			redirectTo: `${url.origin}/auth/confirm?next=/reset-password`
		});
		// The same answer whatever happened: an error here can mean "no such account" or a
		// per-address rate limit, and saying so would tell strangers who has an account.
		if (error) logAuthError('resetPasswordForEmail', error);
		return { sent: true as const, values: { email } };
	}
} satisfies Actions;
