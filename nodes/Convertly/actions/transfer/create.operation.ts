import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { downloadLinkedFiles, linkedFiles, outputField } from '../../files/download';
import { idempotencyKey } from '../../files/idempotency';
import type { RunContext } from '../../helpers/context';
import { readId } from '../../helpers/ids';
import type { ConvertlyJob } from '../../jobs/job';
import { jobOutput } from '../../jobs/output';
import { awaitCompletion, waitingItemsInParallel, wantsToWait } from '../../jobs/wait';
import { downloadDescription, folderLocator, idempotencyKeyOption, optionsCollection, waitDescription } from '../common.descriptions';
import type { OperationMeta } from '../types';

export const meta: OperationMeta = {
	name: 'Import From URL',
	value: 'create',
	description: 'Import a file from a public URL into the Convertly library (optionally unpacking a ZIP), and optionally wait for it and download it',
	action: 'Import a file from a URL',
};

const showFor = { resource: ['transfer'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Source URL',
		name: 'sourceUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/files/catalogue.zip',
		hint: 'Convertly fetches the file itself; it never passes through n8n',
		description: 'A public http:// or https:// address of the file',
		displayOptions: { show: showFor },
	},
	folderLocator('targetFolderId', 'Folder', showFor, 'The folder to store it in; empty for the root of the library'),
	{
		displayName: 'Unpack ZIP',
		name: 'extract',
		type: 'boolean',
		default: false,
		description: 'Whether the file is a ZIP archive whose entries are each stored as a file, in a folder of their own',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Extract Options',
		name: 'extractOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { ...showFor, extract: [true] } },
		options: [
			{ displayName: 'Folder Name', name: 'folderName', type: 'string', default: '', description: 'The folder the entries go in (by default named after the archive)' },
			{ displayName: 'Keep Paths', name: 'preservePaths', type: 'boolean', default: true, description: 'Whether the ZIP’s own folders become subfolders' },
		],
	},
	...waitDescription(showFor),
	...downloadDescription(showFor, 'stored'),
	optionsCollection(showFor, [
		{ displayName: 'Content Type', name: 'contentType', type: 'string', default: '', placeholder: 'e.g. application/pdf', description: 'The MIME type to store it with, when the server does not say' },
		{ displayName: 'File Name', name: 'filename', type: 'string', default: '', placeholder: 'e.g. catalogue.pdf', description: 'The name to store it under (by default from the URL)' },
		idempotencyKeyOption(
			'Requests with the same key give back the same import instead of starting another. Empty: the node derives one, so that its own retries never import twice.',
		),
	]),
];

export const itemsInParallel = waitingItemsInParallel;

/**
 * POST /api/transfer to Convertly Storage. Convertly answers `202 { jobId, status, mode }` for a
 * queued import (then Wait for Completion waits for the job) or the stored file(s) at once;
 * both are handled. The request carries an Idempotency-Key and is retried like Job → Create.
 */
export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const sourceUrl = String(this.getNodeParameter('sourceUrl', itemIndex, '') ?? '').trim();
	if (!/^https?:\/\/[^/]/i.test(sourceUrl)) {
		throw new NodeOperationError(this.getNode(), `Source URL must be an http:// or https:// address, not ${JSON.stringify(sourceUrl.slice(0, 80))}`, {
			itemIndex,
		});
	}
	const body: IDataObject = { sourceUrl, destination: 'convertly-storage' };
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	for (const name of ['filename', 'contentType']) if (typeof options[name] === 'string' && options[name] !== '') body[name] = options[name];
	const targetFolderId = readId(this, 'targetFolderId', itemIndex, 'Folder', true);
	if (this.getNodeParameter('extract', itemIndex, false)) {
		body.extract = true;
		const extractOptions = { ...(this.getNodeParameter('extractOptions', itemIndex, {}) as IDataObject) };
		if (targetFolderId) extractOptions.targetFolderId = targetFolderId;
		body.extractOptions = extractOptions;
	} else if (targetFolderId) {
		body.targetFolderId = targetFolderId;
	}
	// The same URL is the same import within this execution, a new one in another.
	const keyFields = Object.entries(body).map(([name, value]): [string, string] => [name, JSON.stringify(value)]);
	keyFields.push(['n8nExecution', String(this.getExecutionId() ?? '')]);
	const response = await run.client.request(
		{
			method: 'POST',
			path: '/api/transfer',
			headers: { 'Idempotency-Key': idempotencyKey(this, 'options.idempotencyKey', [itemIndex], [], keyFields) },
			body: async () => body,
			repeatable: true,
		},
		{ itemIndex },
	);
	const answer = response.body;
	const pairedItem = { item: itemIndex };
	if (typeof answer.jobId === 'string' && answer.jobId !== '') {
		let job = answer as ConvertlyJob;
		let extra: IDataObject = {};
		if (wantsToWait(this, itemIndex)) ({ job, extra } = await awaitCompletion(this, run, answer.jobId, itemIndex));
		return await jobOutput(this, run, { job, jobId: answer.jobId, itemIndex, pairedItem, extra, firstFileInField: true });
	}
	if (!this.getNodeParameter('downloadResults', itemIndex, true)) return [{ json: answer, pairedItem }];
	const field = (this.getNodeParameter('binaryPropertyOutput', itemIndex, 'data') as string).trim() || 'data';
	const binaries = await downloadLinkedFiles(this, run.client, linkedFiles([answer]), { itemIndex, kind: 'stored file' });
	const binary: Record<string, IBinaryData> = {};
	binaries.forEach((data, position) => {
		if (data) binary[outputField(field, position, true)] = data;
	});
	return [{ json: answer, binary, pairedItem }];
}
