import type { PostgrestError, SupabaseClient } from '@supabase/supabase-js';
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import type { Database } from '../../../../../lib/database.types';
import { parseForm } from '../../../../../lib/server/forms';
import { requireAccount } from '../../../../../lib/server/portal';

/**
 * What the documents pages share: the folder tree, the form schemas, and the actions
 * (rename, move, trash, restore; folders) used by the list and the details page. Every
 * write goes through the signed-in user's client: the policies and triggers decide, these
 * only turn their answers into words.
 */

export const NOT_FOUND = 'This document does not exist, or you do not have access to it.';

/** Names that cannot play tricks in a download's file name or a folder path. */
const SAFE_NAME = /^[^/\\\p{Cc}]+$/u;

const documentName = z
	.string({ error: 'Enter a name' })
	.trim()
	.min(1, 'Enter a name')
	.max(255, 'Use at most 255 characters')
	.regex(SAFE_NAME, 'A name cannot contain / or \\');

const folderName = z
	.string({ error: 'Enter a folder name' })
	.trim()
	.min(1, 'Enter a folder name')
	.max(120, 'Use at most 120 characters')
	.regex(SAFE_NAME, 'A folder name cannot contain / or \\');

const documentRef = z.uuid({ error: 'Unknown document' });
const folderRef = z.uuid({ error: 'Unknown folder' });
/** A folder, or '' for the top level. */
const optionalFolderRef = z.union([z.literal(''), folderRef], { error: 'Choose a folder' });

export const renameSchema = z.object({ document: documentRef, name: documentName });
export const moveSchema = z.object({ document: documentRef, folder: optionalFolderRef });
export const documentSchema = z.object({ document: documentRef });
export const createFolderSchema = z.object({ name: folderName, parent: optionalFolderRef });
export const renameFolderSchema = z.object({ folder: folderRef, name: folderName });
export const folderSchema = z.object({ folder: folderRef });

/**
 * What every documents action sends back, one shape for all so the page can read it
 * without narrowing: which action, about which row, and a message or field errors.
 */
export interface DocumentsActionResult {
	action: string;
	/** The document or folder the action was about, so the message shows beside it. */
	target: string | null;
	error: string | null;
	notice: string | null;
	nameErrors: string[] | null;
	/** What was typed, to fill the field again after a refusal. */
	name: string | null;
}

function result(action: string, target: string | null, fields: Partial<DocumentsActionResult>) {
	return { action, target, error: null, notice: null, nameErrors: null, name: null, ...fields };
}

function refused(status: number, action: string, target: string | null, message: string) {
	return fail(status, result(action, target, { error: message }));
}

function done(action: string, target: string | null, notice: string): DocumentsActionResult {
	return result(action, target, { notice });
}

/**
 * Database refusals in words. Our triggers raise stable codes with a human hint
 * (42501 → 403, 22023 → 400, PT404 → 404, PT409 → 409); @supabase/lite may report an
 * SQLSTATE it does not map with the code in the message, so the hint is what we show.
 */
function writeFailure(action: string, target: string | null, err: PostgrestError) {
	const hint = err.hint || null;
	switch (err.code) {
		case '42501':
			return refused(
				403,
				action,
				target,
				hint ?? 'Your role in this account cannot change documents.'
			);
		case '22023':
			return refused(400, action, target, hint ?? 'That change is not possible.');
		case 'PT404':
			return refused(404, action, target, hint ?? NOT_FOUND);
		case 'PT409':
			return refused(409, action, target, hint ?? 'That change conflicts with the current state.');
		case '23505':
			return refused(
				409,
				action,
				target,
				'A folder with that name is already here. Choose another name.'
			);
		case '23514':
			return refused(400, action, target, 'That name cannot be used. Choose another one.');
		case '23503':
			return refused(400, action, target, 'Choose one of this account’s folders.');
	}
	if (hint) return refused(409, action, target, hint);
	console.error(`[documents] ${action} failed`, err);
	return refused(503, action, target, 'The change could not be saved. Please try again.');
}

export interface FolderRow {
	id: string;
	name: string;
	parent_id: string | null;
}

