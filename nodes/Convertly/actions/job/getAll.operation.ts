import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { listJobsPage } from '../../api/jobs';
import type { RunContext } from '../../helpers/context';
import { capHint, collectPages, wantedCount } from '../../helpers/paging';
import { LIST_LIMITS, filtersCollection, returnAllDescription } from '../common.descriptions';
import type { OperationMeta } from '../types';

export const meta: OperationMeta = {
	name: 'Get Many',
	value: 'getAll',
	description: "List the account's jobs, newest first, optionally only those with one status",
	action: 'Get many jobs',
};

const showFor = { resource: ['job'], operation: ['getAll'] };

export const description: INodeProperties[] = [
	...returnAllDescription(showFor, 'jobs', 'On a large account, add a Status filter or use a Limit instead.'),
	filtersCollection(showFor, [
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
	]),
];

/** Lists the account's jobs: one item per job, exactly as Convertly returns it. */
export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const { wanted, returnAll } = wantedCount(this, itemIndex, LIST_LIMITS.returnAllMax, LIST_LIMITS.defaultLimit);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as { status?: string };
	const status = filters.status || undefined;
	const { entries: jobs, moreLeft } = await collectPages(wanted, LIST_LIMITS.pageSize, (job) => job.jobId, async (limit, offset) => {
		const page = await listJobsPage(run.client, { limit, offset, status }, itemIndex);
		return { entries: page.jobs, more: page.more };
	});
	if (returnAll) capHint(run.hints, jobs.length, LIST_LIMITS.returnAllMax, moreLeft, 'jobs', 'Add a Status filter to get the jobs you need.');
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
