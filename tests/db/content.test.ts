/**
 * The portal's content (20261129040000_portal_content.sql) step by step, as real users: the
 * stored file behind a document, versions, the trash, folders, messages and internal notes,
 * send_message / start_thread / thread_summaries / record_document_access, approvals and
 * their decisions, the documents bucket's clean-up policy, and what billing users and viewers
 * cannot do. policies.test.ts holds the matrix (every statement on every table × every
 * actor); this file follows what the triggers and functions do with those statements.
 *
 * Every test runs in a transaction that is rolled back (asUser). Within it, tx.asUser switches
 * to another actor and tx.asOwner inspects what really happened. Refusals are checked for their
 * exact SQLSTATE and message, and, where a function or trigger could have written half of
 * something, for leaving every content table as it was (`expectRefused`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_TYPES, MAX_FILE_BYTES } from '../../src/lib/uploads/file-rules';
import {
	expectDenied42501,
	expectError,
	openTestDb,
	SERVICE_ROLE,
	type Actor,
	type Row,
	type TestDb,
	type Tx
} from './harness';

// --- the cast (seed.sql, plus a stranger made below) -------------------------------------------

const ACME = '10000000-0000-4000-8000-00000000ac01';
const GLOBEX = '20000000-0000-4000-8000-00000000910b';

const ADA = 'a0000000-0000-4000-8000-000000000001'; // admin
const SAM = 'a0000000-0000-4000-8000-000000000002'; // staff, assigned to Acme
const TESS = 'a0000000-0000-4000-8000-000000000003'; // staff, assigned to Globex only
const OLIVIA = 'c0000000-0000-4000-8000-000000000001'; // Acme owner
const MARK = 'c0000000-0000-4000-8000-000000000002'; // Acme member
const BILL = 'c0000000-0000-4000-8000-000000000003'; // Acme billing
const VERA = 'c0000000-0000-4000-8000-000000000004'; // Acme viewer
const GRACE = 'c0000000-0000-4000-8000-000000000005'; // Globex owner
const STRANGER = 'e0000000-0000-4000-8000-000000000001'; // signed up, in no account

// --- the content (seed.sql) ---------------------------------------------------------------------

const SOW_DOC = 'd0000000-0000-4000-8000-000000000001'; // "Statement of work.pdf", in Contracts
const KICKOFF_DOC = 'd0000000-0000-4000-8000-000000000002';
const GLOBEX_DOC = 'd0000000-0000-4000-8000-000000000004';
const DESIGN_DOC = 'd0000000-0000-4000-8000-000000000006'; // "Homepage design.pdf", versions 1 and 2
const DESIGN_V2 = 'e1000000-0000-4000-8000-000000000002';
const CONTRACTS = 'f0000000-0000-4000-8000-000000000001';
const LOGO_REQUEST = 'f1000000-0000-4000-8000-000000000001'; // open
const GLOBEX_REQUEST = 'f1000000-0000-4000-8000-000000000003';
const ACME_THREAD = '71000000-0000-4000-8000-000000000001'; // Sam, Mark, and Sam's internal note
const GLOBEX_THREAD = '71000000-0000-4000-8000-000000000002';
const ACME_APPROVAL = 'a1000000-0000-4000-8000-000000000001'; // pending; Olivia and Mark decide
// Made in beforeAll.
const EMPTY_FOLDER = 'f0000000-0000-4000-8000-0000000000a1';
const GLOBEX_FOLDER = 'f0000000-0000-4000-8000-0000000000b1';

/** The SQLSTATEs the migration raises besides 42501/22023/23xxx (PostgREST: PTnnn → HTTP nnn). */
const NOT_FOUND = 'PT404';
const CONFLICT = 'PT409';

/** The content tables, as the owner reads them for before/after comparisons. */
const CONTENT_TABLES = [
	'public.folders',
	'public.documents',
	'public.document_versions',
	'public.file_requests',
	'public.threads',
	'public.messages',
	'public.message_attachments',
	'public.thread_reads',
	'public.projects',
	'public.milestones',
	'public.status_updates',
	'public.approvals',
	'public.approval_approvers',
	'public.approval_responses',
	'public.activity_log',
	'storage.objects'
];

let db: TestDb;

beforeAll(async () => {
	db = await openTestDb();
	console.log(`tests/db: ${db.description} ready in ${(db.setupMs / 1000).toFixed(1)} s`);
	await db.asOwner(async (tx) => {
		await tx.query(
			`insert into auth.users (id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
			 values ('${STRANGER}', 'authenticated', 'authenticated', 'stranger@example.net', now(),
			         '{"provider": "email", "providers": ["email"]}', '{"display_name": "Stan Stranger"}', now(), now())`
		);
		await tx.query(
			`insert into public.folders (id, account_id, name, created_by)
			 values ('${EMPTY_FOLDER}', '${ACME}', 'Archive', '${SAM}'),
			        ('${GLOBEX_FOLDER}', '${GLOBEX}', 'Plans', '${TESS}')`
		);
		// The files the local stack uploads for the seeded documents (every version), and a
		// second bucket.
		await tx.query(
			`insert into storage.objects (bucket_id, name, owner_id)
			 select 'documents', storage_path, uploaded_by::text from public.document_versions`
		);
		await tx.query(
			`insert into storage.buckets (id, name, public) values ('avatars', 'avatars', false)`
		);
	});
});

afterAll(async () => {
	await db?.close();
});

// --- helpers ----------------------------------------------------------------------------------

let fileCounter = 0;
/** A fresh object name in an account's folder. */
const newPath = (account: string, name = 'file.pdf') =>
	`${account}/6a000000-0000-4000-8000-${String(++fileCounter).padStart(12, '0')}/${name}`;

/**
 * Stores an object as the Storage API records an upload by the current actor (made as the
 * owner; the metadata is what storage measured, not what the client said).
 */
