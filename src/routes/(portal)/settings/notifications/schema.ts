import { z } from 'zod';
import {
	FREQUENCIES,
	NOTIFICATION_KINDS,
	type NotificationKind
} from '../../../../lib/notifications/describe';

export const FREQUENCY_LABELS = {
	immediate: 'Immediately',
	daily: 'Daily digest',
	weekly: 'Weekly digest',
	off: 'Off'
} as const;

const frequency = z.enum(FREQUENCIES, {
	error: 'Choose Immediately, Daily digest, Weekly digest or Off'
});

/**
 * The whole preferences form: one choice per kind, all of them, and nothing else (a name
 * that is not a kind is refused, so a stale or forged form writes nothing).
 */
export const preferencesSchema = z.strictObject(
	Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, frequency])) as Record<
		NotificationKind,
		typeof frequency
	>
);

/** The posted names that are not kinds (zod reports them for the form, not for a field). */
export function unknownKinds(input: Record<string, unknown>): string[] {
	return Object.keys(input).filter(
		(name) => !(NOTIFICATION_KINDS as readonly string[]).includes(name)
	);
}
