import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { deleteFolder } from '../../api/folders';
import { folderSubject } from '../../api/storage';
import type { RunContext } from '../../helpers/context';
import { readId } from '../../helpers/ids';
import { removalOutput } from '../../helpers/removal';
import { folderLocator, ifAlreadyDeletedOption, optionsCollection } from '../common.descriptions';
import type { OperationMeta } from '../types';

export const meta: OperationMeta = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete a folder of the Convertly library',
	action: 'Delete a folder',
};

const showFor = { resource: ['folder'], operation: ['delete'] };

export const description: INodeProperties[] = [
	folderLocator('folderId', 'Folder', showFor, 'The folder to delete', true),
	optionsCollection(showFor, [ifAlreadyDeletedOption('folder')]),
];

export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const folderId = readId(this, 'folderId', itemIndex, 'Folder') as string;
	const ifMissing = this.getNodeParameter('options.ifAlreadyDeleted', itemIndex, 'error') as 'error' | 'output';
	return removalOutput(this, await deleteFolder(run.client, folderId, itemIndex), folderSubject(folderId), itemIndex, ifMissing);
}
