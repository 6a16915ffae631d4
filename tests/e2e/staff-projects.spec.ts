import { expect, test, type Browser, type Page } from '@playwright/test';
import { ACME, expectNoAxeViolations, GLOBEX, screenshots, signInWithPassword } from './helpers';

// Each test is a whole story told by several people (staff and clients, each signed in).
test.describe.configure({ timeout: 120_000 });

/** A second person in their own browser context, signed in. */
async function signedIn(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signInWithPassword(page, email);
	await expect(page).not.toHaveURL(/\/sign-in/);
	return page;
}

/** A form post as a crafted request (no enhance header): SvelteKit answers with the page. */
async function craftedPost(page: Page, path: string, form: Record<string, string | string[]>) {
	const body = new URLSearchParams();
	for (const [name, value] of Object.entries(form)) {
		for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
	}
	const origin = new URL(page.url()).origin;
	return page.request.post(path, {
		headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
		data: body.toString(),
		maxRedirects: 0
	});
}

test('staff run a project: milestones, progress, a draft only staff see, then published for good', async ({
	page,
	browser
}) => {
	const suffix = Date.now().toString(36);
	const name = `Brand refresh ${suffix}`;
	await signInWithPassword(page, 'sam@staff.example.com');
	await expect(page).toHaveURL(/\/staff/);

	// A new project from the projects list.
	await page.goto(`/accounts/${ACME}/projects`);
	await page.getByText('New project', { exact: true }).click();
	// Bad input first: a name is required, and nothing is created.
	await page.getByRole('button', { name: 'Create project' }).click();
	await expect(page.getByText('Enter a name for the project')).toBeVisible();
	await expect(page.getByLabel('Name')).toBeFocused();
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);
	await screenshots(page, 'staff-new-project-errors');

	await page.getByLabel('Name').fill(name);
	await page.getByLabel('Description (optional)').fill('Logo, colours and type.');
	await page.getByLabel('Status', { exact: true }).selectOption('active');
	await page.getByRole('button', { name: 'Create project' }).click();
	await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
	const projectUrl = page.url();
	expect(projectUrl).toMatch(new RegExp(`/accounts/${ACME}/projects/[0-9a-f-]{36}$`));

	// Two milestones, added in order.
	const add = page.getByRole('form', { name: 'Add a milestone' });
	await add.getByRole('button', { name: 'Add milestone' }).click();
	await expect(add.getByText('Enter a title for the milestone')).toBeVisible();
	for (const title of ['Moodboard', 'Final logo']) {
		await add.getByLabel('Title').fill(title);
		await add.getByLabel('Due date (optional)').fill('2030-01-15');
		await add.getByRole('button', { name: 'Add milestone' }).click();
		await expect(add.getByText(`Milestone “${title}” added.`)).toBeVisible();
	}
	const milestones = page.getByRole('region', { name: 'Milestones' }).getByRole('listitem');
	await expect(milestones.getByRole('heading')).toHaveText(['Moodboard', 'Final logo']);

	// Move the second up, and back down.
	await page.getByRole('button', { name: 'Move up milestone Final logo' }).click();
	await expect(milestones.getByRole('heading')).toHaveText(['Final logo', 'Moodboard']);
	await page.getByRole('button', { name: 'Move down milestone Final logo' }).click();
	await expect(milestones.getByRole('heading')).toHaveText(['Moodboard', 'Final logo']);

	// Mark one done: progress shows 1 of 2.
	const moodboard = milestones.filter({ has: page.getByRole('heading', { name: 'Moodboard' }) });
	await moodboard.locator('summary', { hasText: 'Edit' }).click();
	await moodboard.getByLabel('State').selectOption('done');
	await moodboard.getByRole('button', { name: 'Save milestone Moodboard' }).click();
	await expect(page.getByRole('progressbar', { name: '1 of 2 milestones done' })).toBeVisible();
	await expect(moodboard).toContainText(/Done on \d+ \w+ \d{4}/);

	// A status update saved as a draft.
	const draftText = `Draft ${suffix}: the moodboard is agreed, logo sketches next.`;
	const updates = page.getByRole('region', { name: 'Status updates' });
	await updates.getByRole('button', { name: 'Save as draft' }).click();
	await expect(updates.getByText('Enter the update')).toBeVisible();
	await updates.getByLabel('New status update').fill(draftText);
	await updates.getByRole('button', { name: 'Save as draft' }).click();
	await expect(updates.getByText('Draft saved: only staff see it.')).toBeVisible();
	const draft = updates.getByRole('article').filter({ hasText: draftText });
	await expect(draft.getByText('Draft', { exact: true })).toBeVisible();
	const updateId = await draft.locator('input[name="id"]').first().inputValue();

	// Drafts can be edited.
	await draft.locator('summary', { hasText: 'Edit' }).click();
	await draft.getByLabel('Draft text').fill(`${draftText} Edited.`);
	await draft.getByRole('button', { name: 'Save draft' }).click();
	await expect(updates.getByText('Draft saved.', { exact: true })).toBeVisible();
	await expect(
		draft.getByRole('paragraph').filter({ hasText: `${draftText} Edited.` })
	).toBeVisible();
	// Saved: the editor closes.
	await expect(draft.getByLabel('Draft text')).toBeHidden();
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);
	await screenshots(page, 'staff-project-draft');

	// Olivia (client owner) sees the project and its progress, never the draft.
	const olivia = await signedIn(browser, 'olivia@acme.example.com');
	await olivia.goto(projectUrl);
	await expect(olivia.getByRole('heading', { name, level: 1 })).toBeVisible();
	await expect(olivia.getByRole('progressbar', { name: '1 of 2 milestones done' })).toBeVisible();
	await expect(olivia.getByText(draftText, { exact: false })).toHaveCount(0);
	await expect(olivia.getByRole('button', { name: /Edit|Publish|Move/ })).toHaveCount(0);
	await expect(olivia.getByText('Edit project')).toHaveCount(0);

	// Published: the client sees it, and it is read-only.
	await page.getByRole('button', { name: /^Publish draft/ }).click();
	await expect(updates.getByText('Update published: the client can see it now.')).toBeVisible();
	const published = updates.getByRole('article', { name: /^Update of/ });
	await expect(published).toHaveCount(1);
	await expect(published).toContainText(`${draftText} Edited.`);
	await expect(published.locator('summary, form, textarea')).toHaveCount(0);
	await expect(published.getByRole('button')).toHaveCount(0);
	await expect(updates.getByText('No drafts.', { exact: false })).toBeVisible();

	await olivia.reload();
	await expect(olivia.getByText(`${draftText} Edited.`)).toBeVisible();

	// A crafted edit of the published update is refused, and nothing changes.
	const crafted = await craftedPost(page, `${new URL(projectUrl).pathname}?/editUpdate`, {
		id: updateId,
		body: 'Rewritten history'
	});
	expect(crafted.status()).toBe(409);
	await page.reload();
	await expect(published).toContainText(`${draftText} Edited.`);
	await expect(page.getByText('Rewritten history')).toHaveCount(0);
	await olivia.reload();
	await expect(olivia.getByText('Rewritten history')).toHaveCount(0);

	// Editing the project itself.
	await page.getByText('Edit project').click();
	await page.getByLabel('Status', { exact: true }).selectOption('on_hold');
	await page.getByRole('button', { name: 'Save project' }).click();
	await expect(page.getByText('Project saved.')).toBeVisible();
	await expect(page.locator('.title .badge')).toContainText('On hold');

	// Deleting a milestone takes a second, explicit step.
	const finalLogo = milestones.filter({ has: page.getByRole('heading', { name: 'Final logo' }) });
	await finalLogo.locator('summary', { hasText: 'Delete' }).click();
	await expect(finalLogo.getByText('Delete “Final logo” for good?')).toBeVisible();
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);
	await finalLogo.getByRole('button', { name: 'Yes, delete milestone Final logo' }).click();
	await expect(page.getByText('Milestone “Final logo” deleted.')).toBeVisible();
	await expect(milestones.getByRole('heading')).toHaveText(['Moodboard']);
	await expect(page.getByRole('progressbar', { name: '1 of 1 milestones done' })).toBeVisible();

	// The list shows the project to staff and client alike.
	await page.goto(`/accounts/${ACME}/projects`);
	await expect(page.getByRole('link', { name })).toBeVisible();
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);
	await screenshots(page, 'staff-projects');
	await olivia.context().close();
});

