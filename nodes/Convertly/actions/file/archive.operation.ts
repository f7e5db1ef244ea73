import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { record } from '../../api/answer';
import { sanitiseFileName } from '../../files/fileName';
import type { RunContext } from '../../helpers/context';
import { readId } from '../../helpers/ids';
import { folderLocator, outputFieldParameter } from '../common.descriptions';
import type { OperationMeta } from '../types';

export const meta: OperationMeta = {
	name: 'Archive',
	value: 'archive',
	description: 'Pack stored files (chosen by ID, or a whole folder) into one ZIP, TAR or TGZ archive, as a file or stored in the library',
	action: 'Archive files',
};

const showFor = { resource: ['file'], operation: ['archive'] };

const MIME: Record<string, string> = { zip: 'application/zip', tar: 'application/x-tar', tgz: 'application/gzip' };

export const description: INodeProperties[] = [
	{
		displayName: 'File IDs',
		name: 'fileIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. 8d2b4c47-…, 1a9e33f0-…',
		description: 'The stored files to pack, comma-separated; leave empty to pack a folder',
		displayOptions: { show: showFor },
	},
	folderLocator('folderId', 'Folder', showFor, 'With no File IDs: the folder to pack; both empty packs the files at the root of the library'),
	{ displayName: 'Include Subfolders', name: 'recursive', type: 'boolean', default: true, description: 'Whether subfolders go in too, keeping the folder structure', displayOptions: { show: showFor } },
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		default: 'zip',
		options: [
			{ name: 'TAR', value: 'tar' },
			{ name: 'TGZ (TAR + Gzip)', value: 'tgz' },
			{ name: 'ZIP', value: 'zip' },
		],
		description: 'The archive format',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Save to Library',
		name: 'saveToFiles',
		type: 'boolean',
		default: false,
		description: 'Whether Convertly stores the archive as a new file (the output is its record) instead of sending it to n8n',
		displayOptions: { show: showFor },
	},
	outputFieldParameter({ ...showFor, saveToFiles: [false] }, 'The binary field for the archive'),
];

/** POST /api/files/zip: the archive streamed into n8n binary data, or with Save to Library the stored record. */
export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const fileIds = String(this.getNodeParameter('fileIds', itemIndex, '') ?? '')
		.split(',')
		.map((id) => id.trim())
		.filter((id) => id !== '');
	const folderId = readId(this, 'folderId', itemIndex, 'Folder', true);
	if (fileIds.length > 0 && folderId) {
		throw new NodeOperationError(this.getNode(), 'Give File IDs or a Folder, not both', {
			description: 'Convertly packs either the files named or a folder. Empty both to pack the files at the root.',
			itemIndex,
		});
	}
	const format = this.getNodeParameter('format', itemIndex, 'zip') as string;
	const saveToFiles = this.getNodeParameter('saveToFiles', itemIndex, false) as boolean;
	const body: IDataObject = { recursive: this.getNodeParameter('recursive', itemIndex, true), format, saveToFiles };
	if (fileIds.length > 0) body.fileIds = fileIds;
	else if (folderId) body.folderId = folderId;
	const pairedItem = { item: itemIndex };
	if (saveToFiles) {
		const response = await run.client.request({ method: 'POST', path: '/api/files/zip', body: async () => body, repeatable: false }, { itemIndex });
		return [{ json: record(run.client, response, 'file', itemIndex), pairedItem }];
	}
	const fallbackName = `convertly-archive.${format}`;
	const result = await run.client.download(
		`${run.client.baseUrl}/api/files/zip`,
		// Reading an archive changes nothing, so it is repeated like a read after a 5xx.
		{ itemIndex, subject: `archive "${fallbackName}"`, post: body },
		async (stream, headers) => {
			const named = /filename="?([^";]+)"?/i.exec(String(headers['content-disposition'] ?? ''))?.[1];
			const fileName = sanitiseFileName(named, fallbackName);
			return await this.helpers.prepareBinaryData(stream, fileName, MIME[format] ?? 'application/octet-stream');
		},
	);
	if (result.kind !== 'ok') {
		throw new NodeOperationError(this.getNode(), `Convertly refused the archive (HTTP ${result.statusCode})`, {
			description: 'Check that the File IDs or the Folder exist in the account that owns the API key.',
			itemIndex,
		});
	}
	const field = (this.getNodeParameter('binaryPropertyOutput', itemIndex, 'data') as string).trim() || 'data';
	return [{ json: { format, ...(fileIds.length > 0 ? { fileIds } : folderId ? { folderId } : {}), fileName: result.value.fileName }, binary: { [field]: result.value }, pairedItem }];
}
