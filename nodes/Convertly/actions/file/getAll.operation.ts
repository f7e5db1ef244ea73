import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { listPage } from '../../api/list';
import type { RunContext } from '../../helpers/context';
import { readId } from '../../helpers/ids';
import { capHint, collectPages, wantedCount } from '../../helpers/paging';
import { LIST_LIMITS, filtersCollection, folderLocator, returnAllDescription } from '../common.descriptions';
import type { OperationMeta } from '../types';

export const meta: OperationMeta = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List the stored files of the library, of one folder, or those whose name or type matches',
	action: 'Get many files',
};

const showFor = { resource: ['file'], operation: ['getAll'] };

export const description: INodeProperties[] = [
	...returnAllDescription(showFor, 'files', 'On a large library, choose a folder or filter by name or type.'),
	folderLocator('folderId', 'In Folder', showFor, 'Only the files directly in this folder; empty for the whole library. By ID "null" lists the files at the root.'),
	filtersCollection(showFor, [
		{ displayName: 'Name Contains', name: 'q', type: 'string', default: '', description: 'Only files whose name contains this text' },
		{
			displayName: 'Type Starts With',
			name: 'mimePrefix',
			type: 'string',
			default: '',
			placeholder: 'e.g. image/',
			description: 'Only files whose MIME type starts with this, e.g. image/ or video/mp4',
		},
	]),
];

/** One item per stored file, exactly as Convertly lists it (snake_case and camelCase as sent). */
export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const { wanted, returnAll } = wantedCount(this, itemIndex, LIST_LIMITS.returnAllMax, LIST_LIMITS.defaultLimit);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	const folderId = readId(this, 'folderId', itemIndex, 'Folder', true);
	if (folderId) qs.folderId = folderId;
	for (const name of ['q', 'mimePrefix']) if (typeof filters[name] === 'string' && filters[name] !== '') qs[name] = filters[name];
	const { entries, moreLeft } = await collectPages(wanted, LIST_LIMITS.pageSize, (file) => file.id, async (limit, offset) =>
		await listPage(run.client, '/api/files', 'files', qs, { limit, offset }, itemIndex),
	);
	if (returnAll) capHint(run.hints, entries.length, LIST_LIMITS.returnAllMax, moreLeft, 'files', 'Choose a folder or a filter to get the files you need.');
	return entries.map((file) => ({ json: file, pairedItem: { item: itemIndex } }));
}
