/**
 * The portal's content (migration 20261129040000) through supabase-js, as the app's browser
 * and server clients use it: the upload invariant (a row only for a stored file, with the
 * size and type storage recorded), versions and the trash, messages with attachments,
 * internal notes and unread counts, approvals, and who reads none of it.
 *
 * Rows are made for this file only (its own documents, thread and approvals in Acme); the
 * documents and their files are removed again at the end (threads cannot be deleted: the
 * demo people mark this file's thread read, so the seeded unread counts stay as they were).
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, GLOBEX, signedIn, type Client } from './env';

const bucket = 'documents';
const run = randomUUID().slice(0, 8);
const ids = {
	olivia: 'c0000000-0000-4000-8000-000000000001',
	mark: 'c0000000-0000-4000-8000-000000000002',
	vera: 'c0000000-0000-4000-8000-000000000004',
	sam: 'a0000000-0000-4000-8000-000000000002'
} as const;
/** The seeded Globex document, and version 2 of Acme's homepage design. */
const GLOBEX_DOCUMENT = 'd0000000-0000-4000-8000-000000000004';
const ACME_VERSION = 'e1000000-0000-4000-8000-000000000002';

/** Every table the migration adds, and documents; each has an account_id column. */
const CONTENT_TABLES = [
	'folders',
	'documents',
	'document_versions',
	'file_requests',
	'threads',
	'messages',
	'message_attachments',
	'thread_reads',
	'projects',
	'milestones',
	'status_updates',
	'approvals',
	'approval_approvers',
	'approval_responses'
] as const;

let olivia: Client;
let mark: Client;
let vera: Client;
let bill: Client;
let sam: Client;
let grace: Client;
let tess: Client;
/** Documents this file saved (removed by Sam at the end), and every path it uploaded to. */
const savedDocuments: string[] = [];
const uploadedPaths: string[] = [];

beforeAll(async () => {
	[olivia, mark, vera, bill, sam, grace, tess] = await Promise.all([
		signedIn('olivia@acme.example.com'),
		signedIn('mark@acme.example.com'),
		signedIn('vera@acme.example.com'),
		signedIn('bill@acme.example.com'),
		signedIn('sam@staff.example.com'),
		signedIn('grace@globex.example.com'),
		signedIn('tess@staff.example.com')
	]);
});

afterAll(async () => {
	// Staff serving Acme may delete documents (versions and approvals go with them) and files.
	if (savedDocuments.length > 0) {
		const { error } = await sam.from('documents').delete().in('id', savedDocuments);
		expect(error).toBeNull();
	}
	if (uploadedPaths.length > 0) {
		const { error } = await sam.storage.from(bucket).remove(uploadedPaths);
		expect(error).toBeNull();
	}
});

/** A new path in Acme the way the app builds it: <account>/<document>/<random>. */
function newPath(documentId: string = randomUUID(), account = ACME) {
	const path = `${account}/${documentId}/${randomUUID()}`;
	uploadedPaths.push(path);
	return path;
}

async function upload(client: Client, path: string, body: string, type = 'text/plain') {
	// A Blob's own type is what supabase-js sends (its contentType option is not used for a
	// Blob); an untyped Blob goes as application/octet-stream, which the bucket refuses.
	return client.storage.from(bucket).upload(path, new Blob([body], { type }));
}

/** Uploads a file as `client`, then saves it as a new Acme document. */
async function saveDocument(client: Client, uploader: string, name: string, body: string) {
	const id = randomUUID();
	const path = newPath(id);
	expect((await upload(client, path, body)).error).toBeNull();
	const { data, error } = await client
		.from('documents')
		.insert({
			id,
			account_id: ACME,
			name,
			storage_path: path,
			size_bytes: body.length,
			mime_type: 'text/plain',
			uploaded_by: uploader
		})
		.select()
		.single();
	expect(error).toBeNull();
	savedDocuments.push(id);
	return data!;
}

