const sizeUnits = ['KB', 'MB', 'GB', 'TB'] as const;

/** A file size as people read it: "819 bytes", "1.5 MB" (1 KB = 1024 bytes). */
export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes) || bytes < 0) return '';
	if (bytes < 1024) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < sizeUnits.length - 1) {
		value /= 1024;
		unit++;
	}
	const rounded = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
	return `${rounded} ${sizeUnits[unit]}`;
}

// A fixed time zone: the server renders the page, the browser hydrates it, and both must
// print the same text.
const dateFormat = new Intl.DateTimeFormat('en-GB', {
	day: 'numeric',
	month: 'short',
	year: 'numeric',
	timeZone: 'UTC'
});

const postgresTimestamp =
	/^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Reads ISO 8601 and Postgres' text form (`2026-11-29 02:50:43.477+00`, which PostgREST may
 * send). Browsers disagree on the latter (Safari refuses it), so it is rewritten as ISO.
 */
export function parseTimestamp(timestamp: string): Date | null {
	const match = postgresTimestamp.exec(timestamp);
	let text = timestamp;
	if (match) {
		const [, date, time, zone = 'Z'] = match;
		const offset =
			zone === 'Z' ? zone : `${zone.slice(0, 3)}:${zone.slice(3).replace(':', '') || '00'}`;
		text = `${date}T${time}${offset}`;
	}
	const parsed = new Date(text);
	return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** "29 Nov 2026" for a timestamp; '' if it cannot be read. */
export function formatDate(timestamp: string): string {
	const date = parseTimestamp(timestamp);
	return date ? dateFormat.format(date) : '';
}

/**
 * A timestamp as `<time datetime>` wants it (ISO 8601). PostgREST may answer in Postgres'
 * own text form (`2026-11-29 02:50:43.477+00`), which is not a valid HTML datetime.
 */
export function isoDateTime(timestamp: string): string | undefined {
	return parseTimestamp(timestamp)?.toISOString();
}

const roleLabels: Record<string, string> = {
	owner: 'Owner',
	member: 'Member',
	billing: 'Billing',
	viewer: 'Viewer',
	admin: 'Admin',
	staff: 'Staff'
};

/** "Owner" for 'owner'; an unknown role is shown as stored. */
export function roleLabel(role: string): string {
	return roleLabels[role] ?? role;
}

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
	day: 'numeric',
	month: 'short',
	year: 'numeric',
	hour: '2-digit',
	minute: '2-digit',
	timeZone: 'UTC',
	timeZoneName: 'short'
});

/** "29 Nov 2026, 08:51 UTC" for a timestamp; '' if it cannot be read. */
export function formatDateTime(timestamp: string): string {
	const date = parseTimestamp(timestamp);
	return date ? dateTimeFormat.format(date) : '';
}

/** "3 Dec 2026" for a calendar date as Postgres sends it ('2026-12-03'); '' otherwise. */
export function formatDay(day: string): string {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return '';
	const date = new Date(`${day}T00:00:00Z`);
	return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date);
}
