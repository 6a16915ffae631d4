/**
 * Benchmark 4, Lighthouse (13.5.0, the devDependency) in Debian's Chromium against the
 * production build: sign-in, the dashboard and the documents list, the last two signed in
 * (the session cookie is set in Chromium before Lighthouse connects to it). Desktop preset
 * (Lighthouse's desktop throttling: 40 ms RTT, 10 Mbps, no CPU slow-down).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM_ARGS } from '../../tests/support/chromium.ts';
import { root } from '../stack.ts';
import { ACME, benchApp } from './app.ts';
import { percentiles, type BenchTable } from './table.ts';

const BUDGET = { performance: 95, accessibility: 100, 'best-practices': 95 } as const;
type Category = keyof typeof BUDGET;

const CHROME_FLAGS = ['--headless=new', ...CHROMIUM_ARGS];

interface LighthouseResult {
	categories: Record<Category, { score: number | null }>;
	audits: Record<string, { score: number | null; title: string; scoreDisplayMode: string }>;
	runtimeError?: { message: string };
	finalDisplayedUrl: string;
}

const CHROME_PORT = 24394;

/**
 * Chromium with a debugging port, so that the session cookie can be set in it before
 * Lighthouse connects (Lighthouse's --extra-headers Cookie does not reach the page here:
 * the app answered with the sign-in page).
 */
async function startChromium(profile: string) {
	const chrome = spawn(
		process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		[
			...CHROME_FLAGS,
			`--remote-debugging-port=${CHROME_PORT}`,
			`--user-data-dir=${profile}`,
			'about:blank'
		],
		{ stdio: 'ignore' }
	);
	const deadline = Date.now() + 30_000;
	for (;;) {
		const version = await fetch(`http://127.0.0.1:${CHROME_PORT}/json/version`).then(
			(r) => r.json() as Promise<{ webSocketDebuggerUrl: string }>,
			() => null
		);
		if (version) return { chrome, browserSocket: version.webSocketDebuggerUrl };
		if (chrome.exitCode !== null || Date.now() > deadline) {
			chrome.kill('SIGKILL');
			throw new Error('Chromium did not open its debugging port');
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** Puts the app's session cookies into the browser (DevTools protocol, Storage.setCookies). */
function setCookies(browserSocket: string, cookie: string, origin: string): Promise<void> {
	const cookies = cookie.split('; ').map((pair) => {
		const at = pair.indexOf('=');
		return {
			name: pair.slice(0, at),
			value: pair.slice(at + 1),
			domain: new URL(origin).hostname,
			path: '/'
		};
	});
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(browserSocket);
		socket.onerror = () => reject(new Error('could not reach Chromium over the DevTools protocol'));
		socket.onopen = () =>
			socket.send(JSON.stringify({ id: 1, method: 'Storage.setCookies', params: { cookies } }));
		socket.onmessage = (event) => {
			const message = JSON.parse(String(event.data)) as {
				id?: number;
				error?: { message: string };
			};
			if (message.id !== 1) return;
			socket.close();
			if (message.error) reject(new Error(`Storage.setCookies: ${message.error.message}`));
			else resolve();
		};
	});
}

function lighthouse(url: string, outputPath: string): Promise<LighthouseResult> {
	const args = [
		url,
		`--port=${CHROME_PORT}`,
		'--preset=desktop',
		`--only-categories=${Object.keys(BUDGET).join(',')}`,
		'--output=json',
		`--output-path=${outputPath}`,
		'--quiet'
	];
	return new Promise((resolve, reject) => {
		const child = spawn(path.join(root, 'node_modules', '.bin', 'lighthouse'), args, {
			stdio: ['ignore', 'ignore', 'pipe']
		});
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('error', reject);
		child.on('exit', (code) => {
			if (code !== 0) {
				return reject(new Error(`lighthouse ${url} exited ${code}: ${stderr.slice(-2000)}`));
			}
			resolve(JSON.parse(readFileSync(outputPath, 'utf8')) as LighthouseResult);
		});
	});
}

/**
 * Lighthouse now and then fails to record its trace on a busy machine ("NO_NAVSTART"); such a
 * run says nothing about the page, so it is run again (twice at most).
 */
async function withRetries<T>(run: () => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await run();
		} catch (error) {
			if (attempt === 3) throw error;
			console.log(
				`[bench] lighthouse run failed, retrying: ${(error as Error).message.split('\n')[0]}`
			);
		}
	}
}

