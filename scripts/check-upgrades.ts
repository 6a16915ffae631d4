/**
 * Upgrade safety check (docs/upgrades.md). For every migration N in supabase/migrations:
 *
 *   1. a fresh database on one throwaway PostgreSQL 15 cluster, shaped like a hosted Supabase
 *      project by tests/operators/supabase-platform.sql (`postgres` is not a superuser);
 *   2. the real Supabase CLI applies migrations 1..N-1 (`supabase migration up --db-url`);
 *   3. a realistic dataset goes in as `postgres`: supabase/seed.sql (when it applies at that
 *      point) plus generated rows: users and identities, staff, accounts, memberships in every
 *      role, assignments, documents with their storage objects, invitations (and what the
 *      triggers write); any other table left empty gets generic rows;
 *   4. a snapshot of every table in the project's schemas plus auth.users, auth.identities,
 *      storage.buckets and storage.objects: columns, types, and a hash per row and column;
 *   5. the CLI applies N, and the snapshot is compared: rows lost or changed (over the columns
 *      that existed before, so new columns are fine), tables or columns gone or renamed, types
 *      changed.
 *
 * A static scan of each file (comments, strings and dollar-quoted bodies left out) flags drop
 * table / schema / column, column type changes, renames, truncate and delete. Every finding,
 * static or from the comparison, fails the check unless the file carries a reviewed marker:
 *   -- upgrade-check: destructive-reviewed: <why no data is lost>
 *   -- upgrade-check: rewrites public.some_table: <why these rows may change or go>
 *
 *   node scripts/check-upgrades.ts [--migrations DIR] [--port N] [--jobs N] [--self-test] [--verbose]
 *     --migrations DIR  the migrations to check (default supabase/migrations); the seed is
 *                       DIR/../seed.sql when there is one
 *     --port N          cluster port (default: the first free one in 24450-24459)
 *     --jobs N          migrations checked at the same time (default 4)
 *     --self-test       first run every fixture set in tests/operators/upgrade-fixtures/ and
 *                       assert the outcome its expect.json names, then the real check
 *     --verbose         also print the CLI's output and each dataset's row counts
 * Exit status: 0 when every migration passed (and, with --self-test, every fixture behaved).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const platformFile = path.join(root, 'tests', 'operators', 'supabase-platform.sql');
const fixturesDir = path.join(root, 'tests', 'operators', 'upgrade-fixtures');
const supabaseBin = path.join(root, 'node_modules', '.bin', 'supabase');
const pgClusterScript = path.join(root, 'scripts', 'pg-cluster.sh');
const PORTS = { first: 24450, last: 24459 };

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

interface Options {
	migrations: string;
	port: number | null;
	jobs: number;
	selfTest: boolean;
	verbose: boolean;
}

function parseArgs(argv: string[]): Options {
	const options: Options = {
		migrations: path.join(root, 'supabase', 'migrations'),
		port: null,
		jobs: 4,
		selfTest: false,
		verbose: false
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const value = () => {
			const v = argv[++i];
			if (v === undefined) usage(`${arg} needs a value`);
			return v;
		};
		if (arg === '--migrations') options.migrations = path.resolve(value());
		else if (arg === '--port') options.port = Number(value());
		else if (arg === '--jobs') options.jobs = Number(value());
		else if (arg === '--self-test') options.selfTest = true;
		else if (arg === '--verbose') options.verbose = true;
		else if (arg === '-h' || arg === '--help') usage();
		else usage(`unknown argument: ${arg}`);
	}
	if (options.port !== null && !(options.port >= 1024 && options.port <= 65535)) {
		usage('--port must be a port number');
	}
	if (!(Number.isInteger(options.jobs) && options.jobs >= 1)) usage('--jobs must be 1 or more');
	return options;
}

function usage(problem?: string): never {
	const text = readFileSync(fileURLToPath(import.meta.url), 'utf8');
	const help = text.slice(text.indexOf('  node scripts/'), text.indexOf(' */'));
	if (problem) console.error(`check-upgrades: ${problem}\n`);
	(problem ? console.error : console.log)(`Usage:\n${help.replace(/^ \* ?/gm, '')}`);
	process.exit(problem ? 2 : 0);
}

// ---------------------------------------------------------------------------
// Static scan: destructive statements outside function bodies
// ---------------------------------------------------------------------------

interface Token {
	kind: 'word' | 'ident' | 'literal' | 'punct';
	/** Words lowercased; quoted identifiers as written. */
	value: string;
	line: number;
}

/**
 * SQL tokens without comments. String literals and dollar-quoted bodies (function bodies, DO
 * blocks) become one opaque `literal` token each: what a function may do when called is not
 * what the migration does, and a DO block is left to the data comparison.
 */
function tokenize(sql: string): Token[] {
	const tokens: Token[] = [];
	let line = 1;
	let i = 0;
	const countLines = (from: number, to: number) => {
		for (let k = from; k < to; k++) if (sql[k] === '\n') line++;
	};
	while (i < sql.length) {
		const c = sql[i]!;
		const start = i;
		const startLine = line;
		if (c === '\n') {
			line++;
			i++;
		} else if (/\s/.test(c)) {
			i++;
		} else if (c === '-' && sql[i + 1] === '-') {
			while (i < sql.length && sql[i] !== '\n') i++;
		} else if (c === '/' && sql[i + 1] === '*') {
			let depth = 0;
			while (i < sql.length) {
				if (sql[i] === '/' && sql[i + 1] === '*') {
					depth++;
					i += 2;
				} else if (sql[i] === '*' && sql[i + 1] === '/') {
					depth--;
					i += 2;
					if (depth === 0) break;
				} else i++;
			}
			countLines(start, i);
		} else if (c === "'") {
			// E'…' strings take backslash escapes; the E was read as a word just before.
			const prev = tokens[tokens.length - 1];
			const escapes =
				prev?.kind === 'word' && prev.value === 'e' && sql[i - 1]?.toLowerCase() === 'e';
			i++;
			while (i < sql.length) {
				if (escapes && sql[i] === '\\') i += 2;
				else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
				else if (sql[i] === "'") {
					i++;
					break;
				} else i++;
			}
			countLines(start, i);
			if (escapes) tokens.pop();
			tokens.push({ kind: 'literal', value: "'…'", line: startLine });
		} else if (c === '"') {
			i++;
			let name = '';
			while (i < sql.length) {
				if (sql[i] === '"' && sql[i + 1] === '"') {
					name += '"';
					i += 2;
				} else if (sql[i] === '"') {
					i++;
					break;
				} else name += sql[i++];
			}
			countLines(start, i);
			tokens.push({ kind: 'ident', value: name, line: startLine });
		} else if (
			c === '$' &&
			/^\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.test(sql.slice(i, i + 64))
		) {
			const tag = /^\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 64))![0];
			const end = sql.indexOf(tag, i + tag.length);
			i = end < 0 ? sql.length : end + tag.length;
			countLines(start, i);
			tokens.push({ kind: 'literal', value: '$…$', line: startLine });
		} else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
			while (i < sql.length && /[\w$\u0080-\uffff]/.test(sql[i]!)) i++;
			tokens.push({ kind: 'word', value: sql.slice(start, i).toLowerCase(), line: startLine });
		} else if (/[0-9]/.test(c)) {
			while (i < sql.length && /[\w.]/.test(sql[i]!)) i++;
			tokens.push({ kind: 'literal', value: sql.slice(start, i), line: startLine });
		} else {
			i++;
			tokens.push({ kind: 'punct', value: c, line: startLine });
		}
	}
	return tokens;
}

