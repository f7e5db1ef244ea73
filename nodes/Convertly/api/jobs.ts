import type { IDataObject } from 'n8n-workflow';

import type { ApiResponse, ConvertlyClient, RequestScope, Subject } from '../transport';
import { isJsonObject } from '../transport';
import { wrongAnswer } from './answer';
import { listPage } from './list';

/** A job as Convertly returns it (GET /api/jobs/{id}). Only the fields the node reads are named; all others are kept. */
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

/** Statuses Convertly documents for a job (and accepts as the list's `status` filter). */
export const JOB_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;

/** How a job is named when Convertly does not know it. */
export function jobSubject(jobId: string): Subject {
	return {
		label: 'Job',
		id: jobId,
		notFoundHint:
			'No job with this ID exists in the Convertly account that owns the API key. Check the Job ID (or the expression that produces it) and that the key belongs to the same account.',
	};
}

/** One path segment, whatever the id contains, so no value can reach another endpoint. */
function jobPath(jobId: string): string {
	return `/api/jobs/${encodeURIComponent(jobId)}`;
}

/** GET /api/jobs/{id}: the job, or an error when the answer is not one. */
export async function getJob(client: ConvertlyClient, jobId: string, scope: RequestScope): Promise<ConvertlyJob> {
	const response = await client.request({ method: 'GET', path: jobPath(jobId), about: jobSubject(jobId) }, scope);
	if (!isJob(response.body)) throw wrongAnswer(client, response, scope.itemIndex);
	return response.body;
}

/**
 * DELETE /api/jobs/{id}. Cancelling twice has the same effect as once, so a repeat after a lost
 * answer is safe; 409 (no longer pending) comes back to the caller.
 */
export async function cancelJob(client: ConvertlyClient, jobId: string, itemIndex: number): Promise<ApiResponse> {
	return await client.request(
		{ method: 'DELETE', path: jobPath(jobId), about: jobSubject(jobId), repeatable: true, acceptStatuses: [409] },
		{ itemIndex },
	);
}

/** One page of GET /api/jobs, newest first. */
export async function listJobsPage(
	client: ConvertlyClient,
	query: { limit: number; offset: number; status?: string },
	itemIndex: number,
): Promise<{ jobs: IDataObject[]; more: boolean }> {
	const page = await listPage(client, '/api/jobs', 'jobs', query.status ? { status: query.status } : {}, query, itemIndex);
	return { jobs: page.entries, more: page.more };
}

/** The id of a job Convertly just created, or an error when the answer names none. */
export function createdJobId(client: ConvertlyClient, response: ApiResponse, itemIndex: number): string {
	const { jobId } = response.body;
	if (typeof jobId !== 'string' || jobId === '') throw wrongAnswer(client, { ...response, statusCode: 200, headers: {} }, itemIndex);
	return jobId;
}

export function isJob(body: unknown): body is ConvertlyJob {
	return isJsonObject(body) && typeof body.status === 'string';
}
