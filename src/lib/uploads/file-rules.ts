/**
 * What the documents bucket takes: the same limit as the bucket's file_size_limit (the
 * foundation migration) and a list of business file types. Web pages, scripts and SVG are
 * refused: opened from storage they could run script.
 *
 * Checked in the browser before a single byte is sent, so a refusal is instant and clear;
 * storage enforces the size again on its side.
 */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** Extension → the MIME type we store it under. */
export const ALLOWED_TYPES: Record<string, string> = {
	pdf: 'application/pdf',
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	gif: 'image/gif',
	webp: 'image/webp',
	txt: 'text/plain',
	csv: 'text/csv',
	md: 'text/markdown',
	rtf: 'application/rtf',
	doc: 'application/msword',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xls: 'application/vnd.ms-excel',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	ppt: 'application/vnd.ms-powerpoint',
	pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	odt: 'application/vnd.oasis.opendocument.text',
	ods: 'application/vnd.oasis.opendocument.spreadsheet',
	odp: 'application/vnd.oasis.opendocument.presentation',
	zip: 'application/zip',
	eps: 'application/postscript',
	ai: 'application/postscript',
	psd: 'image/vnd.adobe.photoshop',
	heic: 'image/heic',
	mp4: 'video/mp4',
	mov: 'video/quicktime',
	mp3: 'audio/mpeg'
};

/** The first bytes each checkable type starts with; a file claiming the type must match. */
const SIGNATURES: Record<string, number[][]> = {
	'application/pdf': [[0x25, 0x50, 0x44, 0x46]], // %PDF
	'image/png': [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
	'image/jpeg': [[0xff, 0xd8, 0xff]],
	'image/gif': [
		[0x47, 0x49, 0x46, 0x38, 0x37, 0x61],
		[0x47, 0x49, 0x46, 0x38, 0x39, 0x61]
	],
	'image/webp': [[0x52, 0x49, 0x46, 0x46]], // RIFF
	'application/zip': [[0x50, 0x4b, 0x03, 0x04]],
	// Office Open XML and OpenDocument files are zip archives.
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': [
		[0x50, 0x4b, 0x03, 0x04]
	],
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': [[0x50, 0x4b, 0x03, 0x04]],
	'application/vnd.openxmlformats-officedocument.presentationml.presentation': [
		[0x50, 0x4b, 0x03, 0x04]
	],
	'application/vnd.oasis.opendocument.text': [[0x50, 0x4b, 0x03, 0x04]],
	'application/vnd.oasis.opendocument.spreadsheet': [[0x50, 0x4b, 0x03, 0x04]],
	'application/vnd.oasis.opendocument.presentation': [[0x50, 0x4b, 0x03, 0x04]]
};

/** How many leading bytes the content check reads. */
export const SNIFF_BYTES = 64;

/** Markup a text file must not start with: opened directly it would be a web page. */
const MARKUP = /^\s*<(?:!doctype|html|head|body|script|svg|\?xml)/i;

export function extensionOf(name: string): string {
	const dot = name.lastIndexOf('.');
	return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The stored type for a file name, or null when the type is not accepted. */
export function mimeTypeFor(name: string): string | null {
	return ALLOWED_TYPES[extensionOf(name)] ?? null;
}

export const ACCEPT_ATTRIBUTE = Object.keys(ALLOWED_TYPES)
	.map((extension) => `.${extension}`)
	.join(',');

/** Why a file cannot be uploaded by its name and size alone, or null if it may be. */
export function checkNameAndSize(name: string, size: number): string | null {
	if (size > MAX_FILE_BYTES) {
		return `“${name}” is larger than the 50 MB limit. Split it or compress it, then try again.`;
	}
	if (size === 0) return `“${name}” is empty (0 bytes). Choose the file again.`;
	if (!mimeTypeFor(name)) {
		const extension = extensionOf(name);
		return extension
			? `“${name}”: .${extension} files are not accepted. Use PDF, an image, an office document, text or zip.`
			: `“${name}” has no file extension, so its type cannot be checked. Rename it (for example report.pdf).`;
	}
	return null;
}

/**
 * Whether a file's first bytes agree with the type its name claims: a “.pdf” that is
 * really a web page is refused. Types without a fixed signature pass, except text that is
 * markup.
 */
export function checkContent(name: string, head: Uint8Array): string | null {
	const type = mimeTypeFor(name);
	if (!type) return checkNameAndSize(name, head.length || 1);
	const signatures = SIGNATURES[type];
	if (signatures) {
		const matches = signatures.some((signature) =>
			signature.every((byte, index) => head[index] === byte)
		);
		if (!matches) {
			return `“${name}” does not look like a .${extensionOf(name)} file inside. Check that it opens, then try again.`;
		}
		return null;
	}
	if (type.startsWith('text/')) {
		const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
		if (MARKUP.test(text)) {
			return `“${name}” contains web page markup, which is not accepted as a text file.`;
		}
	}
	return null;
}
