import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { deleteFile } from '../../api/files';
import { fileSubject } from '../../api/storage';
import type { RunContext } from '../../helpers/context';
import { readId } from '../../helpers/ids';
import { removalOutput } from '../../helpers/removal';
import { fileLocator, ifAlreadyDeletedOption, optionsCollection } from '../common.descriptions';
import type { OperationMeta } from '../types';

export const meta: OperationMeta = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete a stored file from the Convertly library',
	action: 'Delete a file',
};

const showFor = { resource: ['file'], operation: ['delete'] };

export const description: INodeProperties[] = [fileLocator(showFor, 'The stored file to delete'), optionsCollection(showFor, [ifAlreadyDeletedOption('file')])];

export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const fileId = readId(this, 'fileId', itemIndex, 'File') as string;
	const ifMissing = this.getNodeParameter('options.ifAlreadyDeleted', itemIndex, 'error') as 'error' | 'output';
	return removalOutput(this, await deleteFile(run.client, fileId, itemIndex), fileSubject(fileId), itemIndex, ifMissing);
}
