import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireStaff } from '../../../../lib/server/auth';
import { parseFormData } from '../../../../lib/server/forms';
import { newUpdateSchema } from '../../../(portal)/accounts/[accountId]/projects/projects.server';
import type { Actions, PageServerLoad } from './$types';

/** More than any one person serves; a bigger post is refused, not cut short. */
const MAX_ACCOUNTS = 500;

const accountsSchema = z
	.array(z.uuid('Choose accounts from the list'))
	.min(1, 'Choose at least one account')
	.max(MAX_ACCOUNTS, `Choose at most ${MAX_ACCOUNTS} accounts`)
	.transform((ids) => [...new Set(ids)]);

/**
 * "Post one update to several accounts": the active accounts this staff member serves (RLS
 * decides: admins see them all), filtered by `?q=`; `?select=all` ticks every one shown,
 * which is how "Select all shown" works without JavaScript.
 */
export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	await requireStaff(event);
	const q = (event.url.searchParams.get('q') ?? '').trim().slice(0, 100);

	let query = event.locals.supabase
		.from('client_accounts')
		.select('id, name')
		.eq('status', 'active')
		.order('name')
		.limit(MAX_ACCOUNTS);
	// Escapes the LIKE wildcards, so a search for "50%" finds that text.
	if (q) query = query.ilike('name', `%${q.replace(/[\\%_]/g, '\\$&')}%`);
	const { data, error: queryError } = await query;
	if (queryError) {
		console.error('[staff updates] loading accounts failed', queryError);
		error(503, 'The client accounts could not be loaded. Please try again.');
	}
	return { q, accounts: data, selectAll: event.url.searchParams.get('select') === 'all' };
};

export const actions = {
	/**
	 * One insert of N rows: a single statement, so every account gets the update or none does
	 * (the policy refuses the whole statement if any account is not served by this person).
	 */
	post: async (event) => {
		await requireStaff(event);
		let formData: FormData;
		try {
			formData = await event.request.formData();
		} catch {
			error(400, 'This form could not be read. Reload the page and try again.');
		}
		const form = parseFormData(newUpdateSchema, formData);
		const chosen = formData.getAll('account').filter((v) => typeof v === 'string');
		const accounts = accountsSchema.safeParse(chosen);
		const values = { body: form.input.body ?? '', accounts: chosen };
		if (!form.data || !accounts.success) {
			return fail(400, {
				errors: {
					body: form.errors?.body ?? form.errors?.intent,
					accounts: accounts.success ? undefined : [accounts.error.issues[0]?.message ?? '']
				},
				message: null,
				values
			});
		}

		const { supabase } = event.locals;
		// Only active accounts this person may see; anything else is refused before writing.
		const served = await supabase
			.from('client_accounts')
			.select('id, name')
			.eq('status', 'active')
			.in('id', accounts.data);
		if (served.error) {
			console.error('[staff updates] checking accounts failed', served.error);
			return fail(503, { errors: null, message: 'Please try again.', values });
		}
		if (served.data.length !== accounts.data.length) {
			return fail(403, {
				errors: null,
				message:
					'Nothing was posted: one or more of the chosen accounts is not an active account you serve. Reload the page and choose again.',
				values
			});
		}

		const publish = form.data.intent === 'publish';
		const publishedAt = publish ? new Date().toISOString() : null;
		const { data: rows, error: insertError } = await supabase
			.from('status_updates')
			.insert(
				accounts.data.map((accountId) => ({
					account_id: accountId,
					project_id: null,
					body: form.data.body,
					published_at: publishedAt
				}))
			)
			.select('account_id');
		if (insertError) {
			if (insertError.code === '42501') {
				return fail(403, {
					errors: null,
					message:
						insertError.hint ||
						'Nothing was posted: you do not serve every chosen account. Choose only your own accounts.',
					values
				});
			}
			if (insertError.code === '23514' || insertError.code === '22023') {
				return fail(400, {
					errors: null,
					message: insertError.hint || 'Nothing was posted: the update is empty or too long.',
					values
				});
			}
			console.error('[staff updates] posting failed', insertError);
			return fail(503, {
				errors: null,
				message: insertError.hint || 'Nothing was posted. Please try again.',
				values
			});
		}

		const names = new Map(served.data.map((a) => [a.id, a.name]));
		return {
			published: publish,
			posted: rows
				.map((r) => ({ id: r.account_id, name: names.get(r.account_id) ?? 'Account' }))
				.toSorted((a, b) => a.name.localeCompare(b.name))
		};
	}
} satisfies Actions;
