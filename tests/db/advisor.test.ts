/**
 * Advisor checks of our own, as catalog queries (no extensions, so they run on PGlite too):
 * the mistakes Supabase's security and performance advisors look for, and DESIGN.md's policy
 * conventions. Each check returns a list of findings naming the offending object, and the
 * schema must have none.
 *
 * Every check is also run once against a violation planted for the occasion (in a transaction
 * that is rolled back), so a check that silently finds nothing cannot pass for a clean schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type Result, type TestDb, type Tx } from './harness';

/** Schemas the Data API exposes (supabase/config.toml [api] schemas). */
const EXPOSED = ['public'];
/** Schemas whose functions must pin their search_path. */
const OUR_FUNCTION_SCHEMAS = ['public', 'private'];
/** Schemas holding policies we write (storage.objects carries the documents-bucket ones). */
const POLICY_SCHEMAS = ['public', 'storage'];

/**
 * Security definer functions in an exposed schema that the API roles may execute on purpose:
 * the reviewed entry points of 20261129020000_invitations_roles_activity.sql (tested as real
 * users in invitations.test.ts) and 20261129040000_portal_content.sql (content.test.ts). Each
 * checks its caller itself, with the helpers the policies use. The check below flags any other
 * such function, and any of these granted to more roles than listed here.
 */
/** Tables anon may read (SELECT only: any other privilege is still a finding), and why. */
const REVIEWED_ANON_READS: Record<string, string> = {
	'public.branding':
		"the business's name, colour and logo path: public by nature, shown on the sign-in page; its policy lets anon read and admins alone change it"
};

const REVIEWED_ENTRY_POINTS: Record<string, { roles: string; why: string }> = {
	'public.create_invitation(p_account_id uuid, p_email text, p_role text)': {
		roles: 'authenticated',
		why: "refuses all but the account's owners and serving staff (not_allowed); the table takes no API writes"
	},
	'public.create_staff_invitation(p_email text, p_role text)': {
		roles: 'authenticated',
		why: 'refuses all but admins (not_allowed)'
	},
	'public.resend_invitation(p_invitation_id uuid)': {
		roles: 'authenticated',
		why: 'only who may manage the invitation; anyone else gets invitation_not_found (no oracle)'
	},
	'public.revoke_invitation(p_invitation_id uuid)': {
		roles: 'authenticated',
		why: 'only who may manage the invitation; anyone else gets invitation_not_found (no oracle)'
	},
	'public.accept_invitation(p_token text)': {
		roles: 'authenticated',
		why: 'needs the token and a signed-in user whose confirmed auth.users email is the invited one'
	},
	'public.invitation_preview(p_token text)': {
		roles: 'anon, authenticated',
		why: 'the accept page before sign-in: shows one invitation, only to a holder of its token'
	},
	'public.record_document_access(p_version_id uuid, p_kind text)': {
		roles: 'authenticated',
		why:
			'appends one activity row (viewed/downloaded) for a version the caller can read; anyone ' +
			'else, billing users included, gets document_not_found (no oracle); definer only to write the log'
	},
	'public.thread_summaries(p_account_id uuid)': {
		roles: 'authenticated',
		why:
			'returns nothing for an account the caller cannot read, and counts internal notes only for ' +
			'serving staff, as the policies do; definer because @supabase/lite cannot run an invoker ' +
			'set-returning function that reads auth.uid()'
	},
	'public.page_context(p_account_id uuid)': {
		roles: 'authenticated',
		why:
			'what the layouts show, in one call: the caller’s own staff role, notifications and ' +
			'memberships, and an account only if they may see it, its counts only if they may read ' +
			'it (each part restates its table’s policy; tests/db/page-context.test.ts compares ' +
			'them for every actor); definer for the same @supabase/lite reason'
	},
	'public.unread_message_count(p_account_id uuid, p_cap integer)': {
		roles: 'authenticated',
		why:
			'the Messages badge: 0 for an account the caller cannot read, internal notes only for ' +
			'serving staff, as thread_summaries (whose unread counts it sums, capped); definer for ' +
			'the same @supabase/lite reason'
	},
	'public.thread_page(p_account_id uuid, p_limit integer, p_offset integer, p_unread_only boolean)':
		{
			roles: 'authenticated',
			why:
				'one page of thread_summaries (the same rows and counts, tested): nothing for an account ' +
				'the caller cannot read, internal notes only for serving staff; definer for the same ' +
				'@supabase/lite reason'
		},
	'public.mark_notifications_read(p_before timestamp with time zone)': {
		roles: 'authenticated',
		why: "sets read_at on the caller's own notifications only (user_id = auth.uid()), nothing else"
	},
	'public.unsubscribe_preview(p_token uuid)': {
		roles: 'anon, authenticated',
		why:
			'the one-click unsubscribe page, signed out: shows the address and choices of the one ' +
			'person whose random token (122 bits, private.unsubscribe_tokens) is given; nothing without it'
	},
	'public.unsubscribe(p_token uuid, p_kind text)': {
		roles: 'anon, authenticated',
		why:
			"turns email off for the token's owner only (never on), as every email's unsubscribe link " +
			'promises; an unknown token changes nothing and returns false'
	}
};

