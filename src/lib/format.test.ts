import { describe, expect, it } from 'vitest';
import {
	formatBytes,
	formatDate,
	formatDateTime,
	formatDay,
	isoDateTime,
	parseTimestamp,
	roleLabel
} from './format';

describe('formatBytes', () => {
	it.each([
		[0, '0 bytes'],
		[1, '1 byte'],
		[819, '819 bytes'],
		[1023, '1023 bytes'],
		[1024, '1 KB'],
		[1536, '1.5 KB'],
		[10 * 1024, '10 KB'],
		[52428800, '50 MB'],
		[3.25 * 1024 ** 3, '3.3 GB'],
		[2 * 1024 ** 5, '2048 TB']
	])('%d bytes reads %j', (bytes, text) => {
		expect(formatBytes(bytes)).toBe(text);
	});

	it('prints nothing for impossible sizes', () => {
		expect(formatBytes(-1)).toBe('');
		expect(formatBytes(Number.NaN)).toBe('');
	});
});

describe('formatDate', () => {
	it('prints the UTC calendar date, whatever the machine’s time zone', () => {
		expect(formatDate('2026-11-29T23:30:00+00:00')).toBe('29 Nov 2026');
		expect(formatDate('2026-11-30T00:30:00+02:00')).toBe('29 Nov 2026');
	});

	it('prints nothing for an unreadable timestamp', () => {
		expect(formatDate('not a date')).toBe('');
	});
});

describe('parseTimestamp', () => {
	it.each([
		['2026-11-29T02:50:43.477Z', '2026-11-29T02:50:43.477Z'],
		['2026-11-29T02:50:43.477+00:00', '2026-11-29T02:50:43.477Z'],
		['2026-11-29 02:50:43.477+00', '2026-11-29T02:50:43.477Z'],
		['2026-11-29 02:50:43+00', '2026-11-29T02:50:43.000Z'],
		['2026-11-29 08:20:43.5+05:30', '2026-11-29T02:50:43.500Z'],
		['2026-11-29 08:20:43+0530', '2026-11-29T02:50:43.000Z'],
		['2026-11-28 21:50:43.123456-05', '2026-11-29T02:50:43.123Z'],
		['2026-11-29 02:50', '2026-11-29T02:50:00.000Z']
	])('reads %j', (text, iso) => {
		expect(parseTimestamp(text)?.toISOString()).toBe(iso);
	});

	it('returns null for text that is no timestamp', () => {
		expect(parseTimestamp('')).toBeNull();
		expect(parseTimestamp('29/11/2026')).toBeNull();
	});
});

describe('isoDateTime', () => {
	it('turns Postgres and ISO timestamps into ISO 8601 in UTC', () => {
		expect(isoDateTime('2026-11-29 02:50:43.477+00')).toBe('2026-11-29T02:50:43.477Z');
		expect(isoDateTime('2026-11-29T04:50:43.477+02:00')).toBe('2026-11-29T02:50:43.477Z');
		expect(isoDateTime('yesterday')).toBeUndefined();
	});
});

describe('roleLabel', () => {
	it('names the known roles and passes others through', () => {
		expect(roleLabel('owner')).toBe('Owner');
		expect(roleLabel('billing')).toBe('Billing');
		expect(roleLabel('auditor')).toBe('auditor');
	});
});

describe('formatDateTime', () => {
	it('prints the date and time in UTC', () => {
		expect(formatDateTime('2026-11-29 08:51:19.085+00')).toBe('29 Nov 2026, 08:51 UTC');
	});
	it('is empty for text that is no timestamp', () => {
		expect(formatDateTime('yesterday')).toBe('');
	});
});

describe('formatDay', () => {
	it('prints a calendar date without shifting it by a time zone', () => {
		expect(formatDay('2026-12-03')).toBe('3 Dec 2026');
	});
	it('is empty for anything but YYYY-MM-DD', () => {
		expect(formatDay('2026-12-03T00:00:00Z')).toBe('');
		expect(formatDay('2026-13-45')).toBe('');
	});
});
