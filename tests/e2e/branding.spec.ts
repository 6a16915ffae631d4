import { deflateSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { createClient } from '@supabase/supabase-js';
import {
	contrastExplanation,
	nearestPassingShade,
	themePrimary
} from '../../src/lib/branding/contrast';
import type { Database } from '../../src/lib/database.types';
import { waitForMail } from '../support/inbox';
import { DEMO_PASSWORD, expectNoAxeViolations, screenshots, signInWithPassword } from './helpers';

/**
 * Branding changes what every page and email shows, for every spec in the run: each test
 * here leaves the defaults (Client Portal, #1d4ed8, no logo) behind, and afterAll puts them
 * back, as the admin, even after a failure.
 */

const DEFAULTS = { business_name: 'Client Portal', primary_color: '#1d4ed8', logo_path: null };

function client() {
	return createClient<Database>(
		process.env.PUBLIC_SUPABASE_URL!,
		process.env.PUBLIC_SUPABASE_PUBLISHABLE_KEY!,
		{ auth: { persistSession: false } }
	);
}

/** The branding row as anyone (signed out) reads it. */
async function storedBranding() {
	const { data, error } = await client()
		.from('branding')
		.select('business_name, primary_color, logo_path')
		.single();
	if (error) throw error;
	return data;
}

test.afterAll(async () => {
	const admin = client();
	const { error } = await admin.auth.signInWithPassword({
		email: 'ada@staff.example.com',
		password: DEMO_PASSWORD
	});
	if (error) throw error;
	const update = await admin.from('branding').update(DEFAULTS).eq('id', true);
	if (update.error) throw update.error;
	const { data: objects } = await admin.storage.from('branding').list('logo');
	if (objects && objects.length > 0) {
		await admin.storage.from('branding').remove(objects.map((o) => `logo/${o.name}`));
	}
	expect(await storedBranding()).toEqual(DEFAULTS);
});

/** A real PNG, `width`×`height` of one colour, made here: the browser must decode it. */
function png(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
	const crcTable = Array.from({ length: 256 }, (_, n) => {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		return c >>> 0;
	});
	const crc32 = (bytes: Buffer) => {
		let c = 0xffffffff;
		for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
		return (c ^ 0xffffffff) >>> 0;
	};
	const chunk = (type: string, data: Buffer) => {
		const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
		const length = Buffer.alloc(4);
		length.writeUInt32BE(data.length);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(body));
		return Buffer.concat([length, body, crc]);
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
	const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(width).fill([r, g, b]).flat())]);
	const pixels = Buffer.concat(Array(height).fill(row));
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(pixels)),
		chunk('IEND', Buffer.alloc(0))
	]);
}

/** The button's background colour at rest (the pointer moved off it: hover is darker). */
async function primaryButtonColor(page: Page, name: string | RegExp) {
	await page.mouse.move(0, 0);
	return page
		.getByRole('button', { name, exact: true })
		.evaluate((button) => getComputedStyle(button).backgroundColor);
}

const brandLink = (page: Page, name: string) =>
	page.getByRole('banner').getByRole('link', { name, exact: true });

async function saveBranding(page: Page, name: string, color: string) {
	await page.getByLabel('Business name').fill(name);
	await page.getByLabel('Hex code').fill(color);
	await page.getByRole('button', { name: 'Save name and colour' }).click();
}

