/**
 * Benchmark 1 of issue 8, policy overhead: what row-level security costs the portal's main
 * queries at scale, against the same query run as the table owner with the equivalent `where`
 * written by hand (what an app without RLS would send after its own access check).
 *
 * It starts a throwaway PostgreSQL 15 cluster (scripts/pg-cluster.sh, port 24470, or uses
 * `dbUrl`, a superuser URL: a database `bench_policy` is made there and dropped after), builds
 * a database the way tests/db/harness.ts does (platform file, migrations, seed), loads the scale
 * seed (10,000 accounts, or 500 when quick), runs VACUUM ANALYZE (what autovacuum gives a live
 * database; right after a bulk load the first reads would also be writing hint bits), then
 * times each query for three users: a client (member) of the largest account, a staff member
 * serving 50 accounts (that one among them) and an admin (every account).
 *
 * The SQL is what PostgREST runs for the app's supabase-js calls (see restQuery): the same
 * columns, filters, order, limit and offset; embedded resources as lateral subqueries (each
 * under its own table's policies, as in PostgREST); `count: 'exact'` as a count(*) over the
 * same filters; `head: true` as that count alone. Each user's statements run in a transaction
 * set up exactly like the harness's asUser (request.jwt.claims {sub, role, email}, then
 * `set local role authenticated`); the owner's as `postgres`. Literals are inlined, so every
 * execution is planned afresh (PostgREST's statements get custom plans too); planning is part
 * of the time, as is the loopback round trip, for both sides alike. RLS and owner runs alternate
 * so that any drift of the machine affects both.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { migrationFiles, platformScript, root } from '../../tests/db/harness.ts';
import { startPgCluster, type PgCluster } from '../pg-cluster.ts';
import { loadScaleSeed, postgresExec, scaleIds, scaleSize, type Exec } from '../seed-scale.ts';
import { ms, percentiles, type BenchTable } from './table.ts';

const PORT = process.env.BENCH_POLICY_PORT ?? '24470';
const DATABASE = 'bench_policy';
const BUDGET = { ratio: 1.25, p95: 5 };
/** A sequential scan of a table larger than this is reported. */
const LARGE_TABLE = 10_000;

// ---------------------------------------------------------------------------
// The database
// ---------------------------------------------------------------------------

/** The harness's recipe, over one connection: platform as superuser, then each file as postgres. */
async function buildDatabase(exec: Exec, simple: (sql: string) => Promise<void>) {
	await simple(platformScript(DATABASE));
	const asOwner = (sql: string) =>
		`begin; set local role postgres; set local search_path = "$user", public, extensions;\n${sql}\n;commit;`;
	for (const file of [...migrationFiles(), path.join(root, 'supabase', 'seed.sql')]) {
		try {
			await simple(asOwner(readFileSync(file, 'utf8')));
		} catch (error) {
			await exec('rollback').catch(() => {});
			throw new Error(`${path.relative(root, file)} failed: ${(error as Error).message}`, {
				cause: error
			});
		}
	}
}

interface Bench {
	exec: Exec;
	close(): Promise<void>;
}

async function openBenchDatabase(serverUrl: string): Promise<Bench> {
	const admin = await postgresExec(serverUrl);
	await admin.exec(`drop database if exists ${DATABASE} with (force)`);
	await admin.exec(`create database ${DATABASE} owner postgres`);
	const url = new URL(serverUrl);
	url.pathname = `/${DATABASE}`;
	const bench = await postgresExec(url.toString(), 'bench-policy');
	await buildDatabase(bench.exec, bench.script);
	return {
		exec: bench.exec,
		async close() {
			await bench.close();
			await admin.exec(`drop database if exists ${DATABASE} with (force)`);
			await admin.close();
		}
	};
}

// ---------------------------------------------------------------------------
// PostgREST's SQL
// ---------------------------------------------------------------------------

/**
 * An embedded resource: `documents(id, name)` becomes a lateral subquery on the related table
 * (its policies apply inside, as in PostgREST), joined on the foreign key.
 */
