import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { updateFolder } from '../../api/folders';
import { folderSubject } from '../../api/storage';
import type { RunContext } from '../../helpers/context';
import { readId } from '../../helpers/ids';
import { folderLocator, optionsCollection } from '../common.descriptions';
import type { OperationMeta } from '../types';

export const meta: OperationMeta = {
	name: 'Update',
	value: 'update',
	description: 'Rename a folder, or move it into another folder or to the root',
	action: 'Rename or move a folder',
};

const showFor = { resource: ['folder'], operation: ['update'] };

export const description: INodeProperties[] = [
	folderLocator('folderId', 'Folder', showFor, 'The folder to rename or move', true),
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'e.g. Archive 2026',
		description: 'The new name; empty keeps the name',
		displayOptions: { show: showFor },
	},
	folderLocator('parentId', 'Move Into Folder', showFor, 'The folder to move it into; empty leaves it where it is'),
	optionsCollection(showFor, [
		{
			displayName: 'Move to Root',
			name: 'moveToRoot',
			type: 'boolean',
			default: false,
			description: 'Whether to move the folder to the root of the library (instead of into a folder)',
		},
	]),
];

/** Sends only what changes: the name when given, the parent when given (or the root). */
export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const folderId = readId(this, 'folderId', itemIndex, 'Folder') as string;
	const body: IDataObject = {};
	const name = String(this.getNodeParameter('name', itemIndex, '') ?? '').trim();
	if (name) body.name = name;
	const parentId = readId(this, 'parentId', itemIndex, 'Move Into Folder', true);
	if (this.getNodeParameter('options.moveToRoot', itemIndex, false)) body.parentId = null;
	else if (parentId) body.parentId = parentId;
	if (Object.keys(body).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Nothing to change: set a Name, a folder to move into, or Move to Root', { itemIndex });
	}
	if (parentId && parentId === folderId) {
		throw new NodeOperationError(this.getNode(), `A folder cannot be moved into itself (${folderSubject(folderId).id})`, { itemIndex });
	}
	return [{ json: await updateFolder(run.client, folderId, body, itemIndex), pairedItem: { item: itemIndex } }];
}
