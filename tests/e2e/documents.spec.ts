import { expect, test, type Page } from '@playwright/test';
import { createClient } from '@supabase/supabase-js';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
	ACME,
	DEMO_PASSWORD,
	expectNoAxeViolations,
	GLOBEX,
	screenshots,
	signInWithPassword,
	waitForHydration
} from './helpers';

const KICK_OFF_NOTES = 'd0000000-0000-4000-8000-000000000002'; // Acme, text/plain
const BRAND_LOGO = 'd0000000-0000-4000-8000-000000000003'; // Acme, image/png
const HOME_SURVEY = 'd0000000-0000-4000-8000-000000000004'; // Globex, PDF
const ACME_DOCUMENTS = `/accounts/${ACME}/documents`;

const seedFiles = path.join(import.meta.dirname, '..', '..', 'supabase', 'seed-files');
const PDF = readFileSync(path.join(seedFiles, 'Homepage design.pdf'));
const PDF_REV_2 = readFileSync(path.join(seedFiles, 'Homepage design (rev 2).pdf'));
const MB = 1024 * 1024;

/** Names unique to this run, so nothing here collides with seeded or other specs' rows. */
const run = Date.now().toString(36);

async function signInAs(page: Page, email: string) {
	await signInWithPassword(page, email);
	await expect(page).not.toHaveURL(/\/sign-in/);
}

async function switchUser(page: Page, email: string) {
	await page.context().clearCookies();
	await signInAs(page, email);
}

/** Opens the documents page and waits for hydration (the uploader needs its script). */
async function openDocuments(page: Page, query = '') {
	await page.goto(`${ACME_DOCUMENTS}${query}`, { waitUntil: 'networkidle' });
	await expect(page.getByRole('heading', { level: 1, name: 'Documents' })).toBeVisible();
}

const listed = (page: Page, name: string) =>
	page.locator('.document-list .document-name').filter({ hasText: name });

const uploadRow = (page: Page, name: string) => page.locator('.upload').filter({ hasText: name });

function oliviaClient() {
	return createClient(
		process.env.PUBLIC_SUPABASE_URL!,
		process.env.PUBLIC_SUPABASE_PUBLISHABLE_KEY!,
		{
			auth: { persistSession: false }
		}
	);
}

test('folders: create one, open it, follow the breadcrumb, rename and delete it', async ({
	page
}) => {
	test.setTimeout(90_000); // a long journey, on a shared and sometimes busy machine
	await signInAs(page, 'olivia@acme.example.com');
	await openDocuments(page);
	await expectNoAxeViolations(page);

	const folder = `Reports ${run}`;
	await page.getByLabel('New folder name').fill(folder);
	await page.getByRole('button', { name: 'Create folder' }).click();
	await expect(page.getByText(`Folder “${folder}” created.`)).toBeVisible();

	// The same name twice in one place is refused with a message, not a 500.
	await page.getByLabel('New folder name').fill(folder.toUpperCase());
	await page.getByRole('button', { name: 'Create folder' }).click();
	await expect(page.getByText('A folder with that name is already here')).toBeVisible();

	await page.getByRole('link', { name: folder }).click();
	await expect(page).toHaveURL(/\?folder=/);
	const breadcrumb = page.getByRole('navigation', { name: 'Breadcrumb' });
	await expect(breadcrumb.getByRole('link', { name: 'All documents' })).toBeVisible();
	await expect(breadcrumb.getByText(folder)).toHaveAttribute('aria-current', 'page');
	await expect(page.getByText('No documents in this folder yet.')).toBeVisible();

	// A folder inside it, then back up through the breadcrumb.
	await page.getByLabel('New folder name').fill('Quarter one');
	await page.getByRole('button', { name: 'Create folder' }).click();
	await page.getByRole('link', { name: 'Quarter one' }).click();
	await expect(breadcrumb.getByRole('link', { name: folder })).toBeVisible();
	await expect(breadcrumb.getByText('Quarter one')).toHaveAttribute('aria-current', 'page');
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);

	// Rename it, then delete it (it is empty): back in its parent.
	await page.getByText('Rename or delete “Quarter one”').click();
	await page.getByLabel('Folder name', { exact: true }).fill('Q1');
	await page.getByRole('button', { name: 'Rename folder' }).click();
	await expect(page.getByText('Folder renamed to “Q1”.')).toBeVisible();
	await expect(breadcrumb.getByText('Q1')).toBeVisible();
	await page.getByRole('button', { name: 'Delete folder' }).click();
	await expect(page.getByText('The folder was deleted.')).toBeVisible();
	await expect(breadcrumb.getByText(folder)).toHaveAttribute('aria-current', 'page');
	await expect(page.getByRole('link', { name: 'Q1' })).toHaveCount(0);

	await breadcrumb.getByRole('link', { name: 'All documents' }).click();
	await expect(breadcrumb.getByText('All documents')).toHaveAttribute('aria-current', 'page');

	// A folder with documents in it is not deleted: the database says why.
	await page.getByRole('link', { name: 'Contracts' }).click();
	await expect(listed(page, 'Statement of work.pdf')).toBeVisible();
	await page.getByText('Rename or delete “Contracts”').click();
	await page.getByRole('button', { name: 'Delete folder' }).click();
	await expect(page.getByRole('alert')).toContainText(
		'Move or delete what is in this folder first.'
	);
	await expect(listed(page, 'Statement of work.pdf')).toBeVisible();
	await screenshots(page, 'documents-folder');
});

