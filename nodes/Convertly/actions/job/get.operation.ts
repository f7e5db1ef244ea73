import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getJob } from '../../api/jobs';
import type { RunContext } from '../../helpers/context';
import type { ConvertlyJob } from '../../jobs/job';
import { readJobId } from '../../jobs/jobId';
import { jobOutput } from '../../jobs/output';
import { awaitCompletion, waitingItemsInParallel, wantsToWait } from '../../jobs/wait';
import {
	downloadDescription,
	jobIdDescription,
	maxConcurrencyOption,
	optionsCollection,
	outputOption,
	waitDescription,
} from '../common.descriptions';
import type { OperationMeta } from '../types';

export const meta: OperationMeta = {
	name: 'Get',
	value: 'get',
	description:
		'Get one job by its ID (status, progress, file counts, results with download URLs), optionally waiting until it has completed or failed',
	action: 'Get a job',
};

const showFor = { resource: ['job'], operation: ['get'] };

export const description: INodeProperties[] = [
	jobIdDescription(
		showFor,
		'The Convertly job to get: pick one of the recent jobs, or give its ID (a UUID, usually mapped from the jobId field of an earlier node)',
	),
	...waitDescription(showFor),
	...downloadDescription(showFor),
	optionsCollection(showFor, [maxConcurrencyOption, outputOption]),
];

/**
 * Waiting items must all be in progress together (N jobs should take about one job's time);
 * plain Gets only need as many items in progress as requests may be in flight.
 */
export const itemsInParallel = waitingItemsInParallel;

/** Gets one item's job (and waits for it and downloads its files when asked) and returns that item's output items. */
export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const jobId = readJobId(this, itemIndex, run.hints);
	let job: ConvertlyJob;
	let extra: IDataObject = {};
	if (wantsToWait(this, itemIndex)) {
		({ job, extra } = await awaitCompletion(this, run, jobId, itemIndex));
	} else {
		job = await getJob(run.client, jobId, { itemIndex });
	}
	return await jobOutput(this, run, { job, jobId, itemIndex, pairedItem: { item: itemIndex }, extra });
}