interface Embed {
	/** The JSON key, e.g. `project` or `document_versions`. */
	as: string;
	table: string;
	columns: string;
	/** The join condition, `e` being the embedded table and `t` the parent. */
	on: string;
	/** to-one: an object (row_to_json); to-many: an array (json_agg). */
	one?: boolean;
	/** `!inner`: parent rows without a match are dropped. */
	inner?: boolean;
	/** Filters on the embedded resource (`.eq('approval_approvers.user_id', …)`). */
	where?: string[];
	embeds?: Embed[];
}

interface RestQuery {
	table: string;
	columns: string;
	where: string[];
	order?: string;
	limit?: number;
	offset?: number;
	embeds?: Embed[];
	/** `count: 'exact'`: a count(*) over the same filters beside the page. */
	count?: boolean;
	/** `head: true` with a count: only the count. */
	head?: boolean;
}

let aliasCounter = 0;

function embedSql(embed: Embed, parent: string): { join: string; column: string } {
	const alias = `e${++aliasCounter}`;
	const inner = (embed.embeds ?? []).map((child) => embedSql(child, alias));
	const on = embed.on.replaceAll('e.', `${alias}.`).replaceAll('t.', `${parent}.`);
	const where = [on, ...(embed.where ?? []).map((w) => w.replaceAll('e.', `${alias}.`))].join(
		' and '
	);
	const columns = [
		...embed.columns.split(',').map((c) => `${alias}.${c.trim()}`),
		...inner.map((i) => i.column)
	].join(', ');
	const rows = `select ${columns} from ${embed.table} ${alias} ${inner.map((i) => i.join).join(' ')} where ${where}`;
	const json = embed.one
		? `(select row_to_json(r) from (${rows}) r limit 1)`
		: `(select coalesce(json_agg(r), '[]') from (${rows}) r)`;
	const join = embed.inner
		? `join lateral (select ${json} as ${embed.as}) ${alias}_j on ${alias}_j.${embed.as}::text <> '[]'`
		: `left join lateral (select ${json} as ${embed.as}) ${alias}_j on true`;
	return { join, column: `${alias}_j.${embed.as}` };
}

/** The statement PostgREST would run for the request (see the header). */
function restSql(q: RestQuery): string {
	const where = q.where.length > 0 ? `where ${q.where.join(' and ')}` : '';
	const count = `(select count(*) from ${q.table} t ${where})`;
	if (q.head) return `select ${count} as total_result_set`;
	const embeds = (q.embeds ?? []).map((e) => embedSql(e, 't'));
	const columns = [
		...q.columns.split(',').map((c) => `t.${c.trim()}`),
		...embeds.map((e) => e.column)
	];
	const source = [
		`select ${columns.join(', ')} from ${q.table} t`,
		...embeds.map((e) => e.join),
		where,
		q.order ? `order by ${q.order}` : '',
		q.limit !== undefined ? `limit ${q.limit}` : '',
		q.offset ? `offset ${q.offset}` : ''
	].join(' ');
	return `with pgrst_source as (${source})
		select ${q.count ? count : 'null::bigint'} as total_result_set,
			count(_postgrest_t) as page_total, coalesce(json_agg(_postgrest_t), '[]')::text as body
		from (select * from pgrst_source) _postgrest_t`;
}

// ---------------------------------------------------------------------------
// The queries
// ---------------------------------------------------------------------------

type Who = 'client' | 'staff' | 'admin';

interface Context {
	who: Who;
	userId: string;
	accountId: string;
	threadId: string;
	/** The ids on the first page of the staff clients list, for account_open_items. */
	pageAccountIds: string[];
	/** The team's ids, for the staff list's names. */
	staffIds: string[];
}

interface BenchQuery {
	name: string;
	for: Who[];
	/** The request as the app makes it; RLS adds the rest. */
	request(c: Context): RestQuery;
	/** What the owner must add by hand to return the same rows (nothing for most). */
	byHand?(c: Context): string[];
	/** The owner's statement, when it is not the request plus a where (a definer function). */
	owner?(c: Context): RestQuery;
}