test('upload two files at once, rename, move, search, new version, downloads, preview, trash and restore', async ({
	page
}) => {
	test.setTimeout(150_000); // the whole life of a document, as one journey
	const brief = `Brief ${run}.pdf`;
	const notes = `Notes ${run}.txt`;
	const minutes = `Minutes ${run}.txt`;
	const cspViolations: string[] = [];
	page.on('console', (message) => {
		if (/content security policy|refused to (frame|load|display)/i.test(message.text())) {
			cspViolations.push(message.text());
		}
	});

	await signInAs(page, 'olivia@acme.example.com');
	await openDocuments(page);

	await page.getByLabel('Choose files').setInputFiles([
		{ name: brief, mimeType: 'application/pdf', buffer: PDF },
		{ name: notes, mimeType: 'text/plain', buffer: Buffer.from('Agenda: kick-off, next steps.\n') }
	]);
	await expect(uploadRow(page, brief)).toContainText('Uploaded');
	await expect(uploadRow(page, notes)).toContainText('Uploaded');
	await expect(listed(page, brief)).toBeVisible();
	await expect(listed(page, notes)).toBeVisible();
	const briefRow = page.locator('.document').filter({ hasText: brief });
	await expect(briefRow).toContainText('753 bytes');
	await expect(briefRow).toContainText('uploaded by Olivia Owner');
	await expect(briefRow).toContainText('1 version');
	await screenshots(page, 'documents');

	// Rename the text file.
	const notesRow = page.locator('.document').filter({ hasText: notes });
	await notesRow.getByText('Rename, move or delete').click();
	await notesRow.getByLabel('New name').fill(minutes);
	await notesRow.getByRole('button', { name: /^Rename/ }).click();
	await expect(page.getByText(`Renamed to “${minutes}”.`)).toBeVisible();
	await expect(listed(page, minutes)).toBeVisible();
	await expect(listed(page, notes)).toHaveCount(0);

	// An empty name is refused beside the field.
	const minutesRow = page.locator('.document').filter({ hasText: minutes });
	await minutesRow.getByLabel('New name').fill('   ');
	await minutesRow.getByRole('button', { name: /^Rename/ }).click();
	await expect(minutesRow.getByText('Enter a name')).toBeVisible();
	await expect(listed(page, minutes)).toBeVisible();

	// Move the PDF into the Design folder.
	await briefRow.getByText('Rename, move or delete').click();
	await briefRow.getByLabel('Folder', { exact: true }).selectOption({ label: 'Design' });
	await briefRow.getByRole('button', { name: /^Move/ }).click();
	await expect(page.getByText(`Moved “${brief}” to “Design”.`)).toBeVisible();
	await expect(listed(page, brief)).toHaveCount(0);
	await page.getByRole('link', { name: 'Design' }).click();
	await expect(listed(page, brief)).toBeVisible();

	// Search by name finds it from anywhere, and says where it is.
	await page.getByLabel('Search documents by name').fill(`brief ${run}`);
	await page.getByRole('button', { name: 'Search' }).click();
	await expect(page).toHaveURL(/\?q=/);
	await expect(
		page.getByRole('heading', { name: `Search results for “brief ${run}”` })
	).toBeVisible();
	await expect(listed(page, brief)).toBeVisible();
	await expect(page.locator('.document').filter({ hasText: brief })).toContainText('in Design');
	// % and _ are matched literally, not as wildcards.
	await openDocuments(page, `?q=${encodeURIComponent('%')}`);
	await expect(page.getByText('No documents match “%”.')).toBeVisible();
	await openDocuments(page, `?q=${encodeURIComponent(`zz-nothing-${run}`)}`);
	await expect(page.getByText(`No documents match “zz-nothing-${run}”.`)).toBeVisible();

	// Details: one version, then a second one uploaded from the page.
	await openDocuments(page, `?q=${encodeURIComponent(brief)}`);
	await page.getByRole('link', { name: `Details of ${brief}` }).click();
	await expect(page.getByRole('heading', { level: 1, name: brief })).toBeVisible();
	await waitForHydration(page); // the PDF preview's viewer can keep the network busy
	const versions = page.getByRole('table');
	await expect(versions.getByRole('row')).toHaveCount(2); // header + version 1
	await page.getByLabel('Choose a file').setInputFiles({
		name: 'Brief revised.pdf',
		mimeType: 'application/pdf',
		buffer: PDF_REV_2
	});
	await expect(uploadRow(page, 'Brief revised.pdf')).toContainText('Uploaded');
	await expect(versions.getByRole('rowheader', { name: /Version 2/ })).toBeVisible();
	await expect(versions.getByRole('rowheader', { name: /Version 1/ })).toBeVisible();
	await expect(versions.getByRole('row').nth(1)).toContainText('Current');
	await expect(page.getByText('2 versions')).toBeVisible();

	// Both versions download, each with its own bytes and name.
	for (const [label, fileName, bytes] of [
		['Download version 2', brief, PDF_REV_2],
		['Download version 1', `Brief ${run} (version 1).pdf`, PDF]
	] as const) {
		const href = await versions.getByRole('link', { name: label }).getAttribute('href');
		const redirect = await page.request.get(href!, { maxRedirects: 0 });
		expect(redirect.status()).toBe(303);
		// Storage is asked to send it as an attachment under this name.
		const location = new URL(redirect.headers()['location'] ?? '');
		expect(location.searchParams.get('download')).toBe(fileName);
		const download = await page.request.get(href!);
		expect(download.status()).toBe(200);
		expect(await download.body()).toEqual(bytes);
	}

	// The PDF preview: an iframe on the preview endpoint, which streams the current version.
	const frame = page.getByTitle(`Preview of ${brief}`);
	await expect(frame).toBeVisible();
	const src = await frame.getAttribute('src');
	expect(src).toMatch(/\/preview\?version=/);
	const preview = await page.request.get(src!);
	expect(preview.status()).toBe(200);
	expect(preview.headers()['content-type']).toBe('application/pdf');
	expect(preview.headers()['content-disposition']).toContain("inline; filename*=UTF-8''");
	expect(preview.headers()['x-frame-options']).toBe('SAMEORIGIN');
	expect(preview.headers()['x-content-type-options']).toBe('nosniff');
	expect(preview.headers()['content-security-policy']).toContain('sandbox');
	expect(await preview.body()).toEqual(PDF_REV_2);
	// The page's own policy lets the frame load: reload and watch the frame's request.
	const framed = page.waitForResponse((response) => response.url().includes('/preview?version='));
	await page.reload();
	expect((await framed).status()).toBe(200);
	await waitForHydration(page); // the PDF preview's viewer can keep the network busy
	await expectNoAxeViolations(page);
	await screenshots(page, 'document-details');

	// Opening and downloading were noted in the activity log.
	const olivia = oliviaClient();
	await olivia.auth.signInWithPassword({
		email: 'olivia@acme.example.com',
		password: DEMO_PASSWORD
	});
	const { data: accessLog } = await olivia
		.from('activity_log')
		.select('action, details')
		.eq('account_id', ACME)
		.in('action', ['document.viewed', 'document.downloaded']);
	const aboutBrief = (accessLog ?? []).filter(
		(entry) => (entry.details as { name?: string }).name === brief
	);
	expect(aboutBrief.map((entry) => entry.action)).toEqual(
		expect.arrayContaining(['document.viewed', 'document.downloaded'])
	);

	// Delete the text file: it goes to the trash, where a client can only look.
	await openDocuments(page, `?q=${encodeURIComponent(minutes)}`);
	await page.getByRole('link', { name: `Details of ${minutes}` }).click();
	await expect(page.getByText('No preview for this type; download it instead.')).toBeVisible();
	await page.getByRole('button', { name: `Delete ${minutes}` }).click();
	await expect(page.getByText(`“${minutes}” was moved to the trash.`)).toBeVisible();
	await expect(page.getByText('This document is in the trash')).toBeVisible();
	await openDocuments(page);
	await expect(listed(page, minutes)).toHaveCount(0);
	await page.getByRole('link', { name: /^Trash/ }).click();
	await expect(page.getByRole('heading', { name: 'Trash' })).toBeVisible();
	const trashed = page.locator('.document').filter({ hasText: minutes });
	await expect(trashed).toContainText('deleted by Olivia Owner');
	await expect(page.getByText('Ask your contact to restore one you need back.')).toBeVisible();
	await expect(page.getByRole('button', { name: /^Restore/ })).toHaveCount(0);
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);
	await screenshots(page, 'documents-trash');

	// Sam, the staff member serving Acme, restores it.
	await switchUser(page, 'sam@staff.example.com');
	await openDocuments(page, '?view=trash');
	await page.getByRole('button', { name: `Restore ${minutes}` }).click();
	await expect(page.getByText(`“${minutes}” was restored.`)).toBeVisible();
	await expect(listed(page, minutes)).toHaveCount(0);
	await openDocuments(page);
	await expect(listed(page, minutes)).toBeVisible();
	await screenshots(page, 'documents-staff');
	expect(cspViolations).toEqual([]);
});

