/**
 * Benchmark 5, large files: a 200 MB file (20 MB with --quick) uploaded and downloaded the way
 * the portal does it. Upload: straight to Storage as the signed-in user (what
 * src/lib/uploads/upload.ts does in the browser), then the documents row. Download: the app's
 * /documents/[id]/download, which answers with a redirect to a signed Storage URL, followed.
 * Throughput both ways, and the peak memory growth (VmRSS) of the `node build` process and
 * of the stack's server while the bytes move.
 *
 * The shipped limit is 50 MiB (the documents bucket's file_size_limit in the foundation
 * migration, lite.toml and MAX_FILE_BYTES). The benchmark first tries the file against it,
 * then raises the limit in its own throwaway stack only (scripts/bench/app.ts).
 */
import {
	createReadStream,
	mkdtempSync,
	openSync,
	readdirSync,
	readFileSync,
	readlinkSync,
	rmSync,
	writeSync,
	closeSync
} from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createClient } from '@supabase/supabase-js';
import { DEV_SECRET_KEY } from '../stack.ts';
import { ACME, BENCH_FILE_LIMIT, benchApp, mb, rssBytes } from './app.ts';
import type { BenchTable } from './table.ts';

const BUDGET_GROWTH = 64 * 1024 * 1024;
const SHIPPED_LIMIT = 52428800;

/** The stack's API server (`lite start`), found by its working directory. */
function litePid(instanceDir: string): number | null {
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (readlinkSync(`/proc/${entry}/cwd`) !== instanceDir) continue;
			const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
			if (cmdline.some((arg) => arg.endsWith('lite')) && cmdline.includes('start'))
				return Number(entry);
		} catch {
			// gone, or not ours to read
		}
	}
	return null;
}

/** Samples the peak VmRSS of some processes every 20 ms until stopped. */
function sampleRss(pids: number[]) {
	const baseline = pids.map(rssBytes);
	const peak = [...baseline];
	const timer = setInterval(() => {
		pids.forEach((pid, i) => {
			const now = rssBytes(pid);
			if (now > peak[i]!) peak[i] = now;
		});
	}, 20);
	return {
		stop: () => {
			clearInterval(timer);
			return pids.map((_, i) => Math.max(0, peak[i]! - baseline[i]!));
		}
	};
}

/** A PDF by its first bytes, random after them (so that nothing on the way can compress it). */
function writeFile(file: string, size: number) {
	const fd = openSync(file, 'w');
	try {
		const header = Buffer.from('%PDF-1.7\n');
		writeSync(fd, header);
		let written = header.length;
		while (written < size) {
			const chunk = randomBytes(Math.min(8 * 1024 * 1024, size - written));
			writeSync(fd, chunk);
			written += chunk.length;
		}
	} finally {
		closeSync(fd);
	}
}

