/**
 * WCAG 2 contrast for the brand colour. Buttons print white text on the primary colour, so
 * the colour must reach 4.5:1 against white (AA for normal text). The same formula runs in
 * the database (private.contrast_with_white, the staff workspace migration), whose check
 * constraint is the guarantee; this module explains a refusal and suggests a fix first.
 * https://www.w3.org/TR/WCAG21/#dfn-relative-luminance
 */

/** AA for normal-size text. */
export const AA_CONTRAST = 4.5;

/** The portal's own blue, used until an admin picks a colour. */
export const DEFAULT_PRIMARY_COLOR = '#1d4ed8';

/** `#rrggbb`, lower case: what the database stores. */
export const HEX_COLOR = /^#[0-9a-f]{6}$/;

/**
 * `#rrggbb` in lower case from what someone typed (`#RRGGBB`, `rrggbb`, `#rgb`), or null if
 * it is not a colour in those forms.
 */
export function normalizeHex(input: string): string | null {
	const value = input.trim().toLowerCase().replace(/^#/, '');
	if (/^[0-9a-f]{6}$/.test(value)) return `#${value}`;
	if (/^[0-9a-f]{3}$/.test(value)) return `#${[...value].map((c) => c + c).join('')}`;
	return null;
}

type Rgb = [number, number, number];

function parseHex(hex: string): Rgb {
	const normalized = normalizeHex(hex);
	if (!normalized) throw new RangeError(`Not a #rrggbb colour: ${hex}`);
	const channel = (i: number) => parseInt(normalized.slice(i, i + 2), 16);
	return [channel(1), channel(3), channel(5)];
}

function toHex(rgb: Rgb): string {
	return `#${rgb
		.map((c) =>
			Math.min(255, Math.max(0, Math.round(c)))
				.toString(16)
				.padStart(2, '0')
		)
		.join('')}`;
}

const linear = (channel: number) => {
	const c = channel / 255;
	return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};

/** WCAG relative luminance, 0 (black) to 1 (white). */
export function relativeLuminance(hex: string): number {
	const [r, g, b] = parseHex(hex);
	return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** The contrast ratio of two colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
	const [la, lb] = [relativeLuminance(a), relativeLuminance(b)];
	return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** The contrast of white text on the colour (as the database computes it). */
export function contrastWithWhite(hex: string): number {
	return 1.05 / (relativeLuminance(hex) + 0.05);
}

/** White text on the colour reaches WCAG AA (4.5:1). */
export function passesAA(hex: string): boolean {
	return contrastWithWhite(hex) >= AA_CONTRAST;
}

/**
 * A ratio as people read it, to two decimals: 4.48:1. A failing ratio never reads as
 * passing (4.499 is 4.49:1, not 4.50:1).
 */
export function formatRatio(ratio: number): string {
	let rounded = Math.round(ratio * 100) / 100;
	if (ratio < AA_CONTRAST && rounded >= AA_CONTRAST) rounded = Math.floor(ratio * 100) / 100;
	return `${rounded.toFixed(2)}:1`;
}

function toHsl([r, g, b]: Rgb): [number, number, number] {
	const [rn, gn, bn] = [r / 255, g / 255, b / 255];
	const max = Math.max(rn, gn, bn);
	const min = Math.min(rn, gn, bn);
	const l = (max + min) / 2;
	const d = max - min;
	if (d === 0) return [0, 0, l];
	const s = d / (1 - Math.abs(2 * l - 1));
	let h: number;
	if (max === rn) h = ((gn - bn) / d) % 6;
	else if (max === gn) h = (bn - rn) / d + 2;
	else h = (rn - gn) / d + 4;
	return [(h * 60 + 360) % 360, s, l];
}

function fromHsl(h: number, s: number, l: number): Rgb {
	const c = (1 - Math.abs(2 * l - 1)) * s;
	const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
	const m = l - c / 2;
	const [r, g, b]: Rgb =
		h < 60
			? [c, x, 0]
			: h < 120
				? [x, c, 0]
				: h < 180
					? [0, c, x]
					: h < 240
						? [0, x, c]
						: h < 300
							? [x, 0, c]
							: [c, 0, x];
	return [(r + m) * 255, (g + m) * 255, (b + m) * 255];
}

/**
 * The colour itself if it reaches AA (4.5:1) against `background` (white: the white text of
 * a button on it); otherwise the lightest darker shade of the same hue and saturation that
 * does. HSL lightness goes down in steps of 0.1 % and the first shade that passes once
 * rounded to #rrggbb wins; black always passes on a light background.
 */
export function nearestPassingShade(hex: string, background = '#ffffff'): string {
	const rgb = parseHex(hex);
	const input = toHex(rgb);
	const passes = (color: string) => contrastRatio(color, background) >= AA_CONTRAST;
	if (passes(input)) return input;
	const [h, s, l] = toHsl(rgb);
	for (let lightness = l; lightness > 0; lightness -= 0.001) {
		const shade = toHex(fromHsl(h, s, lightness));
		if (passes(shade)) return shade;
	}
	return '#000000';
}

/**
 * The light scheme's backgrounds that text in the primary colour (links, secondary buttons,
 * current tabs) sits on: src/app.css's --color-bg, --color-surface, --color-error-bg and
 * --color-success-bg. The darkest of them decides.
 */
export const LIGHT_TEXT_BACKGROUNDS = ['#ffffff', '#f5f6f8', '#fdf2f2', '#effaf3'];
const DARKEST_LIGHT_BACKGROUND = LIGHT_TEXT_BACKGROUNDS.reduce((darkest, color) =>
	relativeLuminance(color) < relativeLuminance(darkest) ? color : darkest
);

/**
 * The primary colour the light theme uses for a brand colour: the colour itself, or, when
 * text in it would fall under 4.5:1 on the portal's pale grey panels (a colour can pass on
 * white and not there), the nearest darker shade that passes on all of them.
 */
export function themePrimary(hex: string): string {
	return nearestPassingShade(nearestPassingShade(hex), DARKEST_LIGHT_BACKGROUND);
}

/**
 * A darker shade for hover states: the same hue with the lightness cut by a quarter, so it
 * stays visibly different from the colour and its white text passes whenever the colour's
 * does (darker only raises the contrast with white).
 */
export function hoverShade(hex: string): string {
	const [h, s, l] = toHsl(parseHex(hex));
	return toHex(fromHsl(h, s, l * 0.75));
}

/**
 * Why a colour is refused, in words, with the suggestion: "White text on #60a5fa has a
 * contrast of 2.54:1; buttons need at least 4.5:1 (WCAG AA). #… is the nearest darker
 * shade that passes."
 */
export function contrastExplanation(hex: string): string {
	const color = normalizeHex(hex) ?? hex;
	return (
		`White text on ${color} has a contrast of ${formatRatio(contrastWithWhite(color))}; ` +
		`buttons need at least ${AA_CONTRAST}:1 (WCAG AA). ` +
		`${nearestPassingShade(color)} is the nearest darker shade that passes.`
	);
}
