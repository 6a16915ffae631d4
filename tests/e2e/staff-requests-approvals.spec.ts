import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { waitForMail } from '../support/inbox';
import {
	ACME,
	CLIENT_HOME,
	expectNoAxeViolations,
	screenshots,
	signInWithPassword
} from './helpers';

/**
 * The staff side of file requests and approvals, on the client's own pages. Every row made
 * here has a unique title and ends closed (cancelled, approved or withdrawn), so the seeded
 * counts other specs read (open requests, pending approvals, "waiting for you") are as before.
 */

const REQUESTS = `/accounts/${ACME}/requests`;
const APPROVALS = `/accounts/${ACME}/approvals`;

/** A calendar day `days` from today (UTC, as the pages count). */
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A signed-in page of its own (own cookies), so several people can act in one test. */
async function pageFor(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signInWithPassword(page, email);
	await expect(page).toHaveURL(email.endsWith('@staff.example.com') ? '/staff' : CLIENT_HOME);
	return page;
}

/** One request card (in the page, or in one of its lists), found by its unique title. */
const requestCard = (scope: Page | Locator, title: string) =>
	scope.getByRole('listitem').filter({ hasText: title });

const approverRow = (page: Page, name: string) =>
	page.getByRole('region', { name: 'Approvers' }).getByRole('listitem').filter({ hasText: name });