function statements(tokens: Token[]): Token[][] {
	const out: Token[][] = [];
	let current: Token[] = [];
	for (const t of tokens) {
		if (t.kind === 'punct' && t.value === ';') {
			if (current.length) out.push(current);
			current = [];
		} else current.push(t);
	}
	if (current.length) out.push(current);
	return out;
}

/** What a finding needs to be allowed: the file-wide reviewed marker, or `rewrites <table>`. */
type Needs = 'destructive' | 'rewrites' | 'delete' | 'never';

interface Finding {
	text: string;
	needs: Needs;
	/** schema.table the finding is about (for `rewrites` markers and the existence filter). */
	table?: string;
	column?: string;
	schema?: string;
}

const isName = (t: Token | undefined) =>
	t !== undefined && (t.kind === 'word' || t.kind === 'ident');

/** Reads `name` or `schema.name` at s[i]; unqualified names are taken to be in public. */
function readName(s: Token[], i: number): { schema: string; name: string; next: number } | null {
	if (!isName(s[i])) return null;
	if (s[i + 1]?.value === '.' && isName(s[i + 2])) {
		return { schema: s[i]!.value, name: s[i + 2]!.value, next: i + 3 };
	}
	return { schema: 'public', name: s[i]!.value, next: i + 1 };
}

const word = (t: Token | undefined, ...values: string[]) =>
	t !== undefined && t.kind === 'word' && values.includes(t.value);

/** Reads a comma-separated list of table names (drop table a, b / truncate a, b). */
function readNameList(s: Token[], i: number) {
	const names: { schema: string; name: string }[] = [];
	for (;;) {
		if (word(s[i], 'only')) i++;
		const n = readName(s, i);
		if (!n) break;
		names.push({ schema: n.schema, name: n.name });
		i = n.next;
		if (s[i]?.value === '*') i++;
		if (s[i]?.value !== ',') break;
		i++;
	}
	return names;
}

/** Splits ALTER TABLE actions on the commas outside parentheses. */
function splitActions(s: Token[]): Token[][] {
	const actions: Token[][] = [];
	let current: Token[] = [];
	let depth = 0;
	for (const t of s) {
		if (t.value === '(' && t.kind === 'punct') depth++;
		if (t.value === ')' && t.kind === 'punct') depth--;
		if (depth === 0 && t.kind === 'punct' && t.value === ',') {
			actions.push(current);
			current = [];
		} else current.push(t);
	}
	if (current.length) actions.push(current);
	return actions;
}

