/**
 * The README's second command: `npm test` runs every test.
 *
 *   1. unit tests (vitest project "unit"), then the policy matrix and advisor checks
 *      straight against Postgres on embedded PGlite (vitest project "db", tests/db)
 *   2. a fresh local stack on embedded PGlite (its own ports and folder, .local/test),
 *      then the API tests through supabase-js (vitest project "api")
 *   3. the production build, then Playwright in Debian's Chromium against it
 *   4. the security suite (tests/security, vitest project "security") against the stack and
 *      the production build served by `node build`, ending with its summary table
 *   5. the policy matrix, then the API tests with the stack, on a real PostgreSQL 15
 *      (a throwaway cluster), when PostgreSQL 15 is installed (always in CI)
 *
 * Ends with one line `N passed, N failed` summing every runner.
 *   npm test -- --skip-e2e --skip-postgres    (faster local loops)
 *   npm run test:security                     (= --security-only: stack, build, step 4)
 *   npm test -- --e2e-only [spec files]       (stack, build, Playwright only)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startPgCluster } from './pg-cluster.ts';
import { printSummary, summarise } from './security-summary.ts';
import { root, startStack, type Stack, type StackOptions } from './stack.ts';

const args = new Set(process.argv.slice(2));
const securityOnly = args.has('--security-only');
const e2eOnly = args.has('--e2e-only');
/** Spec files (or Playwright filters) given after --e2e-only. */
const e2eFilters = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const reports = path.join(root, '.local', 'reports');
const totals = { passed: 0, failed: 0, skipped: 0 };
let failedStep = '';

// Ports below Linux's ephemeral range (32768+), so an outgoing connection never holds one.
// TEST_PORT_OFFSET moves them all (and the instance folder), so that two runs can share a
// machine.
const offset = Number(process.env.TEST_PORT_OFFSET ?? 0);
export const testStack = {
	name: offset ? `test-${offset}` : 'test',
	apiPort: 24321 + offset,
	inboxPort: 24324 + offset,
	smtpPort: 24325 + offset,
	siteUrl: `http://127.0.0.1:${4173 + offset}`
} as const satisfies StackOptions;

function run(command: string, commandArgs: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
	return new Promise((resolve) => {
		const child = spawn(command, commandArgs, {
			cwd: root,
			stdio: 'inherit',
			env: { ...process.env, ...env }
		});
		child.on('exit', (code) => resolve(code ?? 1));
	});
}

const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

interface VitestReport {
	numPassedTests: number;
	numFailedTests: number;
	numPendingTests: number;
	numTodoTests: number;
}

async function vitest(project: string, label: string, env: NodeJS.ProcessEnv = {}) {
	const outputFile = path.join(reports, `vitest-${label}.json`);
	rmSync(outputFile, { force: true });
	const code = await run(
		bin('vitest'),
		[
			'run',
			'--project',
			project,
			'--reporter=default',
			'--reporter=json',
			`--outputFile=${outputFile}`
		],
		env
	);
	count(label, code, () => {
		const report = JSON.parse(readFileSync(outputFile, 'utf8')) as VitestReport;
		return {
			passed: report.numPassedTests,
			failed: report.numFailedTests,
			skipped: report.numPendingTests + report.numTodoTests
		};
	});
}

interface PlaywrightReport {
	stats: { expected: number; unexpected: number; flaky: number; skipped: number };
}

async function playwright(env: NodeJS.ProcessEnv) {
	const outputFile = path.join(reports, 'playwright.json');
	rmSync(outputFile, { force: true });
	const code = await run(bin('playwright'), ['test', '--reporter=list,json', ...e2eFilters], {
		...env,
		PLAYWRIGHT_JSON_OUTPUT_NAME: outputFile
	});
	count('e2e', code, () => {
		const { stats } = JSON.parse(readFileSync(outputFile, 'utf8')) as PlaywrightReport;
		return {
			passed: stats.expected + stats.flaky,
			failed: stats.unexpected,
			skipped: stats.skipped
		};
	});
}

