import type { IDataObject } from 'n8n-workflow';

import type { ApiResponse, ConvertlyClient } from '../transport';
import { record } from './answer';
import { filePath, fileSubject } from './storage';

// Stored files of Convertly Storage [doc paths; sdk shapes]. Which requests are repeated after a
// lost answer: reads, PATCH, DELETE, the 3-step upload's start (an unused upload slot stores
// nothing) and its `complete` (documented as idempotent); never a plain POST /api/files, a tool
// run or AI tagging, each of which would store (or charge) a second time.

/** PATCH /api/files/{id}: only the fields given. */
export async function updateFile(client: ConvertlyClient, fileId: string, changes: IDataObject, itemIndex: number): Promise<IDataObject> {
	const response = await client.request(
		{ method: 'PATCH', path: filePath(fileId), body: async () => changes, repeatable: true, about: fileSubject(fileId) },
		{ itemIndex },
	);
	return record(client, response, 'file', itemIndex);
}

/** DELETE /api/files/{id}; a 404 comes back to the caller (already gone). */
export async function deleteFile(client: ConvertlyClient, fileId: string, itemIndex: number): Promise<ApiResponse> {
	return await client.request(
		{ method: 'DELETE', path: filePath(fileId), repeatable: true, about: fileSubject(fileId), acceptStatuses: [404] },
		{ itemIndex },
	);
}

/** POST /api/files/{id}/tools: a media tool on a stored file; the answer holds the new file (or a preview). */
export async function runToolOnFile(client: ConvertlyClient, fileId: string, body: IDataObject, itemIndex: number): Promise<IDataObject> {
	const response = await client.request(
		{ method: 'POST', path: filePath(fileId, '/tools'), body: async () => body, repeatable: false, about: fileSubject(fileId) },
		{ itemIndex },
	);
	return response.body;
}

/** POST /api/files/{id}/ai-tags. */
export async function tagFileWithAi(client: ConvertlyClient, fileId: string, body: IDataObject, itemIndex: number): Promise<IDataObject> {
	const response = await client.request(
		{ method: 'POST', path: filePath(fileId, '/ai-tags'), body: async () => body, repeatable: false, about: fileSubject(fileId) },
		{ itemIndex },
	);
	return response.body;
}
