/**
 * Benchmark 6, start-up: the README's first command, `npm run dev`, in a fresh clone with its
 * dependencies installed, until the first page is served (GET /sign-in answers 200). Twice:
 * the first start makes the database (migrations and seed) and Vite's dependency cache, the
 * second finds both.
 *
 * The clone gets a node_modules of its own made of symlinks to this checkout's packages, so
 * that nothing is installed and Vite's cache (node_modules/.vite) starts empty in the clone
 * without touching this checkout's.
 *
 * `npm run dev` uses fixed ports (the dev stack's 54321, 54324, 54325 and the app's 5173): they
 * must be free, i.e. no `npm run dev` running on this machine.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import {
	mkdirSync,
	mkdtempSync,
	openSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync
} from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { devStack, root } from '../stack.ts';
import type { BenchTable } from './table.ts';

const TIMEOUT_MS = 300_000;

function portFree(port: number) {
	return new Promise<boolean>((resolve) => {
		const server = createServer()
			.once('error', () => resolve(false))
			.once('listening', () => server.close(() => resolve(true)))
			.listen(port, '127.0.0.1');
	});
}

/** Resolves when the process group has gone. */
function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		// As Ctrl-C does: the whole group (npm, scripts/dev.ts and its children).
		process.kill(-child.pid!, 'SIGINT');
	});
}

/** Starts `npm run dev` in dir; resolves with the seconds until GET /sign-in answers 200. */
async function timeToFirstPage(
	dir: string,
	log: string
): Promise<{ seconds: number; child: ChildProcess }> {
	const out = openSync(log, 'a');
	const started = performance.now();
	const child = spawn('npm', ['run', 'dev'], {
		cwd: dir,
		detached: true,
		stdio: ['ignore', out, out],
		env: { ...process.env, BROWSER: 'none' }
	});
	const url = new URL('/sign-in', devStack.siteUrl).href;
	for (;;) {
		if (child.exitCode !== null)
			throw new Error(`npm run dev exited with code ${child.exitCode} (see ${log})`);
		if (performance.now() - started > TIMEOUT_MS) {
			await stop(child);
			throw new Error(`no page within ${TIMEOUT_MS / 1000} s (see ${log})`);
		}
		const status = await fetch(url, { signal: AbortSignal.timeout(60_000) }).then(
			(response) => response.status,
			() => 0
		);
		if (status === 200) return { seconds: (performance.now() - started) / 1000, child };
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

export async function startup(_opts: { quick: boolean }): Promise<BenchTable> {
	const ports = [
		devStack.apiPort,
		devStack.inboxPort,
		devStack.smtpPort,
		Number(new URL(devStack.siteUrl).port)
	];
	for (const port of ports) {
		if (!(await portFree(port))) {
			throw new Error(
				`port ${port} is in use: stop \`npm run dev\` first (npm run dev has fixed ports)`
			);
		}
	}
	const dir = mkdtempSync(path.join(os.tmpdir(), 'portal-bench-clone-'));
	const clone = path.join(dir, 'portal');
	const log = path.join(dir, 'dev.log');
	const children: ChildProcess[] = [];
	try {
		execFileSync('git', ['clone', '--quiet', root, clone]);
		mkdirSync(path.join(clone, 'node_modules'));
		for (const entry of readdirSync(path.join(root, 'node_modules'))) {
			if (entry === '.vite') continue;
			symlinkSync(path.join(root, 'node_modules', entry), path.join(clone, 'node_modules', entry));
		}
		// What scripts/dev.ts itself reports (stack and Vite listening), before the first page.
		const announced = () =>
			[...readFileSync(log, 'utf8').matchAll(/Ready in ([\d.]+) s/g)].at(-1)?.[1] ?? '?';
		const first = await timeToFirstPage(clone, log);
		children.push(first.child);
		const firstReady = announced();
		await stop(first.child);
		const second = await timeToFirstPage(clone, log);
		children.push(second.child);
		const secondReady = announced();
		await stop(second.child);
		return {
			title: '6. Start-up (`npm run dev` in a fresh clone to the first page)',
			columns: ['Start', 'Seconds to GET /sign-in 200', '"Ready in" (dev.ts) s'],
			rows: [
				[
					'First (fresh database: migrations + seed; empty Vite cache)',
					first.seconds.toFixed(1),
					firstReady
				],
				['Second (data and caches kept)', second.seconds.toFixed(1), secondReady]
			],
			notes: [
				'`git clone` of this checkout (its last commit), node_modules linked to this checkout’s packages, then `npm run dev`; timed from the spawn to the first 200 on /sign-in (Vite compiles the page on that request). “Ready in” is what dev.ts prints once the stack is up and Vite listens. No budget is set for this one.'
			],
			withinBudget: true
		};
	} finally {
		for (const child of children) await stop(child).catch(() => undefined);
		rmSync(dir, { recursive: true, force: true });
	}
}
