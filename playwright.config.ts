import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from './tests/support/chromium.ts';

/**
 * End-to-end tests in Debian's Chromium (Playwright cannot download browsers here)
 * against the production build, with the local stack `npm test` starts.
 */
const baseURL = process.env.TEST_SITE_URL ?? 'http://127.0.0.1:4173';
const port = new URL(baseURL).port;

export default defineConfig({
	testDir: 'tests/e2e',
	// Screenshots (phone and desktop widths of every portal page) and failure traces are kept
	// here after a run, beside the other reports.
	outputDir: '.local/reports/e2e',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 30_000,
	expect: { timeout: 10_000 },
	use: {
		baseURL,
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: CHROMIUM_ARGS
		}
	},
	webServer: {
		command: 'node build',
		url: `${baseURL}/sign-in`,
		reuseExistingServer: false,
		timeout: 60_000,
		env: {
			PORT: port,
			HOST: '127.0.0.1',
			PUBLIC_SUPABASE_URL: process.env.PUBLIC_SUPABASE_URL ?? '',
			PUBLIC_SUPABASE_PUBLISHABLE_KEY: process.env.PUBLIC_SUPABASE_PUBLISHABLE_KEY ?? '',
			SMTP_URL: process.env.SMTP_URL ?? '',
			MAIL_FROM: process.env.MAIL_FROM ?? ''
		}
	}
});
