import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import {
	KIND_LABELS,
	NOTIFICATION_KINDS,
	type NotificationKind
} from '../../../lib/notifications/describe';
import { parseForm } from '../../../lib/server/forms';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/**
 * The link at the bottom of every notification email. No sign-in: the token (122 random
 * bits, one per person) is the proof. Looking is free; only the buttons (POST) change
 * anything, so a mail scanner that opens links turns nothing off.
 */

const NOT_VALID =
	'This link is not valid. Use the unsubscribe link in your latest email, or sign in and change your notification settings.';

const kindField = z.enum(NOTIFICATION_KINDS, { error: 'Choose a kind of email to turn off' });

/** The token from the URL, or a 404: anything but a UUID cannot be one. */
function tokenOf(event: Pick<RequestEvent, 'params'>): string {
	const token = z.uuid().safeParse(event.params.token);
	if (!token.success) error(404, NOT_VALID);
	return token.data;
}

/** "o****@acme.example.com": enough to recognise one's address, not to read it off a screen. */
function maskEmail(email: string): string {
	const at = email.lastIndexOf('@');
	if (at < 1) return 'your email address';
	return `${email[0]}****${email.slice(at)}`;
}

export const load: PageServerLoad = async (event) => {
	const token = tokenOf(event);
	// The address shows (masked) and the link is a secret: keep it out of caches and of
	// the Referer of any link followed from here.
	event.setHeaders({ 'cache-control': 'private, no-store', 'referrer-policy': 'no-referrer' });
	const { data, error: err } = await event.locals.supabase.rpc('unsubscribe_preview', {
		p_token: token
	});
	if (err) {
		console.error('[unsubscribe] preview failed', err.code, err.message);
		error(503, 'This page could not be loaded. Please try again.');
	}
	if (data.length === 0) error(404, NOT_VALID);

	const requested = kindField.safeParse(event.url.searchParams.get('kind'));
	const offKinds = data.filter((row) => row.frequency === 'off').map((row) => row.kind);
	return {
		email: maskEmail(data[0]?.email ?? ''),
		kind: requested.success
			? {
					kind: requested.data,
					label: KIND_LABELS[requested.data].label,
					off: offKinds.includes(requested.data)
				}
			: null,
		allOff: offKinds.length === NOTIFICATION_KINDS.length
	};
};

async function unsubscribe(event: RequestEvent, kind: NotificationKind | null) {
	const token = tokenOf(event);
	const { data, error: err } = await event.locals.supabase.rpc(
		'unsubscribe',
		kind ? { p_token: token, p_kind: kind } : { p_token: token }
	);
	if (err) {
		console.error('[unsubscribe] unsubscribing failed', err.code, err.message);
		return fail(503, { message: 'Your choice could not be saved. Please try again.' });
	}
	if (!data) return fail(404, { message: NOT_VALID });
	return {
		done: kind
			? `You will no longer get emails about ${KIND_LABELS[kind].label.toLowerCase()}.`
			: 'You will no longer get any emails from the portal.'
	};
}

export const actions = {
	/** One kind off (the kind the email was about). */
	kind: async (event) => {
		tokenOf(event);
		const form = await parseForm(z.object({ kind: kindField }), event.request);
		if (!form.data) return fail(400, { message: form.errors.kind?.[0] ?? NOT_VALID });
		return unsubscribe(event, form.data.kind);
	},

	/** Every kind off. */
	all: (event) => unsubscribe(event, null)
} satisfies Actions;
