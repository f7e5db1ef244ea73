import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runToolOnFile } from '../../api/files';
import type { RunContext } from '../../helpers/context';
import { readId } from '../../helpers/ids';
import { fileLocator, optionsCollection } from '../common.descriptions';
import { tool as adjust } from '../mediaTool/adjust.operation';
import { tool as convert } from '../mediaTool/convert.operation';
import { tool as extractAudio } from '../mediaTool/extractAudio.operation';
import { tool as gif } from '../mediaTool/gif.operation';
import { tool as posterFrame } from '../mediaTool/posterFrame.operation';
import { tool as removeBackground } from '../mediaTool/removeBackground.operation';
import { tool as storyboard } from '../mediaTool/storyboard.operation';
import { tool as transform } from '../mediaTool/transform.operation';
import { tool as trim } from '../mediaTool/trim.operation';
import { tool as watermark } from '../mediaTool/watermark.operation';
import type { MediaTool } from '../mediaTool/tool';
import { formValue } from '../mediaTool/tool';
import type { OperationMeta } from '../types';
import { downloadStoredFile, linkOf } from './download';

export const meta: OperationMeta = {
	name: 'Run Tool',
	value: 'runTool',
	description: 'Run a media tool (remove background, transform, convert, trim, GIF …) on a stored file; the result is stored as a new file',
	action: 'Run a media tool on a stored file',
};

const showFor = { resource: ['file'], operation: ['runTool'] };

/** The tools Convertly runs on stored files [doc], each with the Media Tool operation whose fields it takes. */
const TOOLS: Array<[tool: string, name: string, spec?: MediaTool]> = [
	['adjust', 'Adjust', adjust],
	['convert', 'Convert Video or Audio', convert],
	['extract-audio', 'Extract Audio', extractAudio],
	['gif', 'Create GIF', gif],
	['poster-frame', 'Create Poster Frame', posterFrame],
	['remove-background', 'Remove Background', removeBackground],
	['storyboard', 'Create Storyboard', storyboard],
	['transform', 'Transform Image', transform],
	['trim', 'Trim', trim],
	['vectorize', 'Vectorize (SVG)'],
	['watermark', 'Add Watermark (Text)', watermark],
];

/** The same fields as the Media Tool operation, so each is described once. */
const fieldsOf = (spec?: MediaTool): INodeProperties[] =>
	[...(spec?.required ?? []), ...(spec?.optional ?? [])].sort((a, b) => a.displayName.localeCompare(b.displayName));

export const description: INodeProperties[] = [
	fileLocator(showFor, 'The stored file to run the tool on'),
	{
		displayName: 'Tool',
		name: 'tool',
		type: 'options',
		default: 'remove-background',
		options: TOOLS.map(([value, name]) => ({ name, value })),
		description: 'The media tool to run',
		displayOptions: { show: showFor },
	},
	...TOOLS.filter(([, , spec]) => fieldsOf(spec).length > 0).map(
		([tool, , spec]): INodeProperties => ({
			displayName: 'Tool Options',
			name: 'params',
			type: 'collection',
			placeholder: 'Add Tool Option',
			default: {},
			options: fieldsOf(spec),
			displayOptions: { show: { ...showFor, tool: [tool] } },
		}),
	),
	optionsCollection(showFor, [
		{ displayName: 'Download Result', name: 'download', type: 'boolean', default: false, description: 'Whether to download the new file into n8n binary data too' },
		{ displayName: 'Put Output File in Field', name: 'binaryPropertyOutput', type: 'string', default: 'data', description: 'The binary field for the downloaded result' },
		{
			displayName: 'Preview Only',
			name: 'preview',
			type: 'boolean',
			default: false,
			description: 'Whether Convertly only returns a preview (an inline image) without storing a new file',
		},
	]),
];

/** The new stored file (or the preview) as Convertly returns it; with Download Result, its bytes too. */
export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const fileId = readId(this, 'fileId', itemIndex, 'File') as string;
	const tool = this.getNodeParameter('tool', itemIndex) as string;
	const given = this.getNodeParameter('params', itemIndex, {}) as IDataObject;
	// "The same fields you would send as form data to the equivalent /api/media/* route, as a JSON object of string values." [doc]
	const params: IDataObject = {};
	for (const [name, value] of Object.entries(given)) {
		const text = formValue(this, name, value, itemIndex);
		if (text !== undefined) params[name] = text;
	}
	const preview = this.getNodeParameter('options.preview', itemIndex, false) as boolean;
	const answer = await runToolOnFile(run.client, fileId, { tool, params, preview }, itemIndex);
	const item: INodeExecutionData = { json: answer, pairedItem: { item: itemIndex } };
	const result = (answer.file ?? answer.preview) as IDataObject | undefined;
	if (this.getNodeParameter('options.download', itemIndex, false) && result && (linkOf(result) || typeof result.dataUrl === 'string')) {
		const field = String(this.getNodeParameter('options.binaryPropertyOutput', itemIndex, 'data') || 'data');
		const withLink = linkOf(result) ? result : { ...result, downloadUrl: result.dataUrl };
		item.binary = { [field]: await downloadStoredFile(this, run, withLink, itemIndex) };
	}
	return [item];
}
