import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import { getJob } from '../api/jobs';
import type { RunContext } from '../helpers/context';
import { configuredNode, itemParameter } from '../helpers/parameters';
import { jobItemsWithFiles } from './files';
import type { ConvertlyJob, OutputMode } from './job';
import { resultEntries } from './job';

/**
 * Turns a job into output items. "job": the job exactly as returned. "results": one item per
 * result entry, each carrying the job's `jobId` so items can be traced back.
 */
export function jobToItems(
	job: ConvertlyJob,
	mode: OutputMode,
	pairedItem: IPairedItemData | IPairedItemData[],
	extra: IDataObject = {},
): INodeExecutionData[] {
	if (mode === 'job') return [{ json: { ...job, ...extra }, pairedItem }];
	return resultEntries(job).map((entry) => ({ json: { ...entry, jobId: job.jobId, ...extra }, pairedItem }));
}

export interface FinishedJob {
	job: ConvertlyJob;
	jobId: string;
	itemIndex: number;
	pairedItem: IPairedItemData | IPairedItemData[];
	extra?: IDataObject;
	/**
	 * With Output "Job", whether the first file goes in the output field itself (node version 1.1
	 * and the Media Tool) rather than `<field>_0` (version 1). By default, by the node's version.
	 */
	firstFileInField?: boolean;
}

/** Node version 1.1 puts the first downloaded file in the named field, as every other n8n node does. */
export function firstFileInField(context: IExecuteFunctions): boolean {
	return configuredNode(context).typeVersion >= 1.1;
}

/**
 * The output of an operation that ends with a job (Get, Create): the job or its results as
 * items, with the result files attached when "Download Result Files" is on.
 */
export async function jobOutput(context: IExecuteFunctions, run: RunContext, finished: FinishedJob): Promise<INodeExecutionData[]> {
	const { job, jobId, itemIndex, pairedItem, extra = {} } = finished;
	const output = itemParameter<OutputMode>(context, 'options.output', itemIndex, 'job');
	if (!itemParameter(context, 'downloadResults', itemIndex, false)) {
		const items = jobToItems(job, output, pairedItem, extra);
		if (output === 'results' && items.length === 0) {
			run.hints.add('noResults', {
				message: `Output "Results" gave no item for ${job.status} job ${job.jobId}: a job has results only once it has completed. Turn on "Wait for Completion", or use Output "Job" to see jobs without results.`,
				type: 'info',
				location: 'outputPane',
			});
		}
		return items;
	}

	const binaryField = (context.getNodeParameter('binaryPropertyOutput', itemIndex, 'data') as string).trim() || 'data';
	const outcome = await jobItemsWithFiles(context, run.client, {
		job,
		output,
		binaryField,
		pairedItem,
		itemIndex,
		extra,
		refreshJob: async () => await getJob(run.client, jobId, { itemIndex }),
		firstFileInField: finished.firstFileInField ?? firstFileInField(context),
	});
	if (outcome.notCompleted) {
		run.hints.add('notCompleted', {
			message: `No result files were downloaded for job ${job.jobId}: ${outcome.notCompleted}`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	if (outcome.missing > 0) {
		run.hints.add('missingFiles', {
			message: `Some result files are missing (for example ${outcome.missing} of job ${job.jobId}): see "fileDownload" in the output items for which files and why.`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return outcome.items;
}
