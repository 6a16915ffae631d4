/**
 * Attacks on notifications (migration 20261204010000), as every actor, through supabase-js:
 * reading someone else's bell through filters, `or=` tricks, embeddings, counts and HEAD
 * requests; marking, rewriting, adding or deleting someone else's notifications; reading or
 * setting someone else's email preferences; calling the worker's functions (secret key only);
 * reaching the outbox tables; and unsubscribing with guessed or malformed tokens. Each attempt
 * asserts the exact refusal and is recorded for the summary table.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACME } from '../api/env';
import { as, userIds, type Actor } from './api-support';
import { recordAttempt } from './report';

const READ = 'notifications: reading another person’s';
const WRITE = 'notifications: writing another person’s';
const WORKER = 'notifications: the worker’s functions';
const UNSUBSCRIBE = 'notifications: unsubscribe tokens';

const ACTORS: Actor[] = [
	'anon',
	'stranger',
	'grace',
	'olivia',
	'mark',
	'bill',
	'vera',
	'sam',
	'tess',
	'ada'
];
const ACME_THREAD = '71000000-0000-4000-8000-000000000001';

interface Answer {
	data: unknown;
	error: { code?: string; message: string } | null;
	status: number;
	count?: number | null;
}

const selfOf = (who: Actor): string | null =>
	who in userIds ? userIds[who as keyof typeof userIds] : null;

/** Rows that are not the caller's own: any is a leak. */
function foreignRows(who: Actor, data: unknown): number {
	if (!Array.isArray(data)) return 0;
	const self = selfOf(who);
	return data.filter((row: { user_id?: string }) => row.user_id !== self || self === null).length;
}

beforeAll(async () => {
	// Something for Olivia's and Mark's bells: Sam writes in Acme's thread.
	const sam = await as('sam');
	const { error } = await sam
		.from('messages')
		.insert({ thread_id: ACME_THREAD, account_id: ACME, body: `Attack fixture ${randomUUID()}` });
	expect(error).toBeNull();
});

describe('reading another person’s notifications', () => {
	const probes: [string, (c: Awaited<ReturnType<typeof as>>) => PromiseLike<Answer>][] = [
		['all rows', (c) => c.from('notifications').select('*')],
		['user_id = Olivia', (c) => c.from('notifications').select('*').eq('user_id', userIds.olivia)],
		[
			'or=(user_id.eq.Olivia,account_id.eq.Acme)',
			(c) =>
				c.from('notifications').select('*').or(`user_id.eq.${userIds.olivia},account_id.eq.${ACME}`)
		],
		[
			'or= with a tautology (id.gte.0)',
			(c) => c.from('notifications').select('*').or('id.gte.0,user_id.is.null')
		],
		['embedding the account', (c) => c.from('notifications').select('*, client_accounts(*)')],
		[
			'filtering on the details (account name)',
			(c) => c.from('notifications').select('*').like('details->>account_name', '%Acme%')
		]
	];

	it('every actor sees their own notifications only, whatever the filter', async () => {
		for (const who of ACTORS) {
			const client = await as(who);
			for (const [name, probe] of probes) {
				const answer = await probe(client);
				const leaked = foreignRows(who, answer.data) > 0;
				recordAttempt(READ, `${who}: ${name}`, { leaked, status: answer.status });
				expect.soft(leaked, `${who}: ${name}`).toBe(false);
				if (who === 'anon') expect.soft(answer.error?.code, `${who}: ${name}`).toBe('42501');
			}
		}
	});

	it('counts and HEAD requests count only the caller’s own', async () => {
		const olivia = await as('olivia');
		const own = await olivia.from('notifications').select('*', { count: 'exact', head: true });
		expect(own.count).toBeGreaterThan(0);
		for (const who of ['mark', 'grace', 'sam', 'tess', 'ada', 'stranger'] as Actor[]) {
			const answer = (await (
				await as(who)
			)
				.from('notifications')
				.select('*', { count: 'exact', head: true })
				.eq('user_id', userIds.olivia)) as Answer;
			recordAttempt(READ, `${who}: HEAD count of Olivia's`, {
				leaked: (answer.count ?? 0) > 0,
				status: answer.status
			});
			expect.soft(answer.count, who).toBe(0);
		}
	});

	it('nobody reads another person’s email preferences', async () => {
		const olivia = await as('olivia');
		await olivia.from('notification_preferences').upsert({ kind: 'document', frequency: 'weekly' });
		try {
			for (const who of ACTORS.filter((w) => w !== 'olivia')) {
				const answer = (await (
					await as(who)
				)
					.from('notification_preferences')
					.select('*')
					.eq('user_id', userIds.olivia)) as Answer;
				const leaked = Array.isArray(answer.data) && answer.data.length > 0;
				recordAttempt(READ, `${who}: Olivia's preferences`, { leaked, status: answer.status });
				expect.soft(leaked, who).toBe(false);
			}
		} finally {
			await olivia.from('notification_preferences').delete().eq('kind', 'document');
		}
	});
});

