import { isAuthRetryableFetchError, type SupabaseClient } from '@supabase/supabase-js';
import { fail, redirect } from '@sveltejs/kit';
import {
	authErrorMessage,
	CODE_INVALID_MESSAGE,
	logAuthError
} from '../../../../lib/server/auth-errors';
import { safeRedirectPath } from '../../../../lib/server/auth';
import { fieldErrors, parseForm } from '../../../../lib/server/forms';
import type { Database } from '../../../../lib/database.types';
import type { Actions, PageServerLoad } from './$types';
import { sendCodeSchema, verifyCodeSchema } from './schema';

export const load: PageServerLoad = ({ url }) => ({
	redirectTo: safeRedirectPath(url.searchParams.get('redirectTo'), '/')
});

export const actions = {
	send: async ({ request, locals, url }) => {
		const form = await parseForm(sendCodeSchema, request);
		const values = {
			email: form.input.email ?? '',
			redirectTo: safeRedirectPath(form.input.redirectTo, '/')
		};
		if (!form.data) return fail(400, { errors: form.errors, values });

		const { email } = form.data;
		const { redirectTo } = values;
		const { error } = await locals.supabase.auth.signInWithOtp({
			email,
			options: {
				// Only people who already have an account; invitations create accounts.
				shouldCreateUser: false,
				emailRedirectTo: `${url.origin}/auth/confirm?next=${encodeURIComponent(redirectTo)}`
			}
		});
		if (error) {
			// Unknown addresses and per-address rate limits get the same answer as a sent
			// email, so the form does not reveal who has an account. Only an outage differs.
			logAuthError('signInWithOtp', error);
			if (isAuthRetryableFetchError(error) || (error.status ?? 0) >= 500) {
				return fail(503, { message: authErrorMessage(error), values });
			}
		}
		return { sent: true as const, values: { email, redirectTo } };
	},

	verify: async ({ request, locals }) => {
		const form = await parseForm(verifyCodeSchema, request);
		const values = {
			email: form.input.email ?? '',
			redirectTo: safeRedirectPath(form.input.redirectTo, '/')
		};
		if (!form.data) return fail(400, { sent: true as const, errors: form.errors, values });

		const { email, token, redirectTo } = form.data;
		const { error } = await verifyEmailCode(locals.supabase, email, token);
		if (error) {
			if (isAuthRetryableFetchError(error) || (error.status ?? 0) >= 500) {
				logAuthError('verifyOtp', error);
				return fail(503, { sent: true as const, message: authErrorMessage(error), values });
			}
			// Whatever Auth says (wrong, expired, used, unknown address), the advice is the same.
			const errors = fieldErrors(verifyCodeSchema, { token: [CODE_INVALID_MESSAGE] });
			return fail(400, { sent: true as const, errors, values });
		}
		redirect(303, safeRedirectPath(redirectTo, '/'));
	}
} satisfies Actions;

/**
 * Supabase Auth takes an emailed code as type 'email'. The local stack (@supabase/lite)
 * only knows the older, specific 'magiclink', which hosted Auth still accepts for the
 * code of an existing user; so a refused 'email' is retried as 'magiclink'.
 */
async function verifyEmailCode(supabase: SupabaseClient<Database>, email: string, token: string) {
	const first = await supabase.auth.verifyOtp({ email, token, type: 'email' });
	if (!first.error || isAuthRetryableFetchError(first.error)) return first;
	return supabase.auth.verifyOtp({ email, token, type: 'magiclink' });
}
