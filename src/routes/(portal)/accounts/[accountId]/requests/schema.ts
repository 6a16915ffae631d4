import { z } from 'zod';
import { NUL_MESSAGE, withoutNul } from '../../../../../lib/schemas';
import { INSTRUCTIONS_MAX, TITLE_MAX } from './limits';

/** Today as the server counts it (UTC, like the pages' overdue marks). */
export function today(): string {
	return new Date().toISOString().slice(0, 10);
}

export const PAST_DUE_MESSAGE = 'Choose today or a later date: a due date cannot be in the past.';

const title = z
	.string({ error: 'Give the request a title' })
	.trim()
	.min(1, 'Give the request a title')
	.max(TITLE_MAX, `A title can be at most ${TITLE_MAX} characters`)
	.refine(withoutNul, NUL_MESSAGE);

const instructions = z
	.string()
	.trim()
	.max(
		INSTRUCTIONS_MAX,
		`Instructions can be at most ${INSTRUCTIONS_MAX.toLocaleString('en-GB')} characters`
	)
	.refine(withoutNul, NUL_MESSAGE)
	.optional()
	.default('');

/** A date input's value: empty for "no due date", else a real calendar day. */
export const dueOnField = z
	.string()
	.trim()
	.optional()
	.default('')
	.refine((day) => day === '' || z.iso.date().safeParse(day).success, {
		error: 'Enter a date like 2026-12-31, or leave it empty'
	})
	.transform((day) => (day === '' ? null : day));

/** A new file request. Its due date, if any, is today or later. */
export const newRequestSchema = z
	.object({ title, instructions, dueOn: dueOnField })
	.refine((value) => value.dueOn === null || value.dueOn >= today(), {
		path: ['dueOn'],
		error: PAST_DUE_MESSAGE
	});

/**
 * Changes to a request. A past due date is refused only when it is a new one: a request that
 * is already overdue can still have its title or instructions edited (checked in the action).
 */
export const editRequestSchema = z.object({
	request: z.uuid(),
	title,
	instructions,
	dueOn: dueOnField
});

/** Close, cancel or reopen. */
export const statusSchema = z.object({
	request: z.uuid(),
	status: z.enum(['open', 'closed', 'cancelled'])
});

export type RequestStatus = 'open' | 'submitted' | 'closed' | 'cancelled';

/** The statuses each change may start from: a page that is out of date is told so. */
export const STATUS_FROM: Record<z.output<typeof statusSchema>['status'], RequestStatus[]> = {
	closed: ['open', 'submitted'],
	cancelled: ['open', 'submitted'],
	open: ['closed', 'cancelled']
};
