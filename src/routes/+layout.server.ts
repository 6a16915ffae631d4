import type { RequestEvent } from '@sveltejs/kit';
import { loadBranding } from '../lib/branding/branding.server';
import { brandingFrom, DEFAULT_BRANDING, type Branding } from '../lib/branding/branding';
import { pageContext } from '../lib/server/page-context';
import type { LayoutServerLoad } from './$types';

/**
 * The branding and, for someone signed in, the bell's unread count (null when it could not
 * be read: the header then shows the link without a number). Signed in, both come with the
 * page context, the one call the layouts of a page share; signed out, the branding alone
 * (anyone may read it).
 */
async function headerData(
	event: RequestEvent,
	signedIn: boolean
): Promise<{ branding: Branding; unread: number | null }> {
	if (!signedIn) return { branding: await loadBranding(event.locals.supabase), unread: 0 };
	try {
		const context = await pageContext(event);
		return {
			branding: brandingFrom({ ...context, updated_at: context.branding_updated_at }),
			unread: context.unread_notifications
		};
	} catch {
		// Logged by pageContext. A missing count or colour must never break a page; the account
		// layout, which cannot do without the context, answers 503 itself.
		return { branding: DEFAULT_BRANDING, unread: null };
	}
}

export const load: LayoutServerLoad = async (event) => {
	// Re-run when the browser client reports that the signed-in user changed.
	event.depends('supabase:auth');
	// The bell's count: re-run after notifications are read. Form actions (open, mark all)
	// re-run every load anyway; anything else that reads them can invalidate this.
	event.depends('app:notifications');
	const { user } = await event.locals.safeGetSession();
	const { branding, unread } = await headerData(event, !!user);
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
