/**
 * Every attack attempt in tests/security is recorded here as well as asserted, so that
 * `npm run test:security` can print how many attempts each category made, how many were
 * refused, and that none leaked or met a 500 (scripts/security-summary.ts reads the files).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export interface AttemptResult {
	/** The caller saw data, or changed data, that is not theirs to see or change. */
	leaked: boolean;
	/** HTTP status of the answer, when there was one (a 5xx counts as a server error). */
	status?: number;
}

export interface AttemptRecord extends AttemptResult {
	category: string;
	name: string;
}

const dir = process.env.SECURITY_REPORT_DIR;

/** Records one attempt. Without SECURITY_REPORT_DIR (a single file run by hand) it is a no-op. */
export function recordAttempt(category: string, name: string, result: AttemptResult): void {
	if (!dir) return;
	mkdirSync(dir, { recursive: true });
	const line: AttemptRecord = { category, name, ...result };
	appendFileSync(path.join(dir, `attempts-${process.pid}.jsonl`), `${JSON.stringify(line)}\n`);
}
