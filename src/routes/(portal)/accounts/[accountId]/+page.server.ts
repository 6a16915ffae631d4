import { loadActivity } from '../../../../lib/server/activity';
import { profileName, rowsOf, withAccount } from '../../../../lib/server/portal';
import type { PageServerLoad } from './$types';

const LATEST = 5;
/** An author whose profile the person may not read, or who is gone. */
const FORMER_USER = 'a former user';

/**
 * The account overview: what needs the person now (open requests, approvals waiting for
 * them, unread conversations), the latest status updates, recent documents and activity.
 * Everything is read in one round, as the user, beside the account check.
 */
export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	const { supabase } = event.locals;

	const [{ user, access }, [requests, approvals, threads, updates, documents, activity]] =
		await withAccount(event, (accountId, userId) =>
			Promise.all([
				supabase
					.from('file_requests')
					.select('id, title, due_on')
					.eq('account_id', accountId)
					.eq('status', 'open')
					.order('due_on', { ascending: true, nullsFirst: false })
					.limit(LATEST),
				supabase
					.from('approvals')
					.select(
						'id, title, due_on, approval_approvers!inner(user_id), approval_responses(approver_id)'
					)
					.eq('account_id', accountId)
					.eq('status', 'pending')
					.eq('approval_approvers.user_id', userId)
					.order('created_at', { ascending: false }),
				supabase.rpc('thread_page', {
					p_account_id: accountId,
					p_limit: LATEST,
					p_unread_only: true
				}),
				supabase
					.from('status_updates')
					.select(
						'id, body, published_at, author_id, author:profiles(display_name, email), project:projects(id, name)'
					)
					.eq('account_id', accountId)
					.not('published_at', 'is', null)
					.order('published_at', { ascending: false })
					.limit(3),
				supabase
					.from('documents')
					.select('id, name, size_bytes, created_at, updated_at')
					.eq('account_id', accountId)
					.is('deleted_at', null)
					.order('updated_at', { ascending: false })
					.limit(LATEST),
				loadActivity(supabase, accountId, { limit: 8 })
			])
		);

	// Billing users: finances only (and people and activity, in the navigation). RLS gave them
	// nothing of the rest.
	if (!access.canRead) return { overview: null, today: '', activity: activity.items };

	return {
		overview: {
			requests: rowsOf(requests, 'the file requests'),
			// Approvals this person still has to decide (they have not responded yet).
			approvals: rowsOf(approvals, 'the approvals')
				.filter((a) => !a.approval_responses.some((r) => r.approver_id === user.id))
				.slice(0, LATEST)
				.map(({ id, title, due_on }) => ({ id, title, due_on })),
			unreadThreads: rowsOf(threads, 'the messages'),
			updates: rowsOf(updates, 'the status updates').map((u) => ({
				id: u.id,
				body: u.body,
				publishedAt: u.published_at ?? '',
				author: u.author_id ? (profileName(u.author) ?? FORMER_USER) : 'Our team',
				project: u.project
			})),
			documents: rowsOf(documents, 'the documents')
		},
		today: new Date().toISOString().slice(0, 10),
		activity: activity.items
	};
};
