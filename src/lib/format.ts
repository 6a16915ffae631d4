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

/** "29 Nov 2026" for an ISO timestamp; '' if it cannot be read. */
export function formatDate(iso: string): string {
	const date = new Date(iso);
	return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date);
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
