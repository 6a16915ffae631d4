import { getRequestEvent } from '$app/server';
import { brandingVersion, DEFAULT_BRANDING } from '../../branding/branding';
import { loadBranding } from '../../branding/branding.server';
import { brandMail, fromAddress, type BrandedMail, type MailBranding } from '../../mail/brand-mail';

/**
 * The branding of mails sent from the app: the layout itself is in ../../mail/brand-mail.ts,
 * shared with the notification worker (plain Node); this adds the request's branding.
 */

export { brandMail, fromAddress, type BrandedMail, type MailBranding };

/**
 * The branding of the request that is sending the mail: read with its own client (anyone
 * may read it), and the logo's URL on its origin. Outside a request, or when the branding
 * cannot be read, null: the mail goes out as the templates wrote it.
 */
export async function currentMailBranding(): Promise<MailBranding | null> {
	let event;
	try {
		event = getRequestEvent();
	} catch {
		return null;
	}
	const branding = await loadBranding(event.locals.supabase);
	if (branding === DEFAULT_BRANDING) return null;
	return {
		name: branding.name,
		color: branding.color,
		updatedAt: branding.updatedAt,
		logoUrl: branding.logoPath
			? new URL(`/brand/logo?v=${brandingVersion(branding)}`, event.url.origin).href
			: null
	};
}