test('an image previews inline; other types say to download', async ({ page }) => {
	await signInAs(page, 'olivia@acme.example.com');
	await page.goto(`${ACME_DOCUMENTS}/${BRAND_LOGO}`, { waitUntil: 'networkidle' });
	const image = page.getByRole('img', { name: 'Preview of Brand logo.png' });
	await expect(image).toBeVisible();
	await expect
		.poll(() => image.evaluate((element: HTMLImageElement) => element.naturalWidth))
		.toBeGreaterThan(0);

	const text = await page.request.get(`/documents/${KICK_OFF_NOTES}/preview`);
	expect(text.status()).toBe(415);
	expect(await text.text()).toContain('cannot be previewed');
	// A version of another document is not a way in.
	const foreignVersion = await page.request.get(
		`/documents/${BRAND_LOGO}/download?version=e1000000-0000-4000-8000-000000000002`,
		{ maxRedirects: 0 }
	);
	expect(foreignVersion.status()).toBe(404);
});

test('drag and drop uploads a file', async ({ page }) => {
	const name = `Dropped ${run}.pdf`;
	await signInAs(page, 'olivia@acme.example.com');
	await openDocuments(page);
	const dataTransfer = await page.evaluateHandle(
		({ name, bytes }) => {
			const transfer = new DataTransfer();
			transfer.items.add(new File([new Uint8Array(bytes)], name, { type: 'application/pdf' }));
			return transfer;
		},
		{ name, bytes: [...PDF] }
	);
	const zone = page.locator('.drop-zone');
	await zone.dispatchEvent('dragenter', { dataTransfer });
	await zone.dispatchEvent('dragover', { dataTransfer });
	await zone.dispatchEvent('drop', { dataTransfer });
	await expect(uploadRow(page, name)).toContainText('Uploaded');
	await expect(listed(page, name)).toBeVisible();
});

