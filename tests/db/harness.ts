/**
 * Database-level test harness: the real migrations and seed, straight into Postgres (no HTTP),
 * on embedded PGlite or on a real PostgreSQL server.
 *
 *   TEST_DB_TARGET=pglite    (default) a fresh in-memory PGlite with pgcrypto and uuid-ossp
 *   TEST_DB_TARGET=postgres  TEST_DB_URL=postgresql://postgres@127.0.0.1:PORT/postgres
 *                            a fresh database on that server per test file, dropped at the end
 *                            (TEST_DB_KEEP=1 keeps it and prints its name)
 *
 * What a database gets, in order:
 *   1. tests/operators/supabase-platform.sql, the part between `begin;` and `commit;`
 *      (see platformScript for the two narrow adaptations), as the connecting superuser;
 *   2. every supabase/migrations/*.sql in name order, then supabase/seed.sql, each in one
 *      transaction as the role `postgres` with search_path "$user", public, extensions: the
 *      owner and search_path they get when the Supabase CLI applies them to a project.
 *
 * Why `postgres` stays a superuser here (the platform file's keep_postgres_superuser=1):
 *   - PGlite is PostgreSQL 17, which refuses to demote the bootstrap superuser
 *     (`alter role postgres nosuperuser` fails with 0A000), so only this is possible there;
 *   - on a PostgreSQL server roles are cluster-wide: demoting `postgres` would change the
 *     server for everything else using it, as a side effect of a test run.
 *   Objects are still owned by `postgres` and get the platform's default privileges for
 *   `postgres` (the grants to anon/authenticated the migration must revoke), exactly as on a
 *   hosted project. That the migrations also apply as the NON-superuser `postgres` is checked
 *   with the real CLI by scripts/check-cli-migrations.sh. If TEST_DB_URL connects as another
 *   superuser (e.g. supabase_admin on a cluster where the platform file already demoted
 *   `postgres`), migrations still run as `postgres`, then a non-superuser, like on hosted.
 *   Tests never act as `postgres` except for setup and inspection (asOwner): they
 *   `set local role anon|authenticated|service_role`, and row-level security is decided by that
 *   current role, not by the session user.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const platformFile = path.join(root, 'tests', 'operators', 'supabase-platform.sql');
const migrationsDir = path.join(root, 'supabase', 'migrations');
const seedFile = path.join(root, 'supabase', 'seed.sql');

/** The role that owns what the migrations create (the one operators connect as on Supabase). */
export const OWNER_ROLE = 'postgres';

export type Target = 'pglite' | 'postgres';
export type Row = Record<string, unknown>;

/**
 * Who a statement runs as, the way PostgREST decides it from the request's JWT:
 *   a user id      `authenticated`, claims {sub, role, email} (the email read from auth.users)
 *   null           `anon` (no session)
 *   SERVICE_ROLE   `service_role`, claims {role} (the service key: server-side tooling, operators)
 */
export const SERVICE_ROLE = { role: 'service_role' } as const;
export type Actor = string | null | typeof SERVICE_ROLE;

export interface Result<T = Row> {
	rows: T[];
	/** Rows returned (select, or DML with returning) or else rows affected (DML). */
	rowCount: number;
}

/** A statement runner inside one transaction of asUser/asOwner. */
export interface Tx {
	/**
	 * One statement. Each runs inside its own savepoint, so a refused statement (an expected
	 * 42501, say) leaves the transaction usable for the next check.
	 */
	query<T = Row>(text: string, params?: unknown[]): Promise<Result<T>>;
	/**
	 * Runs fn as the owner inside this same transaction (to see what the current user's
	 * statement really did, before the rollback), then switches back to the previous role.
	 */
	asOwner<T>(fn: () => Promise<T>): Promise<T>;
	/**
	 * Runs fn as another actor inside this same transaction (say, an invitation created by one
	 * user and accepted by another), then switches back to the previous role and claims.
	 */
	asUser<T>(actor: Actor, fn: () => Promise<T>): Promise<T>;
}

