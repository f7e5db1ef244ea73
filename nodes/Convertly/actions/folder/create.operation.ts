import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { createFolder } from '../../api/folders';
import type { RunContext } from '../../helpers/context';
import { readId } from '../../helpers/ids';
import { folderLocator, optionsCollection } from '../common.descriptions';
import type { OperationMeta } from '../types';

export const meta: OperationMeta = {
	name: 'Create',
	value: 'create',
	description: 'Create a folder in the Convertly library, at the root or inside another folder',
	action: 'Create a folder',
};

const showFor = { resource: ['folder'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Client photos',
		description: 'The name of the new folder',
		displayOptions: { show: showFor },
	},
	folderLocator('parentId', 'Parent Folder', showFor, 'The folder to create it in; empty for the root of the library'),
	optionsCollection(showFor, [
		{ displayName: 'Color', name: 'color', type: 'color', default: '#6366f1', description: 'The colour the dashboard shows the folder in' },
	]),
];

export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const name = String(this.getNodeParameter('name', itemIndex, '') ?? '').trim();
	if (name === '') throw new NodeOperationError(this.getNode(), 'The folder Name is empty', { description: 'Give the folder a name.', itemIndex });
	const body: IDataObject = { name };
	const parentId = readId(this, 'parentId', itemIndex, 'Parent Folder', true);
	if (parentId) body.parentId = parentId;
	const color = this.getNodeParameter('options.color', itemIndex, '') as string;
	if (color) body.color = color;
	return [{ json: await createFolder(run.client, body, itemIndex), pairedItem: { item: itemIndex } }];
}
