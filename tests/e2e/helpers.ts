import type { Page } from '@playwright/test';

export const DEMO_PASSWORD = 'portal-demo-2026';

export async function signInWithPassword(page: Page, email: string, password = DEMO_PASSWORD) {
	await page.goto('/sign-in', { waitUntil: 'networkidle' });
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Where a client lands after signing in: the overview of one of their accounts. */
export const CLIENT_HOME = /\/accounts\/[0-9a-f-]{36}$/;
