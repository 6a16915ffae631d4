import { browser } from '$app/env';
import { PUBLIC_SUPABASE_PUBLISHABLE_KEY, PUBLIC_SUPABASE_URL } from '$app/env/public';
import { createBrowserClient, createServerClient } from '@supabase/ssr';
import type { Database } from '../lib/database.types';
import type { LayoutLoad } from './$types';

/**
 * A Supabase client for universal loads and components: in the browser one shared client
 * that keeps the session cookies fresh and reports sign-in/out (see +layout.svelte); during
 * SSR one built from this request's cookies. Pages read their data in server loads.
 */
export const load: LayoutLoad = ({ data, depends, fetch }) => {
	depends('supabase:auth');

	const supabase = browser
		? createBrowserClient<Database>(PUBLIC_SUPABASE_URL, PUBLIC_SUPABASE_PUBLISHABLE_KEY, {
				global: { fetch }
			})
		: createServerClient<Database>(PUBLIC_SUPABASE_URL, PUBLIC_SUPABASE_PUBLISHABLE_KEY, {
				global: { fetch },
				cookies: { getAll: () => data.cookies }
			});

	return { user: data.user, notifications: data.notifications, branding: data.branding, supabase };
};