const q = (value: string) => `'${value.replace(/'/g, "''")}'`;
const everyone: Who[] = ['client', 'staff', 'admin'];
const staffOnly: Who[] = ['staff', 'admin'];
const PAGE = 25;
const PAGE_CONTEXT_COLUMNS =
	'business_name, primary_color, logo_path, branding_updated_at, staff_role, unread_notifications, member_account_ids, member_account_names, account_id, account_name, account_status, member_role, can_read, open_requests, pending_approvals, unread_messages';

/** Clients see no internal notes; staff and admins see all of the account's messages. */
const hideInternal = (c: Context) => (c.who === 'client' ? ['not t.internal'] : []);

const QUERIES: BenchQuery[] = [
	{
		name: 'every page: the layouts (page_context)',
		for: everyone,
		// One definer call that restates each table's policy; the owner side is what an app
		// without RLS would ask for the same answer, by hand (the badge is the same call).
		request: (c) => ({
			table: `public.page_context(${q(c.accountId)})`,
			columns: PAGE_CONTEXT_COLUMNS,
			where: []
		}),
		owner: (c) => ({
			table: `(select b.business_name, b.primary_color, b.logo_path,
				b.updated_at as branding_updated_at,
				(select s.role::text from public.staff_members s where s.user_id = ${q(c.userId)}) as staff_role,
				(select count(*)::integer from public.notifications n
					where n.user_id = ${q(c.userId)} and n.read_at is null) as unread_notifications,
				coalesce((select array_agg(a.id order by a.name, a.id) from public.account_members m
					join public.client_accounts a on a.id = m.account_id
					where m.user_id = ${q(c.userId)}), '{}') as member_account_ids,
				coalesce((select array_agg(a.name order by a.name, a.id) from public.account_members m
					join public.client_accounts a on a.id = m.account_id
					where m.user_id = ${q(c.userId)}), '{}') as member_account_names,
				a.id as account_id, a.name as account_name, a.status::text as account_status,
				(select m.role::text from public.account_members m
					where m.account_id = a.id and m.user_id = ${q(c.userId)}) as member_role,
				true as can_read,
				(select count(*)::integer from public.file_requests r
					where r.account_id = a.id and r.status = 'open') as open_requests,
				(select count(*)::integer from public.approval_approvers aa
					join public.approvals ap on ap.id = aa.approval_id
					where aa.account_id = a.id and aa.user_id = ${q(c.userId)}
						and ap.status = 'pending') as pending_approvals,
				public.unread_message_count(a.id) as unread_messages
			from public.client_accounts a
			left join public.branding b on true
			where a.id = ${q(c.accountId)})`,
			columns: PAGE_CONTEXT_COLUMNS,
			where: []
		})
	},
	{
		name: 'dashboard: unread conversations (rpc)',
		for: everyone,
		// Definer functions: no policies inside, so both sides run the same call.
		request: (c) => ({
			table: `public.thread_page(${q(c.accountId)}, 5, 0, true)`,
			columns: 'id, subject, unread_count',
			where: []
		})
	},
	{
		name: 'messages: conversations page 1 (rpc)',
		for: everyone,
		request: (c) => ({
			table: `public.thread_page(${q(c.accountId)}, ${PAGE}, 0)`,
			columns: 'id, subject, message_count, unread_count, total',
			where: []
		})
	},
	{
		name: 'dashboard: open requests',
		for: everyone,
		request: (c) => ({
			table: 'public.file_requests',
			columns: 'id, title, due_on',
			where: [`t.account_id = ${q(c.accountId)}`, `t.status = 'open'`],
			order: 't.due_on asc nulls last',
			limit: 5
		})
	},
	{
		name: 'dashboard: approvals for me',
		for: everyone,
		request: (c) => ({
			table: 'public.approvals',
			columns: 'id, title, due_on',
			where: [`t.account_id = ${q(c.accountId)}`, `t.status = 'pending'`],
			order: 't.created_at desc',
			embeds: [
				{
					as: 'approval_approvers',
					table: 'public.approval_approvers',
					columns: 'user_id',
					on: 'e.approval_id = t.id and e.account_id = t.account_id',
					where: [`e.user_id = ${q(c.userId)}`],
					inner: true
				},
				{
					as: 'approval_responses',
					table: 'public.approval_responses',
					columns: 'approver_id',
					on: 'e.approval_id = t.id and e.account_id = t.account_id'
				}
			]
		})
	},
	{
		name: 'dashboard: latest status updates',
		for: everyone,
		request: (c) => ({
			table: 'public.status_updates',
			columns: 'id, body, published_at, author_id',
			where: [`t.account_id = ${q(c.accountId)}`, 't.published_at is not null'],
			order: 't.published_at desc',
			limit: 3,
			embeds: [
				{
					as: 'project',
					table: 'public.projects',
					columns: 'id, name',
					on: 'e.id = t.project_id and e.account_id = t.account_id',
					one: true
				}
			]
		})
	},
	{
		name: 'dashboard: recent documents',
		for: everyone,
		request: (c) => ({
			table: 'public.documents',
			columns: 'id, name, size_bytes, created_at, updated_at',
			where: [`t.account_id = ${q(c.accountId)}`, 't.deleted_at is null'],
			order: 't.updated_at desc',
			limit: 5
		})
	},
	{
		name: 'documents: top-level page 1 (count)',
		for: everyone,
		request: (c) => ({
			table: 'public.documents',
			columns:
				'id, name, size_bytes, mime_type, created_at, updated_at, uploaded_by, folder_id, deleted_at, deleted_by',
			where: [`t.account_id = ${q(c.accountId)}`, 't.deleted_at is null', 't.folder_id is null'],
			order: 't.name asc, t.id asc',
			limit: PAGE,
			count: true,
			embeds: [
				{
					as: 'document_versions',
					table: 'public.document_versions',
					columns: 'document_id',
					on: 'e.document_id = t.id and e.account_id = t.account_id'
				}
			]
		})
	},
	{
		name: 'documents: trash (count, head)',
		for: everyone,
		request: (c) => ({
			table: 'public.documents',
			columns: 'id',
			where: [`t.account_id = ${q(c.accountId)}`, 't.deleted_at is not null'],
			count: true,
			head: true
		})
	},
	{
		name: 'documents: folders',
		for: everyone,
		request: (c) => ({
			table: 'public.folders',
			columns: 'id, name, parent_id',
			where: [`t.account_id = ${q(c.accountId)}`],
			order: 't.name asc'
		})
	},
	{
		name: 'thread: the thread',
		for: everyone,
		request: (c) => ({
			table: 'public.threads',
			columns: 'id, subject, created_at',
			where: [`t.id = ${q(c.threadId)}`, `t.account_id = ${q(c.accountId)}`]
		})
	},
	{
		name: 'thread: messages with attachments',
		for: everyone,
		request: (c) => ({
			table: 'public.messages',
			columns: 'id, author_id, body, internal, created_at',
			where: [`t.thread_id = ${q(c.threadId)}`, `t.account_id = ${q(c.accountId)}`],
			order: 't.created_at, t.id',
			embeds: [
				{
					as: 'attachments',
					table: 'public.message_attachments',
					columns: 'document_id',
					on: 'e.message_id = t.id and e.account_id = t.account_id',
					embeds: [
						{
							as: 'document',
							table: 'public.documents',
							columns: 'id, name, size_bytes, deleted_at',
							on: 'e.id = t.document_id and e.account_id = t.account_id',
							one: true
						}
					]
				}
			]
		}),
		byHand: hideInternal
	},
	{
		name: 'thread: attachable documents (500)',
		for: everyone,
		request: (c) => ({
			table: 'public.documents',
			columns: 'id, name, size_bytes',
			where: [`t.account_id = ${q(c.accountId)}`, 't.deleted_at is null'],
			order: 't.name, t.id',
			limit: 500,
			embeds: [
				{
					as: 'folder',
					table: 'public.folders',
					columns: 'name',
					on: 'e.id = t.folder_id and e.account_id = t.account_id',
					one: true
				}
			]
		})
	},
	{
		// No count (src/lib/server/activity.ts): one row past the page says whether more follow.
		name: 'activity: page 1 (and one more)',
		for: everyone,
		request: (c) => ({
			table: 'public.activity_log',
			columns: 'id, actor_id, action, subject_user_id, details, created_at',
			where: [`t.account_id = ${q(c.accountId)}`],
			order: 't.created_at desc, t.id desc',
			limit: PAGE + 1
		}),
		// A member sees no invitations (the policy's member branch).
		byHand: (c) => (c.who === 'client' ? [`t.action !~ '^invitation\\.'`] : [])
	},
	{
		name: 'staff: clients page 1 (count)',
		for: staffOnly,
		request: () => ({
			table: 'public.client_accounts',
			columns: 'id, name, status',
			where: [`t.status = 'active'`],
			order: 't.name, t.id',
			limit: PAGE,
			count: true,
			embeds: [
				{
					as: 'account_members',
					table: 'public.account_members',
					columns: 'user_id',
					on: 'e.account_id = t.id'
				}
			]
		}),
		byHand: (c) =>
			c.who === 'staff'
				? [
						`t.id in (select account_id from public.staff_assignments where staff_user_id = ${q(c.userId)})`
					]
				: []
	},
	{
		name: 'staff: open items of the page',
		for: staffOnly,
		request: (c) => ({
			table: 'public.account_open_items',
			columns:
				'account_id, open_requests, overdue_requests, submitted_requests, pending_approvals, last_activity_at',
			where: [`t.account_id in (${c.pageAccountIds.map(q).join(', ')})`]
		})
	},
	{
		name: 'staff: names of the team',
		for: staffOnly,
		request: (c) => ({
			table: 'public.profiles',
			columns: 'id, display_name, email',
			where: [`t.id in (${c.staffIds.map(q).join(', ')})`]
		})
	}
];

