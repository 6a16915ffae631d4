import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import {
	FORMER_USER,
	PAGE_SIZE,
	pageFrom,
	rangeFor,
	profileName,
	withAccount
} from '../../../../../lib/server/portal';
import { documentActions, folderActions, folderTree } from './documents.server';
import type { Actions, PageServerLoad } from './$types';

/** Search terms longer than this are cut: no file name needs more. */
const MAX_QUERY = 100;

/** A search term for ilike, matched literally: %, _ and \ lose their wildcard meaning. */
function likePattern(term: string): string {
	return `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * An account's documents: one folder's subfolders and documents (`?folder=`), a search by
 * name across the account (`?q=`), or the trash (`?view=trash`), a page at a time. Read
 * as the user: what RLS hides is simply not there.
 */
export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	const { supabase } = event.locals;
	const { searchParams } = event.url;

	const view = searchParams.get('view') === 'trash' ? 'trash' : 'files';
	const q = view === 'files' ? (searchParams.get('q') ?? '').trim().slice(0, MAX_QUERY) : '';
	const folderParam = searchParams.get('folder');
	const folderId = folderParam ? z.uuid().safeParse(folderParam) : null;
	if (folderId && !folderId.success) error(404, 'This folder does not exist.');
	const page = pageFrom(event.url);
	const [from, to] = rangeFor(page);

	// One request, from the account: its folders, the size of its trash, how many documents the
	// view lists and the page of them, with who uploaded and who deleted each (two keys to
	// profiles). Each part under its own table's policies, as separate requests would be.
	const [{ access }, result] = await withAccount(event, (accountId) => {
		let query = supabase
			.from('client_accounts')
			.select(
				`folders(id, name, parent_id),
				trash:documents(count),
				listed:documents(count),
				page:documents(id, name, size_bytes, mime_type, created_at, updated_at, uploaded_by,
					folder_id, deleted_at, deleted_by, document_versions(count),
					uploader:profiles!documents_uploaded_by_profile_fkey(display_name, email),
					deleter:profiles!documents_deleted_by_profile_fkey(display_name, email))`
			)
			.eq('id', accountId)
			.order('name', { referencedTable: 'folders' })
			.not('trash.deleted_at', 'is', null);
		// The count and the page list the same documents.
		for (const list of ['listed', 'page']) {
			if (view === 'trash') query = query.not(`${list}.deleted_at`, 'is', null);
			else {
				query = query.is(`${list}.deleted_at`, null);
				if (q) query = query.ilike(`${list}.name`, likePattern(q));
				else if (folderId) query = query.eq(`${list}.folder_id`, folderId.data);
				else query = query.is(`${list}.folder_id`, null);
			}
		}
		query =
			view === 'trash'
				? query.order('deleted_at', { ascending: false, referencedTable: 'page' })
				: query.order('name', { ascending: true, referencedTable: 'page' });
		return query
			.order('id', { ascending: true, referencedTable: 'page' })
			.range(from, to, { referencedTable: 'page' })
			.maybeSingle();
	});
	if (!access.canRead) {
		error(
			403,
			'Documents are not part of the billing role. Ask an owner of this account for access.'
		);
	}
	if (result.error || !result.data) {
		console.error('[documents] loading failed', result.error);
		error(503, 'The documents could not be loaded. Please try again.');
	}
	const { folders, trash, listed, page: documents } = result.data;
	if (documents.length === 0 && page > 1) {
		// Past the last page (after deletions, or a hand-edited URL): the first page instead.
		const url = new URL(event.url);
		url.searchParams.delete('page');
		redirect(303, `${url.pathname}${url.search}`);
	}
	const tree = folderTree(folders);
	const folder = folderId ? tree.byId.get(folderId.data) : undefined;
	if (folderId && !folder) error(404, 'This folder does not exist, or it was deleted.');
	const total = listed[0]?.count ?? documents.length;

	return {
		view,
		q,
		page,
		pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
		total,
		trashCount: trash[0]?.count ?? 0,
		deletedFolder: searchParams.get('deleted') === 'folder',
		folder: folder ? { id: folder.id, name: folder.name, parentId: folder.parent_id } : null,
		breadcrumb: folder ? tree.trail(folder.id).map(({ id, name }) => ({ id, name })) : [],
		// Subfolders belong to browsing; a search or the trash spans the whole account.
		subfolders:
			view === 'files' && !q
				? tree.childrenOf(folder?.id ?? null).map(({ id, name }) => ({ id, name }))
				: [],
		folderOptions: tree.options,
		documents: documents.map((d) => ({
			id: d.id,
			name: d.name,
			sizeBytes: d.size_bytes,
			mimeType: d.mime_type,
			createdAt: d.created_at,
			updatedAt: d.updated_at,
			uploader: d.uploaded_by ? (profileName(d.uploader) ?? FORMER_USER) : 'Unknown',
			versions: d.document_versions[0]?.count ?? 1,
			folderId: d.folder_id,
			folderPath: d.folder_id ? tree.pathOf(d.folder_id) : '',
			deletedAt: d.deleted_at,
			deletedBy: d.deleted_by ? (profileName(d.deleter) ?? FORMER_USER) : null
		}))
	};
};

export const actions = { ...documentActions, ...folderActions } satisfies Actions;
