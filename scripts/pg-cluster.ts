/** A throwaway PostgreSQL 15 cluster for scripts (scripts/pg-cluster.sh does the work). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pg-cluster.sh');

export interface PgCluster {
	url: string;
	stop(): void;
}

/** Starts a cluster in a new temporary folder on `port`; `stop()` removes it again. */
export function startPgCluster(port: string, label: string): PgCluster {
	const dir = mkdtempSync(path.join(tmpdir(), `portal-${label}-`));
	const url = execFileSync('bash', [script, 'start', dir, port], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit']
	}).trim();
	return {
		url,
		stop() {
			execFileSync('bash', [script, 'stop', dir], { stdio: 'inherit' });
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
