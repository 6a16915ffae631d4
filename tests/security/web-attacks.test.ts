/**
 * Web attacks against the built app over plain HTTP: open redirects through every redirect
 * parameter, cross-site form posts, the session cookie's flags, the security headers and
 * the Content-Security-Policy, and secrets in the client bundles.
 * (The browser-level CSP check, no violations while using the app, is in tests/e2e.)
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACME, GLOBEX, supabaseUrl } from '../api/env';
import { recordAttempt } from './report';
import {
	EVIL,
	MARK_ID,
	SAM_ID,
	TESS_ID,
	db,
	get,
	nextMail,
	post,
	signInOverHttp,
	siteUrl,
	skipOldMail,
	snapshot,
	staysOnSite,
	type Answer,
	type Session
} from './web-support';

const REDIRECTS = 'web: open redirects';
const CROSS_SITE = 'web: cross-site posts';
const COOKIES = 'web: cookies';
const HEADERS = 'web: headers & csp';
const BUNDLE = 'web: bundle secrets';

/** Redirect targets an attacker would try; none may send anyone off the site. */
const HOSTILE_TARGETS = [
	'//evil.example',
	'/\\evil.example',
	'\\/\\/evil.example',
	'\\\\evil.example',
	'https://evil.example',
	'HTTPS://EVIL.EXAMPLE/',
	'hTtP://evil.example',
	'http:evil.example',
	'https:/evil.example',
	'%2F%2Fevil.example',
	'/%2F%2Fevil.example',
	'/%2f%2fevil.example',
	'/%5Cevil.example',
	'/%5cevil.example',
	'%252F%252Fevil.example',
	'/%252F%252Fevil.example',
	'/%25252F%25252Fevil.example',
	'/%2525252F%2525252Fevil.example',
	'javascript:alert(1)',
	'JaVaScRiPt:alert(1)',
	'/javascript:alert(1)',
	'data:text/html,<script>alert(1)</script>',
	'///evil.example',
	'////evil.example',
	'/..//evil.example',
	'/.//evil.example',
	'/./..//evil.example',
	'/%2e%2e//evil.example',
	' //evil.example',
	'\t//evil.example',
	'/\t/evil.example',
	'/\n/evil.example',
	'\r\n//evil.example',
	'/%09/evil.example',
	'/%0a/evil.example',
	'/%0d%0aLocation:%20https://evil.example',
	'/\u0000//evil.example',
	'／／evil.example',
	'/／evil.example',
	'/\u2215\u2215evil.example',
	'/\uff3cevil.example',
	'https://127.0.0.1@evil.example',
	`${siteUrl}@evil.example`,
	`${siteUrl}.evil.example`,
	'/@evil.example',
	'//%65vil.example',
	'/%E3%80%82evil.example',
	'?//evil.example',
	'#//evil.example',
	''
];

/** Lone surrogates cannot be percent-encoded (a browser sends U+FFFD for them). */
const wellFormed = (s: string) => s.replace(/\p{Cs}/gu, '\ufffd');

/** Generated redirect targets: hostile pieces glued together, and arbitrary text. */
const hostileTarget = fc.oneof(
	fc
		.tuple(
			fc.constantFrom(
				'',
				'/',
				'//',
				'///',
				'/\\',
				'\\',
				'%2F',
				'%252F',
				' ',
				'\t',
				'\n',
				'／',
				'/.'
			),
			fc.constantFrom('', '/', '\\', '%2F', '%5C', '%09', '/./', '/../', '@', ':'),
			fc.constantFrom('evil.example', 'EVIL.example', 'evil.example:443', 'evіl.example'),
			fc.constantFrom('', '/', '/path?x=1', '#frag', '%00', '\u202e')
		)
		.map(([a, b, host, tail]) => a + b + host + tail),
	fc.constantFrom(...HOSTILE_TARGETS).map((v) => encodeURIComponent(wellFormed(v))),
	fc.string({ unit: 'binary', maxLength: 40 }),
	fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => `/${s}`),
	fc.webUrl()
);

const FOR_CONFIRM = HOSTILE_TARGETS.filter((_, i) => i % 2 === 0);

/** Values of `<input name="redirectTo" value="…">` in a page, attribute-decoded. */
function hiddenRedirects(html: string): string[] {
	return [...html.matchAll(/<input[^>]*name="redirectTo"[^>]*value="([^"]*)"/g)].map((m) =>
		m[1]!
			.replaceAll('&quot;', '"')
			.replaceAll('&#39;', "'")
			.replaceAll('&lt;', '<')
			.replaceAll('&gt;', '>')
			.replaceAll('&amp;', '&')
	);
}

