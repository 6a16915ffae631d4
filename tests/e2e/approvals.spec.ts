import { expect, test, type Browser, type Page } from '@playwright/test';
import { createClient } from '@supabase/supabase-js';
import type { Database } from '../../src/lib/database.types';
import {
	ACME,
	CLIENT_HOME,
	DEMO_PASSWORD,
	expectNoAxeViolations,
	GLOBEX,
	screenshots,
	signInWithPassword
} from './helpers';

const OLIVIA = 'c0000000-0000-4000-8000-000000000001';
const MARK = 'c0000000-0000-4000-8000-000000000002';
/** The seeded approval: version 2 of Homepage design.pdf, Olivia and Mark decide. */
const SEEDED_APPROVAL = 'a1000000-0000-4000-8000-000000000001';
const HOMEPAGE = 'd0000000-0000-4000-8000-000000000006';
const HOMEPAGE_V2 = 'e1000000-0000-4000-8000-000000000002';

/** A signed-in page of its own (own cookies), so several people can act in one test. */
async function pageFor(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signInWithPassword(page, email);
	await expect(page).toHaveURL(email.endsWith('@staff.example.com') ? '/staff' : CLIENT_HOME);
	return page;
}

/**
 * Sam (staff serving Acme) asks Olivia and Mark to approve version 2 of the homepage design,
 * through the API as himself. The journeys decide their own approval, so the seeded one
 * stays pending for every other spec.
 */
async function requestApproval(title: string): Promise<string> {
	const sam = createClient<Database>(
		process.env.PUBLIC_SUPABASE_URL!,
		process.env.PUBLIC_SUPABASE_PUBLISHABLE_KEY!,
		{ auth: { persistSession: false, autoRefreshToken: false } }
	);
	const signedIn = await sam.auth.signInWithPassword({
		email: 'sam@staff.example.com',
		password: DEMO_PASSWORD
	});
	expect(signedIn.error).toBeNull();
	const id = crypto.randomUUID();
	const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
	const approval = await sam.from('approvals').insert({
		id,
		account_id: ACME,
		document_version_id: HOMEPAGE_V2,
		title,
		note: 'One more look before the build starts.',
		due_on: due
	});
	expect(approval.error).toBeNull();
	const approvers = await sam.from('approval_approvers').insert([
		{ approval_id: id, account_id: ACME, user_id: OLIVIA },
		{ approval_id: id, account_id: ACME, user_id: MARK }
	]);
	expect(approvers.error).toBeNull();
	await sam.auth.signOut();
	return id;
}

const approverRow = (page: Page, name: string) =>
	page.getByRole('region', { name: 'Approvers' }).getByRole('listitem').filter({ hasText: name });

