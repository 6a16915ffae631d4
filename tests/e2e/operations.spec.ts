import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';

test('GET /health answers 200 with each part of Supabase reachable, and nothing else', async ({
	request
}) => {
	const response = await request.get('/health');
	expect(response.status()).toBe(200);
	expect(response.headers()['cache-control']).toBe('no-store');
	expect(await response.json()).toEqual({
		status: 'ok',
		checks: { auth: 'ok', data: 'ok', storage: 'ok' }
	});
});

/** Boots the production build (`node build`) with the given environment; resolves on exit. */
function boot(env: Record<string, string>) {
	return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
		const child = spawn(process.execPath, ['build'], {
			env: { PATH: process.env.PATH ?? '', PORT: '24399', HOST: '127.0.0.1', ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`the server did not exit within 15 s:\n${output}`));
		}, 15_000);
		child.on('exit', (code) => {
			clearTimeout(timer);
			resolve({ code, output });
		});
	});
}

test('the server refuses to start with a missing or malformed setting, naming each one', async () => {
	const { code, output } = await boot({
		PUBLIC_SUPABASE_URL: 'ftp://example.com',
		PUBLIC_SUPABASE_PUBLISHABLE_KEY: 'sb_secret_must-not-be-printed',
		SMTP_URL: 'smtp://user:pass@127.0.0.1:24325'
		// MAIL_FROM missing
	});
	expect(code).toBe(1);
	expect(output).toContain('The portal cannot start');
	expect(output).toMatch(/PUBLIC_SUPABASE_URL must be the http\(s\) URL/);
	expect(output).toMatch(/PUBLIC_SUPABASE_PUBLISHABLE_KEY must be the project’s publishable key/);
	expect(output).toContain('MAIL_FROM is missing');
	expect(output).not.toContain('SMTP_URL');
	expect(output).not.toContain('must-not-be-printed');
	// A message, not a crash: no stack frames.
	expect(output).not.toMatch(/^\s+at /m);
});