/** A redirect answer or a page: true if neither sends the user (or a form) off the site. */
function onSite(answer: Answer): boolean {
	if (!staysOnSite(answer.location)) return false;
	return hiddenRedirects(answer.body).every((value) => value.startsWith('/') && staysOnSite(value));
}

function checkRedirect(name: string, answer: Answer) {
	const ok = onSite(answer);
	recordAttempt(REDIRECTS, name, { leaked: !ok, status: answer.status });
	expect(ok, `${name}: ${answer.status} → ${answer.location}`).toBe(true);
	expect(answer.status, name).toBeLessThan(500);
}

describe('open redirects', () => {
	let mark: Session;
	beforeAll(async () => {
		mark = await signInOverHttp('mark@acme.example.com');
		await skipOldMail();
	});

	it('sign-in and sign-in/email pages, signed out: the form carries only a path on this site', async () => {
		for (const value of HOSTILE_TARGETS) {
			const q = `?redirectTo=${encodeURIComponent(wellFormed(value))}`;
			checkRedirect(`GET /sign-in${q}`, await get(`/sign-in${q}`));
			checkRedirect(`GET /sign-in/email${q}`, await get(`/sign-in/email${q}`));
		}
	});

	it('sign-in and sign-in/email pages, signed in: the redirect stays on the site', async () => {
		for (const value of HOSTILE_TARGETS) {
			const q = `?redirectTo=${encodeURIComponent(wellFormed(value))}`;
			checkRedirect(`GET /sign-in${q} (signed in)`, await get(`/sign-in${q}`, mark.cookie));
			checkRedirect(
				`GET /sign-in/email${q} (signed in)`,
				await get(`/sign-in/email${q}`, mark.cookie)
			);
		}
		// A raw, unencoded query as a hand-made link would carry it.
		for (const raw of ['//evil.example', '/\\evil.example', '%2F%2Fevil.example', '/%09/evil']) {
			checkRedirect(
				`GET /sign-in?redirectTo=${raw} (raw, signed in)`,
				await get(`/sign-in?redirectTo=${raw}`, mark.cookie)
			);
		}
		await fc.assert(
			fc.asyncProperty(hostileTarget, async (value) => {
				const q = `?redirectTo=${encodeURIComponent(wellFormed(value))}`;
				checkRedirect(
					`GET /sign-in${q} (signed in, generated)`,
					await get(`/sign-in${q}`, mark.cookie)
				);
			}),
			{ numRuns: 150 }
		);
	});

	it('a password sign-in POST with a hostile redirectTo lands on the site', async () => {
		const signIn = (redirectTo: string) =>
			post(
				'/sign-in',
				{ email: 'bill@acme.example.com', password: 'portal-demo-2026', redirectTo },
				{ as: 'html' }
			);
		for (const value of HOSTILE_TARGETS) {
			const answer = await signIn(value);
			expect(answer.status).toBe(303);
			checkRedirect(`POST /sign-in redirectTo=${JSON.stringify(value)}`, answer);
		}
		await fc.assert(
			fc.asyncProperty(hostileTarget, async (value) => {
				checkRedirect(
					`POST /sign-in redirectTo=${JSON.stringify(value)} (generated)`,
					await signIn(value)
				);
			}),
			{ numRuns: 40 }
		);
	});

	it('sign-in/email ?/send and ?/verify echo only a path on this site', async () => {
		const send = (redirectTo: string) =>
			post('/sign-in/email?/send', { email: 'nobody@unknown.example.com', redirectTo });
		const verify = (redirectTo: string) =>
			post('/sign-in/email?/verify', {
				email: 'nobody@unknown.example.com',
				token: '000000',
				redirectTo
			});
		for (const value of HOSTILE_TARGETS) {
			const [sent, verified] = await Promise.all([send(value), verify(value)]);
			checkRedirect(`POST ?/send redirectTo=${JSON.stringify(value)}`, echoed(sent));
			checkRedirect(
				`POST ?/verify (wrong code) redirectTo=${JSON.stringify(value)}`,
				echoed(verified)
			);
		}
		await fc.assert(
			fc.asyncProperty(hostileTarget, async (value) => {
				checkRedirect(
					`POST ?/send redirectTo=${JSON.stringify(value)} (generated)`,
					echoed(await send(value))
				);
			}),
			{ numRuns: 40 }
		);
	});

	it('emailed links and codes (auth/confirm next / redirect_to, ?/verify) land on the site', async () => {
		// One lane per user, each waiting for its own mails; every link and code is fresh.
		const lanes = ['mark@acme.example.com', 'bill@acme.example.com', 'grace@globex.example.com'];
		const jobs = FOR_CONFIRM.map((value, i) => ({ value, email: lanes[i % lanes.length]! }));
		await Promise.all(
			lanes.map(async (email) => {
				for (const { value } of jobs.filter((job) => job.email === email)) {
					await confirmFlows(email, value);
				}
			})
		);
	}, 120_000);
});

