/**
 * Attacks on the data API, Storage and invitations through supabase-js (and raw HTTP where
 * supabase-js would tidy the request first), as every kind of actor: anonymous, a stranger
 * who just signed up, the other account's owner, each Acme role, staff not serving Acme and
 * staff serving it. Every attempt asserts the exact refusal and is recorded for the summary.
 *
 * Answers are pinned as @supabase/lite gives them. Where lite answers differently from hosted
 * Supabase the comment says so; a 500 is never accepted as a refusal.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, GLOBEX, uniqueEmail } from '../api/env';
import {
	ACME_CONTENT,
	ACME_DOCS,
	ACME_FILE,
	ACME_OTHER_FILE,
	GLOBEX_CONTENT,
	GLOBEX_DOCS,
	GLOBEX_FILE,
	GLOBEX_FILE_SIZE,
	accountName,
	as,
	newConfirmedUser,
	raw,
	shows,
	storageError,
	userIds,
	type Actor,
	type Loose
} from './api-support';
import { recordAttempt } from './report';

const FILTERS = 'api: filters & embeddings';
const LOGIC = 'api: or= and logic tricks';
const COUNTS = 'api: counts & head';
const RPC = 'api: rpc';
const WRITES = 'api: foreign writes';
const ROLES = 'api: role escalation';
const PATHS = 'storage: paths';
const SIGNED = 'storage: signed urls';
const TOKENS = 'invitations: tokens';
const STAFF_ONLY = 'api: internal notes & drafts';
const ORACLES = 'api: answers that depend on foreign rows';

/** The tables of the portal's content (migration 20261129040000); each has account_id. */
const CONTENT_TABLES = [
	'folders',
	'document_versions',
	'file_requests',
	'threads',
	'messages',
	'message_attachments',
	'thread_reads',
	'projects',
	'milestones',
	'status_updates',
	'approvals',
	'approval_approvers',
	'approval_responses'
] as const;

const content = (account: string) => (account === ACME ? ACME_CONTENT : GLOBEX_CONTENT);

interface Answer {
	data: unknown;
	error: { code?: string; message: string; details?: string | null; hint?: string | null } | null;
	status: number;
	count?: number | null;
}

const rows = (answer: Answer) => (answer.data ?? []) as Record<string, unknown>[];
const distinct = (values: unknown[]) => [...new Set(values.map(String))].sort();

/** The anonymous role has no grant on any table: refused before any policy is asked. */
function expectNoGrant(answer: Answer, status = 401) {
	expect.soft(answer.data).toBeNull();
	expect.soft(answer.error?.code).toBe('42501');
	expect.soft(answer.status).toBe(status);
}

/** Nothing to see: an empty answer, not an error that would tell rows exist. */
function expectEmpty(answer: Answer) {
	expect.soft(answer.error).toBeNull();
	expect.soft(answer.status).toBe(200);
	expect.soft(answer.data).toEqual([]);
}

function expectCode(answer: Answer, code: string, status: number, message?: string) {
	expect.soft(answer.data).toBeNull();
	expect.soft(answer.error?.code).toBe(code);
	expect.soft(answer.status).toBe(status);
	if (message !== undefined) expect.soft(answer.error?.message).toBe(message);
}

/** Those who must not see `target`'s data, and the accounts whose rows they do see. */
const outsiders: { who: Actor; target: string; own: string[] }[] = [
	{ who: 'anon', target: ACME, own: [] },
	{ who: 'stranger', target: ACME, own: [] },
	{ who: 'grace', target: ACME, own: [GLOBEX] },
	{ who: 'tess', target: ACME, own: [GLOBEX] },
	{ who: 'mark', target: GLOBEX, own: [ACME] },
	{ who: 'sam', target: GLOBEX, own: [ACME] }
];

const other = (account: string) => (account === ACME ? GLOBEX : ACME);

// ---------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------

interface ReadProbe {
	name: string;
	run: (c: Loose, target: string) => PromiseLike<Answer>;
	/**
	 * 'none': exactly []; a function: the account ids the rows belong to, which must be the
	 * caller's own; 'any': the caller's own people, checked by the leak test alone.
	 */
	expect: 'none' | 'any' | ((answer: Answer) => string[]);
	/** What an authenticated caller gets instead of rows (default: rows). */
	refusal?: { code: string; status: number };
	/** Rows only staff have: a client's own set is empty. */
	staffOnly?: boolean;
}

const byAccount = (key: string) => (answer: Answer) => distinct(rows(answer).map((r) => r[key]));

const filterProbes: ReadProbe[] = [
	{
		name: 'documents .eq(account_id)',
		run: (c, t) => c.from('documents').select('*').eq('account_id', t),
		expect: 'none'
	},
	{
		name: 'documents .in(account_id)',
		run: (c, t) => c.from('documents').select('*').in('account_id', [t]),
		expect: 'none'
	},
	{
		name: 'documents .eq(id) of a known document',
		run: (c, t) =>
			c
				.from('documents')
				.select('*')
				.in('id', t === ACME ? ACME_DOCS : GLOBEX_DOCS),
		expect: 'none'
	},
	{
		name: 'documents .not(account_id, eq, own)',
		run: (c, t) => c.from('documents').select('id, account_id').not('account_id', 'eq', other(t)),
		expect: 'none'
	},
	{
		name: 'documents .ilike(name, %)',
		run: (c) => c.from('documents').select('id, account_id').ilike('name', '%'),
		expect: byAccount('account_id')
	},
	{
		name: 'documents .range(0, 999) on the account',
		run: (c, t) => c.from('documents').select('id').eq('account_id', t).range(0, 999),
		expect: 'none'
	},
	{
		name: 'client_accounts .ilike(name, %)',
		run: (c) => c.from('client_accounts').select('*').ilike('name', '%'),
		expect: byAccount('id')
	},
	{
		name: 'client_accounts .eq(id)',
		run: (c, t) => c.from('client_accounts').select('*').eq('id', t),
		expect: 'none'
	},
	{
		name: 'account_members .eq(account_id)',
		run: (c, t) => c.from('account_members').select('*').eq('account_id', t),
		expect: 'none'
	},
	{
		name: 'profiles of the account’s people by address',
		run: (c, t) =>
			c
				.from('profiles')
				.select('*')
				.ilike('email', t === ACME ? '%@acme.example.com' : '%@globex.example.com'),
		expect: 'none'
	},
	{
		name: 'activity_log .eq(account_id)',
		run: (c, t) => c.from('activity_log').select('*').eq('account_id', t),
		expect: 'none'
	},
	{
		name: 'invitations (granted columns) .eq(account_id)',
		run: (c, t) => c.from('invitations').select('id, email, role').eq('account_id', t),
		expect: 'none'
	},
	{
		name: 'staff_assignments .eq(account_id)',
		run: (c, t) => c.from('staff_assignments').select('*').eq('account_id', t),
		expect: 'none'
	},
	{
		name: 'client_accounts → documents(*)',
		run: (c) => c.from('client_accounts').select('id, documents(*)'),
		expect: byAccount('id')
	},
	{
		name: 'client_accounts → account_members(*, profile:profiles(*))',
		run: (c) =>
			c
				.from('client_accounts')
				.select('id, account_members(*, profile:profiles!account_members_user_id_profile_fkey(*))'),
		expect: byAccount('id')
	},
	{
		name: 'client_accounts → invitations(id, email)',
		run: (c) => c.from('client_accounts').select('id, invitations(id, email)'),
		expect: byAccount('id')
	},
	{
		name: 'client_accounts → invitations(*) (token_hash has no grant)',
		run: (c) => c.from('client_accounts').select('id, invitations(*)'),
		expect: 'none',
		refusal: { code: '42501', status: 403 }
	},
	{
		name: 'invitations.token_hash',
		run: (c) => c.from('invitations').select('token_hash'),
		expect: 'none',
		refusal: { code: '42501', status: 403 }
	},
	{
		name: 'client_accounts → activity_log(*) (no relationship)',
		run: (c) => c.from('client_accounts').select('id, activity_log(*)'),
		expect: 'none',
		refusal: { code: 'PGRST200', status: 400 }
	},
	{
		name: 'documents → client_accounts!inner, filtered on the embedded id',
		run: (c, t) =>
			c.from('documents').select('id, client_accounts!inner(id)').eq('client_accounts.id', t),
		expect: 'none'
	},
	{
		name: 'account_members → client_accounts(name, documents(name))',
		run: (c) =>
			c.from('account_members').select('account_id, client_accounts(name, documents(name))'),
		expect: byAccount('account_id')
	},
	{
		name: 'staff_assignments → client_accounts(*)',
		run: (c) => c.from('staff_assignments').select('account_id, client_accounts(*)'),
		// Staff see the assignments of the accounts they serve; clients see none.
		expect: byAccount('account_id'),
		staffOnly: true
	},
	...CONTENT_TABLES.map((table): ReadProbe => ({
		name: `${table} .eq(account_id)`,
		run: (c, t) => c.from(table).select('*').eq('account_id', t),
		expect: 'none'
	})),
	{
		name: 'threads .eq(id) of a known thread',
		run: (c, t) => c.from('threads').select('*').eq('id', content(t).thread),
		expect: 'none'
	},
	{
		name: 'messages and thread_reads .eq(thread_id) of a known thread',
		run: async (c, t) => {
			const messages = (await c
				.from('messages')
				.select('*')
				.eq('thread_id', content(t).thread)) as Answer;
			const reads = (await c
				.from('thread_reads')
				.select('*')
				.eq('thread_id', content(t).thread)) as Answer;
			return { ...messages, data: messages.data && [...rows(messages), ...rows(reads)] };
		},
		expect: 'none'
	},
	{
		name: 'milestones and status_updates .eq(project_id) of a known project',
		run: async (c, t) => {
			const milestones = (await c
				.from('milestones')
				.select('*')
				.eq('project_id', content(t).project)) as Answer;
			const updates = (await c
				.from('status_updates')
				.select('*')
				.eq('project_id', content(t).project)) as Answer;
			return { ...milestones, data: milestones.data && [...rows(milestones), ...rows(updates)] };
		},
		expect: 'none'
	},
	{
		name: 'file_requests .in(id) of known requests',
		run: (c, t) =>
			c
				.from('file_requests')
				.select('*')
				.in('id', [...content(t).fileRequests]),
		expect: 'none'
	},
	{
		name: 'approvals → approval_approvers, approval_responses .eq(account_id)',
		run: (c, t) =>
			c
				.from('approvals')
				.select('*, approval_approvers(*), approval_responses(*)')
				.eq('account_id', t),
		expect: 'none'
	},
	{
		name: 'client_accounts → every content table embedded',
		run: (c) =>
			c.from('client_accounts').select(
				// Not folders(*): lite answers 400 (21000, "more than one row returned by a
				// subquery") once an account has two folders; PostgREST embeds them as a list.
				'id, file_requests(*), threads(*, messages(*, message_attachments(*))), ' +
					'projects(*, milestones(*), status_updates(*)), ' +
					'approvals(*, approval_approvers(*), approval_responses(*))'
			),
		expect: byAccount('id')
	},
	{
		name: 'threads → messages(*) (select=*,messages(*))',
		run: (c) => c.from('threads').select('*, messages(*)'),
		expect: byAccount('account_id')
	},
	{
		name: 'documents → document_versions(*), message_attachments(*), folders(*)',
		run: (c) =>
			c
				.from('documents')
				.select('id, account_id, document_versions(*), message_attachments(*), folders(*)'),
		expect: byAccount('account_id')
	},
	{
		name: 'document_versions → approvals(*, approval_responses(*))',
		run: (c) =>
			c.from('document_versions').select('id, account_id, approvals(*, approval_responses(*))'),
		expect: byAccount('account_id')
	},
	{
		name: 'projects → milestones(*), status_updates(*)',
		run: (c) => c.from('projects').select('*, milestones(*), status_updates(*)'),
		expect: byAccount('account_id')
	},
	{
		name: 'folders → documents!inner, filtered on the embedded account',
		run: (c, t) =>
			c.from('folders').select('id, documents!inner(id)').eq('documents.account_id', t),
		expect: 'none'
	}
];

