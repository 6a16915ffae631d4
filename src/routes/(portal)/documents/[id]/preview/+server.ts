import { error } from '@sveltejs/kit';
import { requireUser } from '../../../../../lib/server/auth';
import { findDocumentFile, recordAccess } from '../document-file.server';
import type { RequestHandler } from './$types';

/** Only these are shown inline: the browser renders them without running anything. */
const PREVIEWABLE = new Set([
	'application/pdf',
	'image/png',
	'image/jpeg',
	'image/gif',
	'image/webp'
]);

/** The server fetches the file at once; the URL never reaches the browser. */
const SIGNED_URL_SECONDS = 30;

/**
 * Streams a document's current file (or `?version=`) for display inside the details page:
 * PDFs in an iframe, images in an img. The file is fetched from storage as the user and
 * piped through without buffering. Other types get a 415: they are downloaded instead.
 *
 * The response may be framed by our own pages only (SAMEORIGIN; hooks.server.ts sets DENY
 * for everything else, and a route's own header wins there), and its policy lets nothing
 * inside run or load: a file is data, never a page of this site.
 */
export const GET: RequestHandler = async (event) => {
	await requireUser(event);
	const file = await findDocumentFile(event);
	if (!PREVIEWABLE.has(file.mimeType)) {
		error(415, 'This type of file cannot be previewed. Download it instead.');
	}

	const { data: signed, error: signError } = await event.locals.supabase.storage
		.from('documents')
		.createSignedUrl(file.storagePath, SIGNED_URL_SECONDS);
	if (signError || !signed) {
		console.error('[preview] signing the URL failed', signError);
		error(404, file.notFound);
	}

	let upstream: Response;
	try {
		upstream = await fetch(signed.signedUrl, { signal: event.request.signal });
	} catch (err) {
		console.error('[preview] fetching the file failed', err);
		error(502, 'The file could not be fetched from storage. Please try again.');
	}
	if (!upstream.ok || !upstream.body) {
		console.error('[preview] storage answered', upstream.status);
		await upstream.body?.cancel();
		error(
			upstream.status === 404 ? 404 : 502,
			'The file could not be fetched from storage. Please try again.'
		);
	}

	await recordAccess(event.locals.supabase, file.versionId, 'viewed');

	const headers = new Headers({
		'content-type': file.mimeType,
		'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
		'x-content-type-options': 'nosniff',
		'content-security-policy':
			"default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
		'x-frame-options': 'SAMEORIGIN',
		'cache-control': 'private, no-store'
	});
	const length = upstream.headers.get('content-length');
	if (length) headers.set('content-length', length);
	return new Response(upstream.body, { status: 200, headers });
};
