import { PUBLIC_SUPABASE_PUBLISHABLE_KEY, PUBLIC_SUPABASE_URL } from '$app/env/public';
import { json } from '@sveltejs/kit';
import { checkHealth } from '../../lib/server/health';
import type { RequestHandler } from './$types';

/** For load balancers and uptime checks: 200 when Supabase's auth, data and storage answer. */
export const GET: RequestHandler = async () => {
	const health = await checkHealth(PUBLIC_SUPABASE_URL, PUBLIC_SUPABASE_PUBLISHABLE_KEY);
	return json(health, {
		status: health.status === 'ok' ? 200 : 503,
		headers: { 'cache-control': 'no-store' }
	});
};
