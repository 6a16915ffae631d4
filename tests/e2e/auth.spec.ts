import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { createClient } from '@supabase/supabase-js';
import { readAuthMail, waitForMail } from '../support/inbox';
import { CLIENT_HOME, DEMO_PASSWORD, signInWithPassword } from './helpers';

test('a client signs in with a password, sees their documents, and signs out', async ({ page }) => {
	await signInWithPassword(page, 'olivia@acme.example.com');
	await expect(page).toHaveURL(CLIENT_HOME);
	await expect(page.getByRole('heading', { name: 'Acme Corporation' })).toBeVisible();
	// Their documents (found by name: other tests add files to the lists).
	await page.goto(`${new URL(page.url()).pathname}/documents?q=Statement`);
	await expect(page.getByRole('link', { name: 'Download Statement of work.pdf' })).toBeVisible();
	// Another account's documents never appear.
	await page.goto(`${new URL(page.url()).pathname}?q=Home survey`);
	await expect(page.getByText('Home survey.pdf')).toHaveCount(0);

	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/sign-in/);
	await page.goto('/');
	await expect(page).toHaveURL(/\/sign-in\?redirectTo=%2F/);
});

test('a wrong password shows a clear error and no session', async ({ page }) => {
	await signInWithPassword(page, 'olivia@acme.example.com', 'wrong-password');
	await expect(page.getByText(/email or password is incorrect/i)).toBeVisible();
	await expect(page).toHaveURL(/\/sign-in/);
});

test('a client signs in with the link emailed to the inbox', async ({ page }) => {
	const email = 'gus@globex.example.com';
	await page.goto('/sign-in');
	await page.getByRole('link', { name: /email me a sign-in link/i }).click();
	await page.waitForURL(/\/sign-in\/email/);
	// Typing before hydration finishes can be lost (see the closing note of issue 2).
	await page.waitForLoadState('networkidle');
	const since = new Date();
	await page.getByLabel('Email').fill(email);
	await page.getByRole('button', { name: /send/i }).click();
	await expect(page.getByText(/check your inbox/i)).toBeVisible();

	const mail = await waitForMail(email, since);
	await page.goto(readAuthMail(mail).link.href);
	await expect(page).toHaveURL(CLIENT_HOME);
	await expect(page.getByRole('heading', { name: 'Globex Household' })).toBeVisible();
});

test('protected pages send a signed-out visitor to sign in and back', async ({ page }) => {
	await page.goto('/staff');
	await expect(page).toHaveURL(/\/sign-in\?redirectTo=%2Fstaff/);
	await page.getByLabel('Email').fill('ada@staff.example.com');
	await page.getByLabel('Password', { exact: true }).fill('portal-demo-2026');
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page).toHaveURL('/staff');
	await expect(page.getByText('Acme Corporation')).toBeVisible();
	await expect(page.getByText('Globex Household')).toBeVisible();
});

test('a redirect after sign-in never leaves the site', async ({ page }) => {
	await page.goto('/sign-in?redirectTo=//evil.example.com/phish');
	await page.getByLabel('Email').fill('mark@acme.example.com');
	await page.getByLabel('Password', { exact: true }).fill('portal-demo-2026');
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page).toHaveURL(CLIENT_HOME);
});

test('a client cannot open the staff pages', async ({ page }) => {
	await signInWithPassword(page, 'olivia@acme.example.com');
	await expect(page).toHaveURL(CLIENT_HOME);
	const response = await page.goto('/staff');
	expect(response?.status()).toBe(403);
});

test('the sign-in page has no accessibility violations', async ({ page }) => {
	await page.goto('/sign-in');
	const results = await new AxeBuilder({ page }).analyze();
	expect(results.violations).toEqual([]);
});

test('the app works under its Content-Security-Policy, with no violations', async ({ page }) => {
	const violations: string[] = [];
	page.on('console', (message) => {
		if (/content security policy/i.test(message.text())) violations.push(message.text());
	});
	const response = await page.goto('/sign-in');
	const policy = response?.headers()['content-security-policy'] ?? '';
	expect(policy).toContain("script-src 'self' 'nonce-");
	expect(policy).toContain("frame-ancestors 'none'");

	await page.getByLabel('Email').fill('olivia@acme.example.com');
	await page.getByLabel('Password', { exact: true }).fill('portal-demo-2026');
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Acme Corporation' })).toBeVisible();
	expect(violations).toEqual([]);
});

test('a forgotten password is reset through the emailed link', async ({ page }) => {
	const email = 'tess@staff.example.com';
	await page.goto('/sign-in');
	await page.getByRole('link', { name: /forgot password/i }).click();
	await page.waitForURL(/\/forgot-password/);
	await page.waitForLoadState('networkidle');
	const since = new Date();
	await page.getByLabel('Email address').fill(email);
	await page.getByRole('button', { name: 'Send the link' }).click();
	await expect(page.getByRole('heading', { name: 'Check your inbox' })).toBeVisible();

	const mail = await waitForMail(email, since);
	expect(mail.subject).toBe('Reset your client portal password');
	await page.goto(readAuthMail(mail).link.href);
	await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
	await page.getByLabel('New password', { exact: true }).fill('a-brand-new-password-7');
	await page.getByLabel('New password again').fill('a-brand-new-password-7');
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page).toHaveURL(/\/staff/);

	await page.getByRole('button', { name: 'Sign out' }).click();
	await signInWithPassword(page, email, 'portal-demo-2026');
	await expect(page.getByText(/email or password is incorrect/i)).toBeVisible();
	await signInWithPassword(page, email, 'a-brand-new-password-7');
	await expect(page).toHaveURL('/staff');

	// Put Tess's demo password back: later suites (tests/security) sign her in with it.
	const tess = createClient(
		process.env.PUBLIC_SUPABASE_URL!,
		process.env.PUBLIC_SUPABASE_PUBLISHABLE_KEY!,
		{ auth: { persistSession: false } }
	);
	await tess.auth.signInWithPassword({ email, password: 'a-brand-new-password-7' });
	const { error } = await tess.auth.updateUser({ password: DEMO_PASSWORD });
	expect(error).toBeNull();
});

for (const [who, email, path] of [
	[
		'client account overview',
		'vera@acme.example.com',
		'/accounts/10000000-0000-4000-8000-00000000ac01'
	],
	['staff clients list', 'ada@staff.example.com', '/staff']
] as const) {
	test(`the ${who} has no accessibility violations`, async ({ page }) => {
		await signInWithPassword(page, email);
		await expect(page).toHaveURL(path);
		const results = await new AxeBuilder({ page }).analyze();
		expect(results.violations).toEqual([]);
	});
}

test('a client downloads their own document, never another account’s', async ({ page }) => {
	const acmeDocument = 'd0000000-0000-4000-8000-000000000002'; // Kick-off notes.txt
	const globexDocument = 'd0000000-0000-4000-8000-000000000004'; // Home survey.pdf
	await signInWithPassword(page, 'mark@acme.example.com');
	await expect(page).toHaveURL(CLIENT_HOME);

	const own = await page.request.get(`/documents/${acmeDocument}/download`);
	expect(own.status()).toBe(200);
	expect(await own.text()).toContain('Kick-off notes');

	const foreign = await page.request.get(`/documents/${globexDocument}/download`, {
		maxRedirects: 0
	});
	expect(foreign.status()).toBe(404);
});
