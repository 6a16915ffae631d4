import { z } from 'zod';

/**
 * The server's settings and their rules, in one place. src/env.ts declares the variables to
 * SvelteKit; the `init` hook checks them all here when the server starts and, if any is
 * missing or malformed, names each one and exits (no stack trace, no half-working portal).
 */

export const CONFIG_DOCS = 'docs/operators.md';

export const configSchema = z.object({
	PUBLIC_SUPABASE_URL: z.url({
		protocol: /^https?$/,
		error: 'must be the http(s) URL of the Supabase project, e.g. https://<ref>.supabase.co'
	}),
	PUBLIC_SUPABASE_PUBLISHABLE_KEY: z.string().startsWith('sb_publishable_', {
		error: 'must be the project’s publishable key (sb_publishable_…), never the secret key'
	}),
	SMTP_URL: z.url({
		protocol: /^smtps?$/,
		error: 'must be an smtp:// or smtps:// URL, e.g. smtps://user:password@smtp.example.com:465'
	}),
	MAIL_FROM: z.string().regex(/^[^\r\n]*<?[^@\s<>]+@[^@\s<>]+>?$/, {
		error: 'must be an address, optionally with a name: Name <address@example.com>'
	})
});

export type ConfigName = keyof typeof configSchema.shape;

/** One line per missing or malformed variable; empty when all is well. Values are never echoed. */
export function configProblems(values: Record<ConfigName, string | undefined>): string[] {
	const problems: string[] = [];
	for (const [name, schema] of Object.entries(configSchema.shape)) {
		const value = values[name as ConfigName];
		if (value === undefined || value.trim() === '') {
			problems.push(`${name} is missing`);
			continue;
		}
		const result = schema.safeParse(value);
		if (!result.success)
			problems.push(`${name} ${result.error.issues[0]?.message ?? 'is invalid'}`);
	}
	return problems;
}