const logicProbes: ReadProbe[] = [
	{
		name: 'or=(account_id.eq.<target>,id.not.is.null)',
		run: (c, t) =>
			c.from('documents').select('id, account_id').or(`account_id.eq.${t},id.not.is.null`),
		expect: byAccount('account_id')
	},
	{
		name: 'or=(and(account_id.eq.<target>),account_id.eq.<own>)',
		run: (c, t) =>
			c
				.from('documents')
				.select('id, account_id')
				.or(`and(account_id.eq.${t}),account_id.eq.${other(t)}`),
		expect: byAccount('account_id')
	},
	{
		name: 'or=(id.is.null,id.not.is.null) (always true)',
		run: (c) => c.from('documents').select('id, account_id').or('id.is.null,id.not.is.null'),
		expect: byAccount('account_id')
	},
	{
		name: 'or=(account_id.in.(both accounts))',
		run: (c) =>
			c.from('documents').select('id, account_id').or(`account_id.in.(${ACME},${GLOBEX})`),
		expect: byAccount('account_id')
	},
	{
		name: 'not.in own account',
		run: (c, t) =>
			c
				.from('documents')
				.select('id')
				.not('account_id', 'in', `(${other(t)})`),
		expect: 'none'
	},
	{
		name: 'a value smuggling a second filter (name=eq."x,account_id.eq.<target>")',
		run: (c, t) => c.from('documents').select('id').eq('name', `x,account_id.eq.${t}`),
		expect: 'none'
	},
	{
		name: 'or= breaking out of its parentheses',
		run: (c, t) => c.from('documents').select('id').or(`id.eq.x),or(account_id.eq.${t}`),
		expect: 'none',
		// The value is cast while the query is planned, before any grant is looked at.
		refusal: { code: '22P02', status: 400 }
	},
	{
		name: 'or= on the embedded documents',
		run: (c, t) =>
			c
				.from('client_accounts')
				.select('id, documents(id)')
				.or(`account_id.eq.${t}`, { referencedTable: 'documents' }),
		expect: byAccount('id')
	},
	{
		name: 'account_members or=(account_id.eq.<target>,user_id.eq.<target owner>)',
		run: (c, t) =>
			c
				.from('account_members')
				.select('account_id, user_id')
				.or(`account_id.eq.${t},user_id.eq.${t === ACME ? userIds.olivia : userIds.grace}`),
		expect: 'none'
	},
	{
		name: 'client_accounts or=(id.eq.<target>,name.eq.<target name>)',
		run: (c, t) =>
			c
				.from('client_accounts')
				.select('id')
				.or(`id.eq.${t},name.eq."${t === ACME ? 'Acme Corporation' : 'Globex Household'}"`),
		expect: 'none'
	},
	{
		name: 'activity_log or=(account_id.eq.<target>,account_id.is.null)',
		run: (c, t) => c.from('activity_log').select('id').or(`account_id.eq.${t},account_id.is.null`),
		expect: 'none'
	},
	{
		name: 'profiles or=(email.ilike.*<target domain>*,id.not.is.null)',
		run: (c, t) =>
			c
				.from('profiles')
				.select('email')
				.or(`email.ilike.*${t === ACME ? 'acme' : 'globex'}*,id.not.is.null`),
		// The rows seen are the caller's own people; shows() below is the exact check.
		expect: 'any'
	},
	{
		name: 'messages or=(account_id.eq.<target>,id.not.is.null)',
		run: (c, t) =>
			c.from('messages').select('id, account_id').or(`account_id.eq.${t},id.not.is.null`),
		expect: byAccount('account_id')
	},
	{
		name: 'threads or=(id.eq.<target thread>,subject.ilike.*)',
		run: (c, t) =>
			c
				.from('threads')
				.select('id, account_id')
				.or(`id.eq.${content(t).thread},subject.ilike.*`),
		expect: byAccount('account_id')
	},
	{
		name: 'status_updates or=(published_at.not.is.null,account_id.eq.<target>)',
		run: (c, t) =>
			c
				.from('status_updates')
				.select('id, account_id')
				.or(`published_at.not.is.null,account_id.eq.${t}`),
		expect: byAccount('account_id')
	},
	{
		name: 'approval_responses or=(approval_id.eq.<Acme approval>,account_id.eq.<target>)',
		run: (c, t) =>
			c
				.from('approval_responses')
				.select('*')
				.or(`approval_id.eq.${ACME_CONTENT.approval},account_id.eq.${t}`),
		expect: 'none'
	},
	{
		name: 'folders and projects not.in own account',
		run: async (c, t) => {
			const folders = (await c
				.from('folders')
				.select('id')
				.not('account_id', 'in', `(${other(t)})`)) as Answer;
			const projects = (await c
				.from('projects')
				.select('id')
				.not('account_id', 'in', `(${other(t)})`)) as Answer;
			return { ...folders, data: folders.data && [...rows(folders), ...rows(projects)] };
		},
		expect: 'none'
	},
	{
		name: 'or= on embedded messages',
		run: (c, t) =>
			c
				.from('threads')
				.select('id, account_id, messages(id)')
				.or(`account_id.eq.${t},internal.is.true`, { referencedTable: 'messages' }),
		expect: byAccount('account_id')
	}
];

async function runReadProbes(
	category: string,
	probes: ReadProbe[],
	who: Actor,
	target: string,
	own: string[]
) {
	const client = await as(who);
	for (const probe of probes) {
		const answer = (await probe.run(client, target)) as Answer;
		const leaked = shows(target, answer.data);
		recordAttempt(category, `${who} → ${accountName(target)}: ${probe.name}`, {
			leaked,
			status: answer.status
		});
		expect.soft(leaked, `${who}: ${probe.name}`).toBe(false);
		if (who === 'anon') {
			// A missing relationship or a bad uuid is found out before the grants are looked at.
			if (probe.refusal && probe.refusal.code !== '42501') {
				expectCode(answer, probe.refusal.code, probe.refusal.status);
			} else expectNoGrant(answer);
		} else if (probe.refusal) {
			expectCode(answer, probe.refusal.code, probe.refusal.status);
		} else if (probe.expect === 'none') {
			expectEmpty(answer);
		} else {
			expect.soft(answer.error, `${who}: ${probe.name}`).toBeNull();
			expect.soft(answer.status, `${who}: ${probe.name}`).toBe(200);
			if (probe.expect !== 'any') {
				const staff = who === 'tess' || who === 'sam';
				expect
					.soft(probe.expect(answer), `${who}: ${probe.name}`)
					.toEqual(probe.staffOnly && !staff ? [] : own);
			}
		}
	}
}

describe.each(outsiders)('$who reading another account', ({ who, target, own }) => {
	it('through filters and embeddings', async () => {
		await runReadProbes(FILTERS, filterProbes, who, target, own);
	});

	it('through or= and other logic tricks', async () => {
		await runReadProbes(LOGIC, logicProbes, who, target, own);
	});
});

describe('Acme roles reading what their role does not cover', () => {
	const cases: {
		who: Actor;
		name: string;
		run: (c: Loose) => PromiseLike<Answer>;
		want: unknown;
	}[] = [
		{
			who: 'bill',
			name: 'billing: client_accounts → documents(*)',
			run: (c) => c.from('client_accounts').select('id, documents(*)'),
			want: [{ id: ACME, documents: [] }]
		},
		{
			who: 'bill',
			name: 'billing: documents .eq(account_id)',
			run: (c) => c.from('documents').select('*').eq('account_id', ACME),
			want: []
		},
		{
			who: 'bill',
			name: 'billing: activity_log or=(document.*, invitation.*)',
			run: (c) =>
				c
					.from('activity_log')
					.select('action, details')
					.or('action.like.document.*,action.like.invitation.*'),
			want: []
		},
		...(['mark', 'vera', 'bill'] as const).flatMap((who) => [
			{
				who,
				name: `${who}: client_accounts → invitations(id, email)`,
				run: (c: Loose) => c.from('client_accounts').select('id, invitations(id, email)'),
				want: [{ id: ACME, invitations: [] }]
			},
			{
				who,
				name: `${who}: invitations .eq(account_id)`,
				run: (c: Loose) => c.from('invitations').select('id, email').eq('account_id', ACME),
				want: []
			},
			{
				who,
				name: `${who}: activity_log invitation.* (invited addresses)`,
				run: (c: Loose) =>
					c.from('activity_log').select('action, details').like('action', 'invitation.%'),
				want: []
			}
		])
	];

	it('sees the account but not those rows', async () => {
		for (const { who, name, run, want } of cases) {
			const answer = (await run(await as(who))) as Answer;
			const leaked = JSON.stringify(answer.data) !== JSON.stringify(want) && answer.error === null;
			recordAttempt(FILTERS, name, { leaked, status: answer.status });
			expect.soft(answer.error, name).toBeNull();
			expect.soft(answer.status, name).toBe(200);
			expect.soft(answer.data, name).toEqual(want);
		}
	});
});

// ---------------------------------------------------------------------------------------
// Counts and HEAD requests
// ---------------------------------------------------------------------------------------

describe('counts and HEAD requests', () => {
	const countProbes: { name: string; run: (c: Loose, t: string) => PromiseLike<Answer> }[] = [
		{
			name: 'documents',
			run: (c, t) =>
				c.from('documents').select('*', { count: 'exact', head: true }).eq('account_id', t)
		},
		{
			name: 'client_accounts',
			run: (c, t) =>
				c.from('client_accounts').select('*', { count: 'exact', head: true }).eq('id', t)
		},
		{
			name: 'account_members',
			run: (c, t) =>
				c.from('account_members').select('*', { count: 'exact', head: true }).eq('account_id', t)
		},
		{
			name: 'activity_log',
			run: (c, t) =>
				c.from('activity_log').select('*', { count: 'exact', head: true }).eq('account_id', t)
		},
		{
			name: 'invitations',
			run: (c, t) =>
				c.from('invitations').select('id', { count: 'exact', head: true }).eq('account_id', t)
		},
		{
			name: 'staff_assignments',
			run: (c, t) =>
				c.from('staff_assignments').select('*', { count: 'exact', head: true }).eq('account_id', t)
		},
		{
			name: 'profiles by address',
			run: (c, t) =>
				c
					.from('profiles')
					.select('*', { count: 'exact', head: true })
					.ilike('email', t === ACME ? '%@acme.example.com' : '%@globex.example.com')
		},
		...CONTENT_TABLES.map((table) => ({
			name: table,
			run: (c: Loose, t: string) =>
				c.from(table).select('*', { count: 'exact', head: true }).eq('account_id', t)
		})),
		{
			name: 'documents without head (GET, count=exact)',
			run: (c, t) => c.from('documents').select('id', { count: 'exact' }).eq('account_id', t)
		}
	];

	it('the insiders’ counts are not 0, so the outsiders’ 0 means something', async () => {
		const sam = await as('sam');
		const { count: acme } = await sam
			.from('documents')
			.select('*', { count: 'exact', head: true })
			.eq('account_id', ACME);
		const grace = await as('grace');
		const { count: globex } = await grace
			.from('documents')
			.select('*', { count: 'exact', head: true })
			.eq('account_id', GLOBEX);
		expect(acme).toBeGreaterThanOrEqual(4);
		expect(globex).toBeGreaterThanOrEqual(2);
		for (const table of ['threads', 'messages', 'projects', 'status_updates'] as const) {
			const [inAcme, inGlobex] = await Promise.all([
				sam.from(table).select('*', { count: 'exact', head: true }).eq('account_id', ACME),
				grace.from(table).select('*', { count: 'exact', head: true }).eq('account_id', GLOBEX)
			]);
			expect(inAcme.count, table).toBeGreaterThan(0);
			expect(inGlobex.count, table).toBeGreaterThan(0);
		}
	});

	it.each(outsiders)('$who counts 0 of the other account’s rows', async ({ who, target }) => {
		const client = await as(who);
		for (const probe of countProbes) {
			const answer = (await probe.run(client, target)) as Answer;
			const leaked = (answer.count ?? 0) > 0 || shows(target, answer.data);
			recordAttempt(COUNTS, `${who} → ${accountName(target)}: count=exact ${probe.name}`, {
				leaked,
				status: answer.status
			});
			if (who === 'anon') {
				// A HEAD answer has no body: only the status says why.
				expect.soft(answer.status, probe.name).toBe(401);
				expect.soft(answer.count ?? null, probe.name).toBeNull();
				expect.soft(answer.data, probe.name).toBeNull();
			} else {
				expect.soft(answer.error, probe.name).toBeNull();
				expect.soft(answer.status, probe.name).toBe(200);
				expect.soft(answer.count, probe.name).toBe(0);
			}
		}

		// An offset beyond the end, with a count: the 416 tells the RLS-filtered count (0).
		const beyond = (await client
			.from('documents')
			.select('id', { count: 'exact' })
			.eq('account_id', target)
			.range(100, 200)) as Answer;
		recordAttempt(COUNTS, `${who} → ${accountName(target)}: .range(100, 200) with count=exact`, {
			leaked: shows(target, beyond.data) || !!beyond.error?.details?.match(/only [1-9]/),
			status: beyond.status
		});
		if (who === 'anon') expectNoGrant(beyond);
		else {
			expectCode(beyond, 'PGRST103', 416, 'Requested range not satisfiable');
			expect
				.soft(beyond.error?.details)
				.toBe('An offset of 100 was requested, but there are only 0 rows.');
		}
	});

	it('limited Acme roles count 0 of what they may not read', async () => {
		const cases: [Actor, string, (c: Loose) => PromiseLike<Answer>][] = [
			[
				'bill',
				'billing: documents',
				(c) => c.from('documents').select('*', { count: 'exact', head: true })
			],
			[
				'bill',
				'billing: document.* activity',
				(c) =>
					c
						.from('activity_log')
						.select('*', { count: 'exact', head: true })
						.like('action', 'document.%')
			],
			...(['mark', 'vera', 'bill'] as const).flatMap(
				(who): [Actor, string, (c: Loose) => PromiseLike<Answer>][] => [
					[
						who,
						`${who}: invitations`,
						(c) => c.from('invitations').select('id', { count: 'exact', head: true })
					],
					[
						who,
						`${who}: invitation.* activity`,
						(c) =>
							c
								.from('activity_log')
								.select('*', { count: 'exact', head: true })
								.like('action', 'invitation.%')
					],
					[
						who,
						`${who}: staff_members`,
						(c) => c.from('staff_members').select('*', { count: 'exact', head: true })
					]
				]
			)
		];
		for (const [who, name, run] of cases) {
			const answer = (await run(await as(who))) as Answer;
			recordAttempt(COUNTS, name, { leaked: (answer.count ?? 0) > 0, status: answer.status });
			expect.soft(answer.error, name).toBeNull();
			expect.soft(answer.status, name).toBe(200);
			expect.soft(answer.count, name).toBe(0);
		}
	});

	it('a planned or estimated count is the planner’s guess, the same for an outsider as for an owner', async () => {
		// Not the number of visible rows: Postgres' row estimate from table statistics, which
		// PostgREST returns as it is. It must not depend on what the caller may see.
		for (const count of ['planned', 'estimated'] as const) {
			const [olivia, grace, stranger] = await Promise.all([
				as('olivia'),
				as('grace'),
				as('stranger')
			]);
			const query = (c: Loose) =>
				c
					.from('documents')
					.select('*', { count, head: true })
					.eq('account_id', ACME) as PromiseLike<Answer>;
			const insider = await query(olivia);
			for (const [who, client] of [
				['grace', grace],
				['stranger', stranger]
			] as const) {
				const answer = await query(client);
				recordAttempt(COUNTS, `${who} → Acme: count=${count} documents`, {
					leaked: answer.count !== insider.count,
					status: answer.status
				});
				expect.soft(answer.error).toBeNull();
				expect.soft(answer.count).toBe(insider.count);
			}
		}
	});
});

// ---------------------------------------------------------------------------------------
// RPC
// ---------------------------------------------------------------------------------------

