import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '../database.types';
import { brandingFrom, DEFAULT_BRANDING, type Branding } from './branding';

/**
 * The branding row, read with the request's own client (anyone may read it, signed in or
 * not). A failure is logged and answered with the defaults: a missing logo or colour must
 * never break a page or an email.
 */
export async function loadBranding(supabase: SupabaseClient<Database>): Promise<Branding> {
	try {
		const { data, error } = await supabase
			.from('branding')
			.select('business_name, primary_color, logo_path, updated_at')
			.maybeSingle();
		if (error) throw error;
		return brandingFrom(data);
	} catch (err) {
		console.error('[branding] reading the branding failed; using the defaults', err);
		return DEFAULT_BRANDING;
	}
}
