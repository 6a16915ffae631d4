import type { PostgrestError, SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { Database } from '../database.types';
import { parseTimestamp } from '../format';
import { emailField } from '../schemas';
import { invitationEmail } from './mail/invitation-email';
import { sendMail } from './mail/mailer';

/**
 * Inviting people: the database makes the token and checks who may invite whom
 * (public.create_invitation and friends, see the invitations migration); this module
 * emails the link. Everything runs as the signed-in user.
 */

type Db = SupabaseClient<Database>;

export const CLIENT_ROLES = ['owner', 'member', 'billing', 'viewer'] as const;
export const STAFF_ROLES = ['admin', 'staff'] as const;
export type ClientRole = (typeof CLIENT_ROLES)[number];
export type StaffRole = (typeof STAFF_ROLES)[number];

export const clientInviteSchema = z.object({
	email: emailField,
	role: z.enum(CLIENT_ROLES, { error: 'Choose a role' })
});
export const staffInviteSchema = z.object({
	email: emailField,
	role: z.enum(STAFF_ROLES, { error: 'Choose a role' })
});
export const invitationIdSchema = z.object({
	invitation: z.uuid({ error: 'Unknown invitation' })
});

/** A refusal to show on the form: which field it concerns, if any, and the HTTP status. */
export interface InviteFailure {
	status: 400 | 403 | 404 | 409 | 502 | 503;
	message: string;
	field?: 'email' | 'role';
}

/** The path of the accept page for a token (encoded: a hostile one stays inside the path). */
export const invitationPath = (token: string) => `/invite/${encodeURIComponent(token)}`;

/** What the database makes: 43 URL-safe characters. Anything else is not worth a query. */
export const isInvitationToken = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token);

/**
 * What each database refusal means to the person who pressed the button. Worded here, not
 * taken from the error's hint: the local stack drops hints on some errors.
 */
export function invitationFailure(
	error: PostgrestError,
	scope: 'account' | 'staff' = 'account'
): InviteFailure {
	switch (error.message) {
		case 'invalid_email':
			return {
				status: 400,
				field: 'email',
				message: 'Enter an email address like name@example.com'
			};
		case 'invalid_role':
			return { status: 400, field: 'role', message: 'Choose one of the listed roles' };
		case 'already_member':
			return {
				status: 409,
				field: 'email',
				message:
					scope === 'staff'
						? 'That person is already on the staff.'
						: 'That person is already in this account.'
			};
		case 'not_allowed':
		case 'not_signed_in':
			return {
				status: 403,
				message:
					scope === 'staff'
						? 'Only admins can invite staff.'
						: 'Only the account’s owners and its staff can invite people.'
			};
		case 'invitation_not_found':
			return { status: 404, message: 'That invitation no longer exists.' };
		case 'invitation_closed':
			return { status: 409, message: 'That invitation was already accepted or withdrawn.' };
		default:
			console.error('[invitations] unexpected database error', error.code, error.message);
			return { status: 503, message: 'The invitation could not be saved. Please try again.' };
	}
}

interface Issued {
	invitation_id: string;
	token: string;
	expires_at: string;
}

/** Emails a freshly issued token. Returns false if the SMTP server refused or was away. */
async function emailInvitation(
	supabase: Db,
	issued: Issued,
	origin: string,
	inviterId: string
): Promise<boolean> {
	const [{ data: invitation }, { data: inviter }] = await Promise.all([
		supabase
			.from('invitations')
			.select('email, kind, role, account:client_accounts(name)')
			.eq('id', issued.invitation_id)
			.single(),
		supabase.from('profiles').select('display_name').eq('id', inviterId).maybeSingle()
	]);
	if (!invitation) return false;
	try {
		await sendMail(
			invitationEmail({
				to: invitation.email,
				kind: invitation.kind === 'staff' ? 'staff' : 'client',
				accountName: invitation.account?.name ?? null,
				role: invitation.role,
				inviterName: inviter?.display_name ?? null,
				link: new URL(invitationPath(issued.token), origin).href,
				expiresAt: parseTimestamp(issued.expires_at) ?? new Date()
			})
		);
		return true;
	} catch (error) {
		console.error('[invitations] sending the invitation email failed', (error as Error).message);
		return false;
	}
}

const MAIL_FAILED: InviteFailure = {
	status: 502,
	message:
		'The invitation email could not be sent, so nothing was saved. Please try again in a moment.'
};

/**
 * Creates an invitation (to a client account, or to the staff when accountId is null) and
 * emails it. If the email cannot be sent the invitation is withdrawn again: nobody is left
 * with an invitation they never received.
 */
export async function invite(
	supabase: Db,
	request: { accountId: string | null; email: string; role: string },
	origin: string,
	inviterId: string
): Promise<{ ok: true } | ({ ok: false } & InviteFailure)> {
	const { data, error } =
		request.accountId === null
			? await supabase.rpc('create_staff_invitation', {
					p_email: request.email,
					p_role: request.role
				})
			: await supabase.rpc('create_invitation', {
					p_account_id: request.accountId,
					p_email: request.email,
					p_role: request.role
				});
	if (error) {
		return {
			ok: false,
			...invitationFailure(error, request.accountId === null ? 'staff' : 'account')
		};
	}
	const issued = data[0];
	if (!issued) return { ok: false, status: 503, message: 'The invitation could not be saved.' };

	if (!(await emailInvitation(supabase, issued, origin, inviterId))) {
		const { error: revokeError } = await supabase.rpc('revoke_invitation', {
			p_invitation_id: issued.invitation_id
		});
		if (revokeError) console.error('[invitations] withdrawing after a failed email', revokeError);
		return { ok: false, ...MAIL_FAILED };
	}
	return { ok: true };
}

/** A new link (the old one stops working) and another 7 days, emailed again. */
export async function resendInvitation(
	supabase: Db,
	invitationId: string,
	origin: string,
	inviterId: string
): Promise<{ ok: true } | ({ ok: false } & InviteFailure)> {
	const { data, error } = await supabase.rpc('resend_invitation', {
		p_invitation_id: invitationId
	});
	if (error) return { ok: false, ...invitationFailure(error) };
	const issued = data[0];
	if (!issued || !(await emailInvitation(supabase, issued, origin, inviterId))) {
		return {
			ok: false,
			status: 502,
			message: 'The email could not be sent. The invitation is still open: try again in a moment.'
		};
	}
	return { ok: true };
}

export async function revokeInvitation(
	supabase: Db,
	invitationId: string
): Promise<{ ok: true } | ({ ok: false } & InviteFailure)> {
	const { error } = await supabase.rpc('revoke_invitation', { p_invitation_id: invitationId });
	return error ? { ok: false, ...invitationFailure(error) } : { ok: true };
}
