/**
 * `npm run bench`: the six benchmarks of issue 8, each printed as a table (scripts/bench/),
 * then all of them written to .local/reports/bench.md.
 *
 *   npm run bench                          everything, full size (several minutes)
 *   npm run bench -- --quick               fewer requests, a 20 MB file, a small scale seed
 *   npm run bench -- --only pages,bytes    some of them: policy, pages, bytes, lighthouse,
 *                                          large-files, startup
 *   BENCH_DB_URL=postgres://… npm run bench -- --only policy    benchmark 1 on that server (a
 *                                          superuser URL) instead of a throwaway PostgreSQL 15
 *
 * A missed budget is printed, not fatal; the exit status is non-zero only when a benchmark
 * crashed. Ports: 24390-24394 and 4390 (pages to large files), the dev ports (start-up: no
 * `npm run dev` may be running).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeBenchApp } from './bench/app.ts';
import { bytes } from './bench/bytes.ts';
import { largeFiles } from './bench/large-files.ts';
import { lighthouseScores } from './bench/lighthouse.ts';
import { pages } from './bench/pages.ts';
import { startup } from './bench/startup.ts';
import { formatTable, type BenchTable } from './bench/table.ts';
import { root } from './stack.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const onlyArg =
	args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length) ??
	(onlyAt >= 0 ? args[onlyAt + 1] : undefined);

const benchmarks: { name: string; run: (opts: { quick: boolean }) => Promise<BenchTable> }[] = [
	{
		name: 'policy',
		run: async (opts) => {
			const { policyOverhead } = await import('./bench/policy.ts');
			return policyOverhead({ ...opts, dbUrl: process.env.BENCH_DB_URL || undefined });
		}
	},
	{ name: 'pages', run: pages },
	{ name: 'bytes', run: bytes },
	{ name: 'lighthouse', run: lighthouseScores },
	// After the pages: it adds a large document to the demo account.
	{ name: 'large-files', run: largeFiles },
	// Last, with the shared stack stopped: it needs the machine to itself.
	{ name: 'startup', run: startup }
];

const only = onlyArg?.split(',').map((name) => name.trim());
const unknown = only?.filter((name) => !benchmarks.some((b) => b.name === name)) ?? [];
if (unknown.length > 0) {
	console.error(
		`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${benchmarks.map((b) => b.name).join(', ')}`
	);
	process.exit(2);
}
const selected = benchmarks.filter((b) => !only || only.includes(b.name));

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB memory, ${os.type()} ${os.release()}, Node ${process.version}`;
const sections: string[] = [
	`# Benchmarks (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
	'',
	`- Machine: ${machine}`,
	`- Command: npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
	''
];
const missed: string[] = [];
const crashed: string[] = [];

process.on('SIGINT', () => {
	void closeBenchApp().finally(() => process.exit(130));
});

for (const benchmark of selected) {
	if (benchmark.name === 'startup') await closeBenchApp();
	console.log(`\n[bench] ${benchmark.name}${quick ? ' (quick)' : ''}…`);
	const started = performance.now();
	try {
		const table = await benchmark.run({ quick });
		const text = formatTable(table);
		console.log(`\n${text}`);
		sections.push(text);
		if (!table.withinBudget) missed.push(benchmark.name);
	} catch (error) {
		const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
		console.error(`[bench] ${benchmark.name} crashed: ${message}`);
		sections.push(`### ${benchmark.name}\n\nCrashed: ${(error as Error).message ?? error}\n`);
		crashed.push(benchmark.name);
	}
	console.log(`[bench] ${benchmark.name}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
await closeBenchApp();

const summary = [
	missed.length ? `Budgets missed: ${missed.join(', ')}.` : 'Every budget measured was met.',
	crashed.length ? `Crashed: ${crashed.join(', ')}.` : ''
]
	.filter(Boolean)
	.join(' ');
sections.push(summary, '');
const report = path.join(root, '.local', 'reports', 'bench.md');
mkdirSync(path.dirname(report), { recursive: true });
writeFileSync(report, sections.join('\n'));
console.log(`\n${summary}\nWritten to ${path.relative(root, report)}`);
process.exit(crashed.length > 0 ? 1 : 0);