async function storeFile(
	tx: Tx,
	path: string,
	metadata: Record<string, unknown> | null = { size: 6, mimetype: 'text/plain' },
	bucket = 'documents'
) {
	await tx.asOwner(() =>
		tx.query(
			`insert into storage.objects (bucket_id, name, owner_id, metadata)
			 values ($1::text, $2::text, auth.uid()::text, $3::text::jsonb)`,
			// As text: postgres.js would encode a string bound to a jsonb parameter once more.
			[bucket, path, metadata === null ? null : JSON.stringify(metadata)]
		)
	);
}

/** Inserts a documents row as the current actor (as the app does after the upload). */
function insertDocument(
	tx: Tx,
	path: string,
	{
		account = ACME,
		name = 'Upload.pdf',
		size = 1,
		type = 'text/plain',
		fileRequest = null as string | null
	} = {}
) {
	return tx.query<{ id: string; size_bytes: string; mime_type: string }>(
		`insert into public.documents (account_id, name, storage_path, size_bytes, mime_type, uploaded_by, file_request_id)
		 values ($1::uuid, $2::text, $3::text, $4::bigint, $5::text, auth.uid(), $6::uuid)
		 returning id, size_bytes::text, mime_type`,
		[account, name, path, size, type, fileRequest]
	);
}

function addVersion(tx: Tx, document: string, path: string, account = ACME) {
	return tx.query<{ id: string; version: number; size_bytes: string; mime_type: string }>(
		`insert into public.document_versions (document_id, account_id, storage_path, size_bytes, mime_type, uploaded_by)
		 values ($1::uuid, $2::uuid, $3::text, 1, 'text/plain', auth.uid())
		 returning id, version, size_bytes::text, mime_type`,
		[document, account, path]
	);
}

/** One query as the owner inside the test's transaction. */
function asOwner<T = Row>(tx: Tx, text: string, params?: unknown[]) {
	return tx.asOwner(() => tx.query<T>(text, params)).then((r) => r.rows);
}

/** Every content table, as one string (read as the owner). */
async function state(tx: Tx): Promise<string> {
	const parts = CONTENT_TABLES.map(
		(table) => `'${table}', (select json_agg(t order by t::text) from ${table} t)`
	);
	const rows = await asOwner<{ state: string }>(
		tx,
		`select json_build_object(${parts.join(', ')})::text as state`
	);
	return rows[0]!.state;
}

/** Refused with exactly this SQLSTATE (and message, if given), and nothing changed anywhere. */
async function expectRefused(
	tx: Tx,
	attempt: () => Promise<unknown>,
	code: string,
	message?: string
): Promise<void> {
	const before = await state(tx);
	const error = await expectError(attempt(), code);
	if (message !== undefined) expect(error.message).toBe(message);
	expect(await state(tx), 'nothing changed').toBe(before);
}

async function lastActivityId(tx: Tx): Promise<number> {
	const rows = await asOwner<{ id: number }>(
		tx,
		`select coalesce(max(id), 0)::int as id from public.activity_log`
	);
	return rows[0]!.id;
}

/** Runs step and returns the activity rows it wrote (action, account, actor, details). */
async function logged(tx: Tx, step: () => Promise<unknown>) {
	const since = await lastActivityId(tx);
	await step();
	return asOwner(
		tx,
		`select action, account_id, actor_id, details from public.activity_log where id > $1::int order by id`,
		[since]
	);
}

// --- documents: the stored file decides ------------------------------------------------------------

describe('documents and the stored file', () => {
	it("takes the size and type from the stored object's metadata, not from the client", async () => {
		await db.asUser(MARK, async (tx) => {
			const path = newPath(ACME, 'Report.pdf');
			await storeFile(tx, path, { size: 1234, mimetype: 'application/pdf' });
			const { rows } = await insertDocument(tx, path, {
				name: 'Report.pdf',
				size: 1,
				type: 'text/html'
			});
			expect(rows).toEqual([
				{ id: expect.any(String), size_bytes: '1234', mime_type: 'application/pdf' }
			]);
			// The first version is written with it, from the same stored facts.
			expect(
				await asOwner(
					tx,
					`select version, storage_path, size_bytes::text, mime_type, uploaded_by
					   from public.document_versions where document_id = $1::uuid`,
					[rows[0]!.id]
				)
			).toEqual([
				{
					version: 1,
					storage_path: path,
					size_bytes: '1234',
					mime_type: 'application/pdf',
					uploaded_by: MARK
				}
			]);
		});
	});

	it('stores application/octet-stream when storage recorded no type', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const path = newPath(ACME);
			await storeFile(tx, path, { size: 10 });
			const { rows } = await insertDocument(tx, path, { type: 'application/pdf' });
			expect(rows[0]).toMatchObject({ size_bytes: '10', mime_type: 'application/octet-stream' });
		});
	});

	it('refuses a row whose file was never stored in the documents bucket (file_missing)', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			await expectRefused(tx, () => insertDocument(tx, newPath(ACME)), '22023', 'file_missing');
			// The same name in another bucket is not the document's file.
			const path = newPath(ACME);
			await storeFile(tx, path, undefined, 'avatars');
			await expectRefused(tx, () => insertDocument(tx, path), '22023', 'file_missing');
		});
	});

	it('marks the file request it fulfils submitted; a closed request takes no more (request_closed)', async () => {
		await db.asUser(MARK, async (tx) => {
			const first = newPath(ACME, 'logo.pdf');
			await storeFile(tx, first);
			await insertDocument(tx, first, { fileRequest: LOGO_REQUEST });
			expect(
				await asOwner(
					tx,
					`select status, submitted_at = now() as submitted_now from public.file_requests where id = $1::uuid`,
					[LOGO_REQUEST]
				)
			).toEqual([{ status: 'submitted', submitted_now: true }]);

			// A submitted request still takes files; Sam closes it, then it takes none.
			const second = newPath(ACME, 'logo-2.pdf');
			await storeFile(tx, second);
			expect((await insertDocument(tx, second, { fileRequest: LOGO_REQUEST })).rowCount).toBe(1);
			await tx.asUser(SAM, () =>
				tx.query(`update public.file_requests set status = 'closed' where id = $1::uuid`, [
					LOGO_REQUEST
				])
			);
			const third = newPath(ACME, 'logo-3.pdf');
			await storeFile(tx, third);
			await expectRefused(
				tx,
				() => insertDocument(tx, third, { fileRequest: LOGO_REQUEST }),
				CONFLICT,
				'request_closed'
			);
		});
	});

	it("cannot fulfil another account's file request (foreign key)", async () => {
		await db.asUser(MARK, async (tx) => {
			const path = newPath(ACME);
			await storeFile(tx, path);
			await expectRefused(
				tx,
				() => insertDocument(tx, path, { fileRequest: GLOBEX_REQUEST }),
				'23503'
			);
		});
	});
});

