/**
 * Storage as supabase-js and Supabase's docs expect it. Several of these pin the fixes
 * in patches/@supabase+lite+0.10.0.patch: without the patch they fail.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACME, GLOBEX, anonClient, signedIn, type Client } from './env';

const bucket = 'documents';
const folder = `${ACME}/storage-test-${Date.now()}`;
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
let sam: Client; // staff serving Acme: may upload into Acme's folder

beforeAll(async () => {
	sam = await signedIn('sam@staff.example.com');
});

describe('documents bucket through supabase-js', () => {
	it('uploads a File (multipart) and downloads the same bytes [patched]', async () => {
		const file = new File(['hello from a File'], 'hello.txt', { type: 'text/plain' });
		const up = await sam.storage.from(bucket).upload(`${folder}/hello.txt`, file);
		expect(up.error).toBeNull();
		expect(up.data?.fullPath).toBe(`${bucket}/${folder}/hello.txt`);

		const down = await sam.storage.from(bucket).download(`${folder}/hello.txt`);
		expect(down.error).toBeNull();
		expect(await down.data!.text()).toBe('hello from a File');
		expect(down.data!.type).toMatch(/^text\/plain/);
	});

	it('uploads a Blob (multipart) [patched]', async () => {
		const blob = new Blob([new Uint8Array([0x25, 0x50, 0x44, 0x46])], { type: 'application/pdf' });
		const up = await sam.storage.from(bucket).upload(`${folder}/blob.pdf`, blob);
		expect(up.error).toBeNull();
		const down = await sam.storage.from(bucket).download(`${folder}/blob.pdf`);
		expect(new Uint8Array(await down.data!.arrayBuffer())).toEqual(
			new Uint8Array([0x25, 0x50, 0x44, 0x46])
		);
	});

	it('lists names relative to the prefix, sub-folders once with a null id [patched]', async () => {
		await sam.storage
			.from(bucket)
			.upload(`${folder}/nested/inner.txt`, new Blob(['x'], { type: 'text/plain' }));
		const { data, error } = await sam.storage.from(bucket).list(folder, {
			sortBy: { column: 'name', order: 'asc' }
		});
		expect(error).toBeNull();
		const entries = data!.map((o) => ({ name: o.name, folder: o.id === null }));
		expect(entries).toEqual([
			{ name: 'blob.pdf', folder: false },
			{ name: 'hello.txt', folder: false },
			{ name: 'nested', folder: true }
		]);
	});

	it('creates a signed URL that serves the file without credentials [patched]', async () => {
		const { data, error } = await sam.storage
			.from(bucket)
			.createSignedUrl(`${folder}/hello.txt`, 60);
		expect(error).toBeNull();
		const url = new URL(data!.signedUrl);
		expect(url.pathname).toBe(`/storage/v1/object/sign/${bucket}/${folder}/hello.txt`);
		expect(url.searchParams.get('token')).toBeTruthy();

		const response = await fetch(url);
		expect(response.status).toBe(200);
		expect(await response.text()).toBe('hello from a File');

		url.searchParams.set('token', `${url.searchParams.get('token')}tampered`);
		expect((await fetch(url)).ok).toBe(false);
	});

	it('downloads a large file completely (the Node 20 cut-off, fixed by Node 22)', async () => {
		const size = 12 * 1024 * 1024;
		const bytes = new Uint8Array(size);
		for (let i = 0; i < size; i += 4096) bytes[i] = i % 251;
		// Any type the bucket takes (it refuses application/octet-stream): the bytes are what count.
		const up = await sam.storage.from(bucket).upload(`${folder}/large.bin`, bytes, {
			contentType: 'application/pdf'
		});
		expect(up.error).toBeNull();
		const down = await sam.storage.from(bucket).download(`${folder}/large.bin`);
		expect(down.error).toBeNull();
		const received = new Uint8Array(await down.data!.arrayBuffer());
		expect(received.byteLength).toBe(size);
		// A digest, not toEqual: comparing 12 MB element by element takes seconds.
		expect(sha256(received)).toBe(sha256(bytes));
	});
});

describe('documents bucket policies', () => {
	it('refuses an upload into another account’s folder', async () => {
		const { error } = await sam.storage
			.from(bucket)
			.upload(`${GLOBEX}/intrusion.txt`, new Blob(['no'], { type: 'text/plain' }));
		expect(error?.message).toMatch(/row-level security/i);
	});

	it('refuses a path whose first folder is not an account id, without a cast error', async () => {
		const { error } = await sam.storage
			.from(bucket)
			.upload('not-a-uuid/file.txt', new Blob(['no'], { type: 'text/plain' }));
		expect(error?.message).toMatch(/row-level security/i);
		expect(error?.message).not.toMatch(/invalid input syntax/i);
	});

	it('hides another account’s files from a client', async () => {
		const grace = await signedIn('grace@globex.example.com');
		const list = await grace.storage.from(bucket).list(folder);
		expect(list.data).toEqual([]);
		const down = await grace.storage.from(bucket).download(`${folder}/hello.txt`);
		expect(down.data).toBeNull();
		const sign = await grace.storage.from(bucket).createSignedUrl(`${folder}/hello.txt`, 60);
		expect(sign.data).toBeNull();
	});

	it('shows nothing to an anonymous visitor', async () => {
		const down = await anonClient().storage.from(bucket).download(`${folder}/hello.txt`);
		expect(down.data).toBeNull();
	});

	it('lets a viewer read but not upload', async () => {
		const vera = await signedIn('vera@acme.example.com');
		const down = await vera.storage.from(bucket).download(`${folder}/hello.txt`);
		expect(await down.data?.text()).toBe('hello from a File');
		const up = await vera.storage
			.from(bucket)
			.upload(`${ACME}/viewer.txt`, new Blob(['no'], { type: 'text/plain' }));
		expect(up.error?.message).toMatch(/row-level security/i);
	});
});
