/**
 * A bounded load run against the built app on loopback: many simulated clients of both
 * accounts, signed in at once, using the portal concurrently. Fixed size (no duration
 * games): every response is checked to carry only the caller's account's data, and none may
 * be a server error. Figures are printed; speed is never asserted (issue 8 benchmarks it).
 */
import { expect, it } from 'vitest';
import { recordAttempt } from './report';

const site = process.env.TEST_SITE_URL!;
const PASSWORD = 'portal-demo-2026';
const ACME = '10000000-0000-4000-8000-00000000ac01';
const GLOBEX = '20000000-0000-4000-8000-00000000910b';

const acmeMarks = [
	'Acme Corporation',
	'Statement of work.pdf',
	'Kick-off notes.txt',
	'Brand logo.png',
	'Homepage design.pdf',
	'Homepage feedback',
	'Website redesign',
	'olivia@acme.example.com',
	'mark@acme.example.com'
];
const globexMarks = [
	'Globex Household',
	'Home survey.pdf',
	'Welcome letter.txt',
	'Survey visit',
	'Kitchen renovation',
	'grace@globex.example.com',
	'gus@globex.example.com'
];

interface Persona {
	email: string;
	own: string;
	foreign: string;
	/** Strings from the other account that must never reach this person. */
	forbidden: string[];
	ownDocument: string | null;
	foreignDocument: string;
}

const acmePersona = (email: string, ownDocument: string | null): Persona => ({
	email,
	own: ACME,
	foreign: GLOBEX,
	forbidden: globexMarks,
	ownDocument,
	foreignDocument: 'd0000000-0000-4000-8000-000000000004'
});
const globexPersona = (email: string): Persona => ({
	email,
	own: GLOBEX,
	foreign: ACME,
	forbidden: acmeMarks,
	ownDocument: 'd0000000-0000-4000-8000-000000000005',
	foreignDocument: 'd0000000-0000-4000-8000-000000000001'
});

const personas: Persona[] = [
	acmePersona('olivia@acme.example.com', 'd0000000-0000-4000-8000-000000000001'),
	acmePersona('mark@acme.example.com', 'd0000000-0000-4000-8000-000000000002'),
	acmePersona('vera@acme.example.com', 'd0000000-0000-4000-8000-000000000003'),
	acmePersona('bill@acme.example.com', null), // billing: no documents
	globexPersona('grace@globex.example.com'),
	globexPersona('gus@globex.example.com')
];

const CLIENTS = 24; // four sessions per persona, all at once
const ROUNDS = 5;
const STEPS = 6; // × 5 rounds × 6 requests each = 720 requests

/** Signs in through the app's own form; returns the session cookies. */
async function signIn(email: string): Promise<string> {
	const response = await fetch(`${site}/sign-in`, {
		method: 'POST',
		redirect: 'manual',
		// accept: text/html, as a browser's form post; otherwise Kit answers an action as JSON.
		headers: {
			origin: site,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ email, password: PASSWORD })
	});
	expect(response.status, `sign-in as ${email}`).toBe(303);
	return response.headers
		.getSetCookie()
		.map((cookie) => cookie.split(';')[0])
		.join('; ');
}

interface Step {
	path: string;
	/** The status a correct portal answers with. */
	expected: number;
}

function steps(persona: Persona): Step[] {
	return [
		// The front door sends each client on to their own account's overview.
		{ path: '/', expected: 303 },
		{ path: `/accounts/${persona.own}`, expected: 200 },
		{ path: `/accounts/${persona.own}/members`, expected: 200 },
		{ path: `/accounts/${persona.foreign}/members`, expected: 404 },
		{
			path: `/documents/${persona.ownDocument ?? persona.foreignDocument}/download`,
			expected: persona.ownDocument ? 303 : 404
		},
		{ path: `/documents/${persona.foreignDocument}/download`, expected: 404 }
	];
}

it(`serves ${CLIENTS} concurrent clients × ${ROUNDS * STEPS} requests, each only its own account's data`, async () => {
	const clients = await Promise.all(
		Array.from({ length: CLIENTS }, async (_, i) => {
			const persona = personas[i % personas.length]!;
			return { persona, cookie: await signIn(persona.email) };
		})
	);

	const latencies: number[] = [];
	const problems: string[] = [];
	const started = performance.now();
	await Promise.all(
		clients.map(async ({ persona, cookie }) => {
			for (let round = 0; round < ROUNDS; round++) {
				for (const step of steps(persona)) {
					const t0 = performance.now();
					const response = await fetch(`${site}${step.path}`, {
						redirect: 'manual',
						headers: { cookie }
					});
					const body = await response.text();
					latencies.push(performance.now() - t0);
					const leakedMark = persona.forbidden.find((mark) => body.includes(mark));
					const location = response.headers.get('location') ?? '';
					// A download redirect must be a signed URL for this person's own account, and
					// the front door must send them to their own account.
					const foreignRedirect =
						(location !== '' && location.includes(persona.foreign)) ||
						(step.path === '/' && location !== `/accounts/${persona.own}`);
					const leaked = Boolean(leakedMark) || foreignRedirect;
					recordAttempt('load: portal requests', `${persona.email} ${step.path}`, {
						leaked,
						status: response.status
					});
					if (leaked || response.status !== step.expected) {
						problems.push(
							`${persona.email} GET ${step.path}: ${response.status} (expected ${step.expected})` +
								(leakedMark ? `, contains "${leakedMark}"` : '') +
								(foreignRedirect ? ', redirects into the other account' : '')
						);
					}
				}
			}
		})
	);
	const seconds = (performance.now() - started) / 1000;
	latencies.sort((a, b) => a - b);
	const at = (q: number) =>
		latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
	console.log(
		`load: ${latencies.length} requests from ${CLIENTS} clients in ${seconds.toFixed(1)} s ` +
			`(${(latencies.length / seconds).toFixed(0)} req/s; median ${at(0.5).toFixed(0)} ms, ` +
			`p95 ${at(0.95).toFixed(0)} ms)`
	);

	expect(latencies).toHaveLength(CLIENTS * ROUNDS * STEPS);
	expect(problems).toEqual([]);
}, 180_000);
