import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getJob } from '../api/jobs';
import type { RunContext } from '../helpers/context';
import { addLongWaitHint } from '../helpers/hints';
import { itemParameter } from '../helpers/parameters';
import { quote } from '../transport/errors';
import type { ConvertlyJob } from './job';
import { describeFiles, isCancelled } from './job';
import { waitForJob } from './waitForJob';

export const WAIT_LIMITS = {
	minPollIntervalSeconds: 1,
	maxTimeoutSeconds: 3600,
	defaultPollIntervalSeconds: 2,
	defaultTimeoutSeconds: 300,
	/** A job created a moment ago can answer 404 briefly; during a wait, 404s are retried this long. */
	notFoundRetryWindowMs: 10_000,
} as const;

export interface WaitSettings {
	pollInterval?: number;
	timeout?: number;
	onFailure?: 'error' | 'output';
	onTimeout?: 'error' | 'output';
	includeWaitDetails?: boolean;
}

export interface CompletedWait {
	/** The finished job, or the last one seen when the wait timed out and On Timeout outputs it. */
	job: ConvertlyJob;
	/** Fields to add to the output items (waitDetails when asked for). */
	extra: IDataObject;
}

/** Whether the item asks to wait (every operation that can wait shares the parameter). */
export function wantsToWait(context: IExecuteFunctions, itemIndex: number): boolean {
	return itemParameter(context, 'waitForCompletion', itemIndex, false);
}

/**
 * How many items an operation that can wait works on at once: all of them when any waits (N jobs
 * should take about one job's time), else as many as requests may be in flight.
 */
export function waitingItemsInParallel(this: IExecuteFunctions, itemCount: number, maxConcurrency: number): number {
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		if (wantsToWait(this, itemIndex)) return itemCount;
	}
	return maxConcurrency;
}

/**
 * Waits for one job as the item's Wait Options say, and applies On Failure / On Timeout: the
 * one place where Get and Create turn a wait into output or an error.
 */
export async function awaitCompletion(
	context: IExecuteFunctions,
	{ client, hints }: RunContext,
	jobId: string,
	itemIndex: number,
): Promise<CompletedWait> {
	const settings = itemParameter<WaitSettings>(context, 'waitOptions', itemIndex, {});
	const pollIntervalSeconds = settings.pollInterval ?? WAIT_LIMITS.defaultPollIntervalSeconds;
	const timeoutSeconds = settings.timeout ?? WAIT_LIMITS.defaultTimeoutSeconds;
	if (!(pollIntervalSeconds >= WAIT_LIMITS.minPollIntervalSeconds)) {
		throw new NodeOperationError(context.getNode(), `Poll Interval must be at least ${WAIT_LIMITS.minPollIntervalSeconds} second`, {
			description: `It is ${pollIntervalSeconds}. Checking more often only uses up your Convertly rate limit.`,
			itemIndex,
		});
	}
	if (!(timeoutSeconds >= 1 && timeoutSeconds <= WAIT_LIMITS.maxTimeoutSeconds)) {
		throw new NodeOperationError(context.getNode(), `Timeout must be between 1 and ${WAIT_LIMITS.maxTimeoutSeconds} seconds`, {
			description: `It is ${timeoutSeconds}. For longer jobs, use the Convertly Trigger node (webhooks) or a loop with a Wait node instead of holding the workflow.`,
			itemIndex,
		});
	}

	const notFoundRetryUntil = Date.now() + WAIT_LIMITS.notFoundRetryWindowMs;
	const outcome = await waitForJob({
		pollIntervalMs: pollIntervalSeconds * 1000,
		timeoutMs: timeoutSeconds * 1000,
		fetchJob: async (deadline) => await getJob(client, jobId, { itemIndex, deadline, notFoundRetryUntil }),
		sleep: async (ms) => await client.sleep(ms, itemIndex),
	});
	const { job } = outcome;
	addLongWaitHint(hints, jobId, outcome.waitedMs / (timeoutSeconds * 1000));

	if (outcome.timedOut && settings.onTimeout !== 'output') {
		throw new NodeOperationError(context.getNode(), `Convertly job ${quote(jobId)} did not finish within ${timeoutSeconds} s`, {
			description: `Last status: ${job.status}, progress ${job.progress ?? 0}%, ${describeFiles(job)}. Raise "Timeout" (up to ${WAIT_LIMITS.maxTimeoutSeconds} s), set "On Timeout" to output the last job seen, or, for very long jobs, use the Convertly Trigger node (webhooks) or a loop with a Wait node.`,
			itemIndex,
		});
	}
	if (isCancelled(job) && settings.onFailure !== 'output') {
		throw new NodeOperationError(context.getNode(), `Convertly job ${quote(jobId)} was cancelled`, {
			description: 'Someone cancelled the job before it started, so it will never finish. Set "On Failure" to "Output the Failed Job" to handle such jobs in the workflow instead of stopping.',
			itemIndex,
		});
	}
	if (job.status === 'failed' && settings.onFailure !== 'output') {
		const reason = job.errorMessage ? `: ${job.errorMessage}` : '';
		const files = typeof job.totalFiles === 'number' ? `${job.failedFiles ?? 0} of ${job.totalFiles} files failed. ` : '';
		throw new NodeOperationError(context.getNode(), `Convertly job ${quote(jobId)} failed${reason}`, {
			description: `${files}Set "On Failure" to "Output the Failed Job" to handle failed jobs in the workflow instead of stopping.`,
			itemIndex,
		});
	}

	const extra: IDataObject = settings.includeWaitDetails
		? {
				waitDetails: {
					polls: outcome.polls,
					waitedSeconds: Math.round(outcome.waitedMs / 100) / 10,
					timedOut: outcome.timedOut,
				},
			}
		: {};
	return { job, extra };
}
