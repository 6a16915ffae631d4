import { expect, it } from 'vitest';
import { checkHealth } from '../../src/lib/server/health';
import { publishableKey, supabaseUrl } from './env';

it('reports auth, data and storage reachable on the local stack', async () => {
	expect(await checkHealth(supabaseUrl, publishableKey)).toEqual({
		status: 'ok',
		checks: { auth: 'ok', data: 'ok', storage: 'ok' }
	});
});
