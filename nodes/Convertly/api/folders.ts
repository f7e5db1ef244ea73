import type { IDataObject } from 'n8n-workflow';

import type { ApiResponse, ConvertlyClient } from '../transport';
import { isJsonObject } from '../transport';
import { record, wrongAnswer } from './answer';
import { folderPath, folderSubject } from './storage';

// Folders of Convertly Storage: GET/POST /api/folders, PATCH/DELETE /api/folders/{id} [doc paths,
// sdk shapes]. The root is `parentId=null` in a query; no pagination is documented.

/** GET /api/folders: the folders directly under `parentId` (the root when undefined), filtered by `q`. */
export async function listFolders(client: ConvertlyClient, query: { parentId?: string; q?: string }, itemIndex: number): Promise<IDataObject[]> {
	const qs: IDataObject = { parentId: query.parentId ?? 'null' };
	if (query.q) qs.q = query.q;
	const response = await client.request({ method: 'GET', path: '/api/folders', qs }, { itemIndex });
	const folders = response.body.folders;
	if (!Array.isArray(folders)) throw wrongAnswer(client, response, itemIndex);
	return folders.filter(isJsonObject);
}

/** POST /api/folders. Not repeated after a lost answer: a repeat would make a second folder. */
export async function createFolder(client: ConvertlyClient, body: IDataObject, itemIndex: number): Promise<IDataObject> {
	const response = await client.request({ method: 'POST', path: '/api/folders', body: async () => body, repeatable: false }, { itemIndex });
	return record(client, response, 'folder', itemIndex);
}

/** PATCH /api/folders/{id}: rename or move (the same change twice has the same effect). */
export async function updateFolder(client: ConvertlyClient, folderId: string, body: IDataObject, itemIndex: number): Promise<IDataObject> {
	const response = await client.request(
		{ method: 'PATCH', path: folderPath(folderId), body: async () => body, repeatable: true, about: folderSubject(folderId) },
		{ itemIndex },
	);
	return record(client, response, 'folder', itemIndex);
}

/** DELETE /api/folders/{id}; a 404 comes back to the caller (already gone). */
export async function deleteFolder(client: ConvertlyClient, folderId: string, itemIndex: number): Promise<ApiResponse> {
	return await client.request(
		{ method: 'DELETE', path: folderPath(folderId), repeatable: true, about: folderSubject(folderId), acceptStatuses: [404] },
		{ itemIndex },
	);
}
