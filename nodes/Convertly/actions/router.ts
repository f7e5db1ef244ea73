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
	const maxConcurrency = readMaxConcurrency(this);
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

export const MAX_CONCURRENCY_LIMIT = 50;

/**
 * Options → Max Concurrency as a whole number from 1 to 50. An expression may give it as text
 * of digits ("5"); anything else (text, empty, undefined, NaN, a fraction, out of range) fails
 * the node before any request, so that it can neither run nothing nor wait forever.
 */
function readMaxConcurrency(context: IExecuteFunctions): number {
	const value: unknown = context.getNodeParameter('options.maxConcurrency', 0, 5);
	const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	if (typeof number === 'number' && Number.isInteger(number) && number >= 1 && number <= MAX_CONCURRENCY_LIMIT) {
		return number;
	}
	throw new NodeOperationError(
		context.getNode(),
		`Max Concurrency must be a whole number from 1 to ${MAX_CONCURRENCY_LIMIT}, not ${describeValue(value)}`,
		{
			description: `Change Options → Max Concurrency, or the expression behind it, to a whole number from 1 to ${MAX_CONCURRENCY_LIMIT} (the default is 5). No request was sent.`,
		},
	);
}

/** A parameter value as it reads in a message: text in quotes, anything else as JavaScript shows it. */
function describeValue(value: unknown): string {
	if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
	if (typeof value === 'object' && value !== null) {
		const json = JSON.stringify(value) ?? String(value);
		return json.length > 40 ? `${json.slice(0, 40)}…` : json;
	}
	return String(value);
}

/** Re-creates a caught error with its own class, which is what n8n's lint rules ask for. */
function rethrowable(context: IExecuteFunctions, error: Error): Error {
	if (error instanceof NodeApiError) return new NodeApiError(context.getNode(), error as unknown as JsonObject);
	return new NodeOperationError(context.getNode(), error);
}

/** Maps 0…count-1 with at most `size` calls pending at once, keeping results in index order. */
export async function mapInPool<T>(count: number, size: number, map: (index: number) => Promise<T>): Promise<T[]> {
	// NaN would start no worker at all and return holes as if every item gave nothing.
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`mapInPool needs a whole number of workers, at least 1, not ${size}`);
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
