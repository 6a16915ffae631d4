import { createClient } from '@supabase/supabase-js';
import { expect, test, type Page } from '@playwright/test';
import { readAuthMail, waitForMail, type Mail } from '../support/inbox';
import { ACME, CLIENT_HOME, expectNoAxeViolations, signInWithPassword } from './helpers';

/** The accept link in an invitation email. */
function invitationLink(mail: Mail): URL {
	const href = /https?:\/\/[^\s"<]+\/invite\/[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0];
	if (!href) throw new Error(`no invitation link in mail "${mail.subject}"`);
	return new URL(href);
}

async function invite(page: Page, email: string, role: string) {
	await page.goto(`/accounts/${ACME}/members`, { waitUntil: 'networkidle' });
	await page.getByLabel('Email address').fill(email);
	await page.getByRole('radio', { name: new RegExp(`^${role}`) }).check();
	await page.getByRole('button', { name: 'Send invitation', exact: true }).click();
	await expect(page.getByText(`Invitation sent to ${email}.`)).toBeVisible();
}

test('an owner invites a viewer, who accepts from the email, sees the account and cannot upload', async ({
	page,
	browser
}) => {
	// Two people, an email round trip and a sign-up: more than the default 30 s on a busy machine.
	test.slow();
	const colleague = `viewer-${Date.now()}@acme.example.com`;
	const password = 'colleague-pass-2026';

	// Olivia, Acme's owner, invites a colleague as a viewer from the account's People page.
	await signInWithPassword(page, 'olivia@acme.example.com');
	await expect(page).toHaveURL(CLIENT_HOME);
	await page.getByRole('link', { name: 'People', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Acme Corporation: people' })).toBeVisible();
	await expectNoAxeViolations(page);
	const sent = new Date();
	await invite(page, colleague, 'Viewer');
	await expect(page.getByRole('listitem').filter({ hasText: colleague })).toContainText('Viewer');

	const invitationMail = await waitForMail(colleague, sent);
	expect(invitationMail.subject).toBe('You are invited to Acme Corporation');
	const link = invitationLink(invitationMail);

	// The colleague, in their own browser, opens the link signed out and creates an account.
	const context = await browser.newContext();
	const guest = await context.newPage();
	await guest.goto(link.pathname, { waitUntil: 'networkidle' });
	await expect(guest.getByRole('heading', { name: 'Join Acme Corporation' })).toBeVisible();
	await expect(guest.getByText(/Olivia Owner invited/)).toBeVisible();
	await expectNoAxeViolations(guest);
	await guest.getByLabel('Your name').fill('Cora Colleague');
	await guest.getByLabel('Choose a password').fill(password);
	const signedUp = new Date();
	await guest.getByRole('button', { name: 'Create account' }).click();
	await expect(guest.getByText(/we sent a confirmation link/)).toBeVisible();

	// The confirmation link brings them back, signed in, to accept.
	const confirmation = await waitForMail(colleague, signedUp);
	await guest.goto(readAuthMail(confirmation).link.href);
	await expect(guest).toHaveURL(link.pathname);
	await guest.getByRole('button', { name: 'Accept invitation' }).click();
	await expect(guest).toHaveURL(new RegExp(`/accounts/${ACME}/members`));
	await expect(guest.getByText('Invitation accepted. Welcome!')).toBeVisible();
	await expect(guest.getByRole('row', { name: /Cora Colleague/ })).toContainText('Viewer');
	// A viewer manages nobody.
	await expect(guest.getByRole('button', { name: 'Send invitation', exact: true })).toHaveCount(0);
	await expect(guest.getByRole('button', { name: /^Save/ })).toHaveCount(0);

	// They see the account's documents…
	await guest.goto('/');
	await expect(guest.getByRole('heading', { name: 'Acme Corporation' })).toBeVisible();
	await guest.goto(`/accounts/${ACME}/documents?q=Statement`);
	await expect(guest.getByRole('link', { name: 'Download Statement of work.pdf' })).toBeVisible();

	// …and cannot upload: the storage policy refuses a viewer, with their own session.
	const supabase = createClient(
		process.env.PUBLIC_SUPABASE_URL!,
		process.env.PUBLIC_SUPABASE_PUBLISHABLE_KEY!,
		{ auth: { persistSession: false } }
	);
	const { error: signInError } = await supabase.auth.signInWithPassword({
		email: colleague,
		password
	});
	expect(signInError).toBeNull();
	const { error: uploadError } = await supabase.storage
		.from('documents')
		.upload(
			`${ACME}/${crypto.randomUUID()}/notes.txt`,
			new Blob(['hello'], { type: 'text/plain' }),
			{
				contentType: 'text/plain'
			}
		);
	expect(uploadError?.message).toMatch(/row-level security/i);
	const { error: insertError } = await supabase.from('documents').insert({
		account_id: ACME,
		name: 'notes.txt',
		storage_path: `${ACME}/${crypto.randomUUID()}/notes.txt`,
		size_bytes: 5,
		mime_type: 'text/plain'
	});
	expect(insertError?.code).toBe('42501');

	// The link worked once.
	await guest.goto(link.pathname);
	await expect(guest.getByText('This invitation was already accepted.')).toBeVisible();
	await context.close();

	// A member of another account sees none of it.
	const otherContext = await browser.newContext();
	const other = await otherContext.newPage();
	await signInWithPassword(other, 'grace@globex.example.com');
	await expect(other).toHaveURL(CLIENT_HOME);
	await expect(other.getByRole('heading', { name: 'Globex Household' })).toBeVisible();
	await expect(other.getByText('Acme Corporation')).toHaveCount(0);
	await expect(other.getByText('Statement of work.pdf')).toHaveCount(0);
	const response = await other.goto(`/accounts/${ACME}/members`);
	expect(response?.status()).toBe(404);
	await expect(other.getByText(colleague)).toHaveCount(0);
	await otherContext.close();
});

test('an invitation for someone else asks the signed-in user to sign out first', async ({
	page,
	browser
}) => {
	const invitee = `member-${Date.now()}@acme.example.com`;
	await signInWithPassword(page, 'olivia@acme.example.com');
	await expect(page).toHaveURL(CLIENT_HOME);
	const sent = new Date();
	await invite(page, invitee, 'Member');
	const link = invitationLink(await waitForMail(invitee, sent));

	const context = await browser.newContext();
	const mark = await context.newPage();
	await signInWithPassword(mark, 'mark@acme.example.com');
	await expect(mark).toHaveURL(CLIENT_HOME);
	await mark.goto(link.pathname);
	await expect(mark.getByText(/but this invitation is for/)).toBeVisible();
	await expect(mark.getByRole('button', { name: 'Accept invitation' })).toHaveCount(0);
	await mark.getByRole('button', { name: 'Sign out and continue' }).click();
	await expect(mark.getByRole('button', { name: 'Create account' })).toBeVisible();
	await context.close();

	// Olivia withdraws it; the link then says so.
	await page.goto(`/accounts/${ACME}/members`, { waitUntil: 'networkidle' });
	await page.getByRole('button', { name: `Withdraw invitation to ${invitee}` }).click();
	await expect(page.getByText('The invitation was withdrawn.')).toBeVisible();
	await page.goto(link.pathname);
	await expect(page.getByText(/This invitation was withdrawn/)).toBeVisible();
});

test('the last owner cannot demote themselves; a bad invitation shows field errors', async ({
	page
}) => {
	await signInWithPassword(page, 'olivia@acme.example.com');
	await expect(page).toHaveURL(CLIENT_HOME);
	await page.goto(`/accounts/${ACME}/members`, { waitUntil: 'networkidle' });
	await page.getByLabel('Role for Olivia Owner').selectOption('member');
	await page.getByRole('button', { name: 'Save role for Olivia Owner' }).click();
	await expect(page.getByText(/An account needs at least one owner/)).toBeVisible();
	await page.reload();
	await expect(page.getByLabel('Role for Olivia Owner')).toHaveValue('owner');

	await page.getByLabel('Email address').fill('not-an-email');
	await page.getByRole('button', { name: 'Send invitation', exact: true }).click();
	await expect(page.getByText('Enter an email address like name@example.com')).toBeVisible();
	await expect(page.getByLabel('Email address')).toBeFocused();

	// Inviting someone who is already here is refused, and nothing is sent.
	await page.getByLabel('Email address').fill('MARK@acme.example.com');
	await page.getByRole('button', { name: 'Send invitation', exact: true }).click();
	await expect(page.getByText('That person is already in this account.')).toBeVisible();
});

test('a forged invitation link is refused plainly', async ({ page }) => {
	await page.goto(`/invite/${'A'.repeat(43)}`);
	await expect(page.getByRole('heading', { name: 'Invitation not found' })).toBeVisible();
	await page.goto('/invite/short');
	await expect(page.getByRole('heading', { name: 'Invitation not found' })).toBeVisible();
});
