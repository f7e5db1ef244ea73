import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { updateFile } from '../../api/files';
import type { RunContext } from '../../helpers/context';
import { readId } from '../../helpers/ids';
import { fileLocator } from '../common.descriptions';
import type { OperationMeta } from '../types';

export const meta: OperationMeta = {
	name: 'Update',
	value: 'update',
	description: 'Rename a stored file, or change its description, tags or CDN slug',
	action: 'Update a file',
};

const showFor = { resource: ['file'], operation: ['update'] };

export const description: INodeProperties[] = [
	fileLocator(showFor, 'The stored file to change'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{ displayName: 'CDN Slug', name: 'cdnSlug', type: 'string', default: '', description: 'The name in the file’s CDN address; unique in the account' },
			{ displayName: 'Description', name: 'description', type: 'string', typeOptions: { rows: 3 }, default: '', description: 'Up to 5,000 characters' },
			{ displayName: 'File Name', name: 'filename', type: 'string', default: '', description: 'The new file name' },
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				typeOptions: { multipleValues: true },
				default: [],
				description: 'The tags the file has afterwards (up to 50, each up to 80 characters); they replace the old ones',
			},
		],
	},
];

/** Sends only the fields set (PATCH). */
export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const fileId = readId(this, 'fileId', itemIndex, 'File') as string;
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const changes: IDataObject = {};
	for (const name of ['filename', 'description', 'cdnSlug']) if (typeof fields[name] === 'string') changes[name] = fields[name];
	if (fields.tags !== undefined) {
		const tags = Array.isArray(fields.tags) ? fields.tags : String(fields.tags).split(',');
		changes.tags = tags.map((tag) => String(tag).trim()).filter((tag) => tag !== '');
	}
	if (Object.keys(changes).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Nothing to change: add a field under Update Fields', { itemIndex });
	}
	return [{ json: await updateFile(run.client, fileId, changes, itemIndex), pairedItem: { item: itemIndex } }];
}
