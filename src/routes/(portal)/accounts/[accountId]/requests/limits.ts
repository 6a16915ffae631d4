/**
 * The limits the portal content migration enforces on public.file_requests. Apart from
 * schema.ts so that the page can show them without bringing zod into the browser's first
 * load (issue 8, benchmark 3).
 */
export const TITLE_MAX = 200;
export const INSTRUCTIONS_MAX = 4000;
