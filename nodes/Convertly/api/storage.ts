import type { IDataObject } from 'n8n-workflow';

import type { ConvertlyClient, RequestScope, Subject } from '../transport';
import { record } from './answer';

// Convertly Storage: stored files and folders. Paths and fields: docs.convertly.sh (uploads,
// search, ai-tags, zip, tools) [doc]; the official JS SDK and MCP for list/get/patch/folders [sdk].

export function fileSubject(fileId: string): Subject {
	return {
		label: 'File',
		id: fileId,
		notFoundHint: 'No stored file with this ID exists in the Convertly account that owns the API key (it may have been deleted). Check the File ID or pick one from the list.',
	};
}

export function folderSubject(folderId: string): Subject {
	return {
		label: 'Folder',
		id: folderId,
		notFoundHint: 'No folder with this ID exists in the Convertly account that owns the API key (it may have been deleted). Pick one from the list.',
	};
}

export const filePath = (fileId: string, tail = ''): string => `/api/files/${encodeURIComponent(fileId)}${tail}`;
export const folderPath = (folderId: string): string => `/api/folders/${encodeURIComponent(folderId)}`;

/** GET /api/files/{id} (JSON, with a fresh signed download link). */
export async function getFile(client: ConvertlyClient, fileId: string, scope: RequestScope): Promise<IDataObject> {
	const response = await client.request(
		{ method: 'GET', path: filePath(fileId), headers: { Accept: 'application/json' }, about: fileSubject(fileId) },
		scope,
	);
	return record(client, response, 'file', scope.itemIndex);
}
