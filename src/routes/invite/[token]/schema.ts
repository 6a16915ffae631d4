import { z } from 'zod';
import { newPasswordField } from '../../../lib/schemas';

/** Creating an account to accept an invitation: the email is the invitation's, never posted. */
export const inviteSignUpSchema = z.object({
	displayName: z
		.string({ error: 'Enter your name' })
		.trim()
		.min(1, 'Enter your name')
		.max(120, 'A name is at most 120 characters'),
	password: newPasswordField
});
