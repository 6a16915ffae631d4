import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createClient } from '@supabase/supabase-js';
import type { Database } from '../../src/lib/database.types';

export const DEMO_PASSWORD = 'portal-demo-2026';

export async function signInWithPassword(page: Page, email: string, password = DEMO_PASSWORD) {
	await page.goto('/sign-in', { waitUntil: 'networkidle' });
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Where a client lands after signing in: the overview of one of their accounts. */
export const CLIENT_HOME = /\/accounts\/[0-9a-f-]{36}$/;

/** The demo accounts (supabase/seed.sql). */
export const ACME = '10000000-0000-4000-8000-00000000ac01';
export const GLOBEX = '20000000-0000-4000-8000-00000000910b';

/** Waits until the app has hydrated the page (the root layout marks <html>). */
export async function waitForHydration(page: Page) {
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
}

/** axe (WCAG rules included) finds nothing on the page as it is now. */
export async function expectNoAxeViolations(page: Page) {
	const results = await new AxeBuilder({ page }).analyze();
	expect(results.violations).toEqual([]);
}

/**
 * Full-page screenshots at phone and desktop widths, kept with the run's reports
 * (.local/reports/e2e/); the page is left at desktop width.
 */
export async function screenshots(page: Page, name: string) {
	for (const [label, width, height] of [
		['phone', 390, 844],
		['desktop', 1280, 800]
	] as const) {
		await page.setViewportSize({ width, height });
		await page.screenshot({ path: test.info().outputPath(`${name}-${label}.png`), fullPage: true });
	}
}

/** supabase-js as one of the demo people, the way the browser talks to the API. */
export async function apiAs(email: string) {
	const client = createClient<Database>(
		process.env.PUBLIC_SUPABASE_URL!,
		process.env.PUBLIC_SUPABASE_PUBLISHABLE_KEY!,
		{ auth: { persistSession: false, autoRefreshToken: false } }
	);
	const signedIn = await client.auth.signInWithPassword({ email, password: DEMO_PASSWORD });
	expect(signedIn.error).toBeNull();
	return client;
}
