import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getFile } from '../../api/storage';
import type { RunContext } from '../../helpers/context';
import { readId } from '../../helpers/ids';
import { fileLocator, outputFieldParameter } from '../common.descriptions';
import type { OperationMeta } from '../types';
import { downloadStoredFile } from './download';

export const meta: OperationMeta = {
	name: 'Get',
	value: 'get',
	description: 'Get a stored file by its ID: name, type, size, folder, tags and a short-lived download link, optionally the file itself',
	action: 'Get a file',
};

const showFor = { resource: ['file'], operation: ['get'] };

export const description: INodeProperties[] = [
	fileLocator(showFor, 'The stored file to get: pick one, or give its ID'),
	{
		displayName: 'Download',
		name: 'download',
		type: 'boolean',
		default: false,
		description: 'Whether to download the file into n8n binary data too',
		displayOptions: { show: showFor },
	},
	outputFieldParameter({ ...showFor, download: [true] }, 'The name of the binary field for the downloaded file'),
];

export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const fileId = readId(this, 'fileId', itemIndex, 'File') as string;
	const file = await getFile(run.client, fileId, { itemIndex });
	const item: INodeExecutionData = { json: file, pairedItem: { item: itemIndex } };
	if (this.getNodeParameter('download', itemIndex, false)) {
		const field = (this.getNodeParameter('binaryPropertyOutput', itemIndex, 'data') as string).trim() || 'data';
		item.binary = { [field]: await downloadStoredFile(this, run, file, itemIndex) };
	}
	return [item];
}
