import { createClient } from '@supabase/supabase-js';
import type { Database } from '../database.types';

/**
 * Whether this server can reach each part of Supabase it depends on. Asked anonymously,
 * with the publishable key; the answer says only ok or failing per part, never why (the
 * reason goes to the server log).
 */

export type Check = 'auth' | 'data' | 'storage';
export interface Health {
	status: 'ok' | 'unavailable';
	checks: Record<Check, 'ok' | 'failing'>;
}

const TIMEOUT_MS = 3000;

export async function checkHealth(supabaseUrl: string, publishableKey: string): Promise<Health> {
	const timedFetch: typeof fetch = (input, init) =>
		fetch(input, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
	const supabase = createClient<Database>(supabaseUrl, publishableKey, {
		auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
		global: { fetch: timedFetch }
	});

	const probes: Record<Check, () => Promise<unknown>> = {
		auth: async () => {
			const response = await timedFetch(new URL('/auth/v1/health', supabaseUrl), {
				headers: { apikey: publishableKey }
			});
			if (!response.ok) throw new Error(`HTTP ${response.status}`);
		},
		data: async () => {
			const { data, error } = await supabase.rpc('health_check');
			if (error || data !== true) throw new Error(error?.message ?? 'unexpected answer');
		},
		storage: async () => {
			const { error } = await supabase.storage.from('documents').list('', { limit: 1 });
			if (error) throw new Error(error.message);
		}
	};

	const entries = await Promise.all(
		Object.entries(probes).map(async ([name, probe]) => {
			try {
				await probe();
				return [name, 'ok'] as const;
			} catch (error) {
				console.error(`[health] ${name} is failing:`, (error as Error).message);
				return [name, 'failing'] as const;
			}
		})
	);
	const checks = Object.fromEntries(entries) as Health['checks'];
	const healthy = Object.values(checks).every((state) => state === 'ok');
	return { status: healthy ? 'ok' : 'unavailable', checks };
}