test('a 50 MB file uploads with a progress bar that reaches 100 %', async ({ page }) => {
	test.setTimeout(180_000);
	const name = `big-${run}.pdf`;
	const file = test.info().outputPath(name);
	const bytes = Buffer.alloc(50 * MB);
	bytes.write('%PDF-1.4\n', 0, 'latin1');
	writeFileSync(file, bytes);

	await signInAs(page, 'olivia@acme.example.com');
	await openDocuments(page);
	await page.getByLabel('Choose files').setInputFiles(file);
	const row = uploadRow(page, name);
	await expect(row.locator('progress')).toBeVisible();
	await expect(row).toContainText('Uploaded', { timeout: 150_000 });
	await expect(row.locator('progress')).toHaveJSProperty('value', 100);
	await expect(row).toContainText('100 %');
	await expect(listed(page, name)).toBeVisible();
	await expect(page.locator('.document').filter({ hasText: name })).toContainText('50 MB');
	rmSync(file);
});

test('files are refused in the browser before anything is sent', async ({ page }) => {
	const storageRequests: string[] = [];
	page.on('request', (request) => {
		if (request.url().includes('/storage/v1/object')) storageRequests.push(request.url());
	});
	const tooBig = `too-big-${run}.pdf`;
	const tooBigPath = test.info().outputPath(tooBig);
	const bytes = Buffer.alloc(50 * MB + 1);
	bytes.write('%PDF-1.4\n', 0, 'latin1');
	writeFileSync(tooBigPath, bytes);

	await signInAs(page, 'olivia@acme.example.com');
	await openDocuments(page);
	await page.getByLabel('Choose files').setInputFiles(tooBigPath);
	await expect(uploadRow(page, tooBig)).toContainText('is larger than the 50 MB limit');

	// A web page, and a "PDF" that is really text: refused by the content check.
	await page.getByLabel('Choose files').setInputFiles([
		{
			name: `page-${run}.html`,
			mimeType: 'text/html',
			buffer: Buffer.from('<html><body>Hi</body></html>')
		},
		{ name: `fake-${run}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from('just some text') }
	]);
	await expect(uploadRow(page, `page-${run}.html`)).toContainText('.html files are not accepted');
	await expect(uploadRow(page, `fake-${run}.pdf`)).toContainText('does not look like a .pdf file');
	await screenshots(page, 'documents-refused');
	await page.waitForTimeout(500);

	expect(storageRequests).toEqual([]);
	await page.reload();
	for (const name of [tooBig, `page-${run}.html`, `fake-${run}.pdf`]) {
		await expect(listed(page, name)).toHaveCount(0);
	}
	rmSync(tooBigPath);
});

test('a failed upload shows an error and leaves neither a row nor a file', async ({ page }) => {
	const name = `Lost ${run}.pdf`;
	const olivia = oliviaClient();
	await olivia.auth.signInWithPassword({
		email: 'olivia@acme.example.com',
		password: DEMO_PASSWORD
	});
	const objectsBefore = await olivia.storage.from('documents').list(ACME, { limit: 1000 });
	expect(objectsBefore.error).toBeNull();

	await signInAs(page, 'olivia@acme.example.com');
	await openDocuments(page);
	await page.route('**/storage/v1/object/**', (route) => route.abort());
	await page.getByLabel('Choose files').setInputFiles({
		name,
		mimeType: 'application/pdf',
		buffer: PDF
	});
	const row = uploadRow(page, name);
	await expect(row).toContainText('could not be sent');
	await expect(row.getByRole('button', { name: /Try again/ })).toBeVisible();
	await page.unroute('**/storage/v1/object/**');

	await page.reload();
	await expect(listed(page, name)).toHaveCount(0);
	const { data: rows } = await olivia.from('documents').select('id').eq('name', name);
	expect(rows).toEqual([]);
	const objectsAfter = await olivia.storage.from('documents').list(ACME, { limit: 1000 });
	expect(objectsAfter.data?.map((o) => o.name).sort()).toEqual(
		objectsBefore.data?.map((o) => o.name).sort()
	);
});

test('an upload in progress can be cancelled, and nothing is saved', async ({ page }) => {
	const name = `Cancelled ${run}.pdf`;
	await signInAs(page, 'olivia@acme.example.com');
	await openDocuments(page);
	// Storage never answers, so the upload stays in progress until it is cancelled.
	await page.route('**/storage/v1/object/**', () => new Promise<void>(() => {}));
	await page
		.getByLabel('Choose files')
		.setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF });
	const row = uploadRow(page, name);
	await expect(row).toContainText('Uploading…');
	await row.getByRole('button', { name: `Cancel upload of ${name}` }).click();
	await expect(row).toContainText(`“${name}” was not uploaded.`);
	await expect(row.getByRole('button', { name: /Cancel/ })).toHaveCount(0);
	await page.unroute('**/storage/v1/object/**');

	await page.reload();
	await expect(listed(page, name)).toHaveCount(0);
	const olivia = oliviaClient();
	await olivia.auth.signInWithPassword({
		email: 'olivia@acme.example.com',
		password: DEMO_PASSWORD
	});
	const { data: rows } = await olivia.from('documents').select('id').eq('name', name);
	expect(rows).toEqual([]);
});

test('a viewer sees documents but no upload or change controls', async ({ page }) => {
	await signInAs(page, 'vera@acme.example.com');
	await openDocuments(page);
	await expect(listed(page, 'Kick-off notes.txt')).toBeVisible();
	await expect(page.getByText('You can view and download documents.')).toBeVisible();
	await expect(page.getByLabel('Choose files')).toHaveCount(0);
	await expect(page.getByText('Rename, move or delete')).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Create folder' })).toHaveCount(0);

	await page.getByRole('link', { name: 'Details of Kick-off notes.txt' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Kick-off notes.txt' })).toBeVisible();
	await expect(page.getByLabel('Choose a file')).toHaveCount(0);
	await expect(page.getByRole('button', { name: /^Delete/ })).toHaveCount(0);
	await expect(page.getByRole('link', { name: /^Download/ }).first()).toBeVisible();
	await screenshots(page, 'documents-viewer');
});

test('another account’s documents stay invisible: 404 for the page, download and preview', async ({
	page
}) => {
	await signInAs(page, 'grace@globex.example.com');
	await page.goto(`/accounts/${GLOBEX}/documents`, { waitUntil: 'networkidle' });
	await expect(listed(page, 'Home survey.pdf')).toBeVisible();
	await expect(page.getByText('Kick-off notes.txt')).toHaveCount(0);

	expect((await page.goto(ACME_DOCUMENTS))?.status()).toBe(404);
	expect((await page.goto(`${ACME_DOCUMENTS}/${KICK_OFF_NOTES}`))?.status()).toBe(404);
	for (const url of [
		`/documents/${KICK_OFF_NOTES}/download`,
		`/documents/${BRAND_LOGO}/preview`,
		`/documents/${BRAND_LOGO}/download?version=e1000000-0000-4000-8000-000000000002`
	]) {
		const response = await page.request.get(url, { maxRedirects: 0 });
		expect(response.status(), url).toBe(404);
	}
	// Her own files still work.
	const own = await page.request.get(`/documents/${HOME_SURVEY}/preview`);
	expect(own.status()).toBe(200);
	expect(own.headers()['content-type']).toBe('application/pdf');
});
