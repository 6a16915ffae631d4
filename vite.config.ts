import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [
		// SvelteKit 3 takes its configuration here; it refuses a svelte.config.js.
		sveltekit({
			adapter: adapter(),
			// Cross-site form posts are refused (SvelteKit's origin check); no exceptions.
			csrf: { trustedOrigins: [] },
			// The public origin the production server answers on (e.g. https://portal.example.com),
			// fixed at build time: adapter-node derives it from it, and the origin check compares
			// form posts against it. Unset, adapter-node assumes https and the Host header.
			paths: { origin: process.env.ORIGIN || undefined },
			// Kit adds hashes/nonces for its own inline scripts. The Supabase origin is known
			// only at run time, so hooks.server.ts appends it to connect-src.
			csp: {
				mode: 'auto',
				directives: {
					'default-src': ['self'],
					'script-src': ['self'],
					// SvelteKit's route announcer (for screen readers) carries one fixed style
					// attribute; allow exactly that one rather than any inline style.
					'style-src': [
						'self',
						'unsafe-hashes',
						'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='
					],
					'img-src': ['self', 'data:'],
					'font-src': ['self'],
					'connect-src': ['self'],
					'form-action': ['self'],
					'frame-ancestors': ['none'],
					'base-uri': ['self'],
					'object-src': ['none']
				}
			}
		})
	],
	// The local stack writes its data under .local/; reloading the app for that is noise.
	server: { watch: { ignored: ['**/.local/**'] } },
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					environment: 'node',
					include: ['src/**/*.test.ts']
				}
			},
			{
				extends: true,
				test: {
					name: 'api',
					environment: 'node',
					include: ['tests/api/**/*.test.ts'],
					// API tests share one local stack; run files one after another.
					fileParallelism: false,
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			},
			{
				extends: true,
				test: {
					name: 'security',
					environment: 'node',
					include: ['tests/security/**/*.test.ts'],
					// Against the shared test stack and the built app (npm run test:security).
					fileParallelism: false,
					testTimeout: 60_000,
					hookTimeout: 60_000
				}
			},
			{
				extends: true,
				test: {
					name: 'db',
					environment: 'node',
					include: ['tests/db/**/*.test.ts'],
					// Each file builds its own database (PGlite, or a fresh one on TEST_DB_URL's
					// server): run them one after another.
					fileParallelism: false,
					testTimeout: 60_000,
					hookTimeout: 300_000
				}
			}
		]
	}
});
