import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { requireStaff } from '../../../../../../lib/server/auth';
import { loadAccountPeople } from '../../../../../../lib/server/members';
import type { PageServerLoad } from './$types';

/**
 * The portal as one client member sees it, for the staff who serve the account.
 *
 * Nothing here filters: public.preview_portal (migration 20261129050000) runs its reads
 * under the member's own identity in a read-only transaction, so every row it returns
 * passed that member's policies. This page only lays the answer out.
 */

const timestamp = z.string();
const previewSchema = z.object({
	role: z.string(),
	account: z.object({ id: z.string(), name: z.string(), status: z.string() }).nullable(),
	folders: z.array(
		z.object({ id: z.string(), parent_id: z.string().nullable(), name: z.string() })
	),
	documents: z.array(
		z.object({
			id: z.string(),
			folder_id: z.string().nullable(),
			name: z.string(),
			size_bytes: z.number(),
			updated_at: timestamp
		})
	),
	document_count: z.number(),
	requests: z.array(
		z.object({
			id: z.string(),
			title: z.string(),
			status: z.string(),
			due_on: z.string().nullable()
		})
	),
	threads: z.array(
		z.object({
			id: z.string(),
			subject: z.string(),
			last_message_at: timestamp,
			message_count: z.number(),
			unread_count: z.number()
		})
	),
	projects: z.array(
		z.object({
			id: z.string(),
			name: z.string(),
			status: z.string(),
			milestones: z.number(),
			milestones_done: z.number()
		})
	),
	status_updates: z.array(
		z.object({ id: z.string(), body: z.string(), published_at: timestamp.nullable() })
	),
	approvals: z.array(
		z.object({
			id: z.string(),
			title: z.string(),
			status: z.string(),
			due_on: z.string().nullable(),
			waiting_for_member: z.boolean()
		})
	),
	activity_count: z.number()
});
export type PortalPreview = z.infer<typeof previewSchema>;

export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	await requireStaff(event);
	const accountId = z.uuid().safeParse(event.params.accountId);
	if (!accountId.success) error(404, 'Account not found.');
	const { supabase } = event.locals;

	// RLS hides accounts this staff member does not serve: loadAccountPeople answers 404.
	const { account, members } = await loadAccountPeople(supabase, accountId.data);

	const requested = event.url.searchParams.get('member');
	const member = requested ? members.find((m) => m.userId === requested) : undefined;
	if (requested && !member) {
		// A stale or hand-written link: say so, and offer the choice again.
		return { account, members, member: null, preview: null, unknownMember: true };
	}
	if (!member) return { account, members, member: null, preview: null, unknownMember: false };

	const { data, error: rpcError } = await supabase.rpc('preview_portal', {
		p_account_id: account.id,
		p_member_id: member.userId
	});
	if (rpcError) {
		if (rpcError.code === '42501') error(403, 'Only staff who serve this account can preview it.');
		console.error('[preview] preview_portal failed', rpcError);
		error(503, 'The preview could not be loaded. Please try again.');
	}
	const preview = previewSchema.safeParse(data);
	if (!preview.success) {
		console.error('[preview] unexpected answer from preview_portal', preview.error);
		error(503, 'The preview could not be loaded. Please try again.');
	}
	return { account, members, member, preview: preview.data, unknownMember: false };
};
