import { createClient } from '@supabase/supabase-js';
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { Database } from '../../src/lib/database.types';
import {
	ACME,
	DEMO_PASSWORD,
	expectNoAxeViolations,
	GLOBEX,
	screenshots,
	signInWithPassword
} from './helpers';

const TESS = 'a0000000-0000-4000-8000-000000000003';

async function signIn(page: Page, email: string) {
	await signInWithPassword(page, email);
	await expect(page).toHaveURL('/staff');
	await page.waitForLoadState('networkidle');
}

/** Ada, straight to the data API: an oracle for the counts, and a factory for test rows. */
async function adaClient() {
	const client = createClient<Database>(
		process.env.PUBLIC_SUPABASE_URL!,
		process.env.PUBLIC_SUPABASE_PUBLISHABLE_KEY!,
		{ auth: { persistSession: false, autoRefreshToken: false } }
	);
	const { error } = await client.auth.signInWithPassword({
		email: 'ada@staff.example.com',
		password: DEMO_PASSWORD
	});
	expect(error).toBeNull();
	return client;
}

/** What is open in an account, counted from the tables themselves (not the view). */
async function expectedOpenItems(accountId: string) {
	const ada = await adaClient();
	const today = new Date().toISOString().slice(0, 10);
	const { data: requests } = await ada
		.from('file_requests')
		.select('status, due_on')
		.eq('account_id', accountId);
	const { count: approvals } = await ada
		.from('approvals')
		.select('id', { count: 'exact', head: true })
		.eq('account_id', accountId)
		.eq('status', 'pending');
	const open = (requests ?? []).filter((r) => r.status === 'open');
	return [
		open.length,
		open.filter((r) => r.due_on !== null && r.due_on < today).length,
		(requests ?? []).filter((r) => r.status === 'submitted').length,
		approvals ?? 0
	].map(String);
}

function accountsTable(page: Page) {
	return page.getByRole('region', { name: /Client accounts, with what is open/ });
}

async function search(page: Page, values: { q?: string; status?: string; staff?: string }) {
	if (values.q !== undefined) await page.getByLabel('Account name').first().fill(values.q);
	if (values.status) await page.getByLabel('Status').selectOption({ label: values.status });
	if (values.staff) await page.getByLabel('Assigned staff').selectOption({ label: values.staff });
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	await page.waitForLoadState('networkidle');
}

// Each test walks many page states, each checked by axe: more than the default 30 s on a
// busy machine.
test.describe.configure({ timeout: 90_000 });

