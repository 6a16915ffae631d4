/**
 * Benchmark 1 (policy overhead) on its own.
 *
 *   node scripts/bench/policy-cli.ts            full size: 10,000 accounts (about 10 minutes)
 *   node scripts/bench/policy-cli.ts --quick    500 accounts (about a minute)
 *   node scripts/bench/policy-cli.ts --db-url postgresql://postgres@127.0.0.1:PORT/postgres
 *                                               on that server instead of a throwaway cluster
 *   node scripts/bench/policy-cli.ts --loaded postgresql://…/db --accounts N
 *                                               only the queries, on a database that already
 *                                               holds the scale seed (to compare a fix quickly)
 *
 * Exits with 1 when a budget is missed, after printing the whole table.
 */
import { postgresExec } from '../seed-scale.ts';
import { policyOverhead, runQueries } from './policy.ts';
import { formatTable, type BenchTable } from './table.ts';

function option(name: string): string | undefined {
	const i = process.argv.indexOf(name);
	return i === -1 ? undefined : process.argv[i + 1];
}

async function onLoaded(url: string, accounts: number): Promise<BenchTable> {
	const { exec, close } = await postgresExec(url);
	try {
		const { rows } = await exec(`select current_setting('server_version') as v`);
		return await runQueries(exec, {
			accounts,
			runs: process.argv.includes('--quick') ? 20 : 50,
			loadSeconds: 0,
			loadedRows: 0,
			version: String(rows[0]!.v)
		});
	} finally {
		await close();
	}
}

const loaded = option('--loaded');
const table = loaded
	? await onLoaded(loaded, Number(option('--accounts') ?? 10000))
	: await policyOverhead({ quick: process.argv.includes('--quick'), dbUrl: option('--db-url') });
console.log(formatTable(table));
process.exitCode = table.withinBudget ? 0 : 1;