/**
 * Columns a policy reads that need no index of their own: flags the policy only ever tests
 * together with `account_id in (…)`, whose index finds the rows; an index led by a boolean
 * or a mostly-null timestamp would not be used. The check below flags any other unindexed
 * policy column, and an entry here that is indexed or no longer read (a stale list).
 */
const REVIEWED_UNINDEXED_POLICY_COLUMNS: Record<string, string> = {
	'public.documents.deleted_at':
		'"edit as writer, restore as serving staff": deleted_at is null, beside account_id',
	'public.messages.internal':
		'read/write policies: not internal, beside account_id (a boolean: an index would not be used)',
	'public.status_updates.published_at':
		'published_at is not null / is null, beside account_id (indexed as (account_id, published_at))'
};

type Query = <T>(text: string, params?: unknown[]) => Promise<Result<T>>;

interface Plant {
	/** Statements (separated by `;` and a newline) run inside a rolled-back transaction. */
	sql: string;
	/** What the check must then report. */
	finding: RegExp;
}

interface Check {
	name: string;
	run: (q: Query) => Promise<string[]>;
	/** Violations planted one at a time, each with what must be reported. */
	plant: Plant | Plant[];
}

// ---------------------------------------------------------------------------
// Reading policy expressions
// ---------------------------------------------------------------------------

/**
 * Calls of auth.uid()/auth.jwt()/auth.role()/auth.email() in a deparsed policy expression that
 * are not the whole target of a scalar sub-select. `(select auth.uid())` deparses as
 * `( SELECT auth.uid() AS uid)` and is evaluated once per statement (an initPlan); a bare
 * call runs for every row. Read the expression with search_path = pg_catalog, so that the
 * deparser always writes the `auth.` prefix.
 */