describe('RPC calls', () => {
	let clientInvitation: string;
	let staffInvitation: string;

	beforeAll(async () => {
		const olivia = await as('olivia');
		const created = await olivia.rpc('create_invitation', {
			p_account_id: ACME,
			p_email: uniqueEmail('rpc-target'),
			p_role: 'viewer'
		});
		expect(created.error).toBeNull();
		clientInvitation = created.data[0].invitation_id;
		const ada = await as('ada');
		const staff = await ada.rpc('create_staff_invitation', {
			p_email: uniqueEmail('rpc-staff-target'),
			p_role: 'admin'
		});
		expect(staff.error).toBeNull();
		staffInvitation = staff.data[0].invitation_id;
	});

	afterAll(async () => {
		await (await as('olivia')).rpc('revoke_invitation', { p_invitation_id: clientInvitation });
		await (await as('ada')).rpc('revoke_invitation', { p_invitation_id: staffInvitation });
	});

	it('create_invitation for an account the caller does not manage: not_allowed', async () => {
		const cases: [Actor, string][] = [
			['stranger', ACME],
			['grace', ACME],
			['tess', ACME],
			['mark', ACME],
			['vera', ACME],
			['bill', ACME],
			['olivia', GLOBEX],
			['sam', GLOBEX],
			// Inviting themselves as owner: the escalation a member would try.
			['mark', ACME],
			['vera', ACME]
		];
		for (const [who, account] of cases) {
			const answer = (await (
				await as(who)
			).rpc('create_invitation', {
				p_account_id: account,
				p_email: uniqueEmail(`by-${who}`),
				p_role: 'owner'
			})) as Answer;
			recordAttempt(RPC, `${who}: create_invitation for ${accountName(account)}`, {
				leaked: answer.error === null,
				status: answer.status
			});
			expectCode(answer, '42501', 403, 'not_allowed');
		}
		const anon = (await (
			await as('anon')
		).rpc('create_invitation', {
			p_account_id: ACME,
			p_email: uniqueEmail('by-anon'),
			p_role: 'owner'
		})) as Answer;
		recordAttempt(RPC, 'anon: create_invitation', {
			leaked: anon.error === null,
			status: anon.status
		});
		expectCode(anon, '42501', 401, 'permission denied for function create_invitation');
	});

	it('create_staff_invitation by anyone but an admin: not_allowed', async () => {
		for (const who of ['stranger', 'grace', 'olivia', 'tess', 'sam'] as const) {
			const answer = (await (
				await as(who)
			).rpc('create_staff_invitation', {
				p_email: uniqueEmail(`staff-by-${who}`),
				p_role: 'admin'
			})) as Answer;
			recordAttempt(RPC, `${who}: create_staff_invitation (admin)`, {
				leaked: answer.error === null,
				status: answer.status
			});
			expectCode(answer, '42501', 403, 'not_allowed');
		}
		const anon = (await (
			await as('anon')
		).rpc('create_staff_invitation', {
			p_email: uniqueEmail('staff-by-anon'),
			p_role: 'admin'
		})) as Answer;
		recordAttempt(RPC, 'anon: create_staff_invitation', {
			leaked: anon.error === null,
			status: anon.status
		});
		expectCode(anon, '42501', 401, 'permission denied for function create_staff_invitation');
	});

	it('resend and revoke of invitations the caller may not manage: invitation_not_found', async () => {
		const cases: [Actor, 'client' | 'staff'][] = [
			['stranger', 'client'],
			['grace', 'client'],
			['tess', 'client'],
			['mark', 'client'],
			['vera', 'client'],
			['bill', 'client'],
			['tess', 'staff'],
			['sam', 'staff'],
			['olivia', 'staff'],
			['grace', 'staff']
		];
		for (const [who, kind] of cases) {
			const id = kind === 'client' ? clientInvitation : staffInvitation;
			for (const fn of ['resend_invitation', 'revoke_invitation'] as const) {
				const answer = (await (await as(who)).rpc(fn, { p_invitation_id: id })) as Answer;
				recordAttempt(RPC, `${who}: ${fn} of a foreign ${kind} invitation`, {
					leaked: answer.error === null,
					status: answer.status
				});
				// The same answer as for an id that does not exist: nothing to learn.
				expectCode(answer, 'PT404', 404, 'invitation_not_found');
			}
		}
		for (const fn of ['resend_invitation', 'revoke_invitation'] as const) {
			const answer = (await (
				await as('anon')
			).rpc(fn, { p_invitation_id: clientInvitation })) as Answer;
			recordAttempt(RPC, `anon: ${fn}`, { leaked: answer.error === null, status: answer.status });
			expectCode(answer, '42501', 401, `permission denied for function ${fn}`);
		}
		const unknown = (await (
			await as('grace')
		).rpc('revoke_invitation', {
			p_invitation_id: randomUUID()
		})) as Answer;
		recordAttempt(RPC, 'grace: revoke_invitation of a random id', {
			leaked: unknown.error === null,
			status: unknown.status
		});
		expectCode(unknown, 'PT404', 404, 'invitation_not_found');

		// Both invitations are still open, with their original expiry.
		const { data: stillOpen } = await (
			await as('olivia')
		)
			.from('invitations')
			.select('revoked_at, accepted_at')
			.eq('id', clientInvitation);
		expect(stillOpen).toEqual([{ revoked_at: null, accepted_at: null }]);
		const { data: staffOpen } = await (
			await as('ada')
		)
			.from('invitations')
			.select('revoked_at, accepted_at')
			.eq('id', staffInvitation);
		expect(staffOpen).toEqual([{ revoked_at: null, accepted_at: null }]);
	});

	it('operator_grant_admin with the publishable key: permission denied', async () => {
		for (const who of ['anon', 'stranger', 'grace', 'olivia', 'tess', 'sam', 'ada'] as const) {
			const answer = (await (
				await as(who)
			).rpc('operator_grant_admin', {
				// A new address: had the call gone through, it would answer with an admin token.
				p_email: uniqueEmail(`operator-${who}`)
			})) as Answer;
			recordAttempt(RPC, `${who}: operator_grant_admin`, {
				leaked: answer.error === null,
				status: answer.status
			});
			expectCode(
				answer,
				'42501',
				who === 'anon' ? 401 : 403,
				'permission denied for function operator_grant_admin'
			);
		}
	});

	it('the private helpers are not reachable through the API', async () => {
		const grace = await as('grace');
		for (const fn of ['is_admin', 'staff_accounts', 'visible_accounts', 'log_activity']) {
			const answer = (await grace.rpc(fn)) as Answer;
			recordAttempt(RPC, `grace: rpc ${fn} (private)`, {
				leaked: answer.error === null,
				status: answer.status
			});
			expect.soft(answer.error?.code, fn).toBe('PGRST202');
			expect.soft(answer.status, fn).toBe(404);
		}
		const schema = (await grace.schema('private').rpc('is_admin')) as Answer;
		recordAttempt(RPC, 'grace: schema private rpc is_admin', {
			leaked: schema.error === null,
			status: schema.status
		});
		expectCode(schema, 'PGRST106', 406, 'Invalid schema: private');
	});

	it('invitation_preview with a guessed token tells nothing', async () => {
		for (const who of ['anon', 'stranger', 'grace'] as const) {
			const answer = (await (
				await as(who)
			).rpc('invitation_preview', {
				p_token: randomBytes(32).toString('base64url')
			})) as Answer;
			recordAttempt(RPC, `${who}: invitation_preview of a guessed token`, {
				leaked: rows(answer).length > 0,
				status: answer.status
			});
			expectEmpty(answer);
		}
	});
});

// ---------------------------------------------------------------------------------------
// Foreign writes
// ---------------------------------------------------------------------------------------

describe('writing into another account', () => {
	// A file that exists in the account: the row is refused for what it is, not because
	// nothing is stored at its path (that answer is tested for sameness at the end).
	const doc = (
		account: string,
		uploader: string,
		path = account === ACME ? ACME_FILE : GLOBEX_FILE
	) => ({
		account_id: account,
		name: 'attack.txt',
		storage_path: path,
		size_bytes: 1,
		mime_type: 'text/plain',
		uploaded_by: uploader
	});
	const rlsMessage = (table: string) =>
		`new row violates row-level security policy for table "${table}"`;
	let before: { documents: unknown; members: unknown; accounts: unknown; assignments: unknown };

	/** Everything the attempts below must leave as it was, read by Ada (admin). */
	async function snapshot() {
		const ada = await as('ada');
		const [documents, members, accounts, assignments] = await Promise.all([
			ada
				.from('documents')
				.select('id, account_id, name, storage_path')
				.in('id', [...ACME_DOCS, ...GLOBEX_DOCS])
				.order('id'),
			ada
				.from('account_members')
				.select('account_id, user_id, role')
				.order('account_id')
				.order('user_id'),
			ada.from('client_accounts').select('id, name, status').order('id'),
			ada.from('staff_assignments').select('account_id, staff_user_id').order('account_id')
		]);
		return {
			documents: documents.data,
			members: members.data,
			accounts: accounts.data,
			assignments: assignments.data
		};
	}

	beforeAll(async () => {
		before = await snapshot();
	});

	it('inserts with a foreign account_id, uploader or path are refused', async () => {
		const cases: [string, Actor, Record<string, unknown>, string, number, string][] = [
			[
				'mark: document into Globex',
				'mark',
				doc(GLOBEX, userIds.mark),
				'42501',
				403,
				rlsMessage('documents')
			],
			[
				'olivia: document into Globex',
				'olivia',
				doc(GLOBEX, userIds.olivia),
				'42501',
				403,
				rlsMessage('documents')
			],
			[
				'sam: document into Globex',
				'sam',
				doc(GLOBEX, userIds.sam),
				'42501',
				403,
				rlsMessage('documents')
			],
			[
				'grace: document into Acme',
				'grace',
				doc(ACME, userIds.grace),
				'42501',
				403,
				rlsMessage('documents')
			],
			[
				'tess: document into Acme',
				'tess',
				doc(ACME, userIds.tess),
				'42501',
				403,
				rlsMessage('documents')
			],
			[
				'vera (viewer): document into Acme',
				'vera',
				doc(ACME, userIds.vera),
				'42501',
				403,
				rlsMessage('documents')
			],
			[
				'bill (billing): document into Acme',
				'bill',
				doc(ACME, userIds.bill),
				'42501',
				403,
				rlsMessage('documents')
			],
			[
				'mark: document uploaded "by" Olivia',
				'mark',
				doc(ACME, userIds.olivia),
				'42501',
				403,
				rlsMessage('documents')
			],
			[
				'mark: Acme row pointing at a Globex file',
				'mark',
				doc(ACME, userIds.mark, GLOBEX_FILE),
				// PostgREST answers a check violation with 400; lite maps 23514 to a 500 (finding).
				'23514',
				400,
				'new row for relation "documents" violates check constraint "documents_path_in_account"'
			],
			[
				'mark: Acme row with a ../ path',
				'mark',
				doc(ACME, userIds.mark, `${ACME}/../${GLOBEX_FILE}`),
				// Storage keeps no object under such a name, so the file check refuses it first.
				'22023',
				400,
				'file_missing'
			]
		];
		for (const [name, who, row, code, status, message] of cases) {
			const answer = (await (await as(who)).from('documents').insert(row).select()) as Answer;
			recordAttempt(WRITES, name, { leaked: answer.error === null, status: answer.status });
			expectCode(answer, code, status, message);
		}
	});

	it('moving documents to another account, or renaming and deleting foreign ones, changes nothing', async () => {
		const cases: [string, Actor, (c: Loose) => PromiseLike<Answer>, 'denied' | 'none'][] = [
			[
				'mark: documents set account_id = Globex',
				'mark',
				(c) => c.from('documents').update({ account_id: GLOBEX }).eq('id', ACME_DOCS[2]!).select(),
				'denied'
			],
			[
				'sam: documents set account_id = Globex',
				'sam',
				(c) => c.from('documents').update({ account_id: GLOBEX }).eq('account_id', ACME).select(),
				'denied'
			],
			[
				'sam: documents set storage_path into Globex',
				'sam',
				(c) =>
					c
						.from('documents')
						.update({ storage_path: `${GLOBEX}/moved.txt` })
						.eq('id', ACME_DOCS[2]!)
						.select(),
				'denied'
			],
			[
				'olivia: upsert over a Globex document id',
				'olivia',
				(c) =>
					c
						.from('documents')
						.upsert({
							id: GLOBEX_DOCS[0],
							...doc(ACME, userIds.olivia, `${ACME}/${GLOBEX_DOCS[0]}/x.txt`)
						})
						.select(),
				'denied'
			],
			[
				'grace: rename an Acme document',
				'grace',
				(c) => c.from('documents').update({ name: 'pwned' }).eq('id', ACME_DOCS[2]!).select(),
				'none'
			],
			[
				'tess: rename an Acme document',
				'tess',
				(c) => c.from('documents').update({ name: 'pwned' }).eq('id', ACME_DOCS[2]!).select(),
				'none'
			],
			[
				'vera (viewer): rename an Acme document',
				'vera',
				(c) => c.from('documents').update({ name: 'pwned' }).eq('id', ACME_DOCS[2]!).select(),
				'none'
			],
			[
				'bill (billing): rename an Acme document',
				'bill',
				(c) => c.from('documents').update({ name: 'pwned' }).eq('id', ACME_DOCS[2]!).select(),
				'none'
			],
			[
				'olivia: rename a Globex document',
				'olivia',
				(c) => c.from('documents').update({ name: 'pwned' }).eq('id', GLOBEX_DOCS[0]!).select(),
				'none'
			],
			[
				'sam: rename a Globex document',
				'sam',
				(c) => c.from('documents').update({ name: 'pwned' }).eq('account_id', GLOBEX).select(),
				'none'
			],
			[
				'grace: delete Acme documents',
				'grace',
				(c) => c.from('documents').delete().eq('account_id', ACME).select(),
				'none'
			],
			[
				'tess: delete Acme documents',
				'tess',
				(c) => c.from('documents').delete().eq('account_id', ACME).select(),
				'none'
			],
			[
				'olivia (owner, not staff): delete Acme documents',
				'olivia',
				(c) => c.from('documents').delete().eq('account_id', ACME).select(),
				'none'
			],
			[
				'sam: delete Globex documents',
				'sam',
				(c) => c.from('documents').delete().eq('account_id', GLOBEX).select(),
				'none'
			]
		];
		for (const [name, who, run, outcome] of cases) {
			const answer = (await run(await as(who))) as Answer;
			recordAttempt(WRITES, name, {
				leaked: answer.error === null && rows(answer).length > 0,
				status: answer.status
			});
			if (outcome === 'denied')
				expectCode(answer, '42501', 403, 'permission denied for table documents');
			else expectEmpty(answer);
		}
	});

	it('memberships, accounts, assignments and profiles of others stay as they are', async () => {
		const cases: [
			string,
			Actor,
			(c: Loose) => PromiseLike<Answer>,
			'denied' | 'rls' | 'none',
			string?
		][] = [
			[
				'olivia: move Mark to Globex (account_members.account_id)',
				'olivia',
				(c) =>
					c
						.from('account_members')
						.update({ account_id: GLOBEX })
						.eq('user_id', userIds.mark)
						.select(),
				'denied',
				'account_members'
			],
			[
				'grace: join Acme (insert account_members)',
				'grace',
				(c) =>
					c
						.from('account_members')
						.insert({ account_id: ACME, user_id: userIds.grace, role: 'owner' })
						.select(),
				'denied',
				'account_members'
			],
			[
				'olivia: remove Globex’s members',
				'olivia',
				(c) => c.from('account_members').delete().eq('account_id', GLOBEX).select(),
				'none'
			],
			[
				'sam: remove Globex’s members',
				'sam',
				(c) => c.from('account_members').delete().eq('account_id', GLOBEX).select(),
				'none'
			],
			[
				'grace: remove Acme’s members',
				'grace',
				(c) => c.from('account_members').delete().eq('account_id', ACME).select(),
				'none'
			],
			[
				'tess: remove Acme’s members',
				'tess',
				(c) => c.from('account_members').delete().eq('account_id', ACME).select(),
				'none'
			],
			[
				'mark: remove Olivia from Acme',
				'mark',
				(c) => c.from('account_members').delete().eq('user_id', userIds.olivia).select(),
				'none'
			],
			[
				'grace: rename Acme',
				'grace',
				(c) => c.from('client_accounts').update({ name: 'Pwned' }).eq('id', ACME).select(),
				'none'
			],
			[
				'tess: archive Acme',
				'tess',
				(c) => c.from('client_accounts').update({ status: 'archived' }).eq('id', ACME).select(),
				'none'
			],
			[
				'olivia (owner, not staff): rename Acme',
				'olivia',
				(c) => c.from('client_accounts').update({ name: 'Pwned' }).eq('id', ACME).select(),
				'none'
			],
			[
				'grace: create an account',
				'grace',
				(c) => c.from('client_accounts').insert({ name: 'Shadow account' }).select(),
				'rls',
				'client_accounts'
			],
			[
				'sam: unassign Tess from Globex',
				'sam',
				(c) => c.from('staff_assignments').delete().eq('account_id', GLOBEX).select(),
				'none'
			],
			[
				'grace: rename Mark (profiles)',
				'grace',
				(c) => c.from('profiles').update({ display_name: 'Pwned' }).eq('id', userIds.mark).select(),
				'none'
			],
			[
				'mark: rename Olivia (profiles)',
				'mark',
				(c) =>
					c.from('profiles').update({ display_name: 'Pwned' }).eq('id', userIds.olivia).select(),
				'none'
			],
			[
				'grace: write Acme activity',
				'grace',
				(c) =>
					c.from('activity_log').insert({ account_id: ACME, action: 'account.updated' }).select(),
				'denied',
				'activity_log'
			],
			[
				'olivia: rewrite Acme activity',
				'olivia',
				(c) =>
					c
						.from('activity_log')
						.update({ action: 'account.updated' })
						.eq('account_id', ACME)
						.select(),
				'denied',
				'activity_log'
			],
			[
				'olivia: erase Acme activity',
				'olivia',
				(c) => c.from('activity_log').delete().eq('account_id', ACME).select(),
				'denied',
				'activity_log'
			],
			// Without token_hash: lite cannot take a bytea as text (README), and the grant is what is tested.
			[
				'grace: insert an Acme invitation',
				'grace',
				(c) =>
					c
						.from('invitations')
						.insert({
							kind: 'client',
							account_id: ACME,
							email: uniqueEmail('direct'),
							role: 'owner'
						})
						.select(),
				'denied',
				'invitations'
			],
			[
				'olivia: raise an invitation’s role directly',
				'olivia',
				(c) => c.from('invitations').update({ role: 'owner' }).eq('account_id', ACME).select(),
				'denied',
				'invitations'
			],
			[
				'olivia: delete invitations directly',
				'olivia',
				(c) => c.from('invitations').delete().eq('account_id', ACME).select(),
				'denied',
				'invitations'
			]
		];
		for (const [name, who, run, outcome, table] of cases) {
			const answer = (await run(await as(who))) as Answer;
			recordAttempt(WRITES, name, {
				leaked: answer.error === null && rows(answer).length > 0,
				status: answer.status
			});
			if (outcome === 'denied')
				expectCode(answer, '42501', 403, `permission denied for table ${table}`);
			else if (outcome === 'rls') expectCode(answer, '42501', 403, rlsMessage(table!));
			else expectEmpty(answer);
		}
	});

	it('every row is as it was', async () => {
		expect(await snapshot()).toEqual(before);
	});
});

