/**
 * What the logo may be: the same limit and types as the `branding` bucket (the staff
 * workspace migration). No SVG: an SVG can carry script. The type is read from the file's
 * first bytes, never from its name or the browser's claim.
 */
export const MAX_LOGO_BYTES = 400 * 1024;
/**
 * Also under adapter-node's default request body limit (512 kB, BODY_SIZE_LIMIT): the logo is
 * posted through the app, and a bigger body would be cut off before any message could say why.
 */
export const MAX_LOGO_LABEL = '400 KB';

export type LogoType = 'image/png' | 'image/jpeg' | 'image/webp';

/** The input's `accept` attribute: a hint for the file picker, not a check. */
export const LOGO_ACCEPT = 'image/png,image/jpeg,image/webp,.png,.jpg,.jpeg,.webp';

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
	bytes.length >= offset + signature.length &&
	signature.every((byte, i) => bytes[offset + i] === byte);

/** PNG, JPEG or WebP by magic bytes; null for anything else (SVG, text, GIF…). */
export function detectLogoType(bytes: Uint8Array): LogoType | null {
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
	// RIFF <size> WEBP
	if (
		startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) &&
		startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)
	) {
		return 'image/webp';
	}
	return null;
}
