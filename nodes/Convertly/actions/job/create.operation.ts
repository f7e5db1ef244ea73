import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CONVERT_FORMATS } from '../../api/formats';
import { pairBatchOutput, readAllItemsFiles } from '../../files/batching';
import { readInputFiles } from '../../files/upload';
import type { RunContext } from '../../helpers/context';
import { createAndFinish } from '../../jobs/create';
import { waitingItemsInParallel } from '../../jobs/wait';
import {
	downloadDescription,
	idempotencyKeyOption,
	maxConcurrencyOption,
	optionsCollection,
	outputOption,
	waitDescription,
} from '../common.descriptions';
import type { OperationMeta } from '../types';

export const meta: OperationMeta = {
	name: 'Create',
	value: 'create',
	description: 'Send the files of the input items to Convertly to convert or compress them, optionally waiting for the result files',
	action: 'Create a job',
};

const showFor = { resource: ['job'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Job Type',
		name: 'jobType',
		type: 'options',
		noDataExpression: true,
		default: 'convert',
		options: [
			{
				name: 'Compress',
				value: 'compress',
				description: 'Make files smaller, keeping each file’s own format where possible (a PNG stays a PNG), at the Quality set below',
			},
			{ name: 'Convert', value: 'convert', description: 'Convert files to another format' },
		],
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Input Binary Field(s)',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data',
		hint: 'The binary field of the input item that holds the file. Separate several fields with commas: each is one file of the job.',
		description: 'Name of the binary field(s) holding the files to send, for example data or data, attachment_1',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		default: 'webp',
		description: 'The format of the result files (Convert)',
		hint: 'Convert: the format the files are converted to. Compress keeps each file’s own format where it can (a PNG stays a PNG); Convertly requires a format on every job, so this one is still sent.',
		options: CONVERT_FORMATS.map(([value, kind]) => ({ name: value.toUpperCase(), value, description: kind })),
		// Shown for Compress too: n8n drops a hidden parameter's saved value at run time, and a
		// saved compress job's Format must keep being sent as it was.
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Resize',
		name: 'resize',
		type: 'options',
		default: 'original',
		description:
			'Scale images down to a size made for where they will be used (Convertly’s presets, which keep the proportions), or to a fixed width or height',
		options: [
			{ name: 'Email', value: 'email', description: 'Small enough to attach to or show in an email' },
			{ name: 'Fixed Height', value: 'height', description: 'Scale to a height in pixels, keeping the aspect ratio' },
			{ name: 'Fixed Width', value: 'width', description: 'Scale to a width in pixels, keeping the aspect ratio' },
			{ name: 'Instagram Post', value: 'instagram', description: 'The size of a picture in an Instagram feed post' },
			{ name: 'LinkedIn Post', value: 'linkedin', description: 'The size of a picture in a LinkedIn post' },
			{ name: 'Original Size', value: 'original', description: 'Keep each file’s size in pixels' },
			{ name: 'Product Photo (E-Commerce)', value: 'ecommerce', description: 'The size of a product photo in an online shop' },
			{ name: 'Square', value: 'square', description: 'A square picture, such as a profile or a grid image' },
			{ name: 'Web Page', value: 'website', description: 'The size of a picture on a web page' },
		],
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Width (Pixels)',
		name: 'resizeWidth',
		type: 'number',
		default: 1200,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { ...showFor, resize: ['width'] } },
	},
	{
		displayName: 'Height (Pixels)',
		name: 'resizeHeight',
		type: 'number',
		default: 1200,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { ...showFor, resize: ['height'] } },
	},
	{
		displayName: 'Quality',
		name: 'compression',
		type: 'number',
		default: 82,
		typeOptions: { minValue: 1, maxValue: 100 },
		description:
			'From 1 (smallest files, visibly lower quality) to 100 (best quality, largest files). 82 is Convertly’s default, a good balance for photos.',
		displayOptions: { show: showFor },
	},
	...waitDescription(showFor),
	...downloadDescription(showFor),
	optionsCollection(showFor, [
		{
			displayName: 'Auto-Orient',
			name: 'autoOrient',
			type: 'boolean',
			default: true,
			description: 'Whether to rotate images upright according to their EXIF orientation',
		},
		{
			displayName: 'Batching',
			name: 'batching',
			type: 'options',
			default: 'perItem',
			options: [
				{
					name: 'One Job per Item',
					value: 'perItem',
					description: 'Each input item becomes a job of its own, with its own output item',
				},
				{
					name: 'One Job for All Items',
					value: 'allItems',
					description:
						'All items’ files go into one job: one request of the monthly quota instead of one per item. The output is one job (or its results) paired to every input item.',
				},
			],
		},
		{
			displayName: 'Callback Secret',
			name: 'callbackSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Secret Convertly signs the per-job callback with (for a Convertly Trigger set up for callbacks)',
		},
		{
			displayName: 'Callback URL',
			name: 'callbackUrl',
			type: 'string',
			default: '',
			placeholder: 'https://your-n8n.example.com/webhook/…',
			description: 'URL Convertly calls when this job finishes, e.g. the production URL of a Convertly Trigger node',
		},
		{
			displayName: 'Create Archive',
			name: 'createArchive',
			type: 'boolean',
			default: false,
			description: 'Whether Convertly also packs all result files into one ZIP file',
		},
		idempotencyKeyOption(
			'Requests with the same key give back the same job instead of creating another. Empty: the node derives a key from the workflow, this node, the item and its files, so that the node’s own retries never create a second job. Set it to make re-runs idempotent too.',
		),
		maxConcurrencyOption,
		{
			displayName: 'Monochrome',
			name: 'monochrome',
			type: 'boolean',
			default: false,
			description: 'Whether to turn images into black and white',
		},
		outputOption,
	]),
];

