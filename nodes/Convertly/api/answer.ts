import type { IDataObject } from 'n8n-workflow';

import type { ApiResponse, ConvertlyClient } from '../transport';
import { isJsonObject } from '../transport';
import { notConvertlyError } from '../transport/errors';

/** An answer without what every Convertly answer of its endpoint has: the Base URL points elsewhere. */
export function wrongAnswer(client: ConvertlyClient, response: ApiResponse, itemIndex: number) {
	return notConvertlyError(
		client.node,
		{ kind: 'response', statusCode: response.statusCode, body: response.body, headers: response.headers },
		{ baseUrl: client.baseUrl, itemIndex },
	);
}

/** The object under `key` of an answer (`{ file }`, `{ folder }`), or an error when there is none. */
export function record(client: ConvertlyClient, response: ApiResponse, key: string, itemIndex: number): IDataObject {
	const value = response.body[key];
	if (!isJsonObject(value)) throw wrongAnswer(client, response, itemIndex);
	return value;
}