function count(label: string, code: number, read: () => typeof totals) {
	let result: typeof totals;
	try {
		result = read();
	} catch {
		result = { passed: 0, failed: 1, skipped: 0 };
	}
	if (code !== 0 && result.failed === 0) result.failed = 1; // the runner itself failed
	totals.passed += result.passed;
	totals.failed += result.failed;
	totals.skipped += result.skipped;
	console.log(`\n[${label}] ${result.passed} passed, ${result.failed} failed\n`);
	if (result.failed > 0 && !failedStep) failedStep = label;
}

function stackEnv(stack: Stack): NodeJS.ProcessEnv {
	return {
		...stack.appEnv,
		TEST_INBOX_URL: stack.inboxUrl,
		TEST_SITE_URL: testStack.siteUrl
	};
}

async function withStack(options: Partial<StackOptions>, body: (stack: Stack) => Promise<void>) {
	const stack = await startStack({ ...testStack, reset: true, log: 'file', ...options });
	try {
		await body(stack);
	} finally {
		await stack.stop();
	}
}

/** The production build served by `node build` on the test site URL while body runs. */
async function withApp(stack: Stack, body: () => Promise<void>) {
	const site = new URL(testStack.siteUrl);
	const app = spawn(process.execPath, ['build'], {
		cwd: root,
		env: { ...process.env, ...stack.appEnv, HOST: site.hostname, PORT: site.port },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	try {
		const deadline = Date.now() + 30_000;
		for (;;) {
			if (app.exitCode !== null) throw new Error(`node build exited with code ${app.exitCode}`);
			const ready = await fetch(`${testStack.siteUrl}/health`).then(
				(response) => response.ok,
				() => false
			);
			if (ready) break;
			if (Date.now() > deadline) throw new Error('node build did not answer /health within 30 s');
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		await body();
	} finally {
		app.kill('SIGTERM');
	}
}

/** The security suite, then its table; a leak or a 500 anywhere fails the run. */
async function security(stack: Stack) {
	const dir = path.join(reports, 'security');
	rmSync(dir, { recursive: true, force: true });
	try {
		await withApp(stack, () =>
			vitest('security', 'security', { ...stackEnv(stack), SECURITY_REPORT_DIR: dir })
		);
	} catch (error) {
		console.error((error as Error).message);
		count('security', 1, () => ({ passed: 0, failed: 1, skipped: 0 }));
		return;
	}
	const summary = summarise(dir);
	printSummary(summary);
	if (summary.leaks > 0 || summary.errors > 0) {
		console.log(`security: ${summary.leaks} leak(s) and ${summary.errors} server error(s)`);
		count('security-summary', 1, () => ({ passed: 0, failed: 1, skipped: 0 }));
	}
}

mkdirSync(reports, { recursive: true });

if (!securityOnly && !e2eOnly) {
	await vitest('unit', 'unit');
	// Policies and advisor checks straight against Postgres (tests/db), on embedded PGlite.
	await vitest('db', 'db-pglite', { TEST_DB_TARGET: 'pglite' });
}

await withStack({}, async (stack) => {
	if (!securityOnly && !e2eOnly) await vitest('api', 'api-pglite', stackEnv(stack));
	if (!args.has('--skip-e2e')) {
		const build = await run('npm', ['run', 'build', '--silent'], { ORIGIN: testStack.siteUrl });
		if (build !== 0) {
			count('build', build, () => ({ passed: 0, failed: 1, skipped: 0 }));
			return;
		}
		if (!securityOnly) await playwright(stackEnv(stack));
		if (!e2eOnly) await security(stack);
	}
});

const initdb = '/usr/lib/postgresql/15/bin/initdb';
if (!args.has('--skip-postgres') && !securityOnly && !e2eOnly) {
	if (!existsSync(initdb)) {
		console.log('PostgreSQL 15 is not installed: skipping the API tests on PostgreSQL.');
	} else {
		const cluster = startPgCluster('24434', 'test-pg');
		const { url } = cluster;
		try {
			await vitest('db', 'db-postgres', { TEST_DB_TARGET: 'postgres', TEST_DB_URL: url });
			await withStack({ name: 'test-postgres', dbUrl: url }, (stack) =>
				vitest('api', 'api-postgres', stackEnv(stack))
			);
		} finally {
			cluster.stop();
		}
	}
}

if (failedStep) console.log(`First failing step: ${failedStep}`);
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(totals.failed > 0 ? 1 : 0);
