/**
 * What benchmarks 2 to 5 share: the production build (made in a copy of the app, so that
 * nobody's build/ is touched), a local stack of its own, a counting proxy in front of the
 * stack's API for the app, and `node build` serving on loopback. Started once per
 * `npm run bench` run, on the first call to benchApp(), and stopped by closeBenchApp().
 *
 * Ports: the stack 24390 (API), 24391 (inbox), 24392 (SMTP); the proxy 24393; the app 4390.
 * The stack is this run's own (.local/bench), fresh each time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
	cpSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync
} from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { root, startStack, type Stack } from '../stack.ts';

export const ORIGIN = 'http://127.0.0.1:4390';
const API_PORT = 24390;
const PROXY_PORT = 24393;

/** The demo accounts and users (supabase/seed.sql). */
export const ACME = '10000000-0000-4000-8000-00000000ac01';
export const ACME_THREAD = '71000000-0000-4000-8000-000000000001';
export const DEMO_PASSWORD = 'portal-demo-2026';

/**
 * The large-files benchmark sends 200 MB; the shipped limits are 50 MiB (lite.toml's
 * [storage] and the documents bucket, and the foundation migration's file_size_limit). This
 * run's stack alone gets a copy of lite.toml with the limits raised; the bucket row is raised
 * in its database after start (benchmark 5 does that and says so).
 */
export const BENCH_FILE_LIMIT = '256MiB';

export interface ProxyRequest {
	method: string;
	path: string;
	status: number;
	start: number;
	end: number;
}

export interface BenchApp {
	origin: string;
	stack: Stack;
	/** The Supabase URL the app (and any browser) talks to: the counting proxy. */
	proxyUrl: string;
	/** The `node build` process, for its memory. */
	appPid: number;
	/** The directory holding the build (build/client has the browser's files). */
	buildDir: string;
	/** Starts recording what goes through the proxy; stop() returns it. */
	record(): { stop(): ProxyRequest[] };
	/** Signs in through the app's form; returns the Cookie header to send. */
	signIn(email: string): Promise<string>;
}

let current: Promise<BenchApp> | null = null;
const cleanups: (() => Promise<void> | void)[] = [];

export function benchApp(): Promise<BenchApp> {
	current ??= start();
	return current;
}

export async function closeBenchApp() {
	current = null;
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** `ORIGIN=… npm run build` in a temporary copy of the app (as the operators' check does). */
async function build(): Promise<string> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'portal-bench-build-'));
	cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
	for (const entry of ['src', 'static', 'vite.config.ts', 'tsconfig.json', 'package.json']) {
		cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
	}
	symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
	const { code, output } = await runQuiet('npm', ['run', 'build', '--silent'], dir, {
		ORIGIN
	});
	if (code !== 0) throw new Error(`the build failed (exit ${code}):\n${output.slice(-3000)}`);
	return dir;
}

function runQuiet(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
	return new Promise<{ code: number; output: string }>((resolve) => {
		const child = spawn(command, args, { cwd, env: { ...process.env, ...env } });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('exit', (code) => resolve({ code: code ?? 1, output }));
	});
}

/** A fresh instance folder whose lite.toml allows the large-files benchmark's file. */
function prepareInstance(name: string) {
	const dir = path.join(root, '.local', name);
	rmSync(dir, { recursive: true, force: true });
	const supabase = path.join(dir, 'supabase');
	mkdirSync(path.join(supabase, '.temp', 'storage'), { recursive: true });
	const toml = readFileSync(path.join(root, 'supabase', 'lite.toml'), 'utf8').replace(
		/^file_size_limit = "50MiB"$/gm,
		`file_size_limit = "${BENCH_FILE_LIMIT}"`
	);
	writeFileSync(path.join(supabase, 'lite.toml'), toml);
	for (const entry of ['migrations', 'seed.sql', 'templates']) {
		symlinkSync(path.join(root, 'supabase', entry), path.join(supabase, entry));
	}
}

/**
 * Forwards everything to the stack's API, streaming both ways (large files pass through it),
 * and notes each request's start and end while recording.
 */
