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
export function parseForm<Schema extends z.ZodType<unknown, FormInput>>(
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

/** Field errors found after validation (e.g. Auth refused a password), typed like zod's. */
export function fieldErrors<Schema extends z.ZodType>(
	_schema: Schema,
	errors: FieldErrors<Schema>
): FieldErrors<Schema> {
	return errors;
}
