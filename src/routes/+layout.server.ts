import { loadBranding } from '../lib/branding/branding.server';
import { DEFAULT_BRANDING } from '../lib/branding/branding';
import type { LayoutServerLoad } from './$types';

type Db = App.Locals['supabase'];

/**
 * How many of the person's notifications are unread, for the bell: a count without rows
 * (HEAD). Null when it could not be read: the header then shows the link without a number,
 * and the page still renders.
 */
async function unreadCount(supabase: Db): Promise<number | null> {
	const { count, error } = await supabase
		.from('notifications')
		.select('id', { count: 'exact', head: true })
		.is('read_at', null);
	if (error) {
		console.error('[notifications] counting unread notifications failed', error);
		return null;
	}
	return count ?? 0;
}

export const load: LayoutServerLoad = async ({ locals, depends }) => {
	// Re-run when the browser client reports that the signed-in user changed.
	depends('supabase:auth');
	// The bell's count: re-run after notifications are read. Form actions (open, mark all)
	// re-run every load anyway; anything else that reads them can invalidate this.
	depends('app:notifications');
	const [{ user, unread }, branding] = await Promise.all([
		// The count needs a signed-in user (anon may not read notifications), and starts as
		// soon as one is known, beside the branding.
		locals
			.safeGetSession()
			.then(async ({ user }) => ({ user, unread: user ? await unreadCount(locals.supabase) : 0 })),
		// Public and small: the header on every page (sign-in included) shows it.
		loadBranding(locals.supabase)
	]);
	return {
		user: user ? { id: user.id, email: user.email ?? '' } : null,
		notifications: { unread },
		branding: {
			name: branding.name,
			hasLogo: branding.logoPath !== null,
			customColor: branding.color !== DEFAULT_BRANDING.color,
			updatedAt: branding.updatedAt
		}
	};
};
