import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALLOWED_TYPES, MAX_FILE_BYTES, checkContent, checkNameAndSize } from './file-rules';

const migrations = new URL('../../../supabase/migrations/', import.meta.url);
const readMigration = (file: string) => readFileSync(new URL(file, migrations), 'utf8');

/** The quoted strings of the array the migration sets as the documents bucket's types. */
function bucketMimeTypes(sql: string): string[] {
	const statement =
		/update\s+storage\.buckets\s+set\s+allowed_mime_types\s*=\s*array\s*\[([^\]]*)\]\s*where\s+id\s*=\s*'documents'/i.exec(
			sql
		);
	if (!statement) throw new Error('no "update storage.buckets set allowed_mime_types" found');
	const body = statement[1]!;
	const types = [...body.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
	// Nothing but quoted strings, commas and white space between the brackets.
	expect(body.replace(/'[^']*'/g, '').replace(/[\s,]/g, '')).toBe('');
	return types;
}

const bytes = (...values: (number | string)[]) =>
	new Uint8Array(
		values.flatMap((v) => (typeof v === 'string' ? [...new TextEncoder().encode(v)] : [v]))
	);
const PDF_HEAD = bytes('%PDF-1.7\n%âãÏÓ\n');
const PNG_HEAD = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 'IHDR');
const ZIP_HEAD = bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0);
const WEB_PAGE = bytes('<!doctype html>\n<html><script>alert(1)</script></html>');

describe('the documents bucket and ALLOWED_TYPES', () => {
	it('allow the same MIME types (20261129040000_portal_content.sql)', () => {
		const inMigration = bucketMimeTypes(readMigration('20261129040000_portal_content.sql'));
		expect(new Set(inMigration).size, 'no type listed twice').toBe(inMigration.length);
		expect([...inMigration].sort()).toEqual([...new Set(Object.values(ALLOWED_TYPES))].sort());
	});

	it('have the same size limit (the foundation migration sets file_size_limit)', () => {
		const sql = readMigration('20261129010000_accounts_foundation.sql');
		const limit = /values\s*\(\s*'documents',\s*'documents',\s*false,\s*(\d+)\s*\)/i.exec(sql);
		expect(limit?.[1]).toBe(String(MAX_FILE_BYTES));
	});

	it('leave out web pages, scripts and SVG', () => {
		for (const type of [
			'text/html',
			'image/svg+xml',
			'application/javascript',
			'text/javascript'
		]) {
			expect(Object.values(ALLOWED_TYPES)).not.toContain(type);
		}
	});
});

describe('checkNameAndSize', () => {
	it('accepts a file of exactly the limit, and of one byte', () => {
		expect(checkNameAndSize('scan.pdf', MAX_FILE_BYTES)).toBeNull();
		expect(checkNameAndSize('note.txt', 1)).toBeNull();
	});

	it('refuses a file one byte over the limit', () => {
		expect(checkNameAndSize('scan.pdf', MAX_FILE_BYTES + 1)).toBe(
			'“scan.pdf” is larger than the 50 MB limit. Split it or compress it, then try again.'
		);
	});

	it('refuses an empty file', () => {
		expect(checkNameAndSize('scan.pdf', 0)).toBe(
			'“scan.pdf” is empty (0 bytes). Choose the file again.'
		);
	});

	it('refuses a name without an extension (a leading dot is not one)', () => {
		for (const name of ['README', '.pdf', 'archive.']) {
			expect(checkNameAndSize(name, 10)).toBe(
				`“${name}” has no file extension, so its type cannot be checked. Rename it (for example report.pdf).`
			);
		}
	});

	it('refuses web pages, SVG and scripts by their extension', () => {
		expect(checkNameAndSize('invoice.html', 10)).toBe(
			'“invoice.html”: .html files are not accepted. Use PDF, an image, an office document, text or zip.'
		);
		for (const name of ['page.htm', 'logo.svg', 'run.js', 'setup.exe', 'report.pdf.html']) {
			expect(checkNameAndSize(name, 10), name).toMatch(/files are not accepted/);
		}
	});

	it('takes the extension in any case', () => {
		expect(checkNameAndSize('SCAN.PDF', 10)).toBeNull();
		expect(checkNameAndSize('Photo.JpEg', 10)).toBeNull();
	});
});

describe('checkContent', () => {
	it('accepts files whose first bytes match their type', () => {
		expect(checkContent('contract.pdf', PDF_HEAD)).toBeNull();
		expect(checkContent('logo.png', PNG_HEAD)).toBeNull();
		expect(checkContent('report.docx', ZIP_HEAD)).toBeNull();
		expect(checkContent('notes.txt', bytes('Meeting notes, 3 May'))).toBeNull();
	});

	it('refuses a web page named .pdf', () => {
		expect(checkContent('invoice.pdf', WEB_PAGE)).toBe(
			'“invoice.pdf” does not look like a .pdf file inside. Check that it opens, then try again.'
		);
	});

	it('refuses a file that only starts like its type', () => {
		expect(checkContent('logo.png', PNG_HEAD.slice(0, 4))).toMatch(/does not look like a \.png/);
		expect(checkContent('report.docx', PDF_HEAD)).toMatch(/does not look like a \.docx/);
		expect(checkContent('empty.pdf', new Uint8Array())).toMatch(/does not look like a \.pdf/);
	});

	it('refuses text that is web page markup', () => {
		const refusal = '“notes.txt” contains web page markup, which is not accepted as a text file.';
		expect(checkContent('notes.txt', WEB_PAGE)).toBe(refusal);
		expect(checkContent('notes.txt', bytes('  \n<HTML><body>hi</body></HTML>'))).toBe(refusal);
		expect(checkContent('data.csv', bytes('<svg onload="alert(1)"/>'))).toMatch(/web page markup/);
		expect(checkContent('readme.md', bytes('<?xml version="1.0"?><svg/>'))).toMatch(
			/web page markup/
		);
	});

	it('lets text mention markup after its start', () => {
		expect(checkContent('notes.txt', bytes('Use <html> tags in the template.'))).toBeNull();
	});

	it('answers an unaccepted name as checkNameAndSize would, whatever it holds', () => {
		expect(checkContent('page.html', WEB_PAGE)).toBe(
			checkNameAndSize('page.html', WEB_PAGE.length)
		);
	});
});