describe('writing another person’s notifications and preferences', () => {
	it('marking, rewriting, adding or deleting Olivia’s notifications: refused or nothing found', async () => {
		const olivia = await as('olivia');
		const { data: mine } = await olivia
			.from('notifications')
			.select('id, read_at, details')
			.order('id', { ascending: false })
			.limit(1)
			.single();
		const target = mine as { id: number; read_at: string | null; details: unknown };

		for (const who of ['mark', 'grace', 'sam', 'tess', 'ada', 'stranger'] as Actor[]) {
			const client = await as(who);
			const mark = (await client
				.from('notifications')
				.update({ read_at: new Date().toISOString() })
				.eq('id', target.id)
				.select()) as Answer;
			recordAttempt(WRITE, `${who}: mark Olivia's read`, {
				leaked: Array.isArray(mark.data) && mark.data.length > 0,
				status: mark.status
			});
			expect.soft(mark.data, who).toEqual([]);

			const rewrite = (await client
				.from('notifications')
				.update({ details: { account_name: 'Evil' }, user_id: selfOf(who) })
				.eq('id', target.id)) as Answer;
			recordAttempt(WRITE, `${who}: rewrite or take Olivia's`, {
				leaked: rewrite.error === null,
				status: rewrite.status
			});
			expect.soft(rewrite.error?.code, who).toBe('42501');

			const add = (await client.from('notifications').insert({
				event_id: 1,
				user_id: userIds.olivia,
				account_id: ACME,
				kind: 'message',
				email_frequency: 'immediate',
				details: { actor_name: 'Your bank' }
			})) as Answer;
			recordAttempt(WRITE, `${who}: plant one in Olivia's bell`, {
				leaked: add.error === null,
				status: add.status
			});
			expect.soft(add.error?.code, who).toBe('42501');

			const remove = (await client.from('notifications').delete().eq('id', target.id)) as Answer;
			recordAttempt(WRITE, `${who}: delete Olivia's`, {
				leaked: remove.error === null,
				status: remove.status
			});
			expect.soft(remove.error?.code, who).toBe('42501');

			const prefs = (await client
				.from('notification_preferences')
				.insert({ user_id: userIds.olivia, kind: 'message', frequency: 'off' })) as Answer;
			recordAttempt(WRITE, `${who}: turn Olivia's messages off`, {
				leaked: prefs.error === null,
				status: prefs.status
			});
			expect.soft(prefs.error?.code, who).toBe('42501');
		}

		const { data: after } = await olivia
			.from('notifications')
			.select('id, read_at, details')
			.eq('id', target.id)
			.single();
		expect(after).toEqual(target);
		const { data: prefs } = await olivia.from('notification_preferences').select('kind');
		expect(prefs).toEqual([]);
	});

	it('mark_notifications_read marks the caller’s own only', async () => {
		const olivia = await as('olivia');
		const before = await olivia
			.from('notifications')
			.select('*', { count: 'exact', head: true })
			.is('read_at', null);
		const mark = await as('mark');
		const { error } = await mark.rpc('mark_notifications_read', {});
		expect(error).toBeNull();
		const after = await olivia
			.from('notifications')
			.select('*', { count: 'exact', head: true })
			.is('read_at', null);
		recordAttempt(WRITE, "mark: mark_notifications_read reaching Olivia's", {
			leaked: after.count !== before.count,
			status: 200
		});
		expect(after.count).toBe(before.count);
	});
});

