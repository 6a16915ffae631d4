import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'portal-demo-2026';
export const inboxUrl = process.env.TEST_INBOX_URL ?? 'http://127.0.0.1:55324';

export async function signInWithPassword(page: Page, email: string, password = DEMO_PASSWORD) {
	await page.goto('/sign-in', { waitUntil: 'networkidle' });
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

interface Mail {
	subject: string;
	html: string;
	time: string;
	to: { address: string }[];
}

/** The newest mail to `address` sent after `since`, read from the local inbox. */
export async function latestMail(address: string, since: Date): Promise<Mail> {
	let found: Mail | undefined;
	await expect
		.poll(
			async () => {
				const mails = (await (await fetch(`${inboxUrl}/api/email`)).json()) as Mail[];
				found = mails
					.filter((m) => m.to.some((t) => t.address === address))
					.filter((m) => new Date(m.time).getTime() >= since.getTime() - 1000)
					.at(-1);
				return Boolean(found);
			},
			{ timeout: 15_000 }
		)
		.toBe(true);
	return found!;
}

export function linkIn(mail: Mail): string {
	const href = /href="([^"]+\/auth\/confirm[^"]*)"/.exec(mail.html)?.[1];
	if (!href) throw new Error(`no sign-in link in "${mail.subject}"`);
	return href.replaceAll('&amp;', '&');
}
