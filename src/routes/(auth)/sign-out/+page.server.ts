import { isAuthSessionMissingError } from '@supabase/supabase-js';
import { redirect } from '@sveltejs/kit';
import { logAuthError } from '../../../lib/server/auth-errors';
import type { Actions } from './$types';

export const actions = {
	default: async ({ locals }) => {
		// Global scope ends the session on every device. If Auth cannot be reached, still
		// forget it here: the person asked to be signed out of this browser.
		const { error } = await locals.supabase.auth.signOut();
		if (error && !isAuthSessionMissingError(error)) {
			logAuthError('signOut', error);
			await locals.supabase.auth.signOut({ scope: 'local' });
		}
		redirect(303, '/sign-in');
	}
} satisfies Actions;
