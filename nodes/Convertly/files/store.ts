import type { IDataObject } from 'n8n-workflow';

import { record, wrongAnswer } from '../api/answer';
import type { ConvertlyClient } from '../transport';
import type { InputFile } from './upload';
import { postForm } from './upload';

// Putting an n8n file into Convertly Storage: small files as one multipart request, large ones in
// the documented 3 steps, streamed either way.

/** Files at or above this size use the 3-step upload (the official JS client switches at 8 MiB). */
export const LARGE_UPLOAD_BYTES = 8 * 1024 * 1024;

/** POST /api/files: one file as the multipart `file` part, into `folderId` (the root when undefined). */
export async function uploadFile(client: ConvertlyClient, file: InputFile, folderId: string | undefined, key: string, itemIndex: number): Promise<IDataObject> {
	const response = await postForm(client, {
		path: '/api/files',
		fields: folderId ? [['folderId', folderId]] : [],
		fileField: 'file',
		files: [file],
		idempotencyKey: key,
		repeatable: false,
		itemIndex,
	});
	return record(client, response, 'file', itemIndex);
}

/**
 * The 3-step upload for large files: POST /api/uploads (a signed upload URL), PUT the bytes
 * there (never the API key: another origin), POST /api/uploads/complete with the `complete.body`
 * Convertly gave, as given. The file is streamed from n8n's store, never held in memory.
 */
export async function uploadLargeFile(client: ConvertlyClient, file: InputFile, folderId: string | undefined, itemIndex: number): Promise<IDataObject> {
	const started = await client.request(
		{
			method: 'POST',
			path: '/api/uploads',
			body: async () => ({ filename: file.fileName, sizeBytes: file.size, contentType: file.mimeType, folderId: folderId ?? null }),
			repeatable: true,
		},
		{ itemIndex },
	);
	const upload = record(client, started, 'upload', itemIndex);
	const complete = record(client, started, 'complete', itemIndex);
	if (typeof upload.signedUrl !== 'string' || typeof complete.body !== 'object' || complete.body === null) {
		throw wrongAnswer(client, started, itemIndex);
	}
	await client.putFile(
		String(upload.signedUrl),
		{ open: async () => await file.body(), size: file.size, contentType: file.mimeType },
		{ itemIndex, subject: `file "${file.fileName}"` },
	);
	const completed = await client.request(
		{ method: 'POST', path: '/api/uploads/complete', body: async () => complete.body as IDataObject, repeatable: true },
		{ itemIndex },
	);
	return record(client, completed, 'file', itemIndex);
}
