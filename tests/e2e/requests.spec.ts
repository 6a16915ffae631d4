import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import {
	ACME,
	CLIENT_HOME,
	expectNoAxeViolations,
	GLOBEX,
	screenshots,
	signInWithPassword
} from './helpers';

async function signInAsClient(page: Page, email: string) {
	await signInWithPassword(page, email);
	await expect(page).toHaveURL(CLIENT_HOME);
}

/** One request on the page, found by its title. */
const requestCard = (page: Page, title: string) =>
	page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title, level: 3 }) });

test('a client sees what is overdue and sends a file into a request, which becomes submitted', async ({
	page
}) => {
	await signInAsClient(page, 'olivia@acme.example.com');
	await page
		.getByRole('navigation', { name: 'Acme Corporation sections' })
		.getByRole('link', { name: /Requests/ })
		.click();
	await expect(page).toHaveURL(`/accounts/${ACME}/requests`);
	await expect(page.getByRole('heading', { name: 'File requests', level: 1 })).toBeVisible();

	const statement = requestCard(page, 'Signed statement of work');
	await expect(statement.getByText('Overdue')).toBeVisible();
	await expect(statement).toContainText('Print, sign and scan the statement of work');

	const logo = requestCard(page, 'Logo in vector format');
	await expect(logo.getByText('Overdue')).toHaveCount(0);
	await expect(logo).toContainText(/Due \d+ \w+ \d{4}/);
	await expect(logo).toContainText('An SVG, EPS or PDF of your logo');
	await expect(logo.getByText(/Status:.*Open/)).toBeVisible();
	await expect(logo).toContainText('No files yet.');
	// Open requests come first: the soonest due (overdue) at the top.
	await expect(page.getByRole('heading', { level: 3 }).first()).toHaveText(
		'Signed statement of work'
	);
	// Another account's request never shows.
	await expect(page.getByText('Floor plan')).toHaveCount(0);
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);
	await screenshots(page, 'requests');

	// Olivia sends a PDF into the logo request (the bytes of a seeded PDF, under a new name).
	const name = `Acme logo ${Date.now()}.pdf`;
	await logo.getByLabel('Choose files').setInputFiles({
		name,
		mimeType: 'application/pdf',
		buffer: readFileSync('supabase/seed-files/Homepage design.pdf')
	});
	await expect(logo.getByText(`${name}: Uploaded`)).toBeVisible();
	// The database marks the request submitted, and the file is listed in it.
	await expect(logo.getByText(/Status:.*Submitted/)).toBeVisible();
	await expect(logo.getByRole('link', { name: new RegExp(name) })).toBeVisible();
	await expect(logo).not.toContainText('No files yet.');

	// Still so after a reload: it is the database's state, not the page's.
	await page.reload();
	const reloaded = requestCard(page, 'Logo in vector format');
	await expect(reloaded.getByText(/Status:.*Submitted/)).toBeVisible();
	await expect(reloaded.getByRole('link', { name: new RegExp(name) })).toHaveAttribute(
		'href',
		/^\/documents\/[0-9a-f-]{36}\/download$/
	);
	// A submitted request still takes more files.
	await expect(reloaded.getByLabel('Choose files')).toBeAttached();
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);
	await screenshots(page, 'requests-submitted');
});

test('a viewer reads the requests and gets no upload control', async ({ page }) => {
	await signInAsClient(page, 'vera@acme.example.com');
	await page.goto(`/accounts/${ACME}/requests`);
	await expect(requestCard(page, 'Signed statement of work')).toBeVisible();
	await expect(requestCard(page, 'Logo in vector format')).toBeVisible();
	await expect(page.getByLabel('Choose files')).toHaveCount(0);
	await expect(page.locator('input[type=file]')).toHaveCount(0);
	await expect(page.getByText(/owners and members send the files/)).toBeVisible();
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);
	await screenshots(page, 'requests-viewer');
});

test('Globex sees only its own request; Acme’s requests are a 404', async ({ page }) => {
	await signInAsClient(page, 'grace@globex.example.com');
	await page.goto(`/accounts/${GLOBEX}/requests`);
	await expect(requestCard(page, 'Floor plan')).toBeVisible();
	await expect(page.getByText('Logo in vector format')).toHaveCount(0);
	await expect(page.getByText('Signed statement of work')).toHaveCount(0);
	const response = await page.goto(`/accounts/${ACME}/requests`);
	expect(response?.status()).toBe(404);
	await expect(page.getByText('Logo in vector format')).toHaveCount(0);
});