// ---------------------------------------------------------------------------------------
// Content: foreign writes, staff-only rows
// ---------------------------------------------------------------------------------------

type Refusal = 'none' | { code: string; status: number; message?: string };

const rlsRefusal = (table: string) => ({
	code: '42501',
	status: 403,
	message: `new row violates row-level security policy for table "${table}"`
});
const noGrant = (table: string) => ({
	code: '42501',
	status: 403,
	message: `permission denied for table ${table}`
});
/** A row whose parent is in another account: the composite foreign key has no such pair. */
const wrongParent = { code: '23503', status: 409 };

describe('writing content into another account', () => {
	let globexFolder: string;
	let globexVersion: string;
	let markMessage: string;
	/** An Acme file of Mark's that no row refers to yet. */
	let markSpare: string;
	/** A pending Acme approval (the seeded one may have been decided by the e2e tests). */
	let pending: string;
	let before: unknown;

	/** Both accounts' content, read by Ada (admin): the attempts below must change none of it. */
	async function contentSnapshot() {
		const ada = await as('ada');
		// Sorted here: a deterministic order without naming a unique key per table.
		const read = async (table: string, columns: string) => {
			const { data, error } = await ada.from(table).select(columns);
			expect(error, table).toBeNull();
			return (data as unknown[]).map((row) => JSON.stringify(row)).sort();
		};
		return {
			documents: await read('documents', 'id, folder_id, deleted_at, storage_path'),
			folders: await read('folders', 'id, account_id, parent_id, name'),
			fileRequests: await read('file_requests', 'id, account_id, status, title'),
			threads: await read('threads', 'id, account_id, subject, last_message_at'),
			messages: await read('messages', 'id, account_id, thread_id, body, internal'),
			attachments: await read('message_attachments', 'message_id, document_id'),
			projects: await read('projects', 'id, account_id, name, status'),
			milestones: await read('milestones', 'id, account_id, title, state'),
			updates: await read('status_updates', 'id, account_id, body, published_at'),
			approvals: await read('approvals', 'id, account_id, status, withdrawn_at'),
			approvers: await read('approval_approvers', 'approval_id, user_id'),
			responses: await read('approval_responses', 'id, approval_id, decision')
		};
	}

	beforeAll(async () => {
		const tess = await as('tess');
		const folder = await tess
			.from('folders')
			.insert({ account_id: GLOBEX, name: `Security ${randomUUID().slice(0, 8)}` })
			.select('id')
			.single();
		expect(folder.error).toBeNull();
		globexFolder = folder.data!.id;
		const version = await tess
			.from('document_versions')
			.select('id')
			.eq('document_id', GLOBEX_DOCS[0]!)
			.single();
		expect(version.error).toBeNull();
		globexVersion = version.data!.id;
		const sent = await (
			await as('mark')
		).rpc('send_message', {
			p_thread_id: ACME_CONTENT.thread,
			p_body: 'Security suite: a message to attach things to.'
		});
		expect(sent.error).toBeNull();
		markMessage = sent.data;
		markSpare = `${ACME}/${randomUUID()}/${randomUUID()}`;
		const spare = await (
			await as('mark')
		).storage
			.from('documents')
			.upload(markSpare, new Blob(['spare'], { type: 'text/plain' }));
		expect(spare.error).toBeNull();
		const sam = await as('sam');
		const approval = await sam
			.from('approvals')
			.insert({ account_id: ACME, document_version_id: ACME_CONTENT.version, title: 'Security' })
			.select('id')
			.single();
		expect(approval.error).toBeNull();
		pending = approval.data!.id;
		const approvers = await sam.from('approval_approvers').insert([
			{ approval_id: pending, account_id: ACME, user_id: userIds.olivia },
			{ approval_id: pending, account_id: ACME, user_id: userIds.mark }
		]);
		expect(approvers.error).toBeNull();
		before = await contentSnapshot();
	});

	afterAll(async () => {
		await (await as('tess')).from('folders').delete().eq('id', globexFolder);
		await (await as('mark')).storage.from('documents').remove([markSpare]);
		await (
			await as('sam')
		)
			.from('approvals')
			.update({ withdrawn_at: new Date().toISOString() })
			.eq('id', pending);
	});

	it('inserts, updates and deletes across accounts are refused or touch nothing', async () => {
		const cases: [string, Actor, (c: Loose) => PromiseLike<Answer>, Refusal][] = [
			[
				'mark: folder into Globex',
				'mark',
				(c) => c.from('folders').insert({ account_id: GLOBEX, name: 'attack' }).select(),
				rlsRefusal('folders')
			],
			[
				'mark: Acme sub-folder of a Globex folder',
				'mark',
				(c) =>
					c
						.from('folders')
						.insert({ account_id: ACME, parent_id: globexFolder, name: 'attack' })
						.select(),
				wrongParent
			],
			[
				'grace: rename an Acme folder',
				'grace',
				(c) =>
					c.from('folders').update({ name: 'pwned' }).eq('id', ACME_CONTENT.folders[0]).select(),
				'none'
			],
			[
				'tess: delete Acme folders',
				'tess',
				(c) => c.from('folders').delete().eq('account_id', ACME).select(),
				'none'
			],
			[
				'mark: move an Acme document into a Globex folder',
				'mark',
				(c) =>
					c.from('documents').update({ folder_id: globexFolder }).eq('id', ACME_DOCS[1]!).select(),
				wrongParent
			],
			[
				'grace: move an Acme document into her folder',
				'grace',
				(c) =>
					c.from('documents').update({ folder_id: globexFolder }).eq('id', ACME_DOCS[1]!).select(),
				'none'
			],
			[
				'grace: trash an Acme document',
				'grace',
				(c) =>
					c
						.from('documents')
						.update({ deleted_at: new Date().toISOString() })
						.eq('account_id', ACME)
						.select(),
				'none'
			],
			[
				'vera (viewer): trash an Acme document',
				'vera',
				(c) =>
					c
						.from('documents')
						.update({ deleted_at: new Date().toISOString() })
						.eq('id', ACME_DOCS[1]!)
						.select(),
				'none'
			],
			[
				'sam: a new version of a Globex document',
				'sam',
				(c) =>
					c
						.from('document_versions')
						.insert({
							document_id: GLOBEX_DOCS[0],
							account_id: GLOBEX,
							storage_path: GLOBEX_FILE,
							size_bytes: 1,
							mime_type: 'text/plain',
							uploaded_by: userIds.sam
						})
						.select(),
				rlsRefusal('document_versions')
			],
			[
				'mark: an Acme version of a Globex document',
				'mark',
				(c) =>
					c
						.from('document_versions')
						.insert({
							document_id: GLOBEX_DOCS[0],
							account_id: ACME,
							storage_path: markSpare,
							size_bytes: 1,
							mime_type: 'text/plain',
							uploaded_by: userIds.mark
						})
						.select(),
				wrongParent
			],
			[
				'sam: file request into Globex',
				'sam',
				(c) => c.from('file_requests').insert({ account_id: GLOBEX, title: 'attack' }).select(),
				rlsRefusal('file_requests')
			],
			[
				'mark (client): file request into Acme',
				'mark',
				(c) => c.from('file_requests').insert({ account_id: ACME, title: 'attack' }).select(),
				rlsRefusal('file_requests')
			],
			[
				'grace: close Acme’s file requests',
				'grace',
				(c) => c.from('file_requests').update({ status: 'closed' }).eq('account_id', ACME).select(),
				'none'
			],
			[
				'grace: thread into Acme',
				'grace',
				(c) => c.from('threads').insert({ account_id: ACME, subject: 'attack' }).select(),
				rlsRefusal('threads')
			],
			[
				'grace: start_thread in Acme',
				'grace',
				(c) => c.rpc('start_thread', { p_account_id: ACME, p_subject: 'attack', p_body: 'attack' }),
				rlsRefusal('threads')
			],
			[
				'vera (viewer): start_thread in Acme',
				'vera',
				(c) => c.rpc('start_thread', { p_account_id: ACME, p_subject: 'attack', p_body: 'attack' }),
				rlsRefusal('threads')
			],
			[
				'grace: message into an Acme thread',
				'grace',
				(c) =>
					c
						.from('messages')
						.insert({ thread_id: ACME_CONTENT.thread, account_id: ACME, body: 'attack' })
						.select(),
				rlsRefusal('messages')
			],
			[
				'grace: message into an Acme thread, filed under Globex',
				'grace',
				(c) =>
					c
						.from('messages')
						.insert({ thread_id: ACME_CONTENT.thread, account_id: GLOBEX, body: 'attack' })
						.select(),
				wrongParent
			],
			[
				'grace: send_message to an Acme thread',
				'grace',
				(c) => c.rpc('send_message', { p_thread_id: ACME_CONTENT.thread, p_body: 'attack' }),
				{ code: 'PT404', status: 404, message: 'thread_not_found' }
			],
			[
				'sam: send_message to a Globex thread',
				'sam',
				(c) => c.rpc('send_message', { p_thread_id: GLOBEX_CONTENT.thread, p_body: 'attack' }),
				{ code: 'PT404', status: 404, message: 'thread_not_found' }
			],
			[
				'mark: send_message with a Globex attachment',
				'mark',
				(c) =>
					c.rpc('send_message', {
						p_thread_id: ACME_CONTENT.thread,
						p_body: 'attack',
						p_document_ids: [GLOBEX_DOCS[0]]
					}),
				{ code: '22023', status: 400, message: 'attachment_not_found' }
			],
			[
				'mark: attach a Globex document to his Acme message',
				'mark',
				(c) =>
					c
						.from('message_attachments')
						.insert({ message_id: markMessage, document_id: GLOBEX_DOCS[0], account_id: ACME })
						.select(),
				// The policy admits only documents the caller can see.
				rlsRefusal('message_attachments')
			],
			[
				'mark: attach a Globex document, filed under Globex',
				'mark',
				(c) =>
					c
						.from('message_attachments')
						.insert({ message_id: markMessage, document_id: GLOBEX_DOCS[0], account_id: GLOBEX })
						.select(),
				rlsRefusal('message_attachments')
			],
			[
				'grace: attach her document to Mark’s Acme message',
				'grace',
				(c) =>
					c
						.from('message_attachments')
						.insert({ message_id: markMessage, document_id: GLOBEX_DOCS[0], account_id: GLOBEX })
						.select(),
				rlsRefusal('message_attachments')
			],
			[
				'olivia: attach a document to Mark’s message',
				'olivia',
				(c) =>
					c
						.from('message_attachments')
						.insert({ message_id: markMessage, document_id: ACME_DOCS[0], account_id: ACME })
						.select(),
				rlsRefusal('message_attachments')
			],
			[
				'grace: read mark on an Acme thread',
				'grace',
				(c) =>
					c
						.from('thread_reads')
						.insert({ thread_id: ACME_CONTENT.thread, account_id: ACME })
						.select(),
				rlsRefusal('thread_reads')
			],
			[
				'grace: read mark on an Acme thread, filed under Globex',
				'grace',
				(c) =>
					c
						.from('thread_reads')
						.insert({ thread_id: ACME_CONTENT.thread, account_id: GLOBEX })
						.select(),
				wrongParent
			],
			[
				'bill (billing): read mark on an Acme thread',
				'bill',
				(c) =>
					c
						.from('thread_reads')
						.insert({ thread_id: ACME_CONTENT.thread, account_id: ACME })
						.select(),
				rlsRefusal('thread_reads')
			],
			[
				'mark: move someone’s read mark (update thread_reads)',
				'mark',
				(c) =>
					c
						.from('thread_reads')
						.update({ last_read_at: new Date().toISOString() })
						.eq('user_id', userIds.sam)
						.select(),
				'none'
			],
			[
				'mark: rewrite a message',
				'mark',
				(c) => c.from('messages').update({ body: 'pwned' }).eq('id', markMessage).select(),
				noGrant('messages')
			],
			[
				'sam: project into Globex',
				'sam',
				(c) => c.from('projects').insert({ account_id: GLOBEX, name: 'attack' }).select(),
				rlsRefusal('projects')
			],
			[
				'olivia (client): project into Acme',
				'olivia',
				(c) => c.from('projects').insert({ account_id: ACME, name: 'attack' }).select(),
				rlsRefusal('projects')
			],
			[
				'tess: rename Acme’s projects',
				'tess',
				(c) => c.from('projects').update({ name: 'pwned' }).eq('account_id', ACME).select(),
				'none'
			],
			[
				'olivia (client): complete a milestone',
				'olivia',
				(c) => c.from('milestones').update({ state: 'done' }).eq('account_id', ACME).select(),
				'none'
			],
			[
				'sam: milestone in a Globex project',
				'sam',
				(c) =>
					c
						.from('milestones')
						.insert({ project_id: GLOBEX_CONTENT.project, account_id: GLOBEX, title: 'attack' })
						.select(),
				rlsRefusal('milestones')
			],
			[
				'sam: Acme milestone in a Globex project',
				'sam',
				(c) =>
					c
						.from('milestones')
						.insert({ project_id: GLOBEX_CONTENT.project, account_id: ACME, title: 'attack' })
						.select(),
				wrongParent
			],
			[
				'grace: delete Acme’s milestones',
				'grace',
				(c) => c.from('milestones').delete().eq('account_id', ACME).select(),
				'none'
			],
			[
				'grace: status update into Acme',
				'grace',
				(c) =>
					c
						.from('status_updates')
						.insert({ account_id: ACME, body: 'attack', published_at: new Date().toISOString() })
						.select(),
				rlsRefusal('status_updates')
			],
			[
				'mark (client): status update into Acme',
				'mark',
				(c) =>
					c
						.from('status_updates')
						.insert({ account_id: ACME, body: 'attack', published_at: new Date().toISOString() })
						.select(),
				rlsRefusal('status_updates')
			],
			[
				'sam: Acme status update on a Globex project',
				'sam',
				(c) =>
					c
						.from('status_updates')
						.insert({ account_id: ACME, project_id: GLOBEX_CONTENT.project, body: 'attack' })
						.select(),
				wrongParent
			],
			[
				'sam: approval into Globex',
				'sam',
				(c) =>
					c
						.from('approvals')
						.insert({ account_id: GLOBEX, document_version_id: globexVersion, title: 'attack' })
						.select(),
				rlsRefusal('approvals')
			],
			[
				'sam: Acme approval of a Globex version',
				'sam',
				(c) =>
					c
						.from('approvals')
						.insert({ account_id: ACME, document_version_id: globexVersion, title: 'attack' })
						.select(),
				wrongParent
			],
			[
				'olivia (client): approval into Acme',
				'olivia',
				(c) =>
					c
						.from('approvals')
						.insert({
							account_id: ACME,
							document_version_id: ACME_CONTENT.version,
							title: 'attack'
						})
						.select(),
				rlsRefusal('approvals')
			],
			[
				'sam: name Grace an Acme approver',
				'sam',
				(c) =>
					c
						.from('approval_approvers')
						.insert({ approval_id: pending, account_id: ACME, user_id: userIds.grace })
						.select(),
				rlsRefusal('approval_approvers')
			],
			[
				'sam: name Vera (a viewer, who cannot decide) an approver',
				'sam',
				(c) =>
					c
						.from('approval_approvers')
						.insert({ approval_id: pending, account_id: ACME, user_id: userIds.vera })
						.select(),
				rlsRefusal('approval_approvers')
			],
			[
				'olivia (client): name Vera an approver',
				'olivia',
				(c) =>
					c
						.from('approval_approvers')
						.insert({ approval_id: pending, account_id: ACME, user_id: userIds.vera })
						.select(),
				rlsRefusal('approval_approvers')
			],
			[
				'grace: approve the Acme approval',
				'grace',
				(c) =>
					c
						.from('approval_responses')
						.insert({ approval_id: pending, account_id: ACME, decision: 'approved' })
						.select(),
				rlsRefusal('approval_responses')
			],
			[
				'vera (viewer, not an approver): approve the Acme approval',
				'vera',
				(c) =>
					c
						.from('approval_responses')
						.insert({ approval_id: pending, account_id: ACME, decision: 'approved' })
						.select(),
				rlsRefusal('approval_responses')
			],
			[
				'tess: withdraw the Acme approval',
				'tess',
				(c) =>
					c
						.from('approvals')
						.update({ withdrawn_at: new Date().toISOString() })
						.eq('id', pending)
						.select(),
				'none'
			],
			[
				'olivia (client): withdraw the Acme approval',
				'olivia',
				(c) =>
					c
						.from('approvals')
						.update({ withdrawn_at: new Date().toISOString() })
						.eq('id', pending)
						.select(),
				'none'
			],
			[
				'olivia: approve by setting the status',
				'olivia',
				(c) => c.from('approvals').update({ status: 'approved' }).eq('id', pending).select(),
				noGrant('approvals')
			]
		];
		for (const [name, who, run, refusal] of cases) {
			const answer = (await run(await as(who))) as Answer;
			recordAttempt(WRITES, name, {
				leaked: answer.error === null && rows(answer).length > 0,
				status: answer.status
			});
			if (refusal === 'none') expectEmpty(answer);
			else expectCode(answer, refusal.code, refusal.status, refusal.message);
		}
	});

	it('a new document filed into another account’s folder is refused, and its upload removed', async () => {
		const mark = await as('mark');
		const id = randomUUID();
		const path = `${ACME}/${id}/${randomUUID()}`;
		const upload = await mark.storage
			.from('documents')
			.upload(path, new Blob(['misfiled'], { type: 'text/plain' }));
		expect(upload.error).toBeNull();
		const answer = (await mark
			.from('documents')
			.insert({
				id,
				account_id: ACME,
				folder_id: globexFolder,
				name: 'misfiled.txt',
				storage_path: path,
				size_bytes: 8,
				mime_type: 'text/plain',
				uploaded_by: userIds.mark
			})
			.select()) as Answer;
		recordAttempt(WRITES, 'mark: new Acme document into a Globex folder', {
			leaked: answer.error === null,
			status: answer.status
		});
		expectCode(answer, wrongParent.code, wrongParent.status);
		const removed = await mark.storage.from('documents').remove([path]);
		expect(removed.data?.map((object) => object.name)).toEqual([path]);
	});

	it('every content row is as it was', async () => {
		expect(await contentSnapshot()).toEqual(before);
	});
});