test('staff ask for a file with a due date, edit, close, reopen and cancel it', async ({
	browser
}) => {
	test.slow(); // several round trips
	const sam = await pageFor(browser, 'sam@staff.example.com');
	await sam.goto(REQUESTS);
	await expect(sam.getByRole('heading', { name: 'File requests', level: 1 })).toBeVisible();
	const form = sam.getByRole('region', { name: 'New request' });
	const cardsBefore = await sam.getByRole('heading', { level: 3 }).count();

	// Bad input: no title, a date in the past. Field errors, focus on the first, nothing saved.
	await form.getByLabel('Due date').fill(day(-3));
	await form.getByRole('button', { name: 'Create request' }).click();
	await expect(form.getByText('Give the request a title')).toBeVisible();
	await expect(form.getByText('a due date cannot be in the past')).toBeVisible();
	await expect(form.getByLabel('Title')).toBeFocused();
	await expect(form.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true');
	await expect(form.getByLabel('Due date')).toHaveAttribute('aria-invalid', 'true');
	await expectNoAxeViolations(sam);
	await screenshots(sam, 'staff-request-errors');
	await sam.reload();
	expect(await sam.getByRole('heading', { level: 3 }).count()).toBe(cardsBefore);

	// A request with instructions and a due date: listed, with who asked and when it is due.
	const title = `Tax return ${Date.now()}`;
	await form.getByLabel('Title').fill(title);
	await form.getByLabel('Instructions').fill('The signed PDF of last year’s return, please.');
	await form.getByLabel('Due date').fill(day(10));
	await form.getByRole('button', { name: 'Create request' }).click();
	await expect(form.getByText(`File request “${title}” created.`)).toBeVisible();
	await expect(form.getByLabel('Title')).toHaveValue('');
	const current = sam.getByRole('region', { name: 'Current requests' });
	const card = requestCard(current, title);
	await expect(card.getByText(/Status:.*Open/)).toBeVisible();
	await expect(card).toContainText(/Due \d+ \w+ \d{4}/);
	await expect(card).toContainText(/Requested by Sam Staff on \d+ \w+ \d{4}/);
	await expect(card).toContainText('The signed PDF of last year’s return, please.');
	await expect(card).toContainText('No files yet.');
	await sam.waitForLoadState('networkidle');
	await expectNoAxeViolations(sam);
	await screenshots(sam, 'staff-request-created');

	// Edit: new instructions; an empty title is refused in the card, and nothing changes.
	await card.locator('summary', { hasText: 'Edit' }).click();
	await card.getByLabel('Title').fill('');
	await card.getByRole('button', { name: /^Save changes/ }).click();
	await expect(card.getByText('Give the request a title')).toBeVisible();
	await expect(card.getByLabel('Title')).toBeFocused();
	await expectNoAxeViolations(sam);
	await card.getByLabel('Title').fill(title);
	await card.getByLabel('Instructions').fill('The signed PDF of the 2025 return.');
	await card.getByRole('button', { name: /^Save changes/ }).click();
	await expect(card.getByText(`Saved the changes to “${title}”.`)).toBeVisible();
	await expect(card.locator('.instructions')).toHaveText('The signed PDF of the 2025 return.');

	// Close: it moves to the past requests; reopen: back to the current ones.
	await card.getByRole('button', { name: `Close request “${title}”` }).click();
	const past = sam.getByRole('region', { name: 'Closed and cancelled' });
	await expect(requestCard(past, title).getByText(/Status:.*Closed/)).toBeVisible();
	await expect(requestCard(past, title).getByText(`“${title}” is closed.`)).toBeVisible();
	await expect(requestCard(current, title)).toHaveCount(0);
	await expectNoAxeViolations(sam);
	await screenshots(sam, 'staff-request-closed');
	await requestCard(past, title)
		.getByRole('button', { name: `Reopen request “${title}”` })
		.click();
	await expect(requestCard(current, title).getByText(/Status:.*Open/)).toBeVisible();
	await expect(requestCard(current, title).getByText(`“${title}” is reopened.`)).toBeVisible();

	// Still so after a reload: it is the database's state.
	await sam.reload();
	await expect(requestCard(current, title).getByText(/Status:.*Open/)).toBeVisible();

	// A client sees the request, and none of the staff controls.
	const olivia = await pageFor(browser, 'olivia@acme.example.com');
	await olivia.goto(REQUESTS);
	await expect(requestCard(olivia, title)).toContainText('The signed PDF of the 2025 return.');
	await expect(olivia.getByRole('heading', { name: 'New request' })).toHaveCount(0);
	await expect(olivia.getByRole('button', { name: /^(Close|Cancel|Reopen) request/ })).toHaveCount(
		0
	);
	await expect(olivia.locator('summary', { hasText: 'Edit' })).toHaveCount(0);
	await expect(olivia.getByText(/Requested by/)).toHaveCount(0);
	// Posting the staff form anyway is refused and writes nothing.
	const posted = await olivia.request.post(`${REQUESTS}?/create`, {
		form: { title: `Client-made ${title}` },
		headers: { origin: new URL(olivia.url()).origin }
	});
	expect(posted.status()).toBe(403);
	await olivia.reload();
	await expect(olivia.getByText(`Client-made ${title}`)).toHaveCount(0);

	// Clean up: the open-request counts of other specs stay as seeded.
	await requestCard(current, title)
		.getByRole('button', { name: `Cancel request “${title}”` })
		.click();
	await expect(requestCard(past, title).getByText(/Status:.*Cancelled/)).toBeVisible();
});

test('staff request an approval, remind the approver, and see the decision', async ({
	browser
}) => {
	test.slow(); // two people, emails
	const sam = await pageFor(browser, 'sam@staff.example.com');
	await sam.goto(APPROVALS);
	const form = sam.getByRole('region', { name: 'Request an approval' });
	// Owners and members only: not Bill (billing), Vera or Nina (viewers).
	await expect(form.getByRole('checkbox', { name: /Olivia Owner/ })).toBeVisible();
	await expect(form.getByRole('checkbox', { name: /Mark Member/ })).toBeVisible();
	await expect(form.getByRole('checkbox', { name: /Bill|Vera|Nina/ })).toHaveCount(0);
	const documentSelect = form.getByLabel('Document');
	const homepage = await documentSelect
		.locator('option', { hasText: 'Homepage design.pdf' })
		.getAttribute('value');
	expect(homepage).toBeTruthy();

	// Bad input: nobody to approve. An error at the approvers, nothing saved.
	const title = `Homepage sign-off ${Date.now()}`;
	await documentSelect.selectOption(homepage!);
	await form.getByLabel('Title').fill(title);
	await form.getByRole('button', { name: 'Request approval' }).click();
	await expect(form.getByText('Choose at least one person to approve')).toBeVisible();
	await expect(form.getByText('Choose at least one person to approve')).toBeFocused();
	await expect(form.getByLabel('Title')).toHaveValue(title);
	await expectNoAxeViolations(sam);
	await screenshots(sam, 'staff-approval-errors');
	await sam.goto(APPROVALS);
	await expect(sam.getByRole('link', { name: title })).toHaveCount(0);

	// Olivia only (so Mark's "waiting for you" stays as seeded), due in a week.
	await documentSelect.selectOption(homepage!);
	await form.getByLabel('Title').fill(title);
	await form.getByLabel('Note').fill('The last look before the build starts.');
	await form.getByLabel('Decision due').fill(day(7));
	await form.getByRole('checkbox', { name: /Olivia Owner/ }).check();
	await form.getByRole('button', { name: 'Request approval' }).click();
	await expect(sam).toHaveURL(
		new RegExp(`/accounts/${ACME}/approvals/[0-9a-f-]{36}\\?requested=1$`)
	);
	const detail = new URL(sam.url()).pathname;
	await expect(sam.getByRole('heading', { name: title, level: 1 })).toBeVisible();
	await expect(sam.getByText('Approval requested.', { exact: false })).toBeVisible();
	await expect(sam.getByText('The last look before the build starts.')).toBeVisible();
	await expect(sam.getByRole('region', { name: 'Document under review' })).toContainText(
		'Homepage design.pdf'
	);
	await expect(approverRow(sam, 'Olivia Owner')).toContainText('Not decided yet');
	await expect(approverRow(sam, 'Mark Member')).toHaveCount(0);
	const followUp = sam.getByRole('region', { name: 'Follow up' });
	await expect(followUp).toContainText('The approvers have not been reminded yet.');
	await expect(followUp).toContainText('Waiting for Olivia Owner.');
	await sam.waitForLoadState('networkidle');
	await expectNoAxeViolations(sam);
	await screenshots(sam, 'staff-approval-requested');

	// A reminder: recorded, and Olivia gets an email that links to the approval.
	const sent = new Date();
	await followUp.getByRole('button', { name: 'Remind approvers' }).click();
	await expect(followUp.getByText('Reminder recorded and emailed to Olivia Owner.')).toBeVisible();
	await expect(followUp).toContainText(/Last reminded \d+ \w+ \d{4}, \d{2}:\d{2}/);
	const mail = await waitForMail('olivia@acme.example.com', sent);
	expect(mail.subject).toContain(title);
	expect(mail.text).toContain(`${new URL(sam.url()).origin}${detail}`);
	expect(mail.html).toContain(`href="${new URL(sam.url()).origin}${detail}"`);
	await expectNoAxeViolations(sam);
	await screenshots(sam, 'staff-approval-reminded');

	// A second reminder within the hour: the database refuses, and the page says why.
	await followUp.getByRole('button', { name: 'Remind approvers' }).click();
	await expect(followUp.getByRole('alert')).toContainText(
		'The approvers were reminded less than an hour ago.'
	);
	await expectNoAxeViolations(sam);

	// Olivia finds it waiting for her, and approves.
	const olivia = await pageFor(browser, 'olivia@acme.example.com');
	await olivia.goto(APPROVALS);
	await expect(olivia.getByRole('heading', { name: 'Request an approval' })).toHaveCount(0);
	await expect(olivia.getByRole('button', { name: 'Request approval' })).toHaveCount(0);
	const waiting = olivia.getByRole('region', { name: 'Waiting for you' });
	await waiting.getByRole('link', { name: title }).click();
	await expect(olivia).toHaveURL(detail);
	await expect(olivia.getByRole('region', { name: 'Follow up' })).toHaveCount(0);
	await expect(olivia.getByRole('button', { name: 'Remind approvers' })).toHaveCount(0);
	await expect(olivia.getByText(/Last reminded/)).toHaveCount(0);
	await olivia.getByRole('button', { name: 'Approve' }).click();
	await expect(olivia.getByText(/Status:.*Approved/)).toBeVisible();

	// Sam sees the decision; a decided approval has nothing left to follow up.
	await sam.goto(detail);
	await expect(sam.getByText(/Status:.*Approved/)).toBeVisible();
	await expect(approverRow(sam, 'Olivia Owner')).toContainText(
		/Approved on \d+ \w+ \d{4}, \d{2}:\d{2}/
	);
	await expect(sam.getByRole('region', { name: 'Follow up' })).toHaveCount(0);
	await sam.goto(APPROVALS);
	await expect(
		sam.getByRole('region', { name: 'Decided' }).getByRole('listitem').filter({ hasText: title })
	).toContainText(/Approved on \d+ \w+ \d{4}/);
});

test('staff withdraw a pending approval after confirming', async ({ browser }) => {
	const sam = await pageFor(browser, 'sam@staff.example.com');
	await sam.goto(APPROVALS);
	const form = sam.getByRole('region', { name: 'Request an approval' });
	const documentSelect = form.getByLabel('Document');
	const homepage = await documentSelect
		.locator('option', { hasText: 'Homepage design.pdf' })
		.getAttribute('value');
	await documentSelect.selectOption(homepage!);
	// No title: the document's name is used.
	await form.getByRole('checkbox', { name: /Olivia Owner/ }).check();
	await form.getByRole('button', { name: 'Request approval' }).click();
	await expect(sam).toHaveURL(/\?requested=1$/);
	await expect(sam.getByRole('heading', { name: 'Homepage design.pdf', level: 1 })).toBeVisible();

	const followUp = sam.getByRole('region', { name: 'Follow up' });
	// The confirmation is folded away: no single click withdraws.
	await expect(followUp.getByRole('button', { name: 'Withdraw approval' })).toBeHidden();
	await followUp.getByText('Withdraw this approval…').click();
	await expect(followUp).toContainText('This cannot be undone');
	await expectNoAxeViolations(sam);
	await screenshots(sam, 'staff-approval-withdraw');
	await followUp.getByRole('button', { name: 'Withdraw approval' }).click();
	await expect(sam.getByText(/Status:.*Withdrawn/)).toBeVisible();
	await expect(sam.getByText(/Withdrawn on/)).toBeVisible();
	await expect(sam.getByRole('region', { name: 'Follow up' })).toHaveCount(0);
	await expectNoAxeViolations(sam);
});