export interface TestDb {
	readonly target: Target;
	/** e.g. "PGlite (PostgreSQL 17.5)" or "PostgreSQL 15.14, database dbtest_…" */
	readonly description: string;
	/** Milliseconds spent creating the database, platform, migrations and seed. */
	readonly setupMs: number;
	/** One statement outside any transaction, as the connecting superuser (catalog queries). */
	query<T = Row>(text: string, params?: unknown[]): Promise<Result<T>>;
	/**
	 * Runs fn in a transaction as a Supabase API request would: `set local role authenticated`
	 * (or `anon` when the actor is null, `service_role` for SERVICE_ROLE) and
	 * `request.jwt.claims` = {sub, role, email}. Always rolled back.
	 */
	asUser<T>(actor: Actor, fn: (tx: Tx) => Promise<T>): Promise<T>;
	/**
	 * Runs fn in a transaction as the owner role (`postgres`), for setup: committed unless
	 * { rollback: true }.
	 */
	asOwner<T>(fn: (tx: Tx) => Promise<T>, options?: { rollback?: boolean }): Promise<T>;
	close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Connections: the two drivers behind one small interface
// ---------------------------------------------------------------------------

interface Connection {
	query<T = Row>(text: string, params?: unknown[]): Promise<Result<T>>;
	/** Several statements in one simple-protocol round trip (scripts, migrations). */
	script(text: string): Promise<void>;
	close(): Promise<void>;
}

async function openPglite(): Promise<Connection> {
	const { PGlite } = await import('@electric-sql/pglite');
	const { pgcrypto } = await import('@electric-sql/pglite/contrib/pgcrypto');
	const { uuid_ossp } = await import('@electric-sql/pglite/contrib/uuid_ossp');
	// The platform file creates both extensions (uuid-ossp, pgcrypto); PGlite needs their
	// bundles loaded up front to allow `create extension`.
	const pg = await PGlite.create({ extensions: { pgcrypto, uuid_ossp } });
	return {
		async query<T>(text: string, params: unknown[] = []) {
			const r = await pg.query<T>(text, params);
			return {
				rows: r.rows,
				rowCount: r.fields.length > 0 ? r.rows.length : (r.affectedRows ?? 0)
			};
		},
		async script(text) {
			await pg.exec(text);
		},
		close: () => pg.close()
	};
}

async function openPostgres(url: string): Promise<Connection> {
	const { default: postgres } = await import('postgres');
	// One connection: transactions are driven with plain begin/rollback statements.
	const sql = postgres(url, {
		max: 1,
		prepare: false,
		onnotice: () => {},
		connection: { application_name: 'tests/db' }
	});
	return {
		async query<T>(text: string, params: unknown[] = []) {
			const r = await sql.unsafe(text, params as never[]);
			return { rows: [...r] as T[], rowCount: r.count ?? r.length };
		},
		async script(text) {
			await sql.unsafe(text).simple();
		},
		close: () => sql.end({ timeout: 5 })
	};
}

// ---------------------------------------------------------------------------
// Building the database
// ---------------------------------------------------------------------------

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The transactional body of supabase-platform.sql, ready to run without psql.
 *
 * The file is a psql script: a preamble of meta-commands (\gset, \if) guarding against a
 * non-superuser or an already bootstrapped database, then `begin; … commit;` with every
 * statement, then the demotion of `postgres` (psql-conditional). Here the guards are done in
 * TypeScript (a superuser is required; the database is always fresh) and the demotion is
 * skipped (see the header). Two narrow adaptations to the body, both for the postgres target
 * and harmless on PGlite:
 *   - `create role X …` runs only when X does not exist yet: roles are cluster-wide, so the
 *     second database made on the same server finds them;
 *   - `… on database postgres` grants apply to the database under test instead.
 * Nothing in the body had to change for PGlite.
 */
export function platformScript(database: string): string {
	const text = readFileSync(platformFile, 'utf8');
	const begin = text.indexOf('\nbegin;\n');
	const commit = text.indexOf('\ncommit;\n', begin);
	if (begin < 0 || commit < 0) {
		throw new Error(
			`${platformFile}: no "begin;" … "commit;" block found; update tests/db/harness.ts`
		);
	}
	let body = text.slice(begin + 1, commit + '\ncommit;\n'.length);
	if (/^[ \t]*\\/m.test(body)) {
		throw new Error(
			`${platformFile}: a psql meta-command inside begin … commit; update tests/db/harness.ts`
		);
	}
	const createRoles = body.match(/^create role /gm)?.length ?? 0;
	let adapted = 0;
	body = body.replace(/^create role (\w+)\b([^;]*);/gm, (_all, name: string, rest: string) => {
		adapted++;
		return `do $role$ begin if not exists (select from pg_roles where rolname = '${name}') then create role ${name}${rest}; end if; end $role$;`;
	});
	if (adapted !== createRoles || adapted === 0) {
		throw new Error(
			`${platformFile}: expected one-line "create role" statements; update tests/db/harness.ts`
		);
	}
	return body.replace(/\bon database postgres\b/g, `on database ${quoteIdent(database)}`);
}

/** A file's SQL in one transaction as the owner role, as `supabase migration up` applies it. */
function asOwnerScript(sqlText: string): string {
	return [
		'begin;',
		`set local role ${OWNER_ROLE};`,
		'set local search_path = "$user", public, extensions;',
		sqlText,
		';',
		'commit;'
	].join('\n');
}

async function applyFile(conn: Connection, file: string, sqlText: string) {
	try {
		await conn.script(sqlText);
	} catch (error) {
		await conn.script('rollback').catch(() => {});
		const { code, message } = pgError(error);
		throw new Error(`${path.relative(root, file)} failed: ${code ?? ''} ${message}`, {
			cause: error
		});
	}
}

export function migrationFiles(): string[] {
	return readdirSync(migrationsDir)
		.filter((f) => f.endsWith('.sql'))
		.sort()
		.map((f) => path.join(migrationsDir, f));
}

async function build(conn: Connection) {
	const [{ superuser, database }] = (
		await conn.query<{ superuser: boolean; database: string }>(
			`select (select rolsuper from pg_roles where rolname = current_user) as superuser,
			        current_database() as database`
		)
	).rows as [{ superuser: boolean; database: string }];
	if (!superuser) {
		throw new Error(
			'tests/db needs a superuser connection (the platform file creates roles and schemas). ' +
				'On a cluster where supabase-platform.sql demoted postgres, connect as supabase_admin.'
		);
	}
	await applyFile(conn, platformFile, platformScript(database));
	for (const file of migrationFiles()) {
		await applyFile(conn, file, asOwnerScript(readFileSync(file, 'utf8')));
	}
	await applyFile(conn, seedFile, asOwnerScript(readFileSync(seedFile, 'utf8')));
}

export function testTarget(): Target {
	const target = process.env.TEST_DB_TARGET || 'pglite';
	if (target !== 'pglite' && target !== 'postgres') {
		throw new Error(`TEST_DB_TARGET must be "pglite" or "postgres", got "${target}"`);
	}
	return target;
}

/** Opens a fresh database with the platform, the migrations and the seed applied. */
export async function openTestDb(): Promise<TestDb> {
	const target = testTarget();
	const started = performance.now();
	let conn: Connection;
	let description: string;
	let dropDatabase = async () => {};

	if (target === 'pglite') {
		conn = await openPglite();
		description = 'PGlite';
	} else {
		const url = process.env.TEST_DB_URL;
		if (!url) {
			throw new Error(
				'TEST_DB_TARGET=postgres needs TEST_DB_URL (a superuser URL, e.g. the one ' +
					'`bash scripts/pg-cluster.sh start <dir> <port>` prints)'
			);
		}
		const name = `dbtest_${Date.now().toString(36)}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
		const admin = await openPostgres(url);
		try {
			await admin.query(`create database ${quoteIdent(name)} owner ${OWNER_ROLE}`);
		} catch (error) {
			await admin.close();
			throw error;
		}
		const dbUrl = new URL(url);
		dbUrl.pathname = `/${name}`;
		conn = await openPostgres(dbUrl.toString());
		description = `database ${name}`;
		dropDatabase = async () => {
			if (process.env.TEST_DB_KEEP === '1') {
				console.log(`tests/db: kept database ${name} (TEST_DB_KEEP=1)`);
			} else {
				await admin.query(`drop database if exists ${quoteIdent(name)} with (force)`);
			}
			await admin.close();
		};
	}

	try {
		await build(conn);
	} catch (error) {
		await conn.close().catch(() => {});
		await dropDatabase().catch(() => {});
		throw error;
	}
	const version = (await conn.query<{ v: string }>(`select current_setting('server_version') as v`))
		.rows[0]!.v;
	description =
		target === 'pglite'
			? `PGlite (PostgreSQL ${version})`
			: `PostgreSQL ${version}, ${description}`;
	return makeTestDb(conn, target, description, performance.now() - started, dropDatabase);
}

// ---------------------------------------------------------------------------
// Transactions
// ---------------------------------------------------------------------------

/**
 * The statements that make the current transaction act as `actor`: the claims PostgREST would
 * set for its JWT (read by auth.uid()/auth.jwt()), then the role. Run as the owner: the email
 * comes from auth.users.
 */
function actorStatements(actor: Actor): [string, unknown[]][] {
	const userId = typeof actor === 'string' ? actor : null;
	const role = actor === null ? 'anon' : typeof actor === 'string' ? 'authenticated' : actor.role;
	const claims = `select set_config('request.jwt.claims', json_strip_nulls(json_build_object(
			'sub', $1::text,
			'role', $2::text,
			'email', (select email from auth.users where id = $1::text::uuid)
		))::text, true)`;
	return [
		[claims, [userId, role]],
		[`set local role ${quoteIdent(role)}`, []]
	];
}

function makeTestDb(
	conn: Connection,
	target: Target,
	description: string,
	setupMs: number,
	dropDatabase: () => Promise<void>
): TestDb {
	// One connection: never let two transactions interleave, even under it.concurrent.
	let queue: Promise<unknown> = Promise.resolve();
	const serialized = <T>(work: () => Promise<T>): Promise<T> => {
		const run = queue.then(work, work);
		queue = run.catch(() => {});
		return run;
	};

	const tx: Tx = {
		async query<T>(text: string, params?: unknown[]) {
			await conn.query('savepoint tx_statement');
			try {
				const result = await conn.query<T>(text, params);
				await conn.query('release savepoint tx_statement');
				return result;
			} catch (error) {
				await conn.query('rollback to savepoint tx_statement');
				throw error;
			}
		},
		async asOwner<T>(fn: () => Promise<T>) {
			const { rows } = await conn.query<{ role: string }>('select current_user as role');
			await conn.query(`set local role ${OWNER_ROLE}`);
			try {
				return await fn();
			} finally {
				await conn.query(`set local role ${quoteIdent(rows[0]!.role)}`);
			}
		},
		async asUser<T>(actor: Actor, fn: () => Promise<T>) {
			const { rows } = await conn.query<{ role: string; claims: string | null }>(
				`select current_user as role, current_setting('request.jwt.claims', true) as claims`
			);
			// The claims are built as the owner (they read auth.users), like asUser below.
			await conn.query(`set local role ${OWNER_ROLE}`);
			for (const [statement, params] of actorStatements(actor)) await conn.query(statement, params);
			try {
				return await fn();
			} finally {
				await conn.query(`set local role ${OWNER_ROLE}`);
				await conn.query(`select set_config('request.jwt.claims', $1, true)`, [
					rows[0]!.claims ?? ''
				]);
				await conn.query(`set local role ${quoteIdent(rows[0]!.role)}`);
			}
		}
	};

	async function transaction<T>(
		prepare: string[],
		params: unknown[][],
		fn: (tx: Tx) => Promise<T>,
		commit: boolean
	) {
		return serialized(async () => {
			await conn.query('begin');
			let ok = false;
			try {
				for (const [i, statement] of prepare.entries()) await conn.query(statement, params[i]);
				const result = await fn(tx);
				ok = true;
				return result;
			} finally {
				await conn.query(ok && commit ? 'commit' : 'rollback');
			}
		});
	}

	return {
		target,
		description,
		setupMs,
		query: (text, params) => serialized(() => conn.query(text, params)),
		asUser(actor, fn) {
			const statements = actorStatements(actor);
			return transaction(
				statements.map(([statement]) => statement),
				statements.map(([, params]) => params),
				fn,
				false
			);
		},
		asOwner(fn, options = {}) {
			return transaction([`set local role ${OWNER_ROLE}`], [[]], fn, !options.rollback);
		},
		async close() {
			await serialized(() => conn.close());
			await dropDatabase();
		}
	};
}

// ---------------------------------------------------------------------------
// Assertions: a denial checked the right way
// ---------------------------------------------------------------------------

export interface PgError {
	code: string | undefined;
	message: string;
}

export function pgError(error: unknown): PgError {
	const e = error as { code?: unknown; message?: unknown };
	return {
		code: typeof e?.code === 'string' ? e.code : undefined,
		message: typeof e?.message === 'string' ? e.message : String(error)
	};
}

/** Resolves to the error the statement failed with, or fails the test if it succeeded. */
export async function expectError(attempt: Promise<unknown>, code: string): Promise<PgError> {
	let failure: unknown;
	let failed = false;
	try {
		const result = (await attempt) as Result | undefined;
		failure = result;
	} catch (error) {
		failed = true;
		failure = error;
	}
	if (!failed) {
		const rowCount = (failure as Result | undefined)?.rowCount;
		expect.fail(`expected SQLSTATE ${code}, but the statement succeeded (${rowCount ?? 0} row(s))`);
	}
	const error = pgError(failure);
	expect(error.code, `expected SQLSTATE ${code}, got ${error.code}: ${error.message}`).toBe(code);
	return error;
}

/**
 * The statement is refused with SQLSTATE 42501:
 *   'privilege'  a missing grant ("permission denied for table/column/…")
 *   'rls'        a row-level security WITH CHECK ("new row violates row-level security policy")
 *   (omitted)    either
 * A 22P02 (bad cast), 23xxx (constraint) or any other error fails the assertion.
 */
export async function expectDenied42501(
	attempt: Promise<unknown>,
	kind?: 'privilege' | 'rls'
): Promise<PgError> {
	const error = await expectError(attempt, '42501');
	if (kind === 'privilege') expect(error.message).toMatch(/^permission denied for /);
	if (kind === 'rls') expect(error.message).toMatch(/violates row-level security policy/);
	return error;
}

/**
 * The statement runs but a USING policy filters the target out: zero rows returned/affected,
 * and the target, re-read as the owner inside the same transaction, exists and is unchanged.
 * `probe` selects the target row(s) (it may use auth.uid(): the claims stay set).
 */
export async function expectFilteredOut(
	tx: Tx,
	attempt: () => Promise<Result>,
	probe: string
): Promise<void> {
	const before = await tx.asOwner(() => tx.query(probe));
	expect(
		before.rowCount,
		`the probe finds no target row, so the check proves nothing: ${probe}`
	).toBeGreaterThan(0);
	const result = await attempt();
	expect(result.rowCount, 'rows returned/affected').toBe(0);
	const after = await tx.asOwner(() => tx.query(probe));
	expect(after.rows, 'the target row, re-read as owner').toEqual(before.rows);
}
