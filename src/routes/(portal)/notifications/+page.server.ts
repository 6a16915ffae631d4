import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { parseTimestamp } from '../../../lib/format';
import { describeNotification } from '../../../lib/notifications/describe';
import { requireUser, safeRedirectPath } from '../../../lib/server/auth';
import { parseForm } from '../../../lib/server/forms';
import { PAGE_SIZE, pageFrom, rangeFor, rowsOf } from '../../../lib/server/portal';
import type { Actions, PageServerLoad } from './$types';

/**
 * The person's notifications (the bell), newest first. RLS shows each person their own, in
 * accounts they can still read. Opening one is a POST that marks it read and then goes to
 * it: a GET must never mark anything, since links are preloaded on hover.
 */

const COLUMNS = 'id, kind, account_id, subject_id, details, created_at, read_at';

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
	['year', 365 * 24 * 3600],
	['month', 30 * 24 * 3600],
	['week', 7 * 24 * 3600],
	['day', 24 * 3600],
	['hour', 3600],
	['minute', 60]
];

/**
 * "5 minutes ago", worked out here so the server and the browser print the same text (the
 * exact time is shown beside it).
 */
function timeAgo(timestamp: string, now: number): string {
	const date = parseTimestamp(timestamp);
	if (!date) return '';
	const seconds = Math.round((date.getTime() - now) / 1000);
	for (const [unit, size] of UNITS) {
		if (Math.abs(seconds) >= size) return relative.format(Math.trunc(seconds / size), unit);
	}
	return 'just now';
}

export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	event.depends('app:notifications');
	await requireUser(event);
	const { supabase } = event.locals;
	const page = pageFrom(event.url);

	const [from, to] = rangeFor(page);
	const [list, newest] = await Promise.all([
		supabase
			.from('notifications')
			.select(COLUMNS, { count: 'exact' })
			.order('created_at', { ascending: false })
			.order('id', { ascending: false })
			.range(from, to),
		// "Mark all as read" marks up to the newest one there is now, so one that arrives
		// after the page was shown stays unread. Page 1 already holds it.
		page === 1
			? null
			: supabase
					.from('notifications')
					.select('created_at')
					.order('created_at', { ascending: false })
					.limit(1)
	]);
	const rows = rowsOf(list, 'your notifications');
	const total = list.count ?? rows.length;
	const now = Date.now();

	return {
		items: rows.map((row) => {
			const { text, accountName } = describeNotification(row);
			return {
				id: row.id,
				text,
				accountName,
				createdAt: row.created_at,
				ago: timeAgo(row.created_at, now),
				unread: row.read_at === null
			};
		}),
		newestAt: page === 1 ? (rows[0]?.created_at ?? null) : (newest?.data?.[0]?.created_at ?? null),
		page,
		pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
		total
	};
};

const openSchema = z.object({
	id: z
		.string({ error: 'Choose a notification to open' })
		.regex(/^[1-9]\d{0,15}$/, { error: 'Choose a notification to open' })
		.transform(Number)
});

const markAllSchema = z.object({
	before: z
		.string({ error: 'Reload the page and try again' })
		.max(40)
		.refine((value) => parseTimestamp(value) !== null, { error: 'Reload the page and try again' })
});

const NOT_FOUND =
	'This notification does not exist, or it is not yours. It may belong to an account you no longer have access to.';

export const actions = {
	/** Marks one notification read and goes where it leads. */
	open: async (event) => {
		await requireUser(event);
		const form = await parseForm(openSchema, event.request);
		if (!form.data) return fail(400, { openError: form.errors.id?.[0] ?? NOT_FOUND });
		const { supabase } = event.locals;

		const { data: row, error: readError } = await supabase
			.from('notifications')
			.select(COLUMNS)
			.eq('id', form.data.id)
			.maybeSingle();
		if (readError) {
			console.error('[notifications] reading a notification failed', readError);
			return fail(503, { openError: 'This notification could not be opened. Please try again.' });
		}
		// RLS hides other people's: unknown and foreign look the same.
		if (!row) return fail(404, { openError: NOT_FOUND });

		if (row.read_at === null) {
			const { error: markError } = await supabase
				.from('notifications')
				.update({ read_at: new Date().toISOString() })
				.eq('id', row.id)
				.is('read_at', null);
			// Not worth stopping for: the person still gets where they wanted to go.
			if (markError) console.error('[notifications] marking a notification read failed', markError);
		}
		redirect(303, safeRedirectPath(describeNotification(row).path, '/notifications'));
	},

	/** Marks read everything up to the newest notification the page showed. */
	markAll: async (event) => {
		await requireUser(event);
		const form = await parseForm(markAllSchema, event.request);
		if (!form.data) return fail(400, { markError: form.errors.before?.[0] ?? 'Please try again' });
		const { data: marked, error: markError } = await event.locals.supabase.rpc(
			'mark_notifications_read',
			{ p_before: form.data.before }
		);
		if (markError) {
			console.error('[notifications] marking all read failed', markError);
			return fail(503, {
				markError: 'Your notifications could not be marked read. Please try again.'
			});
		}
		return {
			marked:
				marked === 0
					? 'There was nothing unread.'
					: marked === 1
						? '1 notification marked as read.'
						: `${marked} notifications marked as read.`
		};
	}
} satisfies Actions;
