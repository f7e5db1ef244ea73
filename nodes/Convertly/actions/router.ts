import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ExecutionHints } from '../helpers/hints';
import { CancelledError, ConvertlyClient } from '../transport';
import * as job from './job';
import type { ItemOperation, RunContext } from './types';

/** The value n8n gives Resource and Operation when the user picks its added "Custom API Call". */
export const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

const operations: Record<string, Record<string, ItemOperation>> = {
	job: { cancel: job.cancel, create: job.create, get: job.get, getAll: job.getAll },
};

/**
 * Runs the chosen operation over the items, several at once (requests are bounded by Max
 * Concurrency in the client), and returns their output in input order. With Continue On Fail a
 * failing item becomes an error item; without it the first failure stops the other items and is
 * thrown.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	// With Resource "Custom API Call" no Operation is shown, so it may be absent.
	const operation = this.getNodeParameter('operation', 0, '') as string;
	if (resource === CUSTOM_API_CALL || operation === CUSTOM_API_CALL) {
		throw new NodeOperationError(this.getNode(), 'Custom API calls to Convertly are made with the HTTP Request node', {
			description:
				'This node only runs the operations in its list. For any other Convertly endpoint, add an HTTP Request node, set Authentication to "Predefined Credential Type", Credential Type to "Convertly API" and pick your Convertly credential: n8n then sends the API key for you. Use the full URL, e.g. GET https://convertly.sh/api/jobs (or your Base URL).',
		});
	}
	const chosen = operations[resource]?.[operation];
	if (!chosen) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" on "${resource}" is not supported`);
	}

	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const maxConcurrency = this.getNodeParameter('options.maxConcurrency', 0, 5) as number;
	const stopSiblings = new AbortController();
	const executionSignal = this.getExecutionCancelSignal();
	const signal = executionSignal
		? AbortSignal.any([executionSignal, stopSiblings.signal])
		: stopSiblings.signal;
	const run: RunContext = { client: await ConvertlyClient.create(this, maxConcurrency, signal), hints: new ExecutionHints() };

	if (chosen.executeAll) {
		try {
			const output = await chosen.executeAll.call(this, run);
			if (output) {
				run.hints.show(this);
				return [output];
			}
		} catch (error) {
			if (!(error instanceof CancelledError) && this.continueOnFail()) {
				return [[{ ...errorItem(error, 0), pairedItem: items.map((_, item) => ({ item })) }]];
			}
			throw rethrowable(this, error);
		}
	}

	let firstError: Error | undefined;
	const runItem = async (itemIndex: number): Promise<INodeExecutionData[]> => {
		try {
			return await chosen.execute.call(this, run, itemIndex);
		} catch (error) {
			if (!(error instanceof CancelledError) && this.continueOnFail()) {
				return [errorItem(error, itemIndex)];
			}
			firstError ??= error;
			stopSiblings.abort();
			return [];
		}
	};
	const parallel = chosen.itemsInParallel?.call(this, items.length, maxConcurrency) ?? maxConcurrency;
	const outputs = await mapInPool(items.length, parallel, runItem);

	if (firstError) throw rethrowable(this, firstError);
	if (run.client.rateLimitedRequests > 0) {
		run.hints.add('rateLimited', {
			message: `Convertly's rate limit slowed this node down (${run.client.rateLimitedRequests} request(s) had to wait). Lower "Max Concurrency" or raise the poll interval if this happens often.`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	run.hints.show(this);
	return [outputs.flat()];
}

/** Re-creates a caught error with its own class, which is what n8n's lint rules ask for. */
function rethrowable(context: IExecuteFunctions, error: Error): Error {
	if (error instanceof NodeApiError) return new NodeApiError(context.getNode(), error as unknown as JsonObject);
	return new NodeOperationError(context.getNode(), error);
}

/** Maps 0…count-1 with at most `size` calls pending at once, keeping results in index order. */
async function mapInPool<T>(count: number, size: number, map: (index: number) => Promise<T>): Promise<T[]> {
	const results = new Array<T>(count);
	let next = 0;
	const worker = async () => {
		while (next < count) {
			const index = next++;
			results[index] = await map(index);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(size, count)) }, worker));
	return results;
}

/**
 * n8n sends an item to the error output (On Error: "Continue (using error output)") only when
 * its JSON has no keys but error, message and details, so the extra facts go under details.
 */
function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const details: IDataObject = {};
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.description) details.description = error.description;
	}
	if (error instanceof NodeApiError && error.httpCode) details.httpCode = error.httpCode;
	return { json: { error: error.message, details }, pairedItem: { item: itemIndex } };
}
