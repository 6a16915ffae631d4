/**
 * The table `npm run test:security` (and `npm test`) ends with: attempts per category,
 * refusals, leaks (must be 0) and server errors (must be 0), from the records
 * tests/security/report.ts writes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AttemptRecord } from '../tests/security/report.ts';

export interface SecuritySummary {
	rows: { category: string; attempts: number; refused: number; leaks: number; errors: number }[];
	leaks: number;
	errors: number;
}

export function summarise(dir: string): SecuritySummary {
	const byCategory = new Map<
		string,
		{ attempts: number; refused: number; leaks: number; errors: number }
	>();
	const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jsonl')) : [];
	for (const file of files) {
		for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
			if (!line.trim()) continue;
			const record = JSON.parse(line) as AttemptRecord;
			const row = byCategory.get(record.category) ?? {
				attempts: 0,
				refused: 0,
				leaks: 0,
				errors: 0
			};
			row.attempts++;
			const serverError = (record.status ?? 0) >= 500;
			if (record.leaked) row.leaks++;
			if (serverError) row.errors++;
			if (!record.leaked && !serverError) row.refused++;
			byCategory.set(record.category, row);
		}
	}
	const rows = [...byCategory].map(([category, row]) => ({ category, ...row }));
	rows.sort((a, b) => a.category.localeCompare(b.category));
	return {
		rows,
		leaks: rows.reduce((sum, row) => sum + row.leaks, 0),
		errors: rows.reduce((sum, row) => sum + row.errors, 0)
	};
}

export function printSummary(summary: SecuritySummary): void {
	const header = ['category', 'attempts', 'refused', 'leaks', '500s'];
	const body = summary.rows.map((r) => [
		r.category,
		String(r.attempts),
		String(r.refused),
		String(r.leaks),
		String(r.errors)
	]);
	const total = summary.rows.reduce((sum, r) => sum + r.attempts, 0);
	const refused = summary.rows.reduce((sum, r) => sum + r.refused, 0);
	body.push([
		'total',
		String(total),
		String(refused),
		String(summary.leaks),
		String(summary.errors)
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
	const format = (cells: string[]) =>
		cells
			.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
			.join('  ');
	console.log(`\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
	for (const row of body) console.log(format(row));
	console.log('');
}
