import type { IExecuteFunctions } from 'n8n-workflow';

import { sha256 } from '../helpers/hash';
import type { InputFile } from './upload';

/**
 * The key Convertly deduplicates creations by, when the user sets none: the same files (n8n's
 * stored copy of them) with the same settings from the same node and item position are one
 * creation. A retried request, and a retried execution (which reuses the stored input files), get
 * the first one back; a run that reads its files anew creates a new one. A file n8n holds in memory
 * has no stored copy: its identity is its bytes within this execution, so repeats within the
 * execution get the first one back and any other execution (a retry included) creates a new one.
 * `fields` are the request's settings; secrets among them must be left out by the caller.
 */
export function defaultIdempotencyKey(
	context: IExecuteFunctions,
	itemIndexes: number[],
	files: InputFile[],
	fields: Array<[string, string]>,
): string {
	const fingerprint = JSON.stringify({
		workflow: context.getWorkflow().id ?? '',
		node: context.getNode().id ?? context.getNode().name,
		items: itemIndexes,
		files: files.map((file) => [file.identity, file.fileName, file.size]),
		settings: fields,
	});
	return `n8n-${sha256(fingerprint)}`;
}

/** The Idempotency-Key to send: the one the user set in `parameter`, else the derived one. */
export function idempotencyKey(
	context: IExecuteFunctions,
	parameter: string,
	itemIndexes: number[],
	files: InputFile[],
	fields: Array<[string, string]>,
): string {
	const custom = String(context.getNodeParameter(parameter, itemIndexes[0], '') ?? '').trim();
	return custom || defaultIdempotencyKey(context, itemIndexes, files, fields);
}
