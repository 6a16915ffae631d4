/**
 * Plain-HTTP helpers for the web-attack and bad-input suites: they talk to the built app
 * (TEST_SITE_URL) exactly as a browser or a hand-made request would, and read the tables
 * through supabase-js (RLS applies) to prove that nothing was written.
 */
import { signedIn, siteUrl, type Client } from '../api/env';

export { siteUrl };
export const EVIL = 'https://evil.example';
export const PASSWORD = 'portal-demo-2026';
export const SAM_ID = 'a0000000-0000-4000-8000-000000000002';
export const TESS_ID = 'a0000000-0000-4000-8000-000000000003';
export const MARK_ID = 'c0000000-0000-4000-8000-000000000002';

export interface Answer {
	status: number;
	location: string | null;
	body: string;
	headers: Headers;
}

type Fields = Record<string, string> | [string, string][] | URLSearchParams | FormData | string;

export interface PostOptions {
	cookie?: string;
	/** The Origin header; `null` sends none. Defaults to the site's own origin. */
	origin?: string | null;
	/** 'json' asks for SvelteKit's action JSON answer, 'html' for a page or a real redirect. */
	as?: 'json' | 'html';
	/** Overrides the content-type (a string body is sent as it is). */
	contentType?: string;
}

async function answer(response: Response): Promise<Answer> {
	return {
		status: response.status,
		location: response.headers.get('location'),
		body: await response.text(),
		headers: response.headers
	};
}

/** POSTs a form (urlencoded, or multipart for FormData) to a path such as `/sign-in?/send`. */
export async function post(path: string, fields: Fields, options: PostOptions = {}) {
	const headers: Record<string, string> = {};
	if (options.origin !== null) headers.origin = options.origin ?? siteUrl;
	if (options.cookie) headers.cookie = options.cookie;
	if ((options.as ?? 'json') === 'json') {
		headers.accept = 'application/json';
		headers['x-sveltekit-action'] = 'true';
	} else {
		headers.accept = 'text/html';
	}
	let body: string | FormData;
	if (fields instanceof FormData) {
		body = fields;
	} else if (typeof fields === 'string') {
		body = fields;
		headers['content-type'] = 'application/x-www-form-urlencoded';
	} else {
		body = new URLSearchParams(fields).toString();
		headers['content-type'] = 'application/x-www-form-urlencoded';
	}
	if (options.contentType !== undefined) headers['content-type'] = options.contentType;
	const response = await fetch(new URL(path, siteUrl), {
		method: 'POST',
		headers,
		body,
		redirect: 'manual'
	});
	const result = await answer(response);
	// An action's JSON answer carries its own status and, for a redirect, the location.
	if (result.headers.get('content-type')?.includes('application/json')) {
		try {
			const json = JSON.parse(result.body) as { type?: string; status?: number; location?: string };
			if (json.type === 'redirect' && json.location) {
				return { ...result, status: json.status ?? 303, location: json.location };
			}
		} catch {
			// not JSON after all: keep the raw answer
		}
	}
	return result;
}

/** A GET as a browser's navigation makes it (it prefers HTML). */
export async function get(path: string, cookie?: string): Promise<Answer> {
	const headers: Record<string, string> = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
	if (cookie) headers.cookie = cookie;
	const response = await fetch(new URL(path, siteUrl), { headers, redirect: 'manual' });
	return answer(response);
}

export interface Session {
	/** The Cookie header to send back. */
	cookie: string;
	/** The Set-Cookie headers the sign-in answered with. */
	setCookies: string[];
}

/** Signs in through the app's own form, as a browser would, and keeps its cookies. */
export async function signInOverHttp(email: string, password = PASSWORD): Promise<Session> {
	const response = await fetch(new URL('/sign-in', siteUrl), {
		method: 'POST',
		headers: {
			origin: siteUrl,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ email, password }).toString(),
		redirect: 'manual'
	});
	await response.body?.cancel();
	const setCookies = response.headers.getSetCookie();
	if (response.status !== 303 || setCookies.length === 0) {
		throw new Error(`signing in as ${email} over HTTP failed (${response.status})`);
	}
	return { cookie: cookieHeader(setCookies), setCookies };
}

/** A Cookie header from Set-Cookie headers (cookies being deleted are left out). */
export function cookieHeader(setCookies: string[]): string {
	return setCookies
		.map((c) => c.split(';')[0]!.trim())
		.filter((pair) => !pair.endsWith('='))
		.join('; ');
}

/** Is this Location (resolved against the site, as a browser does) on the site itself? */
export function staysOnSite(location: string | null): boolean {
	if (location === null) return true;
	// Browsers strip tabs and newlines from URLs, and read backslashes as slashes.
	const asBrowser = location.replace(/[\t\n\r]/g, '');
	try {
		return new URL(asBrowser, siteUrl).origin === new URL(siteUrl).origin;
	} catch {
		// Unparseable: a browser would not follow it anywhere.
		return true;
	}
}

const clients = new Map<string, Promise<Client>>();

/** A supabase-js client signed in as this seed user (one per address, reused). */
export function db(email: string): Promise<Client> {
	let client = clients.get(email);
	if (!client) {
		client = signedIn(email, PASSWORD);
		clients.set(email, client);
	}
	return client;
}

