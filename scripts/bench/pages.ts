/**
 * Benchmark 2, pages: time to first byte of the dashboard, the documents list and a message
 * thread on the production build under 20 concurrent signed-in users (a fixed number of
 * requests, loopback only), and the Supabase requests each page makes on the server, counted
 * by the proxy in front of the stack's API (scripts/bench/app.ts).
 *
 * A page's requests form "rounds": a request is in round n+1 when it started after a request
 * of round n ended, i.e. it waited for it. The session check (GET /auth/v1/user) must come
 * first, so the budget is one round of data after it: 2 rounds and at most 3 requests.
 */
import http from 'node:http';
import { ACME, ACME_THREAD, benchApp, type ProxyRequest } from './app.ts';
import { ms, percentiles, type BenchTable } from './table.ts';

const CONCURRENCY = 20;
const MAX_REQUESTS = 3;
const MAX_ROUNDS = 2;

/** Acme's demo users (supabase/seed.sql): the concurrent users take turns with these sessions. */
const USERS = [
	'olivia@acme.example.com',
	'mark@acme.example.com',
	'bill@acme.example.com',
	'vera@acme.example.com',
	'nina@consultant.example.com'
];

const PAGES = [
	{ name: 'Dashboard', path: `/accounts/${ACME}` },
	{ name: 'Documents', path: `/accounts/${ACME}/documents` },
	{ name: 'Message thread', path: `/accounts/${ACME}/messages/${ACME_THREAD}` }
];

/** One GET; resolves with the time to the response's first byte (headers) and the status. */
function timeToFirstByte(
	agent: http.Agent,
	url: string,
	cookie: string
): Promise<{ ttfb: number; status: number }> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const request = http.get(url, { agent, headers: { cookie, accept: 'text/html' } }, (res) => {
			const ttfb = performance.now() - started;
			res.resume();
			res.on('end', () => resolve({ ttfb, status: res.statusCode ?? 0 }));
			res.on('error', reject);
		});
		request.on('error', reject);
	});
}

/** Round of each request: 1 + the highest round among those that ended before it started. */
export function rounds(requests: ProxyRequest[]): number[] {
	const sorted = [...requests].sort((a, b) => a.start - b.start);
	const result: number[] = [];
	sorted.forEach((request, i) => {
		let round = 1;
		for (let j = 0; j < i; j++) {
			if (sorted[j]!.end <= request.start) round = Math.max(round, result[j]! + 1);
		}
		result.push(round);
	});
	return result;
}

function describe(requests: ProxyRequest[]): string {
	const sorted = [...requests].sort((a, b) => a.start - b.start);
	const byRound = rounds(sorted);
	return sorted
		.map((r, i) => `${byRound[i]}:${r.method} ${r.path.replace(/^\/(rest|auth|storage)\/v1/, '')}`)
		.join(', ');
}

export async function pages(opts: { quick: boolean }): Promise<BenchTable> {
	const app = await benchApp();
	const perPage = opts.quick ? 100 : 600;

	// Sign each demo user in once; keep those who may open all three pages.
	const sessions: string[] = [];
	const left: string[] = [];
	for (const email of USERS) {
		const cookie = await app.signIn(email);
		const statuses = await Promise.all(
			PAGES.map((page) =>
				fetch(app.origin + page.path, { headers: { cookie }, redirect: 'manual' }).then(
					(r) => r.status
				)
			)
		);
		if (statuses.every((status) => status === 200)) sessions.push(cookie);
		else left.push(`${email} (${statuses.join('/')})`);
	}
	if (sessions.length === 0) throw new Error('no demo user could open all three pages');

	const rows: string[][] = [];
	const notes: string[] = [];
	let withinBudget = true;

	for (const page of PAGES) {
		// The Supabase requests of one page load, and its time to first byte, alone: ten
		// loads one after another (the requests of the last one are shown).
		const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
		const url = app.origin + page.path;
		let requests: ProxyRequest[] = [];
		const alone: number[] = [];
		for (let i = 0; i < 10; i++) {
			const recording = app.record();
			alone.push((await timeToFirstByte(agent, url, sessions[0]!)).ttfb);
			// Anything the page fires without waiting for it lands within a moment.
			await new Promise((resolve) => setTimeout(resolve, 100));
			requests = recording.stop();
		}
		const depth = Math.max(0, ...rounds(requests));

		// Time to first byte: 20 users at once, a fixed number of requests, after a warm-up.
		const run = async (count: number) => {
			const samples: number[] = [];
			let failures = 0;
			let next = 0;
			const worker = async (user: number) => {
				while (next < count) {
					next++;
					const { ttfb, status } = await timeToFirstByte(
						agent,
						url,
						sessions[user % sessions.length]!
					);
					if (status === 200) samples.push(ttfb);
					else failures++;
				}
			};
			const started = performance.now();
			await Promise.all(Array.from({ length: CONCURRENCY }, (_, user) => worker(user)));
			return { samples, failures, seconds: (performance.now() - started) / 1000 };
		};
		await run(CONCURRENCY * 2);
		const underLoad = app.record();
		const { samples, failures, seconds } = await run(perPage);
		const loadRequests = underLoad.stop();
		agent.destroy();
		const supabaseTimes = percentiles(loadRequests.map((r) => r.end - r.start));
		const { median, p95 } = percentiles(samples);

		const overBudget = requests.length > MAX_REQUESTS || depth > MAX_ROUNDS;
		if (overBudget || failures > 0) withinBudget = false;
		rows.push([
			page.name,
			ms(percentiles(alone).median),
			ms(median),
			ms(p95),
			(samples.length / seconds).toFixed(0),
			`${ms(supabaseTimes.median)} / ${ms(supabaseTimes.p95)}`,
			String(requests.length),
			String(depth),
			overBudget ? 'missed' : 'met'
		]);
		notes.push(`${page.name} (${page.path}): ${describe(requests)}`);
		if (failures > 0)
			notes.push(`${page.name}: ${failures} of ${perPage} requests did not answer 200`);
	}

	if (left.length > 0) {
		notes.push(`Not used (could not open all three pages): ${left.join(', ')}`);
	}
	notes.unshift(
		`TTFB alone: median of 10 loads one after another. Under load: ${perPage} GETs per page by ${CONCURRENCY} concurrent users (${sessions.length} demo sessions, keep-alive), after ${CONCURRENCY * 2} warm-up GETs; Supabase request times are what the proxy saw during that run; \`node build\` and the stack (embedded PGlite) on one machine, loopback only.`,
		`Budget: at most ${MAX_REQUESTS} Supabase requests per page and no waterfall (rounds ≤ ${MAX_ROUNDS}: the session check, then the data at once). Requests below as round:method path, in order of start.`
	);
	return {
		title: '2. Pages (production build, 20 concurrent users)',
		columns: [
			'Page',
			'TTFB alone ms',
			'TTFB median ms',
			'TTFB p95 ms',
			'Pages/s',
			'Supabase request ms (median / p95, under load)',
			'Supabase requests',
			'Rounds',
			'Budget'
		],
		rows,
		notes,
		withinBudget
	};
}