test('an admin searches and filters the clients list and sees what is open', async ({ page }) => {
	await signIn(page, 'ada@staff.example.com');
	await expect(page.getByRole('heading', { name: 'Client accounts', level: 1 })).toBeVisible();

	const nav = page.getByRole('navigation', { name: 'Staff' });
	await expect(nav.getByRole('link')).toHaveText([
		'Client accounts',
		'Post an update',
		'Team',
		'Branding'
	]);
	await expect(nav.getByRole('link', { name: 'Client accounts' })).toHaveAttribute(
		'aria-current',
		'page'
	);
	await expectNoAxeViolations(page);

	// The open items of each seeded account, counted from the tables (other specs add requests
	// and approvals; on a fresh stack this is the seed: Acme 2 open, 1 overdue, 1 approval).
	for (const [name, id] of [
		['Acme Corporation', ACME],
		['Globex Household', GLOBEX]
	] as const) {
		const row = accountsTable(page).getByRole('row', { name: new RegExp(name) });
		await expect(row.getByRole('cell').nth(2)).toHaveText(
			name === 'Acme Corporation' ? 'Sam Staff' : 'Tess Staff'
		);
		const counts = row.getByRole('cell');
		const expected = await expectedOpenItems(id);
		for (const [i, value] of expected.entries()) {
			await expect(counts.nth(3 + i), `${name} column ${i}`).toHaveText(value);
		}
	}

	// Search: case-insensitive, part of the name; the URL is a link to the same list.
	await search(page, { q: 'acm' });
	await expect(page).toHaveURL(/[?&]q=acm/);
	await expect(accountsTable(page).getByRole('link', { name: 'Acme Corporation' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Globex Household' })).toHaveCount(0);
	await expect(page.getByRole('status').filter({ hasText: 'matching “acm”' })).toBeVisible();
	await expectNoAxeViolations(page);

	// Status: the seeded accounts are active.
	await search(page, { q: '', status: 'Archived' });
	await expect(page.getByRole('link', { name: 'Acme Corporation' })).toHaveCount(0);
	await search(page, { status: 'All' });
	await expect(page.getByRole('link', { name: 'Acme Corporation' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Globex Household' })).toBeVisible();

	// Assigned staff: Sam serves Acme, Tess serves Globex.
	await search(page, { status: 'Active', staff: 'Sam Staff' });
	await expect(page.getByRole('link', { name: 'Acme Corporation' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Globex Household' })).toHaveCount(0);
	await search(page, { staff: 'Tess Staff' });
	await expect(page.getByRole('link', { name: 'Globex Household' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Acme Corporation' })).toHaveCount(0);
	await expect(page).toHaveURL(new RegExp(`staff=${TESS}`));
	await search(page, { staff: 'Unassigned' });
	await expect(page.getByRole('link', { name: 'Acme Corporation' })).toHaveCount(0);
	await expect(page.getByRole('link', { name: 'Globex Household' })).toHaveCount(0);

	// Nothing matches: say so, and offer the way back.
	await search(page, { q: 'no account is called this', staff: 'Anyone' });
	await expect(page.getByText('No accounts match these filters.')).toBeVisible();
	await expectNoAxeViolations(page);
	await page.getByRole('link', { name: 'Clear filters' }).first().click();
	await expect(page).toHaveURL('/staff');
	await expect(page.getByRole('link', { name: 'Globex Household' })).toBeVisible();

	// Parameters nobody offered are ignored with a message, never a server error.
	const response = await page.goto('/staff?status=deleted&staff=not-a-uuid&page=abc&q=');
	expect(response?.status()).toBe(200);
	await expect(page.getByText('The status filter was not recognised')).toBeVisible();
	await expect(page.getByText('The staff filter was not recognised')).toBeVisible();
	await expect(page.getByRole('link', { name: 'Acme Corporation' })).toBeVisible();
	const pastTheEnd = await page.goto('/staff?page=400');
	expect(pastTheEnd?.status()).toBe(404);

	await page.goto('/staff');
	await screenshots(page, 'staff-clients');

	// The team page, reached from the navigation.
	await page.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'Team' }).click();
	await expect(page.getByRole('heading', { name: 'Team', level: 1 })).toBeVisible();
	await expect(
		page.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'Team' })
	).toHaveAttribute('aria-current', 'page');
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);
});

test('an admin creates an account, renames, archives and reactivates it', async ({ page }) => {
	const name = `Test client ${Date.now()}`;
	await signIn(page, 'ada@staff.example.com');

	// An empty name is refused next to the field, and nothing is created.
	const create = page.getByRole('region', { name: 'New client account' });
	await create.getByRole('button', { name: 'Create account' }).click();
	await expect(create.getByText('Enter a name for the account')).toBeVisible();
	await expect(create.getByLabel('Account name')).toBeFocused();
	await expectNoAxeViolations(page);

	await create.getByLabel('Account name').fill(name);
	await create.getByRole('button', { name: 'Create account' }).click();
	await expect(page).toHaveURL(/\/staff\/accounts\/[0-9a-f-]{36}\?notice=account-created$/);
	const accountUrl = page.url().replace(/\?.*$/, '');
	await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
	await expect(page.getByRole('status').getByText(/invite its first client/)).toBeVisible();
	const nextSteps = page.getByRole('region', { name: 'Next steps' });
	await expect(nextSteps.getByRole('link', { name: 'Invite the first client' })).toBeVisible();
	await expect(
		nextSteps.getByRole('link', { name: 'Assign staff on the Team page' })
	).toHaveAttribute('href', '/staff/team');
	const sections = page.getByRole('navigation', { name: 'Account sections' });
	await expect(sections.getByRole('link')).toHaveText([
		'Overview',
		'Documents',
		'Requests',
		'Messages',
		'Projects',
		'Approvals',
		'Activity',
		'Preview as a client'
	]);
	const openItems = page.getByRole('region', { name: 'Open items' });
	await expect(openItems.getByRole('definition')).toHaveText(['0', '0', '0', '0']);
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);

	// It is in the list, active, with nobody assigned yet.
	await page
		.getByRole('navigation', { name: 'Staff' })
		.getByRole('link', { name: 'Client accounts' })
		.click();
	await search(page, { q: name });
	const row = accountsTable(page).getByRole('row', { name: new RegExp(name) });
	await expect(row.getByRole('cell').nth(0)).toHaveText('Active');
	await expect(row.getByRole('cell').nth(1)).toHaveText('0');
	await expect(row.getByRole('cell').nth(2)).toHaveText('Unassigned');

	// Rename.
	await page.goto(accountUrl);
	const renamed = `${name} (renamed)`;
	const settings = page.getByRole('region', { name: 'Account settings' });
	await settings.getByLabel('Account name').fill(renamed);
	await settings.getByRole('button', { name: 'Rename' }).click();
	await expect(settings.getByText(`Renamed to ${renamed}.`)).toBeVisible();
	await expect(page.getByRole('heading', { name: renamed, level: 1 })).toBeVisible();

	// Archive, after a question asked on the page (no browser dialog).
	await settings.getByRole('link', { name: 'Archive account' }).click();
	const question = page.getByRole('group', { name: `Archive ${renamed}?` });
	await expect(question).toBeVisible();
	await expectNoAxeViolations(page);
	await screenshots(page, 'staff-account-archive');
	await question.getByRole('link', { name: 'Cancel' }).click();
	await expect(question).toHaveCount(0);
	await settings.getByRole('link', { name: 'Archive account' }).click();
	await page.getByRole('button', { name: 'Yes, archive the account' }).click();
	await expect(page.getByText('The account was archived.')).toBeVisible();
	await expect(page.getByRole('main').getByText('Archived', { exact: true })).toBeVisible();

	// Archived accounts leave the default list, and are one filter away.
	await page.goto(`/staff?q=${encodeURIComponent(renamed)}`);
	await expect(page.getByText('No accounts match these filters.')).toBeVisible();
	await page.goto(`/staff?q=${encodeURIComponent(renamed)}&status=archived`);
	await expect(accountsTable(page).getByRole('link', { name: renamed })).toBeVisible();

	// Reactivate.
	await page.goto(accountUrl);
	await settings.getByRole('link', { name: 'Reactivate account' }).click();
	await page.getByRole('button', { name: 'Yes, reactivate the account' }).click();
	await expect(page.getByText('The account is active again.')).toBeVisible();
	await page.goto(`/staff?q=${encodeURIComponent(renamed)}`);
	await expect(accountsTable(page).getByRole('link', { name: renamed })).toBeVisible();
});

test('a search with %, _ or \\ matches those characters literally', async ({ page }) => {
	const token = `Lit${Date.now()}`;
	const ada = await adaClient();
	const { error } = await ada
		.from('client_accounts')
		.insert([
			{ name: `${token} 50% off` },
			{ name: `${token} 50X off` },
			{ name: `${token} snake_case` },
			{ name: `${token} snakeXcase` },
			{ name: `${token} back\\slash` }
		]);
	expect(error).toBeNull();

	await signIn(page, 'ada@staff.example.com');
	const links = accountsTable(page).getByRole('link');

	await search(page, { q: `${token} 50%` });
	await expect(links).toHaveText([`${token} 50% off`]);
	await search(page, { q: 'e_c' });
	await expect(
		accountsTable(page).getByRole('link', { name: `${token} snake_case` })
	).toBeVisible();
	await expect(page.getByRole('link', { name: `${token} snakeXcase` })).toHaveCount(0);
	await search(page, { q: 'k\\s' });
	await expect(links).toHaveText([`${token} back\\slash`]);
	// A lone wildcard character finds only names that contain it.
	await search(page, { q: '%' });
	await expect(page.getByRole('link', { name: `${token} 50% off` })).toBeVisible();
	await expect(page.getByRole('link', { name: `${token} 50X off` })).toHaveCount(0);
	await expect(page.getByRole('link', { name: 'Acme Corporation' })).toHaveCount(0);
});

async function pageFor(browser: Browser, email: string) {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, email);
	return page;
}

test('staff see only their accounts, without the staff filter or account creation', async ({
	page,
	browser
}) => {
	await signIn(page, 'sam@staff.example.com');
	await expect(accountsTable(page).getByRole('link', { name: 'Acme Corporation' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Globex Household' })).toHaveCount(0);
	await expect(page.getByLabel('Assigned staff')).toHaveCount(0);
	await expect(page.getByRole('heading', { name: 'New client account' })).toHaveCount(0);
	await expect(page.getByRole('navigation', { name: 'Staff' }).getByRole('link')).toHaveText([
		'Client accounts',
		'Post an update'
	]);
	await expectNoAxeViolations(page);

	// A staff filter in the URL is not for them: ignored, and said so.
	await page.goto(`/staff?staff=${TESS}`);
	await expect(page.getByText('Only admins filter by staff member')).toBeVisible();
	await expect(page.getByRole('link', { name: 'Acme Corporation' })).toBeVisible();

	// A crafted create is refused, and nothing is created.
	const name = `Crafted by Sam ${Date.now()}`;
	const origin = new URL(page.url()).origin;
	const response = await page.request.post('/staff?/create', {
		form: { name },
		headers: { origin, accept: 'application/json' }
	});
	const body = await response.json();
	expect(body.type).toBe('failure');
	expect(body.status).toBe(403);
	const ada = await pageFor(browser, 'ada@staff.example.com');
	await ada.goto(`/staff?q=${encodeURIComponent(name)}&status=all`);
	await expect(ada.getByText('No accounts match these filters.')).toBeVisible();
	await ada.context().close();

	// Acme's page: what is open, and the way into its portal sections.
	await page.goto(`/staff/accounts/${ACME}`);
	const expected = await expectedOpenItems(ACME);
	await expect(page.getByRole('region', { name: 'Open items' }).getByRole('definition')).toHaveText(
		expected
	);
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);
	await screenshots(page, 'staff-account');

	await page
		.getByRole('navigation', { name: 'Account sections' })
		.getByRole('link', { name: 'Documents' })
		.click();
	await expect(page).toHaveURL(`/accounts/${ACME}/documents`);
	const strip = page.getByRole('navigation', { name: 'Staff view' });
	await expect(strip.getByRole('link', { name: 'Preview as a client' })).toHaveAttribute(
		'href',
		`/staff/accounts/${ACME}/preview`
	);
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);
	await screenshots(page, 'staff-portal-strip');
	await strip.getByRole('link', { name: 'Account overview' }).click();
	await expect(page).toHaveURL(`/staff/accounts/${ACME}`);
});

test('clients see no staff strip in their portal', async ({ page }) => {
	await signInWithPassword(page, 'olivia@acme.example.com');
	await expect(page).toHaveURL(`/accounts/${ACME}`);
	await expect(page.getByRole('navigation', { name: 'Acme Corporation sections' })).toBeVisible();
	await expect(page.getByRole('navigation', { name: 'Staff view' })).toHaveCount(0);
	await expect(page.getByRole('link', { name: 'Preview as a client' })).toHaveCount(0);
});
