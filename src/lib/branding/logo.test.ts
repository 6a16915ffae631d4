import { describe, expect, it } from 'vitest';
import { detectLogoType } from './logo';

const bytes = (...values: (number | string)[]) =>
	new Uint8Array(
		values.flatMap((v) => (typeof v === 'string' ? [...v].map((c) => c.charCodeAt(0)) : [v]))
	);

describe('detectLogoType', () => {
	it.each([
		['PNG', bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13), 'image/png'],
		['JPEG', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF'), 'image/jpeg'],
		['WebP', bytes('RIFF', 0x24, 0, 0, 0, 'WEBPVP8 '), 'image/webp']
	])('knows %s by its first bytes', (_name, file, type) => {
		expect(detectLogoType(file)).toBe(type);
	});

	it.each([
		['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"></svg>')],
		['text named .png', bytes('just some text')],
		['GIF', bytes('GIF89a')],
		['a RIFF that is not WebP', bytes('RIFF', 0x24, 0, 0, 0, 'WAVEfmt ')],
		['a truncated PNG header', bytes(0x89, 'PNG')],
		['nothing', bytes()]
	])('refuses %s', (_name, file) => {
		expect(detectLogoType(file)).toBeNull();
	});
});
