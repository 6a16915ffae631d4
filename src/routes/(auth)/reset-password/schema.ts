import { z } from 'zod';
import { newPasswordField } from '../../../lib/schemas';

export const resetPasswordSchema = z
	.object({
		password: newPasswordField,
		confirm: z
			.string({ error: 'Enter the new password again' })
			.min(1, 'Enter the new password again')
	})
	.refine((form) => form.password === form.confirm, {
		path: ['confirm'],
		error: 'The passwords do not match'
	});
