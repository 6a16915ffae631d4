import { error } from '@sveltejs/kit';
import { LOGO_BUCKET } from '../../../lib/branding/branding';
import { loadBranding } from '../../../lib/branding/branding.server';
import { detectLogoType } from '../../../lib/branding/logo';
import type { RequestHandler } from './$types';

/**
 * The business's logo, for the header, the sign-in page and emails. Read through the
 * request's own client: the bucket's policy lets anyone, signed in or not, read it. Each
 * upload gets a new path, so the path is the ETag; pages add ?v=<updated_at> to the URL.
 */
export const GET: RequestHandler = async ({ locals, request }) => {
	const branding = await loadBranding(locals.supabase);
	if (!branding.logoPath) error(404, 'There is no logo.');

	const etag = `"${branding.logoPath}"`;
	const headers = {
		etag,
		'cache-control': 'public, max-age=300',
		'x-content-type-options': 'nosniff'
	};
	if (request.headers.get('if-none-match') === etag) {
		return new Response(null, { status: 304, headers });
	}

	const { data, error: downloadError } = await locals.supabase.storage
		.from(LOGO_BUCKET)
		.download(branding.logoPath);
	if (downloadError || !data) {
		console.error('[branding] reading the logo failed', downloadError);
		error(404, 'The logo could not be read.');
	}
	const bytes = new Uint8Array(await data.arrayBuffer());
	// Served as the type its bytes show, whatever was stored with it.
	const type = detectLogoType(bytes);
	if (!type) error(404, 'The logo could not be read.');

	return new Response(bytes, {
		headers: { ...headers, 'content-type': type, 'content-length': String(bytes.length) }
	});
};
