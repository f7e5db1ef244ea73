import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { CancelledError, ConvertlyClient } from '../transport';
import * as job from './job';

type ItemOperation = (
	this: IExecuteFunctions,
	client: ConvertlyClient,
	itemIndex: number,
) => Promise<INodeExecutionData[]>;

const operations: Record<string, Record<string, ItemOperation>> = {
	job: { get: job.get.execute },
};

/**
 * Runs the chosen operation for all items at once (requests are bounded by Max Concurrency in
 * the client) and returns their output in input order. With Continue On Fail a failing item
 * becomes an error item; without it the first failure stops the other items and is thrown.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = operations[resource]?.[operation];
	if (!run) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" on "${resource}" is not supported`);
	}

	const items = this.getInputData();
	const maxConcurrency = this.getNodeParameter('options.maxConcurrency', 0, 5) as number;
	const stopSiblings = new AbortController();
	const executionSignal = this.getExecutionCancelSignal();
	const signal = executionSignal
		? AbortSignal.any([executionSignal, stopSiblings.signal])
		: stopSiblings.signal;
	const client = await ConvertlyClient.create(this, maxConcurrency, signal);

	let firstError: Error | undefined;
	const outputs = await Promise.all(
		items.map(async (_item, itemIndex) => {
			try {
				return await run.call(this, client, itemIndex);
			} catch (error) {
				if (!(error instanceof CancelledError) && this.continueOnFail()) {
					return [errorItem(error, itemIndex)];
				}
				firstError ??= error;
				stopSiblings.abort();
				return [];
			}
		}),
	);

	if (firstError instanceof NodeApiError) throw new NodeApiError(this.getNode(), firstError as unknown as JsonObject);
	if (firstError instanceof NodeOperationError) throw new NodeOperationError(this.getNode(), firstError);
	if (firstError) throw new NodeOperationError(this.getNode(), firstError);
	return [outputs.flat()];
}

function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const json: INodeExecutionData['json'] = { error: error.message };
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.description) json.description = error.description;
	}
	if (error instanceof NodeApiError && error.httpCode) json.httpCode = error.httpCode;
	return { json, pairedItem: { item: itemIndex } };
}