async function listed(client: Client, path: string) {
	const folder = path.split('/').slice(0, 2).join('/');
	const { data } = await client.storage.from(bucket).list(folder);
	return (data ?? []).map((entry) => entry.name);
}

describe('the upload invariant: a row only for a stored file, as storage recorded it', () => {
	it('takes the size and type from the stored object, not from what the client claims', async () => {
		const id = randomUUID();
		const path = newPath(id);
		const body = 'Meeting notes, 2026-11-29.\n';
		expect((await upload(mark, path, body)).error).toBeNull();

		const { data, error } = await mark
			.from('documents')
			.insert({
				id,
				account_id: ACME,
				name: `Claims ${run}.pdf`,
				storage_path: path,
				size_bytes: 123_456_789,
				mime_type: 'application/pdf',
				uploaded_by: ids.mark
			})
			.select('size_bytes, mime_type, deleted_at, deleted_by')
			.single();
		expect(error).toBeNull();
		savedDocuments.push(id);
		expect(data).toEqual({
			size_bytes: body.length,
			mime_type: 'text/plain',
			deleted_at: null,
			deleted_by: null
		});

		// Its first version is written with it, from the same stored facts.
		const { data: versions } = await mark
			.from('document_versions')
			.select('version, storage_path, size_bytes, mime_type, uploaded_by')
			.eq('document_id', id);
		expect(versions).toEqual([
			{
				version: 1,
				storage_path: path,
				size_bytes: body.length,
				mime_type: 'text/plain',
				uploaded_by: ids.mark
			}
		]);
	});

	it('refuses a row for a path with nothing stored: 400 file_missing, nothing written', async () => {
		const id = randomUUID();
		const path = `${ACME}/${id}/${randomUUID()}`;
		const document = await mark.from('documents').insert({
			id,
			account_id: ACME,
			name: `Missing ${run}.txt`,
			storage_path: path,
			size_bytes: 10,
			mime_type: 'text/plain',
			uploaded_by: ids.mark
		});
		expect(document.status).toBe(400);
		expect(document.error).toMatchObject({
			code: '22023',
			message: 'file_missing',
			hint: 'Upload the file before saving it: nothing is stored at that path.'
		});
		const { data: rows } = await sam.from('documents').select('id').eq('id', id);
		expect(rows).toEqual([]);

		// The same for a new version of an existing document.
		const existing = await saveDocument(mark, ids.mark, `Has a version ${run}.txt`, 'v1');
		const version = await mark.from('document_versions').insert({
			document_id: existing.id,
			account_id: ACME,
			storage_path: `${ACME}/${existing.id}/${randomUUID()}`,
			size_bytes: 10,
			mime_type: 'text/plain',
			uploaded_by: ids.mark
		});
		expect(version.status).toBe(400);
		expect(version.error).toMatchObject({ code: '22023', message: 'file_missing' });
	});

	it('a viewer cannot even upload: storage refuses before any row is tried', async () => {
		const path = newPath();
		const { data, error } = await upload(vera, path, 'viewer upload');
		expect(data).toBeNull();
		expect(error).toMatchObject({
			status: 400,
			statusCode: '403',
			message: 'new row violates row-level security policy'
		});
		expect(await listed(sam, path)).toEqual([]);
	});

	it('after a refused save the uploader removes the unsaved file, and nothing is left', async () => {
		// A folder of another account: the row is refused (its folder must be in its account).
		const { data: globexFolder, error: folderError } = await tess
			.from('folders')
			.insert({ account_id: GLOBEX, name: `API content test ${run}` })
			.select('id')
			.single();
		expect(folderError).toBeNull();

		const id = randomUUID();
		const path = newPath(id);
		expect((await upload(mark, path, 'misfiled')).error).toBeNull();
		const refused = await mark.from('documents').insert({
			id,
			account_id: ACME,
			folder_id: globexFolder!.id,
			name: `Misfiled ${run}.txt`,
			storage_path: path,
			size_bytes: 8,
			mime_type: 'text/plain',
			uploaded_by: ids.mark
		});
		expect(refused.status).toBe(409);
		expect(refused.error).toMatchObject({
			code: '23503',
			message:
				'insert or update on table "documents" violates foreign key constraint "documents_folder_fkey"'
		});

		// No row refers to the object, so its uploader may remove it (as uploadFile() does).
		const removed = await mark.storage.from(bucket).remove([path]);
		expect(removed.error).toBeNull();
		expect(removed.data?.map((object) => object.name)).toEqual([path]);
		expect(await listed(sam, path)).toEqual([]);
		expect((await sam.storage.from(bucket).download(path)).data).toBeNull();
		const { data: rows } = await sam.from('documents').select('id').eq('id', id);
		expect(rows).toEqual([]);

		// Someone else's unsaved upload is not theirs to remove.
		const other = newPath();
		expect((await upload(olivia, other, 'olivia’s unsaved upload')).error).toBeNull();
		expect((await mark.storage.from(bucket).remove([other])).data).toEqual([]);
		expect(await listed(sam, other)).toEqual([other.split('/')[2]]);

		await tess.from('folders').delete().eq('id', globexFolder!.id);
	});

	it('a saved file cannot be removed by a member: an empty answer, and it still downloads', async () => {
		const document = await saveDocument(mark, ids.mark, `Kept ${run}.txt`, 'keep me');
		const removed = await mark.storage.from(bucket).remove([document.storage_path]);
		expect(removed.error).toBeNull();
		expect(removed.data).toEqual([]);
		const { data: file, error } = await mark.storage.from(bucket).download(document.storage_path);
		expect(error).toBeNull();
		expect(await file!.text()).toBe('keep me');
	});

	it('a new version is numbered by the database and becomes the document’s file', async () => {
		const document = await saveDocument(olivia, ids.olivia, `Versioned ${run}.txt`, 'first');
		const path = newPath(document.id);
		const body = 'second, and longer';
		expect((await upload(mark, path, body)).error).toBeNull();
		const { data: version, error } = await mark
			.from('document_versions')
			.insert({
				document_id: document.id,
				account_id: ACME,
				storage_path: path,
				size_bytes: 1,
				mime_type: 'image/png',
				uploaded_by: ids.mark
			})
			.select('version, size_bytes, mime_type, uploaded_by')
			.single();
		expect(error).toBeNull();
		expect(version).toEqual({
			version: 2,
			size_bytes: body.length,
			mime_type: 'text/plain',
			uploaded_by: ids.mark
		});
		const { data: current } = await mark
			.from('documents')
			.select('storage_path, size_bytes, mime_type')
			.eq('id', document.id)
			.single();
		expect(current).toEqual({
			storage_path: path,
			size_bytes: body.length,
			mime_type: 'text/plain'
		});
		// The first version's file is registered still: not removable by its uploader.
		expect((await olivia.storage.from(bucket).remove([document.storage_path])).data).toEqual([]);
	});
});