/** The redirectTo a ?/send or ?/verify answer hands back to its form, as a page would carry it. */
function echoed(answer: Answer): Answer {
	const match = /"redirectTo":(\d+)/.exec(answer.body);
	let value: string | undefined;
	if (match) {
		try {
			const data = JSON.parse((JSON.parse(answer.body) as { data: string }).data) as unknown[];
			value = data[Number(match[1])] as string;
		} catch {
			value = undefined;
		}
	}
	const escaped = (value ?? '/').replaceAll('&', '&amp;').replaceAll('"', '&quot;');
	return { ...answer, body: `<input name="redirectTo" value="${escaped}">` };
}

async function sendCode(email: string, redirectTo: string) {
	const answer = await post('/sign-in/email?/send', { email, redirectTo });
	expect(answer.status, `?/send for ${email}`).toBe(200);
	return nextMail(email);
}

/** Each way an emailed link or code carries a destination, with one hostile value. */
async function confirmFlows(email: string, value: string) {
	const label = JSON.stringify(value);
	// 1. The app's own chain: ?/send with the value, then the link exactly as emailed.
	const mail = await sendCode(email, value);
	checkRedirect(
		`emailed link after ?/send redirectTo=${label}`,
		await get(mail.link.pathname + mail.link.search)
	);

	// 2. A genuine token with a hand-made `next`.
	const forNext = await sendCode(email, '/');
	const hash = forNext.link.searchParams.get('token_hash')!;
	checkRedirect(
		`GET /auth/confirm next=${label}`,
		await get(
			`/auth/confirm?token_hash=${hash}&type=magiclink&next=${encodeURIComponent(wellFormed(value))}`
		)
	);

	// 3. A genuine token with a hand-made `redirect_to` (no next), bare and wrapped.
	const forRedirect = await sendCode(email, '/');
	checkRedirect(
		`GET /auth/confirm redirect_to=${label}`,
		await get(
			`/auth/confirm?token_hash=${forRedirect.link.searchParams.get('token_hash')!}&type=magiclink&redirect_to=${encodeURIComponent(wellFormed(value))}`
		)
	);
	const forWrapped = await sendCode(email, '/');
	const wrapped = `${siteUrl}/auth/confirm?next=${encodeURIComponent(wellFormed(value))}`;
	checkRedirect(
		`GET /auth/confirm redirect_to=<site>/auth/confirm?next=${label}`,
		await get(
			`/auth/confirm?token_hash=${forWrapped.link.searchParams.get('token_hash')!}&type=magiclink&redirect_to=${encodeURIComponent(wrapped)}`
		)
	);

	// 4. The emailed code, posted with the value.
	const forCode = await sendCode(email, '/');
	const verified = await post(
		'/sign-in/email?/verify',
		{ email, token: forCode.code, redirectTo: value },
		{ as: 'html' }
	);
	expect(verified.status, `?/verify with a genuine code for ${email}`).toBe(303);
	checkRedirect(`POST ?/verify (genuine code) redirectTo=${label}`, verified);
}

