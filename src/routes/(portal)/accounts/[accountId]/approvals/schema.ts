import { z } from 'zod';
import { NUL_MESSAGE, withoutNul } from '../../../../../lib/schemas';
import { dueOnField, PAST_DUE_MESSAGE, today } from '../requests/schema';
import { NOTE_MAX, TITLE_MAX } from './limits';

/** More approvers than an account has owners and members; keeps a hostile post small. */
export const APPROVERS_MAX = 50;

/**
 * A new approval request. The approvers are read separately (the form repeats the
 * `approvers` field); an empty title becomes the document's name in the action.
 */
export const requestApprovalSchema = z
	.object({
		document: z.uuid({ error: 'Choose the document to approve' }),
		title: z
			.string()
			.trim()
			.max(TITLE_MAX, `A title can be at most ${TITLE_MAX} characters`)
			.refine(withoutNul, NUL_MESSAGE)
			.optional()
			.default(''),
		note: z
			.string()
			.trim()
			.max(NOTE_MAX, `A note can be at most ${NOTE_MAX.toLocaleString('en-GB')} characters`)
			.refine(withoutNul, NUL_MESSAGE)
			.optional()
			.default(''),
		dueOn: dueOnField
	})
	.refine((value) => value.dueOn === null || value.dueOn >= today(), {
		path: ['dueOn'],
		error: PAST_DUE_MESSAGE
	});

/** Every ticked `approvers` checkbox. */
export const approversSchema = z
	.array(z.uuid({ error: 'Choose approvers from the list' }))
	.min(1, 'Choose at least one person to approve')
	.max(APPROVERS_MAX, 'Choose approvers from the list')
	.transform((ids) => [...new Set(ids)]);
