import { error, fail, redirect } from '@sveltejs/kit';
import { isAuthSessionMissingError } from '@supabase/supabase-js';
import { authErrorMessage, logAuthError } from '../../../lib/server/auth-errors';
import { signInPath } from '../../../lib/server/auth';
import { parseForm } from '../../../lib/server/forms';
import { invitationPath, isInvitationToken } from '../../../lib/server/invitations';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { inviteSignUpSchema } from './schema';

/**
 * The link in an invitation email. Signed out: create an account with the invited address
 * (or sign in). Signed in with that address: accept. public.accept_invitation checks it all
 * again; this page only explains.
 */

async function preview(event: RequestEvent) {
	if (!isInvitationToken(event.params.token)) return null;
	const { data, error: err } = await event.locals.supabase.rpc('invitation_preview', {
		p_token: event.params.token
	});
	if (err) {
		console.error('[invite] preview failed', err.code, err.message);
		error(503, 'The invitation could not be loaded. Please try again.');
	}
	return data[0] ?? null;
}

export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	const { user } = await event.locals.safeGetSession();
	const invitation = await preview(event);
	return {
		invitation,
		signedInAs: user?.email?.toLowerCase() ?? null,
		signInHref: signInPath(event.url)
	};
};

const acceptErrors: Record<string, string> = {
	invitation_not_found: 'This invitation link is not valid. Ask for a new one.',
	invitation_used: 'This invitation was already accepted.',
	invitation_revoked: 'This invitation was withdrawn. Ask for a new one.',
	invitation_expired: 'This invitation has expired. Ask for a new one.',
	invitation_wrong_email: 'This invitation is for another email address.',
	email_not_confirmed: 'Confirm your email address first, with the link we sent you.'
};

const ALREADY_REGISTERED =
	'You already have an account with this email address: sign in to accept the invitation.';

export const actions = {
	accept: async (event) => {
		const { user } = await event.locals.safeGetSession();
		if (!user) redirect(303, signInPath(event.url));
		if (!isInvitationToken(event.params.token)) {
			return fail(400, { message: acceptErrors.invitation_not_found });
		}
		const { data, error: err } = await event.locals.supabase.rpc('accept_invitation', {
			p_token: event.params.token
		});
		if (err) {
			const message = acceptErrors[err.message];
			if (!message) console.error('[invite] accept failed', err.code, err.message);
			return fail(message ? 400 : 503, {
				message: message ?? 'The invitation could not be accepted. Please try again.'
			});
		}
		const accepted = data[0];
		redirect(
			303,
			accepted?.kind === 'staff'
				? '/staff?notice=invitation-accepted'
				: `/accounts/${accepted?.account_id}/members?notice=invitation-accepted`
		);
	},

	signUp: async (event) => {
		const invitation = await preview(event);
		if (!invitation || invitation.status !== 'pending') {
			return fail(400, { message: 'This invitation can no longer be accepted.' });
		}
		const form = await parseForm(inviteSignUpSchema, event.request);
		const values = { displayName: form.input.displayName ?? '' };
		if (!form.data) return fail(400, { errors: form.errors, values });

		const { data, error: err } = await event.locals.supabase.auth.signUp({
			email: invitation.email,
			password: form.data.password,
			options: {
				data: { display_name: form.data.displayName },
				// The confirmation email brings them back here, signed in, to accept.
				emailRedirectTo: new URL(invitationPath(event.params.token), event.url.origin).href
			}
		});
		if (err?.code === 'user_already_exists')
			return fail(409, { message: ALREADY_REGISTERED, values });
		if (err) {
			logAuthError('signUp (invitation)', err);
			return fail(400, { message: authErrorMessage(err), values });
		}
		if (data.session) redirect(303, invitationPath(event.params.token));
		// Hosted Auth answers an existing address with a user that has no identities (and
		// sends nothing), the local stack with user_already_exists. The invitee holds the
		// link, so saying so reveals nothing new.
		if (data.user && data.user.identities?.length === 0) {
			return fail(409, { message: ALREADY_REGISTERED, values });
		}
		return { confirmationSentTo: invitation.email };
	},

	signOut: async (event) => {
		const { error: err } = await event.locals.supabase.auth.signOut();
		if (err && !isAuthSessionMissingError(err)) {
			logAuthError('signOut (invitation)', err);
			await event.locals.supabase.auth.signOut({ scope: 'local' });
		}
		redirect(303, invitationPath(event.params.token));
	}
} satisfies Actions;