describe('the trash', () => {
	it('records who deleted; only serving staff restore', async () => {
		const document = await saveDocument(mark, ids.mark, `Trashed ${run}.txt`, 'to the trash');
		const trashed = await mark
			.from('documents')
			// The client's timestamp is ignored: the database stamps it.
			.update({ deleted_at: '2000-01-01T00:00:00Z' })
			.eq('id', document.id)
			.select('deleted_at, deleted_by')
			.single();
		expect(trashed.error).toBeNull();
		expect(trashed.data!.deleted_by).toBe(ids.mark);
		expect(new Date(trashed.data!.deleted_at!).getFullYear()).toBeGreaterThan(2000);

		// A member's restore touches no row: the trash is for staff to empty or restore.
		const memberRestore = await mark
			.from('documents')
			.update({ deleted_at: null })
			.eq('id', document.id)
			.select('id');
		expect(memberRestore.error).toBeNull();
		expect(memberRestore.data).toEqual([]);
		const ownerRestore = await olivia
			.from('documents')
			.update({ deleted_at: null })
			.eq('id', document.id)
			.select('id');
		expect(ownerRestore.data).toEqual([]);
		const { data: still } = await sam
			.from('documents')
			.select('deleted_at, deleted_by')
			.eq('id', document.id)
			.single();
		expect(still).toEqual(trashed.data);

		// A new version of a trashed document is refused.
		const path = newPath(document.id);
		expect((await upload(mark, path, 'late version')).error).toBeNull();
		const late = await mark.from('document_versions').insert({
			document_id: document.id,
			account_id: ACME,
			storage_path: path,
			size_bytes: 12,
			mime_type: 'text/plain',
			uploaded_by: ids.mark
		});
		expect(late.status).toBe(409);
		expect(late.error).toMatchObject({ code: 'PT409', message: 'document_deleted' });

		const restored = await sam
			.from('documents')
			.update({ deleted_at: null })
			.eq('id', document.id)
			.select('deleted_at, deleted_by')
			.single();
		expect(restored.error).toBeNull();
		expect(restored.data).toEqual({ deleted_at: null, deleted_by: null });
	});
});

