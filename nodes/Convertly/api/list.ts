import type { IDataObject } from 'n8n-workflow';

import type { ConvertlyClient } from '../transport';
import { isJsonObject } from '../transport';
import { wrongAnswer } from './answer';

export interface Page {
	entries: IDataObject[];
	more: boolean;
	body: IDataObject;
}

/**
 * One page of a paged list (`GET /api/jobs`, `/api/files`, `/api/files/search`): the entries
 * under `key` and whether there are more, from `pagination.hasMore`, else `pagination.total`,
 * else whether the page came back full (the shape is partly undocumented, so all three are
 * handled). A page without entries ends the list whatever it claims, so a wrong hasMore cannot
 * loop; an answer without the list is reported as a wrong Base URL.
 */
export async function listPage(
	client: ConvertlyClient,
	path: string,
	key: string,
	qs: IDataObject,
	page: { limit: number; offset: number },
	itemIndex: number,
	deadline?: number,
): Promise<Page> {
	const response = await client.request({ method: 'GET', path, qs: { ...qs, limit: page.limit, offset: page.offset } }, { itemIndex, deadline });
	const entries = response.body[key];
	if (!Array.isArray(entries)) throw wrongAnswer(client, response, itemIndex);
	const list = entries.filter(isJsonObject);
	let more = list.length >= page.limit;
	const pagination = response.body.pagination;
	if (isJsonObject(pagination)) {
		if (typeof pagination.hasMore === 'boolean') more = pagination.hasMore;
		else if (typeof pagination.total === 'number') more = page.offset + list.length < pagination.total;
	}
	return { entries: list, more: more && list.length > 0, body: response.body };
}
