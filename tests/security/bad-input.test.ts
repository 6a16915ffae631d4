/**
 * Bad input, property-based (fast-check): every form action and entry point gets random and
 * hostile strings, huge values, repeated, missing and file-typed fields, unicode edge cases
 * and broken bodies. Each must answer 3xx/4xx (never 5xx), a 4xx with field errors or a
 * message, and write nothing: the tables are compared before and after every property.
 *
 * Inputs that would be valid are kept out (a valid invitation would rightly be created):
 * roles are never one of the listed roles, passwords never match their confirmation, and
 * ids are never those of real rows. In the portal a real document, folder, thread or
 * approval of Acme's comes only with a name, message, comment or decision that must be
 * refused; text with a NUL counts as refused (the database cannot store it).
 *
 * A 5xx is never hidden: each one is recorded (with its status) and the test fails with
 * the exact inputs that caused it.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACME } from '../api/env';
import { accountNameField, emailField } from '../../src/lib/schemas';
import {
	createFolderSchema,
	moveSchema,
	renameFolderSchema,
	renameSchema
} from '../../src/routes/(portal)/accounts/[accountId]/documents/documents.server';
import {
	newThreadSchema,
	replySchema
} from '../../src/routes/(portal)/accounts/[accountId]/messages/schema';
import {
	editRequestSchema,
	newRequestSchema
} from '../../src/routes/(portal)/accounts/[accountId]/requests/schema';
import { brandingSchema } from '../../src/routes/(staff)/staff/branding/schema';
import { preferencesSchema } from '../../src/routes/(portal)/settings/notifications/schema';
import { parseTimestamp } from '../../src/lib/format';
import { NOTIFICATION_KINDS } from '../../src/lib/notifications/describe';
import { passesAA } from '../../src/lib/branding/contrast';
import {
	milestoneSchema,
	newUpdateSchema,
	projectSchema
} from '../../src/routes/(portal)/accounts/[accountId]/projects/projects.server';
import { recordAttempt } from './report';
import {
	PASSWORD,
	db,
	get,
	post,
	signInOverHttp,
	snapshot,
	type Answer,
	type Session
} from './web-support';

const RUNS = 30;
const FILE = Symbol('file part');
type Value = string | typeof FILE;
type Body = { multipart: boolean; fields: [string, Value][] };

const HUGE = 'A'.repeat(100_000);
const SPECIALS = [
	'',
	' ',
	'\t\n\r',
	'\u0000',
	'a\u0000b@example.com',
	"' OR '1'='1",
	"'; drop table public.invitations; --",
	'"); select pg_sleep(5); --',
	'<script>alert(1)</script>',
	'"><img src=x onerror=alert(1)>',
	'{{7*7}}${7*7}<%= 7*7 %>',
	'../../../../etc/passwd',
	'%00%2e%2e%2f',
	'\u202eevil\u202c',
	'\u200f\u200e\u200b\u2060\ufeff',
	'\ud800',
	'\udfff\ud800',
	'𝕠𝕨𝕟𝕖𝕣',
	'ownеr', // Cyrillic е
	'OWNER',
	' owner ',
	'owner\u0000',
	'👩‍👩‍👧‍👦'.repeat(20),
	'é'.normalize('NFD'),
	'null',
	'undefined',
	'[object Object]',
	'{"role":"owner"}',
	'[]',
	'-1',
	'1e308',
	'NaN',
	'00000000-0000-0000-0000-000000000000',
	'10000000-0000-4000-8000-00000000ac01 ',
	'{10000000-0000-4000-8000-00000000ac01}',
	'10000000000040008000000000000ac01',
	'x@y',
	'@example.com',
	'a@b@c.com',
	'name@example.com\r\nBcc: victim@example.com',
	HUGE,
	'é'.repeat(50_000),
	'\u0000'.repeat(10_000),
	'😀'.repeat(25_000)
];

const hostile: fc.Arbitrary<string> = fc.oneof(
	{ weight: 4, arbitrary: fc.constantFrom(...SPECIALS) },
	{ weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
	{ weight: 2, arbitrary: fc.string({ unit: 'grapheme-composite', maxLength: 100 }) },
	{
		weight: 1,
		arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }).map((s) => s.repeat(5_000))
	},
	{ weight: 1, arbitrary: fc.emailAddress().map((e) => `${e}\u0000`) }
);

/** Never a valid uuid of a real row: hostile text, or a random (unused) uuid. */
const idLike = fc.oneof(
	hostile,
	fc.uuid(),
	fc.uuid().map((u) => u.toUpperCase()),
	fc.uuid().map((u) => `${u}x`)
);

const CLIENT_ROLES = ['owner', 'member', 'billing', 'viewer'];
const STAFF_ROLES = ['admin', 'staff'];
const invalidRole = (valid: string[]) => hostile.filter((r) => !valid.includes(r));
const validRole = (valid: string[]) => fc.constantFrom(...valid);

/** A field: once (mostly), missing, repeated, or a file part where text is expected. */
function field(value: fc.Arbitrary<string>): fc.Arbitrary<Value[]> {
	return fc.oneof(
		{ weight: 6, arbitrary: value.map((v): Value[] => [v]) },
		{ weight: 1, arbitrary: fc.constant<Value[]>([]) },
		{ weight: 1, arbitrary: fc.tuple(value, value).map(([a, b]): Value[] => [a, b]) },
		{ weight: 1, arbitrary: fc.constant<Value[]>([FILE]) },
		{ weight: 1, arbitrary: value.map((v): Value[] => [FILE, v]) }
	);
}