/** The account's folders, read as the user; at most a few hundred, so all at once. */
export async function loadFolders(supabase: SupabaseClient<Database>, accountId: string) {
	const { data, error: foldersError } = await supabase
		.from('folders')
		.select('id, name, parent_id')
		.eq('account_id', accountId)
		.order('name', { ascending: true });
	if (foldersError) {
		console.error('[documents] loading folders failed', foldersError);
		error(503, 'The folders could not be loaded. Please try again.');
	}
	return folderTree(data);
}

/** Paths and breadcrumbs over a flat folder list. */
export function folderTree(folders: FolderRow[]) {
	const byId = new Map(folders.map((folder) => [folder.id, folder]));

	/** The folder and its parents, outermost first (bounded, should a cycle ever exist). */
	function trail(id: string | null): FolderRow[] {
		const chain: FolderRow[] = [];
		let current = id ? byId.get(id) : undefined;
		while (current && chain.length < 50) {
			chain.unshift(current);
			current = current.parent_id ? byId.get(current.parent_id) : undefined;
		}
		return chain;
	}

	const pathOf = (id: string | null) =>
		trail(id)
			.map((folder) => folder.name)
			.join(' / ');

	return {
		byId,
		trail,
		pathOf,
		childrenOf: (id: string | null) => folders.filter((folder) => folder.parent_id === id),
		/** Every folder as a choice for "Move to", by path. */
		options: folders
			.map((folder) => ({ id: folder.id, label: pathOf(folder.id) }))
			.toSorted((a, b) => a.label.localeCompare(b.label))
	};
}

type AnyEvent = RequestEvent;

async function accountFor(event: AnyEvent) {
	const { account, access } = await requireAccount(event);
	return { accountId: account.id, access, supabase: event.locals.supabase };
}

/** The actions both documents pages offer. */
export const documentActions = {
	rename: async (event: AnyEvent) => {
		const { accountId, supabase } = await accountFor(event);
		const form = await parseForm(renameSchema, event.request);
		if (!form.data) {
			return fail(
				400,
				result('rename', form.input.document ?? null, {
					error: 'Check the name and try again.',
					nameErrors: form.errors.name ?? null,
					name: form.input.name ?? null
				})
			);
		}
		const { document, name } = form.data;
		const { data, error: err } = await supabase
			.from('documents')
			.update({ name })
			.eq('id', document)
			.eq('account_id', accountId)
			.is('deleted_at', null)
			.select('id');
		if (err) return writeFailure('rename', document, err);
		if (data.length === 0) return refused(404, 'rename', document, NOT_FOUND);
		return done('rename', document, `Renamed to “${name}”.`);
	},

	move: async (event: AnyEvent) => {
		const { accountId, supabase } = await accountFor(event);
		const form = await parseForm(moveSchema, event.request);
		if (!form.data) {
			return refused(400, 'move', form.input.document ?? null, 'Choose one of the listed folders.');
		}
		const { document, folder } = form.data;
		let folderName = 'the top level';
		if (folder) {
			const { data: folderRow, error: folderError } = await supabase
				.from('folders')
				.select('name')
				.eq('id', folder)
				.eq('account_id', accountId)
				.maybeSingle();
			if (folderError) return writeFailure('move', document, folderError);
			if (!folderRow)
				return refused(400, 'move', document, 'Choose one of this account’s folders.');
			folderName = `“${folderRow.name}”`;
		}
		const { data, error: err } = await supabase
			.from('documents')
			.update({ folder_id: folder || null })
			.eq('id', document)
			.eq('account_id', accountId)
			.is('deleted_at', null)
			.select('name');
		if (err) return writeFailure('move', document, err);
		const [row] = data;
		if (!row) return refused(404, 'move', document, NOT_FOUND);
		return done('move', document, `Moved “${row.name}” to ${folderName}.`);
	},

	trash: async (event: AnyEvent) => {
		const { accountId, access, supabase } = await accountFor(event);
		const form = await parseForm(documentSchema, event.request);
		if (!form.data) return refused(400, 'trash', null, 'Choose a document to delete.');
		const { document } = form.data;
		// The trigger stamps the real time and who deleted it.
		const { data, error: err } = await supabase
			.from('documents')
			.update({ deleted_at: new Date().toISOString() })
			.eq('id', document)
			.eq('account_id', accountId)
			.is('deleted_at', null)
			.select('name');
		if (err) return writeFailure('trash', document, err);
		const [row] = data;
		if (!row) return refused(404, 'trash', document, NOT_FOUND);
		const restore = access.isStaff
			? 'You can restore it from the Trash.'
			: 'Your contact at our company can restore it if you need it back.';
		return done('trash', document, `“${row.name}” was moved to the trash. ${restore}`);
	},

	restore: async (event: AnyEvent) => {
		const { accountId, access, supabase } = await accountFor(event);
		const form = await parseForm(documentSchema, event.request);
		if (!form.data) return refused(400, 'restore', null, 'Choose a document to restore.');
		const { document } = form.data;
		if (!access.isStaff) {
			return refused(403, 'restore', document, 'Ask your contact to restore a deleted document.');
		}
		const { data, error: err } = await supabase
			.from('documents')
			.update({ deleted_at: null })
			.eq('id', document)
			.eq('account_id', accountId)
			.not('deleted_at', 'is', null)
			.select('name');
		if (err) return writeFailure('restore', document, err);
		const [row] = data;
		if (!row) return refused(404, 'restore', document, NOT_FOUND);
		return done('restore', document, `“${row.name}” was restored.`);
	}
};

