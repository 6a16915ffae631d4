import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { PostgrestError } from '@supabase/supabase-js';
import { z } from 'zod';
import { requireStaff } from '../../../../lib/server/auth';
import { parseForm } from '../../../../lib/server/forms';
import {
	inviteAction,
	resendAction,
	revokeAction
} from '../../../../lib/server/invitation-actions';
import { STAFF_ROLES } from '../../../../lib/server/invitations';
import type { Actions, PageServerLoad } from './$types';

/**
 * The staff team, for admins: roles, removals, invitations and which accounts each staff
 * member serves. Every write runs as the signed-in admin; the policies and the last-admin
 * trigger decide (see the invitations migration).
 */

/** Admins only: checked in the load and in every action (a layout load can be skipped). */
async function requireAdmin(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const staff = await requireStaff(event);
	if (staff.role !== 'admin') error(403, 'Only admins can manage the team.');
	return staff;
}

export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	const { user } = await requireAdmin(event);
	const { supabase } = event.locals;

	const [staff, assignments, accounts, invitations] = await Promise.all([
		supabase.from('staff_members').select('user_id, role, created_at').order('created_at'),
		supabase.from('staff_assignments').select('staff_user_id, account_id'),
		supabase.from('client_accounts').select('id, name, status').order('name'),
		supabase
			.from('invitations')
			.select('id, email, role, created_at, expires_at')
			.eq('kind', 'staff')
			.is('accepted_at', null)
			.is('revoked_at', null)
			.order('created_at', { ascending: false })
	]);
	if (staff.error || assignments.error || accounts.error || invitations.error) {
		const failed = staff.error ?? assignments.error ?? accounts.error ?? invitations.error;
		console.error('[team] loading the team failed', failed);
		error(503, 'The team could not be loaded. Please try again.');
	}
	// Names and addresses in a second query, by id: no reliance on embedding through the
	// staff_members → profiles foreign key.
	const staffIds = staff.data.map((s) => s.user_id);
	const profiles = await supabase
		.from('profiles')
		.select('id, display_name, email')
		.in('id', staffIds);
	if (profiles.error) {
		console.error('[team] loading names failed', profiles.error);
		error(503, 'The team could not be loaded. Please try again.');
	}

	const profileOf = new Map(profiles.data.map((p) => [p.id, p]));
	const accountNames = new Map(accounts.data.map((a) => [a.id, a.name]));
	const assignedTo = (userId: string) =>
		assignments.data
			.filter((a) => a.staff_user_id === userId)
			.map((a) => ({ id: a.account_id, name: accountNames.get(a.account_id) ?? 'Unknown account' }))
			.sort((a, b) => a.name.localeCompare(b.name));

	return {
		currentUserId: user.id,
		now: new Date().toISOString(),
		staff: staff.data.map((s) => ({
			userId: s.user_id,
			role: s.role,
			since: s.created_at,
			name: profileOf.get(s.user_id)?.display_name ?? '',
			email: profileOf.get(s.user_id)?.email ?? '',
			accounts: assignedTo(s.user_id)
		})),
		accounts: accounts.data,
		invitations: invitations.data
	};
};

const staffMemberSchema = z.object({ user: z.uuid({ error: 'Unknown staff member' }) });
const roleChangeSchema = staffMemberSchema.extend({
	role: z.enum(STAFF_ROLES, { error: 'Choose admin or staff' })
});
const assignmentSchema = staffMemberSchema.extend({
	account: z.uuid({ error: 'Choose an account' })
});

const LAST_ADMIN = 'The workspace needs at least one admin. Make someone else an admin first.';
const NOT_ALLOWED = 'You cannot change that staff member.';

/** Database refusals of team changes, in words. */
function teamWriteFailure(err: PostgrestError) {
	// The trigger raises 'last_admin' (PT409). Matched as a word: @supabase/lite answers an
	// SQLSTATE it does not map with the message as "error: last_admin".
	if (/\blast_admin\b/.test(err.message)) return fail(409, { staffError: LAST_ADMIN });
	if (err.code === '42501') return fail(403, { staffError: NOT_ALLOWED });
	console.error('[team] write failed', err);
	return fail(503, { staffError: 'The change could not be saved. Please try again.' });
}

export const actions = {
	invite: async (event) => {
		const { user } = await requireAdmin(event);
		return inviteAction(event, null, user.id);
	},

	resend: async (event) => {
		const { user } = await requireAdmin(event);
		return resendAction(event, user.id);
	},

	revoke: async (event) => {
		await requireAdmin(event);
		return revokeAction(event);
	},

	changeRole: async (event) => {
		const { user } = await requireAdmin(event);
		const form = await parseForm(roleChangeSchema, event.request);
		if (!form.data) return fail(400, { staffError: 'Choose admin or staff.' });
		const { data, error: err } = await event.locals.supabase
			.from('staff_members')
			.update({ role: form.data.role })
			.eq('user_id', form.data.user)
			.select('user_id');
		if (err) return teamWriteFailure(err);
		// RLS filtered the row out, or it is gone: nothing was changed.
		if (data.length === 0) return fail(403, { staffError: NOT_ALLOWED });
		// An admin who made themselves staff can no longer open this page.
		if (form.data.user === user.id && form.data.role !== 'admin') redirect(303, '/staff');
		return { staffNotice: 'Role updated.' };
	},

	remove: async (event) => {
		const { user } = await requireAdmin(event);
		const form = await parseForm(staffMemberSchema, event.request);
		if (!form.data) return fail(400, { staffError: 'Unknown staff member.' });
		const { data, error: err } = await event.locals.supabase
			.from('staff_members')
			.delete()
			.eq('user_id', form.data.user)
			.select('user_id');
		if (err) return teamWriteFailure(err);
		if (data.length === 0) return fail(403, { staffError: NOT_ALLOWED });
		// The page offers no way to remove yourself; a hand-made request the database allowed
		// leaves this person without access to the staff pages.
		if (form.data.user === user.id) redirect(303, '/');
		return {
			staffNotice: 'Removed from the staff. Their client-account assignments are gone too.'
		};
	},

	assign: async (event) => {
		await requireAdmin(event);
		const form = await parseForm(assignmentSchema, event.request);
		if (!form.data) {
			return fail(400, {
				staffError: form.errors.user ? 'Unknown staff member.' : 'Choose an account to assign.'
			});
		}
		const { error: err } = await event.locals.supabase
			.from('staff_assignments')
			.insert({ account_id: form.data.account, staff_user_id: form.data.user });
		if (err?.code === '23505') {
			return fail(409, { staffError: 'They already serve that account.' });
		}
		if (err?.code === '23503') {
			return fail(404, { staffError: 'That staff member or account no longer exists.' });
		}
		if (err) return teamWriteFailure(err);
		return { staffNotice: 'Assigned to the account.' };
	},

	unassign: async (event) => {
		await requireAdmin(event);
		const form = await parseForm(assignmentSchema, event.request);
		if (!form.data) return fail(400, { staffError: 'Unknown assignment.' });
		const { data, error: err } = await event.locals.supabase
			.from('staff_assignments')
			.delete()
			.eq('account_id', form.data.account)
			.eq('staff_user_id', form.data.user)
			.select('account_id');
		if (err) return teamWriteFailure(err);
		if (data.length === 0) return fail(404, { staffError: 'That assignment no longer exists.' });
		return { staffNotice: 'Taken off the account.' };
	}
} satisfies Actions;