/** A whole form: the named fields, maybe an unexpected extra one, urlencoded or multipart. */
function form(fields: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<Body> {
	const names = Object.keys(fields);
	return fc
		.tuple(
			fc.tuple(...names.map((name) => field(fields[name]!))),
			fc.oneof(
				{ weight: 3, arbitrary: fc.constant(null) },
				{ weight: 1, arbitrary: fc.tuple(hostile, hostile) }
			),
			fc.boolean()
		)
		.map(([values, extra, multipart]) => {
			const list: [string, Value][] = [];
			names.forEach((name, i) => {
				for (const v of values[i]!) list.push([name, v]);
			});
			if (extra) list.push([extra[0] || 'extra', extra[1]]);
			return { multipart: multipart || list.some(([, v]) => v === FILE), fields: list };
		});
}

/** What parseForm reads: the first text value of each name (files are never read as text). */
function effective(body: Body): Record<string, string> {
	const input: Record<string, string> = {};
	for (const [name, value] of body.fields) {
		if (typeof value === 'string' && !(name in input)) input[name] = value;
	}
	return input;
}

function encode(body: Body): FormData | [string, string][] {
	if (!body.multipart) return body.fields.map(([k, v]) => [k, v as string]);
	const data = new FormData();
	for (const [name, value] of body.fields) {
		if (value === FILE) {
			data.append(name, new Blob(['%PDF-1.4 not text'], { type: 'application/pdf' }), 'x.pdf');
		} else {
			data.append(name, value);
		}
	}
	return data;
}

function describeBody(body: Body): string {
	const show = (v: Value) =>
		v === FILE
			? '<file>'
			: v.length > 80
				? `${JSON.stringify(v.slice(0, 40))}… (${v.length} chars)`
				: JSON.stringify(v);
	return `${body.multipart ? 'multipart' : 'urlencoded'} ${body.fields.map(([k, v]) => `${k}=${show(v)}`).join('&') || '(empty)'}`;
}

/** A 4xx says what was wrong: field errors or a message, not an empty answer. */
function explains(answer: Answer): boolean {
	if (answer.status < 400 || answer.status >= 500) return true;
	if (answer.status === 413 || answer.status === 429) return true;
	return /errors|Error|message/.test(answer.body);
}

interface Target {
	category: string;
	path: string | ((token: string) => string);
	session?: () => Session | undefined;
	body: fc.Arbitrary<Body>;
	/** Skips inputs that would rightly succeed (and write). */
	invalid?: (input: Record<string, string>, body: Body) => boolean;
	/** Statuses besides 3xx/4xx that are fine (a sent email is 200, whatever the address). */
	ok?: (answer: Answer, input: Record<string, string>) => boolean;
	runs?: number;
	/** A 4xx may be bare: the page posts this itself and nobody reads the answer. */
	quiet?: boolean;
}

let olivia: Session;
let sam: Session;
let ada: Session;
let vera: Session;
let mark: Session;
let pendingToken: string;

beforeAll(async () => {
	[olivia, sam, ada, vera, mark] = await Promise.all([
		signInOverHttp('olivia@acme.example.com'),
		signInOverHttp('sam@staff.example.com'),
		signInOverHttp('ada@staff.example.com'),
		signInOverHttp('vera@acme.example.com'),
		signInOverHttp('mark@acme.example.com')
	]);
	const created = await (
		await db('olivia@acme.example.com')
	).rpc('create_invitation', {
		p_account_id: ACME,
		p_email: `bad-input-${Date.now()}@example.com`,
		p_role: 'viewer'
	});
	if (created.error) throw created.error;
	pendingToken = created.data[0]!.token;
});

/** Runs one target's property; returns the inputs that met a 5xx or an unexplained 4xx. */
async function fuzz(name: string, target: Target) {
	const serverErrors: string[] = [];
	const unexplained: string[] = [];
	const before = await snapshot();
	await fc.assert(
		fc.asyncProperty(target.body, async (body) => {
			const input = effective(body);
			fc.pre(!target.invalid || target.invalid(input, body));
			const path = typeof target.path === 'string' ? target.path : target.path(pendingToken);
			const answer = await post(path, encode(body), { cookie: target.session?.()?.cookie });
			const described = `POST ${path} ${describeBody(body)} → ${answer.status}`;
			recordAttempt(target.category, described.slice(0, 300), {
				leaked: false,
				status: answer.status
			});
			const fine =
				(answer.status >= 300 && answer.status < 500) || (target.ok?.(answer, input) ?? false);
			if (!fine) serverErrors.push(`${described}: ${answer.body.slice(0, 200)}`);
			else if (!target.quiet && !explains(answer))
				unexplained.push(`${described}: ${answer.body.slice(0, 200)}`);
		}),
		{ numRuns: target.runs ?? RUNS }
	);
	const after = await snapshot();
	recordAttempt(target.category, `${name}: tables unchanged`, { leaked: after !== before });
	expect(serverErrors, `${name}: answers outside 3xx/4xx`).toEqual([]);
	expect(unexplained, `${name}: a 4xx without field errors or a message`).toEqual([]);
	expect(after, `${name}: something was written`).toEqual(before);
}

const isValidEmail = (value: string | undefined) => emailField.safeParse(value).success;
const sentOrRefused = (answer: Answer, input: Record<string, string>) =>
	answer.status === 200 && isValidEmail(input.email);

const emailish = fc.oneof(
	hostile,
	fc.emailAddress(),
	fc.emailAddress().map((e) => e.toUpperCase())
);

function memberTargets(base: string, who: () => Session, label: string): [string, Target][] {
	return [
		[
			`${label} ?/invite`,
			{
				category: `input: ${label} ?/invite`,
				path: `${base}?/invite`,
				session: who,
				body: form({
					email: emailish,
					role: fc.oneof(invalidRole(CLIENT_ROLES), validRole(CLIENT_ROLES))
				}),
				// A valid address with a listed role is a real invitation: not bad input.
				invalid: (i) => !(isValidEmail(i.email) && CLIENT_ROLES.includes(i.role ?? ''))
			}
		],
		[
			`${label} ?/resend`,
			{
				category: `input: ${label} ?/resend`,
				path: `${base}?/resend`,
				session: who,
				body: form({ invitation: idLike })
			}
		],
		[
			`${label} ?/revoke`,
			{
				category: `input: ${label} ?/revoke`,
				path: `${base}?/revoke`,
				session: who,
				body: form({ invitation: idLike })
			}
		],
		[
			`${label} ?/changeRole`,
			{
				category: `input: ${label} ?/changeRole`,
				path: `${base}?/changeRole`,
				session: who,
				body: form({
					user: idLike,
					role: fc.oneof(invalidRole(CLIENT_ROLES), validRole(CLIENT_ROLES))
				})
			}
		],
		[
			`${label} ?/remove`,
			{
				category: `input: ${label} ?/remove`,
				path: `${base}?/remove`,
				session: who,
				body: form({ user: idLike })
			}
		]
	];
}

/** Acme rows from supabase/seed.sql that the portal actions are aimed at. */
const DOCUMENT = 'd0000000-0000-4000-8000-000000000002';
const FOLDER = 'f0000000-0000-4000-8000-000000000001';
const THREAD = '71000000-0000-4000-8000-000000000001';
const APPROVAL = 'a1000000-0000-4000-8000-000000000001';

/** Names, subjects and messages: hostile, blank, or just over a limit (or fine, sometimes). */
const textish = fc.oneof(
	{ weight: 6, arbitrary: hostile },
	{ weight: 1, arbitrary: fc.constantFrom('', '   ', '\u00a0\t', '\n\n') },
	{
		weight: 1,
		arbitrary: fc.constantFrom(121, 201, 256, 4001, 10_001).map((n) => 'x'.repeat(n))
	},
	{ weight: 1, arbitrary: fc.constantFrom('a/b', 'a\\b', 'tab\there', 'Plans.pdf') }
);
/** Never valid for a reference: hostile text or a random uuid, or the real row. */
const idOr = (real: string) => fc.oneof({ weight: 4, arbitrary: idLike }, fc.constant(real));
const folderChoice = fc.oneof(idLike, fc.constant(''), fc.constant(FOLDER));

/**
 * Saving would succeed: a valid form about a real row. The database refuses a NUL in text,
 * so a value with one can never be saved: such a form is bad input, to be refused with a 4xx.
 */
const saves = (valid: boolean, ...values: (string | undefined)[]) =>
	valid && !values.some((v) => v?.includes('\u0000'));

function documentTargets(base: string, label: string): [string, Target][] {
	const target = (action: string, rest: Omit<Target, 'category' | 'path' | 'session'>) =>
		[
			`${label} ?/${action}`,
			{
				category: `input: ${label} ?/${action}`,
				path: `${base}?/${action}`,
				session: () => olivia,
				...rest
			}
		] as [string, Target];
	return [
		target('rename', {
			body: form({ document: idOr(DOCUMENT), name: textish }),
			invalid: (i) => !saves(renameSchema.safeParse(i).success && i.document === DOCUMENT, i.name)
		}),
		target('move', {
			body: form({ document: idOr(DOCUMENT), folder: folderChoice }),
			invalid: (i) =>
				!saves(
					moveSchema.safeParse(i).success &&
						i.document === DOCUMENT &&
						(i.folder === '' || i.folder === FOLDER)
				)
		}),
		// Never the real document: trashing it would be right.
		target('trash', { body: form({ document: idLike }) }),
		// Olivia is not staff: a restore is refused whatever the document.
		target('restore', { body: form({ document: idOr(DOCUMENT) }) })
	];
}

const documents = `/accounts/${ACME}/documents`;
const thread = `/accounts/${ACME}/messages/${THREAD}`;

const portalTargets: [string, Target][] = [
	...documentTargets(documents, '/accounts/[accountId]/documents'),
	...documentTargets(`${documents}/${DOCUMENT}`, '/accounts/[accountId]/documents/[documentId]'),
	[
		'/accounts/[accountId]/documents ?/createFolder',
		{
			category: 'input: /accounts/[accountId]/documents ?/createFolder',
			path: `${documents}?/createFolder`,
			session: () => olivia,
			body: form({ name: textish, parent: folderChoice }),
			invalid: (i) =>
				!saves(
					createFolderSchema.safeParse(i).success && (i.parent === '' || i.parent === FOLDER),
					i.name
				)
		}
	],
	[
		'/accounts/[accountId]/documents ?/renameFolder',
		{
			category: 'input: /accounts/[accountId]/documents ?/renameFolder',
			path: `${documents}?/renameFolder`,
			session: () => olivia,
			body: form({ folder: idOr(FOLDER), name: textish }),
			invalid: (i) => !saves(renameFolderSchema.safeParse(i).success && i.folder === FOLDER, i.name)
		}
	],
	[
		'/accounts/[accountId]/documents ?/deleteFolder',
		{
			category: 'input: /accounts/[accountId]/documents ?/deleteFolder',
			path: `${documents}?/deleteFolder`,
			session: () => olivia,
			body: form({ folder: idLike })
		}
	],
	[
		'/accounts/[accountId]/messages ?/start',
		{
			category: 'input: /accounts/[accountId]/messages ?/start',
			path: `/accounts/${ACME}/messages?/start`,
			session: () => olivia,
			body: form({ subject: textish, body: textish }),
			invalid: (i) => !saves(newThreadSchema.safeParse(i).success, i.subject, i.body)
		}
	],
	[
		'/accounts/[accountId]/messages/[threadId] ?/send',
		{
			category: 'input: /accounts/[accountId]/messages/[threadId] ?/send',
			path: `${thread}?/send`,
			session: () => olivia,
			body: form({
				body: textish,
				internal: fc.oneof(hostile, fc.constant('on')),
				document: idLike
			}),
			// A valid reply is sent; an internal note (Olivia is no staff) or an attachment
			// (never a real document) is refused whatever the message.
			invalid: (i, body) =>
				!saves(
					replySchema.safeParse(i).success &&
						i.internal !== 'on' &&
						!body.fields.some(([name, v]) => name === 'document' && typeof v === 'string'),
					i.body
				)
		}
	],
	[
		'/accounts/[accountId]/messages/[threadId] ?/read',
		{
			category: 'input: /accounts/[accountId]/messages/[threadId] ?/read',
			path: `${thread}?/read`,
			session: () => olivia,
			// Never a real message: marking the thread read up to it would be right.
			body: form({ message: idLike }),
			quiet: true
		}
	],
	[
		'/accounts/[accountId]/approvals/[approvalId] ?/decide',
		{
			category: 'input: /accounts/[accountId]/approvals/[approvalId] ?/decide',
			path: `/accounts/${ACME}/approvals/${APPROVAL}?/decide`,
			session: () => olivia,
			body: form({
				decision: fc.oneof(
					hostile,
					fc.constantFrom('approved', 'changes_requested', 'APPROVED', 'approve', 'rejected')
				),
				comment: textish
			}),
			// Olivia is a required approver: an approval, or changes with a reason, is recorded.
			invalid: (i) => {
				const comment = (i.comment ?? '').trim();
				const decided =
					comment.length <= 4000 &&
					(i.decision === 'approved' || (i.decision === 'changes_requested' && comment.length > 0));
				return !saves(decided, i.comment);
			}
		}
	]
];

/** Date fields: hostile text, impossible or past days, other formats, and real days. */
const dayish = fc.oneof(
	{ weight: 3, arbitrary: hostile },
	{
		weight: 2,
		arbitrary: fc.constantFrom(
			'',
			'2020-01-01',
			'2999-02-30',
			'31/12/2030',
			'2030-13-01',
			'0000-00-00'
		)
	},
	{
		weight: 1,
		arbitrary: fc
			.date({ min: new Date('1900-01-01'), max: new Date('2999-12-31'), noInvalidDate: true })
			.map((d) => d.toISOString().slice(0, 10))
	}
);
const LOGO_REQUEST = 'f1000000-0000-4000-8000-000000000001';
const DESIGN_DOC = 'd0000000-0000-4000-8000-000000000006';

/** The staff side of the portal's pages, as Sam (who serves Acme). */
const staffPortalTargets: [string, Target][] = [
	[
		'/accounts/[accountId]/requests ?/create',
		{
			category: 'input: /accounts/[accountId]/requests ?/create',
			path: `/accounts/${ACME}/requests?/create`,
			session: () => sam,
			body: form({ title: textish, instructions: textish, dueOn: dayish }),
			invalid: (i) => !saves(newRequestSchema.safeParse(i).success, i.title, i.instructions)
		}
	],
	[
		'/accounts/[accountId]/requests ?/edit',
		{
			category: 'input: /accounts/[accountId]/requests ?/edit',
			path: `/accounts/${ACME}/requests?/edit`,
			session: () => sam,
			body: form({
				request: idOr(LOGO_REQUEST),
				title: textish,
				instructions: textish,
				dueOn: dayish
			}),
			invalid: (i) =>
				!saves(
					editRequestSchema.safeParse(i).success && i.request === LOGO_REQUEST,
					i.title,
					i.instructions
				)
		}
	],
	[
		'/accounts/[accountId]/requests ?/status',
		{
			category: 'input: /accounts/[accountId]/requests ?/status',
			path: `/accounts/${ACME}/requests?/status`,
			session: () => sam,
			// Never a real request: closing one would be right.
			body: form({
				request: idLike,
				status: fc.oneof(hostile, fc.constantFrom('open', 'closed', 'cancelled', 'submitted'))
			})
		}
	],
	[
		'/accounts/[accountId]/approvals ?/request',
		{
			category: 'input: /accounts/[accountId]/approvals ?/request',
			path: `/accounts/${ACME}/approvals?/request`,
			session: () => sam,
			// Approvers are never real people, so no request can be made.
			body: form({
				document: idOr(DESIGN_DOC),
				title: textish,
				note: textish,
				dueOn: dayish,
				approvers: idLike
			})
		}
	]
];

/** The staff pages' own actions on accounts. */
const staffAccountTargets: [string, Target][] = [
	[
		'/staff ?/create',
		{
			category: 'input: /staff ?/create',
			path: '/staff?/create',
			session: () => ada,
			body: form({ name: textish }),
			// A good name makes an account: not bad input.
			invalid: (i) => !accountNameField.safeParse(i.name).success
		}
	],
	[
		'/staff ?/create (as staff, not admin)',
		{
			category: 'input: /staff ?/create',
			path: '/staff?/create',
			session: () => sam,
			body: form({ name: textish })
		}
	],
	[
		'/staff/accounts/[accountId] ?/rename',
		{
			category: 'input: /staff/accounts/[accountId] ?/rename',
			path: `/staff/accounts/${ACME}?/rename`,
			session: () => sam,
			body: form({ name: textish }),
			invalid: (i) => !accountNameField.safeParse(i.name).success
		}
	],
	[
		'/staff/accounts/[accountId] ?/setStatus',
		{
			category: 'input: /staff/accounts/[accountId] ?/setStatus',
			path: `/staff/accounts/${ACME}?/setStatus`,
			session: () => sam,
			body: form({ status: fc.oneof(hostile, fc.constantFrom('ARCHIVED', 'deleted', ' active')) })
		}
	]
];

/** Colours: hostile text, malformed hex, and real colours that fail or pass AA. */
const colourish = fc.oneof(
	{ weight: 2, arbitrary: hostile },
	{
		weight: 2,
		arbitrary: fc.constantFrom('#3b82f6', '#60a5fa', '#ffff00', 'red', '#fff', '#GGGGGG', '1d4ed8')
	},
	{ weight: 1, arbitrary: fc.stringMatching(/^#[0-9a-f]{6}$/) }
);

const brandingTargets: [string, Target][] = [
	[
		'/staff/branding ?/save',
		{
			category: 'input: /staff/branding ?/save',
			path: '/staff/branding?/save',
			session: () => ada,
			body: form({ name: textish, color: colourish, picker: colourish, use: colourish }),
			// A good name with a colour that passes AA is saved: not bad input.
			invalid: (i) => {
				const parsed = brandingSchema.safeParse(i);
				return !(parsed.success && passesAA(parsed.data.color));
			}
		}
	],
	[
		'/staff/branding ?/save (as staff, not admin)',
		{
			category: 'input: /staff/branding ?/save',
			path: '/staff/branding?/save',
			session: () => sam,
			body: form({ name: textish, color: colourish })
		}
	],
	[
		'/staff/branding ?/uploadLogo',
		{
			category: 'input: /staff/branding ?/uploadLogo',
			path: '/staff/branding?/uploadLogo',
			session: () => ada,
			// Text, or a file that is a PDF: never a PNG, JPEG or WebP.
			body: form({ logo: hostile })
		}
	]
];

const WEBSITE_PROJECT = 'b1000000-0000-4000-8000-000000000001';
const projects = `/accounts/${ACME}/projects`;
const project = `${projects}/${WEBSITE_PROJECT}`;
const projectStatus = fc.oneof(hostile, fc.constantFrom('active', 'on_hold', 'completed', 'done'));
const milestoneState = fc.oneof(hostile, fc.constantFrom('planned', 'in_progress', 'done', 'late'));
const intent = fc.oneof(hostile, fc.constantFrom('publish', 'draft', 'PUBLISH'));

/** Projects, milestones and status updates, as Sam; ids are never real unless a row says so. */
const projectTargets: [string, Target][] = [
	...(
		[
			[projects, '/accounts/[accountId]/projects'],
			[project, '/accounts/[accountId]/projects/[projectId]']
		] as const
	).flatMap(([base, label]): [string, Target][] => [
		[
			`${label} ?/postUpdate`,
			{
				category: `input: ${label} ?/postUpdate`,
				path: `${base}?/postUpdate`,
				session: () => sam,
				body: form({ body: textish, intent }),
				invalid: (i) => !saves(newUpdateSchema.safeParse(i).success, i.body)
			}
		],
		[
			`${label} ?/editUpdate`,
			{
				category: `input: ${label} ?/editUpdate`,
				path: `${base}?/editUpdate`,
				session: () => sam,
				body: form({ id: idLike, body: textish })
			}
		],
		[
			`${label} ?/publishUpdate`,
			{
				category: `input: ${label} ?/publishUpdate`,
				path: `${base}?/publishUpdate`,
				session: () => sam,
				body: form({ id: idLike })
			}
		]
	]),
	[
		'/accounts/[accountId]/projects ?/createProject',
		{
			category: 'input: /accounts/[accountId]/projects ?/createProject',
			path: `${projects}?/createProject`,
			session: () => sam,
			body: form({ name: textish, description: textish, status: projectStatus }),
			invalid: (i) => !saves(projectSchema.safeParse(i).success, i.name, i.description)
		}
	],
	[
		'/accounts/[accountId]/projects/[projectId] ?/editProject',
		{
			category: 'input: /accounts/[accountId]/projects/[projectId] ?/editProject',
			path: `${project}?/editProject`,
			session: () => sam,
			body: form({ name: textish, description: textish, status: projectStatus }),
			invalid: (i) => !saves(projectSchema.safeParse(i).success, i.name, i.description)
		}
	],
	[
		'/accounts/[accountId]/projects/[projectId] ?/addMilestone',
		{
			category: 'input: /accounts/[accountId]/projects/[projectId] ?/addMilestone',
			path: `${project}?/addMilestone`,
			session: () => sam,
			body: form({ title: textish, due_on: dayish, state: milestoneState }),
			invalid: (i) => !saves(milestoneSchema.safeParse(i).success, i.title)
		}
	],
	[
		'/accounts/[accountId]/projects/[projectId] ?/editMilestone',
		{
			category: 'input: /accounts/[accountId]/projects/[projectId] ?/editMilestone',
			path: `${project}?/editMilestone`,
			session: () => sam,
			body: form({ id: idLike, title: textish, due_on: dayish, state: milestoneState })
		}
	],
	[
		'/accounts/[accountId]/projects/[projectId] ?/moveMilestone',
		{
			category: 'input: /accounts/[accountId]/projects/[projectId] ?/moveMilestone',
			path: `${project}?/moveMilestone`,
			session: () => sam,
			body: form({ id: idLike, direction: fc.oneof(hostile, fc.constantFrom('up', 'down')) })
		}
	],
	[
		'/accounts/[accountId]/projects/[projectId] ?/deleteMilestone',
		{
			category: 'input: /accounts/[accountId]/projects/[projectId] ?/deleteMilestone',
			path: `${project}?/deleteMilestone`,
			session: () => sam,
			body: form({ id: idLike })
		}
	],
	[
		'/staff/updates ?/post',
		{
			category: 'input: /staff/updates ?/post',
			path: '/staff/updates?/post',
			session: () => sam,
			body: form({ account: idOr(ACME), body: textish, intent }),
			// Acme with a good update is posted: not bad input.
			invalid: (i) => !saves(newUpdateSchema.safeParse(i).success && i.account === ACME, i.body)
		}
	]
];

/** Rhythms: hostile text, near misses, and the four real ones. */
const frequencyish = fc.oneof(
	{ weight: 2, arbitrary: hostile },
	{ weight: 2, arbitrary: fc.constantFrom('hourly', 'Immediate', 'never', 'daily ', '') },
	{ weight: 1, arbitrary: fc.constantFrom('immediate', 'daily', 'weekly', 'off') }
);
const UNKNOWN_TOKEN = '0a1b2c3d-0000-4000-8000-000000000000';

/** The bell, the preferences page and the unsubscribe page (signed out, an unknown token). */
const notificationTargets: [string, Target][] = [
	[
		'/notifications ?/open',
		{
			category: 'input: /notifications ?/open',
			path: '/notifications?/open',
			session: () => olivia,
			body: form({
				id: fc.oneof(hostile, fc.constantFrom('0', '-1', '1.5', '1e3', '99999999999999999'))
			}),
			// A well-formed id may be one of Olivia's: opening it rightly marks it read.
			invalid: (i) => !/^[1-9]\d{0,15}$/.test(i.id ?? '')
		}
	],
	[
		'/notifications ?/markAll',
		{
			category: 'input: /notifications ?/markAll',
			path: '/notifications?/markAll',
			session: () => olivia,
			body: form({ before: fc.oneof(hostile, fc.constantFrom('yesterday', '2026-13-45', '0')) }),
			// A real time marks what came before it: not bad input.
			invalid: (i) => parseTimestamp(i.before ?? '') === null
		}
	],
	[
		'/settings/notifications ?/save',
		{
			category: 'input: /settings/notifications ?/save',
			path: '/settings/notifications?/save',
			session: () => olivia,
			body: form({
				...Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, frequencyish])),
				everything: frequencyish
			}),
			// Seven real choices and nothing else would be saved.
			invalid: (i) => !preferencesSchema.safeParse(i).success
		}
	],
	[
		'/unsubscribe/[token] ?/kind',
		{
			category: 'input: /unsubscribe/[token] ?/kind',
			path: `/unsubscribe/${UNKNOWN_TOKEN}?/kind`,
			body: form({ kind: fc.oneof(hostile, fc.constantFrom('message', 'all', 'MESSAGE')) })
		}
	]
];

