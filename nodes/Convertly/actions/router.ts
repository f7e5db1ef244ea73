import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { RunContext } from '../helpers/context';
import { errorItem, rethrowable } from '../helpers/errors';
import { ExecutionHints } from '../helpers/hints';
import { readMaxConcurrency } from '../helpers/parameters';
import { mapInPool } from '../helpers/pool';
import { CancelledError, ConvertlyClient } from '../transport';
import { CUSTOM_API_CALL, findOperation } from './index';

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
	const chosen = findOperation(resource, operation);
	if (!chosen) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" on "${resource}" is not supported`);
	}

	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const maxConcurrency = readMaxConcurrency(this);
	const stopSiblings = new AbortController();
	const executionSignal = this.getExecutionCancelSignal();
	const signal = executionSignal ? AbortSignal.any([executionSignal, stopSiblings.signal]) : stopSiblings.signal;
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
				return [[errorItem(error, items.map((_, item) => ({ item })))]];
			}
			throw rethrowable(this.getNode(), error);
		}
	}

	let firstError: Error | undefined;
	const runItem = async (itemIndex: number): Promise<INodeExecutionData[]> => {
		try {
			return await chosen.execute.call(this, run, itemIndex);
		} catch (error) {
			if (!(error instanceof CancelledError) && this.continueOnFail()) {
				return [errorItem(error, { item: itemIndex })];
			}
			firstError ??= error;
			stopSiblings.abort();
			return [];
		}
	};
	const parallel = chosen.itemsInParallel?.call(this, items.length, maxConcurrency) ?? maxConcurrency;
	const outputs = await mapInPool(items.length, parallel, runItem);

	if (firstError) throw rethrowable(this.getNode(), firstError);
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
