import { PUBLIC_SUPABASE_PUBLISHABLE_KEY, PUBLIC_SUPABASE_URL } from '$app/env/public';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '../database.types';

let client: Promise<SupabaseClient<Database>> | null = null;

/**
 * The browser's one Supabase client, loaded on first use: pages read their data in server
 * loads, so supabase-js (about 60 kB gzip) is fetched only after a page is interactive, for
 * what runs in the browser (uploads, live updates, noticing a sign-out in another tab), and
 * never holds up a first paint. It keeps the session cookies fresh, as @supabase/ssr's
 * browser client does.
 */
export function browserClient(): Promise<SupabaseClient<Database>> {
	client ??= import('@supabase/ssr').then(({ createBrowserClient }) =>
		createBrowserClient<Database>(PUBLIC_SUPABASE_URL, PUBLIC_SUPABASE_PUBLISHABLE_KEY)
	);
	return client;
}
