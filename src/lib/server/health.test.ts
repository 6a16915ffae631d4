import { describe, expect, it } from 'vitest';
import { checkHealth } from './health';

// The healthy answer is proved against the local stack (tests/api/health.test.ts, and the
// browser tests' GET /health); here, a Supabase that cannot be reached at all.
describe('checkHealth', () => {
	it('reports every part failing, and nothing more, when nothing answers', async () => {
		// Port 9 (discard) is closed on loopback: every connection is refused at once.
		const health = await checkHealth('http://127.0.0.1:9', 'sb_publishable_test');
		expect(health).toEqual({
			status: 'unavailable',
			checks: { auth: 'failing', data: 'failing', storage: 'failing' }
		});
	});
});
