/**
 * The shape every benchmark returns and the one way they are printed, so that `npm run bench`
 * shows six tables alike and BENCHMARKS.md can paste them as they are.
 */

export interface BenchTable {
	/** e.g. "1. Policy overhead (PostgreSQL 15, 10,000 accounts)" */
	title: string;
	columns: string[];
	rows: string[][];
	/** Budgets met or missed, the machine, anything a reader needs to trust the figures. */
	notes: string[];
	/** False when a budget is missed (the run still prints everything). */
	withinBudget: boolean;
}

/** A Markdown table (it reads well in a terminal too). */
export function formatTable(table: BenchTable): string {
	const widths = table.columns.map((column, i) =>
		Math.max(column.length, ...table.rows.map((row) => (row[i] ?? '').length))
	);
	const line = (cells: string[]) =>
		`| ${cells.map((cell, i) => (cell ?? '').padEnd(widths[i]!)).join(' | ')} |`;
	return [
		`### ${table.title}`,
		'',
		line(table.columns),
		`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
		...table.rows.map(line),
		'',
		...table.notes.map((note) => `- ${note}`),
		''
	].join('\n');
}

/** Median and 95th percentile of a list of milliseconds. */
export function percentiles(samples: number[]): { median: number; p95: number } {
	const sorted = [...samples].sort((a, b) => a - b);
	const at = (q: number) =>
		sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
	return { median: at(0.5), p95: at(0.95) };
}

export const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
