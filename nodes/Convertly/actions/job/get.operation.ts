import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	NodeParameterValueType,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ConvertlyJob } from '../../helpers/job';
import { describeFiles } from '../../helpers/job';
import { parseJobId } from '../../helpers/jobId';
import type { OutputMode } from '../../helpers/output';
import { jobToItems } from '../../helpers/output';
import type { ConvertlyClient } from '../../transport';
import { waitForJob } from '../../wait/waitForJob';

export const LIMITS = {
	minPollIntervalSeconds: 1,
	maxTimeoutSeconds: 3600,
	/** A job created a moment ago can answer 404 briefly; during a wait, 404s are retried this long. */
	notFoundRetryWindowMs: 10_000,
} as const;

const showFor = { resource: ['job'], operation: ['get'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Job ID',
		name: 'jobId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. a755a89a-3a63-4f3e-88ff-7fef50d42d7d',
		description:
			'The ID of the Convertly job, usually mapped from the jobId field of an earlier node with an expression',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to keep checking the job until it has completed or failed. When off, the job is returned as it is now, whatever its status.',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Wait Options',
		name: 'waitOptions',
		type: 'collection',
		placeholder: 'Add Wait Option',
		default: {},
		displayOptions: { show: { ...showFor, waitForCompletion: [true] } },
		options: [
			{
				displayName: 'Include Wait Details',
				name: 'includeWaitDetails',
				type: 'boolean',
				default: false,
				description:
					'Whether to add waitDetails (polls, waitedSeconds, timedOut) to each output item',
			},
			{
				displayName: 'On Failure',
				name: 'onFailure',
				type: 'options',
				default: 'error',
				description: 'What to do when the job ends with status "failed"',
				options: [
					{
						name: 'Output the Failed Job',
						value: 'output',
						description: 'Output the job like any other so the workflow can route it, e.g. with an If node',
					},
					{
						name: 'Stop With an Error',
						value: 'error',
						description: "The item fails with the job's error message (use Continue On Fail to keep other items)",
					},
				],
			},
			{
				displayName: 'On Timeout',
				name: 'onTimeout',
				type: 'options',
				default: 'error',
				description: 'What to do when the job has not finished within the timeout',
				options: [
					{
						name: 'Output the Last Job Seen',
						value: 'output',
						description: 'Output the job with its current status (pending or processing)',
					},
					{
						name: 'Stop With an Error',
						value: 'error',
						description: 'The item fails with a message naming the job, its status and progress',
					},
				],
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				default: 2,
				typeOptions: { minValue: LIMITS.minPollIntervalSeconds, numberPrecision: 1 },
				description: 'How long to wait between two checks of the job',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				default: 300,
				typeOptions: { minValue: 1, maxValue: LIMITS.maxTimeoutSeconds },
				description:
					'How long to wait for the job at most. The node never runs past this by more than one request.',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{
				displayName: 'Max Concurrency',
				name: 'maxConcurrency',
				type: 'number',
				default: 5,
				typeOptions: { minValue: 1, maxValue: 50 },
				description:
					'How many requests to Convertly may be in flight at once across all items. Lower it if you hit rate limits.',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				default: 'job',
				options: [
					{
						name: 'Job',
						value: 'job',
						description: 'One item per job, exactly as Convertly returns it',
					},
					{
						name: 'Results',
						value: 'results',
						description:
							'One item per entry of the job\'s results (with its jobId); no item while results is empty',
					},
				],
			},
		],
	},
];

interface WaitSettings {
	pollInterval?: number;
	timeout?: number;
	onFailure?: 'error' | 'output';
	onTimeout?: 'error' | 'output';
	includeWaitDetails?: boolean;
}

/**
 * Waiting items must all be in progress together (N jobs should take about one job's time);
 * plain Gets only need as many items in progress as requests may be in flight.
 */
export function itemsInParallel(this: IExecuteFunctions, itemCount: number, maxConcurrency: number): number {
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		if (parameter(this, 'waitForCompletion', itemIndex, false)) return itemCount;
	}
	return maxConcurrency;
}

interface ExecutionState {
	node: INode;
	/** Values of parameters that hold no expression: the same for every item. */
	fixed: Map<string, unknown>;
}

/** n8n gives every run of the node a context of its own, so state keyed by it lasts one execution. */
const executions = new WeakMap<IExecuteFunctions, ExecutionState>();

function executionState(context: IExecuteFunctions): ExecutionState {
	let state = executions.get(context);
	if (!state) {
		// getNode() returns a deep copy on every call: take it once.
		state = { node: context.getNode(), fixed: new Map() };
		executions.set(context, state);
	}
	return state;
}