const targets: [string, Target][] = [
	[
		'/sign-in',
		{
			category: 'input: /sign-in ?/default',
			path: '/sign-in',
			body: form({ email: emailish, password: hostile, redirectTo: hostile })
		}
	],
	[
		'/sign-in/email ?/send',
		{
			category: 'input: /sign-in/email ?/send',
			path: '/sign-in/email?/send',
			body: form({ email: emailish, redirectTo: hostile }),
			// Only hostile addresses: a real one would send its owner a sign-in email.
			invalid: (i) => !/@(acme|globex|staff)\.example\.com$/i.test(i.email?.trim() ?? ''),
			ok: sentOrRefused
		}
	],
	[
		'/sign-in/email ?/verify',
		{
			category: 'input: /sign-in/email ?/verify',
			path: '/sign-in/email?/verify',
			body: form({
				email: emailish,
				token: fc.oneof(hostile, fc.stringMatching(/^\d{6,10}$/), fc.integer().map(String)),
				redirectTo: hostile
			})
		}
	],
	[
		'/forgot-password',
		{
			category: 'input: /forgot-password ?/default',
			path: '/forgot-password',
			body: form({ email: emailish }),
			invalid: (i) => !/@(acme|globex|staff)\.example\.com$/i.test(i.email?.trim() ?? ''),
			ok: sentOrRefused
		}
	],
	[
		'/reset-password',
		{
			category: 'input: /reset-password ?/default',
			path: '/reset-password',
			session: () => vera,
			body: form({ password: hostile, confirm: hostile }),
			// Matching passwords would change Vera's password: only mismatched or missing ones.
			invalid: (i) => i.password !== i.confirm || i.password === undefined
		}
	],
	[
		'/sign-out',
		{
			category: 'input: /sign-out ?/default',
			path: '/sign-out',
			body: form({ anything: hostile }),
			runs: 10
		}
	],
	[
		'/invite/[token] ?/signUp',
		{
			category: 'input: /invite/[token] ?/signUp',
			path: (token) => `/invite/${token}?/signUp`,
			body: form({
				displayName: hostile,
				password: fc.oneof(
					hostile.filter((p) => p.length < 8 || new TextEncoder().encode(p).length > 72),
					fc.string({ maxLength: 7 })
				)
			}),
			// Only passwords the form must refuse: a valid one would create the account.
			invalid: (i) =>
				i.password === undefined ||
				i.password.length < 8 ||
				new TextEncoder().encode(i.password).length > 72
		}
	],
	...memberTargets(`/accounts/${ACME}/members`, () => olivia, '/accounts/[accountId]/members'),
	...memberTargets(`/staff/accounts/${ACME}`, () => sam, '/staff/accounts/[accountId]'),
	[
		'/staff/team ?/invite',
		{
			category: 'input: /staff/team ?/invite',
			path: '/staff/team?/invite',
			session: () => ada,
			body: form({
				email: emailish,
				role: fc.oneof(invalidRole(STAFF_ROLES), validRole(STAFF_ROLES))
			}),
			invalid: (i) => !(isValidEmail(i.email) && STAFF_ROLES.includes(i.role ?? ''))
		}
	],
	...(['resend', 'revoke'] as const).map((action): [string, Target] => [
		`/staff/team ?/${action}`,
		{
			category: `input: /staff/team ?/${action}`,
			path: `/staff/team?/${action}`,
			session: () => ada,
			body: form({ invitation: idLike })
		}
	]),
	[
		'/staff/team ?/changeRole',
		{
			category: 'input: /staff/team ?/changeRole',
			path: '/staff/team?/changeRole',
			session: () => ada,
			body: form({ user: idLike, role: fc.oneof(invalidRole(STAFF_ROLES), validRole(STAFF_ROLES)) })
		}
	],
	[
		'/staff/team ?/remove',
		{
			category: 'input: /staff/team ?/remove',
			path: '/staff/team?/remove',
			session: () => ada,
			body: form({ user: idLike })
		}
	],
	...(['assign', 'unassign'] as const).map((action): [string, Target] => [
		`/staff/team ?/${action}`,
		{
			category: `input: /staff/team ?/${action}`,
			path: `/staff/team?/${action}`,
			session: () => ada,
			body: form({ user: idLike, account: fc.oneof(idLike, fc.constant(ACME)) })
		}
	]),
	...portalTargets,
	...staffPortalTargets,
	...staffAccountTargets,
	...brandingTargets,
	...projectTargets,
	...notificationTargets
];