describe('messages', () => {
	let threadId: string;
	let attachable: string;

	beforeAll(async () => {
		const { data, error } = await sam.rpc('start_thread', {
			p_account_id: ACME,
			p_subject: `API content test ${run}`,
			p_body: 'A thread for the API tests: please ignore.'
		});
		expect(error).toBeNull();
		threadId = data!;
		attachable = (await saveDocument(mark, ids.mark, `Attachment ${run}.txt`, 'attached')).id;
	});

	afterAll(async () => {
		// Read by every client, so the thread adds nothing to anyone's unread count.
		for (const client of [olivia, mark, vera]) {
			const { data: mine } = await client
				.from('thread_reads')
				.update({ last_read_at: new Date(Date.now() + 60_000).toISOString() })
				.eq('thread_id', threadId)
				.select('thread_id');
			if (mine?.length === 0) {
				await client.from('thread_reads').insert({
					thread_id: threadId,
					account_id: ACME,
					last_read_at: new Date(Date.now() + 60_000).toISOString()
				});
			}
		}
	});

	async function summary(client: Client) {
		const { data, error } = await client.rpc('thread_summaries', { p_account_id: ACME });
		expect(error).toBeNull();
		const row = data!.find((thread) => thread.id === threadId);
		return row && { messages: row.message_count, unread: row.unread_count, read: row.last_read_at };
	}

	async function messageCount() {
		const { count } = await sam
			.from('messages')
			.select('id', { count: 'exact', head: true })
			.eq('thread_id', threadId);
		return count;
	}

	it('counts unread messages per person, and a read mark clears them', async () => {
		// Sam's own first message is not unread for him; it is for Olivia, who has no mark yet.
		expect(await summary(sam)).toMatchObject({ messages: 1, unread: 0 });
		expect(await summary(olivia)).toEqual({ messages: 1, unread: 1, read: null });

		const reply = await mark.rpc('send_message', {
			p_thread_id: threadId,
			p_body: 'A reply from Mark.'
		});
		expect(reply.error).toBeNull();
		expect(await summary(olivia)).toEqual({ messages: 2, unread: 2, read: null });
		expect(await summary(sam)).toMatchObject({ messages: 2, unread: 1 });
		expect(await summary(mark)).toMatchObject({ messages: 2, unread: 0 });

		// Olivia reads the thread: her own read mark, stamped by the database. (Not .upsert():
		// it would update thread_id and account_id too, and only last_read_at may be updated,
		// so the thread page updates its mark, or inserts the first one, as here.)
		const readMark = await olivia
			.from('thread_reads')
			.insert({ thread_id: threadId, account_id: ACME })
			.select('user_id')
			.single();
		expect(readMark.error).toBeNull();
		expect(readMark.data).toEqual({ user_id: ids.olivia });
		expect(await summary(olivia)).toMatchObject({ messages: 2, unread: 0 });
		// Nobody else's count moved.
		expect(await summary(sam)).toMatchObject({ messages: 2, unread: 1 });

		// A note for staff: counted for Sam, invisible to Olivia.
		const note = await sam.rpc('send_message', {
			p_thread_id: threadId,
			p_body: `Internal note ${run}: call Olivia in the morning.`,
			p_internal: true
		});
		expect(note.error).toBeNull();
		expect(await summary(olivia)).toMatchObject({ messages: 2, unread: 0 });
		expect(await summary(sam)).toMatchObject({ messages: 3, unread: 0 });
	});

	it('refuses an attachment from another account, and writes no message', async () => {
		const before = await messageCount();
		const foreign = await mark.rpc('send_message', {
			p_thread_id: threadId,
			p_body: `With a Globex attachment ${run}`,
			p_document_ids: [attachable, GLOBEX_DOCUMENT]
		});
		expect(foreign.status).toBe(400);
		expect(foreign.error).toMatchObject({
			code: '22023',
			message: 'attachment_not_found',
			hint: 'An attached document is not in this account, or was deleted.'
		});
		expect(await messageCount()).toBe(before);

		// The control: the Acme attachment alone goes through, attached.
		const sent = await mark.rpc('send_message', {
			p_thread_id: threadId,
			p_body: `With an attachment ${run}`,
			p_document_ids: [attachable]
		});
		expect(sent.error).toBeNull();
		expect(await messageCount()).toBe(before! + 1);
		const { data: attachments } = await olivia
			.from('message_attachments')
			.select('document_id')
			.eq('message_id', sent.data!);
		expect(attachments).toEqual([{ document_id: attachable }]);
	});

	it('shows internal notes to serving staff only', async () => {
		const note = await sam.rpc('send_message', {
			p_thread_id: threadId,
			p_body: `Internal with attachment ${run}`,
			p_internal: true,
			p_document_ids: [attachable]
		});
		expect(note.error).toBeNull();

		for (const [who, client] of [
			['olivia', olivia],
			['mark', mark],
			['vera', vera]
		] as const) {
			const { data: messages } = await client
				.from('messages')
				.select('body, internal')
				.eq('thread_id', threadId);
			expect(messages!.length, who).toBeGreaterThan(0);
			expect(
				messages!.filter((m) => m.internal),
				who
			).toEqual([]);
			const { data: embedded } = await client
				.from('threads')
				.select('id, messages(internal)')
				.eq('id', threadId)
				.single();
			expect(
				embedded!.messages.some((m) => m.internal),
				who
			).toBe(false);
			// Not through the note's attachment either.
			const { data: attachments } = await client
				.from('message_attachments')
				.select('message_id')
				.eq('message_id', note.data!);
			expect(attachments, who).toEqual([]);
			// The seeded note in "Homepage feedback" stays hidden too.
			const { data: seeded } = await client
				.from('messages')
				.select('id')
				.ilike('body', 'Internal:%');
			expect(seeded, who).toEqual([]);
		}

		const { data: staffView } = await sam
			.from('messages')
			.select('body, internal, message_attachments(document_id)')
			.eq('id', note.data!)
			.single();
		expect(staffView).toEqual({
			body: `Internal with attachment ${run}`,
			internal: true,
			message_attachments: [{ document_id: attachable }]
		});
		// A client may not write one.
		const clientNote = await olivia.rpc('send_message', {
			p_thread_id: threadId,
			p_body: 'Trying to write an internal note',
			p_internal: true
		});
		expect(clientNote.status).toBe(403);
		expect(clientNote.error?.code).toBe('42501');
	});
});