// ---------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------

/** The harness's asUser setup: claims first (read as the owner), then the role. */
async function becomeUser(exec: Exec, userId: string) {
	await exec(`set local role postgres`);
	await exec(`select set_config('request.jwt.claims', json_strip_nulls(json_build_object(
		'sub', ${q(userId)}::text, 'role', 'authenticated',
		'email', (select email from auth.users where id = ${q(userId)}::uuid)))::text, true)`);
	await exec(`set local role authenticated`);
}

async function timed(exec: Exec, sql: string): Promise<number> {
	const started = performance.now();
	await exec(sql);
	return performance.now() - started;
}

interface Measured {
	rls: number[];
	owner: number[];
	rlsRows: unknown;
	ownerRows: unknown;
}

/** Warm-up, then `runs` alternating RLS / owner executions in one transaction (rolled back). */
async function measure(
	exec: Exec,
	c: Context,
	rlsSql: string,
	ownerSql: string,
	runs: number
): Promise<Measured> {
	const result: Measured = { rls: [], owner: [], rlsRows: null, ownerRows: null };
	await exec('begin');
	try {
		for (let i = -3; i < runs; i++) {
			await becomeUser(exec, c.userId);
			const rls = await timed(exec, rlsSql);
			await exec('set local role postgres');
			const owner = await timed(exec, ownerSql);
			if (i >= 0) {
				result.rls.push(rls);
				result.owner.push(owner);
			}
		}
		// The two must answer alike, or the comparison means nothing.
		await becomeUser(exec, c.userId);
		result.rlsRows = (await exec(rlsSql)).rows;
		await exec('set local role postgres');
		result.ownerRows = (await exec(ownerSql)).rows;
	} finally {
		await exec('rollback');
	}
	return result;
}

