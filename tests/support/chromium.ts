/**
 * How Debian's Chromium runs on these machines, for the browser tests (playwright.config.ts)
 * and Lighthouse (scripts/bench/lighthouse.ts): without the background-networking flags it
 * keeps dialling hosts this closed network refuses (see the machine notes).
 */
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];