/**
 * Every row the actions under test could write, read as Ada (an admin sees all of them):
 * invitations (with their expiry and outcome, so a resend or revoke shows), memberships,
 * the staff, their assignments and the profiles (a sign-up would add one); the portal's
 * folders, documents (a rename, move, trash or restore shows), versions, file requests,
 * threads, messages (internal notes too), attachments and approval decisions; and
 * Olivia's read marks, read as her (each person sees only their own): the bad-input
 * properties post as her, and nothing else in these suites marks a thread read.
 */
export async function snapshot(): Promise<string> {
	const [ada, olivia] = await Promise.all([
		db('ada@staff.example.com'),
		db('olivia@acme.example.com')
	]);
	const tables = {
		invitations: ada
			.from('invitations')
			.select('id, kind, account_id, email, role, expires_at, accepted_at, revoked_at')
			.order('id'),
		members: ada.from('account_members').select('account_id, user_id, role').order('user_id'),
		staff: ada.from('staff_members').select('user_id, role').order('user_id'),
		assignments: ada
			.from('staff_assignments')
			.select('account_id, staff_user_id')
			.order('staff_user_id'),
		profiles: ada.from('profiles').select('id').order('id'),
		folders: ada.from('folders').select('id, account_id, parent_id, name').order('id'),
		documents: ada
			.from('documents')
			.select('id, account_id, name, folder_id, deleted_at, deleted_by, updated_at')
			.order('id'),
		documentVersions: ada
			.from('document_versions')
			.select('id, document_id, version, storage_path')
			.order('id'),
		fileRequests: ada
			.from('file_requests')
			.select('id, account_id, title, instructions, due_on, status, submitted_at, closed_at')
			.order('id'),
		threads: ada.from('threads').select('id, account_id, subject, last_message_at').order('id'),
		messages: ada.from('messages').select('id, thread_id, author_id, body, internal').order('id'),
		messageAttachments: ada
			.from('message_attachments')
			.select('message_id, document_id')
			.order('message_id')
			.order('document_id'),
		accounts: ada.from('client_accounts').select('id, name, status').order('id'),
		projects: ada.from('projects').select('id, account_id, name, description, status').order('id'),
		milestones: ada
			.from('milestones')
			.select('id, project_id, title, due_on, state, position')
			.order('id'),
		statusUpdates: ada
			.from('status_updates')
			.select('id, account_id, project_id, body, published_at')
			.order('id'),
		approvals: ada
			.from('approvals')
			.select('id, account_id, title, status, last_reminded_at, withdrawn_at')
			.order('id'),
		approvers: ada
			.from('approval_approvers')
			.select('approval_id, user_id')
			.order('approval_id')
			.order('user_id'),
		branding: ada.from('branding').select('business_name, primary_color, logo_path'),
		approvalResponses: ada
			.from('approval_responses')
			.select('id, approval_id, approver_id, decision, comment')
			.order('id'),
		oliviaReads: olivia.from('thread_reads').select('thread_id, last_read_at').order('thread_id'),
		// What the triggers told Olivia (a half-written change would add some) and her choices.
		oliviaNotifications: olivia.from('notifications').select('id, read_at').order('id'),
		oliviaPreferences: olivia
			.from('notification_preferences')
			.select('kind, frequency')
			.order('kind')
	};
	const names = Object.keys(tables) as (keyof typeof tables)[];
	const results = await Promise.all(names.map((name) => tables[name]));
	const rows: Record<string, unknown> = {};
	results.forEach((result, i) => {
		if (result.error) throw new Error(`snapshot of ${names[i]} failed: ${result.error.message}`);
		rows[names[i]!] = result.data;
	});
	return JSON.stringify(rows);
}

interface InboxMail {
	id: string;
	html: string;
	to: { address: string }[];
}

const seenMail = new Set<string>();

/** The next mail to `address` that no earlier call returned (waits up to 15 s). */
export async function nextMail(address: string): Promise<{ link: URL; code: string }> {
	const inbox = process.env.TEST_INBOX_URL;
	if (!inbox) throw new Error('TEST_INBOX_URL is not set: run through `npm run test:security`.');
	const deadline = Date.now() + 15_000;
	while (Date.now() < deadline) {
		const mails = (await (await fetch(`${inbox}/api/email`)).json()) as InboxMail[];
		const mail = mails.find(
			(m) =>
				!seenMail.has(m.id) && m.to.some((t) => t.address.toLowerCase() === address.toLowerCase())
		);
		if (mail) {
			seenMail.add(mail.id);
			const href = /href="([^"]+\/auth\/confirm[^"]*)"/.exec(mail.html)?.[1];
			const code = /\b(\d{6})\b/.exec(mail.html)?.[1];
			if (!href || !code) throw new Error(`no link or code in a mail to ${address}`);
			return { link: new URL(href.replaceAll('&amp;', '&')), code };
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`no new mail to ${address} arrived within 15 s`);
}

/** Marks every mail already in the inbox as seen, so that nextMail returns only new ones. */
export async function skipOldMail(): Promise<void> {
	const inbox = process.env.TEST_INBOX_URL;
	if (!inbox) return;
	const mails = (await (await fetch(`${inbox}/api/email`)).json()) as InboxMail[];
	for (const m of mails) seenMail.add(m.id);
}
