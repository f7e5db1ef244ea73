import type { IDataObject, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import type { ConvertlyJob } from './job';

export type OutputMode = 'job' | 'results';

/**
 * The entries "Output: Results" makes items of: each element when `results` is an array, the
 * object itself when it is one, none when it is null or absent. Non-objects become `{ value }`.
 */
export function resultEntries(job: ConvertlyJob): IDataObject[] {
	const { results } = job;
	if (results === null || results === undefined) return [];
	const entries: unknown[] = Array.isArray(results) ? results : [results];
	return entries.map(asObject);
}

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

function asObject(entry: unknown): IDataObject {
	if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) return entry as IDataObject;
	return { value: entry as IDataObject[string] };
}
