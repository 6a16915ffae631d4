import { error } from '@sveltejs/kit';
import { z } from 'zod';

/** What a form posted, text fields only (a file input would be a `File`). */
export type FormInput = Record<string, string | undefined>;

/** Field errors keyed by input name, as `z.flattenError` produces them. */
export type FieldErrors<Schema extends z.ZodType> = z.core.$ZodFlattenedError<
	z.output<Schema>
>['fieldErrors'];

/**
 * Validates a submitted form with its zod schema. Returns the parsed data, or the field
 * errors to send back with `fail(400, …)`; `input` is what was posted, for re-filling
 * fields (pick only non-secret ones: never echo a password).
 */
export function parseFormData<Schema extends z.ZodType<unknown, FormInput>>(
	schema: Schema,
	formData: FormData
):
	| { data: z.output<Schema>; errors: null; input: FormInput }
	| { data: null; errors: FieldErrors<Schema>; input: FormInput } {
	const input: FormInput = {};
	for (const [name, value] of formData) {
		// The first value wins if a name is repeated; files are never read as text.
		if (typeof value === 'string' && !(name in input)) input[name] = value;
	}
	const result = schema.safeParse(input);
	return result.success
		? { data: result.data, errors: null, input }
		: { data: null, errors: z.flattenError(result.error).fieldErrors, input };
}

/**
 * Reads a form post and validates it (see parseFormData). A body that is not a form at all
 * (a text/plain post, a multipart body without its boundary, a truncated upload) is a 400
 * with a plain message, never a 500.
 */
export async function parseForm<Schema extends z.ZodType<unknown, FormInput>>(
	schema: Schema,
	request: Request
) {
	let formData: FormData;
	try {
		formData = await request.formData();
	} catch {
		error(400, 'This form could not be read. Reload the page and try again.');
	}
	return parseFormData(schema, formData);
}

/** Field errors found after validation (e.g. Auth refused a password), typed like zod's. */
export function fieldErrors<Schema extends z.ZodType>(
	_schema: Schema,
	errors: FieldErrors<Schema>
): FieldErrors<Schema> {
	return errors;
}