/**
 * What a statement answered, comparable across plans: a request without an order may list its
 * rows in any order, so they are sorted first.
 */
function canonical(rows: unknown, request: RestQuery): string {
	const [first] = rows as { total_result_set?: unknown; body?: string }[];
	if (!first?.body || request.order) return JSON.stringify(rows);
	const body = (JSON.parse(first.body) as unknown[]).map((row) => JSON.stringify(row)).toSorted();
	return JSON.stringify({ total: first.total_result_set, body });
}

/** Sequential scans on large tables in the RLS query's plan (EXPLAIN, FORMAT JSON, no ANALYZE). */
async function largeSeqScans(
	exec: Exec,
	c: Context,
	sql: string,
	sizes: Map<string, number>
): Promise<string[]> {
	await exec('begin');
	try {
		await becomeUser(exec, c.userId);
		const { rows } = await exec(`explain (format json) ${sql}`);
		const plan = (rows[0] as Record<string, unknown>)['QUERY PLAN'];
		const found = new Set<string>();
		const walk = (node: Record<string, unknown>) => {
			if (node['Node Type'] === 'Seq Scan') {
				const name = `${node['Schema'] ?? 'public'}.${node['Relation Name']}`;
				if ((sizes.get(name) ?? 0) > LARGE_TABLE) found.add(String(node['Relation Name']));
			}
			for (const child of (node['Plans'] as Record<string, unknown>[] | undefined) ?? [])
				walk(child);
		};
		walk((plan as { Plan: Record<string, unknown> }[])[0]!.Plan);
		return [...found];
	} finally {
		await exec('rollback');
	}
}