export async function largeFiles(opts: { quick: boolean }): Promise<BenchTable> {
	const app = await benchApp();
	const size = (opts.quick ? 20 : 200) * 1000 * 1000;
	const dir = mkdtempSync(path.join(os.tmpdir(), 'portal-bench-large-'));
	const file = path.join(dir, 'large.pdf');
	const notes: string[] = [];
	try {
		writeFile(file, size);
		const apiUrl = app.stack.apiUrl;
		const lite = litePid(app.stack.instanceDir);

		// As the browser does: a session with supabase-js, straight against Storage.
		const client = createClient(apiUrl, app.stack.publishableKey, {
			auth: { persistSession: false, autoRefreshToken: false }
		});
		const { data: auth, error: authError } = await client.auth.signInWithPassword({
			email: 'olivia@acme.example.com',
			password: 'portal-demo-2026'
		});
		if (authError || !auth.session) throw new Error(`signing in failed: ${authError?.message}`);
		const upload = (storagePath: string) =>
			fetch(`${apiUrl}/storage/v1/object/documents/${storagePath}`, {
				method: 'POST',
				headers: {
					authorization: `Bearer ${auth.session.access_token}`,
					apikey: app.stack.publishableKey,
					'content-type': 'application/pdf',
					'content-length': String(size),
					'x-upsert': 'false'
				},
				body: Readable.toWeb(createReadStream(file)) as ReadableStream,
				duplex: 'half'
			} as RequestInit & { duplex: 'half' });

		const admin = createClient(apiUrl, DEV_SECRET_KEY, { auth: { persistSession: false } });
		const { data: bucket } = await admin.storage.getBucket('documents');
		const limit = bucket?.file_size_limit ?? null;
		if (size > SHIPPED_LIMIT) {
			// What a user meets today: the shipped limit refuses the file.
			const refused = await upload(`${ACME}/${randomUUID()}/${randomUUID()}`);
			const body = await refused.text();
			const reason = (() => {
				try {
					return (JSON.parse(body) as { message?: string }).message ?? body;
				} catch {
					return body;
				}
			})();
			notes.push(
				`With the shipped limit (bucket file_size_limit ${limit ?? 'unknown'} bytes = 50 MiB) the ${size / 1e6} MB upload answers HTTP ${refused.status}${refused.ok ? ' (accepted: lite does not enforce it)' : `: “${reason.slice(0, 160)}”`}. The app also refuses it in the browser first (MAX_FILE_BYTES = 50 MiB in src/lib/uploads/file-rules.ts).`
			);
			const { error } = await admin.storage.updateBucket('documents', {
				public: false,
				fileSizeLimit: 256 * 1024 * 1024
			});
			if (error) throw new Error(`raising the bench bucket's limit failed: ${error.message}`);
			notes.push(
				`For the figures below this run's throwaway stack raises the limit to ${BENCH_FILE_LIMIT} (a copy of lite.toml, and the bucket row); the migrations are unchanged.`
			);
		}

		// Upload.
		const documentId = randomUUID();
		const storagePath = `${ACME}/${documentId}/${randomUUID()}`;
		const upSampler = sampleRss(lite ? [lite] : []);
		const upStarted = performance.now();
		const uploaded = await upload(storagePath);
		const upText = await uploaded.text();
		const { error: rowError } = await client.from('documents').insert({
			id: documentId,
			account_id: ACME,
			name: `Large benchmark file ${documentId.slice(0, 8)}.pdf`,
			storage_path: storagePath,
			size_bytes: size,
			mime_type: 'application/pdf',
			uploaded_by: auth.user.id
		});
		const upSeconds = (performance.now() - upStarted) / 1000;
		const [liteUpGrowth] = upSampler.stop();
		if (!uploaded.ok)
			throw new Error(`the upload answered HTTP ${uploaded.status}: ${upText.slice(0, 300)}`);
		if (rowError) throw new Error(`the documents row was refused: ${rowError.message}`);

		// Download: the app's endpoint, then the signed URL it sends the browser to.
		const cookie = await app.signIn('olivia@acme.example.com');
		const downSampler = sampleRss(lite ? [app.appPid, lite] : [app.appPid]);
		const downStarted = performance.now();
		const redirect = await fetch(`${app.origin}/documents/${documentId}/download`, {
			headers: { cookie },
			redirect: 'manual'
		});
		const location = redirect.headers.get('location');
		if (redirect.status !== 303 || !location) {
			throw new Error(`the download endpoint answered HTTP ${redirect.status}`);
		}
		// The app names its Supabase URL (the bench's counting proxy); a browser would go to
		// Supabase itself, so go to the stack directly.
		const signed = new URL(location);
		const direct = new URL(signed.pathname + signed.search, apiUrl);
		const answer = await fetch(direct);
		if (!answer.ok || !answer.body)
			throw new Error(`the signed URL answered HTTP ${answer.status}`);
		let received = 0;
		for await (const chunk of answer.body) received += (chunk as Uint8Array).length;
		const downSeconds = (performance.now() - downStarted) / 1000;
		const [appGrowth, liteDownGrowth] = downSampler.stop();
		if (received !== size) throw new Error(`downloaded ${received} bytes, uploaded ${size}`);

		const withinBudget = appGrowth! < BUDGET_GROWTH;
		const rate = (seconds: number) => (size / 1e6 / seconds).toFixed(0);
		notes.unshift(
			`File: ${size / 1e6} MB of random bytes as a PDF; stack on embedded PGlite, loopback. Upload = Storage upload + documents row; download = GET /documents/<id>/download (303) + the signed URL, to the last byte.`,
			`Budget: the app server's peak VmRSS growth during the download < 64 MB (streamed). The app never holds the bytes: uploads go from the browser to Storage, downloads are a redirect to a signed URL.`
		);
		return {
			title: `5. Large files (${size / 1e6} MB)`,
			columns: [
				'Direction',
				'Seconds',
				'MB/s',
				'App RSS growth MB',
				'Stack (lite) RSS growth MB',
				'Budget'
			],
			rows: [
				[
					'Upload',
					upSeconds.toFixed(2),
					rate(upSeconds),
					'n/a (not involved)',
					lite ? mb(liteUpGrowth!) : '?',
					''
				],
				[
					'Download',
					downSeconds.toFixed(2),
					rate(downSeconds),
					mb(appGrowth!),
					lite ? mb(liteDownGrowth!) : '?',
					withinBudget ? 'met' : 'missed'
				]
			],
			notes,
			withinBudget
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
