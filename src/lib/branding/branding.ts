import { DEFAULT_PRIMARY_COLOR } from './contrast';

/** The business's branding as pages and emails use it (the public.branding row). */
export interface Branding {
	name: string;
	/** `#rrggbb`; white text on it reaches 4.5:1 (the database checks). */
	color: string;
	/** The logo's storage path (`logo/<uuid>`), or null without a logo. */
	logoPath: string | null;
	/** When an admin last changed it: versions the theme and logo URLs. */
	updatedAt: string | null;
}

export const DEFAULT_BUSINESS_NAME = 'Client Portal';

/** What the portal shows when no branding is set, or it could not be read. */
export const DEFAULT_BRANDING: Branding = {
	name: DEFAULT_BUSINESS_NAME,
	color: DEFAULT_PRIMARY_COLOR,
	logoPath: null,
	updatedAt: null
};

/** The public.branding row's columns, however they were read (a select, or page_context). */
export interface BrandingRow {
	business_name: string | null;
	primary_color: string | null;
	logo_path: string | null;
	updated_at: string | null;
}

/** The branding a row gives; no row (or one without a name or colour) gives the defaults. */
export function brandingFrom(row: BrandingRow | null): Branding {
	if (!row?.business_name || !row.primary_color) return DEFAULT_BRANDING;
	return {
		name: row.business_name,
		color: row.primary_color,
		logoPath: row.logo_path,
		updatedAt: row.updated_at
	};
}

/** The storage bucket and folder of the logo (the staff workspace migration). */
export const LOGO_BUCKET = 'branding';
export const logoPathFor = (id: string) => `logo/${id}`;

/** A query string that changes whenever the branding does, for cached URLs. */
export const brandingVersion = (branding: Pick<Branding, 'updatedAt'>) =>
	encodeURIComponent(branding.updatedAt ?? 'default');
