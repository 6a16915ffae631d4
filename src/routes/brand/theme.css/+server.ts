import { DEFAULT_BRANDING } from '../../../lib/branding/branding';
import { loadBranding } from '../../../lib/branding/branding.server';
import { hoverShade, themePrimary } from '../../../lib/branding/contrast';
import type { RequestHandler } from './$types';

/**
 * The brand colour as CSS custom properties, linked from the root layout on every page. A
 * stylesheet and not a style attribute or an inline <style>: the CSP allows neither.
 *
 * Light scheme only. The colour is chosen to carry white text (4.5:1 against white, so it is
 * dark enough); in the dark scheme the portal prints on a near-black background with dark
 * text on buttons, where a dark brand colour would fail. The dark palette stays as it is.
 */
export const GET: RequestHandler = async ({ locals, request }) => {
	const branding = await loadBranding(locals.supabase);
	const etag = `"${branding.updatedAt ?? 'default'}-${branding.color}"`;
	const headers = {
		etag,
		'content-type': 'text/css; charset=utf-8',
		'cache-control': 'public, max-age=300',
		'x-content-type-options': 'nosniff'
	};
	if (request.headers.get('if-none-match') === etag) {
		return new Response(null, { status: 304, headers });
	}
	return new Response(themeCss(branding.color), { headers });
};

/** `html:root` outranks app.css's `:root`, whichever stylesheet loads last. */
function themeCss(color: string): string {
	// The colour comes from the database, whose check allows only #rrggbb: nothing else can
	// reach the stylesheet. Tested again here all the same.
	if (color === DEFAULT_BRANDING.color || !/^#[0-9a-f]{6}$/.test(color)) {
		return '/* The portal’s own colours: no brand colour is set. */\n';
	}
	// The colour itself, unless text in it would be hard to read on the pale grey panels.
	const primary = themePrimary(color);
	return `/* The brand colour itself, for previews that draw it on white in either scheme. */
:root {
	--color-brand: ${color};
}

/* As the primary colour in the light scheme only (see src/routes/brand/theme.css). */
@media not all and (prefers-color-scheme: dark) {
	html:root {
		--color-primary: ${primary};
		--color-primary-hover: ${hoverShade(primary)};
		--color-focus: ${primary};
	}
}
`;
}
