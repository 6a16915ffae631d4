import { loadActivity } from '../../../../lib/server/activity';
import { FORMER_USER, profileName, rowsOf, withAccount } from '../../../../lib/server/portal';
import type { PageServerLoad } from './$types';

const LATEST = 5;

/**
 * The account overview: what needs the person now (open requests, approvals waiting for
 * them, unread conversations), the latest status updates, recent documents and activity.
 * Everything is read in one round, as the user, beside the account check.
 */
export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	const { supabase } = event.locals;

	const [{ user, access }, [overview, threads, activity]] = await withAccount(
		event,
		(accountId, userId) =>
			Promise.all([
				// One request, from the account: its open requests, the approvals waiting for this
				// person, the latest status updates with their authors' names, recent documents.
				// Each part under its own table's policies, as separate requests would be.
				supabase
					.from('client_accounts')
					.select(
						`requests:file_requests(id, title, due_on),
						approvals(id, title, due_on, approval_approvers!inner(user_id),
							approval_responses(approver_id)),
						updates:status_updates(id, body, published_at, author_id,
							author:profiles(display_name, email), project:projects(id, name)),
						documents(id, name, size_bytes, created_at, updated_at)`
					)
					.eq('id', accountId)
					.eq('requests.status', 'open')
					.order('due_on', { referencedTable: 'requests', ascending: true, nullsFirst: false })
					.limit(LATEST, { referencedTable: 'requests' })
					.eq('approvals.status', 'pending')
					.eq('approvals.approval_approvers.user_id', userId)
					.order('created_at', { referencedTable: 'approvals', ascending: false })
					.not('updates.published_at', 'is', null)
					.order('published_at', { referencedTable: 'updates', ascending: false })
					.limit(3, { referencedTable: 'updates' })
					.is('documents.deleted_at', null)
					.order('updated_at', { referencedTable: 'documents', ascending: false })
					.limit(LATEST, { referencedTable: 'documents' })
					.maybeSingle(),
				supabase.rpc('thread_page', {
					p_account_id: accountId,
					p_limit: LATEST,
					p_unread_only: true
				}),
				loadActivity(supabase, accountId, { limit: 8 })
			])
	);

	// Billing users: finances only (and people and activity, in the navigation). RLS gave them
	// nothing of the rest.
	if (!access.canRead) return { overview: null, today: '', activity: activity.items };

	const { requests, approvals, updates, documents } = rowsOf(overview, 'the overview');
	return {
		overview: {
			requests,
			// Approvals this person still has to decide (they have not responded yet).
			approvals: approvals
				.filter((a) => !a.approval_responses.some((r) => r.approver_id === user.id))
				.slice(0, LATEST)
				.map(({ id, title, due_on }) => ({ id, title, due_on })),
			unreadThreads: rowsOf(threads, 'the messages'),
			updates: updates.map((u) => ({
				id: u.id,
				body: u.body,
				publishedAt: u.published_at ?? '',
				author: u.author_id ? (profileName(u.author) ?? FORMER_USER) : 'Our team',
				project: u.project
			})),
			documents
		},
		today: new Date().toISOString().slice(0, 10),
		activity: activity.items
	};
};
