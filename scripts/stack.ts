/**
 * The local Supabase stack: @supabase/lite (auth, data API, storage) on embedded
 * PGlite or on a real PostgreSQL, plus a MailDev inbox that catches auth emails.
 *
 * Each stack lives in its own instance folder (`.local/dev`, `.local/test`, …) holding
 * its database, its stored files and symlinks to the project's supabase/ files, so the
 * dev stack and a test stack never share data.
 *
 *   npm run stack                 start the dev stack alone (no app)
 *   LOCAL_DB_URL=postgres://… …   run on a real PostgreSQL instead of PGlite
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, openSync, rmSync, symlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@supabase/supabase-js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

/** Fixed development keys from supabase/lite.toml: public on purpose, never for a hosted project. */
export const DEV_PUBLISHABLE_KEY = 'sb_publishable_LOCAL_DEV_ONLY_portal0000000000';
export const DEV_SECRET_KEY = 'sb_secret_LOCAL_DEV_ONLY_portal00000000000000000';

/** The local mail catcher's login (also in supabase/lite.toml): development only. */
const SMTP_USER = 'portal-dev';
const SMTP_PASSWORD = 'LOCAL-DEV-ONLY-smtp-password';

export interface StackOptions {
	/** Instance folder name under .local/ */
	name: string;
	apiPort: number;
	smtpPort: number;
	inboxPort: number;
	/** The app's origin; auth emails link back to it. */
	siteUrl: string;
	/** A PostgreSQL URL to run on instead of embedded PGlite. */
	dbUrl?: string;
	/** Drop all data first (migrations and seed are applied again). */
	reset?: boolean;
	/** Where lite and MailDev write their logs (default: inherit). */
	log?: 'inherit' | 'file';
}

export interface Stack {
	apiUrl: string;
	inboxUrl: string;
	publishableKey: string;
	/** What the portal app needs to run against this stack (see src/env.ts). */
	appEnv: Record<
		'PUBLIC_SUPABASE_URL' | 'PUBLIC_SUPABASE_PUBLISHABLE_KEY' | 'SMTP_URL' | 'MAIL_FROM',
		string
	>;
	instanceDir: string;
	fresh: boolean;
	stop(): Promise<void>;
	/** Kills every process at once (SIGKILL), as a power cut would: for the fault tests. */
	crash(): Promise<void>;
}

function instancePaths(name: string) {
	const dir = path.join(root, '.local', name);
	return { dir, pglite: path.join(dir, 'pglite'), supabase: path.join(dir, 'supabase') };
}

/** Lays out the instance folder: real data folders, symlinks to the project's files. */
function prepareInstance(name: string, reset: boolean) {
	const paths = instancePaths(name);
	if (reset) rmSync(paths.dir, { recursive: true, force: true });
	mkdirSync(path.join(paths.supabase, '.temp', 'storage'), { recursive: true });
	for (const entry of ['lite.toml', 'migrations', 'seed.sql', 'templates']) {
		const link = path.join(paths.supabase, entry);
		if (!existsSync(link)) symlinkSync(path.join(root, 'supabase', entry), link);
	}
	return paths;
}

function liteEnv(opts: StackOptions, pglite: string): NodeJS.ProcessEnv {
	return {
		...process.env,
		LITE_TELEMETRY: '0',
		DO_NOT_TRACK: '1',
		EXPERIMENTAL_STORAGE: '1',
		LITE_API_PORT: String(opts.apiPort),
		LITE_SMTP_PORT: String(opts.smtpPort),
		LITE_DB_DRIVER: opts.dbUrl ? 'postgres' : 'pglite',
		LITE_DB_URL: opts.dbUrl ?? pglite,
		SITE_URL: opts.siteUrl
	};
}

/** Runs a `lite` subcommand to completion; rejects with its output on failure. */
function runLite(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [bin('lite'), ...args], { cwd, env });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('error', reject);
		child.on('exit', (code) =>
			code === 0
				? resolve(output)
				: reject(new Error(`lite ${args.join(' ')} failed (exit ${code}):\n${output}`))
		);
	});
}

async function waitFor(url: string, init: RequestInit, what: string, child: ChildProcess) {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
		try {
			const response = await fetch(url, init);
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`${what} did not become ready at ${url} within 60 s`);
}

function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		child.kill('SIGTERM');
	});
}

/** Whether the database already carries our migrations (so only pending ones are applied). */
async function isInitialised(cwd: string, env: NodeJS.ProcessEnv): Promise<boolean> {
	try {
		const out = await runLite(
			[
				'db',
				'query',
				'--config',
				'supabase/lite.toml',
				"select to_regclass('supabase_migrations.schema_migrations') is not null as ready"
			],
			cwd,
			env
		);
		return /ready:\s*true/.test(out);
	} catch {
		return false;
	}
}

/**
 * seed.sql creates the demo document (version) rows; their files come from supabase/seed-files/.
 * Uses the development secret key: dev tooling only, never part of the app.
 */
