import { error, fail, type RequestEvent } from '@sveltejs/kit';
import type { PostgrestError } from '@supabase/supabase-js';
import { LOGO_BUCKET, logoPathFor } from '../../../../lib/branding/branding';
import {
	contrastExplanation,
	nearestPassingShade,
	passesAA
} from '../../../../lib/branding/contrast';
import { detectLogoType, MAX_LOGO_BYTES, MAX_LOGO_LABEL } from '../../../../lib/branding/logo';
import { requireStaff } from '../../../../lib/server/auth';
import { fieldErrors, parseForm } from '../../../../lib/server/forms';
import type { Actions, PageServerLoad } from './$types';
import { brandingSchema } from './schema';

/**
 * The business's name, colour and logo, for admins. Every write runs as the signed-in admin:
 * the branding policy and the bucket's policies decide, and the table's check constraint
 * refuses a colour white button text cannot be read on (see the staff workspace migration).
 */

/** Admins only: checked in the load and in every action (a layout load can be skipped). */
async function requireAdmin(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const staff = await requireStaff(event);
	if (staff.role !== 'admin') error(403, 'Only admins can change the branding.');
	return staff;
}

type Db = App.Locals['supabase'];

async function currentBranding(supabase: Db) {
	const { data, error: err } = await supabase
		.from('branding')
		.select('business_name, primary_color, logo_path, updated_at')
		.single();
	if (err) {
		console.error('[branding] loading the branding failed', err);
		error(503, 'The branding could not be loaded. Please try again.');
	}
	return data;
}

export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	await requireAdmin(event);
	const branding = await currentBranding(event.locals.supabase);
	return {
		branding: {
			name: branding.business_name,
			color: branding.primary_color,
			hasLogo: branding.logo_path !== null,
			updatedAt: branding.updated_at
		}
	};
};

const NOT_ALLOWED = 'Only admins can change the branding.';
const SAVE_FAILED = 'The branding could not be saved. Please try again.';

/** A colour refused before the database, or by its check constraint: the same words. */
function colourRefused(values: { name: string; color: string }) {
	return fail(400, {
		values,
		errors: fieldErrors(brandingSchema, { color: [contrastExplanation(values.color)] }),
		suggestion: nearestPassingShade(values.color)
	});
}

function writeFailure(err: PostgrestError, values: { name: string; color: string }) {
	if (err.code === '23514' && /contrast/.test(err.message)) return colourRefused(values);
	if (err.code === '42501') return fail(403, { values, message: NOT_ALLOWED });
	console.error('[branding] saving failed', err);
	return fail(503, { values, message: SAVE_FAILED });
}

const LOGO_TYPES = `Upload a PNG, JPEG or WebP image of up to ${MAX_LOGO_LABEL}.`;

/** Why a file is not a logo we take, in words. */
function logoRefusal(file: File): string {
	if (/\.svg$/i.test(file.name) || file.type === 'image/svg+xml') {
		return `SVG logos are not accepted: an SVG can carry script. ${LOGO_TYPES}`;
	}
	return `“${file.name}” is not a PNG, JPEG or WebP image (its contents were checked, not its name). ${LOGO_TYPES}`;
}

async function removeLogoObject(supabase: Db, path: string) {
	const { error: err } = await supabase.storage.from(LOGO_BUCKET).remove([path]);
	if (err) console.error('[branding] removing a logo object failed', path, err);
}

export const actions = {
	save: async (event) => {
		await requireAdmin(event);
		const form = await parseForm(brandingSchema, event.request);
		if (!form.data) {
			return fail(400, {
				values: { name: form.input.name ?? '', color: form.input.color ?? '' },
				errors: form.errors,
				suggestion: null
			});
		}
		const values = form.data;
		if (!passesAA(values.color)) return colourRefused(values);

		const { data, error: err } = await event.locals.supabase
			.from('branding')
			.update({ business_name: values.name, primary_color: values.color })
			.eq('id', true)
			.select('id');
		if (err) return writeFailure(err, values);
		// The policy filtered the row out: nothing was changed.
		if (data.length === 0) return fail(403, { values, message: NOT_ALLOWED });
		return { saved: 'Branding saved. Every page and email now uses it.' };
	},

	uploadLogo: async (event) => {
		await requireAdmin(event);
		const { supabase } = event.locals;
		let formData: FormData;
		try {
			formData = await event.request.formData();
		} catch {
			error(400, 'This form could not be read. Reload the page and try again.');
		}
		const file = formData.get('logo');
		if (!(file instanceof File) || file.size === 0) {
			return fail(400, { logoError: `Choose an image to upload. ${LOGO_TYPES}` });
		}
		if (file.size > MAX_LOGO_BYTES) {
			return fail(400, {
				logoError: `“${file.name}” is larger than ${MAX_LOGO_LABEL}. ${LOGO_TYPES}`
			});
		}
		const bytes = new Uint8Array(await file.arrayBuffer());
		const contentType = detectLogoType(bytes);
		if (!contentType) return fail(400, { logoError: logoRefusal(file) });

		const previous = (await currentBranding(supabase)).logo_path;
		const path = logoPathFor(crypto.randomUUID());
		const upload = await supabase.storage
			.from(LOGO_BUCKET)
			.upload(path, bytes, { contentType, upsert: false });
		if (upload.error) {
			console.error('[branding] uploading the logo failed', upload.error);
			return fail(503, { logoError: 'The logo could not be uploaded. Please try again.' });
		}

		const { data, error: err } = await supabase
			.from('branding')
			.update({ logo_path: path })
			.eq('id', true)
			.select('id');
		if (err || data.length === 0) {
			// No row points at the new object: take it away again.
			await removeLogoObject(supabase, path);
			if (err) console.error('[branding] saving the logo failed', err);
			return err && err.code !== '42501'
				? fail(503, { logoError: 'The logo could not be saved. Please try again.' })
				: fail(403, { logoError: NOT_ALLOWED });
		}
		// Only once the new logo is saved: a failure above leaves the old one in place.
		if (previous) await removeLogoObject(supabase, previous);
		return { logoSaved: 'Logo uploaded.' };
	},

	removeLogo: async (event) => {
		await requireAdmin(event);
		const { supabase } = event.locals;
		const previous = (await currentBranding(supabase)).logo_path;
		if (!previous) return { logoSaved: 'There is no logo to remove.' };
		const { data, error: err } = await supabase
			.from('branding')
			.update({ logo_path: null })
			.eq('id', true)
			.select('id');
		if (err || data.length === 0) {
			if (err) console.error('[branding] removing the logo failed', err);
			return err && err.code !== '42501'
				? fail(503, { logoError: 'The logo could not be removed. Please try again.' })
				: fail(403, { logoError: NOT_ALLOWED });
		}
		await removeLogoObject(supabase, previous);
		return { logoSaved: 'Logo removed. The header shows the business name alone.' };
	}
} satisfies Actions;
