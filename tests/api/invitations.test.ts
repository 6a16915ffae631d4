/**
 * Invitations through the data API, as the app makes them: the token comes back once to the
 * inviter, the invitee confirms their email and accepts, and every misuse is refused.
 */
import { describe, expect, it } from 'vitest';
import { readAuthMail, waitForMail } from '../support/inbox';
import type { Database } from '../../src/lib/database.types';
import { ACME, GLOBEX, anonClient, signedIn, uniqueEmail, type Client } from './env';

/** A new user with a confirmed email, signed in (sign-up, then the emailed link). */
async function newConfirmedUser(email: string): Promise<Client> {
	const client = anonClient();
	const since = new Date();
	const { error } = await client.auth.signUp({ email, password: 'invitee-pass-2026' });
	expect(error).toBeNull();
	const link = readAuthMail(await waitForMail(email, since)).link;
	const { error: verifyError } = await client.auth.verifyOtp({
		token_hash: link.searchParams.get('token_hash')!,
		type: 'signup'
	});
	expect(verifyError).toBeNull();
	return client;
}

async function inviteAsOlivia(email: string, role = 'viewer') {
	const olivia = await signedIn('olivia@acme.example.com');
	const { data, error } = await olivia.rpc('create_invitation', {
		p_account_id: ACME,
		p_email: email,
		p_role: role
	});
	expect(error).toBeNull();
	return { olivia, invitation: data![0]! };
}

describe('invitations through the API', () => {
	it('an owner invites, the invitee accepts once, and joins with exactly the invited role', async () => {
		const email = uniqueEmail('invitee');
		const { olivia, invitation } = await inviteAsOlivia(email.toUpperCase());
		expect(invitation.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

		// Anyone holding the link sees what it is for, nothing more.
		const { data: preview } = await anonClient().rpc('invitation_preview', {
			p_token: invitation.token
		});
		expect(preview).toEqual([
			expect.objectContaining({
				kind: 'client',
				account_name: 'Acme Corporation',
				role: 'viewer',
				email,
				status: 'pending'
			})
		]);

		const invitee = await newConfirmedUser(email);
		const { data: accepted, error } = await invitee.rpc('accept_invitation', {
			p_token: invitation.token
		});
		expect(error).toBeNull();
		expect(accepted).toEqual([{ kind: 'client', account_id: ACME, role: 'viewer' }]);

		const { data: me } = await invitee.auth.getUser();
		const { data: memberships } = await olivia
			.from('account_members')
			.select('account_id, role')
			.eq('user_id', me.user!.id);
		expect(memberships).toEqual([{ account_id: ACME, role: 'viewer' }]);

		const again = await invitee.rpc('accept_invitation', { p_token: invitation.token });
		expect(again.error?.message).toBe('invitation_used');

		// The activity log names who did what.
		const { data: log } = await olivia
			.from('activity_log')
			.select('action, actor_id, subject_user_id')
			.eq('account_id', ACME)
			.eq('subject_user_id', me.user!.id);
		expect(log?.map((row) => row.action).sort()).toEqual(['invitation.accepted', 'member.added']);
		expect(log?.every((row) => row.actor_id === me.user!.id)).toBe(true);
	});

	it('refuses the wrong person, a forged token and a withdrawn one', async () => {
		const email = uniqueEmail('target');
		const { olivia, invitation } = await inviteAsOlivia(email);

		const mark = await signedIn('mark@acme.example.com');
		const wrong = await mark.rpc('accept_invitation', { p_token: invitation.token });
		expect(wrong.error?.message).toBe('invitation_wrong_email');

		const forged = await mark.rpc('accept_invitation', { p_token: 'A'.repeat(43) });
		expect(forged.error?.message).toBe('invitation_not_found');
		expect(forged.error?.code).toBe('PT404');

		const { error: revokeError } = await olivia.rpc('revoke_invitation', {
			p_invitation_id: invitation.invitation_id
		});
		expect(revokeError).toBeNull();
		const invitee = await newConfirmedUser(email);
		const revoked = await invitee.rpc('accept_invitation', { p_token: invitation.token });
		expect(revoked.error?.message).toBe('invitation_revoked');
		const { data: memberships } = await invitee.from('account_members').select('account_id');
		expect(memberships).toEqual([]);
	});

	it('only owners and serving staff invite; nobody reads token hashes', async () => {
		for (const [who, account] of [
			['mark@acme.example.com', ACME],
			['vera@acme.example.com', ACME],
			['grace@globex.example.com', ACME],
			['tess@staff.example.com', ACME],
			['olivia@acme.example.com', GLOBEX]
		] as const) {
			const client = await signedIn(who);
			const { error } = await client.rpc('create_invitation', {
				p_account_id: account,
				p_email: uniqueEmail('nope'),
				p_role: 'owner'
			});
			expect(error?.message, who).toBe('not_allowed');
			expect(error?.code, who).toBe('42501');
		}
		const sam = await signedIn('sam@staff.example.com');
		const { error: samError } = await sam.rpc('create_invitation', {
			p_account_id: ACME,
			p_email: uniqueEmail('by-staff'),
			p_role: 'member'
		});
		expect(samError).toBeNull();

		const { error: hashError } = await sam.from('invitations').select('token_hash');
		expect(hashError?.code).toBe('42501');
		const { error: anonError } = await anonClient().rpc('create_invitation', {
			p_account_id: ACME,
			p_email: uniqueEmail('anon'),
			p_role: 'owner'
		});
		expect(anonError?.code).toBe('42501');
	});

	it('writes to invitations only through the functions', async () => {
		const olivia = await signedIn('olivia@acme.example.com');
		// Without token_hash and expires_at: the point is the missing grant, and PGlite's driver
		// cannot take a bytea as text (a 500 before Postgres is even asked).
		const row = { kind: 'client', account_id: ACME, email: uniqueEmail('direct'), role: 'owner' };
		const { error } = await olivia
			.from('invitations')
			.insert(row as unknown as Database['public']['Tables']['invitations']['Insert']);
		expect(error?.code).toBe('42501');
	});

	it('keeps the last owner: demoting or removing them is refused and changes nothing', async () => {
		const sam = await signedIn('sam@staff.example.com');
		const { error } = await sam
			.from('account_members')
			.update({ role: 'member' })
			.eq('account_id', ACME)
			.eq('user_id', 'c0000000-0000-4000-8000-000000000001');
		expect(error?.message).toBe('last_owner');
		expect(error?.code).toBe('PT409');
		const { error: deleteError } = await sam
			.from('account_members')
			.delete()
			.eq('account_id', ACME)
			.eq('user_id', 'c0000000-0000-4000-8000-000000000001');
		expect(deleteError?.message).toBe('last_owner');
		const { data } = await sam
			.from('account_members')
			.select('role')
			.eq('account_id', ACME)
			.eq('user_id', 'c0000000-0000-4000-8000-000000000001')
			.single();
		expect(data?.role).toBe('owner');
	});
});
