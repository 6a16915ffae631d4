import { defineEnvVars } from '@sveltejs/kit/env';
import { z } from 'zod';

/**
 * A value that is checked here when set, and required by the `init` hook in
 * hooks.server.ts. Missing is accepted here because everything that loads the Vite config
 * (the build's route analysis, vitest) evaluates these modules without the deployment's
 * environment; the running server refuses to start without it.
 */
function checkedIfSet(schema: z.ZodType<string, string>) {
	return (value: string | undefined): string => {
		if (value === undefined || value === '') return '';
		const result = schema.safeParse(value);
		if (!result.success) throw new Error(result.error.issues[0]?.message ?? 'Invalid value');
		return result.data;
	};
}

/**
 * Read when the server starts, never inlined at build time (`static: false`), so one build
 * serves any Supabase stack. Kit 3 replaced `$env/dynamic/public` with these declarations,
 * imported from `$app/env/public`.
 */
export const variables = defineEnvVars({
	PUBLIC_SUPABASE_URL: {
		public: true,
		static: false,
		description: 'Base URL of the Supabase project, e.g. http://127.0.0.1:54321',
		schema: checkedIfSet(
			z.url({ protocol: /^https?$/, error: 'PUBLIC_SUPABASE_URL must be an http(s) URL' })
		)
	},
	PUBLIC_SUPABASE_PUBLISHABLE_KEY: {
		public: true,
		static: false,
		description: 'The project’s publishable API key (sb_publishable_…); safe in the browser',
		schema: checkedIfSet(
			z.string().startsWith('sb_publishable_', {
				error: 'PUBLIC_SUPABASE_PUBLISHABLE_KEY must be a publishable key (sb_publishable_…)'
			})
		)
	},
	SMTP_URL: {
		public: false,
		static: false,
		description:
			'SMTP server for invitation emails, e.g. smtps://user:password@smtp.example.com:465 (server only)',
		schema: checkedIfSet(
			z.url({
				protocol: /^smtps?$/,
				error: 'SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtps://user:pass@host:465'
			})
		)
	},
	MAIL_FROM: {
		public: false,
		static: false,
		description: 'Sender of invitation emails, e.g. "Acme Portal <portal@acme.example>"',
		schema: checkedIfSet(
			z.string().regex(/^[^\r\n]*<?[^@\s<>]+@[^@\s<>]+>?$/, {
				error: 'MAIL_FROM must be an address, optionally with a name: Name <address@example.com>'
			})
		)
	}
});
