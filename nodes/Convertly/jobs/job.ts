import type { IDataObject } from 'n8n-workflow';

import type { ConvertlyJob } from '../api/jobs';

export type { ConvertlyJob } from '../api/jobs';

/**
 * Statuses after which a job never changes. Convertly documents completed and failed; a job
 * cancelled while pending can never finish either (its status after cancelling is undocumented,
 * "cancelled" is the likely one), so a wait must not spin on it until the timeout.
 */
export const TERMINAL_STATUSES = ['completed', 'failed', 'cancelled', 'canceled'];

export function isCancelled(job: ConvertlyJob): boolean {
	return job.status === 'cancelled' || job.status === 'canceled';
}

export function isTerminal(job: ConvertlyJob): boolean {
	return TERMINAL_STATUSES.includes(job.status);
}

/** "4 of 10 files done (1 failed)": the counters a user needs to judge a job at a glance. */
export function describeFiles(job: ConvertlyJob): string {
	if (typeof job.totalFiles !== 'number') return 'file counts unknown';
	const done = (job.completedFiles ?? 0) + (job.failedFiles ?? 0);
	const failed = job.failedFiles ? ` (${job.failedFiles} failed)` : '';
	return `${done} of ${job.totalFiles} files done${failed}`;
}

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

function asObject(entry: unknown): IDataObject {
	if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) return entry as IDataObject;
	return { value: entry as IDataObject[string] };
}
