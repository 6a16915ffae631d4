import { z } from 'zod';
import { normalizeHex } from '../../../../lib/branding/contrast';
import { NUL_MESSAGE, withoutNul } from '../../../../lib/schemas';

const colorField = z.string({ error: 'Enter a colour like #1d4ed8' }).transform((value, ctx) => {
	const hex = normalizeHex(value);
	if (!hex) {
		ctx.addIssue({
			code: 'custom',
			message: 'Enter a colour as # and six hex digits, like #1d4ed8'
		});
		return z.NEVER;
	}
	return hex;
});

/**
 * The name and colour form. `color` is the text field and `picker` the colour input: with
 * JavaScript they agree; without it, whichever one was changed from `current` counts. `use`
 * is the "Save with <suggestion>" button after a refusal, and wins.
 */
export const brandingSchema = z
	.object({
		name: z
			.string({ error: 'Enter the business name' })
			.trim()
			.min(1, { error: 'Enter the business name' })
			.max(80, { error: 'Keep the name to 80 characters or fewer' })
			.refine(withoutNul, NUL_MESSAGE),
		color: colorField,
		picker: z.string().optional(),
		current: z.string().optional(),
		use: colorField.optional()
	})
	.transform(({ name, color, picker, current, use }) => {
		if (use) return { name, color: use };
		const picked = picker ? normalizeHex(picker) : null;
		const untouched = current ? normalizeHex(current) : null;
		return { name, color: color === untouched && picked && picked !== untouched ? picked : color };
	});