async function tableSizes(exec: Exec): Promise<Map<string, number>> {
	const { rows } =
		await exec(`select n.nspname || '.' || c.relname as name, c.reltuples::bigint as n
		from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where c.relkind = 'r' and n.nspname in ('public', 'private', 'auth', 'storage')`);
	return new Map(rows.map((r) => [String(r.name), Number(r.n)]));
}

/** The three users and what their pages are about, picked from the loaded seed. */
async function contexts(exec: Exec, accounts: number): Promise<Context[]> {
	const size = scaleSize(accounts);
	const accountId = scaleIds.account(1);
	// The account's longest conversation: the heaviest thread page it has.
	const { rows: threads } = await exec(`select thread_id from public.messages
		where account_id = ${q(accountId)} group by thread_id order by count(*) desc, thread_id limit 1`);
	const { rows: team } = await exec(`select user_id from public.staff_members order by user_id`);
	const base = {
		accountId,
		threadId: String(threads[0]!.thread_id),
		staffIds: team.map((r) => String(r.user_id))
	};
	const users: [Who, string][] = [
		// The second client of the largest account: a member, also in a second account.
		['client', scaleIds.client(2)],
		// Staff 1 serves account 1 and 49 more.
		['staff', scaleIds.staff(1)],
		['admin', scaleIds.admin(size)]
	];
	const result: Context[] = [];
	for (const [who, userId] of users) {
		// The first page of their clients list, as the owner would compute it.
		const served =
			who === 'staff'
				? `and id in (select account_id from public.staff_assignments where staff_user_id = ${q(userId)})`
				: '';
		const { rows } = await exec(`select id from public.client_accounts
			where status = 'active' ${served} order by name, id limit ${PAGE}`);
		result.push({ ...base, who, userId, pageAccountIds: rows.map((r) => String(r.id)) });
	}
	return result;
}

// ---------------------------------------------------------------------------
// The benchmark
// ---------------------------------------------------------------------------

export async function policyOverhead(opts: {
	quick: boolean;
	dbUrl?: string;
}): Promise<BenchTable> {
	const accounts = opts.quick ? 500 : 10_000;
	const runs = opts.quick ? 20 : 50;
	let cluster: PgCluster | null = null;
	const serverUrl = opts.dbUrl ?? (cluster = startPgCluster(PORT, 'bench-policy')).url;
	let bench: Bench | null = null;
	try {
		bench = await openBenchDatabase(serverUrl);
		const { exec } = bench;
		const loadStarted = performance.now();
		const loaded = await loadScaleSeed(exec, { accounts, verify: false });
		const loadSeconds = (performance.now() - loadStarted) / 1000;
		await exec('vacuum analyze');
		const { rows: version } = await exec(`select current_setting('server_version') as v`);
		return await runQueries(exec, {
			accounts,
			runs,
			loadSeconds,
			loadedRows: loaded.reduce((sum, t) => sum + t.rows, 0),
			version: String(version[0]!.v)
		});
	} finally {
		await bench?.close().catch(() => {});
		cluster?.stop();
	}
}

interface RunInfo {
	accounts: number;
	runs: number;
	loadSeconds: number;
	loadedRows: number;
	version: string;
}