describe('internal notes and draft status updates, read by clients', () => {
	const noteBody = `Security suite internal note ${randomUUID()}`;
	let noteId: string;

	beforeAll(async () => {
		const sam = await as('sam');
		const note = await sam.rpc('send_message', {
			p_thread_id: ACME_CONTENT.thread,
			p_body: noteBody,
			p_internal: true,
			p_document_ids: [ACME_DOCS[1]]
		});
		expect(note.error).toBeNull();
		noteId = note.data;
		// The control: serving staff see the notes and the draft.
		const { data: notes } = await sam.from('messages').select('id').eq('internal', true);
		expect(notes!.length).toBeGreaterThanOrEqual(2);
		const { data: drafts } = await sam.from('status_updates').select('id').is('published_at', null);
		expect(drafts!.length).toBeGreaterThanOrEqual(1);
	});

	/** Whether an answer shows a note or a draft in any form. */
	function showsStaffOnly(answer: Answer) {
		const text = JSON.stringify(answer.data ?? null);
		return (
			(answer.count ?? 0) > 0 ||
			text.includes('"internal":true') ||
			text.includes(noteBody) ||
			text.includes(noteId) ||
			text.includes('Internal: ') ||
			text.includes('"published_at":null') ||
			text.includes('Draft: ')
		);
	}

	const probes: [string, (c: Loose) => PromiseLike<Answer>][] = [
		['threads?select=*,messages(*)', (c) => c.from('threads').select('*, messages(*)')],
		['messages (all)', (c) => c.from('messages').select('*')],
		['messages .eq(internal, true)', (c) => c.from('messages').select('*').eq('internal', true)],
		['messages .eq(id) of the note', (c) => c.from('messages').select('*').eq('id', noteId)],
		[
			'messages or=(internal.is.true,id.eq.<note>)',
			(c) => c.from('messages').select('*').or(`internal.is.true,id.eq.${noteId}`)
		],
		[
			'messages count=exact .eq(internal, true)',
			(c) => c.from('messages').select('*', { count: 'exact', head: true }).eq('internal', true)
		],
		[
			'message_attachments .eq(message_id) of the note',
			(c) => c.from('message_attachments').select('*').eq('message_id', noteId)
		],
		[
			'message_attachments → messages(*)',
			(c) => c.from('message_attachments').select('*, messages(*)')
		],
		[
			'message_attachments count=exact .eq(message_id) of the note',
			(c) =>
				c
					.from('message_attachments')
					.select('*', { count: 'exact', head: true })
					.eq('message_id', noteId)
		],
		[
			'documents → message_attachments(messages(*)) of the attached document',
			(c) =>
				c
					.from('documents')
					.select('id, message_attachments(message_id, messages(*))')
					.eq('id', ACME_DOCS[1]!)
		],
		[
			'client_accounts → threads(messages(*))',
			(c) => c.from('client_accounts').select('id, threads(id, messages(*))')
		],
		[
			'status_updates .is(published_at, null)',
			(c) => c.from('status_updates').select('*').is('published_at', null)
		],
		['status_updates (all)', (c) => c.from('status_updates').select('*')],
		[
			'status_updates or=(published_at.is.null,id.is.null)',
			(c) => c.from('status_updates').select('*').or('published_at.is.null,id.is.null')
		],
		[
			'status_updates count=exact .is(published_at, null)',
			(c) =>
				c
					.from('status_updates')
					.select('*', { count: 'exact', head: true })
					.is('published_at', null)
		],
		['projects → status_updates(*)', (c) => c.from('projects').select('id, status_updates(*)')],
		[
			'client_accounts → projects(status_updates(*))',
			(c) => c.from('client_accounts').select('id, projects(id, status_updates(*))')
		]
	];

	it.each(['olivia', 'mark', 'vera'] as const)('%s sees none of them', async (who) => {
		const client = await as(who);
		for (const [name, run] of probes) {
			const answer = (await run(client)) as Answer;
			const leaked = showsStaffOnly(answer);
			recordAttempt(STAFF_ONLY, `${who}: ${name}`, { leaked, status: answer.status });
			expect.soft(leaked, `${who}: ${name}`).toBe(false);
			expect.soft(answer.error, `${who}: ${name}`).toBeNull();
			expect.soft(answer.status, `${who}: ${name}`).toBe(200);
		}

		// The inbox's count agrees with what the client can read: notes are not counted.
		const summaries = (await client.rpc('thread_summaries', { p_account_id: ACME })) as Answer;
		const summary = rows(summaries).find((row) => row.id === ACME_CONTENT.thread);
		const { count: visible } = await client
			.from('messages')
			.select('*', { count: 'exact', head: true })
			.eq('thread_id', ACME_CONTENT.thread);
		recordAttempt(STAFF_ONLY, `${who}: thread_summaries counts no notes`, {
			leaked: summary?.message_count !== visible,
			status: summaries.status
		});
		expect.soft(summary?.message_count).toBe(visible);
	});

	it('clients cannot write a note, unhide one, or publish a draft', async () => {
		const cases: [string, Actor, (c: Loose) => PromiseLike<Answer>, Refusal][] = [
			[
				'mark: insert an internal note',
				'mark',
				(c) =>
					c
						.from('messages')
						.insert({
							thread_id: ACME_CONTENT.thread,
							account_id: ACME,
							body: 'attack',
							internal: true
						})
						.select(),
				rlsRefusal('messages')
			],
			[
				'olivia: send_message as an internal note',
				'olivia',
				(c) =>
					c.rpc('send_message', {
						p_thread_id: ACME_CONTENT.thread,
						p_body: 'attack',
						p_internal: true
					}),
				rlsRefusal('messages')
			],
			[
				'olivia: make the note public',
				'olivia',
				(c) => c.from('messages').update({ internal: false }).eq('id', noteId).select(),
				noGrant('messages')
			],
			[
				'olivia: publish the draft',
				'olivia',
				(c) =>
					c
						.from('status_updates')
						.update({ published_at: new Date().toISOString() })
						.is('published_at', null)
						.select(),
				'none'
			],
			[
				'tess: publish Acme’s draft',
				'tess',
				(c) =>
					c
						.from('status_updates')
						.update({ published_at: new Date().toISOString() })
						.eq('account_id', ACME)
						.select(),
				'none'
			]
		];
		for (const [name, who, run, refusal] of cases) {
			const answer = (await run(await as(who))) as Answer;
			recordAttempt(STAFF_ONLY, name, {
				leaked: answer.error === null && rows(answer).length > 0,
				status: answer.status
			});
			if (refusal === 'none') expectEmpty(answer);
			else expectCode(answer, refusal.code, refusal.status, refusal.message);
		}
		const { data: drafts } = await (
			await as('sam')
		)
			.from('status_updates')
			.select('id')
			.is('published_at', null);
		expect(drafts!.length).toBeGreaterThanOrEqual(1);
	});

	it('content RPCs answer nothing about another account', async () => {
		const cases: [
			string,
			Actor,
			(c: Loose) => PromiseLike<Answer>,
			{ code: string; status: number; message?: string } | 'empty'
		][] = [
			[
				'mark: thread_summaries of Globex',
				'mark',
				(c) => c.rpc('thread_summaries', { p_account_id: GLOBEX }),
				'empty'
			],
			[
				'bill (billing): thread_summaries of Acme',
				'bill',
				(c) => c.rpc('thread_summaries', { p_account_id: ACME }),
				'empty'
			],
			[
				'stranger: thread_summaries of Acme',
				'stranger',
				(c) => c.rpc('thread_summaries', { p_account_id: ACME }),
				'empty'
			],
			[
				'grace: record_document_access of an Acme version',
				'grace',
				(c) =>
					c.rpc('record_document_access', {
						p_version_id: ACME_CONTENT.version,
						p_kind: 'viewed'
					}),
				{ code: 'PT404', status: 404, message: 'document_not_found' }
			],
			[
				'bill (billing): record_document_access of an Acme version',
				'bill',
				(c) =>
					c.rpc('record_document_access', {
						p_version_id: ACME_CONTENT.version,
						p_kind: 'downloaded'
					}),
				{ code: 'PT404', status: 404, message: 'document_not_found' }
			],
			[
				'grace: record_document_access of a random id',
				'grace',
				(c) => c.rpc('record_document_access', { p_version_id: randomUUID(), p_kind: 'viewed' }),
				{ code: 'PT404', status: 404, message: 'document_not_found' }
			]
		];
		for (const [name, who, run, refusal] of cases) {
			const answer = (await run(await as(who))) as Answer;
			recordAttempt(RPC, name, {
				leaked: refusal === 'empty' ? rows(answer).length > 0 : answer.error === null,
				status: answer.status
			});
			if (refusal === 'empty') expectEmpty(answer);
			else expectCode(answer, refusal.code, refusal.status, refusal.message);
		}
		for (const fn of [
			'thread_summaries',
			'send_message',
			'start_thread',
			'record_document_access'
		]) {
			const answer = (await (await as('anon')).rpc(fn, {})) as Answer;
			recordAttempt(RPC, `anon: ${fn}`, { leaked: answer.error === null, status: answer.status });
			expect.soft(answer.error, fn).not.toBeNull();
			expect.soft(answer.status, fn).toBeGreaterThanOrEqual(400);
			expect.soft(answer.status, fn).toBeLessThan(500);
		}
	});
});