// --- versions ---------------------------------------------------------------------------------

describe('document versions', () => {
	it("numbers a new version max + 1 and makes it the document's current file", async () => {
		await db.asUser(MARK, async (tx) => {
			const path = newPath(ACME, 'Homepage design (rev 3).pdf');
			await storeFile(tx, path, { size: 4321, mimetype: 'application/pdf' });
			let added: Row[] = [];
			const activity = await logged(tx, async () => {
				added = (await addVersion(tx, DESIGN_DOC, path)).rows;
			});
			expect(added).toEqual([
				{ id: expect.any(String), version: 3, size_bytes: '4321', mime_type: 'application/pdf' }
			]);
			expect(
				await asOwner(
					tx,
					`select storage_path, size_bytes::text, mime_type, updated_at = now() as updated_now
					   from public.documents where id = $1::uuid`,
					[DESIGN_DOC]
				)
			).toEqual([
				{ storage_path: path, size_bytes: '4321', mime_type: 'application/pdf', updated_now: true }
			]);
			expect(activity).toEqual([
				{
					action: 'document.version_added',
					account_id: ACME,
					actor_id: MARK,
					details: { document_id: DESIGN_DOC, version: 3, name: 'Homepage design.pdf' }
				}
			]);
			// Every version stays.
			expect(
				await asOwner(
					tx,
					`select version from public.document_versions where document_id = $1::uuid order by version`,
					[DESIGN_DOC]
				)
			).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
		});
	});

	it('refuses a version without a stored file (file_missing)', async () => {
		await db.asUser(SAM, async (tx) => {
			await expectRefused(
				tx,
				() => addVersion(tx, DESIGN_DOC, newPath(ACME)),
				'22023',
				'file_missing'
			);
		});
	});

	it('refuses a new version of a trashed document (document_deleted)', async () => {
		await db.asUser(MARK, async (tx) => {
			await tx.query(`update public.documents set deleted_at = now() where id = $1::uuid`, [
				DESIGN_DOC
			]);
			const path = newPath(ACME);
			await storeFile(tx, path);
			await expectRefused(tx, () => addVersion(tx, DESIGN_DOC, path), CONFLICT, 'document_deleted');
		});
	});

	it("cannot add a version to another account's document, even filed under one's own (foreign key)", async () => {
		await db.asUser(GRACE, async (tx) => {
			const path = newPath(GLOBEX);
			await storeFile(tx, path);
			await expectRefused(tx, () => addVersion(tx, DESIGN_DOC, path, GLOBEX), '23503');
		});
	});
});

// --- the trash --------------------------------------------------------------------------------

describe('the trash', () => {
	const trashed = (tx: Tx) =>
		asOwner(
			tx,
			`select deleted_at is not null as trashed, deleted_at = now() as deleted_now, deleted_by
			   from public.documents where id = $1::uuid`,
			[SOW_DOC]
		);

	it('lets a member trash a document; the database records who and when', async () => {
		await db.asUser(MARK, async (tx) => {
			const activity = await logged(tx, async () => {
				// Whatever time the client sends, the trash is timestamped by the database.
				const { rowCount } = await tx.query(
					`update public.documents set deleted_at = '2000-01-01' where id = $1::uuid`,
					[SOW_DOC]
				);
				expect(rowCount).toBe(1);
			});
			expect(await trashed(tx)).toEqual([{ trashed: true, deleted_now: true, deleted_by: MARK }]);
			expect(activity).toEqual([
				{
					action: 'document.trashed',
					account_id: ACME,
					actor_id: MARK,
					details: { document_id: SOW_DOC, name: 'Statement of work.pdf' }
				}
			]);
			// Still readable (the trash view lists it).
			expect(
				(await tx.query(`select id from public.documents where id = $1::uuid`, [SOW_DOC])).rows
			).toEqual([{ id: SOW_DOC }]);
		});
	});

	it('keeps clients off a trashed document (no restore, no rename); serving staff restore it', async () => {
		await db.asUser(MARK, async (tx) => {
			await tx.query(`update public.documents set deleted_at = now() where id = $1::uuid`, [
				SOW_DOC
			]);
			const before = await state(tx);
			for (const actor of [MARK, OLIVIA, VERA, TESS, GRACE]) {
				await tx.asUser(actor, async () => {
					const restore = await tx.query(
						`update public.documents set deleted_at = null where id = $1::uuid`,
						[SOW_DOC]
					);
					const rename = await tx.query(
						`update public.documents set name = 'Back.pdf' where id = $1::uuid`,
						[SOW_DOC]
					);
					expect([restore.rowCount, rename.rowCount], actor).toEqual([0, 0]);
				});
			}
			expect(await state(tx), 'nothing changed').toBe(before);

			const activity = await logged(tx, () =>
				tx.asUser(SAM, async () => {
					const { rowCount } = await tx.query(
						`update public.documents set deleted_at = null where id = $1::uuid`,
						[SOW_DOC]
					);
					expect(rowCount).toBe(1);
				})
			);
			expect(await trashed(tx)).toEqual([{ trashed: false, deleted_now: null, deleted_by: null }]);
			expect(activity).toMatchObject([{ action: 'document.restored', actor_id: SAM }]);
		});
	});

	it('refuses a client restore in the trigger too, should a policy ever let one through (restore_is_for_staff)', async () => {
		await db.asUser(MARK, async (tx) => {
			await tx.query(`update public.documents set deleted_at = now() where id = $1::uuid`, [
				SOW_DOC
			]);
			// A careless policy, added and rolled back with the test.
			await tx.asOwner(() =>
				tx.query(
					`create policy "test: any writer updates" on public.documents for update to authenticated
					 using (true) with check (true)`
				)
			);
			const error = await expectDenied42501(
				tx.query(`update public.documents set deleted_at = null where id = $1::uuid`, [SOW_DOC])
			);
			expect(error.message).toBe('restore_is_for_staff');
		});
	});
});

