import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { cancelJob, getJob } from '../../api/jobs';
import type { RunContext } from '../../helpers/context';
import type { ConvertlyJob } from '../../jobs/job';
import { describeFiles } from '../../jobs/job';
import { readJobId } from '../../jobs/jobId';
import { asJsonObject, convertlyErrorText, quote } from '../../transport/errors';
import { CANCELLABLE_JOB_SEARCH_METHOD, jobIdDescription, optionsCollection } from '../common.descriptions';
import type { OperationMeta } from '../types';

export const meta: OperationMeta = {
	name: 'Cancel',
	value: 'cancel',
	description: 'Cancel a job that is still pending, by its ID; jobs already processing cannot be cancelled',
	action: 'Cancel a job',
};

const showFor = { resource: ['job'], operation: ['cancel'] };

export const description: INodeProperties[] = [
	jobIdDescription(
		showFor,
		'The Convertly job to cancel: pick one of the recent jobs, or give its ID (a UUID such as a755a89a-3a63-4f3e-88ff-7fef50d42d7d, usually mapped from the jobId field of an earlier node). Only jobs that are still pending can be cancelled, so the list shows only those.',
		{ searchMethod: CANCELLABLE_JOB_SEARCH_METHOD, listPlaceholder: 'Select a pending job...' },
	),
	optionsCollection(showFor, [
		{
			displayName: 'If the Job Cannot Be Cancelled',
			name: 'onNotCancellable',
			type: 'options',
			default: 'error',
			description:
				'What to do when Convertly refuses because the job is no longer pending (already processing, completed or failed)',
			options: [
				{
					name: 'Output the Job',
					value: 'output',
					description: 'Output the job as it is now, with cancelled: false, so the workflow can route it',
				},
				{
					name: 'Stop With an Error',
					value: 'error',
					description: "The item fails with a message naming the job's current status",
				},
			],
		},
	]),
];

/**
 * Cancels one item's job (DELETE /api/jobs/{id}). Convertly answers 409 for a job that is no
 * longer pending; the job is then read to say its status, and output or turned into an error as
 * "If the Job Cannot Be Cancelled" says.
 */
export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const jobId = readJobId(this, itemIndex, run.hints);
	const onNotCancellable = this.getNodeParameter('options.onNotCancellable', itemIndex, 'error') as 'error' | 'output';
	const response = await cancelJob(run.client, jobId, itemIndex);
	const pairedItem = { item: itemIndex };

	if (response.statusCode !== 409) {
		const { body } = response;
		const output: IDataObject = isJobBody(body) ? { ...body } : { jobId, ...body };
		if (!('cancelled' in output)) output.cancelled = true;
		return [{ json: output, pairedItem }];
	}

	const job = await getJob(run.client, jobId, { itemIndex });
	// A repeated request (after a lost answer) finds the job cancelled by the first one.
	if (job.status === 'cancelled') return [{ json: { ...job, cancelled: true }, pairedItem }];
	if (onNotCancellable === 'output') return [{ json: { ...job, cancelled: false }, pairedItem }];
	const said = convertlyErrorText(response.body);
	throw new NodeApiError(this.getNode(), asJsonObject(response.body), {
		message: `Job ${quote(jobId)} cannot be cancelled: it is ${job.status}`,
		description: `Only pending jobs can be cancelled; this one is ${job.status} (${describeFiles(job)}).${said ? ` Convertly said: ${said}` : ''} Set "If the Job Cannot Be Cancelled" to "Output the Job" to handle such jobs in the workflow instead of stopping.`,
		httpCode: '409',
		itemIndex,
	});
}

/** An answer that is the job itself (rather than an acknowledgement). */
function isJobBody(body: IDataObject): body is ConvertlyJob {
	return typeof body.status === 'string' && typeof body.jobId === 'string';
}
