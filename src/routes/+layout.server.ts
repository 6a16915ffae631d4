import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, cookies, depends }) => {
	// Re-run when the browser client reports that the signed-in user changed.
	depends('supabase:auth');
	const { user } = await locals.safeGetSession();
	return {
		user: user ? { id: user.id, email: user.email ?? '' } : null,
		// For the server-side client in +layout.ts, as in Supabase's SvelteKit guide. Only
		// Supabase's own cookies, which the browser client reads from document.cookie anyway.
		cookies: cookies.getAll().filter(({ name }) => name.startsWith('sb-'))
	};
};
