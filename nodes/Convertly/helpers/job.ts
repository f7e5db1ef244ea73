import type { IDataObject } from 'n8n-workflow';

/** A job as Convertly returns it. Only the fields the node reads are named; all others are kept. */
export interface ConvertlyJob extends IDataObject {
	jobId: string;
	status: string;
	totalFiles?: number;
	completedFiles?: number;
	failedFiles?: number;
	progress?: number;
	errorMessage?: string | null;
	results?: IDataObject | IDataObject[] | null;
}

export const TERMINAL_STATUSES = ['completed', 'failed'];

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