// --- folders ----------------------------------------------------------------------------------

describe('folders', () => {
	it('refuses to delete a folder with a live document or a subfolder in it (folder_not_empty)', async () => {
		await db.asUser(MARK, async (tx) => {
			await expectRefused(
				tx,
				() => tx.query(`delete from public.folders where id = $1::uuid`, [CONTRACTS]),
				CONFLICT,
				'folder_not_empty'
			);
			const { rows } = await tx.query<{ id: string }>(
				`insert into public.folders (account_id, parent_id, name) values ($1::uuid, $2::uuid, 'Drafts') returning id`,
				[ACME, EMPTY_FOLDER]
			);
			await expectRefused(
				tx,
				() => tx.query(`delete from public.folders where id = $1::uuid`, [EMPTY_FOLDER]),
				CONFLICT,
				'folder_not_empty'
			);
			expect(
				(await tx.query(`delete from public.folders where id = $1::uuid`, [rows[0]!.id])).rowCount
			).toBe(1);
			expect(
				(await tx.query(`delete from public.folders where id = $1::uuid`, [EMPTY_FOLDER])).rowCount
			).toBe(1);
		});
	});

	it('lets a folder go when only trashed documents are left: they move to the top level', async () => {
		await db.asUser(MARK, async (tx) => {
			await tx.query(`update public.documents set deleted_at = now() where id = $1::uuid`, [
				SOW_DOC
			]);
			const { rowCount } = await tx.query(`delete from public.folders where id = $1::uuid`, [
				CONTRACTS
			]);
			expect(rowCount).toBe(1);
			expect(
				await asOwner(
					tx,
					`select folder_id, deleted_at is not null as trashed from public.documents where id = $1::uuid`,
					[SOW_DOC]
				)
			).toEqual([{ folder_id: null, trashed: true }]);
		});
	});

	it('go with their account when an operator deletes it, nested ones included', async () => {
		await db.asOwner(
			async (tx) => {
				await tx.query(
					`insert into public.folders (account_id, parent_id, name) values ($1::uuid, $2::uuid, 'Inner')`,
					[ACME, CONTRACTS]
				);
				const { rowCount } = await tx.query(
					`delete from public.client_accounts where id = $1::uuid`,
					[ACME]
				);
				expect(rowCount).toBe(1);
				const { rows } = await tx.query(
					`select id from public.folders where account_id = $1::uuid`,
					[ACME]
				);
				expect(rows).toEqual([]);
			},
			{ rollback: true }
		);
	});

	it("cannot move a document, or put a folder, into another account's folder (foreign key)", async () => {
		await db.asUser(MARK, async (tx) => {
			await expectRefused(
				tx,
				() =>
					tx.query(`update public.documents set folder_id = $1::uuid where id = $2::uuid`, [
						GLOBEX_FOLDER,
						SOW_DOC
					]),
				'23503'
			);
			await expectRefused(
				tx,
				() =>
					tx.query(
						`insert into public.folders (account_id, parent_id, name) values ($1::uuid, $2::uuid, 'Mine')`,
						[ACME, GLOBEX_FOLDER]
					),
				'23503'
			);
		});
	});
});

// --- messages ---------------------------------------------------------------------------------

