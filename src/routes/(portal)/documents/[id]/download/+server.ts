import { PUBLIC_SUPABASE_URL } from '$app/env/public';
import { error, redirect } from '@sveltejs/kit';
import { requireUser } from '../../../../../lib/server/auth';
import { findDocumentFile, recordAccess } from '../document-file.server';
import type { RequestHandler } from './$types';

/** Long enough to start the download, short enough that a leaked link soon stops working. */
const SIGNED_URL_SECONDS = 60;

/**
 * Sends the browser to a short-lived signed URL for a document's current file, or for an
 * older version with `?version=<document_versions.id>`. Rows are read as the user, so RLS
 * decides: a document they may not see is a 404, the same as a missing one.
 */
export const GET: RequestHandler = async (event) => {
	await requireUser(event);
	const file = await findDocumentFile(event);

	const { data: signed, error: signError } = await event.locals.supabase.storage
		.from('documents')
		.createSignedUrl(file.storagePath, SIGNED_URL_SECONDS);
	if (signError || !signed) {
		// The row is visible but the file is not: missing from storage, or refused by its policy.
		console.error('[download] signing the URL failed', signError);
		error(404, file.notFound);
	}

	// Storage sends it as an attachment under this name. Set here rather than with the
	// `download` option, which storage-js encodes twice ("(" arrives as "%28").
	const url = new URL(signed.signedUrl);
	url.searchParams.set('download', file.fileName);

	await recordAccess(event.locals.supabase, file.versionId, 'downloaded');
	redirect(303, url.href, { external: [new URL(PUBLIC_SUPABASE_URL).origin] });
};
