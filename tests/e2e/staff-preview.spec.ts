import { expect, test, type Page } from '@playwright/test';
import { readAuthMail, waitForMail } from '../support/inbox';
import { ACME, expectNoAxeViolations, screenshots, signInWithPassword } from './helpers';

/**
 * Preview as a client: Sam (serving Acme) sees Acme's portal as one chosen member sees it.
 * What the preview may show is decided by the database (public.preview_portal reads under the
 * member's identity; tests/db/staff-workspace.test.ts compares it with the member's own
 * reads); these tests check the page around it and that the wrong people get nothing.
 */

const OLIVIA = 'c0000000-0000-4000-8000-000000000001';
const BILL = 'c0000000-0000-4000-8000-000000000003';
const WEBSITE_PROJECT = 'b1000000-0000-4000-8000-000000000001';
/** The seeded draft update on Acme's website project: staff only. */
const DRAFT = 'Draft: build starts once the design is approved.';

async function signInAsSam(page: Page) {
	await signInWithPassword(page, 'sam@staff.example.com');
	await expect(page).toHaveURL(/\/staff$/);
}

test('Sam previews Acme as Olivia: marked read-only, without the draft he sees himself', async ({
	page
}) => {
	await signInAsSam(page);
	// Sam sees the draft on the project page (its text, and its editor holding the same)...
	await page.goto(`/accounts/${ACME}/projects/${WEBSITE_PROJECT}`);
	await expect(page.getByRole('paragraph').filter({ hasText: DRAFT })).toBeVisible();

	await page.goto(`/staff/accounts/${ACME}/preview`);
	await expect(page.getByRole('heading', { level: 1, name: 'Preview as a client' })).toBeVisible();
	await expectNoAxeViolations(page);
	await page.getByLabel('See the portal as').selectOption({ label: 'Olivia Owner · Owner' });
	await page.getByRole('button', { name: 'Show preview' }).click();
	await expect(page).toHaveURL(new RegExp(`/preview\\?member=${OLIVIA}$`));

	const preview = page.getByRole('region', { name: /Preview: Acme Corporation as Olivia Owner/ });
	await expect(preview).toBeVisible();
	await expect(preview.getByText(/Read-only/)).toBeVisible();
	// ...but Olivia does not, so neither does the preview; her published updates are there.
	await expect(
		preview.getByText('The second homepage draft is ready for your approval.')
	).toBeVisible();
	await expect(page.getByText(DRAFT)).toHaveCount(0);
	await expect(preview.getByText('Homepage design.pdf')).toBeVisible();
	await expect(preview.getByText('Homepage feedback', { exact: true })).toBeVisible();
	// Nothing in the preview can be changed: no form, no button.
	await expect(preview.locator('form')).toHaveCount(0);
	await expect(preview.getByRole('button')).toHaveCount(0);
	await expectNoAxeViolations(page);
	await screenshots(page, 'staff-preview-olivia');

	// The preview is recorded in the account's activity, which Olivia reads too.
	await page.goto(`/accounts/${ACME}/activity`);
	await expect(
		page.getByText('Sam Staff previewed the portal as Olivia Owner (read-only)').first()
	).toBeVisible();
});

test('a preview as the billing user shows no content, as the database returns none', async ({
	page
}) => {
	await signInAsSam(page);
	await page.goto(`/staff/accounts/${ACME}/preview?member=${BILL}`);
	const preview = page.getByRole('region', { name: /as Bill/ });
	await expect(preview.getByText('Billing users see finances only.')).toBeVisible();
	await expect(preview.getByText('No documents.')).toBeVisible();
	await expect(preview.getByText('No conversations.')).toBeVisible();
	await expect(preview.getByText('No approvals.')).toBeVisible();
	await expectNoAxeViolations(page);

	// A link naming someone who is not in Acme gets the choice again, not an error page.
	await page.goto(`/staff/accounts/${ACME}/preview?member=c0000000-0000-4000-8000-000000000005`);
	await expect(page.getByRole('alert')).toContainText('not a member of Acme Corporation');
	await expect(page.getByRole('region', { name: /Preview:/ })).toHaveCount(0);
});

test('staff who do not serve Acme get nothing of it, preview included', async ({ page }) => {
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

	for (const path of [
		`/staff/accounts/${ACME}/preview`,
		`/staff/accounts/${ACME}/preview?member=${OLIVIA}`,
		`/accounts/${ACME}`,
		`/accounts/${ACME}/documents`,
		`/accounts/${ACME}/messages`
	]) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(404);
		await expect(page.getByText('Olivia Owner')).toHaveCount(0);
		await expect(page.getByText('Homepage feedback')).toHaveCount(0);
	}
});