describe('messages and internal notes', () => {
	const visible = (tx: Tx) =>
		tx
			.query<{ internal: boolean; count: number }>(
				`select internal, count(*)::int as count from public.messages
				  where thread_id = $1::uuid group by internal order by internal`,
				[ACME_THREAD]
			)
			.then((r) => r.rows);

	it.each([
		['Acme owner (Olivia)', OLIVIA, [{ internal: false, count: 2 }]],
		['Acme member (Mark)', MARK, [{ internal: false, count: 2 }]],
		['Acme viewer (Vera)', VERA, [{ internal: false, count: 2 }]],
		['Acme billing (Bill)', BILL, []],
		["other account's owner (Grace)", GRACE, []],
		['staff not serving Acme (Tess)', TESS, []],
		[
			'staff serving Acme (Sam)',
			SAM,
			[
				{ internal: false, count: 2 },
				{ internal: true, count: 1 }
			]
		],
		[
			'admin (Ada)',
			ADA,
			[
				{ internal: false, count: 2 },
				{ internal: true, count: 1 }
			]
		]
	])(
		'shows the homepage thread to the %s with internal notes only for serving staff',
		async (_l, actor, expected) => {
			await db.asUser(actor, async (tx) => {
				expect(await visible(tx)).toEqual(expected);
			});
		}
	);

	it("refuses a client's internal note, a message as someone else, and one into another account's thread", async () => {
		await db.asUser(MARK, async (tx) => {
			const before = await state(tx);
			await expectDenied42501(
				tx.query(
					`insert into public.messages (thread_id, account_id, body, internal) values ($1::uuid, $2::uuid, 'Psst', true)`,
					[ACME_THREAD, ACME]
				),
				'rls'
			);
			await expectDenied42501(
				tx.query(`select public.send_message($1::uuid, 'Psst', '{}', true)`, [ACME_THREAD]),
				'rls'
			);
			await expectDenied42501(
				tx.query(
					`insert into public.messages (thread_id, account_id, body, author_id) values ($1::uuid, $2::uuid, 'As Olivia', $3::uuid)`,
					[ACME_THREAD, ACME, OLIVIA]
				),
				'privilege'
			);
			await expectError(
				tx.query(
					`insert into public.messages (thread_id, account_id, body) values ($1::uuid, $2::uuid, 'Hi Globex')`,
					[GLOBEX_THREAD, ACME]
				),
				'23503'
			);
			await expectDenied42501(
				tx.query(
					`insert into public.messages (thread_id, account_id, body) values ($1::uuid, $2::uuid, 'Hi Globex')`,
					[GLOBEX_THREAD, GLOBEX]
				),
				'rls'
			);
			// Through the function, another account's thread does not exist for Mark.
			const error = await expectError(
				tx.query(`select public.send_message($1::uuid, 'Hi Globex')`, [GLOBEX_THREAD]),
				NOT_FOUND
			);
			expect(error.message).toBe('thread_not_found');
			expect(await state(tx), 'nothing changed').toBe(before);
		});
	});

	it('send_message writes the message, its attachments and the read mark together', async () => {
		await db.asUser(MARK, async (tx) => {
			let id = '';
			const activity = await logged(tx, async () => {
				const { rows } = await tx.query<{ id: string }>(
					`select public.send_message($1::uuid, 'Notes attached.', array[$2::uuid, $2::uuid]) as id`,
					[ACME_THREAD, KICKOFF_DOC]
				);
				id = rows[0]!.id;
			});
			expect(
				await asOwner(
					tx,
					`select m.author_id, m.internal, m.body,
					        (select array_agg(a.document_id) from public.message_attachments a where a.message_id = m.id) as documents,
					        (select r.last_read_at = now() from public.thread_reads r
					          where r.thread_id = m.thread_id and r.user_id = m.author_id) as read_now,
					        (select t.last_message_at = m.created_at from public.threads t where t.id = m.thread_id) as thread_moved_up
					   from public.messages m where m.id = $1::uuid`,
					[id]
				)
			).toEqual([
				{
					author_id: MARK,
					internal: false,
					body: 'Notes attached.',
					documents: [KICKOFF_DOC],
					read_now: true,
					thread_moved_up: true
				}
			]);
			expect(activity).toMatchObject([{ action: 'message.posted', actor_id: MARK }]);
		});
	});

	it('send_message is all or nothing: an attachment from another account leaves no message (attachment_not_found)', async () => {
		await db.asUser(MARK, async (tx) => {
			await expectRefused(
				tx,
				() =>
					tx.query(
						`select public.send_message($1::uuid, 'See attached', array[$2::uuid, $3::uuid])`,
						[ACME_THREAD, KICKOFF_DOC, GLOBEX_DOC]
					),
				'22023',
				'attachment_not_found'
			);
			// A trashed document cannot be attached either.
			await tx.query(`update public.documents set deleted_at = now() where id = $1::uuid`, [
				SOW_DOC
			]);
			await expectRefused(
				tx,
				() =>
					tx.query(`select public.send_message($1::uuid, 'See attached', array[$2::uuid])`, [
						ACME_THREAD,
						SOW_DOC
					]),
				'22023',
				'attachment_not_found'
			);
		});
	});

	it('an internal note neither moves the thread up nor shows in the activity log', async () => {
		await db.asUser(SAM, async (tx) => {
			const thread = () =>
				asOwner(tx, `select last_message_at from public.threads where id = $1::uuid`, [
					ACME_THREAD
				]);
			const before = await thread();
			const activity = await logged(tx, () =>
				tx.query(`select public.send_message($1::uuid, 'Call her in the morning.', '{}', true)`, [
					ACME_THREAD
				])
			);
			expect(activity).toEqual([]);
			expect(await thread()).toEqual(before);
		});
	});

	it('start_thread opens a thread with its first message, for writers only', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const { rows } = await tx.query<{ id: string }>(
				`select public.start_thread($1::uuid, 'Invoices', 'Where do I find them?') as id`,
				[ACME]
			);
			expect(
				await asOwner(
					tx,
					`select t.subject, t.created_by, (select array_agg(m.body) from public.messages m where m.thread_id = t.id) as bodies
					   from public.threads t where t.id = $1::uuid`,
					[rows[0]!.id]
				)
			).toEqual([{ subject: 'Invoices', created_by: OLIVIA, bodies: ['Where do I find them?'] }]);
			for (const actor of [VERA, BILL, TESS]) {
				await tx.asUser(actor, () =>
					expectRefused(
						tx,
						() => tx.query(`select public.start_thread($1::uuid, 'Hello', 'Hi')`, [ACME]),
						'42501'
					)
				);
			}
		});
	});
});

// --- thread_summaries -------------------------------------------------------------------------

