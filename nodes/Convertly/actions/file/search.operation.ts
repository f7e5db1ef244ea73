import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { listPage } from '../../api/list';
import type { RunContext } from '../../helpers/context';
import { readId } from '../../helpers/ids';
import { capHint, collectPages, wantedCount } from '../../helpers/paging';
import { LIST_LIMITS, filtersCollection, folderLocator, optionsCollection, returnAllDescription } from '../common.descriptions';
import type { OperationMeta } from '../types';

export const meta: OperationMeta = {
	name: 'Search',
	value: 'search',
	description: 'Search the library by text (name, slug, description, tags), tags, orientation, folder and type',
	action: 'Search files',
};

const showFor = { resource: ['file'], operation: ['search'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Search Text',
		name: 'q',
		type: 'string',
		default: '',
		placeholder: 'e.g. summer campaign',
		description: 'Free text matched against file names, slugs, descriptions and tags; empty matches every file',
		displayOptions: { show: showFor },
	},
	...returnAllDescription(showFor, 'files', 'Narrow the search with text, tags or a folder.'),
	folderLocator('folderId', 'In Folder', showFor, 'Only files directly in this folder; empty for the whole library. By ID "null" searches the root.'),
	filtersCollection(showFor, [
		{
			displayName: 'Orientation',
			name: 'orientation',
			type: 'options',
			default: 'horizontal',
			options: [
				{ name: 'Horizontal', value: 'horizontal' },
				{ name: 'Square', value: 'square' },
				{ name: 'Vertical', value: 'vertical' },
			],
			description: 'Only pictures of this shape',
		},
		{ displayName: 'Tag Match', name: 'tagMode', type: 'options', default: 'any', options: [{ name: 'All Tags', value: 'all' }, { name: 'Any Tag', value: 'any' }], description: 'Whether a file needs every tag or one of them' },
		{ displayName: 'Tags', name: 'tags', type: 'string', default: '', placeholder: 'e.g. product, red', description: 'Comma-separated tags' },
		{ displayName: 'Type Starts With', name: 'mimePrefix', type: 'string', default: '', placeholder: 'e.g. image/', description: 'Only files whose MIME type starts with this' },
	]),
	optionsCollection(showFor, [
		{
			displayName: 'Facets',
			name: 'facets',
			type: 'multiOptions',
			default: [],
			options: [
				{ name: 'MIME Type', value: 'mimeType' },
				{ name: 'Orientation', value: 'orientation' },
				{ name: 'Tags', value: 'tags' },
			],
			description: 'Counts to add as one more item at the end ({ facets, total }), e.g. how many files have each tag',
		},
	]),
];

/** One item per file found (as Convertly sends it); with Facets, one more item with the counts. */
export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const { wanted, returnAll } = wantedCount(this, itemIndex, LIST_LIMITS.returnAllMax, LIST_LIMITS.defaultLimit);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const facets = this.getNodeParameter('options.facets', itemIndex, []) as string[];
	const qs: IDataObject = {};
	const q = String(this.getNodeParameter('q', itemIndex, '') ?? '').trim();
	if (q) qs.q = q;
	const folderId = readId(this, 'folderId', itemIndex, 'Folder', true);
	if (folderId) qs.folderId = folderId;
	for (const name of ['tags', 'tagMode', 'orientation', 'mimePrefix']) {
		if (typeof filters[name] === 'string' && filters[name] !== '') qs[name] = name === 'tags' ? splitTags(filters[name] as string) : filters[name];
	}
	if (facets.length > 0) qs.facets = facets.join(',');
	let firstPage: IDataObject | undefined;
	const { entries, moreLeft } = await collectPages(wanted, LIST_LIMITS.pageSize, (file) => file.id, async (limit, offset) => {
		const page = await listPage(run.client, '/api/files/search', 'files', qs, { limit, offset }, itemIndex);
		firstPage ??= page.body;
		return page;
	});
	if (returnAll) capHint(run.hints, entries.length, LIST_LIMITS.returnAllMax, moreLeft, 'files', 'Narrow the search to get the files you need.');
	const items: INodeExecutionData[] = entries.map((file) => ({ json: file, pairedItem: { item: itemIndex } }));
	if (facets.length > 0 && firstPage) {
		const pagination = firstPage.pagination as IDataObject | undefined;
		items.push({ json: { facets: firstPage.facets ?? {}, total: pagination?.total ?? entries.length }, pairedItem: { item: itemIndex } });
	}
	return items;
}

/** "a, b ,c" → "a,b,c" (Convertly takes tags comma-separated). */
function splitTags(text: string): string {
	return text
		.split(',')
		.map((tag) => tag.trim())
		.filter((tag) => tag !== '')
		.join(',');
}
