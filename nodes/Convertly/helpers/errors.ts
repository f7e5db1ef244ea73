import type { IDataObject, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

export { rethrowable } from '../transport/errors';

/**
 * The output item of a failure when the node continues on fail. n8n sends an item to the error
 * output (On Error: "Continue (using error output)") only when its JSON has no keys but error,
 * message and details, so any other facts go under details.
 */
export function errorItem(error: Error, pairedItem: IPairedItemData | IPairedItemData[], details: IDataObject = {}): INodeExecutionData {
	const facts: IDataObject = { ...details };
	if ((error instanceof NodeApiError || error instanceof NodeOperationError) && error.description) {
		facts.description = error.description;
	}
	if (error instanceof NodeApiError && error.httpCode) facts.httpCode = error.httpCode;
	return { json: { error: error.message, details: facts }, pairedItem };
}