test('both approvers approve, one after the other; staff see the outcome', async ({ browser }) => {
	test.slow(); // four people, one after another
	const title = `Homepage design, final check ${Date.now()}`;
	const approvalId = await requestApproval(title);
	const detail = `/accounts/${ACME}/approvals/${approvalId}`;

	// Mark finds it waiting for him.
	const mark = await pageFor(browser, 'mark@acme.example.com');
	await mark
		.getByRole('navigation', { name: 'Acme Corporation sections' })
		.getByRole('link', { name: /Approvals/ })
		.click();
	await expect(mark.getByRole('heading', { name: 'Approvals', level: 1 })).toBeVisible();
	const waiting = mark.getByRole('region', { name: 'Waiting for you' });
	await expect(waiting.getByRole('link', { name: title })).toBeVisible();
	await expect(waiting.getByRole('link', { name: 'Homepage design, second draft' })).toBeVisible();
	await expect(waiting).toContainText('Homepage design.pdf, version 2');
	await mark.waitForLoadState('networkidle');
	await expectNoAxeViolations(mark);
	await screenshots(mark, 'approvals');

	await waiting.getByRole('link', { name: title }).click();
	await expect(mark).toHaveURL(detail);
	await expect(mark.getByRole('heading', { name: title, level: 1 })).toBeVisible();
	await expect(mark.getByText('One more look before the build starts.')).toBeVisible();
	const document = mark.getByRole('region', { name: 'Document under review' });
	await expect(document).toContainText('Homepage design.pdf');
	await expect(document).toContainText('version 2');
	await expect(document.getByRole('link', { name: /^Download/ })).toHaveAttribute(
		'href',
		`/documents/${HOMEPAGE}/download?version=${HOMEPAGE_V2}`
	);
	await expect(document.getByRole('link', { name: /^Preview/ })).toHaveAttribute(
		'href',
		`/documents/${HOMEPAGE}/preview?version=${HOMEPAGE_V2}`
	);
	await expect(approverRow(mark, 'Mark Member')).toContainText('Not decided yet');
	await expect(approverRow(mark, 'Olivia Owner')).toContainText('Not decided yet');

	// Changes need a comment: the form says so, and nothing is recorded.
	await mark.getByRole('button', { name: 'Request changes' }).click();
	await expect(
		mark.getByText('Say what should change, so the team knows what to do next.')
	).toBeVisible();
	await expect(mark.getByLabel('Comment')).toBeFocused();
	await expect(mark.getByLabel('Comment')).toHaveAttribute('aria-invalid', 'true');
	await expectNoAxeViolations(mark);
	await screenshots(mark, 'approval-error');
	await mark.reload();
	await expect(approverRow(mark, 'Mark Member')).toContainText('Not decided yet');
	await expect(mark.getByText(/Status:.*Waiting for decision/)).toBeVisible();

	// Mark approves: his decision is recorded; the approval waits for Olivia.
	await mark.getByLabel('Comment').fill('Looks good to me.');
	await mark.getByRole('button', { name: 'Approve' }).click();
	await expect(mark.getByText('Your decision is recorded.', { exact: false })).toBeVisible();
	await expect(approverRow(mark, 'Mark Member')).toContainText(
		/Approved on \d+ \w+ \d{4}, \d{2}:\d{2}/
	);
	await expect(approverRow(mark, 'Mark Member')).toContainText('Looks good to me.');
	await expect(approverRow(mark, 'Olivia Owner')).toContainText('Not decided yet');
	await expect(mark.getByText(/Status:.*Waiting for decision/)).toBeVisible();
	await expect(mark.getByText('1 of 2 decided')).toBeVisible();
	// A decision is final: no controls to change it.
	await expect(mark.getByRole('button', { name: 'Approve' })).toHaveCount(0);
	await expect(mark.getByRole('button', { name: 'Request changes' })).toHaveCount(0);
	await expect(mark.getByText(/You approved this on/)).toBeVisible();
	await expectNoAxeViolations(mark);

	// Olivia approves too: the approval is approved, with both names and times.
	const olivia = await pageFor(browser, 'olivia@acme.example.com');
	await olivia.goto(detail);
	await olivia.getByRole('button', { name: 'Approve' }).click();
	await expect(olivia.getByText(/Status:.*Approved/)).toBeVisible();
	await expect(olivia.getByText(/Approved by every approver on/)).toBeVisible();
	for (const name of ['Mark Member', 'Olivia Owner']) {
		await expect(approverRow(olivia, name)).toContainText(/Approved on \d+ \w+ \d{4}, \d{2}:\d{2}/);
	}
	await expect(olivia.getByText('2 of 2 decided')).toBeVisible();
	await expectNoAxeViolations(olivia);
	await screenshots(olivia, 'approval-approved');

	// Sam, who asked, sees the outcome on the same page, and in the decided list.
	const sam = await pageFor(browser, 'sam@staff.example.com');
	await sam.goto(detail);
	await expect(sam.getByText(/Status:.*Approved/)).toBeVisible();
	await expect(approverRow(sam, 'Mark Member')).toContainText('Approved on');
	await expect(approverRow(sam, 'Olivia Owner')).toContainText('Approved on');
	await expect(sam.getByRole('button', { name: 'Approve' })).toHaveCount(0);
	await sam.goto(`/accounts/${ACME}/approvals`);
	const decided = sam.getByRole('region', { name: 'Decided' });
	await expect(decided.getByRole('listitem').filter({ hasText: title })).toContainText(
		/Approved on \d+ \w+ \d{4}/
	);
	await expectNoAxeViolations(sam);
});

