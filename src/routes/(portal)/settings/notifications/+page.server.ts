import { fail } from '@sveltejs/kit';
import {
	defaultFrequency,
	FREQUENCIES,
	NOTIFICATION_KINDS,
	type Frequency,
	type NotificationKind
} from '../../../../lib/notifications/describe';
import { requireUser } from '../../../../lib/server/auth';
import { parseForm } from '../../../../lib/server/forms';
import { rowsOf } from '../../../../lib/server/portal';
import type { Actions, PageServerLoad } from './$types';
import { preferencesSchema, unknownKinds } from './schema';

/**
 * How often each kind of notification reaches the person by email. A kind without a row
 * has its default (describe.ts mirrors the database's); the bell lists everything either way.
 */

const isFrequency = (value: string): value is Frequency =>
	(FREQUENCIES as readonly string[]).includes(value);

export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	await requireUser(event);
	const rows = rowsOf(
		await event.locals.supabase.from('notification_preferences').select('kind, frequency'),
		'your notification settings'
	);
	const chosen = new Map(rows.map((row) => [row.kind, row.frequency]));
	const preferences = Object.fromEntries(
		NOTIFICATION_KINDS.map((kind) => {
			const value = chosen.get(kind);
			return [kind, value && isFrequency(value) ? value : defaultFrequency(kind)];
		})
	) as Record<NotificationKind, Frequency>;
	return { preferences };
};

export const actions = {
	/** Every kind's choice in one upsert: all saved, or none. */
	save: async (event) => {
		const user = await requireUser(event);
		const form = await parseForm(preferencesSchema, event.request);
		if (!form.data) {
			const unknown = unknownKinds(form.input);
			return fail(400, {
				values: form.input,
				errors: form.errors,
				message:
					unknown.length > 0
						? `Unknown kind of notification: ${unknown.join(', ')}. Reload the page and try again.`
						: 'Choose how often for each kind of notification below.'
			});
		}
		const rows = NOTIFICATION_KINDS.map((kind) => ({
			user_id: user.id,
			kind,
			frequency: form.data[kind]
		}));
		const { error } = await event.locals.supabase
			.from('notification_preferences')
			.upsert(rows, { onConflict: 'user_id,kind' });
		if (error) {
			console.error('[notifications] saving preferences failed', error);
			return fail(503, {
				values: form.input,
				message: 'Your notification settings could not be saved. Please try again.'
			});
		}
		return { saved: 'Your notification settings are saved.' };
	},

	/** Forgets every choice: each kind is back to its default. */
	restore: async (event) => {
		const user = await requireUser(event);
		const { error } = await event.locals.supabase
			.from('notification_preferences')
			.delete()
			.eq('user_id', user.id);
		if (error) {
			console.error('[notifications] restoring default preferences failed', error);
			return fail(503, { message: 'The defaults could not be restored. Please try again.' });
		}
		return { saved: 'Your notification settings are back to the defaults.' };
	}
} satisfies Actions;
