/**
 * Helpers for the API attack suite (api-attacks.test.ts): one signed-in client per actor,
 * a stranger made through sign-up and the emailed confirmation, leak detection, and raw HTTP
 * requests that reach the stack without supabase-js or fetch tidying the path first.
 */
import http from 'node:http';
import type { SupabaseClient } from '@supabase/supabase-js';
import { expect } from 'vitest';
import { readAuthMail, waitForMail } from '../support/inbox';
import {
	ACME,
	GLOBEX,
	anonClient,
	publishableKey,
	signedIn,
	supabaseUrl,
	uniqueEmail,
	type Client
} from '../api/env';

/** Attack queries go off the typed path on purpose (foreign columns, wrong argument types). */
export type Loose = SupabaseClient;

export const demoEmails = {
	ada: 'ada@staff.example.com',
	sam: 'sam@staff.example.com',
	tess: 'tess@staff.example.com',
	olivia: 'olivia@acme.example.com',
	mark: 'mark@acme.example.com',
	bill: 'bill@acme.example.com',
	vera: 'vera@acme.example.com',
	grace: 'grace@globex.example.com'
} as const;

export type Actor = keyof typeof demoEmails | 'anon' | 'stranger';

export const ACME_DOCS = [
	'd0000000-0000-4000-8000-000000000001',
	'd0000000-0000-4000-8000-000000000002',
	'd0000000-0000-4000-8000-000000000003',
	'd0000000-0000-4000-8000-000000000006'
];
export const GLOBEX_DOCS = [
	'd0000000-0000-4000-8000-000000000004',
	'd0000000-0000-4000-8000-000000000005'
];
/** The seeded Globex file (739 bytes) and an Acme one, as seed.sql stores them. */
export const GLOBEX_FILE = `${GLOBEX}/${GLOBEX_DOCS[0]}/Home survey.pdf`;
export const GLOBEX_FILE_SIZE = 739;
export const ACME_FILE = `${ACME}/${ACME_DOCS[1]}/Kick-off notes.txt`;
export const ACME_OTHER_FILE = `${ACME}/${ACME_DOCS[0]}/Statement of work.pdf`;

/** Seeded content (migration 20261129040000) of each account, by kind. */
export const ACME_CONTENT = {
	folders: ['f0000000-0000-4000-8000-000000000001', 'f0000000-0000-4000-8000-000000000002'],
	fileRequests: ['f1000000-0000-4000-8000-000000000001', 'f1000000-0000-4000-8000-000000000002'],
	thread: '71000000-0000-4000-8000-000000000001',
	project: 'b1000000-0000-4000-8000-000000000001',
	approval: 'a1000000-0000-4000-8000-000000000001',
	/** Version 2 of "Homepage design.pdf", up for approval. */
	version: 'e1000000-0000-4000-8000-000000000002'
} as const;
export const GLOBEX_CONTENT = {
	fileRequests: ['f1000000-0000-4000-8000-000000000003'],
	thread: '71000000-0000-4000-8000-000000000002',
	project: 'b1000000-0000-4000-8000-000000000002'
} as const;

export const userIds = {
	olivia: 'c0000000-0000-4000-8000-000000000001',
	mark: 'c0000000-0000-4000-8000-000000000002',
	bill: 'c0000000-0000-4000-8000-000000000003',
	vera: 'c0000000-0000-4000-8000-000000000004',
	grace: 'c0000000-0000-4000-8000-000000000005',
	gus: 'c0000000-0000-4000-8000-000000000006',
	ada: 'a0000000-0000-4000-8000-000000000001',
	sam: 'a0000000-0000-4000-8000-000000000002',
	tess: 'a0000000-0000-4000-8000-000000000003'
} as const;

const markers: Record<string, string[]> = {
	[ACME]: [
		ACME,
		'Acme Corporation',
		'@acme.example.com',
		...ACME_DOCS,
		...Object.values(ACME_CONTENT).flat()
	],
	[GLOBEX]: [
		GLOBEX,
		'Globex Household',
		'@globex.example.com',
		...GLOBEX_DOCS,
		...Object.values(GLOBEX_CONTENT).flat()
	]
};

export const accountName = (account: string) => (account === ACME ? 'Acme' : 'Globex');

/** Whether anything of the account (id, name, people's addresses, documents) appears. */
export function shows(account: string, value: unknown): boolean {
	const text = JSON.stringify(value ?? null);
	return markers[account]!.some((marker) => text.includes(marker));
}

/** A new user with a confirmed email, signed in (sign-up, then the emailed link). */
export async function newConfirmedUser(email: string): Promise<Client> {
	const client = anonClient();
	const since = new Date();
	const { error } = await client.auth.signUp({ email, password: 'stranger-pass-2026' });
	expect(error).toBeNull();
	const link = readAuthMail(await waitForMail(email, since)).link;
	const { error: verifyError } = await client.auth.verifyOtp({
		token_hash: link.searchParams.get('token_hash')!,
		type: 'signup'
	});
	expect(verifyError).toBeNull();
	return client;
}

const cache = new Map<Actor, Promise<Client>>();

/** One client per actor for the whole file; the stranger is signed up on first use. */
export function as(actor: Actor): Promise<Loose> {
	let client = cache.get(actor);
	if (!client) {
		client =
			actor === 'anon'
				? Promise.resolve(anonClient())
				: actor === 'stranger'
					? newConfirmedUser(uniqueEmail('stranger'))
					: signedIn(demoEmails[actor]);
		cache.set(actor, client);
	}
	return client as unknown as Promise<Loose>;
}

export interface RawAnswer {
	status: number;
	body: string;
}

/**
 * A request sent with the path exactly as given (`..`, `%2e`, `//` and all): fetch and
 * supabase-js would resolve dot segments and squeeze slashes before the stack sees them.
 */
export async function raw(
	client: Loose | null,
	method: string,
	path: string,
	body?: string,
	headers: Record<string, string> = {}
): Promise<RawAnswer> {
	const token = client ? (await client.auth.getSession()).data.session?.access_token : undefined;
	const url = new URL(supabaseUrl);
	return new Promise((resolve, reject) => {
		const request = http.request(
			{
				host: url.hostname,
				port: url.port,
				method,
				path,
				headers: {
					apikey: publishableKey,
					...(token ? { authorization: `Bearer ${token}` } : {}),
					...headers
				}
			},
			(response) => {
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (chunk: string) => (text += chunk));
				response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
			}
		);
		request.on('error', reject);
		if (body !== undefined) request.write(body);
		request.end();
	});
}

/** The parts of a Storage error the refusals are told apart by. */
export function storageError(error: unknown) {
	const e = error as { status?: number; statusCode?: string; message?: string } | null;
	return e ? { status: e.status, statusCode: e.statusCode, message: e.message } : null;
}