describe('form actions under random and hostile input', () => {
	for (const [name, target] of targets) {
		it(`${name}: 3xx/4xx with a reason, never 5xx, and nothing written`, async () => {
			await fuzz(name, target);
		});
	}

	it('reset-password left Vera’s password as it was', async () => {
		await expect(signInOverHttp('vera@acme.example.com', PASSWORD)).resolves.toBeTruthy();
	});
});

/** Lone surrogates cannot be percent-encoded (a browser sends U+FFFD for them). */
const wellFormed = (s: string) => s.replace(/\p{Cs}/gu, '\ufffd');

/** Path segments an attacker controls: random and hostile tokens and ids. */
const segment = fc.oneof(
	hostile.filter((s) => s.length > 0 && s.length < 2000),
	fc.uuid(),
	fc.stringMatching(/^[0-9a-f]{1,64}$/)
);

describe('entry points with a token or id in the path', () => {
	it('/invite/<token> (page, ?/accept, ?/signOut): never 5xx, nothing written', async () => {
		const serverErrors: string[] = [];
		const before = await snapshot();
		await fc.assert(
			fc.asyncProperty(segment, async (token) => {
				const path = `/invite/${encodeURIComponent(wellFormed(token))}`;
				const attempts: [string, Promise<Answer>][] = [
					[`GET ${path}`, get(path)],
					[
						`POST ${path}?/accept (signed in as Mark)`,
						post(`${path}?/accept`, {}, { cookie: mark.cookie })
					],
					[`POST ${path}?/accept (signed out)`, post(`${path}?/accept`, {})],
					[`POST ${path}?/signOut (signed out)`, post(`${path}?/signOut`, {})],
					[
						`POST ${path}?/signUp`,
						post(`${path}?/signUp`, { displayName: 'Eve', password: 'long-enough-password' })
					]
				];
				for (const [name, pending] of attempts) {
					const answer = await pending;
					const category = `input: /invite/[token] ${name.split(' ')[0] === 'GET' ? 'GET' : `?/${/\?\/(\w+)/.exec(name)![1]}`}`;
					recordAttempt(category, name.slice(0, 300), { leaked: false, status: answer.status });
					if (answer.status >= 500) {
						serverErrors.push(
							`${name} (token ${JSON.stringify(token.slice(0, 60))}) → ${answer.status}: ${answer.body.slice(0, 160)}`
						);
					}
				}
			}),
			{ numRuns: 40 }
		);
		const after = await snapshot();
		recordAttempt('input: /invite/[token] ?/accept', 'tables unchanged', {
			leaked: after !== before
		});
		expect(serverErrors).toEqual([]);
		expect(after).toEqual(before);
	});

	it('/unsubscribe/<token> (page, ?/kind, ?/all) with random tokens: 404, never 5xx, nothing written', async () => {
		const serverErrors: string[] = [];
		const before = await snapshot();
		await fc.assert(
			fc.asyncProperty(segment, async (token) => {
				const path = `/unsubscribe/${encodeURIComponent(wellFormed(token))}`;
				const attempts: [string, Promise<Answer>][] = [
					[`GET ${path}`, get(path)],
					[`POST ${path}?/kind`, post(`${path}?/kind`, { kind: 'message' })],
					[`POST ${path}?/all`, post(`${path}?/all`, {})]
				];
				for (const [name, pending] of attempts) {
					const answer = await pending;
					const route = name.startsWith('GET') ? 'GET' : `?/${/\?\/(\w+)/.exec(name)![1]}`;
					recordAttempt(`input: /unsubscribe/[token] ${route}`, name.slice(0, 300), {
						leaked: answer.status < 300,
						status: answer.status
					});
					if (answer.status >= 500) serverErrors.push(`${name} → ${answer.status}`);
					// No token is known: nothing is shown, nothing is turned off.
					else expect(answer.status, name).toBe(404);
				}
			}),
			{ numRuns: 30 }
		);
		expect(serverErrors).toEqual([]);
		expect(await snapshot()).toEqual(before);
	});

	it('/documents/<id>/download with random ids: 404, never 5xx', async () => {
		const serverErrors: string[] = [];
		await fc.assert(
			fc.asyncProperty(segment, async (id) => {
				const path = `/documents/${encodeURIComponent(wellFormed(id))}/download`;
				const answer = await get(path, olivia.cookie);
				recordAttempt('input: /documents/[id]/download GET', `GET ${path}`.slice(0, 300), {
					leaked: answer.status === 303 && !answer.location?.startsWith('/sign-in'),
					status: answer.status
				});
				if (answer.status >= 500) serverErrors.push(`GET ${path} → ${answer.status}`);
				else expect(answer.status, path).toBe(404);
			}),
			{ numRuns: 40 }
		);
		expect(serverErrors).toEqual([]);
	});

	it('/auth/confirm with random parameters: back to sign-in, never 5xx', async () => {
		const serverErrors: string[] = [];
		const unexpected: string[] = [];
		const param = hostile.filter((s) => s.length < 1000);
		await fc.assert(
			fc.asyncProperty(
				fc.record({
					token_hash: fc.oneof(param, fc.stringMatching(/^[0-9a-f]{56}$/)),
					type: fc.oneof(
						fc.constantFrom('email', 'recovery', 'signup', 'magiclink', 'invite', 'email_change'),
						param
					),
					next: param,
					redirect_to: param
				}),
				async (params) => {
					const path = `/auth/confirm?${new URLSearchParams(params)}`;
					const answer = await get(path);
					// An over-long URL is refused by the server (414/431) before the app sees it.
					const refused =
						answer.status === 414 ||
						answer.status === 431 ||
						(answer.status === 303 && answer.location === '/sign-in?error=link-invalid');
					recordAttempt('input: /auth/confirm GET', path.slice(0, 300), {
						leaked: !refused && answer.status < 500,
						status: answer.status
					});
					const line = `GET ${path.slice(0, 200)} → ${answer.status} ${answer.location}`;
					if (answer.status >= 500) serverErrors.push(line);
					else if (!refused) unexpected.push(line);
				}
			),
			{ numRuns: 40 }
		);
		expect(serverErrors).toEqual([]);
		expect(unexpected).toEqual([]);
	});
});

