import { z } from 'zod';
import { NUL_MESSAGE, withoutNul } from '../../../../../lib/schemas';
import { BODY_MAX, SUBJECT_MAX } from './limits';

/** More attachments than anyone sends at once; keeps a hostile post small. */
export const ATTACHMENTS_MAX = 20;

const count = (n: number) => n.toLocaleString('en-GB');

const body = z
	.string({ error: 'Write a message before sending' })
	.trim()
	.min(1, 'Write a message before sending')
	.max(BODY_MAX, {
		error: (issue) =>
			`A message can be at most ${count(BODY_MAX)} characters: this one has ${count(
				typeof issue.input === 'string' ? issue.input.length : 0
			)}. Shorten it, or attach the text as a document.`
	})
	.refine(withoutNul, NUL_MESSAGE);

/** A new conversation: subject and first message. */
export const newThreadSchema = z.object({
	subject: z
		.string({ error: 'Give the conversation a subject' })
		.trim()
		.min(1, 'Give the conversation a subject')
		.max(SUBJECT_MAX, `A subject can be at most ${SUBJECT_MAX} characters`)
		.refine(withoutNul, NUL_MESSAGE),
	body
});

/** A reply. Attachments are read separately: the form repeats the `document` field. */
export const replySchema = z.object({
	body,
	// A checkbox: present ("on") when ticked.
	internal: z
		.literal('on')
		.optional()
		.transform((value) => value === 'on')
});

/** The attached document ids (every `document` value of the form). */
export const attachmentsSchema = z
	.array(z.uuid({ error: 'Choose attachments from the list' }))
	.max(ATTACHMENTS_MAX, `Attach at most ${ATTACHMENTS_MAX} documents to one message`)
	.transform((ids) => [...new Set(ids)]);

/** Marking a thread read up to the newest message the page showed. */
export const readSchema = z.object({ message: z.uuid() });