test('a bulk update reaches every chosen account at once; nobody posts to an account they do not serve', async ({
	page,
	browser
}) => {
	const suffix = Date.now().toString(36);
	const text = `Office closed on Friday ${suffix}: we reply on Monday.`;
	await signInWithPassword(page, 'ada@staff.example.com');
	await expect(page).toHaveURL(/\/staff/);
	await page.goto('/staff/updates');
	await expect(
		page.getByRole('heading', { name: 'Post one update to several accounts', level: 1 })
	).toBeVisible();
	await expect(page.getByLabel('Acme Corporation')).toBeVisible();
	await expect(page.getByLabel('Globex Household')).toBeVisible();
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);

	// Nothing chosen, nothing written: both errors.
	await page.getByRole('button', { name: 'Publish now' }).click();
	await expect(page.getByText('Choose at least one account')).toBeVisible();
	await expect(page.getByText('Enter the update')).toBeVisible();
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);
	await screenshots(page, 'staff-bulk-errors');

	// A body alone is not enough either.
	await page.getByLabel('Update', { exact: true }).fill(text);
	await page.getByRole('button', { name: 'Publish now' }).click();
	await expect(page.getByText('Choose at least one account')).toBeVisible();
	await expect(page.getByLabel('Update', { exact: true })).toHaveValue(text);

	// The search narrows the list; "Select all shown" ticks what is shown.
	await page.getByLabel('Search accounts').fill('Globex');
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	await expect(page).toHaveURL(/q=Globex/);
	await expect(page.getByLabel('Acme Corporation')).toHaveCount(0);
	await page.getByRole('button', { name: 'Select all shown' }).click();
	await expect(page.getByLabel('Globex Household')).toBeChecked();
	await expect(page.getByText('1 of 1 account shown selected')).toBeVisible();
	await page.getByRole('link', { name: 'Show all accounts' }).click();
	await expect(page.getByLabel('Acme Corporation')).toBeVisible();

	await page.getByLabel('Acme Corporation').check();
	await page.getByLabel('Globex Household').check();
	await page.getByLabel('Update', { exact: true }).fill(text);
	await page.getByRole('button', { name: 'Publish now' }).click();
	const summary = page.getByRole('status').filter({ hasText: 'Posted to 2 accounts' });
	await expect(summary).toBeVisible();
	await expect(summary.getByRole('link', { name: 'Acme Corporation' })).toHaveAttribute(
		'href',
		`/accounts/${ACME}/projects`
	);
	await expect(summary.getByRole('link', { name: 'Globex Household' })).toHaveAttribute(
		'href',
		`/accounts/${GLOBEX}/projects`
	);
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);
	await screenshots(page, 'staff-bulk-posted');

	// Each account's client sees it.
	for (const [email, account] of [
		['olivia@acme.example.com', ACME],
		['grace@globex.example.com', GLOBEX]
	] as const) {
		const client = await signedIn(browser, email);
		await client.goto(`/accounts/${account}/projects`);
		const wide = client.getByRole('region', { name: 'Updates for the whole account' });
		await expect(wide.getByText(text)).toBeVisible();
		await expect(client.getByRole('button', { name: /Publish|Save/ })).toHaveCount(0);
		await expect(client.getByText('New project', { exact: true })).toHaveCount(0);
		await expectNoAxeViolations(client);
		await client.context().close();
	}

	// Sam serves Acme only: Globex is not offered, and a crafted post naming it is refused.
	const sam = await signedIn(browser, 'sam@staff.example.com');
	await sam.goto('/staff/updates');
	await expect(sam.getByLabel('Acme Corporation')).toBeVisible();
	await expect(sam.getByLabel('Globex Household')).toHaveCount(0);
	const sneaky = `Sneaky ${suffix}`;
	const refusedPost = await craftedPost(sam, '/staff/updates?/post', {
		account: [ACME, GLOBEX],
		body: sneaky,
		intent: 'publish'
	});
	expect(refusedPost.status()).toBe(403);
	await sam.context().close();

	// Nothing was written, in either account (Ada sees drafts and all).
	for (const account of [ACME, GLOBEX]) {
		await page.goto(`/accounts/${account}/projects`);
		await expect(page.getByText(text)).toBeVisible();
		await expect(page.getByText(sneaky)).toHaveCount(0);
	}
});
