import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { defaultIdempotencyKey } from '../../files/idempotency';
import { LARGE_UPLOAD_BYTES, uploadFile, uploadLargeFile } from '../../files/store';
import { readInputFiles } from '../../files/upload';
import type { RunContext } from '../../helpers/context';
import { readId } from '../../helpers/ids';
import { folderLocator } from '../common.descriptions';
import type { OperationMeta } from '../types';

export const meta: OperationMeta = {
	name: 'Upload',
	value: 'upload',
	description: 'Store a file of the input item in the Convertly library, in a folder or at the root; large files are streamed in parts',
	action: 'Upload a file',
};

const showFor = { resource: ['file'], operation: ['upload'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The binary field of the input item that holds the file',
		description: 'Name of the binary field holding the file to store, usually data',
		displayOptions: { show: showFor },
	},
	folderLocator('folderId', 'Folder', showFor, 'The folder to store it in; empty for the root of the library'),
];

/**
 * Small files go as one request; from LARGE_UPLOAD_BYTES on, in Convertly's 3 steps. The plain
 * request is never repeated after a lost answer (a repeat would store the file twice); the 3-step
 * path repeats only its safe steps.
 */
export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const files = await readInputFiles(this, itemIndex, this.getNodeParameter('binaryPropertyName', itemIndex));
	if (files.length !== 1) {
		throw new NodeOperationError(this.getNode(), 'Upload stores one file per item, but Input Binary Field names several', {
			description: 'Set Input Binary Field to one field, e.g. data.',
			itemIndex,
		});
	}
	const [file] = files;
	const folderId = readId(this, 'folderId', itemIndex, 'Folder', true);
	const stored =
		file.size >= LARGE_UPLOAD_BYTES
			? await uploadLargeFile(run.client, file, folderId, itemIndex)
			: await uploadFile(run.client, file, folderId, defaultIdempotencyKey(this, [itemIndex], files, [['folderId', folderId ?? '']]), itemIndex);
	return [{ json: stored, pairedItem: { item: itemIndex } }];
}