function startProxy(target: number): Promise<{ server: http.Server; log: ProxyRequest[] | null }> {
	const state: { server: http.Server; log: ProxyRequest[] | null } = {
		server: http.createServer(),
		log: null
	};
	state.server.on('request', (req, res) => {
		const start = performance.now();
		const log = state.log;
		const upstream = http.request(
			{
				host: '127.0.0.1',
				port: target,
				method: req.method,
				path: req.url,
				headers: { ...req.headers, host: `127.0.0.1:${target}` }
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
				answer.on('end', () =>
					log?.push({
						method: req.method ?? '',
						path: (req.url ?? '').split('?')[0]!,
						status: answer.statusCode ?? 0,
						start,
						end: performance.now()
					})
				);
			}
		);
		upstream.on('error', () => {
			if (!res.headersSent) res.writeHead(502);
			res.end();
		});
		req.pipe(upstream);
	});
	return new Promise((resolve, reject) => {
		state.server.once('error', reject);
		state.server.listen(PROXY_PORT, '127.0.0.1', () => resolve(state));
	});
}

async function waitForHealth(app: ChildProcess) {
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (app.exitCode !== null) throw new Error(`node build exited with code ${app.exitCode}`);
		const ready = await fetch(`${ORIGIN}/health`).then(
			(response) => response.ok,
			() => false
		);
		if (ready) return;
		if (Date.now() > deadline) throw new Error('node build did not answer /health within 30 s');
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

async function start(): Promise<BenchApp> {
	try {
		console.log('[bench] building the app in a temporary copy…');
		const buildDir = await build();
		console.log('[bench] starting a fresh local stack (.local/bench)…');
		prepareInstance('bench');
		const stack = await startStack({
			name: 'bench',
			apiPort: API_PORT,
			inboxPort: 24391,
			smtpPort: 24392,
			siteUrl: ORIGIN,
			reset: false,
			log: 'file'
		});
		cleanups.push(async () => {
			await stack.stop();
			// The large-files benchmark's upload: no reason to keep 200 MB around.
			rmSync(path.join(stack.instanceDir, 'supabase', '.temp', 'storage'), {
				recursive: true,
				force: true
			});
		});

		const proxy = await startProxy(API_PORT);
		cleanups.push(() => new Promise<void>((resolve) => proxy.server.close(() => resolve())));
		const proxyUrl = `http://127.0.0.1:${PROXY_PORT}`;

		const site = new URL(ORIGIN);
		const app = spawn(process.execPath, ['build'], {
			cwd: buildDir,
			env: {
				...process.env,
				...stack.appEnv,
				PUBLIC_SUPABASE_URL: proxyUrl,
				HOST: site.hostname,
				PORT: site.port
			},
			stdio: ['ignore', 'ignore', 'inherit']
		});
		cleanups.push(
			() =>
				new Promise<void>((resolve) => {
					if (app.exitCode !== null || app.signalCode !== null) return resolve();
					app.once('exit', () => resolve());
					app.kill('SIGTERM');
				})
		);
		await waitForHealth(app);

		return {
			origin: ORIGIN,
			stack,
			proxyUrl,
			appPid: app.pid!,
			buildDir,
			record() {
				const log: ProxyRequest[] = [];
				proxy.log = log;
				return {
					stop() {
						if (proxy.log === log) proxy.log = null;
						return log;
					}
				};
			},
			signIn
		};
	} catch (error) {
		await closeBenchApp();
		throw error;
	}
}

/** The sign-in form, posted as a browser would; the session cookies it sets, as one header. */
export async function signIn(email: string): Promise<string> {
	const response = await fetch(`${ORIGIN}/sign-in`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: ORIGIN,
			accept: 'text/html'
		},
		body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: '/' })
	});
	const cookies = response.headers
		.getSetCookie()
		.map((line) => line.split(';')[0]!)
		.filter((pair) => !pair.endsWith('='));
	if (response.status !== 303 || cookies.length === 0) {
		throw new Error(`signing in as ${email} failed: HTTP ${response.status}`);
	}
	return cookies.join('; ');
}

/** VmRSS of a process, in bytes (Linux). */
export function rssBytes(pid: number): number {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
		return kb ? Number(kb) * 1024 : NaN;
	} catch {
		return NaN;
	}
}

export const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