describe('thread_summaries', () => {
	const summaries = (tx: Tx, account: string) =>
		tx
			.query<{ subject: string; message_count: number; unread_count: number }>(
				`select subject, message_count, unread_count from public.thread_summaries($1::uuid)`,
				[account]
			)
			.then((r) => r.rows);

	it.each([
		["other account's owner (Grace)", GRACE],
		['Acme billing (Bill)', BILL],
		['staff not serving Acme (Tess)', TESS],
		['stranger', STRANGER]
	])('returns nothing to the %s for Acme', async (_l, actor) => {
		await db.asUser(actor, async (tx) => {
			expect(await summaries(tx, ACME)).toEqual([]);
		});
	});

	it('counts internal notes only for serving staff, and unread messages per person', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			// Seed: Sam's hello, Mark's reply, Sam's internal note; nobody has read anything.
			expect(await summaries(tx, ACME)).toEqual([
				{ subject: 'Homepage feedback', message_count: 2, unread_count: 2 }
			]);
			await tx.query(
				`insert into public.thread_reads (thread_id, account_id) values ($1::uuid, $2::uuid)`,
				[ACME_THREAD, ACME]
			);
			expect(await summaries(tx, ACME)).toEqual([
				{ subject: 'Homepage feedback', message_count: 2, unread_count: 0 }
			]);
			await tx.asUser(VERA, async () => {
				expect(await summaries(tx, ACME)).toEqual([
					{ subject: 'Homepage feedback', message_count: 2, unread_count: 2 }
				]);
			});
			// Sam wrote two of the three: only Mark's reply is unread for him.
			await tx.asUser(SAM, async () => {
				expect(await summaries(tx, ACME)).toEqual([
					{ subject: 'Homepage feedback', message_count: 3, unread_count: 1 }
				]);
			});
			await tx.asUser(ADA, async () => {
				expect(await summaries(tx, ACME)).toEqual([
					{ subject: 'Homepage feedback', message_count: 3, unread_count: 3 }
				]);
			});
		});
	});

	it('is not open to anon', async () => {
		await db.asUser(null, async (tx) => {
			await expectDenied42501(summaries(tx, ACME), 'privilege');
		});
	});
});

// --- record_document_access -------------------------------------------------------------------

describe('record_document_access', () => {
	const record = (tx: Tx, version: string, kind: string | null) =>
		tx.query(`select public.record_document_access($1::uuid, $2::text)`, [version, kind]);

	it.each([
		['Acme owner (Olivia)', OLIVIA, false],
		['Acme viewer (Vera)', VERA, false],
		['staff serving Acme (Sam)', SAM, true],
		['admin (Ada)', ADA, true]
	])('logs a download by the %s', async (_l, actor, byStaff) => {
		await db.asUser(actor, async (tx) => {
			const activity = await logged(tx, () => record(tx, DESIGN_V2, 'downloaded'));
			expect(activity).toEqual([
				{
					action: 'document.downloaded',
					account_id: ACME,
					actor_id: actor,
					details: {
						document_id: DESIGN_DOC,
						version: 2,
						name: 'Homepage design.pdf',
						by_staff: byStaff
					}
				}
			]);
		});
	});

	it.each([
		["other account's owner (Grace)", GRACE],
		['Acme billing (Bill)', BILL],
		['staff not serving Acme (Tess)', TESS],
		['stranger', STRANGER]
	])(
		'answers the %s document_not_found (PT404) for an Acme version, and logs nothing',
		async (_l, actor) => {
			await db.asUser(actor, async (tx) => {
				await expectRefused(
					tx,
					() => record(tx, DESIGN_V2, 'viewed'),
					NOT_FOUND,
					'document_not_found'
				);
			});
		}
	);

	it('refuses a kind it does not know (invalid_kind), and anon', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			await expectRefused(tx, () => record(tx, DESIGN_V2, 'printed'), '22023', 'invalid_kind');
			await expectRefused(tx, () => record(tx, DESIGN_V2, null), '22023', 'invalid_kind');
		});
		await db.asUser(null, async (tx) => {
			await expectDenied42501(record(tx, DESIGN_V2, 'viewed'), 'privilege');
		});
	});
});

// --- approvals --------------------------------------------------------------------------------