// ---------------------------------------------------------------------------------------
// Role escalation
// ---------------------------------------------------------------------------------------

describe('escalating roles', () => {
	let before: unknown;
	const roles = async () => {
		const ada = await as('ada');
		const [members, staff] = await Promise.all([
			ada
				.from('account_members')
				.select('account_id, user_id, role')
				.order('account_id')
				.order('user_id'),
			ada.from('staff_members').select('user_id, role').order('user_id')
		]);
		return { members: members.data, staff: staff.data };
	};

	beforeAll(async () => {
		before = await roles();
	});

	it('through the tables', async () => {
		const cases: [
			string,
			Actor,
			(c: Loose) => PromiseLike<Answer>,
			'denied' | 'rls' | 'none',
			string?
		][] = [
			[
				'mark (member): own role → owner',
				'mark',
				(c) =>
					c.from('account_members').update({ role: 'owner' }).eq('user_id', userIds.mark).select(),
				'none'
			],
			[
				'vera (viewer): own role → owner',
				'vera',
				(c) =>
					c.from('account_members').update({ role: 'owner' }).eq('user_id', userIds.vera).select(),
				'none'
			],
			[
				'bill (billing): own role → member',
				'bill',
				(c) =>
					c.from('account_members').update({ role: 'member' }).eq('user_id', userIds.bill).select(),
				'none'
			],
			[
				'mark: Vera → owner',
				'mark',
				(c) =>
					c.from('account_members').update({ role: 'owner' }).eq('user_id', userIds.vera).select(),
				'none'
			],
			[
				'grace: own Globex role set in Acme',
				'grace',
				(c) => c.from('account_members').update({ role: 'viewer' }).eq('account_id', ACME).select(),
				'none'
			],
			[
				'mark: upsert self as owner',
				'mark',
				(c) =>
					c
						.from('account_members')
						.upsert({ account_id: ACME, user_id: userIds.mark, role: 'owner' })
						.select(),
				'denied',
				'account_members'
			],
			[
				'tess: own staff role → admin',
				'tess',
				(c) =>
					c.from('staff_members').update({ role: 'admin' }).eq('user_id', userIds.tess).select(),
				'none'
			],
			[
				'sam: Tess → admin',
				'sam',
				(c) =>
					c.from('staff_members').update({ role: 'admin' }).eq('user_id', userIds.tess).select(),
				'none'
			],
			[
				'sam: demote Ada',
				'sam',
				(c) =>
					c.from('staff_members').update({ role: 'staff' }).eq('user_id', userIds.ada).select(),
				'none'
			],
			[
				'sam: remove Ada from the staff',
				'sam',
				(c) => c.from('staff_members').delete().eq('user_id', userIds.ada).select(),
				'none'
			],
			[
				'tess: make Grace an admin (insert staff_members)',
				'tess',
				(c) => c.from('staff_members').insert({ user_id: userIds.grace, role: 'admin' }).select(),
				'denied',
				'staff_members'
			],
			[
				'grace: make herself an admin (insert staff_members)',
				'grace',
				(c) => c.from('staff_members').insert({ user_id: userIds.grace, role: 'admin' }).select(),
				'denied',
				'staff_members'
			],
			[
				'stranger: join the staff (insert staff_members)',
				'stranger',
				async (c) =>
					c
						.from('staff_members')
						.insert({ user_id: (await c.auth.getUser()).data.user!.id, role: 'staff' })
						.select(),
				'denied',
				'staff_members'
			],
			[
				'tess: assign herself to Acme',
				'tess',
				(c) =>
					c
						.from('staff_assignments')
						.insert({ account_id: ACME, staff_user_id: userIds.tess })
						.select(),
				'rls',
				'staff_assignments'
			],
			[
				'sam: assign himself to Globex',
				'sam',
				(c) =>
					c
						.from('staff_assignments')
						.insert({ account_id: GLOBEX, staff_user_id: userIds.sam })
						.select(),
				'rls',
				'staff_assignments'
			],
			[
				'olivia: assign Sam to Globex',
				'olivia',
				(c) =>
					c
						.from('staff_assignments')
						.insert({ account_id: GLOBEX, staff_user_id: userIds.sam })
						.select(),
				'rls',
				'staff_assignments'
			],
			[
				'grace: profile email → Olivia’s address',
				'grace',
				(c) =>
					c
						.from('profiles')
						.update({ email: 'olivia@acme.example.com' })
						.eq('id', userIds.grace)
						.select(),
				'denied',
				'profiles'
			],
			[
				'grace: profile id → Mark’s',
				'grace',
				(c) => c.from('profiles').update({ id: userIds.mark }).eq('id', userIds.grace).select(),
				'denied',
				'profiles'
			]
		];
		for (const [name, who, run, outcome, table] of cases) {
			const answer = (await run(await as(who))) as Answer;
			recordAttempt(ROLES, name, {
				leaked: answer.error === null && rows(answer).length > 0,
				status: answer.status
			});
			if (outcome === 'denied')
				expectCode(answer, '42501', 403, `permission denied for table ${table}`);
			else if (outcome === 'rls')
				expectCode(
					answer,
					'42501',
					403,
					`new row violates row-level security policy for table "${table}"`
				);
			else expectEmpty(answer);
		}
		expect(await roles()).toEqual(before);
	});

	it('through invitations', async () => {
		const olivia = await as('olivia');
		// An owner cannot re-invite an existing member to switch their role.
		const again = (await olivia.rpc('create_invitation', {
			p_account_id: ACME,
			p_email: 'mark@acme.example.com',
			p_role: 'owner'
		})) as Answer;
		recordAttempt(ROLES, 'olivia: invite Mark (already a member) as owner', {
			leaked: again.error === null,
			status: again.status
		});
		expectCode(again, '23505', 409, 'already_member');

		// Tess invites herself into Acme: not serving it, not allowed.
		const tess = (await (
			await as('tess')
		).rpc('create_invitation', {
			p_account_id: ACME,
			p_email: 'tess@staff.example.com',
			p_role: 'owner'
		})) as Answer;
		recordAttempt(ROLES, 'tess: invite herself into Acme as owner', {
			leaked: tess.error === null,
			status: tess.status
		});
		expectCode(tess, '42501', 403, 'not_allowed');

		// A stranger changes their address to the invited one: the change waits for confirmation,
		// and the invitation still belongs to someone else.
		const invited = uniqueEmail('invited-owner');
		const created = await olivia.rpc('create_invitation', {
			p_account_id: ACME,
			p_email: invited,
			p_role: 'owner'
		});
		expect(created.error).toBeNull();
		const stranger = await as('stranger');
		const change = await stranger.auth.updateUser({ email: invited });
		expect(change.error).toBeNull();
		expect(change.data.user?.email).not.toBe(invited);
		await stranger.auth.refreshSession();
		const accept = (await stranger.rpc('accept_invitation', {
			p_token: created.data[0].token
		})) as Answer;
		recordAttempt(ROLES, 'stranger: accept an owner invitation after an unconfirmed email change', {
			leaked: accept.error === null,
			status: accept.status
		});
		expectCode(accept, '42501', 403, 'invitation_wrong_email');

		// Metadata the user writes is no role.
		const meta = await stranger.auth.updateUser({ data: { role: 'admin', is_admin: true } });
		expect(meta.error).toBeNull();
		await stranger.auth.refreshSession();
		const staffInvite = (await stranger.rpc('create_staff_invitation', {
			p_email: uniqueEmail('meta'),
			p_role: 'admin'
		})) as Answer;
		recordAttempt(ROLES, 'stranger: user_metadata role=admin, then invite staff', {
			leaked: staffInvite.error === null,
			status: staffInvite.status
		});
		expectCode(staffInvite, '42501', 403, 'not_allowed');
		const staffRows = (await stranger.from('staff_members').select('*')) as Answer;
		recordAttempt(ROLES, 'stranger: user_metadata role=admin, then read the staff', {
			leaked: rows(staffRows).length > 0,
			status: staffRows.status
		});
		expectEmpty(staffRows);

		expect(
			(await olivia.rpc('revoke_invitation', { p_invitation_id: created.data[0].invitation_id }))
				.error
		).toBeNull();
		expect(await roles()).toEqual(before);
	});
});

// ---------------------------------------------------------------------------------------
// Storage paths
// ---------------------------------------------------------------------------------------

const RLS_STORAGE = {
	status: 400,
	statusCode: '403',
	message: 'new row violates row-level security policy'
};
const NOT_FOUND = { status: 400, statusCode: '404', message: 'Object not found' };