describe('cross-site form posts', () => {
	let olivia: Session;
	let sam: Session;
	let ada: Session;
	let vera: Session;
	let clientInvitation: { id: string; token: string };
	let staffInvitation: { id: string };

	beforeAll(async () => {
		[olivia, sam, ada, vera] = await Promise.all([
			signInOverHttp('olivia@acme.example.com'),
			signInOverHttp('sam@staff.example.com'),
			signInOverHttp('ada@staff.example.com'),
			signInOverHttp('vera@acme.example.com')
		]);
		const oliviaDb = await db('olivia@acme.example.com');
		const adaDb = await db('ada@staff.example.com');
		const client = await oliviaDb.rpc('create_invitation', {
			p_account_id: ACME,
			p_email: `cross-site-${Date.now()}@example.com`,
			p_role: 'viewer'
		});
		const staff = await adaDb.rpc('create_staff_invitation', {
			p_email: `cross-site-staff-${Date.now()}@example.com`,
			p_role: 'staff'
		});
		if (client.error || staff.error) throw client.error ?? staff.error;
		clientInvitation = { id: client.data[0]!.invitation_id, token: client.data[0]!.token };
		staffInvitation = { id: staff.data[0]!.invitation_id };
	});

	/** Every form action, with a valid payload that would write if it were accepted. */
	function targets() {
		const members = (base: string) => [
			[`${base}?/invite`, { email: `evil-${Date.now()}@example.com`, role: 'owner' }],
			[`${base}?/resend`, { invitation: clientInvitation.id }],
			[`${base}?/revoke`, { invitation: clientInvitation.id }],
			[`${base}?/changeRole`, { user: MARK_ID, role: 'owner' }],
			[`${base}?/remove`, { user: MARK_ID }]
		];
		return [
			['/sign-in', { email: 'olivia@acme.example.com', password: 'portal-demo-2026' }, undefined],
			['/sign-in/email?/send', { email: 'olivia@acme.example.com' }, undefined],
			['/sign-in/email?/verify', { email: 'olivia@acme.example.com', token: '123456' }, undefined],
			['/forgot-password', { email: 'olivia@acme.example.com' }, undefined],
			['/reset-password', { password: 'evil-password-1', confirm: 'evil-password-1' }, vera],
			['/sign-out', {}, vera],
			[`/invite/${clientInvitation.token}?/accept`, {}, vera],
			[
				`/invite/${clientInvitation.token}?/signUp`,
				{ displayName: 'Evil', password: 'evil-password-1' },
				undefined
			],
			[`/invite/${clientInvitation.token}?/signOut`, {}, vera],
			...members(`/accounts/${ACME}/members`).map(([p, f]) => [p, f, olivia]),
			...members(`/staff/accounts/${ACME}`).map(([p, f]) => [p, f, sam]),
			[
				'/staff/team?/invite',
				{ email: `evil-staff-${Date.now()}@example.com`, role: 'admin' },
				ada
			],
			['/staff/team?/resend', { invitation: staffInvitation.id }, ada],
			['/staff/team?/revoke', { invitation: staffInvitation.id }, ada],
			['/staff/team?/changeRole', { user: SAM_ID, role: 'admin' }, ada],
			['/staff/team?/remove', { user: TESS_ID }, ada],
			['/staff/team?/assign', { user: TESS_ID, account: ACME }, ada],
			['/staff/team?/unassign', { user: SAM_ID, account: ACME }, ada]
		] as [string, Record<string, string>, Session | undefined][];
	}

	const variants: { label: string; origin: string | null; type: 'form' | 'multipart' | 'text' }[] =
		[
			{ label: `origin ${EVIL}`, origin: EVIL, type: 'form' },
			{ label: `origin ${EVIL}, multipart`, origin: EVIL, type: 'multipart' },
			{ label: `origin ${EVIL}, text/plain`, origin: EVIL, type: 'text' },
			{ label: 'origin null (sandboxed frame)', origin: 'null', type: 'form' },
			{ label: 'a look-alike origin', origin: `${siteUrl}.evil.example`, type: 'form' },
			{ label: 'no Origin header', origin: null, type: 'form' },
			{ label: 'no Origin header, multipart', origin: null, type: 'multipart' }
		];

	it('every form action refuses a cross-site post with 403, and nothing is written', async () => {
		const before = await snapshot();
		for (const [path, fields, session] of targets()) {
			for (const variant of variants) {
				let body: Record<string, string> | FormData | string = fields;
				let contentType: string | undefined;
				if (variant.type === 'multipart') {
					body = new FormData();
					for (const [k, v] of Object.entries(fields)) body.append(k, v);
				} else if (variant.type === 'text') {
					body = Object.entries(fields)
						.map(([k, v]) => `${k}=${v}`)
						.join('\n');
					contentType = 'text/plain';
				}
				const answer = await post(path, body, {
					cookie: session?.cookie,
					origin: variant.origin,
					as: 'html',
					contentType
				});
				const setsCookie = answer.headers.getSetCookie().length > 0;
				const name = `POST ${path} as ${session ? 'signed in' : 'signed out'}, ${variant.label}`;
				recordAttempt(CROSS_SITE, name, {
					leaked: answer.status !== 403 || setsCookie,
					status: answer.status
				});
				expect(answer.status, name).toBe(403);
				expect(setsCookie, `${name}: sets a cookie`).toBe(false);
			}
		}
		const after = await snapshot();
		recordAttempt(CROSS_SITE, 'tables unchanged after every cross-site post', {
			leaked: before !== after
		});
		expect(after).toEqual(before);
		// The sessions the cross-site sign-outs aimed at still work, and Vera's password too.
		const still = await get('/reset-password', vera.cookie);
		recordAttempt(CROSS_SITE, 'session still valid after cross-site sign-outs', {
			leaked: still.status !== 200,
			status: still.status
		});
		expect(still.status).toBe(200);
		await expect(signInOverHttp('vera@acme.example.com')).resolves.toBeTruthy();
	});

	it('the same posts from the site itself are not refused by the origin check (control)', async () => {
		// Without this, a 403 above could come from something other than the origin check.
		const answer = await post(
			'/accounts/' + ACME + '/members?/invite',
			{ email: 'not-an-address', role: 'viewer' },
			{ cookie: olivia.cookie }
		);
		expect(answer.status).toBe(400);
	});
});

