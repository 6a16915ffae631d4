import { z } from 'zod';
import { emailField, redirectToField } from '../../../../lib/schemas';

/** Step 1: the address to send a sign-in link and code to. */
export const sendCodeSchema = z.object({
	email: emailField,
	redirectTo: redirectToField
});

/** Step 2: the code from that email (6 digits here; Supabase allows up to 10). */
export const verifyCodeSchema = z.object({
	email: emailField,
	token: z
		.string({ error: 'Enter the code from the email' })
		.transform((token) => token.replace(/[\s-]/g, ''))
		.pipe(
			z
				.string()
				.min(1, 'Enter the code from the email')
				.regex(/^\d{6,10}$/, 'Enter the 6-digit code from the email, digits only')
		),
	redirectTo: redirectToField
});