describe('storage paths', () => {
	const bucket = 'documents';
	const run = randomUUID();
	let globexListing: unknown;

	const listGlobex = async () => {
		const grace = await as('grace');
		const { data } = await grace.storage
			.from(bucket)
			.list(GLOBEX, { sortBy: { column: 'name', order: 'asc' } });
		return data?.map((entry) => entry.name);
	};

	beforeAll(async () => {
		globexListing = await listGlobex();
		expect(globexListing).toEqual(GLOBEX_DOCS);
	});

	it('uploads through supabase-js outside the caller’s folders are refused', async () => {
		const cases: [Actor, string, { status: number; statusCode: string; message: string }][] = [
			['mark', `${GLOBEX}/${run}/a.txt`, RLS_STORAGE],
			['mark', `${ACME}/../${GLOBEX}/${run}/a.txt`, RLS_STORAGE],
			['mark', `${ACME}/%2e%2e/${GLOBEX}/${run}/a.txt`, RLS_STORAGE],
			[
				'mark',
				`${ACME}%2F..%2F${GLOBEX}/${run}/a.txt`,
				{
					status: 400,
					statusCode: '400',
					message: `Invalid object key: ${ACME}%2F..%2F${GLOBEX}/${run}/a.txt`
				}
			],
			['mark', `not-a-uuid/${run}/a.txt`, RLS_STORAGE],
			['mark', `/${GLOBEX}/${run}/a.txt`, RLS_STORAGE],
			['mark', `${GLOBEX}//${run}/a.txt`, RLS_STORAGE],
			['mark', `${ACME}\\..\\${GLOBEX}/${run}/a.txt`, RLS_STORAGE],
			['grace', `${ACME}/${run}/a.txt`, RLS_STORAGE],
			['grace', `/${ACME}/${run}/a.txt`, RLS_STORAGE],
			['grace', `${ACME}//${run}/a.txt`, RLS_STORAGE],
			['grace', `${ACME.toUpperCase()}/${run}/a.txt`, RLS_STORAGE],
			['tess', `${ACME}/${run}/a.txt`, RLS_STORAGE],
			['stranger', `${ACME}/${run}/a.txt`, RLS_STORAGE],
			['anon', `${ACME}/${run}/a.txt`, RLS_STORAGE],
			['vera', `${ACME}/${run}/viewer.txt`, RLS_STORAGE],
			['bill', `${ACME}/${run}/billing.txt`, RLS_STORAGE]
		];
		for (const [who, path, refusal] of cases) {
			const { data, error } = await (
				await as(who)
			).storage
				.from(bucket)
				.upload(path, new Blob(['attack'], { type: 'text/plain' }));
			const seen = storageError(error);
			recordAttempt(PATHS, `${who}: upload ${path.replaceAll(run, '<run>')}`, {
				leaked: data !== null,
				status: seen?.status ?? 200
			});
			expect.soft(data, path).toBeNull();
			expect.soft(seen, path).toEqual(refusal);
		}
	});

	it('uploads with the path sent as is (no client-side tidying) are refused', async () => {
		const mark = await as('mark');
		const invalidKey = (key: string) =>
			JSON.stringify({
				statusCode: '400',
				error: 'Invalid key',
				message: `Invalid object key: ${key}`
			});
		const rls = JSON.stringify({
			statusCode: '403',
			error: 'Unauthorized',
			message: 'new row violates row-level security policy'
		});
		const cases: [string, number, string][] = [
			[`${ACME}/../${GLOBEX}/${run}/raw.txt`, 400, rls],
			[`${ACME}/x/../../${GLOBEX}/${run}/raw.txt`, 400, rls],
			[`${ACME}/%2e%2e/${GLOBEX}/${run}/raw.txt`, 400, rls],
			[`${ACME}/%2E%2E/${GLOBEX}/${run}/raw.txt`, 400, rls],
			[
				`${ACME}%2F..%2F${GLOBEX}/${run}/raw.txt`,
				400,
				invalidKey(`${ACME}%2F..%2F${GLOBEX}/${run}/raw.txt`)
			],
			[
				`${ACME}/x/%2e%2e%2f%2e%2e%2f${GLOBEX}/${run}/raw.txt`,
				400,
				invalidKey(`${ACME}/x/..%2f..%2f${GLOBEX}/${run}/raw.txt`)
			],
			[`not-a-uuid/${run}/raw.txt`, 400, rls],
			// Into Mark's own account, but with an empty or dot segment the policy refuses.
			[`/${ACME}/${run}/raw.txt`, 400, invalidKey(`/${ACME}/${run}/raw.txt`)],
			[`${ACME}//${run}/raw.txt`, 400, rls],
			[`${ACME}/${run}/..`, 400, rls],
			// A NUL byte in the key: hosted Storage refuses the key with a 400 (lite: a 500, finding).
			[`${ACME}/${run}/%00.txt`, 400, invalidKey(`${ACME}/${run}/\u0000.txt`)]
		];
		for (const [path, status, body] of cases) {
			const answer = await raw(mark, 'POST', `/storage/v1/object/${bucket}/${path}`, 'attack', {
				'content-type': 'text/plain'
			});
			recordAttempt(PATHS, `mark: raw POST ${path.replaceAll(run, '<run>')}`, {
				leaked: answer.status === 200,
				status: answer.status
			});
			expect.soft(answer.status, path).toBe(status);
			expect.soft(answer.body, path).toBe(body);
		}
	});

	it('another account’s object cannot be read, listed, moved or replaced', async () => {
		const globexFolder = `${GLOBEX}/${GLOBEX_DOCS[0]}`;
		for (const who of [
			'mark',
			'olivia',
			'vera',
			'bill',
			'sam',
			'tess',
			'stranger',
			'anon'
		] as const) {
			const storage = (await as(who)).storage.from(bucket);
			// Tess serves Globex only: she tries Acme's object instead.
			const target = who === 'tess' ? ACME_FILE : GLOBEX_FILE;
			const folder = who === 'tess' ? `${ACME}/${ACME_DOCS[1]}` : globexFolder;
			const label = (op: string) =>
				`${who}: ${op} ${who === 'tess' ? 'an Acme' : 'a Globex'} object`;

			const download = await storage.download(target);
			recordAttempt(PATHS, label('download'), {
				leaked: download.data !== null,
				status: storageError(download.error)?.status ?? 200
			});
			expect.soft(download.data, label('download')).toBeNull();
			expect.soft(storageError(download.error), label('download')).toEqual(NOT_FOUND);

			const head = await raw(
				who === 'anon' ? null : await as(who),
				'HEAD',
				`/storage/v1/object/${bucket}/${encodeURI(target)}`
			);
			recordAttempt(PATHS, label('HEAD'), { leaked: head.status === 200, status: head.status });
			expect.soft(head.status, label('HEAD')).toBe(400);

			for (const path of [folder.split('/')[0]!, folder]) {
				const list = await storage.list(path);
				recordAttempt(
					PATHS,
					label(`list ${path === folder ? 'the document folder of' : 'the account folder of'}`),
					{
						leaked: (list.data ?? []).length > 0,
						status: storageError(list.error)?.status ?? 200
					}
				);
				expect.soft(list.error, label('list')).toBeNull();
				expect.soft(list.data, label('list')).toEqual([]);
			}

			const info = await storage.info(target);
			recordAttempt(PATHS, label('info'), {
				leaked: info.data !== null,
				status: storageError(info.error)?.status ?? 200
			});
			expect.soft(storageError(info.error), label('info')).toEqual({ ...NOT_FOUND });

			const exists = await storage.exists(target);
			recordAttempt(PATHS, label('exists'), {
				leaked: exists.data === true,
				status: storageError(exists.error)?.status ?? 200
			});
			expect.soft(exists.data, label('exists')).toBe(false);

			const removed = await storage.remove([target]);
			recordAttempt(PATHS, label('remove'), {
				leaked: (removed.data ?? []).length > 0,
				status: storageError(removed.error)?.status ?? 200
			});
			expect.soft(removed.error, label('remove')).toBeNull();
			expect.soft(removed.data, label('remove')).toEqual([]);

			for (const op of ['move', 'copy'] as const) {
				const moved = await storage[op](
					target,
					`${who === 'tess' ? GLOBEX : ACME}/${run}/${op}-${who}.pdf`
				);
				recordAttempt(PATHS, label(op), {
					leaked: moved.data !== null,
					status: storageError(moved.error)?.status ?? 200
				});
				expect.soft(moved.data, label(op)).toBeNull();
				expect.soft(storageError(moved.error), label(op)).toEqual(NOT_FOUND);
			}

			for (const op of ['update', 'upsert'] as const) {
				const replaced =
					op === 'update'
						? await storage.update(target, new Blob(['replaced'], { type: 'text/plain' }))
						: await storage.upload(target, new Blob(['replaced'], { type: 'text/plain' }), {
								upsert: true
							});
				recordAttempt(PATHS, label(op), {
					leaked: replaced.data !== null,
					status: storageError(replaced.error)?.status ?? 200
				});
				expect.soft(replaced.data, label(op)).toBeNull();
				expect.soft(storageError(replaced.error), label(op)).toEqual(RLS_STORAGE);
			}
		}

		// The Globex file and folder are untouched (Acme's are checked by the signed-URL tests).
		const grace = (await as('grace')).storage.from(bucket);
		const { data: file } = await grace.download(GLOBEX_FILE);
		expect(file?.size).toBe(GLOBEX_FILE_SIZE);
		expect(await listGlobex()).toEqual(globexListing);
		const sam = (await as('sam')).storage.from(bucket);
		const { data: acmeFolder } = await sam.list(ACME, { sortBy: { column: 'name', order: 'asc' } });
		expect(acmeFolder?.map((e) => e.name).filter((name) => name === run)).toEqual([]);
	});
});

// ---------------------------------------------------------------------------------------
// Signed URLs
// ---------------------------------------------------------------------------------------

