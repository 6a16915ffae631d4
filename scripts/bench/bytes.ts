/**
 * Benchmark 3, bytes: the JavaScript each page makes the browser load before it is
 * interactive, gzipped. Reads the HTML the production build serves (to a signed-in client,
 * or to the admin for staff pages): the entry scripts it imports and every module it
 * preloads, then sums the gzip size (level 9, as adapter-node precompresses) of those files
 * from build/client. Lazy chunks loaded later (e.g. on upload) are not counted.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ACME, ACME_THREAD, benchApp } from './app.ts';
import type { BenchTable } from './table.ts';

/** kB = 1,000 bytes. */
const BUDGET_KB = 80;

// Demo rows with fixed ids (supabase/seed.sql).
const DOCUMENT = 'd0000000-0000-4000-8000-000000000001';
const PROJECT = 'b1000000-0000-4000-8000-000000000001';
const APPROVAL = 'a1000000-0000-4000-8000-000000000001';

type Who = 'anonymous' | 'client' | 'staff';
const ROUTES: { group: 'auth' | 'portal' | 'staff'; path: string; who: Who }[] = [
	{ group: 'auth', path: '/sign-in', who: 'anonymous' },
	{ group: 'auth', path: '/sign-in/email', who: 'anonymous' },
	{ group: 'auth', path: '/forgot-password', who: 'anonymous' },
	{ group: 'portal', path: `/accounts/${ACME}`, who: 'client' },
	{ group: 'portal', path: `/accounts/${ACME}/documents`, who: 'client' },
	{ group: 'portal', path: `/accounts/${ACME}/documents/${DOCUMENT}`, who: 'client' },
	{ group: 'portal', path: `/accounts/${ACME}/messages`, who: 'client' },
	{ group: 'portal', path: `/accounts/${ACME}/messages/${ACME_THREAD}`, who: 'client' },
	{ group: 'portal', path: `/accounts/${ACME}/projects`, who: 'client' },
	{ group: 'portal', path: `/accounts/${ACME}/projects/${PROJECT}`, who: 'client' },
	{ group: 'portal', path: `/accounts/${ACME}/approvals`, who: 'client' },
	{ group: 'portal', path: `/accounts/${ACME}/approvals/${APPROVAL}`, who: 'client' },
	{ group: 'portal', path: `/accounts/${ACME}/requests`, who: 'client' },
	{ group: 'portal', path: `/accounts/${ACME}/activity`, who: 'client' },
	{ group: 'portal', path: `/accounts/${ACME}/members`, who: 'client' },
	{ group: 'portal', path: '/notifications', who: 'client' },
	{ group: 'portal', path: '/settings/notifications', who: 'client' },
	{ group: 'staff', path: '/staff', who: 'staff' },
	{ group: 'staff', path: `/staff/accounts/${ACME}`, who: 'staff' },
	{ group: 'staff', path: `/staff/accounts/${ACME}/preview`, who: 'staff' },
	{ group: 'staff', path: '/staff/branding', who: 'staff' },
	{ group: 'staff', path: '/staff/team', who: 'staff' },
	{ group: 'staff', path: '/staff/updates', who: 'staff' }
];

/** The scripts a page loads up front: modulepreload links and the inline script's imports. */
export function firstLoadScripts(html: string, pageUrl: string): string[] {
	const found = new Set<string>();
	for (const link of html.matchAll(/<link\b[^>]*>/g)) {
		if (!/\brel="modulepreload"/.test(link[0])) continue;
		const href = /\bhref="([^"]+)"/.exec(link[0])?.[1];
		if (href) found.add(new URL(href, pageUrl).pathname);
	}
	for (const script of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
		const src = /\bsrc="([^"]+)"/.exec(script[1]!)?.[1];
		if (src) found.add(new URL(src, pageUrl).pathname);
		for (const dynamic of script[2]!.matchAll(/import\("([^"]+\.js)"\)/g)) {
			found.add(new URL(dynamic[1]!, pageUrl).pathname);
		}
	}
	return [...found];
}

const kb = (bytes: number) => (bytes / 1000).toFixed(1);

export async function bytes(_opts: { quick: boolean }): Promise<BenchTable> {
	const app = await benchApp();
	const cookies: Record<Who, string> = {
		anonymous: '',
		client: await app.signIn('olivia@acme.example.com'),
		staff: await app.signIn('ada@staff.example.com')
	};
	const gzipped = new Map<string, { raw: number; gzip: number }>();
	const sizeOf = (file: string) => {
		let size = gzipped.get(file);
		if (!size) {
			const content = readFileSync(path.join(app.buildDir, 'build', 'client', file));
			size = { raw: content.length, gzip: gzipSync(content, { level: 9 }).length };
			gzipped.set(file, size);
		}
		return size;
	};

	const rows: string[][] = [];
	const notes: string[] = [];
	let withinBudget = true;
	let largest = { file: '', gzip: 0 };
	for (const route of ROUTES) {
		const url = app.origin + route.path;
		const response = await fetch(url, {
			headers: { cookie: cookies[route.who], accept: 'text/html' },
			redirect: 'manual'
		});
		const html = await response.text();
		if (response.status !== 200) {
			rows.push([route.path, route.who, '-', '-', '-', `HTTP ${response.status}`]);
			notes.push(`${route.path}: not measured (HTTP ${response.status} for the ${route.who} user)`);
			continue;
		}
		const files = firstLoadScripts(html, url);
		let raw = 0;
		let gzip = 0;
		for (const file of files) {
			const size = sizeOf(file);
			raw += size.raw;
			gzip += size.gzip;
			if (size.gzip > largest.gzip) largest = { file, gzip: size.gzip };
		}
		const over = route.group === 'portal' && gzip / 1000 > BUDGET_KB;
		if (over) withinBudget = false;
		rows.push([
			route.path.replace(ACME, '<acme>').replace(/[0-9a-f-]{36}/g, '<id>'),
			route.who,
			String(files.length),
			kb(raw),
			kb(gzip),
			route.group === 'portal' ? (over ? 'missed' : 'met') : 'n/a'
		]);
	}
	notes.push(
		`Budget: at most ${BUDGET_KB} kB (1 kB = 1,000 bytes) of gzipped JavaScript before interaction on portal pages; auth and staff pages are shown for reference.`,
		`Largest single file: ${largest.file} (${kb(largest.gzip)} kB gzip). CSS, fonts and lazily imported chunks are not counted.`
	);
	return {
		title: '3. Bytes (first-load JavaScript per route, gzip)',
		columns: ['Route', 'As', 'Files', 'Raw kB', 'Gzip kB', 'Budget'],
		rows,
		notes,
		withinBudget
	};
}
