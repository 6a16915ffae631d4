/**
 * Uploads straight to Storage, as the app's browser client makes them (src/lib/uploads/
 * upload.ts): the bucket's size limit and its list of file types refuse a file before any
 * of it is kept, an interrupted upload leaves nothing, and a row is only ever saved for a
 * file that is stored (the database checks, and takes the size and type from storage).
 * The browser's own content check (first bytes against the name) is unit-tested in
 * src/lib/uploads/file-rules.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ACME, publishableKey, signedIn, supabaseUrl, type Client } from '../api/env';
import { storageError } from './api-support';
import { recordAttempt } from './report';

const LIMIT = 50 * 1024 * 1024; // the documents bucket's file_size_limit (first migration)
const MARK = 'c0000000-0000-4000-8000-000000000002';

/** Files this file stored, removed at the end by staff serving Acme. */
const stored: string[] = [];
const saved: string[] = [];

afterAll(async () => {
	const sam = await signedIn('sam@staff.example.com');
	if (saved.length > 0) await sam.from('documents').delete().in('id', saved);
	if (stored.length > 0) await sam.storage.from('documents').remove(stored);
});

async function listedIn(client: Client, path: string) {
	const { data } = await client.storage
		.from('documents')
		.list(path.split('/').slice(0, 2).join('/'));
	return (data ?? []).map((entry) => entry.name);
}

describe('size limits', () => {
	it('refuses a file over the bucket limit, and keeps nothing of it', async () => {
		const olivia = await signedIn('olivia@acme.example.com');
		const folder = `${ACME}/${randomUUID()}`;
		const { error } = await olivia.storage
			.from('documents')
			.upload(
				`${folder}/too-big.pdf`,
				new Blob([new Uint8Array(LIMIT + 1024 * 1024)], { type: 'application/pdf' })
			);
		const status = Number((error as { statusCode?: string } | null)?.statusCode ?? 0);
		const { data: listed } = await olivia.storage.from('documents').list(folder);
		recordAttempt('uploads: limits', 'a 51 MB file into a 50 MB bucket', {
			leaked: error === null || (listed ?? []).length > 0,
			status
		});
		expect(error?.message).toMatch(/maximum allowed size|too large/i);
		expect(status).toBe(413);
		expect(listed).toEqual([]);
	});

	it('accepts a file exactly at the limit', async () => {
		const olivia = await signedIn('olivia@acme.example.com');
		const path = `${ACME}/${randomUUID()}/at-limit.pdf`;
		stored.push(path);
		const { error } = await olivia.storage
			.from('documents')
			.upload(path, new Blob([new Uint8Array(LIMIT)], { type: 'application/pdf' }));
		expect(error).toBeNull();
		expect(await listedIn(olivia, path)).toEqual(['at-limit.pdf']);
	});
});

describe('content types', () => {
	// What a browser would run if the file were opened from storage, and what a client that
	// names no type sends (supabase-js: application/octet-stream).
	const refused = [
		'text/html',
		'text/html; charset=utf-8',
		'TEXT/HTML',
		'application/xhtml+xml',
		'image/svg+xml',
		'text/xml',
		'application/xml',
		'text/javascript',
		'application/javascript',
		'application/octet-stream',
		''
	];
	const markup = '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>';

	it('the bucket refuses a web page, SVG or script type, however it is sent', async () => {
		const mark = await signedIn('mark@acme.example.com');
		const bucket = mark.storage.from('documents');
		const token = (await mark.auth.getSession()).data.session!.access_token;
		for (const type of refused) {
			const path = `${ACME}/${randomUUID()}/${randomUUID()}`;
			stored.push(path);
			const viaClient = await bucket.upload(path, new Blob([markup], { type }));
			const sent = storageError(viaClient.error);
			recordAttempt('uploads: content types', `supabase-js upload declaring "${type}"`, {
				leaked: viaClient.data !== null,
				status: sent?.status ?? 200
			});
			expect.soft(viaClient.data, type).toBeNull();
			expect.soft(sent?.statusCode, type).toBe('415');
			expect.soft(sent?.message, type).toMatch(/^mime type .* is not supported/);

			// The same with the header set by hand (as the app's XHR upload sends it).
			const raw = await fetch(`${supabaseUrl}/storage/v1/object/documents/${path}`, {
				method: 'POST',
				headers: {
					authorization: `Bearer ${token}`,
					apikey: publishableKey,
					...(type ? { 'content-type': type } : {})
				},
				body: markup
			});
			const body = (await raw.json()) as { statusCode?: string; error?: string };
			recordAttempt('uploads: content types', `raw POST with content-type "${type}"`, {
				leaked: raw.ok,
				status: raw.status
			});
			expect.soft(raw.status, type).toBe(400);
			expect.soft(body.statusCode, type).toBe('415');
			expect.soft(await listedIn(mark, path), type).toEqual([]);
		}

		// Through a signed upload URL: the same refusal.
		const path = `${ACME}/${randomUUID()}/${randomUUID()}`;
		stored.push(path);
		const signed = await bucket.createSignedUploadUrl(path);
		expect(signed.error).toBeNull();
		const viaToken = await bucket.uploadToSignedUrl(
			path,
			signed.data!.token,
			new Blob(['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'], {
				type: 'image/svg+xml'
			})
		);
		recordAttempt('uploads: content types', 'signed upload URL declaring image/svg+xml', {
			leaked: viaToken.data !== null,
			status: storageError(viaToken.error)?.status ?? 200
		});
		expect(viaToken.data).toBeNull();
		expect(storageError(viaToken.error)?.statusCode).toBe('415');
		expect(await listedIn(mark, path)).toEqual([]);
	});

	it('a saved row keeps the type storage recorded, whatever the row claims', async () => {
		const mark = await signedIn('mark@acme.example.com');
		const id = randomUUID();
		const path = `${ACME}/${id}/${randomUUID()}`;
		stored.push(path);
		const up = await mark.storage
			.from('documents')
			.upload(path, new Blob(['plain words'], { type: 'text/plain' }));
		expect(up.error).toBeNull();
		const { data, error } = await mark
			.from('documents')
			.insert({
				id,
				account_id: ACME,
				name: 'claims-html.html',
				storage_path: path,
				size_bytes: 11,
				mime_type: 'text/html',
				uploaded_by: MARK
			})
			.select('mime_type')
			.single();
		if (!error) saved.push(id);
		recordAttempt('uploads: content types', 'a row claiming text/html for a text/plain file', {
			leaked: data?.mime_type !== 'text/plain'
		});
		expect(error).toBeNull();
		expect(data).toEqual({ mime_type: 'text/plain' });
	});
});

