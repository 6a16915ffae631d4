import type { Session, SupabaseClient, User } from '@supabase/supabase-js';
import type { Database } from './lib/database.types';

// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Locals {
			/** Acts as the signed-in user (or anon), so RLS applies to every query. */
			supabase: SupabaseClient<Database>;
			/** Session and user, validated with the Auth server; both null when signed out. */
			safeGetSession: () => Promise<{ session: Session | null; user: User | null }>;
			/** The validated user, set by the auth guard in hooks.server.ts. */
			user: User | null;
		}
		// interface Error {}
		/** Set by the account layout; the site header reads them for the account switcher. */
		interface PageData {
			account?: { id: string; name: string };
			accounts?: { id: string; name: string }[];
		}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
