import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { loadNames } from '../../../../../../lib/server/activity';
import { requireAccount } from '../../../../../../lib/server/portal';
import { documentActions, loadFolders, NOT_FOUND } from '../documents.server';
import type { Actions, PageServerLoad } from './$types';

/** Types the preview endpoint shows inline; everything else is downloaded. */
function previewKind(mimeType: string): 'pdf' | 'image' | null {
	if (mimeType === 'application/pdf') return 'pdf';
	if (/^image\/(png|jpeg|gif|webp)$/.test(mimeType)) return 'image';
	return null;
}

/**
 * One document: its folder, every version newest first, the approvals that ask about its
 * versions, and a preview of the current file. Read as the user; a document in another
 * account (or one they may not see) is the same 404 as a missing one.
 */
export const load: PageServerLoad = async (event) => {
	event.depends('supabase:auth');
	const { account, access } = await requireAccount(event);
	if (!access.canRead) error(404, NOT_FOUND);
	const documentId = z.uuid().safeParse(event.params.documentId);
	if (!documentId.success) error(404, NOT_FOUND);
	const { supabase } = event.locals;

	const [document, versions, tree] = await Promise.all([
		supabase
			.from('documents')
			.select(
				'id, name, folder_id, size_bytes, mime_type, created_at, updated_at, uploaded_by, deleted_at, deleted_by'
			)
			.eq('id', documentId.data)
			.eq('account_id', account.id)
			.maybeSingle(),
		supabase
			.from('document_versions')
			.select('id, version, size_bytes, mime_type, uploaded_by, created_at')
			.eq('document_id', documentId.data)
			.eq('account_id', account.id)
			.order('version', { ascending: false }),
		loadFolders(supabase, account.id)
	]);
	if (document.error || versions.error) {
		console.error('[document] loading failed', document.error ?? versions.error);
		error(503, 'This document could not be loaded. Please try again.');
	}
	if (!document.data) error(404, NOT_FOUND);
	const doc = document.data;

	const approvals =
		versions.data.length > 0
			? await supabase
					.from('approvals')
					.select('id, title, status, document_version_id')
					.in(
						'document_version_id',
						versions.data.map((v) => v.id)
					)
					.order('created_at', { ascending: false })
			: null;
	if (approvals?.error) {
		console.error('[document] loading approvals failed', approvals.error);
		error(503, 'This document could not be loaded. Please try again.');
	}

	const nameOf = await loadNames(supabase, [
		doc.uploaded_by,
		doc.deleted_by,
		...versions.data.map((v) => v.uploaded_by)
	]);
	const versionNumber = new Map(versions.data.map((v) => [v.id, v.version]));

	return {
		document: {
			id: doc.id,
			name: doc.name,
			folderId: doc.folder_id,
			folderPath: doc.folder_id ? tree.pathOf(doc.folder_id) : '',
			sizeBytes: doc.size_bytes,
			mimeType: doc.mime_type,
			createdAt: doc.created_at,
			updatedAt: doc.updated_at,
			uploader: doc.uploaded_by ? nameOf(doc.uploaded_by) : 'Unknown',
			deletedAt: doc.deleted_at,
			deletedBy: doc.deleted_by ? nameOf(doc.deleted_by) : null
		},
		breadcrumb: doc.folder_id
			? tree.trail(doc.folder_id).map(({ id, name }) => ({ id, name }))
			: [],
		versions: versions.data.map((v) => ({
			id: v.id,
			version: v.version,
			sizeBytes: v.size_bytes,
			mimeType: v.mime_type,
			uploader: v.uploaded_by ? nameOf(v.uploaded_by) : 'Unknown',
			createdAt: v.created_at
		})),
		preview: previewKind(doc.mime_type),
		folderOptions: tree.options,
		approvals: (approvals?.data ?? []).map((a) => ({
			id: a.id,
			title: a.title,
			status: a.status,
			version: versionNumber.get(a.document_version_id) ?? null
		}))
	};
};

export const actions = documentActions satisfies Actions;