describe('cookies', () => {
	/*
	 * The session lives in @supabase/ssr's `sb-<ref>-auth-token` cookie(s). They are NOT
	 * HttpOnly, on purpose: the browser client (createBrowserClient in src/routes/+layout.ts)
	 * reads and refreshes the session from document.cookie. A script injected into the page
	 * could therefore read the tokens; the defence against that is the nonce-based CSP checked
	 * below (no inline script runs without the per-response nonce). Asserted here: exactly
	 * that (no HttpOnly), Path=/, SameSite=Lax, and Secure, which SvelteKit sets everywhere
	 * except on http://localhost, so also on this http://127.0.0.1 test site and in production.
	 */
	it('the session cookies set at sign-in: Path=/, SameSite=Lax, Secure; readable by the page', async () => {
		const { setCookies } = await signInOverHttp('mark@acme.example.com');
		const session = setCookies.filter((c) => /^sb-[^=]+-auth-token(\.\d+)?=/.test(c));
		expect(session.length).toBeGreaterThan(0);
		for (const cookie of session) {
			const name = cookie.split('=')[0]!;
			const attributes = cookie
				.split(';')
				.slice(1)
				.map((a) => a.trim().toLowerCase());
			const secureExpected = new URL(siteUrl).hostname !== 'localhost';
			const ok =
				attributes.includes('path=/') &&
				attributes.includes('samesite=lax') &&
				(!secureExpected || attributes.includes('secure'));
			recordAttempt(COOKIES, `${name}: Path=/, SameSite=Lax, Secure`, { leaked: !ok });
			expect(attributes).toContain('path=/');
			expect(attributes).toContain('samesite=lax');
			if (secureExpected) expect(attributes).toContain('secure');
			expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
			// Documented above: @supabase/ssr's browser client needs to read it.
			expect(attributes).not.toContain('httponly');
		}
	});

	it('signing out clears the session cookies, and the old cookie no longer signs anyone in', async () => {
		const gus = await signInOverHttp('gus@globex.example.com');
		// The front door sends a client on to their account; its overview is the signed-in page.
		const front = await get('/', gus.cookie);
		expect(front.status).toBe(303);
		expect(front.location).toBe(`/accounts/${GLOBEX}`);
		expect((await get(`/accounts/${GLOBEX}`, gus.cookie)).status).toBe(200);
		const out = await post('/sign-out', {}, { cookie: gus.cookie, as: 'html' });
		expect(out.status).toBe(303);
		const cleared = out.headers
			.getSetCookie()
			.filter((c) => /^sb-[^=]+-auth-token/.test(c))
			.every((c) => /max-age=0|expires=thu, 01 jan 1970/i.test(c));
		recordAttempt(COOKIES, 'sign-out clears the session cookies', {
			leaked: !cleared,
			status: out.status
		});
		expect(cleared).toBe(true);
		const replay = await get(`/accounts/${GLOBEX}`, gus.cookie);
		const replayed = replay.status === 200;
		recordAttempt(COOKIES, 'replaying the session cookie after sign-out', {
			leaked: replayed,
			status: replay.status
		});
		expect(replay.status).toBe(303);
		expect(replay.location).toMatch(/^\/sign-in/);
	});

	it('a forged session cookie signs no one in', async () => {
		const fake = Buffer.from(
			JSON.stringify({
				access_token:
					'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDEifQ.',
				refresh_token: 'x',
				expires_at: 9999999999,
				user: { id: 'a0000000-0000-4000-8000-000000000001' }
			})
		).toString('base64url');
		const answer = await get('/staff/team', `sb-127-auth-token=base64-${fake}`);
		recordAttempt(COOKIES, 'a forged (unsigned) session cookie for Ada', {
			leaked: answer.status === 200,
			status: answer.status
		});
		expect(answer.status).toBe(303);
	});
});

