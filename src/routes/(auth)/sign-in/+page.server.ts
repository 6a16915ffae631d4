import { fail, redirect } from '@sveltejs/kit';
import { authErrorMessage, logAuthError } from '../../../lib/server/auth-errors';
import { safeRedirectPath } from '../../../lib/server/auth';
import { parseForm } from '../../../lib/server/forms';
import type { Actions, PageServerLoad } from './$types';
import { signInSchema } from './schema';

const errorMessages: Record<string, string> = {
	'link-invalid':
		'That sign-in link is invalid or has expired. Links work once and for one hour: sign in below, or ask for a new link.'
};

// Signed-in visitors never get here: hooks.server.ts sends them on.
export const load: PageServerLoad = ({ url }) => {
	const errorCode = url.searchParams.get('error');
	return {
		redirectTo: safeRedirectPath(url.searchParams.get('redirectTo'), '/'),
		linkError: errorCode ? (errorMessages[errorCode] ?? null) : null
	};
};

export const actions = {
	default: async ({ request, locals }) => {
		const form = await parseForm(signInSchema, request);
		const values = { email: form.input.email ?? '' };
		if (!form.data) return fail(400, { errors: form.errors, values });

		const { email, password, redirectTo } = form.data;
		const { error } = await locals.supabase.auth.signInWithPassword({ email, password });
		if (error) {
			if (error.code !== 'invalid_credentials') logAuthError('signInWithPassword', error);
			return fail(400, { message: authErrorMessage(error), values });
		}
		redirect(303, safeRedirectPath(redirectTo, '/'));
	}
} satisfies Actions;
