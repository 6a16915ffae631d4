import { error, fail, type RequestEvent } from '@sveltejs/kit';
import type { PostgrestError } from '@supabase/supabase-js';
import { z } from 'zod';
import { parseForm, type FormInput } from '../../../../../lib/server/forms';
import { refuseBillingUsers, requireAccount } from '../../../../../lib/server/portal';
import { NUL_MESSAGE, withoutNul } from '../../../../../lib/schemas';

/**
 * The staff side of projects: schemas, results and the status-update actions the projects
 * list (account-wide updates) and a project page (its own updates) share. Every write goes
 * through the signed-in staff member's client: the policies decide, these mirror them.
 */

/** A text field: trimmed, within `max` characters, and required unless `optional`. */
function text(what: string, max: number, optional = false) {
	return z
		.string()
		.default('')
		.pipe(
			z
				.string()
				.trim()
				.min(optional ? 0 : 1, `Enter ${what}`)
				.max(max, `Use at most ${max.toLocaleString('en')} characters`)
				.refine(withoutNul, NUL_MESSAGE)
		);
}

export const PROJECT_STATUSES = ['active', 'on_hold', 'completed'] as const;
export const MILESTONE_STATES = ['planned', 'in_progress', 'done', 'blocked'] as const;

export const projectSchema = z.object({
	name: text('a name for the project', 200),
	description: text('a description', 4000, true),
	status: z.enum(PROJECT_STATUSES, { error: 'Choose a status' })
});

export const milestoneSchema = z.object({
	title: text('a title for the milestone', 200),
	due_on: z
		.string()
		.default('')
		.pipe(
			z.union([z.literal('').transform(() => null), z.iso.date('Enter a date like 2026-12-31')])
		),
	state: z.enum(MILESTONE_STATES, { error: 'Choose a state' })
});

export const idSchema = z.object({ id: z.uuid('That item does not exist.') });

export const moveSchema = idSchema.extend({
	direction: z.enum(['up', 'down'], { error: 'Choose up or down' })
});

export const BODY_MAX = 10_000;
export const updateBody = text('the update', BODY_MAX);

export const newUpdateSchema = z.object({
	body: updateBody,
	// Which submit button was pressed: "Publish now" or "Save as draft".
	intent: z.enum(['publish', 'draft'], { error: 'Choose Publish now or Save as draft' })
});

export const editUpdateSchema = idSchema.extend({ body: updateBody });

/** What every staff action on these pages answers: which form, and what to show by it. */
export interface StaffResult {
	action: string;
	/** The row the form was about (a milestone, an update), or null for a page-level form. */
	target: string | null;
	message: string | null;
	notice: string | null;
	errors: Record<string, string[] | undefined> | null;
	values: FormInput | null;
}

export function done(action: string, target: string | null, notice: string): StaffResult {
	return { action, target, message: null, notice, errors: null, values: null };
}

export function refused(
	status: number,
	action: string,
	target: string | null,
	message: string | null,
	more: Partial<Pick<StaffResult, 'errors' | 'values'>> = {}
) {
	return fail(status, {
		action,
		target,
		message,
		notice: null,
		errors: more.errors ?? null,
		values: more.values ?? null
	} satisfies StaffResult);
}

/**
 * A database refusal in words. Our functions raise stable codes with a human hint
 * (42501 → 403, 22023 → 400, PT404 → 404, PT409 → 409): the hint is shown when there is one.
 */
export function writeFailure(
	action: string,
	target: string | null,
	err: PostgrestError,
	values: FormInput | null = null
) {
	const hint = err.hint || null;
	const more = { values };
	switch (err.code) {
		case '42501':
			return refused(
				403,
				action,
				target,
				hint ?? 'Only staff serving this account can change its projects and updates.',
				more
			);
		case '22023':
		case '23514':
			return refused(400, action, target, hint ?? 'Some of what you entered is not allowed.', more);
		case '23503':
			return refused(404, action, target, hint ?? 'That project no longer exists.', more);
		case 'PT404':
			return refused(404, action, target, hint ?? 'That item no longer exists.', more);
		case 'PT409':
			return refused(409, action, target, hint ?? 'That conflicts with a newer change.', more);
	}
	if (hint) return refused(409, action, target, hint, more);
	console.error(`[projects] ${action} failed`, err);
	return refused(503, action, target, 'The change could not be saved. Please try again.', more);
}

/**
 * The account, for a staff action: clients (and billing users) get a 403 before anything is
 * read from the form. The policies refuse them too; this answers in words.
 */
export async function requireServingStaff(event: RequestEvent) {
	const { account, access } = await requireAccount(event);
	refuseBillingUsers(access, account.name);
	if (!access.isStaff) error(403, 'Only staff serving this account can change its projects.');
	return account;
}

const PUBLISHED =
	'This update is published: it can no longer be edited. Post a new update to add to it.';

/**
 * Edits a draft's body. The policy lets staff update drafts only, so a published update (or
 * one of another project) matches no row: we then say which it was.
 */
