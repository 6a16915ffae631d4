import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import {
	ACME,
	apiAs,
	CLIENT_HOME,
	expectNoAxeViolations,
	GLOBEX,
	screenshots,
	signInWithPassword
} from './helpers';

/** The seeded Acme thread "Homepage feedback", with Sam's internal note in it. */
const HOMEPAGE_THREAD = '71000000-0000-4000-8000-000000000001';
const KICK_OFF_NOTES = 'd0000000-0000-4000-8000-000000000002';
const SEEDED_NOTE = 'Internal: Olivia prefers calls in the morning.';

const listUrl = (account: string) => `/accounts/${account}/messages`;
const threadUrl = (account: string, thread: string) => `/accounts/${account}/messages/${thread}`;

async function signIn(page: Page, email: string) {
	await signInWithPassword(page, email);
	await expect(page).toHaveURL(email.endsWith('@staff.example.com') ? '/staff' : CLIENT_HOME);
}

/** A signed-in page of its own (own cookies), so several people can act in one test. */
async function pageFor(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, email);
	return page;
}

async function post(email: string, body: string, internal = false) {
	const client = await apiAs(email);
	const sent = await client.rpc('send_message', {
		p_thread_id: HOMEPAGE_THREAD,
		p_body: body,
		p_document_ids: [],
		p_internal: internal
	});
	expect(sent.error).toBeNull();
}

const messageItems = (page: Page) =>
	page.getByRole('region', { name: 'Messages' }).getByRole('article');
const messageWith = (page: Page, text: string) => messageItems(page).filter({ hasText: text });
const threadItem = (page: Page, subject: string): Locator =>
	page
		.getByRole('listitem')
		.filter({ has: page.getByRole('link', { name: subject, exact: true }) });
const navMessages = (page: Page, account: string) =>
	page
		.getByRole('navigation', { name: `${account} sections` })
		.getByRole('link', { name: /^Messages/ });

test('Olivia reads a thread, replies with an attachment and starts a conversation', async ({
	page
}) => {
	test.setTimeout(60_000);
	const stamp = Date.now();
	await signIn(page, 'olivia@acme.example.com');
	await page.goto(listUrl(ACME));
	await expect(page.getByRole('heading', { name: 'Messages', level: 1 })).toBeVisible();

	// The seeded thread is unread for her: a badge that says so, and the navigation counts it.
	const seeded = threadItem(page, 'Homepage feedback');
	await expect(seeded.getByText(/^\d+ unread$/)).toBeVisible();
	await expect(navMessages(page, 'Acme Corporation')).toContainText(/\d+\s*unread/);
	await expectNoAxeViolations(page);
	await screenshots(page, 'messages-list');

	await seeded.getByRole('link', { name: 'Homepage feedback' }).click();
	await expect(page.getByRole('heading', { name: 'Homepage feedback', level: 1 })).toBeVisible();
	await expect(messageWith(page, 'Could the hero image be larger?')).toBeVisible();
	// Sam's internal note never reaches a client.
	await expect(page.getByText(SEEDED_NOTE)).toHaveCount(0);
	await expect(page.getByText('Internal note')).toHaveCount(0);
	// Opening it marks it read: the navigation's count goes.
	await expect(navMessages(page, 'Acme Corporation')).not.toContainText('unread');
	await expectNoAxeViolations(page);

	// A reply with two lines and an attachment chosen from the account's documents.
	const reply = `Reply ${stamp}: thanks!\nSee the kick-off notes.`;
	await page.getByLabel('Message', { exact: true }).fill(reply);
	await page.getByRole('checkbox', { name: /Kick-off notes\.txt/ }).check();
	await expect(page.getByText('1 document attached.')).toBeVisible();
	await page.getByRole('button', { name: 'Send message' }).click();
	await expect(page.getByText('Message sent.')).toBeVisible();

	const sent = messageWith(page, `Reply ${stamp}: thanks!`);
	await expect(sent.getByRole('heading', { name: 'You' })).toBeVisible();
	// Line breaks are kept, as text (no HTML).
	const body = sent.getByText(`Reply ${stamp}: thanks!`);
	await expect(body).toHaveCSS('white-space', 'pre-wrap');
	expect(await body.textContent()).toBe(reply);
	const download = sent.getByRole('link', { name: 'Download Kick-off notes.txt' });
	await expect(download).toHaveAttribute('href', `/documents/${KICK_OFF_NOTES}/download`);
	const file = await page.request.get((await download.getAttribute('href'))!);
	expect(file.ok()).toBe(true);
	expect(await file.text()).toContain('Goals agreed for the first quarter.');
	// The form is ready for the next message.
	await expect(page.getByLabel('Message', { exact: true })).toHaveValue('');
	await expect(page.getByRole('checkbox', { name: /Kick-off notes\.txt/ })).not.toBeChecked();
	await screenshots(page, 'messages-thread');

	// Back in the list the thread is read.
	await page.getByRole('link', { name: '← All conversations' }).click();
	await expect(threadItem(page, 'Homepage feedback')).not.toContainText('unread');

	// A new conversation opens on its own page, and tops the list.
	const subject = `Invoice question ${stamp}`;
	await page.getByLabel('Subject').fill(subject);
	await page.getByLabel('Message', { exact: true }).fill('Could you resend the November invoice?');
	await page.getByRole('button', { name: 'Start conversation' }).click();
	await expect(page).toHaveURL(new RegExp(`/accounts/${ACME}/messages/[0-9a-f-]{36}$`));
	await expect(page.getByRole('heading', { name: subject, level: 1 })).toBeVisible();
	await expect(messageWith(page, 'Could you resend the November invoice?')).toBeVisible();
	await page.goto(listUrl(ACME));
	const conversations = page.getByRole('region', { name: 'Conversations' });
	await expect(conversations.getByRole('listitem').first()).toContainText(subject);
});

