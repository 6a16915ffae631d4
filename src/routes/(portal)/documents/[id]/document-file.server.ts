import type { SupabaseClient } from '@supabase/supabase-js';
import { error, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import type { Database } from '../../../../lib/database.types';

const NOT_FOUND = 'This document does not exist, or you do not have access to it.';
const VERSION_NOT_FOUND = 'This version does not exist, or it belongs to another document.';

export interface DocumentFile {
	storagePath: string;
	mimeType: string;
	/** The name the browser saves or shows it under. */
	fileName: string;
	/** The document_versions row, for the access log (null only for a row without versions). */
	versionId: string | null;
	/** The 404 message that fits what was asked for. */
	notFound: string;
}

/** "Plan.pdf" as version 2 → "Plan (version 2).pdf": older versions never look current. */
function versionedName(name: string, version: number): string {
	const dot = name.lastIndexOf('.');
	return dot > 0
		? `${name.slice(0, dot)} (version ${version})${name.slice(dot)}`
		: `${name} (version ${version})`;
}

/**
 * The file a download or preview is about: the document's current file, or with
 * `?version=<document_versions.id>` one of its versions (it must belong to that document).
 * Both rows are read as the user, so RLS decides; anything they may not see is a 404.
 */
export async function findDocumentFile(
	event: Pick<RequestEvent<{ id: string }>, 'params' | 'url' | 'locals'>
): Promise<DocumentFile> {
	const id = z.uuid().safeParse(event.params.id);
	if (!id.success) error(404, NOT_FOUND);
	const versionParam = event.url.searchParams.get('version');
	const versionId = versionParam === null ? null : z.uuid().safeParse(versionParam);
	if (versionId && !versionId.success) error(404, VERSION_NOT_FOUND);

	const { supabase } = event.locals;
	const versions = supabase
		.from('document_versions')
		.select('id, version, storage_path, mime_type')
		.eq('document_id', id.data);
	const [document, version] = await Promise.all([
		supabase
			.from('documents')
			.select('name, storage_path, mime_type')
			.eq('id', id.data)
			.maybeSingle(),
		versionId
			? versions.eq('id', versionId.data).maybeSingle()
			: versions.order('version', { ascending: false }).limit(1).maybeSingle()
	]);
	if (document.error || version.error) {
		console.error('[documents] loading the file failed', document.error ?? version.error);
		error(503, 'The file could not be prepared. Please try again.');
	}
	if (!document.data) error(404, NOT_FOUND);
	if (versionId && !version.data) error(404, VERSION_NOT_FOUND);

	const doc = document.data;
	const chosen = versionId ? version.data : null;
	const current = !chosen || chosen.storage_path === doc.storage_path;
	return {
		storagePath: chosen?.storage_path ?? doc.storage_path,
		mimeType: chosen?.mime_type ?? doc.mime_type,
		fileName: current || !chosen ? doc.name : versionedName(doc.name, chosen.version),
		versionId: version.data?.id ?? null,
		notFound: versionId ? VERSION_NOT_FOUND : NOT_FOUND
	};
}

/**
 * Notes in the activity log that someone viewed or downloaded a file (clients see when
 * staff looked). Never stands in the way of the file itself: a failure is only logged.
 */
export async function recordAccess(
	supabase: SupabaseClient<Database>,
	versionId: string | null,
	kind: 'viewed' | 'downloaded'
): Promise<void> {
	if (!versionId) return;
	try {
		const { error: rpcError } = await supabase.rpc('record_document_access', {
			p_version_id: versionId,
			p_kind: kind
		});
		if (rpcError) console.error(`[documents] recording the ${kind} access failed`, rpcError);
	} catch (err) {
		console.error(`[documents] recording the ${kind} access failed`, err);
	}
}