describe('security headers and CSP', () => {
	let pages: {
		name: string;
		path: string;
		session?: Session;
		signedIn: boolean;
		html: boolean;
		/** src/error.html: no scripts or styles, under a policy that allows nothing. */
		staticPage?: boolean;
	}[];

	beforeAll(async () => {
		const [olivia, sam, ada] = await Promise.all([
			signInOverHttp('olivia@acme.example.com'),
			signInOverHttp('sam@staff.example.com'),
			signInOverHttp('ada@staff.example.com')
		]);
		const invitation = await (
			await db('olivia@acme.example.com')
		).rpc('create_invitation', {
			p_account_id: ACME,
			p_email: `headers-${Date.now()}@example.com`,
			p_role: 'viewer'
		});
		if (invitation.error) throw invitation.error;
		const token = invitation.data[0]!.token;
		pages = [
			{ name: 'sign-in', path: '/sign-in', signedIn: false, html: true },
			{ name: 'sign-in by email', path: '/sign-in/email', signedIn: false, html: true },
			{ name: 'forgot password', path: '/forgot-password', signedIn: false, html: true },
			{ name: 'invitation', path: `/invite/${token}`, signedIn: false, html: true },
			{ name: 'unknown invitation', path: '/invite/not-a-token', signedIn: false, html: true },
			{ name: '404 page', path: '/no-such-page', signedIn: false, html: true },
			// The front door redirects a client to their account (no body, so no content type).
			{ name: 'front door', path: '/', session: olivia, signedIn: true, html: false },
			{
				name: 'account overview',
				path: `/accounts/${ACME}`,
				session: olivia,
				signedIn: true,
				html: true
			},
			...(['requests', 'projects', 'approvals', 'activity'] as const).map((section) => ({
				name: section,
				path: `/accounts/${ACME}/${section}`,
				session: olivia,
				signedIn: true,
				html: true
			})),
			{
				name: 'members',
				path: `/accounts/${ACME}/members`,
				session: olivia,
				signedIn: true,
				html: true
			},
			{
				name: 'reset password',
				path: '/reset-password',
				session: olivia,
				signedIn: true,
				html: true
			},
			{
				name: 'invitation, signed in',
				path: `/invite/${token}`,
				session: olivia,
				signedIn: true,
				html: true
			},
			{ name: 'staff home', path: '/staff', session: sam, signedIn: true, html: true },
			{
				name: 'staff account',
				path: `/staff/accounts/${ACME}`,
				session: sam,
				signedIn: true,
				html: true
			},
			{ name: 'team', path: '/staff/team', session: ada, signedIn: true, html: true },
			{
				name: 'staff page as a client (403)',
				path: '/staff',
				session: olivia,
				signedIn: true,
				html: true
			},
			{
				name: '404 page, signed in',
				path: '/no-such-page',
				session: olivia,
				signedIn: true,
				html: true
			},
			{ name: '/health', path: '/health', signedIn: false, html: false },
			// An endpoint's error(), asked for as HTML: the static error page (src/error.html).
			{
				name: 'download, unknown id',
				path: '/documents/not-an-id/download',
				session: olivia,
				signedIn: true,
				html: true,
				staticPage: true
			},
			{
				name: 'download, unknown uuid',
				path: '/documents/00000000-0000-4000-8000-000000000000/download',
				session: olivia,
				signedIn: true,
				html: true,
				staticPage: true
			}
		];
	});

	it('every page carries the security headers; signed-in pages are never cached', async () => {
		for (const page of pages) {
			const answer = await get(page.path, page.session?.cookie);
			const h = answer.headers;
			const missing: string[] = [];
			const expectHeader = (name: string, test: (v: string) => boolean) => {
				const value = h.get(name);
				if (value === null || !test(value)) missing.push(`${name}: ${value}`);
			};
			expectHeader('x-frame-options', (v) => v === 'DENY');
			expectHeader('x-content-type-options', (v) => v === 'nosniff');
			expectHeader('referrer-policy', (v) => v === 'strict-origin-when-cross-origin');
			expectHeader(
				'permissions-policy',
				(v) => /camera=\(\)/.test(v) && /geolocation=\(\)/.test(v)
			);
			expectHeader('cross-origin-opener-policy', (v) => v === 'same-origin');
			const isHtml = h.get('content-type')?.includes('text/html') ?? false;
			if (page.html !== isHtml) missing.push(`content-type: ${h.get('content-type')}`);
			// A CSP governs documents; /health answers JSON (with nosniff), which runs nothing.
			if (isHtml && page.staticPage) {
				// src/error.html runs nothing, so its policy allows nothing (hooks.server.ts).
				expectHeader('content-security-policy', (v) => {
					const d = directives(v);
					return (
						d['default-src']?.join(' ') === "'none'" &&
						d['frame-ancestors']?.join(' ') === "'none'" &&
						d['base-uri']?.join(' ') === "'none'"
					);
				});
			} else if (isHtml) {
				expectHeader('content-security-policy', (v) => {
					const d = directives(v);
					return (
						/^'nonce-[A-Za-z0-9+/=]{16,}'$/.test(
							d['script-src']?.find((s) => s.startsWith("'nonce-")) ?? ''
						) &&
						!d['script-src']?.includes("'unsafe-inline'") &&
						!d['script-src']?.includes("'unsafe-eval'") &&
						d['frame-ancestors']?.join(' ') === "'none'" &&
						d['object-src']?.join(' ') === "'none'" &&
						d['base-uri']?.join(' ') === "'self'" &&
						d['form-action']?.join(' ') === "'self'" &&
						d['default-src']?.join(' ') === "'self'"
					);
				});
			}
			if (page.signedIn) {
				expectHeader('cache-control', (v) => /\bprivate\b/.test(v) && /\bno-store\b/.test(v));
			}
			recordAttempt(HEADERS, `${page.name} (${page.path}) headers`, {
				leaked: missing.length > 0,
				status: answer.status
			});
			expect(missing, `${page.name} ${page.path} (${answer.status})`).toEqual([]);
			expect(answer.status, page.name).toBeLessThan(500);
		}
	});

	it('the CSP is one the app works under: every script has the nonce, every asset is same-origin', async () => {
		for (const page of pages.filter((p) => p.html)) {
			const answer = await get(page.path, page.session?.cookie);
			const header = answer.headers.get('content-security-policy');
			// A page without a policy at all is reported by the test above.
			if (!answer.headers.get('content-type')?.includes('text/html') || !header) continue;
			const policy = directives(header);
			const nonce = policy['script-src']?.find((s) => s.startsWith("'nonce-"))?.slice(7, -1);
			const problems: string[] = [];
			for (const [tag, attrs, content] of answer.body.matchAll(
				/<script\b([^>]*)>([\s\S]*?)<\/script>/g
			)) {
				const src = /\bsrc="([^"]*)"/.exec(attrs!)?.[1];
				if (src !== undefined) {
					if (!sameOrigin(src)) problems.push(`script from elsewhere: ${src}`);
				} else if (content!.trim() && !attrs!.includes(`nonce="${nonce}"`)) {
					problems.push(`inline script without the nonce: ${tag!.slice(0, 80)}`);
				}
			}
			for (const [, href] of answer.body.matchAll(/<link\b[^>]*href="([^"]*)"/g)) {
				if (!sameOrigin(href!)) problems.push(`link to elsewhere: ${href}`);
			}
			for (const [, src] of answer.body.matchAll(/<img\b[^>]*src="([^"]*)"/g)) {
				if (!sameOrigin(src!) && !src!.startsWith('data:'))
					problems.push(`image from elsewhere: ${src}`);
			}
			const styleHashes = policy['style-src'] ?? [];
			for (const [, style] of answer.body.matchAll(/\sstyle="([^"]*)"/g)) {
				const hash = `'sha256-${createHash('sha256').update(style!).digest('base64')}'`;
				if (!styleHashes.includes(hash)) problems.push(`inline style not allowed: ${style}`);
			}
			if (/<style\b/.test(answer.body)) problems.push('a <style> element (style-src has no nonce)');
			if (/\son[a-z]+="/i.test(answer.body)) problems.push('an inline event handler attribute');
			if (!page.staticPage && !policy['connect-src']?.includes(new URL(supabaseUrl).origin)) {
				problems.push('connect-src lacks the Supabase origin the browser client talks to');
			}
			recordAttempt(HEADERS, `${page.name} (${page.path}) works under its CSP`, {
				leaked: problems.length > 0,
				status: answer.status
			});
			expect(problems, `${page.name} ${page.path}`).toEqual([]);
		}
	});

	it('the nonce is new on every response', async () => {
		const nonces = new Set<string>();
		for (let i = 0; i < 5; i++) {
			const csp = (await get('/sign-in')).headers.get('content-security-policy') ?? '';
			nonces.add(/'nonce-([^']+)'/.exec(csp)?.[1] ?? '');
		}
		recordAttempt(HEADERS, 'five sign-in pages, five nonces', { leaked: nonces.size !== 5 });
		expect(nonces.size).toBe(5);
	});
});

