import { fail, redirect } from '@sveltejs/kit';
import { authErrorMessage, logAuthError } from '../../../lib/server/auth-errors';
import { requireUser } from '../../../lib/server/auth';
import { fieldErrors, parseForm } from '../../../lib/server/forms';
import { PASSWORD_MIN_LENGTH } from '../../../lib/schemas';
import type { Actions, PageServerLoad } from './$types';
import { resetPasswordSchema } from './schema';

// Reached signed in, through the emailed recovery link (auth/confirm) or from the portal.
export const load: PageServerLoad = async (event) => {
	const user = await requireUser(event);
	return { email: user.email ?? '', minLength: PASSWORD_MIN_LENGTH };
};

export const actions = {
	default: async (event) => {
		await requireUser(event);
		const form = await parseForm(resetPasswordSchema, event.request);
		// Nothing is echoed back: both fields are passwords.
		if (!form.data) return fail(400, { errors: form.errors });

		const { error } = await event.locals.supabase.auth.updateUser({
			password: form.data.password
		});
		if (error) {
			if (error.code === 'same_password' || error.code === 'weak_password') {
				const errors = fieldErrors(resetPasswordSchema, { password: [authErrorMessage(error)] });
				return fail(400, { errors });
			}
			logAuthError('updateUser', error);
			return fail(error.status === 429 ? 429 : 400, { message: authErrorMessage(error) });
		}
		redirect(303, '/?notice=password-updated');
	}
} satisfies Actions;
