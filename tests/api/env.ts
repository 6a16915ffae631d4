/**
 * Shared setup for the API tests: they talk to the local stack `npm test` starts,
 * through supabase-js, exactly as the app does.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '../../src/lib/database.types';

function required(name: string): string {
	const value = process.env[name];
	if (!value) throw new Error(`${name} is not set: run the API tests through \`npm test\`.`);
	return value;
}

export const supabaseUrl = required('PUBLIC_SUPABASE_URL');
export const publishableKey = required('PUBLIC_SUPABASE_PUBLISHABLE_KEY');
export const siteUrl = required('TEST_SITE_URL');

export const DEMO_PASSWORD = 'portal-demo-2026';
export const ACME = '10000000-0000-4000-8000-00000000ac01';
export const GLOBEX = '20000000-0000-4000-8000-00000000910b';

export type Client = SupabaseClient<Database>;

/** A client with no session: the `anon` role. */
export function anonClient(): Client {
	return createClient<Database>(supabaseUrl, publishableKey, {
		auth: { persistSession: false, autoRefreshToken: false }
	});
}

/** A client signed in with a password. */
export async function signedIn(email: string, password = DEMO_PASSWORD): Promise<Client> {
	const client = anonClient();
	const { error } = await client.auth.signInWithPassword({ email, password });
	if (error) throw new Error(`sign-in as ${email} failed: ${error.message}`);
	return client;
}

export function uniqueEmail(label: string): string {
	return `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}