function directives(policy: string): Record<string, string[]> {
	return Object.fromEntries(
		policy
			.split(';')
			.map((d) => d.trim().split(/\s+/))
			.filter((parts) => parts[0])
			.map(([name, ...values]) => [name!, values])
	);
}

function sameOrigin(url: string): boolean {
	return new URL(url.replaceAll('&amp;', '&'), siteUrl).origin === new URL(siteUrl).origin;
}

describe('secrets in the client bundles', () => {
	const buildDir = path.resolve(import.meta.dirname, '../../build');
	/*
	 * supabase-js itself contains the bare prefix: it checks `key.startsWith('sb_secret_')`
	 * to warn about a secret key used in a browser. A key is the prefix followed by its
	 * characters, so that is what is looked for; the other needles are literal.
	 */
	const needles: [string, RegExp][] = [
		['a secret key (sb_secret_…)', /sb_secret_[A-Za-z0-9_-]{6,}/],
		['the local dev secret key', /sb_secret_LOCAL_DEV_ONLY/],
		['service_role', /service_role/],
		['the local SMTP password', /LOCAL-DEV-ONLY-smtp-password/],
		['an SMTP URL', /smtps?:\/\//],
		['SMTP_URL', /SMTP_URL/],
		['MAIL_FROM', /MAIL_FROM/],
		...[process.env.SMTP_URL, process.env.MAIL_FROM, process.env.SUPABASE_SECRET_KEY]
			.filter((v): v is string => !!v)
			.map((v): [string, RegExp] => [
				`the value of a private setting (${v.slice(0, 12)}…)`,
				new RegExp(v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
			])
	];

	/** Everything a browser can fetch: build/client, and any HTML prerendered elsewhere in build/. */
	function publicFiles(): string[] {
		const files: string[] = [];
		const walk = (dir: string, all: boolean) => {
			for (const entry of readdirSync(dir)) {
				const full = path.join(dir, entry);
				if (statSync(full).isDirectory()) {
					if (!(dir === buildDir && entry === 'server')) walk(full, all || entry === 'client');
				} else if (all || /\.html(\.gz|\.br)?$/.test(entry)) {
					files.push(full);
				}
			}
		};
		walk(buildDir, false);
		return files;
	}

	function text(file: string): string {
		const bytes = readFileSync(file);
		if (file.endsWith('.gz')) return gunzipSync(bytes).toString('utf8');
		if (file.endsWith('.br')) return brotliDecompressSync(bytes).toString('utf8');
		return bytes.toString('utf8');
	}

	it('no secret key, SMTP credential or private setting appears in any file a browser can load', () => {
		const files = publicFiles();
		expect(files.some((f) => f.endsWith('.js'))).toBe(true);
		const found: string[] = [];
		for (const file of files) {
			const content = text(file);
			const hits = needles.filter(([, pattern]) => pattern.test(content)).map(([name]) => name);
			recordAttempt(BUNDLE, path.relative(buildDir, file), { leaked: hits.length > 0 });
			for (const hit of hits) found.push(`${path.relative(buildDir, file)}: ${hit}`);
		}
		expect(found).toEqual([]);
	});

	it('the build under test is the one served: its client entry is what the site links to', async () => {
		const page = (await get('/sign-in')).body;
		const entry = /\/_app\/immutable\/entry\/start\.[^"]+\.js/.exec(page)?.[0];
		expect(entry).toBeTruthy();
		const files = publicFiles().map((f) => '/' + path.relative(path.join(buildDir, 'client'), f));
		expect(files).toContain(entry);
	});
});
