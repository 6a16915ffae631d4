import { defineEnvVars } from '@sveltejs/kit/env';

/**
 * The server's environment, read when it starts, never inlined at build time
 * (`static: false`), so one build serves any Supabase project. Kit 3 replaced
 * `$env/dynamic/*` with these declarations, imported from `$app/env/public` and
 * `$app/env/private`.
 *
 * The rules live in src/lib/server/config.ts and are checked by the `init` hook: Kit's own
 * validation would also run during the build (which has no deployment environment) and
 * would stop at the first kind of problem; the hook names every missing or malformed
 * variable at once and exits. Here, any value passes through as given.
 */
const asGiven = (value: string | undefined): string => value ?? '';

export const variables = defineEnvVars({
	PUBLIC_SUPABASE_URL: {
		public: true,
		static: false,
		description: 'Base URL of the Supabase project, e.g. https://<ref>.supabase.co',
		schema: asGiven
	},
	PUBLIC_SUPABASE_PUBLISHABLE_KEY: {
		public: true,
		static: false,
		description: 'The project’s publishable API key (sb_publishable_…); safe in the browser',
		schema: asGiven
	},
	SMTP_URL: {
		public: false,
		static: false,
		description:
			'SMTP server for invitation emails, e.g. smtps://user:password@smtp.example.com:465 (server only)',
		schema: asGiven
	},
	MAIL_FROM: {
		public: false,
		static: false,
		description: 'Sender of invitation emails, e.g. "Acme Portal <portal@acme.example>"',
		schema: asGiven
	}
});
