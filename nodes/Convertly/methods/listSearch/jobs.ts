import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { JOB_STATUSES, listJobsPage } from '../../api/jobs';
import { ConvertlyClient } from '../../transport';

/** Paging of the Job ID picker. Exported so the tests and the code agree. */
export const JOB_SEARCH = {
	/** Jobs per page when the list is not filtered (the editor asks for more as you scroll). */
	pageSize: 50,
	/** With a search text, pages of this size are read until enough jobs match … */
	filteredPageSize: 100,
	minFilteredResults: 20,
	/** … or this many pages were read for one answer. */
	maxFilteredPages: 5,
	/** A picker should answer quickly: retries stop after this long. */
	budgetMs: 15_000,
} as const;

/**
 * Job ID → From List (Get): the account's recent jobs, newest first, named like
 * "convert · completed · 3 files · photo.png · 2026-11-28 13:34 UTC". A search text that is a
 * status is sent to Convertly as the status filter; any other text keeps the jobs whose ID starts
 * with it or whose type or status contains it. The pagination token is the offset of the next page.
 */
export async function searchJobs(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = (filter ?? '').trim().toLowerCase();
	const status = (JOB_STATUSES as readonly string[]).includes(text) ? text : undefined;
	return await listJobs(this, { status, localFilter: text !== '' && status === undefined ? text : undefined }, paginationToken);
}

/**
 * Job ID → From List of Job → Cancel: only the jobs that can still be cancelled (pending), asked
 * of Convertly with the status filter; a search text keeps those whose ID starts with it or whose
 * type contains it.
 */
export async function searchCancellableJobs(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = (filter ?? '').trim().toLowerCase();
	return await listJobs(this, { status: 'pending', localFilter: text !== '' && text !== 'pending' ? text : undefined }, paginationToken);
}

async function listJobs(
	context: ILoadOptionsFunctions,
	query: { status?: string; localFilter?: string },
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const client = await ConvertlyClient.create(context, 2);
	const scope = { itemIndex: 0, deadline: Date.now() + JOB_SEARCH.budgetMs };
	const { status, localFilter } = query;
	let offset = Math.max(0, Number.parseInt(paginationToken ?? '0', 10) || 0);

	const results: INodeListSearchItems[] = [];
	for (let pages = 1; ; pages++) {
		const limit = localFilter ? JOB_SEARCH.filteredPageSize : JOB_SEARCH.pageSize;
		const page = await listJobsPage(client, { limit, offset, status }, scope.itemIndex);
		offset += page.jobs.length;
		for (const job of page.jobs) {
			if (typeof job.jobId !== 'string') continue;
			if (localFilter && !matches(job, localFilter)) continue;
			results.push({ name: jobLabel(job), value: job.jobId, description: job.jobId });
		}
		const enough = !localFilter || results.length >= JOB_SEARCH.minFilteredResults || pages >= JOB_SEARCH.maxFilteredPages;
		if (!page.more) return { results };
		if (enough) return { results, paginationToken: String(offset) };
	}
}

function matches(job: IDataObject, text: string): boolean {
	const id = String(job.jobId ?? '').toLowerCase();
	const type = String(job.jobType ?? '').toLowerCase();
	const status = String(job.status ?? '').toLowerCase();
	return id.startsWith(text) || type.includes(text) || type.replace(/_/g, ' ').includes(text) || status.includes(text);
}

/**
 * "convert · completed · 3 files · photo.png · 2026-11-28 13:34 UTC". The first file's name is
 * shown where the listed job carries one (`results[0].filename` or `filename`); Convertly's job
 * list summaries do not, so it usually stays out.
 */
export function jobLabel(job: IDataObject): string {
	const parts: string[] = [];
	const type = typeof job.jobType === 'string' ? job.jobType.replace(/_/g, ' ') : 'job';
	parts.push(job.jobType === 'media_tool' && typeof job.tool === 'string' ? `${type} (${job.tool})` : type);
	if (typeof job.status === 'string') parts.push(job.status);
	if (typeof job.totalFiles === 'number') parts.push(`${job.totalFiles} ${job.totalFiles === 1 ? 'file' : 'files'}`);
	const fileName = firstFileName(job);
	if (fileName) parts.push(fileName.length > 40 ? `${fileName.slice(0, 39)}…` : fileName);
	const created = typeof job.createdAt === 'string' || typeof job.createdAt === 'number' ? new Date(job.createdAt) : undefined;
	if (created && !Number.isNaN(created.getTime())) parts.push(`${created.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
	else parts.push(String(job.jobId).slice(0, 8));
	return parts.join(' · ');
}

function firstFileName(job: IDataObject): string | undefined {
	const first = Array.isArray(job.results) ? (job.results[0] as IDataObject | undefined) : undefined;
	const name = typeof first?.filename === 'string' ? first.filename : job.filename;
	return typeof name === 'string' && name.trim() !== '' ? name.trim() : undefined;
}
