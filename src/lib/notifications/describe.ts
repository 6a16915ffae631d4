/**
 * What a notification says and where it leads: one sentence per kind of event, shared by the
 * bell (the app) and the emails (the worker, which runs outside SvelteKit: this module
 * imports nothing). The names in it were recorded when the event happened (actor_name,
 * account_name in details); titles are staff's or clients' own words, so callers escape them
 * for HTML.
 */

export const NOTIFICATION_KINDS = [
	'document',
	'file_request',
	'message',
	'approval_requested',
	'approval_decided',
	'status_update',
	'invitation'
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const FREQUENCIES = ['immediate', 'daily', 'weekly', 'off'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** The preferences page's labels, and the default when a person has not chosen. */
export const KIND_LABELS: Record<NotificationKind, { label: string; hint: string }> = {
	document: { label: 'New documents and versions', hint: 'A file is added to an account.' },
	file_request: {
		label: 'File requests',
		hint: 'Files are asked of you, or sent in answer to a request.'
	},
	message: { label: 'Messages', hint: 'Someone writes in a conversation you can read.' },
	approval_requested: {
		label: 'Approvals asked of you',
		hint: 'Your decision is needed on a document.'
	},
	approval_decided: { label: 'Approval decisions', hint: 'An approval you follow is decided.' },
	status_update: { label: 'Status updates', hint: 'Progress is posted on a project.' },
	invitation: { label: 'People joining', hint: 'Someone accepts an invitation.' }
};

/** Mirrors private.default_frequency in the database. */
export function defaultFrequency(kind: NotificationKind): Frequency {
	return kind === 'status_update' || kind === 'invitation' ? 'daily' : 'immediate';
}

export interface NotificationLike {
	kind: string;
	account_id: string | null;
	subject_id: string | null;
	details: unknown;
}

export interface Description {
	/** One sentence, plain text, without the account's name. */
	text: string;
	/** The account's name when it happened, if the event belongs to one. */
	accountName: string | null;
	/** Path inside the portal (starts with /). */
	path: string;
}

function field(details: unknown, key: string): string {
	if (!details || typeof details !== 'object') return '';
	const value = (details as Record<string, unknown>)[key];
	return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

const ROLE_WORDS: Record<string, string> = {
	owner: 'an owner',
	member: 'a member',
	billing: 'a billing contact',
	viewer: 'a viewer',
	admin: 'an admin',
	staff: 'staff'
};

/** One line: titles may hold line breaks; a sentence (and an email subject) may not. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

export function describeNotification(n: NotificationLike): Description {
	const d = n.details;
	const actor = oneLine(field(d, 'actor_name')) || 'Someone';
	const accountName = oneLine(field(d, 'account_name')) || null;
	const account = n.account_id ? `/accounts/${n.account_id}` : '';
	const quoted = (key: string) => `“${oneLine(field(d, key)) || 'Untitled'}”`;

	switch (n.kind) {
		case 'document': {
			const version = Number(field(d, 'version')) || 1;
			return {
				text:
					version > 1
						? `${actor} uploaded version ${version} of ${quoted('name')}`
						: `${actor} added ${quoted('name')}`,
				accountName,
				path: `${account}/documents/${n.subject_id}`
			};
		}
		case 'file_request':
			return {
				text:
					field(d, 'status') === 'submitted'
						? `${actor} sent files for ${quoted('title')}`
						: `${actor} asked for files: ${quoted('title')}`,
				accountName,
				path: `${account}/requests`
			};
		case 'message':
			return {
				text:
					d && typeof d === 'object' && (d as Record<string, unknown>).internal === true
						? `${actor} wrote an internal note in ${quoted('subject')}`
						: `${actor} wrote in ${quoted('subject')}`,
				accountName,
				path: `${account}/messages/${n.subject_id}`
			};
		case 'approval_requested':
			return {
				text: `${actor} asks for your approval of ${quoted('title')}`,
				accountName,
				path: `${account}/approvals/${n.subject_id}`
			};
		case 'approval_decided':
			return {
				text:
					field(d, 'status') === 'approved'
						? `${actor} approved ${quoted('title')}`
						: `${actor} requested changes to ${quoted('title')}`,
				accountName,
				path: `${account}/approvals/${n.subject_id}`
			};
		case 'status_update': {
			const project = oneLine(field(d, 'project_name'));
			const projectId = field(d, 'project_id');
			return {
				text: project ? `${actor} posted an update on ${project}` : `${actor} posted an update`,
				accountName,
				path: projectId ? `${account}/projects/${projectId}` : account || '/'
			};
		}
		case 'invitation': {
			const who = oneLine(field(d, 'email')) || actor;
			const role = ROLE_WORDS[field(d, 'role')] ?? 'a member';
			return field(d, 'invitation_kind') === 'staff'
				? { text: `${who} joined the team as ${role}`, accountName: null, path: '/staff/team' }
				: { text: `${who} joined as ${role}`, accountName, path: `${account}/members` };
		}
		default:
			return { text: `${actor} made a change`, accountName, path: account || '/' };
	}
}
