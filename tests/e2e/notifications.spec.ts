import { expect, test, type Browser, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEV_SECRET_KEY } from '../../scripts/stack.ts';
import type { Mail } from '../support/inbox';
import {
	ACME,
	apiAs,
	CLIENT_HOME,
	expectNoAxeViolations,
	screenshots,
	signInWithPassword
} from './helpers';

/**
 * The bell, the notifications page, the email preferences and the unsubscribe link. Other
 * specs create events too: counts are compared before and after, and every notification
 * checked here is about a conversation with a subject of its own.
 */

const SAM = 'sam@staff.example.com';
const OLIVIA = 'olivia@acme.example.com';
const MARK = 'mark@acme.example.com';
const root = path.join(import.meta.dirname, '..', '..');

/** Sam starts a conversation in Acme: its clients are notified ("Sam Staff wrote in …"). */
async function samStartsThread(subject: string): Promise<string> {
	const sam = await apiAs(SAM);
	const started = await sam.rpc('start_thread', {
		p_account_id: ACME,
		p_subject: subject,
		p_body: 'Checking how notifications reach you.',
		p_document_ids: []
	});
	expect(started.error).toBeNull();
	return started.data!;
}

const sentence = (subject: string) => `Sam Staff wrote in “${subject}”`;

async function signIn(page: Page, email: string) {
	await signInWithPassword(page, email);
	await expect(page).toHaveURL(email.endsWith('@staff.example.com') ? '/staff' : CLIENT_HOME);
}

const bell = (page: Page) =>
	page.getByRole('banner').getByRole('link', { name: /^Notifications(, \d+ unread)?$/ });

/** The unread count the header shows (0 when it shows none). */
async function bellCount(page: Page): Promise<number> {
	await expect(bell(page)).toBeVisible();
	const name = (await bell(page).getAttribute('aria-label')) ?? '';
	return Number(/(\d+)\s*unread/.exec(name)?.[1] ?? 0);
}

/** A form post from this site, as the page's own forms make it (SvelteKit checks Origin). */
function postForm(page: Page, url: string, form: Record<string, string>) {
	return page.request.post(url, { form, headers: { origin: new URL(page.url()).origin } });
}

/** The page's own preferences, as saved (no rows: every kind at its default). */
async function savedPreferences(email: string) {
	const client = await apiAs(email);
	const { data, error } = await client.from('notification_preferences').select('kind, frequency');
	expect(error).toBeNull();
	return data;
}

/** Sends every email due, as operators run it (scripts/worker.ts), against the test stack. */
async function drainWorker() {
	await promisify(execFile)(
		path.join(root, 'node_modules', '.bin', 'node'),
		[path.join(root, 'scripts', 'worker.ts'), '--drain'],
		{
			cwd: root,
			timeout: 60_000,
			env: {
				...process.env,
				SUPABASE_URL: process.env.PUBLIC_SUPABASE_URL,
				SUPABASE_SECRET_KEY: DEV_SECRET_KEY,
				SMTP_URL: process.env.SMTP_URL,
				MAIL_FROM: process.env.MAIL_FROM,
				SITE_URL: process.env.TEST_SITE_URL,
				MAIL_SENT_CHECK_URL: process.env.TEST_INBOX_URL
			}
		}
	);
}

/** The email to `address` whose text mentions `words` (other emails go out in the same run). */
async function mailAbout(address: string, words: string): Promise<Mail> {
	const deadline = Date.now() + 15_000;
	while (Date.now() < deadline) {
		const response = await fetch(`${process.env.TEST_INBOX_URL}/api/email`);
		const match = ((await response.json()) as Mail[]).find(
			(mail) =>
				mail.to.some((to) => to.address.toLowerCase() === address) && mail.text.includes(words)
		);
		if (match) return match;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`no mail to ${address} about "${words}" arrived within 15 s`);
}

async function signedOutPage(browser: Browser): Promise<Page> {
	return (await browser.newContext()).newPage();
}

// Preferences are shared with every other spec: whatever happens here, leave the defaults.
test.afterAll(async () => {
	for (const email of [OLIVIA, MARK]) {
		const client = await apiAs(email);
		const { data } = await client.auth.getUser();
		await client.from('notification_preferences').delete().eq('user_id', data.user!.id);
	}
});

