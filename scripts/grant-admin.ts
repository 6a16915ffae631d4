/**
 * Makes someone an admin of the portal: the way to the first admin of a new project, and
 * back in when nobody who can sign in is an admin any more (docs/operators.md).
 *
 *   npm run admin:grant -- someone@example.com                     the local dev stack
 *   SUPABASE_URL=https://<ref>.supabase.co SUPABASE_SECRET_KEY=sb_secret_… \
 *     SITE_URL=https://portal.example.com npm run admin:grant -- someone@example.com
 *
 * An existing user becomes an admin at once; for an address nobody has signed up with
 * yet, it prints an admin invitation link (valid 7 days, works once). The work is done by
 * public.operator_grant_admin, which only the service role may call: the secret key is
 * used here, on the operator's machine, and never by the app.
 */
import { createClient } from '@supabase/supabase-js';
import type { Database } from '../src/lib/database.types.ts';
import { DEV_SECRET_KEY, devStack } from './stack.ts';

const LOCAL_API_URL = `http://127.0.0.1:${devStack.apiPort}`;
const USAGE = 'Usage: npm run admin:grant -- someone@example.com';

/** A message for the operator and a non-zero exit; no stack trace. */
function fail(message: string): never {
	console.error(message);
	process.exit(1);
}

function settings() {
	const args = process.argv.slice(2);
	if (args.length !== 1 || !args[0]?.trim()) fail(`Give exactly one email address.\n${USAGE}`);
	// Printed as the database stores it.
	const email = args[0].trim().toLowerCase();

	const url = process.env.SUPABASE_URL?.trim();
	const secretKey = process.env.SUPABASE_SECRET_KEY?.trim();
	// Both or neither: one without the other is a mistake, never a reason to fall back to
	// the local stack while the operator thinks they are changing a hosted project.
	if (!url !== !secretKey) {
		fail('Set both SUPABASE_URL and SUPABASE_SECRET_KEY (or neither, for the local dev stack).');
	}
	const apiUrl = url || LOCAL_API_URL;
	if (!isHttpUrl(apiUrl)) fail(`SUPABASE_URL must be an http(s) URL, got "${apiUrl}".`);

	const siteUrl = (process.env.SITE_URL?.trim() || devStack.siteUrl).replace(/\/+$/, '');
	if (!isHttpUrl(siteUrl)) fail(`SITE_URL must be an http(s) URL, got "${siteUrl}".`);

	return { email, apiUrl, secretKey: secretKey || DEV_SECRET_KEY, siteUrl };
}

function isHttpUrl(value: string): boolean {
	try {
		return ['http:', 'https:'].includes(new URL(value).protocol);
	} catch {
		return false;
	}
}

async function main() {
	const { email, apiUrl, secretKey, siteUrl } = settings();
	const supabase = createClient<Database>(apiUrl, secretKey, {
		auth: { persistSession: false, autoRefreshToken: false }
	});

	const { data, error, status } = await supabase.rpc('operator_grant_admin', { p_email: email });
	if (error) {
		if (error.message === 'invalid_email') {
			fail(`"${email}" is not an email address. Enter one like name@example.com.`);
		}
		// supabase-js answers a failed connection with status 0 and the cause (and its stack
		// trace) in `details`: keep only the cause's first line.
		if (status === 0) {
			const cause = /Caused by: (?:\w*Error: )?(.+)/.exec(error.details)?.[1] ?? error.message;
			fail(
				`Could not reach Supabase at ${apiUrl} (${cause}).\n` +
					(apiUrl === LOCAL_API_URL
						? 'Is the local stack running (npm run dev)?'
						: 'Check SUPABASE_URL and your connection.')
			);
		}
		const why = status === 401 || status === 403 ? ' Check SUPABASE_SECRET_KEY.' : '';
		fail(`Supabase at ${apiUrl} refused (HTTP ${status}): ${error.message}.${why}`);
	}

	const result = data[0];
	switch (result?.outcome) {
		case 'granted':
			console.log(`${email} is now an admin.`);
			return;
		case 'already_admin':
			console.log(`${email} is already an admin.`);
			return;
		case 'invited':
			if (result.token) {
				console.log(
					'No user has that email yet. Send them this link to create their account as an ' +
						`admin (valid 7 days, works once):\n  ${siteUrl}/invite/${result.token}`
				);
				return;
			}
	}
	fail(`Unexpected answer from operator_grant_admin: ${JSON.stringify(data)}`);
}

await main().catch((error: unknown) =>
	fail(`admin:grant failed: ${error instanceof Error ? error.message : String(error)}`)
);