test('a decision on an approval someone else has just closed shows why it failed', async ({
	browser
}) => {
	test.slow(); // two people at once
	const title = `Homepage design, late answer ${Date.now()}`;
	const approvalId = await requestApproval(title);
	const detail = `/accounts/${ACME}/approvals/${approvalId}`;

	const mark = await pageFor(browser, 'mark@acme.example.com');
	await mark.goto(detail);
	await expect(mark.getByRole('button', { name: 'Approve' })).toBeVisible();

	// Meanwhile Olivia asks for changes, which decides the approval at once.
	const olivia = await pageFor(browser, 'olivia@acme.example.com');
	await olivia.goto(detail);
	await olivia.getByLabel('Comment').fill('The hero image should be larger.');
	await olivia.getByRole('button', { name: 'Request changes' }).click();
	await expect(olivia.getByText(/Status:.*Changes requested/)).toBeVisible();
	await expect(approverRow(olivia, 'Olivia Owner')).toContainText('Requested changes');
	await expect(approverRow(olivia, 'Olivia Owner')).toContainText(
		'The hero image should be larger.'
	);

	// Mark's page is out of date: the database refuses, and he is told why.
	await mark.getByRole('button', { name: 'Approve' }).click();
	await expect(mark.getByRole('alert')).toContainText(
		'This approval has already been decided or withdrawn.'
	);
	await mark.reload();
	await expect(mark.getByText(/Status:.*Changes requested/)).toBeVisible();
	await expect(approverRow(mark, 'Mark Member')).toContainText('Did not decide');
	await expect(mark.getByRole('button', { name: 'Approve' })).toHaveCount(0);
});

test('a viewer sees approvals without decision controls; Globex cannot open Acme’s', async ({
	browser
}) => {
	test.slow(); // two people
	const vera = await pageFor(browser, 'vera@acme.example.com');
	await vera.goto(`/accounts/${ACME}/approvals`);
	// A viewer is never asked to decide.
	await expect(vera.getByRole('region', { name: 'Waiting for you' })).toHaveCount(0);
	const pending = vera.getByRole('region', { name: 'Pending approvals' });
	await pending.getByRole('link', { name: 'Homepage design, second draft' }).click();
	await expect(vera).toHaveURL(`/accounts/${ACME}/approvals/${SEEDED_APPROVAL}`);
	await expect(approverRow(vera, 'Olivia Owner')).toBeVisible();
	await expect(approverRow(vera, 'Mark Member')).toBeVisible();
	await expect(vera.getByRole('button', { name: 'Approve' })).toHaveCount(0);
	await expect(vera.getByRole('button', { name: 'Request changes' })).toHaveCount(0);
	await expect(vera.getByLabel('Comment')).toHaveCount(0);
	await expectNoAxeViolations(vera);
	await screenshots(vera, 'approval-viewer');

	const grace = await pageFor(browser, 'grace@globex.example.com');
	await grace.goto(`/accounts/${GLOBEX}/approvals`);
	await expect(grace.getByRole('heading', { name: 'Approvals', level: 1 })).toBeVisible();
	await expect(grace.getByText(/Nothing to approve yet/)).toBeVisible();
	await expectNoAxeViolations(grace);
	for (const path of [
		`/accounts/${ACME}/approvals/${SEEDED_APPROVAL}`,
		`/accounts/${GLOBEX}/approvals/${SEEDED_APPROVAL}`
	]) {
		const response = await grace.goto(path);
		expect(response?.status(), path).toBe(404);
		await expect(grace.getByText('Homepage design, second draft')).toHaveCount(0);
	}
	// A decision posted straight at Acme's approval is refused (RLS: she is no approver).
	const posted = await grace.request.post(
		`/accounts/${GLOBEX}/approvals/${SEEDED_APPROVAL}?/decide`,
		{
			form: { decision: 'approved', comment: '' },
			headers: { origin: new URL(grace.url()).origin }
		}
	);
	expect([403, 404]).toContain(posted.status());
});