/** Folder actions for the documents list. */
export const folderActions = {
	createFolder: async (event: AnyEvent) => {
		const { accountId, supabase } = await accountFor(event);
		const form = await parseForm(createFolderSchema, event.request);
		if (!form.data) {
			return fail(
				400,
				result('createFolder', null, {
					error: form.errors.name ? 'Check the folder name and try again.' : 'Choose a folder.',
					nameErrors: form.errors.name ?? null,
					name: form.input.name ?? null
				})
			);
		}
		const { name, parent } = form.data;
		const { error: err } = await supabase
			.from('folders')
			.insert({ account_id: accountId, parent_id: parent || null, name });
		if (err) {
			const failure = writeFailure('createFolder', null, err);
			failure.data.name = name;
			return failure;
		}
		return done('createFolder', null, `Folder “${name}” created.`);
	},

	renameFolder: async (event: AnyEvent) => {
		const { accountId, supabase } = await accountFor(event);
		const form = await parseForm(renameFolderSchema, event.request);
		if (!form.data) {
			return fail(
				400,
				result('renameFolder', form.input.folder ?? null, {
					error: 'Check the folder name and try again.',
					nameErrors: form.errors.name ?? null,
					name: form.input.name ?? null
				})
			);
		}
		const { folder, name } = form.data;
		const { data, error: err } = await supabase
			.from('folders')
			.update({ name })
			.eq('id', folder)
			.eq('account_id', accountId)
			.select('id');
		if (err) return writeFailure('renameFolder', folder, err);
		if (data.length === 0) {
			return refused(
				404,
				'renameFolder',
				folder,
				'This folder does not exist, or you cannot change it.'
			);
		}
		return done('renameFolder', folder, `Folder renamed to “${name}”.`);
	},

	deleteFolder: async (event: AnyEvent) => {
		const { accountId, supabase } = await accountFor(event);
		const form = await parseForm(folderSchema, event.request);
		if (!form.data) return refused(400, 'deleteFolder', null, 'Choose a folder to delete.');
		const { folder } = form.data;
		const { data, error: err } = await supabase
			.from('folders')
			.delete()
			.eq('id', folder)
			.eq('account_id', accountId)
			.select('parent_id');
		if (err) return writeFailure('deleteFolder', folder, err);
		const [row] = data;
		if (!row) {
			return refused(
				404,
				'deleteFolder',
				folder,
				'This folder does not exist, or you cannot delete it.'
			);
		}
		// The folder is gone: show its parent, saying what happened (a fixed message, so a
		// crafted link cannot put words in the page's mouth).
		const params = new URLSearchParams({ deleted: 'folder' });
		if (row.parent_id) params.set('folder', row.parent_id);
		redirect(303, `${event.url.pathname}?${params}`);
	}
};
