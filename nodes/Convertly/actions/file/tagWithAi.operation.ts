import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { tagFileWithAi } from '../../api/files';
import type { RunContext } from '../../helpers/context';
import { readId } from '../../helpers/ids';
import { fileLocator, optionsCollection } from '../common.descriptions';
import type { OperationMeta } from '../types';

export const meta: OperationMeta = {
	name: 'Tag With AI',
	value: 'tagWithAi',
	description: 'Let Convertly’s AI describe a stored image with tags and a summary (uses the AI quota)',
	action: 'Tag a file with AI',
};

const showFor = { resource: ['file'], operation: ['tagWithAi'] };

export const description: INodeProperties[] = [
	fileLocator(showFor, 'The stored image to tag'),
	optionsCollection(showFor, [
		{ displayName: 'Language', name: 'locale', type: 'string', default: 'en', placeholder: 'e.g. de', description: 'The language of the tags (Convertly uses en when not set)' },
		{ displayName: 'Keep Existing Tags', name: 'merge', type: 'boolean', default: true, description: 'Whether the new tags are added to the file’s tags (off: they replace them)' },
		{ displayName: 'Max Tags', name: 'maxTags', type: 'number', default: 8, typeOptions: { minValue: 1, maxValue: 20 }, description: 'How many tags at most (1–20)' },
		{ displayName: 'Prompt', name: 'prompt', type: 'string', default: '', placeholder: 'e.g. focus on the product colours', description: 'Extra guidance for the AI' },
	]),
];

/** Convertly's answer: the tags, those added, a summary and the units used. Only set options are sent. */
export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const fileId = readId(this, 'fileId', itemIndex, 'File') as string;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const body: IDataObject = {};
	for (const name of ['maxTags', 'merge', 'locale', 'prompt']) if (options[name] !== undefined && options[name] !== '') body[name] = options[name];
	return [{ json: await tagFileWithAi(run.client, fileId, body, itemIndex), pairedItem: { item: itemIndex } }];
}
