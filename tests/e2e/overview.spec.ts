import { expect, test } from '@playwright/test';
import {
	ACME,
	CLIENT_HOME,
	expectNoAxeViolations,
	GLOBEX,
	screenshots,
	signInWithPassword
} from './helpers';

test('the overview shows what needs the client now, updates, documents and activity', async ({
	page
}) => {
	await signInWithPassword(page, 'mark@acme.example.com');
	await expect(page).toHaveURL(`/accounts/${ACME}`);
	await expect(page.getByRole('heading', { name: 'Acme Corporation', level: 1 })).toBeVisible();

	const waiting = page.getByRole('region', { name: 'Needs your attention' });
	await expect(waiting.getByRole('link', { name: 'Homepage design, second draft' })).toBeVisible();
	// The overdue request is marked so.
	const overdue = waiting.getByRole('listitem').filter({ hasText: 'Signed statement of work' });
	await expect(overdue.getByText('Overdue')).toBeVisible();

	const updates = page.getByRole('region', { name: 'Latest updates' });
	await expect(
		updates.getByText('The second homepage draft is ready for your approval.')
	).toBeVisible();
	// Drafts are for staff: the database never sends them to a client.
	await expect(page.getByText('Draft: build starts once the design is approved.')).toHaveCount(0);

	const documents = page.getByRole('region', { name: 'Recent documents' });
	// The newest five (other tests upload files, so which ones varies), and the way to all.
	await expect(documents.getByRole('listitem').first()).toBeVisible();
	expect(await documents.getByRole('listitem').count()).toBeLessThanOrEqual(5);
	await expect(documents.getByRole('link', { name: 'All documents' })).toBeVisible();
	// Nothing of another account.
	await expect(page.getByText('Home survey.pdf')).toHaveCount(0);
	await expect(page.getByText('Globex Household')).toHaveCount(0);

	// The navigation counts what is waiting.
	const nav = page.getByRole('navigation', { name: 'Acme Corporation sections' });
	await expect(nav.getByRole('link', { name: /Approvals 1 waiting for you/ })).toBeVisible();

	await expectNoAxeViolations(page);
	await screenshots(page, 'overview');
});

test('a billing user sees finances, people and activity, and no content', async ({ page }) => {
	await signInWithPassword(page, 'bill@acme.example.com');
	await expect(page).toHaveURL(`/accounts/${ACME}`);
	await expect(page.getByRole('heading', { name: 'Finances' })).toBeVisible();
	const nav = page.getByRole('navigation', { name: 'Acme Corporation sections' });
	await expect(nav.getByRole('link')).toHaveText(['Overview', 'Activity', 'People']);
	await expect(page.getByText('Statement of work.pdf')).toHaveCount(0);
	await expectNoAxeViolations(page);
});

test('someone in two accounts switches between them from the header', async ({ page }) => {
	await signInWithPassword(page, 'nina@consultant.example.com');
	await expect(page).toHaveURL(CLIENT_HOME);
	const switcher = page.getByRole('banner').getByLabel('Account');
	await switcher.selectOption({ label: 'Globex Household' });
	await expect(page).toHaveURL(`/accounts/${GLOBEX}`);
	await expect(page.getByRole('heading', { name: 'Globex Household', level: 1 })).toBeVisible();
	await expect(page.getByText('Welcome aboard! We will survey your kitchen first.')).toBeVisible();
	await expect(page.getByText('The second homepage draft is ready for your approval.')).toHaveCount(
		0
	);

	// The choice is remembered: the front door opens the account last looked at.
	await page.goto('/');
	await expect(page).toHaveURL(`/accounts/${GLOBEX}`);

	await page.getByRole('banner').getByLabel('Account').selectOption({ label: 'Acme Corporation' });
	await expect(page).toHaveURL(`/accounts/${ACME}`);
	// Nina is a viewer in Acme: the role is shown, and what she may do follows it.
	await expect(page.getByText('Your role:')).toContainText('Viewer');
	await expectNoAxeViolations(page);
});

test('the activity page lists what happened, newest first, with staff views marked', async ({
	page
}) => {
	await signInWithPassword(page, 'olivia@acme.example.com');
	// A staff member downloads a file: Olivia sees who did.
	const staff = await page.context().browser()!.newContext();
	const sam = await staff.newPage();
	await signInWithPassword(sam, 'sam@staff.example.com');
	await expect(sam).toHaveURL(/\/staff/);
	const download = await sam.request.get(
		'/documents/d0000000-0000-4000-8000-000000000002/download',
		{
			maxRedirects: 0
		}
	);
	expect(download.status()).toBe(303);
	await staff.close();

	await page.goto(`/accounts/${ACME}/activity`);
	await expect(page.getByRole('heading', { name: 'Activity', level: 1 })).toBeVisible();
	const first = page
		.getByRole('listitem')
		.filter({ hasText: 'Sam Staff downloaded Kick-off notes.txt' });
	await expect(first).toBeVisible();
	await expect(first.getByText('Staff', { exact: true })).toBeVisible();
	await expectNoAxeViolations(page);
	await screenshots(page, 'activity');
});

test('the activity page goes back in time a page at a time, without a total', async ({ page }) => {
	// Tess serves Globex: each download of one of its files is an entry Grace sees. Enough of
	// them for a second page (25 a page), whatever other tests added.
	const staff = await page.context().browser()!.newContext();
	const tess = await staff.newPage();
	await signInWithPassword(tess, 'tess@staff.example.com');
	await expect(tess).toHaveURL(/\/staff/);
	for (let i = 0; i < 26; i++) {
		const download = await tess.request.get(
			'/documents/d0000000-0000-4000-8000-000000000005/download',
			{ maxRedirects: 0 }
		);
		expect(download.status()).toBe(303);
	}
	await staff.close();

	await signInWithPassword(page, 'grace@globex.example.com');
	await expect(page).toHaveURL(`/accounts/${GLOBEX}`);
	await page.goto(`/accounts/${GLOBEX}/activity`);
	const pages = page.getByRole('navigation', { name: 'Activity pages' });
	await expect(pages.getByText('Page 1', { exact: true })).toBeVisible();
	await expect(pages.getByRole('link', { name: 'Previous page' })).toHaveCount(0);
	await expect(
		page.getByRole('region', { name: 'Activity, page 1' }).getByRole('listitem')
	).toHaveCount(25);

	await pages.getByRole('link', { name: 'Next page' }).click();
	await expect(page).toHaveURL(`/accounts/${GLOBEX}/activity?page=2`);
	await expect(pages.getByText('Page 2', { exact: true })).toBeVisible();
	await expect(
		page.getByRole('region', { name: 'Activity, page 2' }).getByRole('listitem').first()
	).toBeVisible();
	await expectNoAxeViolations(page);
	await pages.getByRole('link', { name: 'Previous page' }).click();
	await expect(page).toHaveURL(`/accounts/${GLOBEX}/activity`);

	// Past the last page: said so, not an empty list.
	const past = await page.goto(`/accounts/${GLOBEX}/activity?page=1000`);
	expect(past?.status()).toBe(404);
	await expect(page.getByText('That page of activity does not exist.')).toBeVisible();
});

test('an account a person does not belong to is a 404', async ({ page }) => {
	await signInWithPassword(page, 'grace@globex.example.com');
	await expect(page).toHaveURL(`/accounts/${GLOBEX}`);
	for (const path of [`/accounts/${ACME}`, `/accounts/${ACME}/activity`, '/accounts/not-a-uuid']) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(404);
	}
});
