import { fail, type RequestEvent } from '@sveltejs/kit';
import { parseForm } from './forms';
import {
	clientInviteSchema,
	invitationIdSchema,
	invite,
	resendInvitation,
	revokeInvitation,
	staffInviteSchema
} from './invitations';

/**
 * The invite, resend and withdraw form actions, shared by the client's members page, the
 * staff account page and the admin team page. Each page checks who is asking first; these
 * read the form, ask the database and word the answer.
 */

/** Invites into a client account, or into the staff when accountId is null. */
export async function inviteAction(
	event: RequestEvent,
	accountId: string | null,
	inviterId: string
) {
	const schema = accountId === null ? staffInviteSchema : clientInviteSchema;
	const form = await parseForm(schema, event.request);
	const values = { email: form.input.email ?? '', role: form.input.role ?? '' };
	if (!form.data) return fail(400, { inviteErrors: form.errors, values });
	const result = await invite(
		event.locals.supabase,
		{ accountId, email: form.data.email, role: form.data.role },
		event.url.origin,
		inviterId
	);
	if (!result.ok) {
		return result.field
			? fail(result.status, { inviteErrors: { [result.field]: [result.message] }, values })
			: fail(result.status, { inviteMessage: result.message, values });
	}
	return { invited: form.data.email };
}

export async function resendAction(event: RequestEvent, inviterId: string) {
	const form = await parseForm(invitationIdSchema, event.request);
	if (!form.data) return fail(400, { invitationError: 'Unknown invitation.' });
	const result = await resendInvitation(
		event.locals.supabase,
		form.data.invitation,
		event.url.origin,
		inviterId
	);
	if (!result.ok) return fail(result.status, { invitationError: result.message });
	return { invitationNotice: 'A new invitation link was sent. The old link no longer works.' };
}

export async function revokeAction(event: RequestEvent) {
	const form = await parseForm(invitationIdSchema, event.request);
	if (!form.data) return fail(400, { invitationError: 'Unknown invitation.' });
	const result = await revokeInvitation(event.locals.supabase, form.data.invitation);
	if (!result.ok) return fail(result.status, { invitationError: result.message });
	return { invitationNotice: 'The invitation was withdrawn. Its link no longer works.' };
}
