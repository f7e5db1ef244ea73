import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { listPage } from '../../api/list';
import { formatBytes } from '../../files/upload';
import { ConvertlyClient } from '../../transport';

/** A picker should answer quickly: retries stop after this long. */
const BUDGET_MS = 15_000;
const PAGE_SIZE = 50;

/**
 * File → From List: the library's files, newest first as Convertly lists them, named like
 * "photo.png · image/png · 1.2 MB · in folder 3f0c2a43"; a search text is sent to Convertly as
 * `q` (name contains). The pagination token is the offset of the next page.
 */
export async function searchFiles(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const client = await ConvertlyClient.create(this, 2);
	const offset = Math.max(0, Number.parseInt(paginationToken ?? '0', 10) || 0);
	const q = (filter ?? '').trim();
	const page = await listPage(client, '/api/files', 'files', q ? { q } : {}, { limit: PAGE_SIZE, offset }, 0, Date.now() + BUDGET_MS);
	return {
		results: page.entries
			.filter((file) => typeof file.id === 'string')
			.map((file) => ({ name: fileLabel(file), value: file.id as string, description: String(file.id) })),
		paginationToken: page.more ? String(offset + page.entries.length) : undefined,
	};
}

/** "photo.png · image/png · 1.2 MB · in folder 3f0c2a43" (or "at the root"). */
export function fileLabel(file: IDataObject): string {
	const parts = [typeof file.filename === 'string' ? file.filename : String(file.id)];
	const type = file.mime_type ?? file.mimeType;
	if (typeof type === 'string') parts.push(type);
	const size = file.size_bytes ?? file.sizeBytes;
	if (typeof size === 'number') parts.push(formatBytes(size));
	const folder = file.folder_id ?? file.folderId;
	parts.push(typeof folder === 'string' && folder !== '' ? `in folder ${folder.slice(0, 8)}` : 'at the root');
	return parts.join(' · ');
}