async function uploadSeedFiles(apiUrl: string) {
	const admin = createClient(apiUrl, DEV_SECRET_KEY, { auth: { persistSession: false } });
	const { data: versions, error } = await admin
		.from('document_versions')
		.select('storage_path, mime_type');
	if (error) throw new Error(`Reading the seeded document versions failed: ${error.message}`);
	for (const version of versions) {
		// Each version's file is named after the last segment of its path.
		const name = path.basename(version.storage_path);
		const body = await readFile(path.join(root, 'supabase', 'seed-files', name));
		const { error: uploadError } = await admin.storage
			.from('documents')
			.upload(version.storage_path, body, { contentType: version.mime_type, upsert: true });
		if (uploadError) throw new Error(`Uploading ${name} failed: ${uploadError.message}`);
	}
}

/** Refuses to start beside another stack: its health check would answer for ours. */
async function ensurePortsFree(opts: StackOptions) {
	for (const port of [opts.apiPort, opts.inboxPort, opts.smtpPort]) {
		const free = await new Promise<boolean>((resolve) => {
			const server = createServer()
				.once('error', () => resolve(false))
				.once('listening', () => server.close(() => resolve(true)))
				.listen(port, '127.0.0.1');
		});
		if (!free) {
			throw new Error(
				`Port ${port} on 127.0.0.1 is in use: is another \`npm run dev\` (or test run) still running?`
			);
		}
	}
}

export async function startStack(opts: StackOptions): Promise<Stack> {
	await ensurePortsFree(opts);
	const paths = prepareInstance(opts.name, opts.reset ?? false);
	const env = liteEnv(opts, paths.pglite);
	// With log: 'file', each service writes to <instance>/<service>.log (read them when a test fails).
	const logTo = (service: string) =>
		opts.log === 'file' ? openSync(path.join(paths.dir, `${service}.log`), 'w') : 'inherit';

	const inbox = spawn(
		process.execPath,
		[
			bin('maildev'),
			'--smtp',
			String(opts.smtpPort),
			'--ip',
			'127.0.0.1',
			'--web',
			String(opts.inboxPort),
			'--web-ip',
			'127.0.0.1',
			'--incoming-user',
			SMTP_USER,
			'--incoming-pass',
			SMTP_PASSWORD,
			'--mail-directory',
			path.join(paths.dir, 'mail'),
			'--silent'
		],
		{ cwd: paths.dir, stdio: ['ignore', logTo('maildev'), logTo('maildev')] }
	);
	const inboxUrl = `http://127.0.0.1:${opts.inboxPort}`;
	const children: ChildProcess[] = [inbox];
	const stop = async () => {
		await Promise.all(children.map(stopChild));
	};

	try {
		await waitFor(`${inboxUrl}/api/healthz`, {}, 'MailDev', inbox);

		const config = ['--config', 'supabase/lite.toml'];
		const fresh = opts.reset || !(await isInitialised(paths.dir, env));
		if (fresh) {
			// Applies every migration, then supabase/seed.sql.
			await runLite(['db', 'reset', ...config], paths.dir, env);
		} else {
			await runLite(['migration', 'up', ...config], paths.dir, env);
		}

		const api = spawn(process.execPath, [bin('lite'), 'start', ...config, '--no-admin'], {
			cwd: paths.dir,
			env,
			stdio: ['ignore', logTo('supabase'), logTo('supabase')]
		});
		children.push(api);
		const apiUrl = `http://127.0.0.1:${opts.apiPort}`;
		await waitFor(
			`${apiUrl}/auth/v1/health`,
			{ headers: { apikey: DEV_PUBLISHABLE_KEY } },
			'The local Supabase (lite)',
			api
		);
		if (fresh) await uploadSeedFiles(apiUrl);
		return {
			apiUrl,
			inboxUrl,
			publishableKey: DEV_PUBLISHABLE_KEY,
			appEnv: {
				PUBLIC_SUPABASE_URL: apiUrl,
				PUBLIC_SUPABASE_PUBLISHABLE_KEY: DEV_PUBLISHABLE_KEY,
				SMTP_URL: `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${opts.smtpPort}`,
				MAIL_FROM: 'Client Portal (local) <no-reply@portal.localhost>'
			},
			instanceDir: paths.dir,
			fresh,
			stop,
			crash: () =>
				Promise.all(
					children.map(
						(child) =>
							new Promise<void>((resolve) => {
								if (child.exitCode !== null || child.signalCode !== null) return resolve();
								child.once('exit', () => resolve());
								child.kill('SIGKILL');
							})
					)
				).then(() => undefined)
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

export const devStack = {
	name: 'dev',
	apiPort: 54321,
	inboxPort: 54324,
	smtpPort: 54325,
	siteUrl: 'http://localhost:5173'
} as const;

/** Stops everything on Ctrl-C / SIGTERM, once. */
export function onShutdown(stop: () => Promise<void>) {
	let stopping = false;
	const handler = () => {
		if (stopping) return;
		stopping = true;
		void stop().finally(() => process.exit(0));
	};
	process.on('SIGINT', handler);
	process.on('SIGTERM', handler);
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const stack = await startStack({
		...devStack,
		dbUrl: process.env.LOCAL_DB_URL || undefined,
		reset: process.argv.includes('--reset')
	}).catch((error: Error) => {
		console.error(`Could not start the local stack: ${error.message}`);
		process.exit(1);
	});
	console.log(`Supabase API  ${stack.apiUrl}\nInbox         ${stack.inboxUrl}`);
	onShutdown(stack.stop);
}
