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
			paths: { origin: process.env.ORIGIN || undefined }
		})
	],
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
			}
		]
	}
});