export async function lighthouseScores(opts: { quick: boolean }): Promise<BenchTable> {
	const app = await benchApp();
	const runs = opts.quick ? 1 : 3;
	const cookie = await app.signIn('olivia@acme.example.com');
	const pages = [
		{ name: 'Sign-in', path: '/sign-in', cookie: '' },
		{ name: 'Dashboard', path: `/accounts/${ACME}`, cookie },
		{ name: 'Documents', path: `/accounts/${ACME}/documents`, cookie }
	];
	const dir = mkdtempSync(path.join(os.tmpdir(), 'portal-bench-lighthouse-'));
	const { chrome, browserSocket } = await startChromium(path.join(dir, 'profile'));
	const rows: string[][] = [];
	const notes: string[] = [];
	let withinBudget = true;
	try {
		let signedIn = false;
		// Sign-in first: once the session cookie is in the browser, /sign-in redirects away.
		for (const page of pages) {
			if (page.cookie && !signedIn) {
				await setCookies(browserSocket, page.cookie, app.origin);
				signedIn = true;
			}
			const scores: Record<Category, number[]> = {
				performance: [],
				accessibility: [],
				'best-practices': []
			};
			const failing = new Set<string>();
			for (let i = 0; i < runs; i++) {
				const result = await withRetries(() =>
					lighthouse(app.origin + page.path, path.join(dir, `run-${i}.json`))
				);
				if (result.runtimeError) throw new Error(`${page.name}: ${result.runtimeError.message}`);
				// A lost session would score the sign-in page it redirects to instead.
				if (new URL(result.finalDisplayedUrl).pathname !== page.path) {
					throw new Error(`${page.name}: Lighthouse ended on ${result.finalDisplayedUrl}`);
				}
				for (const category of Object.keys(BUDGET) as Category[]) {
					scores[category].push(Math.round((result.categories[category].score ?? 0) * 100));
				}
				for (const [id, audit] of Object.entries(result.audits)) {
					const scored =
						audit.scoreDisplayMode === 'binary' || audit.scoreDisplayMode === 'numeric';
					if (scored && audit.score !== null && audit.score < 0.9)
						failing.add(`${id} (${audit.title})`);
				}
			}
			// The median of the runs (performance varies from run to run; the others do not).
			const median = (category: Category) => percentiles(scores[category]).median;
			const missed = (Object.keys(BUDGET) as Category[]).filter(
				(category) => median(category) < BUDGET[category]
			);
			if (missed.length > 0) withinBudget = false;
			rows.push([
				page.name,
				String(median('performance')),
				String(median('accessibility')),
				String(median('best-practices')),
				missed.length > 0 ? `missed: ${missed.join(', ')}` : 'met'
			]);
			if (failing.size > 0)
				notes.push(`${page.name}: audits below 0.9: ${[...failing].join('; ')}`);
		}
	} finally {
		chrome.kill('SIGKILL');
		await new Promise((resolve) =>
			chrome.exitCode === null ? chrome.once('exit', resolve) : resolve(null)
		);
		rmSync(dir, { recursive: true, force: true });
	}
	notes.unshift(
		`Lighthouse 13.5.0, desktop preset, Debian's Chromium headless; ${runs === 1 ? 'one run' : `median of ${runs} runs`} per page. Dashboard and documents signed in as olivia@acme.example.com (session cookie set in Chromium over the DevTools protocol, then Lighthouse --port).`,
		'Budget: performance ≥ 95, accessibility 100, best practices ≥ 95.'
	);
	return {
		title: '4. Lighthouse (desktop preset)',
		columns: ['Page', 'Performance', 'Accessibility', 'Best practices', 'Budget'],
		rows,
		notes,
		withinBudget
	};
}
