import { expect, test, type Page } from '@playwright/test';
import { readAuthMail, waitForMail } from '../support/inbox';
import { ACME, expectNoAxeViolations, signInWithPassword } from './helpers';

async function signIn(page: Page, email: string) {
	await signInWithPassword(page, email);
	await expect(page).toHaveURL(/\/staff$/);
}

test('an admin invites staff, assigns Tess to Acme and takes her off again', async ({ page }) => {
	const newcomer = `staff-${Date.now()}@staff.example.com`;

	await signIn(page, 'ada@staff.example.com');
	await page.getByRole('link', { name: 'Team', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Team', level: 1 })).toBeVisible();
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);

	// A bad address is refused on the form, and focus goes to the field.
	await page.getByLabel('Email address').fill('not-an-email');
	await page.getByRole('button', { name: 'Send invitation', exact: true }).click();
	await expect(page.getByText('Enter an email address like name@example.com')).toBeVisible();
	await expect(page.getByLabel('Email address')).toBeFocused();

	// Inviting a staff member emails them a link and lists the open invitation.
	await page.getByLabel('Email address').fill(newcomer);
	await page.getByRole('radio', { name: /^Staff/ }).check();
	const sent = new Date();
	await page.getByRole('button', { name: 'Send invitation', exact: true }).click();
	await expect(page.getByText(`Invitation sent to ${newcomer}.`)).toBeVisible();
	const invitation = page.getByRole('listitem').filter({ hasText: newcomer });
	await expect(invitation).toContainText('Staff');
	const mail = await waitForMail(newcomer, sent);
	expect(mail.subject).toBe('You are invited to join the client portal staff');
	expect(mail.text).toMatch(/\/invite\/[A-Za-z0-9_-]{43}/);

	// Withdrawn again, so the open list stays as it was.
	await page.getByRole('button', { name: `Withdraw invitation to ${newcomer}` }).click();
	await expect(page.getByText('The invitation was withdrawn.')).toBeVisible();
	await expect(invitation).toHaveCount(0);

	// Tess serves Globex; assign her to Acme too, then take her off.
	const tess = page.getByRole('row', { name: /Tess Staff/ });
	await expect(tess.getByRole('link', { name: 'Acme Corporation' })).toHaveCount(0);
	await page
		.getByLabel('Account to assign Tess Staff to')
		.selectOption({ label: 'Acme Corporation' });
	await page.getByRole('button', { name: 'Assign Tess Staff to the chosen account' }).click();
	await expect(page.getByText('Assigned to the account.')).toBeVisible();
	await expect(tess.getByRole('link', { name: 'Acme Corporation' })).toBeVisible();

	await page.getByRole('button', { name: 'Unassign Tess Staff from Acme Corporation' }).click();
	await expect(page.getByText('Taken off the account.')).toBeVisible();
	await expect(tess.getByRole('link', { name: 'Acme Corporation' })).toHaveCount(0);
	await expect(tess.getByRole('link', { name: 'Globex Household' })).toBeVisible();

	// The only admin cannot make themselves staff.
	await page.getByLabel('Role for Ada Admin').selectOption('staff');
	await page.getByRole('button', { name: 'Save role for Ada Admin' }).click();
	await expect(page.getByText(/The workspace needs at least one admin/)).toBeVisible();
	await page.reload();
	await expect(page.getByLabel('Role for Ada Admin')).toHaveValue('admin');
	// Nobody is offered a button to remove themselves.
	await expect(page.getByRole('button', { name: 'Remove Ada Admin from the staff' })).toHaveCount(
		0
	);
});

test('staff serving Acme change a member’s role from its page, and back', async ({ page }) => {
	await signIn(page, 'sam@staff.example.com');
	await page.getByRole('link', { name: 'Acme Corporation' }).click();
	await expect(page.getByRole('heading', { name: 'Acme Corporation', level: 1 })).toBeVisible();
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);
	await expect(page.getByRole('row', { name: /Olivia Owner/ })).toBeVisible();
	await expect(page.getByRole('region', { name: 'People in this account' })).toContainText(
		'mark@acme.example.com'
	);

	await page.getByLabel('Role for Mark Member').selectOption('owner');
	await page.getByRole('button', { name: 'Save role for Mark Member' }).click();
	await expect(page.getByText('Role updated.')).toBeVisible();
	const activity = page.getByRole('region', { name: 'Recent activity' });
	await expect(
		activity.getByText("Mark Member's role changed from Member to Owner by Sam Staff").first()
	).toBeVisible();

	await page.getByLabel('Role for Mark Member').selectOption('member');
	await page.getByRole('button', { name: 'Save role for Mark Member' }).click();
	await expect(
		activity.getByText("Mark Member's role changed from Owner to Member by Sam Staff").first()
	).toBeVisible();
	await page.reload();
	await expect(page.getByLabel('Role for Mark Member')).toHaveValue('member');
});

test('staff see only the accounts they serve, and only admins see the team', async ({
	page,
	browser
}) => {
	// Tess signs in with an emailed link: auth.spec.ts changes her password.
	const tess = 'tess@staff.example.com';
	await page.goto('/sign-in/email', { waitUntil: 'networkidle' });
	const since = new Date();
	await page.getByLabel('Email').fill(tess);
	await page.getByRole('button', { name: /send/i }).click();
	await expect(page.getByText(/check your inbox/i)).toBeVisible();
	const { link } = readAuthMail(await waitForMail(tess, since));
	await page.goto(`${link.pathname}${link.search}`);
	await expect(page).toHaveURL(/\/staff$/);

	await expect(page.getByRole('link', { name: 'Globex Household' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Acme Corporation' })).toHaveCount(0);
	await expect(page.getByRole('link', { name: 'Team', exact: true })).toHaveCount(0);
	const acme = await page.goto(`/staff/accounts/${ACME}`);
	expect(acme?.status()).toBe(404);
	await expect(page.getByText('Olivia Owner')).toHaveCount(0);

	const context = await browser.newContext();
	const sam = await context.newPage();
	await signIn(sam, 'sam@staff.example.com');
	const team = await sam.goto('/staff/team');
	expect(team?.status()).toBe(403);
	await expect(sam.getByText('Only admins can manage the team.')).toBeVisible();
	await context.close();
});