/** Times every query for every user it is for; exported for a run against a loaded database. */
export async function runQueries(exec: Exec, info: RunInfo): Promise<BenchTable> {
	const sizes = await tableSizes(exec);
	const users = await contexts(exec, info.accounts);
	const rows: string[][] = [];
	const misses: string[] = [];
	const scans: string[] = [];
	const mismatches: string[] = [];
	for (const query of QUERIES) {
		for (const c of users.filter((u) => query.for.includes(u.who))) {
			const request = query.request(c);
			const rlsSql = restSql(request);
			const ownerSql = restSql(
				query.owner?.(c) ?? {
					...request,
					where: [...request.where, ...(query.byHand?.(c) ?? [])]
				}
			);
			const m = await measure(exec, c, rlsSql, ownerSql, info.runs);
			const rls = percentiles(m.rls);
			const owner = percentiles(m.owner);
			const ratio = rls.median / owner.median;
			const seq = await largeSeqScans(exec, c, rlsSql, sizes);
			const ok = ratio <= BUDGET.ratio && rls.p95 <= BUDGET.p95;
			if (!ok) misses.push(`${query.name} (${c.who})`);
			if (seq.length > 0) scans.push(`${query.name} (${c.who}): ${seq.join(', ')}`);
			if (canonical(m.rlsRows, request) !== canonical(m.ownerRows, request)) {
				mismatches.push(`${query.name} (${c.who})`);
			}
			rows.push([
				query.name,
				c.who,
				ms(rls.median),
				ms(rls.p95),
				ms(owner.median),
				ms(owner.p95),
				ratio.toFixed(2),
				`${rls.median - owner.median >= 0 ? '+' : ''}${ms(rls.median - owner.median)}`,
				seq.join(', ') || '-',
				ok ? 'yes' : 'NO'
			]);
		}
	}
	const notes = [
		`PostgreSQL ${info.version}, ${info.accounts.toLocaleString('en')} accounts${
			info.loadedRows > 0
				? `: ${info.loadedRows.toLocaleString('en')} rows loaded in ${info.loadSeconds.toFixed(0)} s, then VACUUM ANALYZE`
				: ' (a database loaded before)'
		}; ${info.runs} runs per query and side, after 3 warm-up runs; times include planning and the loopback round trip.`,
		`Budget: RLS p95 ≤ ${BUDGET.p95} ms and RLS/owner median ratio ≤ ${BUDGET.ratio}. ${misses.length === 0 ? 'Every query meets it.' : `Missed by ${misses.length} of ${rows.length}: ${misses.join('; ')}.`}`,
		'"+ms" is the median RLS time minus the owner\'s: the policies\' helpers cost about 0.1 to 0.3 ms per statement whatever the query, which alone exceeds the ratio budget for the queries that take 0.2 ms by hand.',
		"Client: a member of the largest account (also in a second one); staff: serves 50 accounts, that one among them; admin: every account. Owner side: the same statement as postgres, plus by hand what RLS would have hidden (internal notes and invitations from a client, other people's notifications, other staff's accounts).",
		scans.length === 0
			? `No sequential scan of a table over ${LARGE_TABLE.toLocaleString('en')} rows in any RLS plan (top level; the private helpers are security definer functions, planned on their own).`
			: `Sequential scans of tables over ${LARGE_TABLE.toLocaleString('en')} rows: ${scans.join('; ')}.`,
		mismatches.length === 0
			? 'Both sides returned the same rows for every query.'
			: `Different rows under RLS and by hand (the comparison is off): ${mismatches.join('; ')}.`
	];
	return {
		title: `1. Policy overhead (PostgreSQL ${info.version.split(' ')[0]}, ${info.accounts.toLocaleString('en')} accounts)`,
		columns: [
			'Query',
			'User',
			'RLS median',
			'RLS p95',
			'Owner median',
			'Owner p95',
			'Ratio',
			'+ms',
			'Seq scans',
			'In budget'
		],
		rows,
		notes,
		withinBudget: misses.length === 0 && mismatches.length === 0
	};
}