test('the bell counts unread notifications; opening one marks it read and goes to it', async ({
	page
}) => {
	test.setTimeout(60_000);
	const stamp = Date.now();
	const first = `Bell check ${stamp}`;
	const second = `Bell later ${stamp}`;
	const firstThread = await samStartsThread(first);
	await samStartsThread(second);

	await signIn(page, OLIVIA);
	const before = await bellCount(page);
	expect(before).toBeGreaterThanOrEqual(2);
	await expect(bell(page)).toHaveAccessibleName(`Notifications, ${before} unread`);

	await bell(page).click();
	await expect(page).toHaveURL('/notifications');
	await expect(page.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Notification settings' }).first()).toHaveAttribute(
		'href',
		'/settings/notifications'
	);
	// Newest first; unread ones say so, to the eye and to screen readers.
	const list = page.getByRole('region', { name: /^Notifications, page 1 of \d+$/ });
	const openFirst = list.getByRole('button', { name: `Unread: ${sentence(first)}`, exact: true });
	const openSecond = list.getByRole('button', { name: `Unread: ${sentence(second)}`, exact: true });
	await expect(list.getByRole('listitem').first()).toContainText(sentence(second));
	const item = list.getByRole('listitem').filter({
		has: page.getByRole('button', { name: `Unread: ${sentence(first)}`, exact: true })
	});
	await expect(item).toContainText('Acme Corporation');
	await expect(item).toContainText('Unread');
	await expect(item.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T.+Z$/);
	await expect(item).toContainText(
		/(just now|seconds? ago|minutes? ago)\s+\(\d+ \w+ \d{4}, \d\d:\d\d UTC\)/
	);
	await expect(openSecond).toBeVisible();
	await expectNoAxeViolations(page);
	await screenshots(page, 'notifications');

	// Someone else's notification (Mark's, about the same conversation): not found, not marked.
	const mark = await apiAs(MARK);
	const marks = await mark
		.from('notifications')
		.select('id, read_at')
		.eq('subject_id', firstThread)
		.single();
	expect(marks.error).toBeNull();
	expect(marks.data!.read_at).toBeNull();
	const foreign = await postForm(page, '/notifications?/open', { id: String(marks.data!.id) });
	expect(foreign.status()).toBe(404);
	expect(await foreign.text()).toContain('This notification does not exist, or it is not yours.');
	const after = await mark
		.from('notifications')
		.select('read_at')
		.eq('id', marks.data!.id)
		.single();
	expect(after.data!.read_at).toBeNull();
	const bogus = await postForm(page, '/notifications?/open', { id: 'not-a-number' });
	expect(bogus.status()).toBe(400);

	// Opening marks it read and lands on the conversation; the count drops by one.
	await openFirst.click();
	await expect(page).toHaveURL(`/accounts/${ACME}/messages/${firstThread}`);
	await expect(page.getByRole('heading', { name: first, level: 1 })).toBeVisible();
	await expect.poll(() => bellCount(page)).toBe(before - 1);

	await bell(page).click();
	await expect(page).toHaveURL('/notifications');
	await expect(list.getByRole('button', { name: sentence(first), exact: true })).toBeVisible();
	await expect(openSecond).toBeVisible();

	// "Mark all as read": everything shown is read, and the badge goes.
	await page.getByRole('button', { name: 'Mark all as read' }).click();
	await expect(page.getByText(/notifications? marked as read\./)).toBeVisible();
	await expect(bell(page)).toHaveAccessibleName('Notifications');
	await expect(list.getByRole('button', { name: sentence(second), exact: true })).toBeVisible();
	await expect(list.getByRole('button', { name: /^Unread: / })).toHaveCount(0);
	await page.reload();
	await expect(bell(page)).toHaveAccessibleName('Notifications');
	await expect(page.getByRole('button', { name: 'Mark all as read' })).toHaveCount(0);
	await expectNoAxeViolations(page);
});

test('Olivia chooses a daily digest for messages, and restores the defaults', async ({ page }) => {
	await signIn(page, OLIVIA);
	await page.goto('/settings/notifications');
	await expect(
		page.getByRole('heading', { name: 'Notification settings', level: 1 })
	).toBeVisible();
	await expect(page.getByText(/after 08:00 UTC/).first()).toBeVisible();
	const messages = page.getByRole('group', { name: 'Messages', exact: true });
	const statusUpdates = page.getByRole('group', { name: 'Status updates', exact: true });
	// Nothing chosen yet: each kind shows its default.
	await expect(messages.getByRole('radio', { name: 'Immediately' })).toBeChecked();
	await expect(statusUpdates.getByRole('radio', { name: 'Daily digest' })).toBeChecked();
	await expectNoAxeViolations(page);
	await screenshots(page, 'notification-settings');

	await messages.getByRole('radio', { name: 'Daily digest' }).check();
	await page.getByRole('button', { name: 'Save notification settings' }).click();
	await expect(page.getByText('Your notification settings are saved.')).toBeVisible();
	await page.reload();
	await expect(messages.getByRole('radio', { name: 'Daily digest' })).toBeChecked();
	await expect(statusUpdates.getByRole('radio', { name: 'Daily digest' })).toBeChecked();
	expect(await savedPreferences(OLIVIA)).toContainEqual({ kind: 'message', frequency: 'daily' });

	// A kind or a frequency the page does not offer: refused whole, nothing written.
	const everyKindOff = {
		document: 'off',
		file_request: 'off',
		message: 'off',
		approval_requested: 'off',
		approval_decided: 'off',
		status_update: 'off',
		invitation: 'off'
	};
	const unknownKind = await postForm(page, '/settings/notifications?/save', {
		...everyKindOff,
		newsletter: 'off'
	});
	expect(unknownKind.status()).toBe(400);
	expect(await unknownKind.text()).toContain('Unknown kind of notification: newsletter');
	const unknownFrequency = await postForm(page, '/settings/notifications?/save', {
		...everyKindOff,
		message: 'hourly'
	});
	expect(unknownFrequency.status()).toBe(400);
	expect(await unknownFrequency.text()).toContain(
		'Choose Immediately, Daily digest, Weekly digest or Off'
	);
	await page.reload();
	await expect(messages.getByRole('radio', { name: 'Daily digest' })).toBeChecked();
	await expect(statusUpdates.getByRole('radio', { name: 'Daily digest' })).toBeChecked();

	await page.getByRole('button', { name: 'Restore defaults' }).click();
	await expect(
		page.getByText('Your notification settings are back to the defaults.')
	).toBeVisible();
	await expect(messages.getByRole('radio', { name: 'Immediately' })).toBeChecked();
	expect(await savedPreferences(OLIVIA)).toEqual([]);
});