/**
 * getNodeParameter for one item. A parameter without an expression has the same value for every
 * item, so it is read (resolved and copied by n8n) once per execution instead of once per item.
 */
function parameter<T>(context: IExecuteFunctions, name: string, itemIndex: number, fallback: T): T {
	const state = executionState(context);
	if (state.fixed.has(name)) return state.fixed.get(name) as T;
	const value = context.getNodeParameter(name, itemIndex, fallback) as T;
	if (!holdsExpression(configured(state.node.parameters, name))) state.fixed.set(name, value);
	return value;
}

/** The parameter as configured ("options.output" is parameters.options.output). */
function configured(parameters: INodeParameters, name: string): unknown {
	let value: unknown = parameters;
	for (const key of name.split('.')) {
		if (typeof value !== 'object' || value === null) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (typeof value !== 'object' || value === null) return false;
	return Object.values(value as Record<string, NodeParameterValueType>).some(holdsExpression);
}

/** Gets one item's job (and waits for it when asked) and returns that item's output items. */
export async function execute(
	this: IExecuteFunctions,
	client: ConvertlyClient,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { node } = executionState(this);
	const jobId = parseJobId(node, this.getNodeParameter('jobId', itemIndex), itemIndex);
	const output = parameter<OutputMode>(this, 'options.output', itemIndex, 'job');

	if (!parameter(this, 'waitForCompletion', itemIndex, false)) {
		const job = await client.getJob(jobId, { itemIndex });
		return jobToItems(job, output, itemIndex);
	}

	const settings = parameter<WaitSettings>(this, 'waitOptions', itemIndex, {});
	const pollIntervalSeconds = settings.pollInterval ?? 2;
	const timeoutSeconds = settings.timeout ?? 300;
	if (!(pollIntervalSeconds >= LIMITS.minPollIntervalSeconds)) {
		throw new NodeOperationError(this.getNode(), `Poll Interval must be at least ${LIMITS.minPollIntervalSeconds} second`, {
			description: `It is ${pollIntervalSeconds}. Checking more often only uses up your Convertly rate limit.`,
			itemIndex,
		});
	}
	if (!(timeoutSeconds >= 1 && timeoutSeconds <= LIMITS.maxTimeoutSeconds)) {
		throw new NodeOperationError(this.getNode(), `Timeout must be between 1 and ${LIMITS.maxTimeoutSeconds} seconds`, {
			description: `It is ${timeoutSeconds}. For longer jobs, use Convertly webhooks or a loop with a Wait node instead of holding the workflow.`,
			itemIndex,
		});
	}

	const notFoundRetryUntil = Date.now() + LIMITS.notFoundRetryWindowMs;
	const outcome = await waitForJob({
		pollIntervalMs: pollIntervalSeconds * 1000,
		timeoutMs: timeoutSeconds * 1000,
		fetchJob: async (deadline) => await client.getJob(jobId, { itemIndex, deadline, notFoundRetryUntil }),
		sleep: async (ms) => await client.sleep(ms, itemIndex),
	});
	const { job } = outcome;

	if (outcome.timedOut && settings.onTimeout !== 'output') {
		throw new NodeOperationError(
			this.getNode(),
			`Convertly job "${jobId}" did not finish within ${timeoutSeconds} s`,
			{
				description: `Last status: ${job.status}, progress ${job.progress ?? 0}%, ${describeFiles(job)}. Raise "Timeout" (up to ${LIMITS.maxTimeoutSeconds} s), set "On Timeout" to output the last job seen, or, for very long jobs, use Convertly webhooks or a loop with a Wait node.`,
				itemIndex,
			},
		);
	}
	if (job.status === 'failed' && settings.onFailure !== 'output') {
		throw failedJobError(this, job, jobId, itemIndex);
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
	return jobToItems(job, output, itemIndex, extra);
}

function failedJobError(
	context: IExecuteFunctions,
	job: ConvertlyJob,
	jobId: string,
	itemIndex: number,
): NodeOperationError {
	const reason = job.errorMessage ? `: ${job.errorMessage}` : '';
	const files =
		typeof job.totalFiles === 'number'
			? `${job.failedFiles ?? 0} of ${job.totalFiles} files failed. `
			: '';
	return new NodeOperationError(context.getNode(), `Convertly job "${jobId}" failed${reason}`, {
		description: `${files}Set "On Failure" to "Output the Failed Job" to handle failed jobs in the workflow instead of stopping.`,
		itemIndex,
	});
}