describe('approvals', () => {
	let versionId: string;

	beforeAll(async () => {
		const document = await saveDocument(sam, ids.sam, `For approval ${run}.txt`, 'approve me');
		const { data } = await sam
			.from('document_versions')
			.select('id')
			.eq('document_id', document.id)
			.single();
		versionId = data!.id;
	});

	/** Sam asks Olivia and Mark to approve this file's document. */
	async function requestApproval(title: string) {
		const { data, error } = await sam
			.from('approvals')
			.insert({ account_id: ACME, document_version_id: versionId, title: `${title} ${run}` })
			.select('id')
			.single();
		expect(error).toBeNull();
		const approvers = await sam.from('approval_approvers').insert([
			{ approval_id: data!.id, account_id: ACME, user_id: ids.olivia },
			{ approval_id: data!.id, account_id: ACME, user_id: ids.mark }
		]);
		expect(approvers.error).toBeNull();
		return data!.id;
	}

	const decide = (client: Client, approvalId: string, decision: string, comment = '') =>
		client
			.from('approval_responses')
			.insert({ approval_id: approvalId, account_id: ACME, decision, comment })
			.select('approver_id, decision')
			.single();

	const status = async (approvalId: string) =>
		(await olivia.from('approvals').select('status').eq('id', approvalId).single()).data?.status;

	it('each required approver decides once; all approvals approve', async () => {
		const approval = await requestApproval('Approve once');
		const first = await decide(olivia, approval, 'approved');
		expect(first.error).toBeNull();
		expect(first.data).toEqual({ approver_id: ids.olivia, decision: 'approved' });
		expect(await status(approval)).toBe('pending');

		const again = await decide(olivia, approval, 'changes_requested', 'On second thought');
		expect(again.status).toBe(409);
		expect(again.error?.code).toBe('23505');

		// Not an approver (a viewer, and staff): refused by the policy.
		for (const client of [vera, sam]) {
			const outsider = await decide(client, approval, 'approved');
			expect(outsider.status).toBe(403);
			expect(outsider.error?.code).toBe('42501');
		}

		expect((await decide(mark, approval, 'approved')).error).toBeNull();
		expect(await status(approval)).toBe('approved');
	});

	it('changes requested decide at once; a decided approval takes no more responses', async () => {
		const approval = await requestApproval('Closed after changes');
		// Changes need a reason.
		const bare = await decide(olivia, approval, 'changes_requested');
		expect(bare.status).toBe(400);
		expect(bare.error?.code).toBe('23514');

		expect((await decide(olivia, approval, 'changes_requested', 'Larger logo')).error).toBeNull();
		expect(await status(approval)).toBe('changes_requested');

		const late = await decide(mark, approval, 'approved');
		expect(late.status).toBe(409);
		expect(late.error).toMatchObject({
			code: 'PT409',
			message: 'approval_closed',
			hint: 'This approval has already been decided or withdrawn.'
		});
	});

	it('a response cannot be edited or deleted, not even by staff', async () => {
		const approval = await requestApproval('Written once');
		expect((await decide(olivia, approval, 'approved')).error).toBeNull();
		for (const client of [olivia, sam]) {
			const loose = client as unknown as SupabaseClient;
			const edited = await loose
				.from('approval_responses')
				.update({ decision: 'changes_requested', comment: 'edited' })
				.eq('approval_id', approval)
				.select();
			expect(edited.status).toBe(403);
			expect(edited.error?.message).toBe('permission denied for table approval_responses');
			const deleted = await loose
				.from('approval_responses')
				.delete()
				.eq('approval_id', approval)
				.select();
			expect(deleted.status).toBe(403);
			expect(deleted.error?.message).toBe('permission denied for table approval_responses');
		}
		const { data } = await sam
			.from('approval_responses')
			.select('approver_id, decision, comment')
			.eq('approval_id', approval);
		expect(data).toEqual([{ approver_id: ids.olivia, decision: 'approved', comment: '' }]);
	});
});