describe('approvals', () => {
	const respond = (tx: Tx, decision: string, comment = '', approval = ACME_APPROVAL) =>
		tx.query(
			`insert into public.approval_responses (approval_id, account_id, decision, comment)
			 values ($1::uuid, $2::uuid, $3::text, $4::text)`,
			[approval, ACME, decision, comment]
		);
	const approval = (tx: Tx) =>
		asOwner(
			tx,
			`select status, decided_at = now() as decided_now, withdrawn_at = now() as withdrawn_now
			   from public.approvals where id = $1::uuid`,
			[ACME_APPROVAL]
		);

	it('takes a decision only from a required approver who is an owner or member', async () => {
		await db.asUser(VERA, async (tx) => {
			for (const actor of [VERA, BILL, SAM, ADA, GRACE, STRANGER]) {
				await tx.asUser(actor, () =>
					expectDenied42501(respond(tx, 'approved'), 'rls').then(() => undefined)
				);
			}
			expect(await approval(tx)).toEqual([
				{ status: 'pending', decided_now: null, withdrawn_now: null }
			]);
		});
	});

	it('is approved only when every required approver has approved; each decides once', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			const first = await logged(tx, () => respond(tx, 'approved'));
			expect(first).toMatchObject([{ action: 'approval.approved', actor_id: OLIVIA }]);
			expect(await approval(tx)).toEqual([
				{ status: 'pending', decided_now: null, withdrawn_now: null }
			]);
			// A second decision by the same approver, even a different one.
			await expectRefused(tx, () => respond(tx, 'changes_requested', 'Actually, no'), '23505');

			await tx.asUser(MARK, () => respond(tx, 'approved'));
			expect(await approval(tx)).toEqual([
				{ status: 'approved', decided_now: true, withdrawn_now: null }
			]);
			expect(
				await asOwner(
					tx,
					`select approver_id, decision, created_at = now() as at_now from public.approval_responses
					  where approval_id = $1::uuid order by approver_id`,
					[ACME_APPROVAL]
				)
			).toEqual([
				{ approver_id: OLIVIA, decision: 'approved', at_now: true },
				{ approver_id: MARK, decision: 'approved', at_now: true }
			]);
		});
	});

	it('is decided at once when one approver asks for changes; then takes no more (approval_closed)', async () => {
		await db.asUser(MARK, async (tx) => {
			await respond(tx, 'changes_requested', 'Make the hero image larger.');
			expect(await approval(tx)).toEqual([
				{ status: 'changes_requested', decided_now: true, withdrawn_now: null }
			]);
			await tx.asUser(OLIVIA, () =>
				expectRefused(tx, () => respond(tx, 'approved'), CONFLICT, 'approval_closed')
			);
			// Nor can a decided approval be withdrawn.
			await tx.asUser(SAM, () =>
				expectRefused(
					tx,
					() =>
						tx.query(`update public.approvals set withdrawn_at = now() where id = $1::uuid`, [
							ACME_APPROVAL
						]),
					CONFLICT,
					'approval_closed'
				)
			);
		});
	});

	it('is decided when an approver who had not decided leaves or can no longer decide', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			await respond(tx, 'approved');
			// Mark is demoted to viewer: he stops being required, and Olivia's approval decides.
			await asOwner(
				tx,
				`update public.account_members set role = 'viewer' where account_id = $1::uuid and user_id = $2::uuid`,
				[ACME, MARK]
			);
			expect(await approval(tx)).toEqual([
				{ status: 'approved', decided_now: true, withdrawn_now: null }
			]);
			expect(
				await asOwner(
					tx,
					`select user_id from public.approval_approvers where approval_id = $1::uuid`,
					[ACME_APPROVAL]
				)
			).toEqual([{ user_id: OLIVIA }]);
		});
		await db.asUser(OLIVIA, async (tx) => {
			await respond(tx, 'approved');
			// Mark leaves instead: the same.
			await tx.asUser(MARK, () =>
				tx.query(
					`delete from public.account_members where account_id = $1::uuid and user_id = auth.uid()`,
					[ACME]
				)
			);
			expect(await approval(tx)).toEqual([
				{ status: 'approved', decided_now: true, withdrawn_now: null }
			]);
		});
	});

	it('needs a comment to ask for changes', async () => {
		await db.asUser(OLIVIA, async (tx) => {
			for (const comment of ['', '   ']) {
				const error = await expectError(respond(tx, 'changes_requested', comment), '23514');
				expect(error.message).toBe(
					'new row for relation "approval_responses" violates check constraint "approval_responses_comment_for_changes"'
				);
			}
		});
	});

	it('takes no decision once withdrawn; the database sets when', async () => {
		await db.asUser(SAM, async (tx) => {
			const activity = await logged(tx, () =>
				tx.query(`update public.approvals set withdrawn_at = '2000-01-01' where id = $1::uuid`, [
					ACME_APPROVAL
				])
			);
			expect(activity).toMatchObject([{ action: 'approval.withdrawn', actor_id: SAM }]);
			expect(await approval(tx)).toEqual([
				{ status: 'withdrawn', decided_now: null, withdrawn_now: true }
			]);
			await tx.asUser(OLIVIA, () =>
				expectRefused(tx, () => respond(tx, 'approved'), CONFLICT, 'approval_closed')
			);
		});
	});

	it.each([
		['Olivia, who made it', OLIVIA],
		['Mark', MARK],
		['Sam', SAM],
		['Ada', ADA],
		['the service role', SERVICE_ROLE]
	] as [string, Actor][])('cannot be changed or deleted once made, by %s', async (_l, actor) => {
		await db.asUser(actor, async (tx) => {
			await tx.asUser(OLIVIA, () => respond(tx, 'approved'));
			const before = await state(tx);
			for (const statement of [
				`update public.approval_responses set decision = 'changes_requested', comment = 'No' where approver_id = '${OLIVIA}'`,
				`update public.approval_responses set approver_id = '${MARK}' where approver_id = '${OLIVIA}'`,
				`delete from public.approval_responses where approver_id = '${OLIVIA}'`,
				`truncate public.approval_responses`
			]) {
				await expectDenied42501(tx.query(statement), 'privilege');
			}
			expect(await state(tx), 'nothing changed').toBe(before);
		});
	});
});

// --- the documents bucket -----------------------------------------------------------------------

describe('the documents bucket', () => {
	const remove = (tx: Tx, path: string) =>
		tx
			.query(`select set_config('storage.allow_delete_query', 'true', true)`)
			.then(() =>
				tx.query(`delete from storage.objects where bucket_id = 'documents' and name = $1::text`, [
					path
				])
			);

	it('lets an uploader remove their own unsaved upload, and nobody else but staff', async () => {
		await db.asUser(MARK, async (tx) => {
			const path = newPath(ACME);
			await storeFile(tx, path);
			for (const actor of [OLIVIA, VERA, TESS, GRACE]) {
				await tx.asUser(actor, async () => {
					expect((await remove(tx, path)).rowCount, actor).toBe(0);
				});
			}
			expect((await remove(tx, path)).rowCount).toBe(1);
		});
	});

	it('keeps a file once a document or a version refers to it (staff may still remove it)', async () => {
		await db.asUser(MARK, async (tx) => {
			const saved = newPath(ACME);
			await storeFile(tx, saved);
			await insertDocument(tx, saved);
			const version = newPath(ACME);
			await storeFile(tx, version);
			await addVersion(tx, DESIGN_DOC, version);
			// The new version's file is now the document's; the older version's files stay too.
			for (const path of [saved, version]) expect((await remove(tx, path)).rowCount).toBe(0);
			await tx.asUser(SAM, async () => {
				expect((await remove(tx, saved)).rowCount).toBe(1);
			});
		});
	});

	it('takes exactly the file types src/lib/uploads/file-rules.ts allows, up to its limit', async () => {
		const { rows } = await db.query<{ types: string[]; limit: string }>(
			`select allowed_mime_types as types, file_size_limit::text as limit
			   from storage.buckets where id = 'documents'`
		);
		expect(rows).toHaveLength(1);
		expect([...rows[0]!.types].sort()).toEqual([...new Set(Object.values(ALLOWED_TYPES))].sort());
		expect(rows[0]!.limit).toBe(String(MAX_FILE_BYTES));
	});
});

