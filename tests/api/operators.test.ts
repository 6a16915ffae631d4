/**
 * The operators' first-admin command (scripts/grant-admin.ts, docs/operators.md), run as an
 * operator runs it, against the test stack, with the stack's development secret key.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEV_SECRET_KEY } from '../../scripts/stack.ts';
import { readAuthMail, waitForMail } from '../support/inbox';
import { anonClient, siteUrl, supabaseUrl, uniqueEmail } from './env';

const script = path.resolve(import.meta.dirname, '..', '..', 'scripts', 'grant-admin.ts');

async function grantAdmin(...args: string[]) {
	try {
		const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, ...args], {
			env: {
				...process.env,
				SUPABASE_URL: supabaseUrl,
				SUPABASE_SECRET_KEY: DEV_SECRET_KEY,
				SITE_URL: siteUrl
			}
		});
		return { code: 0, stdout, stderr };
	} catch (error) {
		const failed = error as { code: number; stdout: string; stderr: string };
		return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
	}
}

describe('npm run admin:grant', () => {
	it('invites an unknown address as admin; the link makes them admin once they accept', async () => {
		const email = uniqueEmail('first-admin');
		const invited = await grantAdmin(email);
		expect(invited.code).toBe(0);
		const link = /\S+\/invite\/[A-Za-z0-9_-]{43}/.exec(invited.stdout)?.[0];
		expect(link?.startsWith(`${siteUrl}/invite/`)).toBe(true);
		const token = link!.split('/').at(-1)!;

		const client = anonClient();
		const since = new Date();
		expect((await client.auth.signUp({ email, password: 'first-admin-2026' })).error).toBeNull();
		const confirm = readAuthMail(await waitForMail(email, since)).link;
		await client.auth.verifyOtp({
			token_hash: confirm.searchParams.get('token_hash')!,
			type: 'signup'
		});
		const { data, error } = await client.rpc('accept_invitation', { p_token: token });
		expect(error).toBeNull();
		expect(data).toEqual([{ kind: 'staff', account_id: null, role: 'admin' }]);
		const { data: user } = await client.auth.getUser();
		const { data: me } = await client
			.from('staff_members')
			.select('role')
			.eq('user_id', user.user!.id);
		expect(me).toEqual([{ role: 'admin' }]);

		const again = await grantAdmin(email.toUpperCase());
		expect(again.code).toBe(0);
		expect(again.stdout).toContain(`${email} is already an admin.`);

		// Leave the seeded team as it was (the browser tests count on Ada as the only admin).
		const { error: leaveError } = await client
			.from('staff_members')
			.delete()
			.eq('user_id', user.user!.id);
		expect(leaveError).toBeNull();
	});

	it('refuses a bad address or a missing one, with a message and a non-zero exit', async () => {
		const bad = await grantAdmin('not-an-email');
		expect(bad.code).toBe(1);
		expect(bad.stderr).toMatch(/email/i);
		expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace

		const none = await grantAdmin();
		expect(none.code).toBe(1);
		expect(none.stderr).toContain('Usage: npm run admin:grant');
	});

	it('cannot be done with the publishable key', async () => {
		const { error } = await anonClient().rpc('operator_grant_admin', { p_email: 'x@example.com' });
		expect(error?.code).toBe('42501');
	});
});
