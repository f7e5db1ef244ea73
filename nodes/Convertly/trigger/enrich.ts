import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getJob } from '../api/jobs';
import { errorItem, rethrowable } from '../helpers/errors';
import { jobItemsWithFiles } from '../jobs/files';
import type { ConvertlyJob } from '../jobs/job';
import { CancelledError, ConvertlyClient } from '../transport';

export const TEST_EVENT_NOTE =
	'This is a test event from the Convertly dashboard (Send test event): its job ID is all zeros and names no job, so no job was fetched. Real events carry the ID of a job.';

/**
 * The dashboard's "Send test event" names a job whose ID is all zeros (the nil UUID; the
 * simulator used 00000000-0000-4000-8000-000000000000): no such job exists, so it is not fetched.
 */
export function isTestEvent(jobId: string): boolean {
	return /^0{8}-0{4}-[04]0{3}-[08]0{3}-0{12}$/i.test(jobId);
}

/**
 * Adds the full job (`job`) to each event, read with the Convertly API credential through the
 * Convertly node's own client (retries, rate limits, error messages), and optionally the job's
 * result files as binary data.
 */
export async function enrichEvents(
	this: IExecuteFunctions,
	items: Array<INodeExecutionData & { json: IDataObject }>,
	downloadResults: boolean,
): Promise<INodeExecutionData[]> {
	const client = await ConvertlyClient.create(this, 5, this.getExecutionCancelSignal());
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const event = items[itemIndex].json;
		try {
			const data = event.data as IDataObject | undefined;
			const jobId = typeof data?.jobId === 'string' ? data.jobId.trim() : '';
			if (jobId === '') {
				throw new NodeOperationError(this.getNode(), `The ${String(event.type)} event has no data.jobId to fetch`, {
					itemIndex,
					description: 'Only job events (conversions, media tools) name a job. Turn off "Fetch Job" for other events.',
				});
			}
			if (isTestEvent(jobId)) {
				output.push({ json: { ...event, job: null, note: TEST_EVENT_NOTE }, pairedItem: { item: itemIndex } });
				continue;
			}
			const job = await getJob(client, jobId, { itemIndex });
			const item: INodeExecutionData = { json: { ...event, job }, pairedItem: { item: itemIndex } };
			output.push(downloadResults ? await attachResults.call(this, client, item, job, itemIndex) : item);
		} catch (error) {
			if (!(error instanceof CancelledError) && this.continueOnFail()) {
				output.push(eventErrorItem(error, event, itemIndex));
				continue;
			}
			throw rethrowable(this.getNode(), error as Error, itemIndex);
		}
	}
	return output;
}

/**
 * The job's result files as binary data, through the Convertly node's download module (same
 * origin rules: the API key only ever goes to the Base URL's origin; expired links renewed once).
 * Fields are named like Job → Get's Output "Job": data_0, data_1, …
 */
async function attachResults(
	this: IExecuteFunctions,
	client: ConvertlyClient,
	item: INodeExecutionData,
	job: ConvertlyJob,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const binaryField = (this.getNodeParameter('binaryPropertyOutput', itemIndex, 'data') as string).trim() || 'data';
	const outcome = await jobItemsWithFiles(this, client, {
		job,
		output: 'job',
		binaryField,
		pairedItem: { item: itemIndex },
		itemIndex,
		refreshJob: async () => await getJob(client, job.jobId, { itemIndex }),
	});
	const downloaded = outcome.items[0];
	return {
		json: { ...item.json, fileDownload: downloaded?.json.fileDownload ?? { downloaded: 0 } },
		binary: downloaded?.binary ?? {},
		pairedItem: item.pairedItem,
	};
}

/**
 * Like the Convertly node's error items; a trigger has no input item for n8n to merge into it, so
 * the event's id, type and job go in `details`.
 */
function eventErrorItem(error: Error, event: IDataObject, itemIndex: number): INodeExecutionData {
	const jobId = (event.data as IDataObject | undefined)?.jobId;
	return errorItem(error, { item: itemIndex }, {
		eventId: event.id ?? null,
		eventType: event.type ?? null,
		...(jobId !== undefined ? { jobId } : {}),
	});
}