// --- billing users and viewers ------------------------------------------------------------------

describe('billing users', () => {
	it('see nothing of the content, and only people and account events in the activity log', async () => {
		await db.asUser(BILL, async (tx) => {
			// Something in every table first (an attachment, a read mark, a decision).
			await tx.asUser(OLIVIA, async () => {
				await tx.query(`select public.send_message($1::uuid, 'Hello', array[$2::uuid])`, [
					ACME_THREAD,
					KICKOFF_DOC
				]);
				await tx.query(
					`insert into public.approval_responses (approval_id, account_id, decision) values ($1::uuid, $2::uuid, 'approved')`,
					[ACME_APPROVAL, ACME]
				);
			});
			const counts = (tables: string[]) =>
				tx
					.query<{ counts: Record<string, number> }>(
						`select json_build_object(${tables
							.map((t) => `'${t}', (select count(*) from ${t} where account_id = '${ACME}')`)
							.join(', ')}) as counts`
					)
					.then((r) => r.rows[0]!.counts);
			const tables = [
				...CONTENT_TABLES.filter((t) => t.startsWith('public.') && t !== 'public.activity_log'),
				'public.documents'
			];
			const asOwnerCounts = await tx.asOwner(() => counts(tables));
			expect(
				Object.values(asOwnerCounts).every((n) => n > 0),
				JSON.stringify(asOwnerCounts)
			).toBe(true);
			expect(Object.values(await counts(tables)).every((n) => n === 0)).toBe(true);

			expect(
				(
					await tx.query(
						`select count(*)::int as n from storage.objects where name like $1::text`,
						[`${ACME}/%`]
					)
				).rows
			).toEqual([{ n: 0 }]);
			const { rows } = await tx.query<{ action: string }>(
				`select distinct split_part(action, '.', 1) as action from public.activity_log
				  where account_id = $1::uuid order by 1`,
				[ACME]
			);
			expect(rows).toEqual([{ action: 'account' }, { action: 'member' }]);
			expect(
				(await tx.query(`select * from public.thread_summaries($1::uuid)`, [ACME])).rows
			).toEqual([]);
		});
	});
});

describe('viewers', () => {
	it('write nothing: no document, folder, version, message, thread or decision', async () => {
		await db.asUser(VERA, async (tx) => {
			// What the statements need to get past the file check and find their targets.
			const path = newPath(ACME);
			await storeFile(tx, path);
			await tx.asOwner(() =>
				tx.query(
					`insert into public.messages (id, thread_id, account_id, author_id, body)
					 values ('77000000-0000-4000-8000-0000000000f1', $1::uuid, $2::uuid, $3::uuid, 'Mine')`,
					[ACME_THREAD, ACME, VERA]
				)
			);
			const before = await state(tx);
			// prettier-ignore
			const attempts: [string, string][] = [
				['upload a file', `insert into storage.objects (bucket_id, name, owner_id) values ('documents', '${newPath(ACME)}', auth.uid()::text)`],
				['save a document', `insert into public.documents (account_id, name, storage_path, size_bytes, mime_type, uploaded_by) values ('${ACME}', 'x.txt', '${path}', 1, 'text/plain', auth.uid())`],
				['add a version', `insert into public.document_versions (document_id, account_id, storage_path, size_bytes, mime_type, uploaded_by) values ('${DESIGN_DOC}', '${ACME}', '${path}', 1, 'text/plain', auth.uid())`],
				['rename a document', `update public.documents set name = 'x.pdf' where id = '${SOW_DOC}'`],
				['move a document', `update public.documents set folder_id = null where id = '${SOW_DOC}'`],
				['trash a document', `update public.documents set deleted_at = now() where id = '${SOW_DOC}'`],
				['create a folder', `insert into public.folders (account_id, name) values ('${ACME}', 'Mine')`],
				['rename a folder', `update public.folders set name = 'Mine' where id = '${CONTRACTS}'`],
				['delete a folder', `delete from public.folders where id = '${EMPTY_FOLDER}'`],
				['start a thread', `select public.start_thread('${ACME}', 'Hi', 'Hello')`],
				['post a message', `select public.send_message('${ACME_THREAD}', 'Hello')`],
				['insert a message', `insert into public.messages (thread_id, account_id, body) values ('${ACME_THREAD}', '${ACME}', 'Hello')`],
				['attach a document', `insert into public.message_attachments (message_id, document_id, account_id) values ('77000000-0000-4000-8000-0000000000f1', '${KICKOFF_DOC}', '${ACME}')`],
				['request a file', `insert into public.file_requests (account_id, title) values ('${ACME}', 'x')`],
				['close a request', `update public.file_requests set status = 'closed' where id = '${LOGO_REQUEST}'`],
				['decide an approval', `insert into public.approval_responses (approval_id, account_id, decision) values ('${ACME_APPROVAL}', '${ACME}', 'approved')`],
				['withdraw an approval', `update public.approvals set withdrawn_at = now() where id = '${ACME_APPROVAL}'`]
			];
			for (const [what, sql] of attempts) {
				// Refused (42501), or a write whose target the policies hide (0 rows).
				const outcome = await tx.query(sql).then(
					(r) => `${r.rowCount} rows`,
					(e: { code?: string }) => e.code
				);
				expect([what, outcome]).toEqual([what, expect.stringMatching(/^(42501|0 rows)$/)]);
			}
			expect(await state(tx), 'nothing changed').toBe(before);
		});
	});
});