test('a file uploaded while replying is saved and attached', async ({ page }) => {
	const stamp = Date.now();
	const name = `Site map ${stamp}.txt`;
	await signIn(page, 'olivia@acme.example.com');
	await page.goto(threadUrl(ACME, HOMEPAGE_THREAD));
	await expect(page.getByRole('heading', { name: 'Homepage feedback', level: 1 })).toBeVisible();

	await page.getByLabel('Choose files').setInputFiles({
		name,
		mimeType: 'text/plain',
		buffer: Buffer.from(`Home, About, Contact (${stamp})\n`)
	});
	await expect(page.getByText('Uploaded')).toBeVisible();
	// The new document joins the list, already chosen.
	await expect(page.getByRole('checkbox', { name: new RegExp(name) })).toBeChecked();

	await page.getByLabel('Message', { exact: true }).fill(`Here is the site map (${stamp}).`);
	await page.getByRole('button', { name: 'Send message' }).click();
	const sent = messageWith(page, `Here is the site map (${stamp}).`);
	const download = sent.getByRole('link', { name: `Download ${name}` });
	await expect(download).toBeVisible();
	const file = await page.request.get((await download.getAttribute('href'))!);
	expect(await file.text()).toContain(`Home, About, Contact (${stamp})`);
});

test('bad input is refused with a clear message and nothing is written', async ({ page }) => {
	await signIn(page, 'olivia@acme.example.com');
	await page.goto(threadUrl(ACME, HOMEPAGE_THREAD));
	await expect(page.getByRole('heading', { name: 'Homepage feedback', level: 1 })).toBeVisible();
	const before = await messageItems(page).count();
	const body = page.getByLabel('Message', { exact: true });

	// Empty (or blank) reply: a field error, focus on the field.
	await body.fill('   ');
	await page.getByRole('button', { name: 'Send message' }).click();
	await expect(page.getByText('Write a message before sending')).toBeVisible();
	await expect(body).toBeFocused();
	await expect(body).toHaveAttribute('aria-invalid', 'true');

	// One character over the limit: the count warns, the server refuses, the text stays.
	const tooLong = 'x'.repeat(10_001);
	await body.fill(tooLong);
	await expect(page.getByText('1 character too many')).toBeVisible();
	await page.getByRole('button', { name: 'Send message' }).click();
	await expect(
		page.getByText(/A message can be at most 10,000 characters: this one has 10,001/)
	).toBeVisible();
	await expect(body).toHaveValue(tooLong);

	await page.reload();
	await expect(messageItems(page)).toHaveCount(before);

	// A conversation needs a subject.
	await page.goto(listUrl(ACME));
	await page.getByLabel('Message', { exact: true }).fill('No subject here');
	await page.getByRole('button', { name: 'Start conversation' }).click();
	await expect(page.getByText('Give the conversation a subject')).toBeVisible();
	await expect(page.getByLabel('Subject')).toBeFocused();
	await expect(page.getByLabel('Message', { exact: true })).toHaveValue('No subject here');
});

