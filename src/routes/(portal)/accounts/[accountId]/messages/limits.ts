/**
 * The limits the messages migration enforces (threads.subject, messages.body). Apart from
 * schema.ts so that the pages can show them without bringing zod into the browser's first
 * load (issue 8, benchmark 3).
 */
export const SUBJECT_MAX = 200;
export const BODY_MAX = 10_000;
