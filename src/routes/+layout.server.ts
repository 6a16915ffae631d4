import { loadBranding } from '../lib/branding/branding.server';
import { DEFAULT_BRANDING } from '../lib/branding/branding';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, cookies, depends }) => {
	// Re-run when the browser client reports that the signed-in user changed.
	depends('supabase:auth');
	const [{ user }, branding] = await Promise.all([
		locals.safeGetSession(),
		// Public and small: the header on every page (sign-in included) shows it.
		loadBranding(locals.supabase)
	]);
	return {
		user: user ? { id: user.id, email: user.email ?? '' } : null,
		branding: {
			name: branding.name,
			hasLogo: branding.logoPath !== null,
			customColor: branding.color !== DEFAULT_BRANDING.color,
			updatedAt: branding.updatedAt
		},
		// For the server-side client in +layout.ts, as in Supabase's SvelteKit guide. Only
		// Supabase's own cookies, which the browser client reads from document.cookie anyway.
		cookies: cookies.getAll().filter(({ name }) => name.startsWith('sb-'))
	};
};
