import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { jobItemsWithFiles } from '../Convertly/files/download';
import type { ConvertlyJob } from '../Convertly/helpers/job';
import { CancelledError, ConvertlyClient } from '../Convertly/transport';

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
			const job = await client.getJob(jobId, { itemIndex });
			const item: INodeExecutionData = { json: { ...event, job }, pairedItem: { item: itemIndex } };
			output.push(downloadResults ? await attachResults.call(this, client, item, job, itemIndex) : item);
		} catch (error) {
			if (!(error instanceof CancelledError) && this.continueOnFail()) {
				output.push(errorItem(error, event, itemIndex));
				continue;
			}
			if (error instanceof NodeApiError) throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
			throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
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
		refreshJob: async () => await client.getJob(job.jobId, { itemIndex }),
	});
	const downloaded = outcome.items[0];
	return {
		json: { ...item.json, fileDownload: downloaded?.json.fileDownload ?? { downloaded: 0 } },
		binary: downloaded?.binary ?? {},
		pairedItem: item.pairedItem,
	};
}

/**
 * Like the Convertly node's error items: only `error` and `details` at the top, so that n8n can
 * route the item to the error output (merged there with the event); the event's id, type and job
 * are in `details` for the regular output.
 */
function errorItem(error: Error, event: IDataObject, itemIndex: number): INodeExecutionData {
	const details: IDataObject = { eventId: event.id ?? null, eventType: event.type ?? null };
	const jobId = (event.data as IDataObject | undefined)?.jobId;
	if (jobId !== undefined) details.jobId = jobId;
	if ((error instanceof NodeApiError || error instanceof NodeOperationError) && error.description) {
		details.description = error.description;
	}
	if (error instanceof NodeApiError && error.httpCode) details.httpCode = error.httpCode;
	return { json: { error: error.message, details }, pairedItem: { item: itemIndex } };
}