test('Sam sees replies and internal notes, and adds a note Olivia never sees', async ({
	page,
	browser
}) => {
	const stamp = Date.now();
	await post('olivia@acme.example.com', `Olivia asks ${stamp}: any news?`);

	await signIn(page, 'sam@staff.example.com');
	await page.goto(threadUrl(ACME, HOMEPAGE_THREAD));
	await expect(page.getByRole('heading', { name: 'Homepage feedback', level: 1 })).toBeVisible();
	const olivias = messageWith(page, `Olivia asks ${stamp}: any news?`);
	await expect(olivias.getByRole('heading', { name: 'Olivia Owner' })).toBeVisible();
	const seededNote = messageWith(page, SEEDED_NOTE);
	await expect(seededNote.getByText('Internal note — clients never see this')).toBeVisible();
	await expectNoAxeViolations(page);

	const note = `Note ${stamp}: call her before 11.`;
	await page.getByRole('checkbox', { name: /Internal note/ }).check();
	await page.getByLabel('Internal note', { exact: true }).fill(note);
	await page.getByRole('button', { name: 'Add internal note' }).click();
	await expect(page.getByText('Internal note added.')).toBeVisible();
	await expect(
		messageWith(page, note).getByText('Internal note — clients never see this')
	).toBeVisible();
	await screenshots(page, 'messages-staff-thread');

	const olivia = await pageFor(browser, 'olivia@acme.example.com');
	await olivia.goto(threadUrl(ACME, HOMEPAGE_THREAD));
	await expect(olivia.getByRole('heading', { name: 'Homepage feedback', level: 1 })).toBeVisible();
	await expect(messageWith(olivia, `Olivia asks ${stamp}: any news?`)).toBeVisible();
	await expect(olivia.getByText(note)).toHaveCount(0);
	await expect(olivia.getByText(SEEDED_NOTE)).toHaveCount(0);
	await olivia.context().close();
});

test('a message from Sam appears on Olivia’s open thread without a reload', async ({ page }) => {
	test.setTimeout(60_000);
	await signIn(page, 'olivia@acme.example.com');
	await page.goto(threadUrl(ACME, HOMEPAGE_THREAD));
	await expect(page.getByRole('heading', { name: 'Homepage feedback', level: 1 })).toBeVisible();
	// No Realtime on the local stack: the page says it polls, quietly.
	await expect(page.getByText('Updates every 15 s')).toBeVisible();
	const navigations: string[] = [];
	page.on('framenavigated', (frame) => {
		if (frame === page.mainFrame()) navigations.push(frame.url());
	});

	const text = `Live from Sam ${Date.now()}`;
	await post('sam@staff.example.com', text);
	await expect(messageWith(page, text)).toBeVisible({ timeout: 20_000 });
	expect(navigations).toEqual([]);
	// Seen on an open page counts as read.
	await expect(navMessages(page, 'Acme Corporation')).not.toContainText('unread');
});

test('Vera (viewer) reads conversations but cannot write', async ({ page }) => {
	await signIn(page, 'vera@acme.example.com');
	await page.goto(listUrl(ACME));
	await expect(threadItem(page, 'Homepage feedback')).toBeVisible();
	await expect(page.getByRole('heading', { name: 'New conversation' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Start conversation' })).toHaveCount(0);

	await page.getByRole('link', { name: 'Homepage feedback', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Homepage feedback', level: 1 })).toBeVisible();
	await expect(messageWith(page, 'Could the hero image be larger?')).toBeVisible();
	await expect(page.getByText(SEEDED_NOTE)).toHaveCount(0);
	await expect(page.getByRole('heading', { name: 'Reply' })).toHaveCount(0);
	await expect(page.getByRole('textbox')).toHaveCount(0);
	await expect(page.getByText(/does not include replying/)).toBeVisible();
	await expectNoAxeViolations(page);
});

test('Grace (Globex) cannot open Acme’s thread and sees only Globex threads', async ({ page }) => {
	await signIn(page, 'grace@globex.example.com');
	const response = await page.goto(threadUrl(ACME, HOMEPAGE_THREAD));
	expect(response?.status()).toBe(404);
	await expect(page.getByText('Homepage feedback')).toHaveCount(0);

	// Acme's thread id under Globex's address is no way in either.
	const crossed = await page.goto(threadUrl(GLOBEX, HOMEPAGE_THREAD));
	expect(crossed?.status()).toBe(404);

	await page.goto(listUrl(GLOBEX));
	await expect(threadItem(page, 'Survey visit')).toBeVisible();
	await expect(page.getByText('Homepage feedback')).toHaveCount(0);
	await expect(page.getByText('Could the hero image be larger?')).toHaveCount(0);
});