const tokensText = (ts: Token[]) =>
	ts
		.map((t) => (t.kind === 'ident' ? `"${t.value}"` : t.value))
		.join(' ')
		.replace(/ ([.,)]) ?/g, '$1')
		.replace(/ \(/g, '(')
		.replace(/\( /g, '(');

/** Destructive statements in one migration file, with their line numbers. */
function scanDestructive(sql: string): (Finding & { line: number })[] {
	const found: (Finding & { line: number })[] = [];
	for (const s of statements(tokenize(sql))) {
		const line = s[0]!.line;
		const add = (f: Finding) => found.push({ ...f, line });
		const head = s[0]!.value;

		if (head === 'drop' && word(s[1], 'table')) {
			let i = 2;
			if (word(s[i], 'if') && word(s[i + 1], 'exists')) i += 2;
			for (const n of readNameList(s, i)) {
				add({
					text: `drop table ${n.schema}.${n.name}`,
					needs: 'destructive',
					table: `${n.schema}.${n.name}`
				});
			}
		} else if (head === 'drop' && word(s[1], 'schema')) {
			let i = 2;
			if (word(s[i], 'if') && word(s[i + 1], 'exists')) i += 2;
			for (; isName(s[i]); i += 2) {
				add({ text: `drop schema ${s[i]!.value}`, needs: 'destructive', schema: s[i]!.value });
				if (s[i + 1]?.value !== ',') break;
			}
		} else if (head === 'drop' && word(s[1], 'owned')) {
			add({ text: tokensText(s), needs: 'destructive' });
		} else if (
			head === 'drop' &&
			word(s[1], 'type', 'domain', 'extension') &&
			s.some((t) => word(t, 'cascade'))
		) {
			// Without cascade these fail while a column still uses them; with it, columns go.
			add({ text: `${tokensText(s)} (drops the columns that use it)`, needs: 'destructive' });
		} else if (head === 'truncate') {
			let i = 1;
			if (word(s[i], 'table')) i++;
			for (const n of readNameList(s, i)) {
				add({
					text: `truncate ${n.schema}.${n.name}`,
					needs: 'delete',
					table: `${n.schema}.${n.name}`
				});
			}
		} else if (head === 'alter' && word(s[1], 'table')) {
			let i = 2;
			if (word(s[i], 'if') && word(s[i + 1], 'exists')) i += 2;
			if (word(s[i], 'only')) i++;
			const n = readName(s, i);
			if (!n) continue;
			i = n.next;
			if (s[i]?.value === '*') i++;
			const table = `${n.schema}.${n.name}`;
			for (const a of splitActions(s.slice(i))) {
				if (word(a[0], 'drop') && !word(a[1], 'constraint')) {
					let j = 1;
					if (word(a[j], 'column')) j++;
					if (word(a[j], 'if') && word(a[j + 1], 'exists')) j += 2;
					if (isName(a[j])) {
						add({
							text: `drop column ${table}.${a[j]!.value}`,
							needs: 'destructive',
							table,
							column: a[j]!.value
						});
					}
				} else if (word(a[0], 'alter') && !word(a[1], 'constraint')) {
					let j = 1;
					if (word(a[j], 'column')) j++;
					const column = a[j];
					j++;
					if (word(a[j], 'set') && word(a[j + 1], 'data')) j += 2;
					if (isName(column) && word(a[j], 'type')) {
						const end = a.findIndex((t, k) => k > j && word(t, 'using', 'collate'));
						add({
							text: `column type change ${table}.${column!.value} to ${tokensText(a.slice(j + 1, end < 0 ? undefined : end))}`,
							needs: 'destructive',
							table,
							column: column!.value
						});
					}
				} else if (word(a[0], 'rename') && !word(a[1], 'constraint')) {
					if (word(a[1], 'to')) {
						add({
							text: `rename table ${table} to ${a[2]?.value ?? '?'}`,
							needs: 'destructive',
							table
						});
					} else {
						const j = word(a[1], 'column') ? 2 : 1;
						if (isName(a[j])) {
							add({
								text: `rename column ${table}.${a[j]!.value} to ${a[j + 2]?.value ?? '?'}`,
								needs: 'destructive',
								table,
								column: a[j]!.value
							});
						}
					}
				} else if (word(a[0], 'set') && word(a[1], 'schema')) {
					add({
						text: `move table ${table} to schema ${a[2]?.value ?? '?'}`,
						needs: 'destructive',
						table
					});
				}
			}
		}

		// `delete from` anywhere in the statement (a data-modifying CTE too); in the other places
		// the word appears (on delete cascade, for delete, grant delete on) no `from` follows.
		for (let i = 0; i < s.length - 1; i++) {
			if (word(s[i], 'delete') && word(s[i + 1], 'from')) {
				const n = readName(s, word(s[i + 2], 'only') ? i + 3 : i + 2);
				if (n) {
					const table = `${n.schema}.${n.name}`;
					add({ text: `delete from ${table}`, needs: 'delete', table });
				}
			}
		}
	}
	return found;
}

// ---------------------------------------------------------------------------
// Markers
// ---------------------------------------------------------------------------

interface Markers {
	destructive: string | null;
	/** schema.table → reason */
	rewrites: Map<string, string>;
	errors: string[];
}

const MARKER_HELP =
	'expected `-- upgrade-check: destructive-reviewed: <reason>` or `-- upgrade-check: rewrites <schema.table>: <reason>`';

function readMarkers(sql: string): Markers {
	const markers: Markers = { destructive: null, rewrites: new Map(), errors: [] };
	sql.split('\n').forEach((text, index) => {
		const m = /^\s*--\s*upgrade-check\b\s*:?(.*)$/i.exec(text);
		if (!m) return;
		const body = m[1]!.trim();
		const destructive = /^destructive-reviewed\s*:\s*(\S.*)$/.exec(body);
		const rewrites = /^rewrites\s+([A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?)\s*:\s*(\S.*)$/.exec(body);
		if (destructive) {
			markers.destructive = destructive[1]!.trim();
		} else if (rewrites) {
			const name = rewrites[1]!.toLowerCase();
			markers.rewrites.set(name.includes('.') ? name : `public.${name}`, rewrites[2]!.trim());
		} else {
			markers.errors.push(`line ${index + 1}: unreadable marker "${text.trim()}": ${MARKER_HELP}`);
		}
	});
	return markers;
}

function permittedBy(f: Finding, markers: Markers): string | null {
	const rewrites = f.table ? markers.rewrites.get(f.table) : undefined;
	switch (f.needs) {
		case 'destructive':
			return markers.destructive && `destructive-reviewed: ${markers.destructive}`;
		case 'rewrites':
			return rewrites ? `rewrites ${f.table}: ${rewrites}` : null;
		case 'delete':
			if (rewrites) return `rewrites ${f.table}: ${rewrites}`;
			return markers.destructive && `destructive-reviewed: ${markers.destructive}`;
		case 'never':
			return null;
	}
}

// ---------------------------------------------------------------------------
// Cluster, databases, the CLI
// ---------------------------------------------------------------------------

type Sql = postgres.Sql;

const qi = (name: string) => `"${name.replace(/"/g, '""')}"`;
const qt = (schema: string, name: string) => `${qi(schema)}.${qi(name)}`;
const fmt = (n: number) => n.toLocaleString('en-US');

function connect(url: string): Sql {
	return postgres(url, {
		max: 1,
		prepare: false,
		onnotice: () => {},
		idle_timeout: 30,
		connection: { application_name: 'check-upgrades', TimeZone: 'UTC' }
	});
}

function pgMessage(error: unknown): string {
	const e = error as { message?: string; detail?: string };
	return [e.message ?? String(error), e.detail].filter(Boolean).join(' — ');
}

/** Cleanup that must happen whatever way the process ends. */
const cleanups: (() => void)[] = [];
const children = new Set<ChildProcess>();
let cleanedUp = false;
function cleanupNow() {
	if (cleanedUp) return;
	cleanedUp = true;
	for (const child of children) child.kill('SIGTERM');
	for (const fn of cleanups.reverse()) {
		try {
			fn();
		} catch (error) {
			console.error(`check-upgrades: cleanup: ${(error as Error).message}`);
		}
	}
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.on(signal, () => {
		console.error(`\ncheck-upgrades: ${signal}, stopping`);
		cleanupNow();
		process.exit(130);
	});
}

function portFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

interface Cluster {
	port: number;
	/** Superuser connection to the cluster's `postgres` database (creates and drops databases). */
	admin: Sql;
	/** The platform statements that grant on the database itself, for `on database <name>`. */
	databaseGrants: string;
	/** Schemas that are not the project's: the platform's, and the CLI's history. */
	platformSchemas: string[];
	version: string;
}

const TEMPLATE_DB = 'upgrade_template';

/**
 * The transactional body of supabase-platform.sql for the template database (the cluster is
 * new: its roles are made here, once), the file's `on database postgres` grants (repeated for
 * every clone: database privileges are not copied with a template) and its demotion of
 * `postgres`, which runs after the body, as in the file.
 */
function platformBody(database: string): { body: string; grants: string; demote: string } {
	const text = readFileSync(platformFile, 'utf8');
	const begin = text.indexOf('\nbegin;\n');
	const commit = text.indexOf('\ncommit;\n', begin);
	const demote = /^\s*alter role postgres nosuperuser[^;]*;/m.exec(text.slice(commit));
	if (begin < 0 || commit < 0 || !demote) {
		throw new Error(
			`${path.relative(root, platformFile)}: no begin … commit block or no demotion of postgres; update scripts/check-upgrades.ts`
		);
	}
	const body = text.slice(begin + 1, commit + '\ncommit;\n'.length);
	if (/^[ \t]*\\/m.test(body)) {
		throw new Error(
			`${platformFile}: a psql meta-command inside begin … commit; update scripts/check-upgrades.ts`
		);
	}
	const grants = (body.match(/^grant [^;]* on database postgres\b[^;]*;/gm) ?? []).join('\n');
	const onDatabase = (s: string) =>
		s.replace(/\bon database postgres\b/g, `on database ${qi(database)}`);
	return { body: onDatabase(body), grants, demote: demote[0].trim() };
}

/**
 * Starts the cluster and builds a template database with the platform applied once; every
 * check clones it. Then `postgres` is demoted, as on hosted projects (roles are cluster-wide).
 */
async function startCluster(requestedPort: number | null): Promise<Cluster> {
	let port = requestedPort;
	if (port === null) {
		for (let p = PORTS.first; p <= PORTS.last && port === null; p++) {
			if (await portFree(p)) port = p;
		}
		if (port === null) throw new Error(`no free port in ${PORTS.first}-${PORTS.last}; pass --port`);
	}
	const dir = mkdtempSync(path.join(tmpdir(), 'portal-upgrades-pg-'));
	writeFileSync(path.join(dir, '.pg-cluster'), ''); // lets pg-cluster.sh stop remove it even after a failed start
	cleanups.push(() => {
		execFileSync('bash', [pgClusterScript, 'stop', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
		rmSync(dir, { recursive: true, force: true });
	});
	const bootstrapUrl = execFileSync('bash', [pgClusterScript, 'start', dir, String(port)], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe']
	}).trim();

	const { body, grants, demote } = platformBody(TEMPLATE_DB);
	const bootstrap = connect(bootstrapUrl);
	try {
		await bootstrap.unsafe(`create database ${qi(TEMPLATE_DB)} owner postgres`);
		const template = connect(bootstrapUrl.replace(/\/postgres$/, `/${TEMPLATE_DB}`));
		try {
			await template.unsafe(body).simple();
		} finally {
			await template.end({ timeout: 5 });
		}
		await bootstrap.unsafe(demote);
	} finally {
		await bootstrap.end({ timeout: 5 });
	}

	const admin = connect(`postgresql://supabase_admin@127.0.0.1:${port}/postgres`);
	cleanups.push(() => void admin.end({ timeout: 1 }));
	const probe = connect(`postgresql://supabase_admin@127.0.0.1:${port}/${TEMPLATE_DB}`);
	const schemas = await probe.unsafe<{ nspname: string }[]>(
		`select nspname from pg_namespace where nspname <> 'public' order by 1`
	);
	const [{ version }] = (await probe.unsafe(
		`select current_setting('server_version') as version`
	)) as unknown as [{ version: string }];
	await probe.end({ timeout: 5 });
	return {
		port,
		admin,
		databaseGrants: grants,
		platformSchemas: [...schemas.map((s) => s.nspname), 'supabase_migrations'],
		version
	};
}

async function createDatabase(cluster: Cluster, name: string) {
	await cluster.admin.unsafe(`drop database if exists ${qi(name)} with (force)`);
	await cluster.admin.unsafe(
		`create database ${qi(name)} template ${qi(TEMPLATE_DB)} owner postgres`
	);
	// Database-level privileges belong to the database entry, not its contents: not cloned.
	const db = connect(`postgresql://supabase_admin@127.0.0.1:${cluster.port}/${name}`);
	try {
		await db
			.unsafe(
				cluster.databaseGrants.replace(/\bon database postgres\b/g, `on database ${qi(name)}`)
			)
			.simple();
	} finally {
		await db.end({ timeout: 5 });
	}
}

interface CliResult {
	ok: boolean;
	output: string;
}

/** `supabase migration up --db-url …` from `workdir`, as operators run it against a project. */
function cliMigrationUp(workdir: string, dbUrl: string): Promise<CliResult> {
	return new Promise((resolve) => {
		const child = spawn(supabaseBin, ['migration', 'up', '--db-url', dbUrl], {
			cwd: workdir,
			env: { ...process.env, DO_NOT_TRACK: '1', SUPABASE_TELEMETRY_DISABLED: '1' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		children.add(child);
		let output = '';
		child.stdout.on('data', (d: Buffer) => (output += d.toString()));
		child.stderr.on('data', (d: Buffer) => (output += d.toString()));
		const timer = setTimeout(() => child.kill('SIGTERM'), 120_000);
		child.on('error', (error) => {
			output += `\n${error.message}`;
		});
		child.on('close', (code) => {
			clearTimeout(timer);
			children.delete(child);
			resolve({ ok: code === 0, output: output.trim() });
		});
	});
}

/**
 * A project directory for the CLI: the repository's supabase/ (config.toml, templates, …)
 * linked in, and a migrations folder of its own that the check fills file by file.
 */
function makeWorkdir(): { dir: string; migrations: string } {
	const dir = mkdtempSync(path.join(tmpdir(), 'portal-upgrades-work-'));
	cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
	const supabaseDir = path.join(dir, 'supabase');
	mkdirSync(path.join(supabaseDir, 'migrations'), { recursive: true });
	for (const entry of readdirSync(path.join(root, 'supabase'))) {
		if (entry === 'migrations' || entry.startsWith('.')) continue;
		symlinkSync(path.join(root, 'supabase', entry), path.join(supabaseDir, entry));
	}
	return { dir, migrations: path.join(supabaseDir, 'migrations') };
}

// ---------------------------------------------------------------------------
// Dataset
// ---------------------------------------------------------------------------

const user = (i: string) => `md5('upgrade-user-' || (${i}))::uuid`;
const account = (a: string) => `md5('upgrade-account-' || (${a}))::uuid`;

/**
 * Generated rows, in dependency order. Each runs only when its tables exist (and in its own
 * transaction: one that no longer fits a later schema is reported, the others still go in).
 * Users 1-10 are staff (1-2 admins), 11-200 are clients; every account has an owner, a member,
 * a billing user and a viewer, one or two serving staff, ten documents and their files.
 */
const GENERATORS: { name: string; needs: string[]; sql: string }[] = [
	{
		name: '200 users',
		needs: ['auth.users'],
		sql: `
insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
	last_sign_in_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at, phone,
	phone_confirmed_at, banned_until, confirmation_token, recovery_token, email_change_token_new,
	email_change_token_current, email_change, reauthentication_token, phone_change, phone_change_token)
select '00000000-0000-0000-0000-000000000000', ${user('i')}, 'authenticated', 'authenticated',
	case when i <= 10 then format('staff%s@staff.upgrade.test', i)
		else format('client%s@client%s.upgrade.test', i, i % 50) end,
	(select extensions.crypt('upgrade-check', extensions.gen_salt('bf', 4))),
	case when i % 17 <> 0 then t.created + interval '5 minutes' end,
	case when i % 5 <> 0 then t.created + make_interval(days => i % 30) end,
	'{"provider": "email", "providers": ["email"]}',
	jsonb_build_object('display_name', format('%s %s', (array['Zoë', 'Ana', 'Bjørn', 'Chen', 'Dario'])[1 + i % 5], i)),
	t.created, t.created + make_interval(days => i % 30),
	case when i % 9 = 0 then '1555' || lpad(i::text, 7, '0') end,
	case when i % 18 = 0 then t.created end,
	case when i % 41 = 0 then now() + interval '30 days' end,
	'', '', '', '', '', '', '', ''
from generate_series(1, 200) as i, lateral (select now() - make_interval(hours => i * 37) as created) t`
	},
	{
		name: 'identities',
		needs: ['auth.users', 'auth.identities'],
		sql: `
insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select u.id::text, u.id, jsonb_build_object('sub', u.id::text, 'email', u.email,
		'email_verified', u.email_confirmed_at is not null, 'phone_verified', false),
	'email', u.last_sign_in_at, u.created_at, u.updated_at
from auth.users u where u.email like '%.upgrade.test'
on conflict do nothing`
	},
	{
		name: 'staff',
		needs: ['public.staff_members'],
		sql: `
insert into public.staff_members (user_id, role, created_at)
select ${user('i')}, case when i <= 2 then 'admin' else 'staff' end, now() - make_interval(days => 400 - i)
from generate_series(1, 10) as i`
	},
	{
		name: '50 accounts',
		needs: ['public.client_accounts'],
		sql: `
insert into public.client_accounts (id, name, status, created_at)
select ${account('a')},
	format('%s %s', (array['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli'])[1 + a % 5],
		(array['Ltd', 'GmbH', '& Söhne', 'Household', 'LLC'])[1 + (a / 5) % 5]) || ' ' || a,
	case when a % 10 = 0 then 'archived' else 'active' end,
	now() - make_interval(days => a * 5)
from generate_series(1, 50) as a`
	},
	{
		name: 'memberships',
		needs: ['public.account_members', 'public.client_accounts'],
		sql: `
insert into public.account_members (account_id, user_id, role, created_at)
select ${account('a')}, ${user('11 + ((a - 1) * 4 + k) % 190')},
	(array['owner', 'member', 'billing', 'viewer'])[k + 1], now() - make_interval(days => a * 5 - k)
from generate_series(1, 50) as a, generate_series(0, 3) as k`
	},
	{
		name: 'staff assignments',
		needs: ['public.staff_assignments', 'public.staff_members', 'public.client_accounts'],
		sql: `
insert into public.staff_assignments (account_id, staff_user_id, created_at)
select ${account('a')}, ${user('s')}, now() - make_interval(days => a)
from generate_series(1, 50) as a,
	lateral (values (3 + a % 8), (case when a % 3 = 0 then 3 + (a + 1) % 8 end)) as v(s)
where s is not null`
	},
	{
		name: '500 documents',
		needs: ['public.documents', 'public.client_accounts'],
		sql: `
insert into public.documents (id, account_id, name, storage_path, size_bytes, mime_type, uploaded_by, created_at)
select d.id, d.account_id, d.name, d.account_id::text || '/' || d.id::text || '/' || d.name,
	(a * 7919 + j * 104729) % 5000000, d.mime,
	case when j % 7 = 0 then null
		when j % 3 = 0 then ${user('3 + a % 8')}
		else ${user('11 + ((a - 1) * 4 + j % 2) % 190')} end,
	now() - make_interval(days => a, hours => j)
from generate_series(1, 50) as a, generate_series(1, 10) as j,
	lateral (select md5('upgrade-document-' || a || '-' || j)::uuid as id, ${account('a')} as account_id,
		format('%s %s.%s', (array['Invoice', 'Contract', 'Site photo', 'Meeting notes', 'Tax return'])[1 + j % 5],
			a * 100 + j, (array['pdf', 'pdf', 'jpg', 'txt', 'pdf'])[1 + j % 5]) as name,
		(array['application/pdf', 'application/pdf', 'image/jpeg', 'text/plain', 'application/pdf'])[1 + j % 5] as mime) as d`
	},
	{
		name: 'document files',
		needs: ['public.documents', 'storage.objects', "storage.buckets 'documents'"],
		sql: `
insert into storage.objects (bucket_id, name, owner, owner_id, created_at, updated_at, last_accessed_at, metadata, version)
select 'documents', d.storage_path, d.uploaded_by, d.uploaded_by::text, d.created_at, d.created_at, d.created_at,
	jsonb_build_object('eTag', '"' || md5(d.id::text) || '"', 'size', d.size_bytes, 'mimetype', d.mime_type,
		'cacheControl', 'max-age=3600', 'lastModified', d.created_at, 'contentLength', d.size_bytes,
		'httpStatusCode', 200),
	md5('upgrade-version-' || d.id)::uuid::text
from public.documents d
where not exists (select 1 from storage.objects o where o.bucket_id = 'documents' and o.name = d.storage_path)`
	},
	{
		name: 'orphan files',
		needs: ['storage.objects', "storage.buckets 'documents'"],
		sql: `
insert into storage.objects (bucket_id, name, metadata, version)
select 'documents', ${account('a')}::text || '/' || md5('upgrade-orphan-' || a)::uuid::text || '/upload.bin',
	jsonb_build_object('size', a * 1000, 'mimetype', 'application/octet-stream'), md5('upgrade-orphan-v' || a)
from generate_series(1, 10) as a`
	},
	{
		name: '100 invitations',
		needs: ['public.invitations', 'public.client_accounts'],
		sql: `
insert into public.invitations (kind, account_id, email, role, token_hash, invited_by, created_at,
	expires_at, accepted_at, accepted_by, revoked_at, revoked_by)
select case when i <= 10 then 'staff' else 'client' end,
	case when i > 10 then ${account('1 + i % 50')} end,
	format('invitee%s@invited.upgrade.test', i),
	case when i <= 10 then (array['admin', 'staff'])[1 + i % 2]
		else (array['owner', 'member', 'billing', 'viewer'])[1 + i % 4] end,
	extensions.digest('upgrade-invitation-' || i, 'sha256'),
	case when i <= 10 then ${user('1')} else ${user('3 + i % 8')} end,
	t.created, t.created + interval '7 days',
	case when s.state = 'accepted' then t.created + interval '1 day' end,
	case when s.state = 'accepted' then ${user('11 + i % 190')} end,
	case when s.state = 'revoked' then t.created + interval '2 days' end,
	case when s.state = 'revoked' then ${user('3 + i % 8')} end
from generate_series(1, 100) as i,
	lateral (select (array['open', 'accepted', 'revoked', 'expired'])[1 + i % 4] as state) as s,
	lateral (select now() - make_interval(days => case s.state when 'open' then 1 else 10 + i end) as created) as t`
	}
];

interface Dataset {
	notes: string[];
	counts: Map<string, number>;
}

/** Loads the seed (when it applies) and the generated rows, as `postgres`. */
async function loadDataset(
	owner: Sql,
	seedFile: string | null,
	projectTables: string[]
): Promise<Dataset> {
	const notes: string[] = [];
	const tx = async (label: string, text: string) => {
		try {
			await owner.unsafe(`begin;\n${text};\ncommit;`).simple();
			return null;
		} catch (error) {
			await owner.unsafe('rollback').catch(() => {});
			return `${label}: ${pgMessage(error)}`;
		}
	};

	if (seedFile) {
		const failed = await tx(path.relative(root, seedFile), readFileSync(seedFile, 'utf8'));
		if (failed)
			notes.push(`dataset: generated rows only, the seed does not apply here (${failed})`);
	}

	const exists = async (need: string) => {
		const bucket = /^storage\.buckets '(.+)'$/.exec(need);
		const [row] = bucket
			? await owner.unsafe(`select exists (select from storage.buckets where id = $1) as ok`, [
					bucket[1]!
				])
			: await owner.unsafe(`select to_regclass($1) is not null as ok`, [need]);
		return row!.ok === true;
	};
	for (const g of GENERATORS) {
		let ready = true;
		for (const need of g.needs) if (!(await exists(need))) ready = false;
		if (!ready) continue;
		const failed = await tx(`generated ${g.name}`, g.sql);
		if (failed) notes.push(`dataset: ${failed} (update GENERATORS in scripts/check-upgrades.ts)`);
	}

	// Tables nobody wrote to get generic rows, parents before children (a few passes).
	const counts = async () => {
		const m = new Map<string, number>();
		for (const t of projectTables) {
			const [schema, name] = t.split('.') as [string, string];
			const [row] = await owner.unsafe(`select count(*)::int as n from ${qt(schema, name)}`);
			m.set(t, row!.n as number);
		}
		return m;
	};
	let current = await counts();
	const genericErrors = new Map<string, string>();
	for (let pass = 0; pass < 3; pass++) {
		const empty = [...current].filter(([, n]) => n === 0).map(([t]) => t);
		if (empty.length === 0) break;
		for (const t of empty) {
			try {
				const text = await genericInsert(owner, t);
				const failed = await tx(`generic rows for ${t}`, text);
				if (failed) genericErrors.set(t, failed);
				else genericErrors.delete(t);
			} catch (error) {
				genericErrors.set(t, `generic rows for ${t}: ${(error as Error).message}`);
			}
		}
		current = await counts();
	}
	for (const [t, n] of current) {
		if (n === 0) {
			notes.push(
				`dataset: ${t} stays empty, so its rows are not checked (${genericErrors.get(t) ?? 'no rows'}; add a generator to scripts/check-upgrades.ts)`
			);
		}
	}
	return { notes, counts: current };
}

/** An insert of 50 rows with a plausible value for every column that has no default. */
async function genericInsert(owner: Sql, table: string): Promise<string> {
	const [schema, name] = table.split('.') as [string, string];
	const columns = await owner.unsafe<
		{
			attname: string;
			type: string;
			typname: string;
			typtype: string;
			typcategory: string;
			attnotnull: boolean;
			skip: boolean;
			ref_table: string | null;
			ref_column: string | null;
		}[]
	>(
		`select a.attname, format_type(a.atttypid, a.atttypmod) as type, t.typname, t.typtype::text,
			t.typcategory::text, a.attnotnull,
			(a.atthasdef or a.attidentity <> '' or a.attgenerated <> '') as skip,
			(select format('%I.%I', rn.nspname, rc.relname) from pg_constraint k
				join pg_class rc on rc.oid = k.confrelid join pg_namespace rn on rn.oid = rc.relnamespace
				where k.conrelid = a.attrelid and k.contype = 'f' and k.conkey = array[a.attnum] limit 1) as ref_table,
			(select ra.attname::text from pg_constraint k
				join pg_attribute ra on ra.attrelid = k.confrelid and ra.attnum = k.confkey[1]
				where k.conrelid = a.attrelid and k.contype = 'f' and k.conkey = array[a.attnum] limit 1) as ref_column
		from pg_attribute a join pg_type t on t.oid = a.atttypid
		where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped
		order by a.attnum`,
		[qt(schema, name)]
	);
	const names: string[] = [];
	const values: string[] = [];
	for (const c of columns) {
		if (c.skip) continue;
		let value: string | null;
		if (c.ref_table && c.ref_column) {
			value = `(select r.${qi(c.ref_column)} from ${c.ref_table} r order by 1
				offset (g.i % greatest((select count(*) from ${c.ref_table}), 1)) limit 1)`;
		} else if (c.typtype === 'e') {
			value = `(enum_range(null::${c.type}))[1 + g.i % array_length(enum_range(null::${c.type}), 1)]`;
		} else if (c.typname === 'uuid') {
			value = `md5(${literal(table)} || g.i)::uuid`;
		} else if (c.typname === 'json' || c.typname === 'jsonb') {
			value = `jsonb_build_object('n', g.i)::${c.type}`;
		} else if (c.typname === 'bytea') {
			value = `decode(md5(g.i::text), 'hex')`;
		} else if (c.typcategory === 'S') {
			value = `('generated ' || g.i)::${c.type}`;
		} else if (c.typcategory === 'N') {
			value = `g.i::${c.type}`;
		} else if (c.typcategory === 'B') {
			value = `g.i % 2 = 0`;
		} else if (c.typcategory === 'D') {
			value = `(now() - make_interval(hours => g.i))::${c.type}`;
		} else if (c.typcategory === 'T') {
			value = `make_interval(mins => g.i)::${c.type}`;
		} else if (c.typcategory === 'A') {
			value = `'{}'::${c.type}`;
		} else if (c.attnotnull) {
			throw new Error(`no generic value for ${c.attname} ${c.type}`);
		} else value = null;
		if (value !== null) {
			names.push(qi(c.attname));
			values.push(value);
		}
	}
	return `insert into ${qt(schema, name)} (${names.join(', ')})
		select ${values.join(', ')} from generate_series(1, 50) as g(i) on conflict do nothing`;
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

// ---------------------------------------------------------------------------
// Snapshot and comparison
// ---------------------------------------------------------------------------

interface ColumnInfo {
	attnum: number;
	name: string;
	type: string;
}

interface TableSnapshot {
	oid: string;
	schema: string;
	name: string;
	columns: ColumnInfo[];
	/** Positions in `columns` of the primary key, empty when there is none. */
	pk: number[];
	/** Per row: the primary key as text (null without one) and an md5 per column. */
	rows: { key: string | null; cols: string[] }[];
}

const PLATFORM_TABLES = ['auth.users', 'auth.identities', 'storage.buckets', 'storage.objects'];

/** Every table whose rows the check protects: the project's schemas and PLATFORM_TABLES. */
async function protectedTables(db: Sql, platformSchemas: string[]) {
	return db.unsafe<{ oid: string; schema: string; name: string }[]>(
		`select c.oid::text as oid, n.nspname as schema, c.relname as name
		from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where c.relkind in ('r', 'p') and not c.relispartition
			and (
				(n.nspname <> all ($1::text[]) and n.nspname not like 'pg\\_%' and n.nspname <> 'information_schema')
				or n.nspname || '.' || c.relname = any ($2::text[])
			)
		order by 2, 3`,
		[platformSchemas, PLATFORM_TABLES]
	);
}

async function columnsOf(db: Sql, oid: string): Promise<ColumnInfo[]> {
	return db.unsafe<ColumnInfo[]>(
		`select attnum::int as attnum, attname::text as name, format_type(atttypid, atttypmod) as type
		from pg_attribute where attrelid = $1::oid and attnum > 0 and not attisdropped order by attnum`,
		[oid]
	);
}

async function readRows(db: Sql, schema: string, name: string, columns: string[], pk: string[]) {
	if (columns.length === 0) {
		const [row] = await db.unsafe(`select count(*)::int as n from ${qt(schema, name)}`);
		return Array.from({ length: row!.n as number }, () => ({ key: null, cols: [] as string[] }));
	}
	const key = pk.length ? `row(${pk.map(qi).join(', ')})::text` : 'null::text';
	const hashes = columns.map((c) => `md5(quote_nullable(${qi(c)}::text))`).join(', ');
	const rows = await db.unsafe<{ key: string | null; cols: string[] }[]>(
		`select ${key} as key, array[${hashes}] as cols from ${qt(schema, name)}`
	);
	return [...rows];
}

async function snapshot(db: Sql, platformSchemas: string[]): Promise<TableSnapshot[]> {
	const out: TableSnapshot[] = [];
	for (const t of await protectedTables(db, platformSchemas)) {
		const columns = await columnsOf(db, t.oid);
		const pkNums = await db.unsafe<{ attnum: number }[]>(
			`select k.attnum::int as attnum from pg_index i, unnest(i.indkey) with ordinality as k(attnum, ord)
			where i.indrelid = $1::oid and i.indisprimary order by k.ord`,
			[t.oid]
		);
		const pk = pkNums
			.map((p) => columns.findIndex((c) => c.attnum === p.attnum))
			.filter((i) => i >= 0);
		const rows = await readRows(
			db,
			t.schema,
			t.name,
			columns.map((c) => c.name),
			pk.map((i) => columns[i]!.name)
		);
		out.push({ ...t, columns, pk, rows });
	}
	return out;
}

/** Every table and column that exists, for the static findings (is the target really there?). */
async function catalog(db: Sql) {
	const rows = await db.unsafe<{ t: string; cols: string[] }[]>(
		`select n.nspname || '.' || c.relname as t,
			array(select attname::text from pg_attribute where attrelid = c.oid and attnum > 0 and not attisdropped) as cols
		from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where c.relkind in ('r', 'p') and n.nspname not like 'pg\\_%' and n.nspname <> 'information_schema'`
	);
	const schemas = await db.unsafe<{ nspname: string }[]>(`select nspname::text from pg_namespace`);
	return {
		tables: new Map(rows.map((r) => [r.t, new Set(r.cols)])),
		schemas: new Set(schemas.map((s) => s.nspname))
	};
}

interface Comparison {
	tables: number;
	rows: number;
	lost: number;
	changed: number;
	findings: Finding[];
}

/** A few primary keys, as `id 2` or `(account_id, user_id) (…, …)`. */
function examples(t: TableSnapshot, keys: string[]) {
	if (keys.length === 0) return '';
	const pk = t.pk.map((i) => t.columns[i]!.name);
	const shown = keys.slice(0, 3).map((k) => (pk.length === 1 ? k.replace(/^\((.*)\)$/, '$1') : k));
	const name = pk.length === 1 ? pk[0] : `(${pk.join(', ')})`;
	return ` (${name} ${shown.join(', ')}${keys.length > 3 ? ', …' : ''})`;
}

async function compare(db: Sql, before: TableSnapshot[]): Promise<Comparison> {
	const result: Comparison = { tables: before.length, rows: 0, lost: 0, changed: 0, findings: [] };
	for (const t of before) {
		const label = `${t.schema}.${t.name}`;
		result.rows += t.rows.length;

		// The same table (followed by oid through renames), or one recreated under the same name.
		const [byOid] = await db.unsafe<{ oid: string; schema: string; name: string }[]>(
			`select c.oid::text as oid, n.nspname as schema, c.relname as name from pg_class c
			join pg_namespace n on n.oid = c.relnamespace where c.oid = $1::oid and c.relkind in ('r', 'p')`,
			[t.oid]
		);
		const [byName] = byOid
			? [byOid]
			: await db.unsafe<{ oid: string; schema: string; name: string }[]>(
					`select c.oid::text as oid, n.nspname as schema, c.relname as name from pg_class c
					join pg_namespace n on n.oid = c.relnamespace
					where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'p')`,
					[t.schema, t.name]
				);
		const now = byName;
		if (!now) {
			result.lost += t.rows.length;
			result.findings.push({
				text: `${label}: table gone with its ${fmt(t.rows.length)} rows`,
				needs: 'destructive',
				table: label
			});
			continue;
		}
		const nowLabel = `${now.schema}.${now.name}`;
		if (nowLabel !== label) {
			result.findings.push({
				text: `${label}: table renamed to ${nowLabel}`,
				needs: 'destructive',
				table: label
			});
		}

		// Columns: by attnum in the same table (renames keep it), by name in a recreated one.
		const nowColumns = await columnsOf(db, now.oid);
		const sameTable = now.oid === t.oid;
		const matched: { index: number; now: ColumnInfo }[] = [];
		t.columns.forEach((c, index) => {
			const n = nowColumns.find((x) => (sameTable ? x.attnum === c.attnum : x.name === c.name));
			if (!n) {
				result.findings.push({
					text: `${label}.${c.name}: column gone (${fmt(t.rows.length)} rows had it)`,
					needs: 'destructive',
					table: label
				});
				return;
			}
			if (n.name !== c.name) {
				result.findings.push({
					text: `${label}.${c.name}: column renamed to ${n.name}`,
					needs: 'destructive',
					table: label
				});
			}
			if (n.type !== c.type) {
				result.findings.push({
					text: `${label}.${c.name}: type changed from ${c.type} to ${n.type}`,
					needs: 'destructive',
					table: label
				});
			}
			matched.push({ index, now: n });
		});

		const pkKept = t.pk.length > 0 && t.pk.every((i) => matched.some((m) => m.index === i));
		const after = await readRows(
			db,
			now.schema,
			now.name,
			matched.map((m) => m.now.name),
			pkKept ? t.pk.map((i) => matched.find((m) => m.index === i)!.now.name) : []
		);
		const beforeCols = (cols: string[]) => matched.map((m) => cols[m.index]!);
		const lostKeys: string[] = [];
		const changedKeys: string[] = [];
		let lostOrChanged = 0;
		if (pkKept) {
			const afterByKey = new Map(after.map((r) => [r.key, r.cols]));
			for (const r of t.rows) {
				const a = afterByKey.get(r.key);
				if (!a) lostKeys.push(r.key!);
				else if (beforeCols(r.cols).some((h, k) => h !== a[k])) changedKeys.push(r.key!);
			}
		} else {
			// No primary key to follow rows by: compare the multisets of rows.
			const counts = new Map<string, number>();
			for (const r of after) counts.set(r.cols.join(), (counts.get(r.cols.join()) ?? 0) + 1);
			for (const r of t.rows) {
				const sig = beforeCols(r.cols).join();
				const n = counts.get(sig) ?? 0;
				if (n > 0) counts.set(sig, n - 1);
				else lostOrChanged++;
			}
		}
		result.lost += lostKeys.length + lostOrChanged;
		result.changed += changedKeys.length;
		if (lostKeys.length) {
			result.findings.push({
				text: `${label}: ${fmt(lostKeys.length)} of ${fmt(t.rows.length)} rows lost${examples(t, lostKeys)}`,
				needs: 'rewrites',
				table: label
			});
		}
		if (changedKeys.length) {
			result.findings.push({
				text: `${label}: ${fmt(changedKeys.length)} of ${fmt(t.rows.length)} rows changed${examples(t, changedKeys)}`,
				needs: 'rewrites',
				table: label
			});
		}
		if (lostOrChanged) {
			result.findings.push({
				text: `${label}: ${fmt(lostOrChanged)} of ${fmt(t.rows.length)} rows lost or changed (no primary key to tell which)`,
				needs: 'rewrites',
				table: label
			});
		}
	}
	return result;
}

// ---------------------------------------------------------------------------
// One migration, one set of migrations
// ---------------------------------------------------------------------------

interface MigrationResult {
	file: string;
	passed: boolean;
	lines: string[];
}

interface MigrationSet {
	label: string;
	dir: string;
	files: string[];
	seed: string | null;
}

function readSet(label: string, dir: string): MigrationSet {
	if (!existsSync(dir)) throw new Error(`no migrations directory ${dir}`);
	const all = readdirSync(dir).filter((f) => f.endsWith('.sql'));
	const files = all.filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
	const skipped = all.filter((f) => !files.includes(f));
	if (skipped.length)
		throw new Error(
			`${label}: the CLI would skip ${skipped.join(', ')} (name must be <timestamp>_<name>.sql)`
		);
	const seed = path.join(dir, '..', 'seed.sql');
	return { label, dir, files, seed: existsSync(seed) ? seed : null };
}

async function checkMigration(
	cluster: Cluster,
	set: MigrationSet,
	setIndex: number,
	n: number,
	verbose: boolean
): Promise<MigrationResult> {
	const file = set.files[n]!;
	const sqlText = readFileSync(path.join(set.dir, file), 'utf8');
	const markers = readMarkers(sqlText);
	const staticFindings = scanDestructive(sqlText);
	const findings: Finding[] = markers.errors.map((e) => ({ text: e, needs: 'never' as const }));
	const notes: string[] = [];
	const verboseLines: string[] = [];
	let stats = '';

	const dbName = `upgrade_${setIndex}_${n}`;
	const work = makeWorkdir();
	const dbUrl = `postgresql://postgres@127.0.0.1:${cluster.port}/${dbName}?sslmode=disable`;
	let admin: Sql | null = null;
	let owner: Sql | null = null;
	let existing: Awaited<ReturnType<typeof catalog>> | null = null;
	try {
		await createDatabase(cluster, dbName);
		for (const earlier of set.files.slice(0, n)) {
			copyFileSync(path.join(set.dir, earlier), path.join(work.migrations, earlier));
		}
		if (n > 0) {
			const up = await cliMigrationUp(work.dir, dbUrl);
			if (verbose) verboseLines.push(`supabase migration up (1..${n}):`, ...indent(up.output));
			if (!up.ok) {
				findings.push({
					text: `the migrations before it do not apply:\n${indent(tail(up.output), 6).join('\n')}`,
					needs: 'never'
				});
				return finish();
			}
		}
		admin = connect(`postgresql://supabase_admin@127.0.0.1:${cluster.port}/${dbName}`);
		owner = connect(`postgresql://postgres@127.0.0.1:${cluster.port}/${dbName}`);
		existing = await catalog(admin);
		const projectTables = (await protectedTables(admin, cluster.platformSchemas))
			.map((t) => `${t.schema}.${t.name}`)
			.filter((t) => !PLATFORM_TABLES.includes(t));
		const dataset = await loadDataset(owner, set.seed, projectTables);
		notes.push(...dataset.notes);
		const before = await snapshot(admin, cluster.platformSchemas);
		if (verbose) {
			verboseLines.push(
				`dataset: ${before.map((t) => `${t.schema}.${t.name} ${t.rows.length}`).join(', ')}`
			);
		}

		copyFileSync(path.join(set.dir, file), path.join(work.migrations, file));
		const up = await cliMigrationUp(work.dir, dbUrl);
		if (verbose) verboseLines.push(`supabase migration up (${file}):`, ...indent(up.output));
		if (!up.ok || !up.output.includes(`Applying migration ${file}`)) {
			findings.push({
				text: `it does not apply on top of the migrations before it and the dataset:\n${indent(tail(up.output), 6).join('\n')}`,
				needs: 'never'
			});
			return finish();
		}
		const comparison = await compare(admin, before);
		findings.push(...comparison.findings);
		stats = `${comparison.tables} table${comparison.tables === 1 ? '' : 's'}, ${fmt(comparison.rows)} rows compared, ${fmt(comparison.lost)} lost, ${fmt(comparison.changed)} changed`;
		return finish();
	} catch (error) {
		findings.push({ text: `the check itself failed: ${pgMessage(error)}`, needs: 'never' });
		return finish();
	} finally {
		await admin?.end({ timeout: 5 });
		await owner?.end({ timeout: 5 });
		await cluster.admin
			.unsafe(`drop database if exists ${qi(dbName)} with (force)`)
			.catch(() => {});
		rmSync(work.dir, { recursive: true, force: true });
	}

	function finish(): MigrationResult {
		// Static findings count only when their target existed before this migration (a table
		// the file itself creates and drops again loses nothing). Listed after errors, before
		// what the comparison found.
		const kept: Finding[] = [];
		for (const f of staticFindings) {
			if (existing) {
				if (f.schema && !existing.schemas.has(f.schema)) continue;
				const columns = f.table ? existing.tables.get(f.table) : undefined;
				if (f.table && !columns) continue;
				if (f.column && columns && !columns.has(f.column)) continue;
			}
			kept.push({ ...f, text: `line ${f.line}: ${f.text}` });
		}
		const errors = findings.filter((f) => f.needs === 'never');
		findings.splice(
			0,
			findings.length,
			...errors,
			...kept,
			...findings.filter((f) => f.needs !== 'never')
		);
		const failures: string[] = [];
		const reviewed: string[] = [];
		for (const f of findings) {
			const by = permittedBy(f, markers);
			if (by) reviewed.push(`reviewed: ${f.text} (${by})`);
			else failures.push(f.text);
		}
		const passed = failures.length === 0;
		const lines = [`${passed ? 'PASS' : 'FAIL'} ${file}${stats ? `: ${stats}` : ''}`];
		for (const f of failures) lines.push(`    - ${f}`);
		for (const r of reviewed) lines.push(`    ${r}`);
		for (const note of notes) lines.push(`    note: ${note}`);
		if (
			markers.destructive &&
			!findings.some((f) => f.needs === 'destructive' || f.needs === 'delete')
		) {
			lines.push('    note: destructive-reviewed marker, but nothing destructive was found');
		}
		for (const table of markers.rewrites.keys()) {
			if (!findings.some((f) => f.table === table && f.needs !== 'destructive')) {
				lines.push(
					`    note: rewrites ${table} marker, but no row of ${table} was lost or changed`
				);
			}
		}
		const needs = new Set(
			failures.length ? findings.filter((f) => !permittedBy(f, markers)).map((f) => f.needs) : []
		);
		if (needs.has('destructive') || needs.has('delete')) {
			lines.push(
				'    if this is intended and reviewed: `-- upgrade-check: destructive-reviewed: <why no data is lost>` in the file'
			);
		}
		if (needs.has('rewrites') || needs.has('delete')) {
			lines.push(
				'    if these rows are meant to change: `-- upgrade-check: rewrites <schema.table>: <why>` in the file'
			);
		}
		lines.push(...verboseLines.map((l) => `    | ${l}`));
		return { file, passed, lines };
	}
}

const indent = (text: string, by = 4) => text.split('\n').map((l) => ' '.repeat(by) + l);
const tail = (text: string) => text.split('\n').slice(-15).join('\n');

/** Runs `work` over `items` with at most `limit` at a time, results in order. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const i = next++;
			results[i] = await work(items[i]!);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	return results;
}

interface Expectation {
	why: string;
	expect: 'pass' | 'fail';
	output: string[];
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

async function main(): Promise<number> {
	const options = parseArgs(process.argv.slice(2));
	const started = performance.now();
	if (!existsSync(supabaseBin))
		throw new Error('the Supabase CLI is missing at node_modules/.bin/supabase (run npm ci)');

	const sets: (MigrationSet & { expectation?: Expectation })[] = [];
	if (options.selfTest) {
		for (const name of readdirSync(fixturesDir).sort()) {
			const dir = path.join(fixturesDir, name);
			if (!existsSync(path.join(dir, 'expect.json'))) continue;
			const expectation = JSON.parse(
				readFileSync(path.join(dir, 'expect.json'), 'utf8')
			) as Expectation;
			sets.push({ ...readSet(`fixture ${name}`, path.join(dir, 'migrations')), expectation });
		}
		if (sets.length === 0) throw new Error(`no fixtures in ${fixturesDir}`);
	}
	const real = readSet(path.relative(root, options.migrations) || '.', options.migrations);
	sets.push(real);

	const cluster = await startCluster(options.port);
	console.log(
		`upgrade check: PostgreSQL ${cluster.version} on 127.0.0.1:${cluster.port}, Supabase CLI ${path.relative(root, supabaseBin)}`
	);

	const jobs = sets.flatMap((set, setIndex) => set.files.map((_f, n) => ({ set, setIndex, n })));
	const results = await pool(jobs, options.jobs, (j) =>
		checkMigration(cluster, j.set, j.setIndex, j.n, options.verbose)
	);
	const resultsOf = (set: MigrationSet) => results.filter((_r, i) => jobs[i]!.set === set);

	let selfTestOk = true;
	if (options.selfTest) {
		console.log(`\nself-test: fixture sets in ${path.relative(root, fixturesDir)}`);
		let good = 0;
		for (const set of sets) {
			if (!set.expectation) continue;
			const rs = resultsOf(set);
			const output = rs.flatMap((r) => r.lines).join('\n');
			const outcome = rs.every((r) => r.passed) ? 'pass' : 'fail';
			const missing = set.expectation.output.filter((s) => !output.includes(s));
			const ok = outcome === set.expectation.expect && missing.length === 0;
			if (ok) good++;
			console.log(
				`${ok ? 'ok  ' : 'BAD '} ${path.basename(path.dirname(set.dir))}: expected ${set.expectation.expect}, got ${outcome}` +
					(missing.length
						? `; output lacks ${missing.map((s) => JSON.stringify(s)).join(', ')}`
						: '')
			);
			console.log(`     ${set.expectation.why}`);
			for (const line of output.split('\n')) console.log(`     | ${line}`);
		}
		const total = sets.length - 1;
		selfTestOk = good === total;
		console.log(`self-test: ${good} of ${total} fixture sets behaved as expected`);
	}

	console.log(
		`\n${real.label}: ${real.files.length} migration${real.files.length === 1 ? '' : 's'}${real.seed ? `, seed ${path.relative(root, real.seed)}` : ''}`
	);
	const realResults = resultsOf(real);
	for (const r of realResults) console.log(r.lines.join('\n'));
	const passed = realResults.filter((r) => r.passed).length;
	const failed = realResults.length - passed;
	console.log(
		`upgrades: ${passed} passed, ${failed} failed${options.selfTest ? `; self-test ${selfTestOk ? 'ok' : 'FAILED'}` : ''}`
	);
	console.log(`(${((performance.now() - started) / 1000).toFixed(1)}s)`);
	return failed === 0 && selfTestOk && realResults.length > 0 ? 0 : 1;
}

let status: number;
try {
	status = await main();
} catch (error) {
	console.error(`check-upgrades: ${(error as Error).stack ?? String(error)}`);
	status = 1;
} finally {
	cleanupNow();
}
process.exit(status);