describe('empty and interrupted uploads', () => {
	it('a zero-byte file is stored and saved as 0 bytes (the browser refuses it before sending)', async () => {
		const mark = await signedIn('mark@acme.example.com');
		const id = randomUUID();
		const path = `${ACME}/${id}/${randomUUID()}`;
		stored.push(path);
		const up = await mark.storage
			.from('documents')
			.upload(path, new Blob([], { type: 'text/plain' }));
		expect(up.error).toBeNull();
		const { data, error } = await mark
			.from('documents')
			.insert({
				id,
				account_id: ACME,
				name: 'empty.txt',
				storage_path: path,
				size_bytes: 4096,
				mime_type: 'text/plain',
				uploaded_by: MARK
			})
			.select('size_bytes')
			.single();
		if (!error) saved.push(id);
		const { data: version } = await mark
			.from('document_versions')
			.select('size_bytes')
			.eq('document_id', id)
			.single();
		// Not an attack that must fail: the row must tell the truth about the file (0, not 4096).
		recordAttempt('uploads: empty and interrupted', 'zero-byte file, row claiming 4096 bytes', {
			leaked: data?.size_bytes !== 0 || version?.size_bytes !== 0
		});
		expect(error).toBeNull();
		expect(data).toEqual({ size_bytes: 0 });
		expect(version).toEqual({ size_bytes: 0 });
		const { data: file } = await mark.storage.from('documents').download(path);
		expect(file?.size).toBe(0);
	});

	it('an upload aborted mid-body leaves no file, and so no row can be saved for it', async () => {
		const mark = await signedIn('mark@acme.example.com');
		const token = (await mark.auth.getSession()).data.session!.access_token;
		const path = `${ACME}/${randomUUID()}/${randomUUID()}`;
		stored.push(path);
		const total = 30 * 1024 * 1024;
		const chunk = new Uint8Array(256 * 1024).fill(0x41);
		const controller = new AbortController();
		let sent = 0;
		// A slow body (like a browser on a poor connection), cancelled after 4 MB of 30.
		const body = new ReadableStream<Uint8Array>({
			async pull(stream) {
				if (controller.signal.aborted) return stream.error(controller.signal.reason);
				if (sent >= total) return stream.close();
				await new Promise((resolve) => setTimeout(resolve, 5));
				stream.enqueue(chunk);
				sent += chunk.length;
				if (sent >= 4 * 1024 * 1024) controller.abort();
			}
		});
		const outcome = await fetch(`${supabaseUrl}/storage/v1/object/documents/${path}`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${token}`,
				apikey: publishableKey,
				'content-type': 'text/plain'
			},
			body,
			duplex: 'half',
			signal: controller.signal
		} as RequestInit).then(
			(response) => `answered ${response.status}`,
			(error: Error) => error.name
		);
		expect(outcome).toBe('AbortError');
		expect(sent).toBeLessThan(total);

		// Give the stack a moment to notice the broken request, then look.
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const listed = await listedIn(mark, path);
		const download = await mark.storage.from('documents').download(path);
		const row = await mark.from('documents').insert({
			account_id: ACME,
			name: 'interrupted.txt',
			storage_path: path,
			size_bytes: total,
			mime_type: 'text/plain',
			uploaded_by: MARK
		});
		recordAttempt('uploads: empty and interrupted', 'upload aborted after 4 of 30 MB', {
			leaked: listed.length > 0 || download.data !== null || row.error === null,
			status: row.status
		});
		expect(listed).toEqual([]);
		expect(download.data).toBeNull();
		expect(row.status).toBe(400);
		expect(row.error).toMatchObject({ code: '22023', message: 'file_missing' });

		// The stack is none the worse: the same upload, not interrupted, goes through.
		const again = await mark.storage
			.from('documents')
			.upload(path, new Blob(['complete'], { type: 'text/plain' }));
		expect(again.error).toBeNull();
	});
});
