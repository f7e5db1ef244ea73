import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { listJobsPage } from '../../api/jobs';
import type { RunContext } from '../../helpers/context';
import type { OperationMeta } from '../types';

export const meta: OperationMeta = {
	name: 'Get Many',
	value: 'getAll',
	description: "List the account's jobs, newest first, optionally only those with one status",
	action: 'Get many jobs',
};

const showFor = { resource: ['job'], operation: ['getAll'] };

/** Paging rules for GET /api/jobs. Exported so the README, the tests and the code agree. */
export const LIST_LIMITS = {
	/** The largest page Convertly serves (limit is 1–100). */
	pageSize: 100,
	/** Return All stops here: 100 pages of 100 jobs. */
	returnAllMaxJobs: 10_000,
	defaultLimit: 50,
} as const;

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
