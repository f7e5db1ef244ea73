import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { ConvertlyJob } from './job';

export type OutputMode = 'job' | 'results';

/**
 * Turns a job into output items. "job": the job exactly as returned. "results": one item per
 * entry when `results` is an array, one item when it is an object, none when it is null or absent;
 * each carries the job's `jobId` so items can be traced back.
 */
export function jobToItems(
	job: ConvertlyJob,
	mode: OutputMode,
	itemIndex: number,
	extra: IDataObject = {},
): INodeExecutionData[] {
	const pairedItem = { item: itemIndex };
	if (mode === 'job') return [{ json: { ...job, ...extra }, pairedItem }];

	const { results } = job;
	if (results === null || results === undefined) return [];
	const entries = Array.isArray(results) ? results : [results];
	return entries.map((entry) => ({
		json: { ...asObject(entry), jobId: job.jobId, ...extra },
		pairedItem,
	}));
}

function asObject(entry: unknown): IDataObject {
	if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) return entry as IDataObject;
	return { value: entry as IDataObject[string] };
}
