import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ConvertlyClient } from '../../transport';
import { notConvertlyError } from '../../transport/errors';
import type { RunContext } from '../types';

const showFor = { resource: ['job'], operation: ['getAll'] };

/** Paging rules for GET /api/jobs. Exported so the README, the tests and the code agree. */
export const LIST_LIMITS = {
	/** The largest page Convertly serves (limit is 1–100). */
	pageSize: 100,
	/** Return All stops here: 100 pages of 100 jobs. */
	returnAllMaxJobs: 10_000,
	defaultLimit: 50,
} as const;

export const JOB_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;

export const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show: showFor },
	},
	{
		displayName: `Return All reads every page of the job list (100 jobs per request, at most ${LIST_LIMITS.returnAllMaxJobs.toLocaleString('en-US')} jobs). On a large account, add a Status filter or use a Limit instead.`,
		name: 'returnAllNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...showFor, returnAll: [true] } },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { ...showFor, returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'failed',
				description: 'Only jobs with this status (Convertly filters them, newest first)',
				options: [
					{ name: 'Completed', value: 'completed' },
					{ name: 'Failed', value: 'failed' },
					{ name: 'Pending', value: 'pending' },
					{ name: 'Processing', value: 'processing' },
				],
			},
		],
	},
];

export interface JobPage {
	jobs: IDataObject[];
	/** Whether Convertly says (or the page size suggests) there are more jobs after this page. */
	more: boolean;
}

/**
 * Reads one page of GET /api/jobs. "More" comes from `pagination.hasMore` when present, else
 * from `pagination.total`, else from whether the page came back full (the shape is partly
 * undocumented, so all three are handled).
 */
export async function listJobsPage(
	client: ConvertlyClient,
	query: { limit: number; offset: number; status?: string },
	itemIndex: number,
): Promise<JobPage> {
	const qs: IDataObject = { limit: query.limit, offset: query.offset };
	if (query.status) qs.status = query.status;
	const response = await client.request({ method: 'GET', path: '/api/jobs', qs }, { itemIndex });
	const { jobs, pagination } = response.body;
	if (!Array.isArray(jobs)) {
		throw notConvertlyError(
			client.node,
			{ kind: 'response', statusCode: response.statusCode, body: response.body, headers: response.headers },
			{ baseUrl: client.baseUrl, itemIndex },
		);
	}
	const list = jobs.filter((job): job is IDataObject => typeof job === 'object' && job !== null && !Array.isArray(job));
	let more = list.length >= query.limit;
	if (typeof pagination === 'object' && pagination !== null && !Array.isArray(pagination)) {
		const { hasMore, total } = pagination as IDataObject;
		if (typeof hasMore === 'boolean') more = hasMore;
		else if (typeof total === 'number') more = query.offset + list.length < total;
	}
	// A page without jobs ends the list whatever it claims, so a wrong hasMore cannot loop.
	return { jobs: list, more: more && list.length > 0 };
}

/** Lists the account's jobs: one item per job, exactly as Convertly returns it. */
export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const wanted = returnAll
		? LIST_LIMITS.returnAllMaxJobs
		: (this.getNodeParameter('limit', itemIndex, LIST_LIMITS.defaultLimit) as number);
	if (!Number.isInteger(wanted) || wanted < 1) {
		throw new NodeOperationError(this.getNode(), `Limit must be a whole number of at least 1, not ${wanted}`, { itemIndex });
	}
	const filters = this.getNodeParameter('filters', itemIndex, {}) as { status?: string };
	const status = filters.status || undefined;

	const jobs: IDataObject[] = [];
	const seen = new Set<unknown>();
	let offset = 0;
	let moreLeft = false;
	for (;;) {
		const limit = Math.min(LIST_LIMITS.pageSize, wanted - jobs.length);
		const page = await listJobsPage(run.client, { limit, offset, status }, itemIndex);
		let added = 0;
		for (const job of page.jobs) {
			// A job that moved up a page while paging (a new job arrived) would come twice.
			if (job.jobId !== undefined && seen.has(job.jobId)) continue;
			seen.add(job.jobId);
			if (jobs.length < wanted) {
				jobs.push(job);
				added++;
			}
		}
		offset += page.jobs.length;
		moreLeft = page.more;
		if (!page.more || jobs.length >= wanted || added === 0) break;
	}

	if (returnAll && jobs.length >= LIST_LIMITS.returnAllMaxJobs && moreLeft) {
		run.hints.add('listCapped', {
			message: `Return All stopped at ${LIST_LIMITS.returnAllMaxJobs.toLocaleString('en-US')} jobs; the account has more. Add a Status filter to get the jobs you need.`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	if (jobs.length === 0) {
		run.hints.add('noJobs', {
			message: status
				? `Convertly has no ${status} jobs for this API key, so the node output no items.`
				: 'Convertly has no jobs for this API key, so the node output no items.',
			type: 'info',
			location: 'outputPane',
		});
	}
	return jobs.map((job) => ({ json: job, pairedItem: { item: itemIndex } }));
}
