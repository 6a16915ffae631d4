/**
 * Uploads straight to Storage, as the app's browser client will make them: the bucket's
 * size limit refuses a file before any of it is kept, and nothing is left behind.
 * (Content-based type checks belong to the app's upload flow, issue 4.)
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { ACME, signedIn } from '../api/env';
import { recordAttempt } from './report';

const LIMIT = 50 * 1024 * 1024; // the documents bucket's file_size_limit (first migration)

it('refuses a file over the bucket limit, and keeps nothing of it', async () => {
	const olivia = await signedIn('olivia@acme.example.com');
	const folder = `${ACME}/${randomUUID()}`;
	const { error } = await olivia.storage
		.from('documents')
		.upload(`${folder}/too-big.bin`, new Blob([new Uint8Array(LIMIT + 1024 * 1024)]), {
			contentType: 'application/octet-stream'
		});
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
	const path = `${ACME}/${randomUUID()}/at-limit.bin`;
	const { error } = await olivia.storage
		.from('documents')
		.upload(path, new Blob([new Uint8Array(LIMIT)]), { contentType: 'application/octet-stream' });
	expect(error).toBeNull();
	const { data } = await olivia.storage
		.from('documents')
		.list(path.split('/').slice(0, 2).join('/'));
	expect(data?.map((entry) => entry.name)).toEqual(['at-limit.bin']);
	// Owners cannot delete files; staff serving the account tidy up.
	const sam = await signedIn('sam@staff.example.com');
	expect((await sam.storage.from('documents').remove([path])).error).toBeNull();
});
