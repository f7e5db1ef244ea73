import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { createdJobId } from '../api/jobs';
import { idempotencyKey } from '../files/idempotency';
import type { InputFile } from '../files/upload';
import { postForm } from '../files/upload';
import type { RunContext } from '../helpers/context';
import type { ConvertlyJob } from './job';
import { jobOutput } from './output';
import { awaitCompletion, wantsToWait } from './wait';

export interface JobCreation {
	/** The endpoint that creates the job, e.g. /api/jobs. */
	path: string;
	fields: Array<[string, string]>;
	/** The multipart field the files go in. */
	fileField: string;
	files: InputFile[];
	/** The items whose files these are; the first one's settings decide waiting and output. */
	itemIndexes: number[];
	/** Fields never to reach the derived Idempotency-Key, even hashed (secrets). */
	secretFields?: string[];
}

/**
 * Creates a job from files and finishes it as the item's settings say: POST with an
 * Idempotency-Key (the user's, or derived), the job id checked, then optionally Wait for
 * Completion, then the job as output items, with its result files when Download Result Files is on.
 */
export async function createAndFinish(context: IExecuteFunctions, run: RunContext, creation: JobCreation): Promise<INodeExecutionData[]> {
	const { itemIndexes, files, fields } = creation;
	const itemIndex = itemIndexes[0];
	const keyFields = fields.filter(([name]) => !(creation.secretFields ?? []).includes(name));
	const response = await postForm(run.client, {
		path: creation.path,
		fields,
		fileField: creation.fileField,
		files,
		idempotencyKey: idempotencyKey(context, 'options.idempotencyKey', itemIndexes, files, keyFields),
		itemIndex,
	});
	const jobId = createdJobId(run.client, response, itemIndex);
	let job = response.body as ConvertlyJob;
	let extra: IDataObject = {};
	if (wantsToWait(context, itemIndex)) {
		({ job, extra } = await awaitCompletion(context, run, jobId, itemIndex));
	}
	return await jobOutput(context, run, { job, jobId, itemIndex, pairedItem: { item: itemIndex }, extra });
}