describe('who reads none of it', () => {
	async function countRows(
		client: Client,
		table: (typeof CONTENT_TABLES)[number],
		account?: string
	) {
		const loose = client as unknown as SupabaseClient;
		let query = loose.from(table).select('*', { count: 'exact' });
		if (account) query = query.eq('account_id', account);
		const { data, count, error } = await query;
		expect(error, table).toBeNull();
		return { rows: (data ?? []) as { account_id: string }[], count };
	}

	it('Acme’s staff see rows in every content table, so the zeros below mean something', async () => {
		for (const table of CONTENT_TABLES) {
			const { count } = await countRows(sam, table, ACME);
			expect(count, table).toBeGreaterThan(0);
		}
	});

	it('a billing user reads zero rows from every content table', async () => {
		for (const table of CONTENT_TABLES) {
			const { rows, count } = await countRows(bill, table);
			expect({ table, rows, count }).toEqual({ table, rows: [], count: 0 });
		}
		expect((await bill.rpc('thread_summaries', { p_account_id: ACME })).data).toEqual([]);
		const access = await bill.rpc('record_document_access', {
			p_version_id: ACME_VERSION,
			p_kind: 'viewed'
		});
		expect(access.status).toBe(404);
		expect(access.error).toMatchObject({ code: 'PT404', message: 'document_not_found' });
	});

	it('the other account’s owner reads zero Acme rows from every content table', async () => {
		for (const table of CONTENT_TABLES) {
			const filtered = await countRows(grace, table, ACME);
			expect({ table, rows: filtered.rows, count: filtered.count }).toEqual({
				table,
				rows: [],
				count: 0
			});
			const all = await countRows(grace, table);
			expect(
				all.rows.filter((row) => row.account_id !== GLOBEX),
				table
			).toEqual([]);
		}
		expect((await grace.rpc('thread_summaries', { p_account_id: ACME })).data).toEqual([]);
		const access = await grace.rpc('record_document_access', {
			p_version_id: ACME_VERSION,
			p_kind: 'downloaded'
		});
		expect(access.status).toBe(404);
		expect(access.error).toMatchObject({ code: 'PT404', message: 'document_not_found' });
		// The control: someone who reads Acme records the access.
		const insider = await olivia.rpc('record_document_access', {
			p_version_id: ACME_VERSION,
			p_kind: 'viewed'
		});
		expect(insider.error).toBeNull();
	});
});

