import { PUBLIC_SUPABASE_URL } from '$app/env/public';
import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { requireUser } from '../../../../../lib/server/auth';
import type { RequestHandler } from './$types';

/** Long enough to start the download, short enough that a leaked link soon stops working. */
const SIGNED_URL_SECONDS = 60;

const NOT_FOUND = 'This document does not exist, or you do not have access to it.';

/**
 * Sends the browser to a short-lived signed URL for one document. The row is read as the
 * user, so RLS decides: a document they may not see is a 404, the same as a missing one.
 */
export const GET: RequestHandler = async (event) => {
	await requireUser(event);
	const id = z.uuid().safeParse(event.params.id);
	if (!id.success) error(404, NOT_FOUND);

	const { supabase } = event.locals;
	const { data: document, error: queryError } = await supabase
		.from('documents')
		.select('name, storage_path')
		.eq('id', id.data)
		.maybeSingle();
	if (queryError) {
		console.error('[download] loading the document failed', queryError);
		error(503, 'The download could not be prepared. Please try again.');
	}
	if (!document) error(404, NOT_FOUND);

	const { data: signed, error: signError } = await supabase.storage
		.from('documents')
		.createSignedUrl(document.storage_path, SIGNED_URL_SECONDS, { download: document.name });
	if (signError || !signed) {
		// The row is visible but the file is not: missing from storage, or refused by its policy.
		console.error('[download] signing the URL failed', signError);
		error(404, NOT_FOUND);
	}

	redirect(303, signed.signedUrl, { external: [new URL(PUBLIC_SUPABASE_URL).origin] });
};