test('the unsubscribe link in an email turns messages off without signing in', async ({
	page,
	browser
}) => {
	test.setTimeout(90_000);
	const subject = `Unsubscribe check ${Date.now()}`;
	await samStartsThread(subject);
	await drainWorker();
	const mail = await mailAbout(MARK, subject);
	const link = /Unsubscribe: (\S+)/.exec(mail.text)?.[1];
	expect(link).toMatch(
		new RegExp(`^${process.env.TEST_SITE_URL}/unsubscribe/[0-9a-f-]{36}\\?kind=message$`)
	);

	// A link that is not one: a 404 that says so.
	const visitor = await signedOutPage(browser);
	for (const bad of ['/unsubscribe/not-a-token', `/unsubscribe/${crypto.randomUUID()}`]) {
		const response = await visitor.goto(bad);
		expect(response?.status()).toBe(404);
		await expect(visitor.getByText('This link is not valid.')).toBeVisible();
	}

	// Looking changes nothing; the button does.
	await visitor.goto(link!);
	await expect(
		visitor.getByRole('heading', { name: 'Unsubscribe from emails', level: 1 })
	).toBeVisible();
	await expect(visitor.getByText('m****@acme.example.com')).toBeVisible();
	await expect(visitor.getByText(MARK)).toHaveCount(0);
	expect(await savedPreferences(MARK)).toEqual([]);
	await expectNoAxeViolations(visitor);
	await screenshots(visitor, 'unsubscribe');
	await visitor.getByRole('button', { name: 'Unsubscribe from Messages' }).click();
	await expect(
		visitor.getByRole('heading', { name: 'You are unsubscribed', level: 1 })
	).toBeVisible();
	await expect(visitor.getByText('You will no longer get emails about messages.')).toBeVisible();
	await expect(visitor.getByRole('link', { name: 'notification settings' })).toHaveAttribute(
		'href',
		'/settings/notifications'
	);
	await expectNoAxeViolations(visitor);
	await visitor.context().close();

	// Mark sees it in his settings: messages off, the rest as they were.
	await signIn(page, MARK);
	await page.goto('/settings/notifications');
	const messages = page.getByRole('group', { name: 'Messages', exact: true });
	await expect(messages.getByRole('radio', { name: 'Off' })).toBeChecked();
	await expect(
		page
			.getByRole('group', { name: 'New documents and versions', exact: true })
			.getByRole('radio', { name: 'Immediately' })
	).toBeChecked();
	await page.getByRole('button', { name: 'Restore defaults' }).click();
	await expect(messages.getByRole('radio', { name: 'Immediately' })).toBeChecked();
	expect(await savedPreferences(MARK)).toEqual([]);
});

test('without JavaScript, opening a notification still marks it read and goes to it', async ({
	browser
}) => {
	const subject = `No script ${Date.now()}`;
	const thread = await samStartsThread(subject);
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await signIn(page, OLIVIA);
	await page.goto('/notifications');
	await page.getByRole('button', { name: `Unread: ${sentence(subject)}`, exact: true }).click();
	await expect(page).toHaveURL(`/accounts/${ACME}/messages/${thread}`);
	await page.goto('/notifications');
	await expect(page.getByRole('button', { name: sentence(subject), exact: true })).toBeVisible();

	// The rest, at once: a full page comes back with the message and no badge.
	await page.getByRole('button', { name: 'Mark all as read' }).click();
	await expect(
		page.getByText(/notifications? marked as read\.|There was nothing unread\./)
	).toBeVisible();
	await expect(bell(page)).toHaveAccessibleName('Notifications');
	await context.close();
});
