import { z } from 'zod';
import { currentPasswordField, emailField, redirectToField } from '../../../lib/schemas';

export const signInSchema = z.object({
	email: emailField,
	password: currentPasswordField,
	redirectTo: redirectToField
});