describe('broken request bodies', () => {
	/** Every action that reads a form, with the session it needs. */
	const actions: [string, () => Session | undefined][] = [
		['/sign-in', () => undefined],
		['/sign-in/email?/send', () => undefined],
		['/sign-in/email?/verify', () => undefined],
		['/forgot-password', () => undefined],
		['/reset-password', () => vera],
		[`/accounts/${ACME}/members?/invite`, () => olivia],
		[`/accounts/${ACME}/members?/changeRole`, () => olivia],
		[`/staff/accounts/${ACME}?/remove`, () => sam],
		['/staff/team?/assign', () => ada],
		['/staff/team?/invite', () => ada],
		...['rename', 'move', 'trash', 'restore', 'createFolder', 'renameFolder', 'deleteFolder'].map(
			(action): [string, () => Session] => [`${documents}?/${action}`, () => olivia]
		),
		...['rename', 'move', 'trash', 'restore'].map((action): [string, () => Session] => [
			`${documents}/${DOCUMENT}?/${action}`,
			() => olivia
		]),
		[`/accounts/${ACME}/messages?/start`, () => olivia],
		[`${thread}?/send`, () => olivia],
		[`${thread}?/read`, () => olivia],
		[`/accounts/${ACME}/approvals/${APPROVAL}?/decide`, () => olivia]
	];
	/** The route as the report names it: ids become their parameters. */
	const routeOf = (path: string) =>
		path
			.replace(ACME, '[accountId]')
			.replace(`documents/${DOCUMENT}`, 'documents/[documentId]')
			.replace(THREAD, '[threadId]')
			.replace(APPROVAL, '[approvalId]');
	const bodies: { name: string; body: string; contentType: string }[] = [
		{ name: 'text/plain body', body: 'email=a@b.c\nrole=owner', contentType: 'text/plain' },
		{ name: 'multipart without a boundary', body: 'email=a', contentType: 'multipart/form-data' },
		{
			name: 'multipart with a boundary the body does not use',
			body: '--other\r\ncontent-disposition: form-data; name="email"\r\n\r\nx\r\n--other--\r\n',
			contentType: 'multipart/form-data; boundary=zz'
		},
		{
			name: 'truncated multipart',
			body: '--zz\r\ncontent-disposition: form-data; name="email"\r\n\r\nx',
			contentType: 'multipart/form-data; boundary=zz'
		},
		{
			name: 'malformed percent-encoding',
			body: 'email=%ZZ&role=%&%%',
			contentType: 'application/x-www-form-urlencoded'
		},
		{
			name: 'JSON body',
			body: '{"email":"a@b.c","role":"owner"}',
			contentType: 'application/json'
		},
		{
			name: '1 MB body (over the limit)',
			body: `email=${'a'.repeat(1_000_000)}`,
			contentType: 'application/x-www-form-urlencoded'
		}
	];

	it('every action answers a broken body with a 4xx, never 5xx', async () => {
		const serverErrors: string[] = [];
		const before = await snapshot();
		for (const [path, session] of actions) {
			for (const { name, body, contentType } of bodies) {
				const answer = await post(path, body, { cookie: session()?.cookie, contentType });
				const [route, action] = routeOf(path).split('?/');
				const category = `input: ${route} ?/${action ?? 'default'}`;
				recordAttempt(category, `POST ${path}: ${name}`, { leaked: false, status: answer.status });
				if (answer.status >= 500) {
					serverErrors.push(
						`POST ${path} with ${name} (content-type: ${contentType}) → ${answer.status}`
					);
				}
			}
		}
		const after = await snapshot();
		expect(after).toEqual(before);
		expect(serverErrors).toEqual([]);
	});
});
