import { expect, test, type Page } from '@playwright/test';
import {
	ACME,
	CLIENT_HOME,
	expectNoAxeViolations,
	GLOBEX,
	screenshots,
	signInWithPassword
} from './helpers';

const WEBSITE = 'b1000000-0000-4000-8000-000000000001';
const KITCHEN = 'b1000000-0000-4000-8000-000000000002';

async function signInAsClient(page: Page, email: string) {
	await signInWithPassword(page, email);
	await expect(page).toHaveURL(CLIENT_HOME);
}

test('a client follows the project: progress, milestones and published updates only', async ({
	page
}) => {
	await signInAsClient(page, 'olivia@acme.example.com');
	await page
		.getByRole('navigation', { name: 'Acme Corporation sections' })
		.getByRole('link', { name: 'Projects' })
		.click();
	await expect(page).toHaveURL(`/accounts/${ACME}/projects`);
	await expect(page.getByRole('heading', { name: 'Projects', level: 1 })).toBeVisible();

	const card = page.getByRole('listitem').filter({
		has: page.getByRole('heading', { name: 'Website redesign' })
	});
	await expect(card.getByText('Active')).toBeVisible();
	const progress = card.getByRole('progressbar', { name: '1 of 4 milestones done' });
	await expect(progress).toBeVisible();
	await expect(progress).toHaveAttribute('value', '1');
	await expect(progress).toHaveAttribute('max', '4');
	await expect(card.getByText(/Next milestone: Homepage design · due \d+ \w+ \d{4}/)).toBeVisible();
	await expect(
		card.getByText('The second homepage draft is ready for your approval.')
	).toBeVisible();
	// Another account's project never shows, and drafts are for staff.
	await expect(page.getByText('Kitchen renovation')).toHaveCount(0);
	await expect(page.getByText('Draft: build starts once the design is approved.')).toHaveCount(0);
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);
	await screenshots(page, 'projects');

	await page.setViewportSize({ width: 1280, height: 800 });
	await card.getByRole('link', { name: 'Website redesign' }).click();
	await expect(page).toHaveURL(`/accounts/${ACME}/projects/${WEBSITE}`);
	await expect(page.getByRole('heading', { name: 'Website redesign', level: 1 })).toBeVisible();

	// Milestones in order, each state in words (not colour alone), the done one with its date.
	const milestones = page.getByRole('region', { name: 'Milestones' }).getByRole('listitem');
	await expect(milestones).toHaveCount(4);
	await expect(milestones.getByRole('heading')).toHaveText([
		'Discovery workshop',
		'Homepage design',
		'Build',
		'Launch'
	]);
	await expect(milestones.nth(0)).toContainText(/Done on \d+ \w+ \d{4}/);
	await expect(milestones.nth(1)).toContainText('In progress');
	await expect(milestones.nth(2)).toContainText('Planned');
	await expect(milestones.nth(3)).toContainText('Planned');
	await expect(page.getByRole('region', { name: 'Milestones' })).not.toContainText('Overdue');
	await expect(page.getByRole('progressbar', { name: '1 of 4 milestones done' })).toBeVisible();

	// Published updates, newest first, with who and when; never the draft.
	const updates = page.getByRole('region', { name: 'Status updates' }).getByRole('article');
	await expect(updates).toHaveCount(2);
	await expect(updates.nth(0)).toContainText(
		'The second homepage draft is ready for your approval.'
	);
	await expect(updates.nth(1)).toContainText('Discovery is done');
	await expect(updates.nth(0)).toContainText(/ · \d+ \w+ \d{4}/);
	await expect(page.getByText('Draft: build starts once the design is approved.')).toHaveCount(0);
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);
	await screenshots(page, 'project');
});

test('a viewer reads projects; Globex sees only its own; Acme’s project is a 404 to Grace', async ({
	page
}) => {
	await signInAsClient(page, 'vera@acme.example.com');
	await page.goto(`/accounts/${ACME}/projects/${WEBSITE}`);
	await expect(page.getByRole('heading', { name: 'Website redesign', level: 1 })).toBeVisible();
	await expect(page.getByRole('region', { name: 'Milestones' }).getByRole('listitem')).toHaveCount(
		4
	);
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/sign-in/);

	await signInAsClient(page, 'grace@globex.example.com');
	await page.goto(`/accounts/${GLOBEX}/projects`);
	await expect(page.getByRole('heading', { name: 'Kitchen renovation' })).toBeVisible();
	await expect(page.getByText('Website redesign')).toHaveCount(0);
	await expect(page.getByRole('progressbar', { name: '0 of 1 milestones done' })).toBeVisible();
	await page.getByRole('link', { name: 'Kitchen renovation' }).click();
	await expect(page).toHaveURL(`/accounts/${GLOBEX}/projects/${KITCHEN}`);
	await expect(page.getByText('Welcome aboard! We will survey your kitchen first.')).toBeVisible();

	for (const path of [
		`/accounts/${ACME}/projects`,
		`/accounts/${ACME}/projects/${WEBSITE}`,
		// Acme's project under Globex's address is no way in either.
		`/accounts/${GLOBEX}/projects/${WEBSITE}`
	]) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(404);
		await expect(page.getByText('Website redesign')).toHaveCount(0);
	}
});

test('a billing user has no projects, approvals or requests, and is told why', async ({ page }) => {
	await signInAsClient(page, 'bill@acme.example.com');
	const nav = page.getByRole('navigation', { name: 'Acme Corporation sections' });
	await expect(nav.getByRole('link', { name: /Overview/ })).toBeVisible();
	for (const section of ['Projects', 'Approvals', 'Requests']) {
		await expect(nav.getByRole('link', { name: new RegExp(section) })).toHaveCount(0);
	}
	for (const section of ['projects', 'approvals', 'requests']) {
		const response = await page.goto(`/accounts/${ACME}/${section}`);
		expect(response?.status()).toBe(403);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'You do not have access to this page'
		);
		await expect(page.getByText(/covers its finances only/)).toBeVisible();
		await expect(page.getByText('Website redesign')).toHaveCount(0);
	}
	await expectNoAxeViolations(page);
});
