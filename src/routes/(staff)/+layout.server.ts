import { requireStaff } from '../../lib/server/auth';
import type { LayoutServerLoad } from './$types';

// Renders the 403 for clients inside the app's layout. Not the only check: this load does
// not re-run on client-side navigation, so every staff load and action calls requireStaff.
export const load: LayoutServerLoad = async (event) => {
	const { role } = await requireStaff(event);
	return { staffRole: role };
};