test('an admin sets the name, a colour that passes, a logo; pages and emails use them', async ({
	page
}) => {
	test.slow();
	await signInWithPassword(page, 'ada@staff.example.com');
	await expect(page).toHaveURL(/\/staff$/);
	await page.goto('/staff/branding', { waitUntil: 'networkidle' });
	await expect(page.getByRole('heading', { name: 'Branding', level: 1 })).toBeVisible();
	await expectNoAxeViolations(page);

	// Name and colour: the preview shows the ratio as the colour is typed.
	await page.getByLabel('Hex code').fill('#7c2d12');
	await expect(page.getByText('White text on #7c2d12: 9.37:1')).toBeVisible();
	await saveBranding(page, 'Northwind Studio', '#7c2d12');
	await expect(page.getByText('Branding saved.')).toBeVisible();
	await expect(brandLink(page, 'Northwind Studio')).toBeVisible();
	await expect
		.poll(() => primaryButtonColor(page, 'Save name and colour'))
		.toBe('rgb(124, 45, 18)');
	expect(await storedBranding()).toMatchObject({
		business_name: 'Northwind Studio',
		primary_color: '#7c2d12'
	});

	// Every page: a full load elsewhere shows the name and draws buttons in the colour.
	await page.goto('/staff/team', { waitUntil: 'networkidle' });
	await expect(brandLink(page, 'Northwind Studio')).toBeVisible();
	expect(await primaryButtonColor(page, 'Send invitation')).toBe('rgb(124, 45, 18)');

	// A colour white text cannot be read on is refused, with the nearest shade that passes.
	await page.goto('/staff/branding', { waitUntil: 'networkidle' });
	const suggestion = nearestPassingShade('#60a5fa');
	await saveBranding(page, 'Northwind Studio', '#60a5fa');
	await expect(page.getByText(contrastExplanation('#60a5fa'))).toBeVisible();
	await expect(page.getByText(/White text on #60a5fa has a contrast of 2\.54:1/)).toBeVisible();
	// Focus moves to the explanation, whose button saves the suggestion.
	await expect(page.locator('#color-error')).toBeFocused();
	expect((await storedBranding()).primary_color).toBe('#7c2d12');
	await screenshots(page, 'branding-refused');

	// One click saves the suggestion.
	await page.getByRole('button', { name: `Save with ${suggestion}` }).click();
	await expect(page.getByText('Branding saved.')).toBeVisible();
	expect((await storedBranding()).primary_color).toBe(suggestion);
	await expect(page.getByLabel('Hex code')).toHaveValue(suggestion);
	// It passes on white, not quite on the grey panels: the theme draws a touch darker.
	const drawn = themePrimary(suggestion);
	expect(drawn).not.toBe(suggestion);
	await expect(page.getByText(`the portal draws links and buttons in ${drawn}`)).toBeVisible();

	// Logo: only real PNG, JPEG or WebP images.
	const logoInput = page.getByLabel('Upload a logo');
	await logoInput.setInputFiles({
		name: 'logo.svg',
		mimeType: 'image/svg+xml',
		buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
	});
	await page.getByRole('button', { name: 'Upload logo' }).click();
	await expect(page.getByText(/SVG logos are not accepted/)).toBeVisible();
	await logoInput.setInputFiles({
		name: 'not-really.png',
		mimeType: 'image/png',
		buffer: Buffer.from('just some text pretending to be an image')
	});
	await page.getByRole('button', { name: 'Upload logo' }).click();
	await expect(page.getByText(/“not-really\.png” is not a PNG, JPEG or WebP image/)).toBeVisible();
	expect((await storedBranding()).logo_path).toBeNull();

	await logoInput.setInputFiles({
		name: 'northwind.png',
		mimeType: 'image/png',
		buffer: png(64, 32, [124, 45, 18])
	});
	await page.getByRole('button', { name: 'Upload logo' }).click();
	await expect(page.getByText('Logo uploaded.')).toBeVisible();
	const headerLogo = page.getByRole('banner').locator('img.brand-logo');
	await expect(headerLogo).toBeVisible();
	await expect
		.poll(() => headerLogo.evaluate((img) => (img as HTMLImageElement).naturalWidth))
		.toBe(64);
	await expect(page.getByRole('img', { name: 'Current logo of Northwind Studio' })).toBeVisible();
	expect((await storedBranding()).logo_path).toMatch(/^logo\/[0-9a-f-]{36}$/);
	await page.waitForLoadState('networkidle');
	await expectNoAxeViolations(page);
	await screenshots(page, 'branding');

	// The logo is served with its type, and never sniffed.
	const logo = await page.request.get('/brand/logo');
	expect(logo.status()).toBe(200);
	expect(logo.headers()['content-type']).toBe('image/png');
	expect(logo.headers()['x-content-type-options']).toBe('nosniff');

	// Emails: an invitation sent now comes from, and shows, the business.
	const newcomer = `brand-${Date.now()}@staff.example.com`;
	await page.goto('/staff/team', { waitUntil: 'networkidle' });
	await page.getByLabel('Email address').fill(newcomer);
	await page.getByRole('radio', { name: /^Staff/ }).check();
	const sent = new Date();
	await page.getByRole('button', { name: 'Send invitation', exact: true }).click();
	await expect(page.getByText(`Invitation sent to ${newcomer}.`)).toBeVisible();
	const mail = (await waitForMail(newcomer, sent)) as Awaited<ReturnType<typeof waitForMail>> & {
		from: { name: string; address: string }[];
	};
	expect(mail.from[0]?.name).toBe('Northwind Studio');
	expect(mail.html).toContain('Northwind Studio');
	expect(mail.html).toContain(`background: ${suggestion}`);
	expect(mail.html).toMatch(/<img src="https?:\/\/[^"]+\/brand\/logo/);
	expect(mail.text).toContain('— Northwind Studio');
	expect(mail.text).toMatch(/\/invite\/[A-Za-z0-9_-]{43}/);
	await page.getByRole('button', { name: `Withdraw invitation to ${newcomer}` }).click();
	await expect(page.getByText('The invitation was withdrawn.')).toBeVisible();

	// Signed out, the sign-in page wears the branding too.
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/sign-in/);
	await expect(brandLink(page, 'Northwind Studio')).toBeVisible();
	await expect(page.getByRole('banner').locator('img.brand-logo')).toBeVisible();
	const [r, g, b] = [1, 3, 5].map((i) => parseInt(drawn.slice(i, i + 2), 16));
	await expect.poll(() => primaryButtonColor(page, 'Sign in')).toBe(`rgb(${r}, ${g}, ${b})`);
	await screenshots(page, 'branding-sign-in');

	// Back as the admin: remove the logo and put the defaults back.
	await signInWithPassword(page, 'ada@staff.example.com');
	await expect(page).toHaveURL(/\/staff$/);
	await page.goto('/staff/branding', { waitUntil: 'networkidle' });
	await page.getByRole('button', { name: 'Remove logo' }).click();
	await expect(page.getByText(/Logo removed/)).toBeVisible();
	await expect(page.getByRole('banner').locator('img.brand-logo')).toHaveCount(0);
	expect((await storedBranding()).logo_path).toBeNull();
	expect((await page.request.get('/brand/logo')).status()).toBe(404);

	await saveBranding(page, 'Client Portal', '#1d4ed8');
	await expect(page.getByText('Branding saved.')).toBeVisible();
	await expect(brandLink(page, 'Client Portal')).toBeVisible();
	expect(await storedBranding()).toEqual(DEFAULTS);
});

test('a staff member who is not an admin cannot open or post to the branding page', async ({
	page,
	baseURL
}) => {
	const before = await storedBranding();
	await signInWithPassword(page, 'sam@staff.example.com');
	await expect(page).toHaveURL(/\/staff$/);

	const response = await page.goto('/staff/branding');
	expect(response?.status()).toBe(403);
	await expect(page.getByText('Only admins can change the branding.')).toBeVisible();

	// A hand-made post, as the browser would send it, changes nothing.
	for (const action of ['save', 'removeLogo']) {
		const post = await page.request.post(`/staff/branding?/${action}`, {
			headers: { origin: baseURL! },
			form: { name: 'Taken over', color: '#000000' }
		});
		expect(post.status()).toBe(403);
	}
	expect(await storedBranding()).toEqual(before);
});