describe('the worker’s functions and tables', () => {
	const calls: [string, string, Record<string, unknown>][] = [
		[
			'worker_claim_emails',
			'claim deliveries',
			{ p_worker: 'evil', p_limit: 10, p_lease_seconds: 60 }
		],
		['worker_plan_digests', 'plan digests', {}],
		['worker_complete_email', 'mark one sent', { p_delivery_id: randomUUID(), p_worker: 'evil' }],
		[
			'worker_fail_email',
			'fail one',
			{ p_delivery_id: randomUUID(), p_worker: 'evil', p_error: 'x' }
		],
		['worker_queue_stats', 'read the queue', {}],
		['worker_release_email', 'release one', { p_delivery_id: randomUUID(), p_worker: 'evil' }]
	];

	it('no API user may call them: only the secret key (service_role) may', async () => {
		for (const who of ACTORS) {
			const client = await as(who);
			for (const [fn, what, args] of calls) {
				const answer = (await client.rpc(fn, args)) as Answer;
				recordAttempt(WORKER, `${who}: ${what}`, {
					leaked: answer.error === null,
					status: answer.status
				});
				expect.soft(answer.error?.code, `${who}: ${fn}`).toBe('42501');
				expect.soft(answer.status, `${who}: ${fn}`).toBe(who === 'anon' ? 401 : 403);
			}
		}
	});

	it('the outbox, the deliveries and the tokens are not in the API at all', async () => {
		for (const who of ['anon', 'olivia', 'ada'] as Actor[]) {
			const client = await as(who);
			for (const table of [
				'notification_events',
				'email_deliveries',
				'digest_queue',
				'unsubscribe_tokens'
			]) {
				const answer = (await client.from(table).select('*')) as Answer;
				recordAttempt(WORKER, `${who}: read ${table}`, {
					leaked: answer.error === null,
					status: answer.status
				});
				expect.soft(answer.error, `${who}: ${table}`).not.toBeNull();
				expect.soft(answer.data, `${who}: ${table}`).toBeNull();
			}
		}
	});
});

describe('unsubscribe tokens', () => {
	it('a guessed, malformed or missing token unsubscribes nobody and reveals nobody', async () => {
		const olivia = await as('olivia');
		const before = await olivia.from('notification_preferences').select('kind, frequency');
		const anon = await as('anon');
		const guesses = [randomUUID(), '00000000-0000-0000-0000-000000000000', randomUUID()];
		for (const token of guesses) {
			const preview = (await anon.rpc('unsubscribe_preview', { p_token: token })) as Answer;
			const leaked = Array.isArray(preview.data) && preview.data.length > 0;
			recordAttempt(UNSUBSCRIBE, `anon: preview with a guessed token`, {
				leaked,
				status: preview.status
			});
			expect.soft(preview.data).toEqual([]);
			const off = (await anon.rpc('unsubscribe', { p_token: token, p_kind: null })) as Answer;
			recordAttempt(UNSUBSCRIBE, `anon: unsubscribe with a guessed token`, {
				leaked: off.data !== false,
				status: off.status
			});
			expect.soft(off.data).toBe(false);
		}
		for (const token of ['', 'not-a-uuid', "' or 1=1 --", userIds.olivia.slice(0, 30)]) {
			const off = (await anon.rpc('unsubscribe', { p_token: token, p_kind: 'message' })) as Answer;
			recordAttempt(UNSUBSCRIBE, `anon: unsubscribe with a malformed token`, {
				leaked: off.error === null,
				status: off.status
			});
			expect.soft(off.error?.code).toBe('22P02');
			expect.soft(off.status).toBe(400);
		}
		const after = await olivia.from('notification_preferences').select('kind, frequency');
		expect(after.data).toEqual(before.data);
	});

	it('a user id is not a token', async () => {
		const anon = await as('anon');
		for (const id of Object.values(userIds)) {
			const off = (await anon.rpc('unsubscribe', { p_token: id, p_kind: null })) as Answer;
			recordAttempt(UNSUBSCRIBE, 'anon: unsubscribe with a user id as the token', {
				leaked: off.data !== false,
				status: off.status
			});
			expect.soft(off.data).toBe(false);
		}
	});
});