describe('signed URLs', () => {
	const bucket = 'documents';
	const invalidToken = JSON.stringify({ error: 'Invalid token' });
	const invalidJwt = (message: string) =>
		JSON.stringify({ statusCode: '400', error: 'InvalidJWT', message });

	async function signed(path: string, seconds: number) {
		const { data, error } = await (
			await as('mark')
		).storage
			.from(bucket)
			.createSignedUrl(path, seconds);
		expect(error).toBeNull();
		return new URL(data!.signedUrl);
	}

	async function attempt(name: string, url: URL, status: number, body: string, init?: RequestInit) {
		const response = await fetch(url, init);
		const text = await response.text();
		recordAttempt(SIGNED, name, { leaked: response.ok, status: response.status });
		expect.soft(response.status, name).toBe(status);
		expect.soft(text, name).toBe(body);
	}

	it('another account’s object cannot be signed', async () => {
		for (const who of ['mark', 'vera', 'sam', 'stranger'] as const) {
			const storage = (await as(who)).storage.from(bucket);
			const one = await storage.createSignedUrl(GLOBEX_FILE, 60);
			recordAttempt(SIGNED, `${who}: createSignedUrl of a Globex object`, {
				leaked: one.data !== null,
				status: storageError(one.error)?.status ?? 200
			});
			expect.soft(one.data).toBeNull();
			expect.soft(storageError(one.error)).toEqual(NOT_FOUND);

			const many = await storage.createSignedUrls([GLOBEX_FILE], 60);
			recordAttempt(SIGNED, `${who}: createSignedUrls of a Globex object`, {
				leaked: (many.data ?? []).some((entry) => entry.signedUrl),
				status: storageError(many.error)?.status ?? 200
			});
			expect.soft(many.error).toBeNull();
			expect
				.soft(many.data?.map((entry) => ({ error: entry.error, signedUrl: entry.signedUrl })))
				.toEqual([
					{
						error: 'Either the object does not exist or you do not have access to it',
						signedUrl: null
					}
				]);
		}
		const bill = await (await as('bill')).storage.from(bucket).createSignedUrl(ACME_FILE, 60);
		recordAttempt(SIGNED, 'bill (billing): createSignedUrl of an Acme document', {
			leaked: bill.data !== null,
			status: storageError(bill.error)?.status ?? 200
		});
		expect.soft(storageError(bill.error)).toEqual(NOT_FOUND);

		const upload = await (
			await as('mark')
		).storage
			.from(bucket)
			.createSignedUploadUrl(`${GLOBEX}/${randomUUID()}/a.txt`);
		recordAttempt(SIGNED, 'mark: createSignedUploadUrl into Globex', {
			leaked: upload.data !== null,
			status: storageError(upload.error)?.status ?? 200
		});
		expect.soft(storageError(upload.error)).toEqual(RLS_STORAGE);
	});

	it('a signed URL stops working when it expires', async () => {
		const url = await signed(ACME_FILE, 1);
		await new Promise((resolve) => setTimeout(resolve, 2500));
		await attempt(
			'mark: a 1 s signed URL fetched after 2.5 s',
			url,
			400,
			invalidJwt('"exp" claim timestamp check failed')
		);
	});

	it('a signed URL’s token opens nothing but its own object', async () => {
		const url = await signed(ACME_FILE, 60);
		const control = await fetch(url);
		expect(control.status).toBe(200);
		await control.arrayBuffer();

		const swap = (path: string) => {
			const copy = new URL(url);
			copy.pathname = `/storage/v1/object/sign/${bucket}/${path}`;
			return copy;
		};
		// lite answers 403 "Invalid token"; hosted Storage refuses a mismatched path with a 400.
		await attempt(
			'token for an Acme object, path of a Globex object',
			swap(GLOBEX_FILE),
			403,
			invalidToken
		);
		await attempt(
			'token for an Acme object, path of another Acme object',
			swap(ACME_OTHER_FILE),
			403,
			invalidToken
		);
		await attempt(
			'token for an Acme object, path ../ into Globex',
			swap(`${ACME}/../${GLOBEX_FILE}`),
			403,
			invalidToken
		);

		const upload = new URL(url);
		upload.pathname = upload.pathname.replace('/object/sign/', '/object/upload/sign/');
		await attempt('download token used to upload over the object', upload, 403, invalidToken, {
			method: 'PUT',
			body: 'replaced',
			headers: { 'content-type': 'text/plain' }
		});

		const token = url.searchParams.get('token')!;
		const [header, payload] = token.split('.') as [string, string, string];
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
			string,
			unknown
		>;
		const forge = (parts: string[]) => {
			const copy = swap(GLOBEX_FILE);
			copy.searchParams.set('token', parts.join('.'));
			return copy;
		};
		const globexClaims = Buffer.from(JSON.stringify({ ...claims, sub: GLOBEX_FILE })).toString(
			'base64url'
		);
		await attempt(
			'token with its path claim rewritten to a Globex object',
			forge([header, globexClaims, token.split('.')[2]!]),
			400,
			invalidJwt('signature verification failed')
		);
		await attempt(
			'unsigned token (alg none) for a Globex object',
			forge([Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url'), globexClaims, '']),
			400,
			invalidJwt('"alg" (Algorithm) Header Parameter value not allowed')
		);
		await attempt('garbage token', forge(['garbage']), 400, invalidJwt('Invalid Compact JWS'));
		const missing = swap(GLOBEX_FILE);
		missing.searchParams.delete('token');
		await attempt('no token', missing, 400, JSON.stringify({ error: 'Missing token' }));
	});

	it('a signed upload URL’s token writes nowhere but its own path', async () => {
		const mark = (await as('mark')).storage.from(bucket);
		const own = `${ACME}/${randomUUID()}/signed-upload.txt`;
		const { data, error } = await mark.createSignedUploadUrl(own);
		expect(error).toBeNull();
		const target = `${GLOBEX}/${randomUUID()}/signed-upload.txt`;
		const swapped = await mark.uploadToSignedUrl(target, data!.token, new Blob(['attack']));
		recordAttempt(SIGNED, 'signed upload token used for a Globex path', {
			leaked: swapped.data !== null,
			status: (swapped.error as { status?: number } | null)?.status ?? 200
		});
		expect.soft(swapped.data).toBeNull();
		expect
			.soft(storageError(swapped.error))
			.toEqual({ status: 403, statusCode: '403', message: 'Invalid token' });
		const url = new URL(data!.signedUrl);
		url.pathname = `/storage/v1/object/upload/sign/${bucket}/${ACME}/../${target}`;
		await attempt('signed upload token with a ../ path into Globex', url, 403, invalidToken, {
			method: 'PUT',
			body: 'attack',
			headers: { 'content-type': 'text/plain' }
		});
	});
});

// ---------------------------------------------------------------------------------------
// Invitation tokens
// ---------------------------------------------------------------------------------------

describe('invitation tokens', () => {
	const notFound = { code: 'PT404', status: 404, message: 'invitation_not_found' };

	async function accept(who: Actor | Loose, token: unknown): Promise<Answer> {
		const client = typeof who === 'string' ? await as(who) : who;
		return (await client.rpc('accept_invitation', { p_token: token as string })) as Answer;
	}

	it('used, replaced and withdrawn tokens are refused', async () => {
		const olivia = await as('olivia');
		const email = uniqueEmail('invitee');
		const first = await olivia.rpc('create_invitation', {
			p_account_id: ACME,
			p_email: email,
			p_role: 'viewer'
		});
		expect(first.error).toBeNull();
		const resent = await olivia.rpc('resend_invitation', {
			p_invitation_id: first.data[0].invitation_id
		});
		expect(resent.error).toBeNull();
		// Inviting the same address again withdraws the open invitation.
		const second = await olivia.rpc('create_invitation', {
			p_account_id: ACME,
			p_email: email,
			p_role: 'member'
		});
		expect(second.error).toBeNull();
		const invitee = (await newConfirmedUser(email)) as unknown as Loose;

		const cases: [
			string,
			Actor | Loose,
			string,
			{ code: string; status: number; message: string }
		][] = [
			['token replaced by a resend', invitee, first.data[0].token, notFound],
			[
				'token of an invitation withdrawn by a new one',
				invitee,
				resent.data[0].token,
				{ code: '22023', status: 400, message: 'invitation_revoked' }
			],
			[
				'the invitee’s token in a stranger’s hands',
				'stranger',
				second.data[0].token,
				{ code: '42501', status: 403, message: 'invitation_wrong_email' }
			],
			[
				'the invitee’s token in Grace’s hands',
				'grace',
				second.data[0].token,
				{ code: '42501', status: 403, message: 'invitation_wrong_email' }
			]
		];
		for (const [name, who, token, refusal] of cases) {
			const answer = await accept(who, token);
			recordAttempt(TOKENS, name, { leaked: answer.error === null, status: answer.status });
			expectCode(answer, refusal.code, refusal.status, refusal.message);
		}

		const accepted = (await accept(invitee, second.data[0].token)) as Answer;
		expect(accepted.error).toBeNull();
		expect(accepted.data).toEqual([{ kind: 'client', account_id: ACME, role: 'member' }]);

		const used: [string, Actor | Loose][] = [
			['token reused by the invitee', invitee],
			['used token reused by a stranger', 'stranger'],
			['used token reused by Mark', 'mark']
		];
		for (const [name, who] of used) {
			const answer = await accept(who, second.data[0].token);
			recordAttempt(TOKENS, name, { leaked: answer.error === null, status: answer.status });
			expectCode(answer, '22023', 400, 'invitation_used');
		}
		const anon = await accept('anon', second.data[0].token);
		recordAttempt(TOKENS, 'used token by an anonymous caller', {
			leaked: anon.error === null,
			status: anon.status
		});
		expectCode(anon, '42501', 401, 'permission denied for function accept_invitation');

		// Withdrawn explicitly, then tried.
		const third = await olivia.rpc('create_invitation', {
			p_account_id: ACME,
			p_email: uniqueEmail('withdrawn'),
			p_role: 'owner'
		});
		expect(
			(await olivia.rpc('revoke_invitation', { p_invitation_id: third.data[0].invitation_id }))
				.error
		).toBeNull();
		const revoked = await accept('stranger', third.data[0].token);
		recordAttempt(TOKENS, 'revoked token', {
			leaked: revoked.error === null,
			status: revoked.status
		});
		expectCode(revoked, '22023', 400, 'invitation_revoked');

		// The invitee is exactly a member, and leaves again so Acme is as seeded.
		const { data: me } = await invitee.auth.getUser();
		const { data: memberships } = await olivia
			.from('account_members')
			.select('role')
			.eq('user_id', me.user!.id);
		expect(memberships).toEqual([{ role: 'member' }]);
		const left = await invitee
			.from('account_members')
			.delete()
			.eq('user_id', me.user!.id)
			.select('role');
		expect(left.data).toEqual([{ role: 'member' }]);
		// Expired tokens: the API cannot move expires_at, so tests/db/invitations.test.ts covers them.
	});

	it('guessed tokens find nothing', async () => {
		for (let i = 0; i < 20; i++) {
			const token = randomBytes(32).toString('base64url');
			expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
			const answer = await accept('stranger', token);
			const preview = (await (
				await as('anon')
			).rpc('invitation_preview', { p_token: token })) as Answer;
			recordAttempt(TOKENS, `guessed token #${i + 1}`, {
				leaked: answer.error === null || rows(preview).length > 0,
				status: answer.status
			});
			expectCode(answer, notFound.code, notFound.status, notFound.message);
			expectEmpty(preview);
		}
	});

	it('tokens of the wrong shape find nothing, and never crash the server', async () => {
		const real = randomBytes(32).toString('base64url');
		const shapes: [string, unknown][] = [
			["SQL: ' or 1=1 --", "' or 1=1 --"],
			['SQL: drop table', "x'); drop table public.invitations; --"],
			['SQL: a LIKE wildcard', '%'],
			['42 characters', real.slice(0, 42)],
			['44 characters', `${real}A`],
			['base64 padding', `${real}=`],
			['standard base64 alphabet', real.replace(/./, '+').replace(/.$/, '/')],
			['trailing newline', `${real}\n`],
			['10 KB', 'A'.repeat(10 * 1024)],
			['unicode letters', '𝔄'.repeat(43)],
			['right-to-left override and emoji', `\u202e${'😀'.repeat(21)}`],
			['empty string', ''],
			['null', null],
			['a number', 1234567890],
			// PostgREST passes a JSON array or object to a text parameter as its JSON text;
			// lite answers a 500 (finding).
			['a JSON array', [real]],
			['a JSON object', { token: real }]
		];
		for (const [name, token] of shapes) {
			const answer = await accept('stranger', token);
			const preview = (await (
				await as('anon')
			).rpc('invitation_preview', { p_token: token as string })) as Answer;
			recordAttempt(TOKENS, `token of the wrong shape: ${name}`, {
				leaked: answer.error === null || rows(preview).length > 0,
				status: Math.max(answer.status, preview.status)
			});
			expectCode(answer, notFound.code, notFound.status, notFound.message);
			expectEmpty(preview);
		}
		// A NUL byte cannot reach Postgres as text at all: a 400 from the database, as upstream.
		const nul = await accept('stranger', `${real.slice(0, 21)}\u0000${real.slice(22)}`);
		recordAttempt(TOKENS, 'token of the wrong shape: a NUL byte', {
			leaked: nul.error === null,
			status: nul.status
		});
		expectCode(nul, '22021', 400, 'invalid byte sequence for encoding "UTF8": 0x00');
	});
});

// ---------------------------------------------------------------------------------------
// Answers that must not depend on another account's rows
// ---------------------------------------------------------------------------------------

describe('refusals that tell nothing about another account’s rows', () => {
	/** An Acme file request that is closed, an Acme document in the trash, a decided approval. */
	let closedRequest: string;
	let trashedDocument: string;
	let decidedApproval: string;
	/** Grace's own upload in Globex, and the stranger's id. */
	let graceFile: string;
	let strangerId: string;

	beforeAll(async () => {
		const sam = await as('sam');
		const request = await sam
			.from('file_requests')
			.insert({ account_id: ACME, title: 'Security: closed request' })
			.select('id')
			.single();
		expect(request.error).toBeNull();
		closedRequest = request.data!.id;
		expect(
			(await sam.from('file_requests').update({ status: 'closed' }).eq('id', closedRequest)).error
		).toBeNull();

		const mark = await as('mark');
		const id = randomUUID();
		const path = `${ACME}/${id}/${randomUUID()}`;
		expect(
			(
				await mark.storage
					.from('documents')
					.upload(path, new Blob(['to the trash'], { type: 'text/plain' }))
			).error
		).toBeNull();
		const document = await mark.from('documents').insert({
			id,
			account_id: ACME,
			name: 'Security trashed.txt',
			storage_path: path,
			size_bytes: 12,
			mime_type: 'text/plain',
			uploaded_by: userIds.mark
		});
		expect(document.error).toBeNull();
		const trashed = await mark
			.from('documents')
			.update({ deleted_at: new Date().toISOString() })
			.eq('id', id)
			.select('id');
		expect(trashed.data).toHaveLength(1);
		trashedDocument = id;

		const approval = await sam
			.from('approvals')
			.insert({ account_id: ACME, document_version_id: ACME_CONTENT.version, title: 'Decided' })
			.select('id')
			.single();
		expect(approval.error).toBeNull();
		decidedApproval = approval.data!.id;
		await sam
			.from('approval_approvers')
			.insert({ approval_id: decidedApproval, account_id: ACME, user_id: userIds.olivia });
		const decided = await (await as('olivia')).from('approval_responses').insert({
			approval_id: decidedApproval,
			account_id: ACME,
			decision: 'changes_requested',
			comment: 'Security suite'
		});
		expect(decided.error).toBeNull();

		graceFile = `${GLOBEX}/${randomUUID()}/${randomUUID()}`;
		expect(
			(
				await (
					await as('grace')
				).storage
					.from('documents')
					.upload(graceFile, new Blob(['grace'], { type: 'text/plain' }))
			).error
		).toBeNull();
		strangerId = (await (await as('stranger')).auth.getUser()).data.user!.id;
	});

	afterAll(async () => {
		// Unsaved, so Grace may remove it; the Globex folder listing stays as seeded.
		await (await as('grace')).storage.from('documents').remove([graceFile]);
		await (await as('sam')).from('documents').delete().eq('id', trashedDocument);
	});

	const key = (answer: Answer) =>
		`${answer.status} ${answer.error?.code ?? ''} ${answer.error?.message ?? ''}`;

	/**
	 * The same write twice, once naming a real row of another account and once a row that
	 * does not exist: both must be refused alike, or the refusal is an oracle for that row.
	 */
	async function sameAnswer(
		name: string,
		who: Actor,
		run: (c: Loose, target: 'real' | 'unknown') => PromiseLike<Answer>
	) {
		const client = await as(who);
		const real = (await run(client, 'real')) as Answer;
		const unknown = (await run(client, 'unknown')) as Answer;
		const leaked = key(real) !== key(unknown);
		recordAttempt(ORACLES, `${who}: ${name}`, {
			leaked: leaked || real.error === null,
			status: Math.max(real.status, unknown.status)
		});
		expect.soft(real.error, `${who}: ${name}`).not.toBeNull();
		expect.soft(key(real), `${who}: ${name} (a real row vs. an unknown one)`).toBe(key(unknown));
	}

	it('a document row for another account: the same refusal whether or not its file exists', async () => {
		const cases: [Actor, string, string, string][] = [
			['grace', ACME, ACME_FILE, userIds.grace],
			['tess', ACME, ACME_FILE, userIds.tess],
			['mark', GLOBEX, GLOBEX_FILE, userIds.mark],
			['stranger', ACME, ACME_OTHER_FILE, ''],
			['bill', ACME, ACME_FILE, userIds.bill]
		];
		for (const [who, account, existing, uploader] of cases) {
			await sameAnswer(
				`document into ${accountName(account)} naming ${existing === ACME_OTHER_FILE ? 'another' : 'an'} existing file`,
				who,
				(c, target) =>
					c.from('documents').insert({
						account_id: account,
						name: 'probe.txt',
						storage_path:
							target === 'real' ? existing : `${account}/${randomUUID()}/${randomUUID()}`,
						size_bytes: 1,
						mime_type: 'text/plain',
						uploaded_by: uploader || strangerId
					})
			);
		}
		// A row in the caller's own account whose path is in the other account: refused by the
		// path check either way, so whether that file exists must not show.
		await sameAnswer('Acme document naming a Globex file', 'mark', (c, target) =>
			c.from('documents').insert({
				account_id: ACME,
				name: 'probe.txt',
				storage_path: target === 'real' ? GLOBEX_FILE : `${GLOBEX}/${randomUUID()}/x`,
				size_bytes: 1,
				mime_type: 'text/plain',
				uploaded_by: userIds.mark
			})
		);
		await sameAnswer('Acme version naming a Globex file', 'mark', (c, target) =>
			c.from('document_versions').insert({
				document_id: ACME_DOCS[1],
				account_id: ACME,
				storage_path: target === 'real' ? GLOBEX_FILE : `${GLOBEX}/${randomUUID()}/x`,
				size_bytes: 1,
				mime_type: 'text/plain',
				uploaded_by: userIds.mark
			})
		);
		// A new version of another account's document, naming its existing file.
		await sameAnswer('version of a Globex document naming its existing file', 'mark', (c, target) =>
			c.from('document_versions').insert({
				document_id: GLOBEX_DOCS[0],
				account_id: GLOBEX,
				storage_path: target === 'real' ? GLOBEX_FILE : `${GLOBEX}/${randomUUID()}/x`,
				size_bytes: 1,
				mime_type: 'text/plain',
				uploaded_by: userIds.mark
			})
		);
	});

	it('a row in the caller’s own account naming another account’s row: the same refusal whether that row exists', async () => {
		await sameAnswer('own document fulfilling a closed Acme file request', 'grace', (c, target) =>
			c.from('documents').insert({
				account_id: GLOBEX,
				name: 'probe.txt',
				storage_path: graceFile,
				size_bytes: 1,
				mime_type: 'text/plain',
				uploaded_by: userIds.grace,
				file_request_id: target === 'real' ? closedRequest : randomUUID()
			})
		);
		await sameAnswer('own version of a trashed Acme document', 'grace', (c, target) =>
			c.from('document_versions').insert({
				document_id: target === 'real' ? trashedDocument : randomUUID(),
				account_id: GLOBEX,
				storage_path: graceFile,
				size_bytes: 1,
				mime_type: 'text/plain',
				uploaded_by: userIds.grace
			})
		);
		await sameAnswer('a response to a decided Acme approval', 'grace', (c, target) =>
			c.from('approval_responses').insert({
				approval_id: target === 'real' ? decidedApproval : randomUUID(),
				account_id: GLOBEX,
				decision: 'approved'
			})
		);
		await sameAnswer('a response to a decided approval, as a stranger', 'stranger', (c, target) =>
			c.from('approval_responses').insert({
				approval_id: target === 'real' ? decidedApproval : randomUUID(),
				account_id: ACME,
				decision: 'approved'
			})
		);
	});
});
