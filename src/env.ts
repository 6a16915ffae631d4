import { building } from '$app/env';
import { defineEnvVars } from '@sveltejs/kit/env';
import { z } from 'zod';

/** Validates when the server starts; a bad or missing value stops it with this message. */
function required(schema: z.ZodType<string, string | undefined>) {
	return (value: string | undefined): string => {
		// `vite build` starts the server once to analyse routes, without the deployment's
		// environment; nothing is served then, so a missing value is not an error yet.
		if (building && value === undefined) return '';
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
		schema: required(
			z.url({ protocol: /^https?$/, error: 'Set PUBLIC_SUPABASE_URL to an http(s) URL' })
		)
	},
	PUBLIC_SUPABASE_PUBLISHABLE_KEY: {
		public: true,
		static: false,
		description: 'The project’s publishable API key (sb_publishable_…); safe in the browser',
		schema: required(
			z.string({ error: 'Set PUBLIC_SUPABASE_PUBLISHABLE_KEY' }).startsWith('sb_publishable_', {
				error: 'PUBLIC_SUPABASE_PUBLISHABLE_KEY must be a publishable key (sb_publishable_…)'
			})
		)
	}
});
