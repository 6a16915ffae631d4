import { expect, test, type Page } from '@playwright/test';
import { readAuthMail, waitForMail, type Mail } from '../support/inbox';
import { expectNoAxeViolations, screenshots, signInWithPassword } from './helpers';

/**
 * The staff workspace end to end, as the issue tells it: an admin creates an account and
 * invites its first client, assigns a staff member, who uploads documents and asks for an
 * approval; the client approves in the portal, and staff see the decision.
 */

const PDF = Buffer.from(
	'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'
);

function invitationLink(mail: Mail): URL {
	const href = /https?:\/\/[^\s"<]+\/invite\/[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0];
	if (!href) throw new Error(`no invitation link in mail "${mail.subject}"`);
	return new URL(href);
}

async function signInAsStaff(page: Page, email: string) {
	await signInWithPassword(page, email);
	await expect(page).toHaveURL(/\/staff$/);
}

test('an admin opens an account for a new client; staff serve it; the client approves', async ({
	page,
	browser
}) => {
	// Three people, two emails and a sign-up.
	test.setTimeout(180_000);
	const stamp = Date.now();
	const accountName = `Initech ${stamp}`;
	const client = `peter-${stamp}@initech.example.com`;
	const password = 'initech-pass-2026';
	const proposal = `Proposal ${stamp}.pdf`;
	const brief = `Brief ${stamp}.txt`;

	// 1. Ada, an admin, creates the account.
	await signInAsStaff(page, 'ada@staff.example.com');
	const newAccount = page.locator('#new-account');
	await newAccount.getByLabel('Account name').fill(accountName);
	await newAccount.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByRole('heading', { level: 1, name: accountName })).toBeVisible();
	const accountId = /\/staff\/accounts\/([0-9a-f-]{36})/.exec(page.url())?.[1];
	expect(accountId).toBeTruthy();

	// 2. ...invites its first client as owner.
	const invited = new Date();
	await page.getByLabel('Email address').fill(client);
	await page.getByRole('radio', { name: /^Owner/ }).check();
	await page.getByRole('button', { name: 'Send invitation', exact: true }).click();
	await expect(page.getByText(`Invitation sent to ${client}.`)).toBeVisible();
	const invitation = invitationLink(await waitForMail(client, invited));
	await expectNoAxeViolations(page);

	// 3. ...and assigns Sam to it.
	await page.goto('/staff/team', { waitUntil: 'networkidle' });
	await page.getByLabel('Account to assign Sam Staff to').selectOption({ label: accountName });
	await page.getByRole('button', { name: 'Assign Sam Staff to the chosen account' }).click();
	await expect(page.getByText('Assigned to the account.')).toBeVisible();

	// 4. The client accepts, in their own browser: sign-up, confirmation, accept.
	const clientContext = await browser.newContext();
	const peter = await clientContext.newPage();
	await peter.goto(invitation.pathname, { waitUntil: 'networkidle' });
	await expect(peter.getByRole('heading', { name: `Join ${accountName}` })).toBeVisible();
	await peter.getByLabel('Your name').fill('Peter Gibbons');
	await peter.getByLabel('Choose a password').fill(password);
	const signedUp = new Date();
	await peter.getByRole('button', { name: 'Create account' }).click();
	await expect(peter.getByText(/we sent a confirmation link/)).toBeVisible();
	await peter.goto(readAuthMail(await waitForMail(client, signedUp)).link.href);
	await expect(peter).toHaveURL(invitation.pathname);
	await peter.getByRole('button', { name: 'Accept invitation' }).click();
	await expect(peter.getByText('Invitation accepted. Welcome!')).toBeVisible();

	// 5. Sam finds the account among his, uploads two files on the client's behalf...
	const staffContext = await browser.newContext();
	const sam = await staffContext.newPage();
	await signInAsStaff(sam, 'sam@staff.example.com');
	await sam.getByLabel('Account name').fill(`Initech ${stamp}`);
	await sam.getByRole('button', { name: 'Search' }).click();
	await sam.getByRole('link', { name: accountName }).click();
	await expect(sam.getByRole('heading', { level: 1, name: accountName })).toBeVisible();
	await sam
		.getByRole('navigation', { name: 'Account sections' })
		.getByRole('link', { name: 'Documents' })
		.click();
	await sam.waitForLoadState('networkidle');
	await sam.getByLabel('Choose files').setInputFiles([
		{ name: proposal, mimeType: 'application/pdf', buffer: PDF },
		{ name: brief, mimeType: 'text/plain', buffer: Buffer.from('What Initech needs.\n') }
	]);
	await expect(sam.getByRole('link', { name: `Download ${proposal}` })).toBeVisible();
	await expect(sam.getByRole('link', { name: `Download ${brief}` })).toBeVisible();

	// 6. ...and asks the client to approve the proposal.
	await sam.goto(`/accounts/${accountId}/approvals`, { waitUntil: 'networkidle' });
	await sam.getByLabel('Document').selectOption({ label: `${proposal} (version 1)` });
	await sam.getByRole('checkbox', { name: /Peter Gibbons/ }).check();
	await sam.getByRole('button', { name: 'Request approval' }).click();
	await expect(sam.getByRole('heading', { level: 1, name: proposal })).toBeVisible();
	const approvalPath = new URL(sam.url()).pathname;

	// 7. The client sees it waiting for them and approves it.
	await peter.goto(`/accounts/${accountId}`, { waitUntil: 'networkidle' });
	await peter.getByRole('link', { name: proposal }).first().click();
	await expect(peter).toHaveURL(new RegExp(`${approvalPath}$`));
	await expectNoAxeViolations(peter);
	await peter.getByRole('button', { name: 'Approve', exact: true }).click();
	await expect(peter.getByText(/Approved/).first()).toBeVisible();
	await clientContext.close();

	// 8. Sam sees the decision, with who made it.
	await sam.reload();
	await expect(sam.getByText(/Approved/).first()).toBeVisible();
	await expect(sam.getByText('Peter Gibbons').first()).toBeVisible();
	await expectNoAxeViolations(sam);
	await screenshots(sam, 'staff-journey-decided');

	// The account's activity tells the story, in order.
	await sam.goto(`/accounts/${accountId}/activity`);
	for (const line of [
		'Ada Admin created the account',
		`Ada Admin invited ${client} as Owner`,
		'Ada Admin assigned Sam Staff to this account',
		`Sam Staff uploaded ${proposal}`,
		`Sam Staff asked for approval of ${proposal}`,
		`Peter Gibbons approved ${proposal}`
	]) {
		await expect(sam.getByText(line).first()).toBeVisible();
	}
	await staffContext.close();

	// Sam is taken off the account again: the suites that run after this one (the security
	// suite shares the stack) expect the demo assignments as seeded, Sam serving Acme only.
	await page.goto('/staff/team', { waitUntil: 'networkidle' });
	await page.getByRole('button', { name: `Unassign Sam Staff from ${accountName}` }).click();
	await expect(page.getByText('Taken off the account.')).toBeVisible();
});