describe('embedding from the account (one request per page)', () => {
	it('lists an account’s folders as a list, the same rows as asking for them', async () => {
		// @supabase/lite took account → folders for one-to-one, misled by the unique index on
		// folder names that starts with account_id (an expression index); patched to ignore
		// expression and partial indexes, as PostgREST does. The documents page relies on it.
		const direct = await olivia.from('folders').select('id').eq('account_id', ACME).order('id');
		const embedded = await olivia
			.from('client_accounts')
			.select('folders(id)')
			.eq('id', ACME)
			.order('id', { referencedTable: 'folders' })
			.single();
		expect(direct.error).toBeNull();
		expect(embedded.error).toBeNull();
		expect(direct.data!.length).toBeGreaterThan(1);
		expect(embedded.data!.folders).toEqual(direct.data);
	});

	it('names the people of the activity feed with its entries, as reading profiles would', async () => {
		// Computed relationships (actor, subject): the append-only log has no keys to profiles.
		const entries = await olivia
			.from('activity_log')
			.select('actor_id, subject_user_id, actor(display_name), subject(display_name)')
			.eq('account_id', ACME)
			.limit(50);
		expect(entries.error).toBeNull();
		const ids = [
			...new Set(entries.data!.flatMap((e) => [e.actor_id, e.subject_user_id]).filter(Boolean))
		] as string[];
		expect(ids.length).toBeGreaterThan(0);
		const profiles = await olivia.from('profiles').select('id, display_name').in('id', ids);
		const byId = new Map(profiles.data!.map((p) => [p.id, p.display_name]));
		for (const e of entries.data!) {
			expect(e.actor?.display_name ?? null).toBe(
				e.actor_id ? (byId.get(e.actor_id) ?? null) : null
			);
			expect(e.subject?.display_name ?? null).toBe(
				e.subject_user_id ? (byId.get(e.subject_user_id) ?? null) : null
			);
		}
	});

	it('embeds nothing of an account the caller may not see', async () => {
		const embedded = await grace
			.from('client_accounts')
			.select('folders(id), documents(id), threads(id)')
			.eq('id', ACME);
		expect(embedded.error).toBeNull();
		expect(embedded.data).toEqual([]);
	});
});