export async function editDraft(event: RequestEvent, projectId: string | null) {
	const account = await requireServingStaff(event);
	const form = await parseForm(editUpdateSchema, event.request);
	const target = form.input.id ?? null;
	if (!form.data) {
		const message = form.errors.id ? 'That update does not exist.' : null;
		return refused(400, 'editUpdate', target, message, { errors: form.errors, values: form.input });
	}
	const { supabase } = event.locals;
	let query = supabase
		.from('status_updates')
		.update({ body: form.data.body })
		.eq('id', form.data.id)
		.eq('account_id', account.id)
		.is('published_at', null);
	query = projectId ? query.eq('project_id', projectId) : query.is('project_id', null);
	const { data, error: updateError } = await query.select('id');
	if (updateError) return writeFailure('editUpdate', target, updateError, form.input);
	if (data.length === 0) return notEditable(event, account.id, form.data.id, 'editUpdate');
	return done('editUpdate', target, 'Draft saved.');
}

/** Publishes a draft: from now on clients see it, and nobody can edit it. */
export async function publishDraft(event: RequestEvent, projectId: string | null) {
	const account = await requireServingStaff(event);
	const form = await parseForm(idSchema, event.request);
	const target = form.input.id ?? null;
	if (!form.data) return refused(400, 'publishUpdate', target, 'That update does not exist.');
	const { supabase } = event.locals;
	let query = supabase
		.from('status_updates')
		.update({ published_at: new Date().toISOString() })
		.eq('id', form.data.id)
		.eq('account_id', account.id)
		.is('published_at', null);
	query = projectId ? query.eq('project_id', projectId) : query.is('project_id', null);
	const { data, error: updateError } = await query.select('id');
	if (updateError) return writeFailure('publishUpdate', target, updateError);
	if (data.length === 0) return notEditable(event, account.id, form.data.id, 'publishUpdate');
	return done('publishUpdate', target, 'Update published: the client can see it now.');
}

/** Why a draft action matched nothing: already published (409), or not there at all (404). */
async function notEditable(event: RequestEvent, accountId: string, id: string, action: string) {
	const { data } = await event.locals.supabase
		.from('status_updates')
		.select('published_at')
		.eq('id', id)
		.eq('account_id', accountId)
		.maybeSingle();
	return data?.published_at
		? refused(409, action, id, PUBLISHED)
		: refused(404, action, id, 'That update does not exist, or it is not a draft.');
}

/** Posts one update, published now or kept as a draft. */
export async function postUpdate(event: RequestEvent, projectId: string | null) {
	const account = await requireServingStaff(event);
	const form = await parseForm(newUpdateSchema, event.request);
	if (!form.data) {
		return refused(400, 'postUpdate', null, null, { errors: form.errors, values: form.input });
	}
	const publish = form.data.intent === 'publish';
	const { error: insertError } = await event.locals.supabase.from('status_updates').insert({
		account_id: account.id,
		project_id: projectId,
		body: form.data.body,
		published_at: publish ? new Date().toISOString() : null
	});
	if (insertError) return writeFailure('postUpdate', null, insertError, form.input);
	return done(
		'postUpdate',
		null,
		publish ? 'Update published: the client can see it now.' : 'Draft saved: only staff see it.'
	);
}

/** Account-wide updates (no project), newest published first, and staff's drafts. */
export async function loadAccountWideUpdates(
	event: RequestEvent,
	accountId: string,
	isStaff: boolean,
	limit: number
) {
	const { supabase } = event.locals;
	const [published, drafts] = await Promise.all([
		supabase
			.from('status_updates')
			.select('id, body, published_at, author_id, created_at')
			.eq('account_id', accountId)
			.is('project_id', null)
			.not('published_at', 'is', null)
			.order('published_at', { ascending: false })
			.limit(limit),
		isStaff
			? supabase
					.from('status_updates')
					.select('id, body, published_at, author_id, created_at')
					.eq('account_id', accountId)
					.is('project_id', null)
					.is('published_at', null)
					.order('created_at', { ascending: false })
					.limit(50)
			: null
	]);
	const failed = published.error ?? drafts?.error;
	if (failed) {
		console.error('[projects] loading account-wide updates failed', failed);
		error(503, 'The status updates could not be loaded. Please try again.');
	}
	return { published: published.data ?? [], drafts: drafts?.data ?? [] };
}

/** Display names of update authors; clients may not read staff profiles ("Your project team"). */
export async function authorNames(event: RequestEvent, ids: (string | null)[]) {
	const unique = [...new Set(ids.filter((id): id is string => !!id))];
	const names = new Map<string, string>();
	if (unique.length > 0) {
		const { data } = await event.locals.supabase
			.from('profiles')
			.select('id, display_name, email')
			.in('id', unique);
		for (const p of data ?? []) names.set(p.id, p.display_name || p.email);
	}
	return (id: string | null) => (id && names.get(id)) || 'Your project team';
}

/** The shape the pages render an update with. */
export function updateView(
	u: {
		id: string;
		body: string;
		published_at: string | null;
		created_at: string;
		author_id: string | null;
	},
	nameOf: (id: string | null) => string
) {
	return {
		id: u.id,
		body: u.body,
		publishedAt: u.published_at ?? '',
		createdAt: u.created_at,
		author: nameOf(u.author_id)
	};
}
