import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { downloadDescription, idempotencyKeyOption, maxConcurrencyOption, optionsCollection, waitDescription } from '../common.descriptions';

/** What a media tool is to the node: its endpoint, its input, its answer and its fields. */
export interface MediaTool {
	/** The endpoint, e.g. /api/media/thumbnail. */
	path: string;
	/** One file (`file` part) or several (repeated `files` parts). */
	input: 'single' | 'multiple';
	/** Whether it can run as a background job (`async=true`). */
	background: boolean;
	/** Files to download, or metadata (inspect). */
	answer: 'files' | 'metadata';
	/** Fields Convertly requires, shown at the top level. */
	required?: INodeProperties[];
	/** Optional fields, in Options; one the user did not add is not sent. */
	optional?: INodeProperties[];
	/** Options of the node that are not form fields (e.g. the watermark's logo field). */
	nodeOptions?: INodeProperties[];
}

/** Options that steer the node, never sent as form fields. */
export const NODE_OPTION_NAMES = ['batching', 'idempotencyKey', 'maxConcurrency', 'watermarkBinaryPropertyName'];

const byDisplayName = (a: INodeProperties, b: INodeProperties) => a.displayName.localeCompare(b.displayName);

/** The parameters of one media tool operation, built from its spec. */
export function mediaToolDescription(operation: string, tool: MediaTool): INodeProperties[] {
	const showFor = { resource: ['mediaTool'], operation: [operation] };
	const several = tool.input === 'multiple';
	const nodeOptions: INodeProperties[] = [maxConcurrencyOption, ...(tool.nodeOptions ?? [])];
	if (several) nodeOptions.push(batchingOption);
	if (tool.background) {
		nodeOptions.push(
			idempotencyKeyOption(
				'For background jobs: requests with the same key give back the same job instead of creating another. Empty: the node derives one, so that its own retries never create a second job.',
			),
		);
	}
	return [
		{
			displayName: 'Input',
			name: 'inputSource',
			type: 'options',
			default: 'binary',
			options: [
				{
					name: 'File From a Previous Node',
					value: 'binary',
					description: 'A binary field of the input item, e.g. from Read Files, HTTP Request or a form upload',
				},
				{
					name: 'URL',
					value: 'url',
					description: 'Convertly fetches the file from a public address; it never passes through n8n',
				},
			],
			displayOptions: { show: showFor },
		},
		{
			displayName: several ? 'Input Binary Field(s)' : 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			placeholder: 'e.g. data',
			hint: several
				? 'The binary field(s) holding the files, separated by commas: each is one file'
				: 'The binary field of the input item that holds the file',
			description: 'Name of the binary field holding the input file, usually data',
			displayOptions: { show: { ...showFor, inputSource: ['binary'] } },
		},
		{
			displayName: 'Source URL',
			name: 'sourceUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/video.mp4',
			hint: 'Convertly downloads the file itself, so it never passes through n8n: the way to process large media on a small n8n',
			description: 'A public http:// or https:// address of the file',
			displayOptions: { show: { ...showFor, inputSource: ['url'] } },
		},
		...(tool.required ?? []).map((field) => ({ ...field, required: true, displayOptions: { show: showFor } })),
		...(tool.background
			? [
					{
						displayName: 'Run in Background',
						name: 'runInBackground',
						type: 'boolean',
						default: false,
						description:
							'Whether Convertly runs the tool as a background job (for long videos and large files) instead of answering at once. Then the node waits for the job if Wait for Completion is on.',
						displayOptions: { show: showFor },
					} as INodeProperties,
					...waitDescription({ ...showFor, runInBackground: [true] }),
				]
			: []),
		...(tool.answer === 'files' ? downloadDescription(showFor, 'media') : []),
		optionsCollection(showFor, [...(tool.optional ?? []), ...nodeOptions].sort(byDisplayName)),
	];
}

const batchingOption: INodeProperties = {
	displayName: 'Batching',
	name: 'batching',
	type: 'options',
	default: 'perItem',
	options: [
		{
			name: 'One Request for All Items',
			value: 'allItems',
			description: 'Every item’s files go into one request; the output is one item paired to every input item',
		},
		{ name: 'One Request per Item', value: 'perItem', description: 'Each input item is a request of its own' },
	],
};


/** Watermark's logo: a binary field of the same item, sent as the `watermarkFile` part. */
export const watermarkLogoOption: INodeProperties = {
	displayName: 'Logo Binary Field',
	name: 'watermarkBinaryPropertyName',
	type: 'string',
	default: '',
	placeholder: 'e.g. logo',
	description: 'The binary field of the same item that holds the logo image (PNG with transparency works best)',
};

/**
 * A tool field's value as Convertly's form takes it: text trimmed, numbers and booleans as text
 * ("true"/"false"); undefined when empty, so that Convertly's own default applies.
 */
export function formValue(context: IExecuteFunctions, name: string, value: unknown, itemIndex: number): string | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
	if (typeof value === 'number' && !Number.isFinite(value)) {
		throw new NodeOperationError(context.getNode(), `${name} must be a number, not ${String(value)}`, { itemIndex });
	}
	return typeof value === 'string' ? value.trim() : String(value);
}
