import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { listFolders } from '../../api/folders';
import type { RunContext } from '../../helpers/context';
import { readId } from '../../helpers/ids';
import { folderLocator, optionsCollection } from '../common.descriptions';
import type { OperationMeta } from '../types';

export const meta: OperationMeta = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List the folders directly inside a folder (the root of the library by default), optionally by name',
	action: 'Get many folders',
};

const showFor = { resource: ['folder'], operation: ['getAll'] };

export const description: INodeProperties[] = [
	folderLocator('parentId', 'Parent Folder', showFor, 'List the folders inside this one; empty for the root of the library'),
	optionsCollection(showFor, [
		{ displayName: 'Name Contains', name: 'q', type: 'string', default: '', description: 'Only folders whose name contains this text' },
	]),
];

/** One item per folder, exactly as Convertly lists it. */
export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const parentId = readId(this, 'parentId', itemIndex, 'Parent Folder', true);
	const q = String(this.getNodeParameter('options.q', itemIndex, '') ?? '').trim() || undefined;
	const folders = await listFolders(run.client, { parentId, q }, itemIndex);
	return folders.map((folder) => ({ json: folder, pairedItem: { item: itemIndex } }));
}
