import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	contrastExplanation,
	contrastRatio,
	contrastWithWhite,
	formatRatio,
	hoverShade,
	nearestPassingShade,
	normalizeHex,
	passesAA,
	relativeLuminance,
	themePrimary,
	LIGHT_TEXT_BACKGROUNDS
} from './contrast';

const hexColor = fc
	.tuple(
		fc.integer({ min: 0, max: 255 }),
		fc.integer({ min: 0, max: 255 }),
		fc.integer({ min: 0, max: 255 })
	)
	.map((rgb) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`);

describe('relativeLuminance and contrast', () => {
	it('knows the ends of the scale', () => {
		expect(relativeLuminance('#000000')).toBe(0);
		expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 10);
		expect(contrastWithWhite('#000000')).toBeCloseTo(21, 10);
		expect(contrastWithWhite('#ffffff')).toBeCloseTo(1, 10);
		expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 10);
	});

	it.each([
		['#767676', 4.54, true],
		['#777777', 4.48, false],
		['#1d4ed8', 6.7, true],
		['#60a5fa', 2.54, false],
		['#7c2d12', 9.37, true]
	])('white on %s is about %d:1 (passes: %s)', (hex, ratio, passes) => {
		expect(contrastWithWhite(hex)).toBeCloseTo(ratio, 1);
		expect(passesAA(hex)).toBe(passes);
	});

	it('is symmetric and agrees with contrastWithWhite', () => {
		fc.assert(
			fc.property(hexColor, hexColor, (a, b) => {
				expect(contrastRatio(a, b)).toBeCloseTo(contrastRatio(b, a), 10);
				expect(contrastRatio(a, '#ffffff')).toBeCloseTo(contrastWithWhite(a), 10);
			})
		);
	});

	it('prints ratios to two decimals, a failing one never as passing', () => {
		expect(formatRatio(contrastWithWhite('#767676'))).toBe('4.54:1');
		expect(formatRatio(contrastWithWhite('#777777'))).toBe('4.48:1');
		expect(formatRatio(4.4999)).toBe('4.49:1');
		expect(formatRatio(6.704)).toBe('6.70:1');
		expect(formatRatio(21)).toBe('21.00:1');
	});
});

describe('normalizeHex', () => {
	it.each([
		['#1D4ED8', '#1d4ed8'],
		['1d4ed8', '#1d4ed8'],
		[' #abc ', '#aabbcc'],
		['#12345', null],
		['blue', null],
		['#gggggg', null],
		['', null]
	])('%j → %j', (input, expected) => {
		expect(normalizeHex(input)).toBe(expected);
	});
});

describe('nearestPassingShade', () => {
	it('keeps a colour that passes', () => {
		expect(nearestPassingShade('#1d4ed8')).toBe('#1d4ed8');
		expect(nearestPassingShade('#767676')).toBe('#767676');
		expect(nearestPassingShade('#000000')).toBe('#000000');
	});

	it('finds the lightest passing grey below a failing one', () => {
		expect(nearestPassingShade('#777777')).toBe('#767676');
		expect(nearestPassingShade('#ffffff')).toBe('#767676');
	});

	it('keeps the hue of a light blue', () => {
		const shade = nearestPassingShade('#60a5fa');
		expect(passesAA(shade)).toBe(true);
		const channel = (i: number) => parseInt(shade.slice(i, i + 2), 16);
		const [r, g, b] = [channel(1), channel(3), channel(5)];
		expect(b).toBeGreaterThan(g);
		expect(g).toBeGreaterThan(r);
		// The nearest: a shade just a little lighter fails.
		expect(contrastWithWhite(shade)).toBeLessThan(4.75);
	});

	it('always passes, is never lighter, and is the colour itself when that passes', () => {
		fc.assert(
			fc.property(hexColor, (hex) => {
				const shade = nearestPassingShade(hex);
				expect(shade).toMatch(/^#[0-9a-f]{6}$/);
				expect(passesAA(shade)).toBe(true);
				expect(relativeLuminance(shade)).toBeLessThanOrEqual(relativeLuminance(hex));
				if (passesAA(hex)) expect(shade).toBe(hex);
			}),
			{ numRuns: 500 }
		);
	});
});

describe('themePrimary', () => {
	it('keeps a colour that passes on every light background', () => {
		expect(themePrimary('#7c2d12')).toBe('#7c2d12');
		expect(themePrimary('#1d4ed8')).toBe('#1d4ed8');
	});

	it('darkens a colour that passes on white but not on the grey panels', () => {
		expect(passesAA('#0871f3')).toBe(true);
		expect(contrastRatio('#0871f3', '#f5f6f8')).toBeLessThan(4.5);
		const primary = themePrimary('#0871f3');
		expect(relativeLuminance(primary)).toBeLessThan(relativeLuminance('#0871f3'));
	});

	it('always reaches 4.5:1 on every light background, and white text on it too', () => {
		fc.assert(
			fc.property(hexColor, (hex) => {
				const primary = themePrimary(hex);
				expect(passesAA(primary)).toBe(true);
				for (const background of LIGHT_TEXT_BACKGROUNDS) {
					expect(contrastRatio(primary, background)).toBeGreaterThanOrEqual(4.5);
				}
			})
		);
	});
});

describe('hoverShade', () => {
	it('is darker than a passing colour and still passes', () => {
		fc.assert(
			fc.property(hexColor, (hex) => {
				const shade = nearestPassingShade(hex);
				const hover = hoverShade(shade);
				expect(passesAA(hover)).toBe(true);
				expect(relativeLuminance(hover)).toBeLessThanOrEqual(relativeLuminance(shade));
			})
		);
	});
});

describe('contrastExplanation', () => {
	it('says what fails, what is needed and what to use instead', () => {
		expect(contrastExplanation('#60A5FA')).toBe(
			`White text on #60a5fa has a contrast of 2.54:1; buttons need at least 4.5:1 (WCAG AA). ${nearestPassingShade('#60a5fa')} is the nearest darker shade that passes.`
		);
	});
});