export function unwrappedAuthCalls(expression: string | null): string[] {
	if (!expression) return [];
	const found: string[] = [];
	for (const m of expression.matchAll(/\bauth\.(uid|jwt|role|email)\(\)/g)) {
		const before = expression.slice(0, m.index);
		if (!/\(\s*SELECT\s+\(*\s*$/i.test(before)) found.push(m[0]);
	}
	return found;
}

/**
 * Attribute numbers of the policy's own table that a stored policy expression (pg_policy
 * polqual/polwithcheck, a pg_node_tree) reads. In a policy expression the table is range-table
 * entry 1; inside sub-selects a Var points at it when its varlevelsup equals the nesting depth
 * (Vars of a sub-select's own tables have varlevelsup 0 there).
 */
export function policyTableColumns(tree: string | null): number[] {
	const columns = new Set<number>();
	if (!tree) return [];
	const stack: string[] = [];
	let depth = 0;
	for (let i = 0; i < tree.length; i++) {
		const ch = tree[i];
		if (ch === '\\') {
			i++;
		} else if (ch === '{') {
			const name = /^[A-Z_]+/.exec(tree.slice(i + 1, i + 64))?.[0] ?? '';
			stack.push(name);
			if (name === 'QUERY') depth++;
			if (name === 'VAR') {
				const body = tree.slice(i, tree.indexOf('}', i));
				const field = (f: string) => Number(new RegExp(`:${f} (-?\\d+)`).exec(body)?.[1]);
				if (field('varno') === 1 && field('varlevelsup') === depth && field('varattno') > 0) {
					columns.add(field('varattno'));
				}
			}
		} else if (ch === '}') {
			if (stack.pop() === 'QUERY') depth--;
		}
	}
	return [...columns].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------

const checks: Check[] = [
	{
		name: 'every table in an exposed schema has row-level security enabled',
		async run(q) {
			const { rows } = await q<{ name: string }>(
				`select format('%I.%I', n.nspname, c.relname) as name
				   from pg_class c join pg_namespace n on n.oid = c.relnamespace
				  where n.nspname = any($1::text[]) and c.relkind in ('r', 'p') and not c.relrowsecurity
				  order by 1`,
				[EXPOSED]
			);
			return rows.map((r) => `${r.name}: row-level security is off`);
		},
		plant: { sql: `create table public.canary_no_rls (id int)`, finding: /^public\.canary_no_rls:/ }
	},
	{
		name: 'policies call auth.uid()/auth.jwt()/auth.role() only inside (select …)',
		async run(q) {
			const { rows } = await q<{
				tbl: string;
				policy: string;
				qual: string | null;
				with_check: string | null;
			}>(
				`select format('%I.%I', schemaname, tablename) as tbl, policyname as policy, qual, with_check
				   from pg_policies where schemaname = any($1::text[]) order by 1, 2`,
				[POLICY_SCHEMAS]
			);
			return rows.flatMap((r) =>
				(['qual', 'with_check'] as const).flatMap((part) =>
					unwrappedAuthCalls(r[part]).map(
						(call) =>
							`${r.tbl} policy "${r.policy}" (${part === 'qual' ? 'using' : 'with check'}): ${call} not wrapped in (select …)`
					)
				)
			);
		},
		plant: {
			sql: `create policy canary_unwrapped on public.documents for select to authenticated
			      using (uploaded_by = auth.uid())`,
			finding: /^public\.documents policy "canary_unwrapped" \(using\): auth\.uid\(\) not wrapped/
		}
	},
	{
		name: 'no security definer function in an exposed schema is executable by anon or authenticated, but the reviewed entry points',
		async run(q) {
			const { rows } = await q<{ fn: string; roles: string }>(
				`select format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as fn,
				        concat_ws(', ',
				          case when has_function_privilege('anon', p.oid, 'execute') then 'anon' end,
				          case when has_function_privilege('authenticated', p.oid, 'execute') then 'authenticated' end
				        ) as roles
				   from pg_proc p join pg_namespace n on n.oid = p.pronamespace
				  where n.nspname = any($1::text[]) and p.prosecdef
				    and (has_function_privilege('anon', p.oid, 'execute')
				         or has_function_privilege('authenticated', p.oid, 'execute'))
				  order by 1`,
				[EXPOSED]
			);
			const findings = rows.flatMap((r) => {
				const reviewed = REVIEWED_ENTRY_POINTS[r.fn];
				if (!reviewed) return [`${r.fn}: security definer, executable by ${r.roles}`];
				if (reviewed.roles !== r.roles)
					return [
						`${r.fn}: security definer, executable by ${r.roles} (reviewed for ${reviewed.roles} only)`
					];
				return [];
			});
			// A reviewed entry point that is gone (or renamed) leaves a stale list: say so.
			const seen = new Set(rows.map((r) => r.fn));
			for (const fn of Object.keys(REVIEWED_ENTRY_POINTS)) {
				if (!seen.has(fn))
					findings.push(
						`${fn}: listed as a reviewed entry point, but not an executable security definer function`
					);
			}
			return findings;
		},
		plant: [
			{
				sql: `create function public.canary_definer() returns int
				      language sql security definer set search_path = '' as 'select 1'`,
				finding: /^public\.canary_definer\(\): security definer, executable by anon, authenticated$/
			},
			{
				sql: `grant execute on function public.create_invitation(uuid, text, text) to anon`,
				finding:
					/^public\.create_invitation\(p_account_id uuid, p_email text, p_role text\): security definer, executable by anon, authenticated \(reviewed for authenticated only\)$/
			},
			{
				sql: `revoke execute on function public.invitation_preview(text) from anon, authenticated`,
				finding:
					/^public\.invitation_preview\(p_token text\): listed as a reviewed entry point, but not/
			}
		]
	},
	{
		name: 'every function in public and private pins its search_path',
		async run(q) {
			const { rows } = await q<{ fn: string }>(
				`select format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as fn
				   from pg_proc p join pg_namespace n on n.oid = p.pronamespace
				  where n.nspname = any($1::text[])
				    and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search_path=%')
				    and not exists (select 1 from pg_depend d
				                     where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
				  order by 1`,
				[OUR_FUNCTION_SCHEMAS]
			);
			return rows.map((r) => `${r.fn}: no fixed search_path (add "set search_path = ''")`);
		},
		plant: {
			sql: `create function private.canary_path() returns int language sql as 'select 1'`,
			finding: /^private\.canary_path\(\): no fixed search_path/
		}
	},
	{
		name: 'every foreign key is covered by an index on its leading column(s)',
		async run(q) {
			const { rows } = await q<{ tbl: string; fk: string; cols: string }>(
				`select format('%I.%I', n.nspname, t.relname) as tbl, c.conname as fk,
				        (select string_agg(a.attname, ', ' order by k.i)
				           from unnest(c.conkey) with ordinality k(attnum, i)
				           join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum) as cols
				   from pg_constraint c
				   join pg_class t on t.oid = c.conrelid
				   join pg_namespace n on n.oid = t.relnamespace
				  where c.contype = 'f' and n.nspname = any($1::text[])
				    and not exists (
				      select 1 from pg_index i
				       where i.indrelid = c.conrelid and i.indpred is null
				         and i.indnkeyatts >= cardinality(c.conkey)
				         and (select array_agg(i.indkey[g]::int order by i.indkey[g]::int)
				                from generate_series(0, cardinality(c.conkey) - 1) g)
				           = (select array_agg(k::int order by k::int) from unnest(c.conkey) k))
				  order by 1, 2`,
				[EXPOSED]
			);
			return rows.map(
				(r) => `${r.tbl} foreign key ${r.fk} (${r.cols}): no index starts with these columns`
			);
		},
		plant: {
			sql: `create table public.canary_fk (id int primary key,
			        account_id uuid references public.client_accounts (id))`,
			finding: /^public\.canary_fk foreign key canary_fk_account_id_fkey \(account_id\): no index/
		}
	},
	{
		name: 'every column a policy on an exposed table reads is the leading column of an index',
		async run(q) {
			const { rows: policies } = await q<{
				rel: string;
				tbl: string;
				policy: string;
				qual: string | null;
				wc: string | null;
			}>(
				`select p.polrelid::text as rel, format('%I.%I', n.nspname, c.relname) as tbl, p.polname as policy,
				        p.polqual::text as qual, p.polwithcheck::text as wc
				   from pg_policy p join pg_class c on c.oid = p.polrelid
				   join pg_namespace n on n.oid = c.relnamespace
				  where n.nspname = any($1::text[]) order by 2, 3`,
				[EXPOSED]
			);
			const findings: string[] = [];
			const reviewedSeen = new Set<string>();
			for (const p of policies) {
				const attnums = [...new Set([...policyTableColumns(p.qual), ...policyTableColumns(p.wc)])];
				if (attnums.length === 0) continue;
				const { rows } = await q<{ col: string }>(
					`select a.attname as col from pg_attribute a
					  where a.attrelid = $1::text::oid and a.attnum = any($2::int[])
					    and not exists (select 1 from pg_index i where i.indrelid = a.attrelid
					                     and i.indpred is null and i.indkey[0] = a.attnum)
					  order by a.attnum`,
					[p.rel, attnums]
				);
				for (const r of rows) {
					const column = `${p.tbl}.${r.col}`;
					if (column in REVIEWED_UNINDEXED_POLICY_COLUMNS) reviewedSeen.add(column);
					else findings.push(`${column} (policy "${p.policy}"): no index starts with it`);
				}
			}
			for (const column of Object.keys(REVIEWED_UNINDEXED_POLICY_COLUMNS)) {
				if (!reviewedSeen.has(column))
					findings.push(
						`${column}: listed as reviewed, but no policy reads it unindexed (remove it from the list)`
					);
			}
			return findings;
		},
		plant: [
			{
				sql: `create policy canary_column on public.documents for select to authenticated
				      using (mime_type = 'text/plain')`,
				finding: /^public\.documents\.mime_type \(policy "canary_column"\): no index/
			},
			{
				sql: `create index canary_internal_idx on public.messages (internal)`,
				finding: /^public\.messages\.internal: listed as reviewed, but no policy reads it unindexed/
			}
		]
	},
	{
		name: 'every account_id / *user_id column in an exposed schema is the leading column of an index',
		async run(q) {
			const { rows } = await q<{ name: string }>(
				`select format('%I.%I.%I', n.nspname, c.relname, a.attname) as name
				   from pg_attribute a
				   join pg_class c on c.oid = a.attrelid
				   join pg_namespace n on n.oid = c.relnamespace
				  where n.nspname = any($1::text[]) and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
				    and (a.attname = 'account_id' or a.attname like '%user\\_id')
				    and not exists (select 1 from pg_index i where i.indrelid = a.attrelid
				                     and i.indpred is null and i.indkey[0] = a.attnum)
				  order by 1`,
				[EXPOSED]
			);
			return rows.map((r) => `${r.name}: no index starts with it`);
		},
		plant: {
			sql: `create table public.canary_scoped (id int primary key, account_id uuid, user_id uuid)`,
			finding: /^public\.canary_scoped\.(account_id|user_id): no index/
		}
	},
	{
		name: 'no view in an exposed schema reads auth.users (directly or through other views)',
		async run(q) {
			const { rows } = await q<{ name: string }>(
				`with recursive edges(view_oid, ref_oid) as (
				   select r.ev_class, d.refobjid
				     from pg_rewrite r
				     join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
				    where d.refclassid = 'pg_class'::regclass and d.refobjid <> r.ev_class
				 ), reaches(view_oid) as (
				   select view_oid from edges where ref_oid = 'auth.users'::regclass
				   union
				   select e.view_oid from edges e join reaches x on e.ref_oid = x.view_oid
				 )
				 select format('%I.%I', n.nspname, c.relname) as name
				   from reaches x join pg_class c on c.oid = x.view_oid
				   join pg_namespace n on n.oid = c.relnamespace
				  where n.nspname = any($1::text[]) and c.relkind in ('v', 'm')
				  order by 1`,
				[EXPOSED]
			);
			return rows.map((r) => `${r.name}: exposes auth.users`);
		},
		plant: {
			sql: `create view public.canary_emails as select id, email from auth.users;
			      create view public.canary_emails_too as select email from public.canary_emails`,
			finding: /^public\.canary_emails_too: exposes auth\.users$/
		}
	},
	{
		name: 'anon holds no privileges on tables, views or sequences in an exposed schema',
		async run(q) {
			const { rows } = await q<{ name: string; kind: string }>(
				`select format('%I.%I', n.nspname, c.relname) as name, c.relkind::text as kind
				   from pg_class c join pg_namespace n on n.oid = c.relnamespace
				  where n.nspname = any($1::text[])
				    and case when c.relkind = 'S'
				             then has_sequence_privilege('anon', c.oid, 'usage, select, update')
				             -- a reviewed table may grant anon SELECT, and nothing else
				             when format('%I.%I', n.nspname, c.relname) = any($2::text[])
				             then has_table_privilege('anon', c.oid,
				                    'insert, update, delete, truncate, references, trigger')
				                  or has_any_column_privilege('anon', c.oid, 'insert, update, references')
				             else has_table_privilege('anon', c.oid,
				                    'select, insert, update, delete, truncate, references, trigger')
				                  or has_any_column_privilege('anon', c.oid, 'select, insert, update, references')
				        end
				    and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
				  order by 1`,
				[EXPOSED, Object.keys(REVIEWED_ANON_READS)]
			);
			return rows.map((r) => `${r.name}: anon holds privileges on it`);
		},
		plant: [
			{
				sql: `grant select (name) on public.documents to anon`,
				finding: /^public\.documents: anon holds/
			},
			{
				sql: `grant update (business_name) on public.branding to anon`,
				finding: /^public\.branding: anon holds/
			}
		]
	}
];

// ---------------------------------------------------------------------------

let db: TestDb;

beforeAll(async () => {
	db = await openTestDb();
	console.log(`tests/db: ${db.description} ready in ${(db.setupMs / 1000).toFixed(1)} s`);
});

afterAll(async () => {
	await db?.close();
});

const asQuery =
	(tx: Tx): Query =>
	(text, params) =>
		tx.query(text, params);

/**
 * Runs fn as the owner in a rolled-back transaction with search_path = pg_catalog: deparsed
 * expressions (pg_policies) and names then always carry their schema. (With `auth` on the
 * search_path, as supabase_admin has it, auth.uid() would deparse as a bare uid().)
 */
function inCatalogTx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
	return db.asOwner(
		async (tx) => {
			await tx.query('set local search_path = pg_catalog');
			return fn(tx);
		},
		{ rollback: true }
	);
}

describe('advisor', () => {
	for (const check of checks) {
		describe(check.name, () => {
			it('finds nothing in the migrated schema', async () => {
				const findings = await inCatalogTx((tx) => check.run(asQuery(tx)));
				expect(findings).toEqual([]);
			});

			const plants = Array.isArray(check.plant) ? check.plant : [check.plant];
			plants.forEach((plant, i) => {
				const which = plants.length > 1 ? ` (${i + 1} of ${plants.length})` : '';
				it(`reports a planted violation by name${which}`, async () => {
					const findings = await inCatalogTx(async (tx) => {
						for (const statement of plant.sql.split(/;\s*\n/)) await tx.query(statement);
						return check.run(asQuery(tx));
					});
					expect(findings).toEqual(expect.arrayContaining([expect.stringMatching(plant.finding)]));
				});
			});
		});
	}
});

describe('policy expression readers', () => {
	it("attribute the migrated policies' columns to their own table only", async () => {
		const { rows } = await inCatalogTx((tx) =>
			tx.query<{
				tbl: string;
				policy: string;
				qual: string | null;
				wc: string | null;
				cols: string[];
			}>(
				`select c.relname as tbl, p.polname as policy, p.polqual::text as qual, p.polwithcheck::text as wc,
			        array(select attname::text from pg_attribute where attrelid = c.oid and attnum > 0 order by attnum) as cols
			   from pg_policy p join pg_class c on c.oid = p.polrelid
			   join pg_namespace n on n.oid = c.relnamespace
			  where n.nspname = 'public' order by 1, 2`
			)
		);
		const read = Object.fromEntries(
			rows.map((r) => [
				`${r.tbl}: ${r.policy}`,
				[...new Set([...policyTableColumns(r.qual), ...policyTableColumns(r.wc)])]
					.sort((a, b) => a - b)
					.map((n) => r.cols[n - 1])
			])
		);
		// The sub-select in the profiles policy reads account_members.user_id/account_id: those
		// must not be taken for columns of profiles.
		expect(read).toEqual({
			'account_members: account_members: owners and serving staff change roles': ['account_id'],
			'account_members: account_members: owners and serving staff remove, anyone leaves': [
				'account_id',
				'user_id'
			],
			'account_members: account_members: read visible accounts': ['account_id'],
			'activity_log: activity_log: read as member, serving staff or admin': [
				'account_id',
				'action'
			],
			'approval_approvers: approval_approvers: name owners or members as serving staff': [
				'account_id',
				'user_id'
			],
			'approval_approvers: approval_approvers: read as reader': ['account_id'],
			// The sub-select reads approval_approvers.approval_id/user_id: not this table's.
			'approval_responses: approval_responses: decide as a required approver': [
				'approval_id',
				'account_id',
				'approver_id'
			],
			'approval_responses: approval_responses: read as reader': ['account_id'],
			'approvals: approvals: read as reader': ['account_id'],
			'approvals: approvals: request as serving staff': ['account_id', 'requested_by'],
			'approvals: approvals: withdraw as serving staff': ['account_id'],
			'branding: branding: admins change': [],
			'branding: branding: anyone reads': [],
			'client_accounts: client_accounts: admins create': [],
			'client_accounts: client_accounts: read visible': ['id'],
			'client_accounts: client_accounts: serving staff edit': ['id'],
			'document_versions: document_versions: add as writer': ['account_id', 'uploaded_by'],
			'document_versions: document_versions: read as reader': ['account_id'],
			'documents: documents: delete as serving staff': ['account_id'],
			'documents: documents: edit as writer, restore as serving staff': [
				'account_id',
				'deleted_at'
			],
			'documents: documents: read as member or serving staff': ['account_id'],
			'documents: documents: upload as owner, member or serving staff': [
				'account_id',
				'uploaded_by'
			],
			'file_requests: file_requests: create as serving staff': ['account_id'],
			'file_requests: file_requests: read as reader': ['account_id'],
			'file_requests: file_requests: update as serving staff': ['account_id'],
			'folders: folders: create as writer': ['account_id'],
			'folders: folders: delete as writer': ['account_id'],
			'folders: folders: read as reader': ['account_id'],
			'folders: folders: rename as writer': ['account_id'],
			'invitations: invitations: read as account owner, serving staff or admin': [
				'kind',
				'account_id'
			],
			// The sub-selects read messages.id/author_id: not this table's.
			'message_attachments: message_attachments: add to own message': [
				'message_id',
				'document_id',
				'account_id'
			],
			'message_attachments: message_attachments: read with the message': [
				'message_id',
				'account_id'
			],
			'messages: messages: read as reader, internal notes as serving staff': [
				'account_id',
				'internal'
			],
			'messages: messages: write as writer, internal notes as serving staff': [
				'account_id',
				'author_id',
				'internal'
			],
			'milestones: milestones: create as serving staff': ['account_id'],
			'milestones: milestones: delete as serving staff': ['account_id'],
			'milestones: milestones: read as reader': ['account_id'],
			'milestones: milestones: update as serving staff': ['account_id'],
			'notification_preferences: notification_preferences: add own': ['user_id'],
			'notification_preferences: notification_preferences: change own': ['user_id'],
			'notification_preferences: notification_preferences: read own': ['user_id'],
			'notification_preferences: notification_preferences: remove own': ['user_id'],
			'notifications: notifications: mark own read': ['user_id', 'account_id'],
			'notifications: notifications: read own, in accounts still visible': [
				'user_id',
				'account_id'
			],
			'profiles: profiles: clients read the staff who serve them': ['id'],
			'profiles: profiles: edit own': ['id'],
			'profiles: profiles: read self, visible people, or the team as staff': ['id'],
			'projects: projects: create as serving staff': ['account_id'],
			'projects: projects: delete as serving staff': ['account_id'],
			'projects: projects: read as reader': ['account_id'],
			'projects: projects: update as serving staff': ['account_id'],
			'staff_assignments: staff_assignments: admins assign': [],
			'staff_assignments: staff_assignments: admins unassign': [],
			'staff_assignments: staff_assignments: read own or for accounts served': [
				'account_id',
				'staff_user_id'
			],
			'staff_members: staff_members: admins change roles': [],
			'staff_members: staff_members: admins remove': [],
			'staff_members: staff_members: read self or as staff': ['user_id'],
			'status_updates: status_updates: edit drafts as serving staff': [
				'account_id',
				'published_at'
			],
			'status_updates: status_updates: post as serving staff': ['account_id', 'author_id'],
			'status_updates: status_updates: read published, drafts as serving staff': [
				'account_id',
				'published_at'
			],
			'thread_reads: thread_reads: mark own': ['account_id', 'user_id'],
			'thread_reads: thread_reads: read own': ['user_id'],
			'thread_reads: thread_reads: update own': ['account_id', 'user_id'],
			'threads: threads: read as reader': ['account_id'],
			'threads: threads: start as writer': ['account_id', 'created_by']
		});
	});

	it('tells a wrapped auth call from a bare one', () => {
		expect(unwrappedAuthCalls('(id = ( SELECT auth.uid() AS uid))')).toEqual([]);
		expect(unwrappedAuthCalls("(( SELECT (auth.jwt() ->> 'role'::text)) = 'x'::text)")).toEqual([]);
		expect(
			unwrappedAuthCalls('((id = ( SELECT auth.uid() AS uid)) OR (owner = auth.uid()))')
		).toEqual(['auth.uid()']);
	});
});
