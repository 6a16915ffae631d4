import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '../database.types';
import { checkContent, checkNameAndSize, mimeTypeFor, SNIFF_BYTES } from './file-rules';

/** Where an upload goes: a new document (in a folder, or fulfilling a file request) or a new version. */
export type UploadTarget =
	| { kind: 'document'; accountId: string; folderId?: string | null; fileRequestId?: string | null }
	| { kind: 'version'; accountId: string; documentId: string };

export interface UploadResult {
	documentId: string;
	storagePath: string;
}

export class UploadError extends Error {}

/**
 * Checks a file in the browser before anything is sent: size, type by name, and type by
 * content (the first bytes). Returns the reason it is refused, or null.
 */
export async function checkFile(file: File): Promise<string | null> {
	const byName = checkNameAndSize(file.name, file.size);
	if (byName) return byName;
	const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
	return checkContent(file.name, head);
}

/**
 * Uploads one file as the signed-in user, straight to Supabase Storage (so the app server
 * never holds the bytes), reporting progress, then writes its row. The database checks the
 * object exists and takes its real size and type. If the row cannot be written, the object
 * is removed again (a storage policy lets the uploader delete an object no row refers to):
 * a failed upload leaves neither a row nor a file.
 */
export async function uploadFile(
	supabase: SupabaseClient<Database>,
	supabaseUrl: string,
	publishableKey: string,
	file: File,
	target: UploadTarget,
	onProgress: (loaded: number, total: number) => void,
	signal?: AbortSignal
): Promise<UploadResult> {
	const refusal = await checkFile(file);
	if (refusal) throw new UploadError(refusal);

	const {
		data: { session }
	} = await supabase.auth.getSession();
	if (!session) throw new UploadError('Your session has ended. Sign in again, then retry.');

	const documentId = target.kind === 'document' ? crypto.randomUUID() : target.documentId;
	// <account>/<document>/<random>: uuids only, so no file name can play tricks with the key.
	const storagePath = `${target.accountId}/${documentId}/${crypto.randomUUID()}`;
	const contentType = mimeTypeFor(file.name) ?? 'application/octet-stream';

	await sendBytes(
		`${supabaseUrl}/storage/v1/object/documents/${storagePath}`,
		file,
		{
			authorization: `Bearer ${session.access_token}`,
			apikey: publishableKey,
			'content-type': contentType,
			'x-upsert': 'false'
		},
		onProgress,
		signal
	);

	const { error } =
		target.kind === 'document'
			? await supabase.from('documents').insert({
					id: documentId,
					account_id: target.accountId,
					folder_id: target.folderId ?? null,
					file_request_id: target.fileRequestId ?? null,
					name: file.name,
					storage_path: storagePath,
					size_bytes: file.size,
					mime_type: contentType,
					uploaded_by: session.user.id
				})
			: await supabase.from('document_versions').insert({
					document_id: documentId,
					account_id: target.accountId,
					storage_path: storagePath,
					size_bytes: file.size,
					mime_type: contentType,
					uploaded_by: session.user.id
				});
	if (error) {
		await supabase.storage.from('documents').remove([storagePath]);
		throw new UploadError(rowErrorMessage(file.name, error.message, error.hint));
	}
	return { documentId, storagePath };
}

function rowErrorMessage(name: string, message: string, hint: string | null): string {
	if (hint) return `“${name}” was not saved: ${hint}`;
	if (/row-level security|permission denied/i.test(message)) {
		return `“${name}” was not saved: your role in this account cannot upload files.`;
	}
	if (/duplicate|unique/i.test(message)) {
		return `“${name}” was not saved: a document with that name is already here.`;
	}
	return `“${name}” was not saved. Please try again.`;
}

/** PUT-style upload with XMLHttpRequest: fetch cannot report upload progress. */
function sendBytes(
	url: string,
	file: File,
	headers: Record<string, string>,
	onProgress: (loaded: number, total: number) => void,
	signal?: AbortSignal
): Promise<void> {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', url);
		for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
		xhr.upload.onprogress = (event) =>
			onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
		xhr.onload = () => {
			if (xhr.status >= 200 && xhr.status < 300) {
				onProgress(file.size, file.size);
				resolve();
			} else {
				reject(new UploadError(storageErrorMessage(file.name, xhr.status, xhr.responseText)));
			}
		};
		xhr.onerror = () =>
			reject(
				new UploadError(`“${file.name}” could not be sent: the connection failed. Try again.`)
			);
		xhr.onabort = () => reject(new UploadError(`“${file.name}”: upload cancelled.`));
		if (signal) {
			if (signal.aborted) return xhr.abort();
			signal.addEventListener('abort', () => xhr.abort(), { once: true });
		}
		xhr.send(file);
	});
}

function storageErrorMessage(name: string, status: number, body: string): string {
	if (status === 413 || /too large|exceeded the maximum/i.test(body)) {
		return `“${name}” is larger than the 50 MB limit.`;
	}
	if (status === 415 || /mime type|invalid_mime_type/i.test(body)) {
		return `“${name}”: this type of file is not accepted.`;
	}
	if (status === 401 || status === 403) {
		return `“${name}” was refused: your role in this account cannot upload files, or your session ended.`;
	}
	return `“${name}” could not be uploaded (error ${status}). Please try again.`;
}