/** Uploading items, like waiting ones, run together; the client bounds the requests in flight. */
export const itemsInParallel = waitingItemsInParallel;

/** Batching "One Job for All Items": every item's files in one job, one output paired to all items. */
export async function executeAll(this: IExecuteFunctions, run: RunContext): Promise<INodeExecutionData[] | undefined> {
	if (this.getNodeParameter('options.batching', 0, 'perItem') !== 'allItems') return undefined;
	const batch = await readAllItemsFiles(this, 'binaryPropertyName');
	if (batch.included.length === 0) return batch.failed;
	const output = await createJob(this, run, batch.files, batch.included);
	// With Output "Results" there is one result per file, in upload order.
	return pairBatchOutput(batch, output, this.getNodeParameter('options.output', 0, 'job') === 'results');
}

/** Batching "One Job per Item": sends the item's files as one job. */
export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const files = await readInputFiles(this, itemIndex, this.getNodeParameter('binaryPropertyName', itemIndex));
	return await createJob(this, run, files, [itemIndex]);
}

async function createJob(
	context: IExecuteFunctions,
	run: RunContext,
	files: Awaited<ReturnType<typeof readInputFiles>>,
	itemIndexes: number[],
): Promise<INodeExecutionData[]> {
	const fields = readFields(context, itemIndexes[0], files.length);
	return await createAndFinish(context, run, {
		path: '/api/jobs',
		fields,
		fileField: 'files',
		files,
		itemIndexes,
		secretFields: ['callbackSecret'],
	});
}

/** The job's settings as Convertly's form fields. */
function readFields(context: IExecuteFunctions, itemIndex: number, fileCount: number): Array<[string, string]> {
	const parameter = <T>(name: string, fallback: T) => context.getNodeParameter(name, itemIndex, fallback) as T;
	const resize = parameter<string>('resize', 'original');
	const compression = parameter<number>('compression', 82);
	if (!(Number.isInteger(compression) && compression >= 1 && compression <= 100)) {
		throw new NodeOperationError(context.getNode(), `Compression must be a whole number from 1 to 100, not ${compression}`, { itemIndex });
	}
	const fields: Array<[string, string]> = [
		['jobType', parameter('jobType', 'convert')],
		['format', parameter('format', 'webp')],
		['resize', resize],
		['compression', String(compression)],
		['autoOrient', String(parameter('options.autoOrient', true))],
		['mono', String(parameter('options.monochrome', false))],
		['createArchive', String(parameter('options.createArchive', false))],
		// API-key jobs run on workers that need the stored sources.
		['saveToStorage', 'true'],
	];
	if (resize === 'width' || resize === 'height') {
		const name = resize === 'width' ? 'resizeWidth' : 'resizeHeight';
		const pixels = parameter<number>(name, 0);
		if (!(Number.isInteger(pixels) && pixels >= 1)) {
			throw new NodeOperationError(context.getNode(), `${resize === 'width' ? 'Width' : 'Height'} must be a whole number of pixels, at least 1`, { itemIndex });
		}
		// Convertly documents the sizes per file, as a JSON array.
		fields.push([`${name}s`, JSON.stringify(Array.from({ length: fileCount }, () => pixels))]);
	}
	const callbackUrl = String(parameter('options.callbackUrl', '') ?? '').trim();
	if (callbackUrl) {
		fields.push(['callbackUrl', callbackUrl]);
		const secret = String(parameter('options.callbackSecret', '') ?? '');
		if (secret) fields.push(['callbackSecret', secret]);
	}
	return fields;
}
