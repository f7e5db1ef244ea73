import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { listFolders } from '../../api/folders';
import { ConvertlyClient } from '../../transport';

/** The folder tree is read level by level: at most this many folders and this long for one answer. */
export const FOLDER_SEARCH = { maxFolders: 500, budgetMs: 15_000 } as const;

/**
 * Folder → From List: every folder with its path ("/Clients/Acme"), read level by level from the
 * root (Convertly lists one level at a time); a search text keeps the folders whose path contains it.
 */
export async function searchFolders(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const client = await ConvertlyClient.create(this, 2);
	const deadline = Date.now() + FOLDER_SEARCH.budgetMs;
	const text = (filter ?? '').trim().toLowerCase();
	const results: INodeListSearchItems[] = [];
	const pending: Array<{ parentId?: string; path: string }> = [{ path: '' }];
	let seen = 0;
	while (pending.length > 0 && seen < FOLDER_SEARCH.maxFolders && Date.now() < deadline) {
		const { parentId, path } = pending.shift() as { parentId?: string; path: string };
		const folders: IDataObject[] = await listFolders(client, { parentId }, 0);
		for (const folder of folders) {
			if (typeof folder.id !== 'string' || seen >= FOLDER_SEARCH.maxFolders) continue;
			seen++;
			const folderPath = `${path}/${typeof folder.name === 'string' ? folder.name : folder.id}`;
			if (text === '' || folderPath.toLowerCase().includes(text)) results.push({ name: folderPath, value: folder.id, description: folder.id });
			pending.push({ parentId: folder.id, path: folderPath });
		}
	}
	results.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}
