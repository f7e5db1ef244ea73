import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { ApiResponse, Subject } from '../transport';
import { asJsonObject, convertlyErrorText, quote } from '../transport/errors';

/**
 * The output of a delete: Convertly's answer with `id` and `deleted: true`; for something already
 * gone (404), an error saying so, or, with "If Already Deleted" = output, `deleted: true` and
 * `alreadyDeleted: true` (deleting twice has the same outcome).
 */
export function removalOutput(
	context: IExecuteFunctions,
	response: ApiResponse,
	subject: Subject,
	itemIndex: number,
	ifMissing: 'error' | 'output',
): INodeExecutionData[] {
	const pairedItem = { item: itemIndex };
	if (response.statusCode !== 404) return [{ json: { id: subject.id, ...response.body, deleted: true } as IDataObject, pairedItem }];
	if (ifMissing === 'output') return [{ json: { id: subject.id, deleted: true, alreadyDeleted: true }, pairedItem }];
	const said = convertlyErrorText(response.body);
	throw new NodeApiError(context.getNode(), asJsonObject(response.body), {
		message: `${subject.label} ${quote(subject.id)} was not found: it may already be deleted${said ? ` (Convertly: ${said})` : ''}`,
		description: `${subject.notFoundHint} To treat something already deleted as done, set Options → If Already Deleted to "Output as Deleted".`,
		httpCode: '404',
		itemIndex,
	});
}
