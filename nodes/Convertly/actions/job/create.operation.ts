import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { InputFile } from '../../files/upload';
import { buildForm, readInputFiles } from '../../files/upload';
import type { ConvertlyJob } from '../../helpers/job';
import { notConvertlyError } from '../../transport/errors';
import { awaitCompletion, wantsToWait } from '../../wait/completion';
import { downloadDescription, maxConcurrencyOption, outputOption, waitDescription } from '../common.descriptions';
import { jobOutput } from '../jobOutput';
import type { RunContext } from '../types';

const showFor = { resource: ['job'], operation: ['create'] };

/** Target formats documented for POST /api/jobs, with what they are for the option list. */
const FORMATS: Array<[string, string]> = [
	['7z', 'Archive'],
	['avif', 'Image'],
	['bz2', 'Archive'],
	['flac', 'Audio'],
	['gif', 'Image'],
	['gz', 'Archive'],
	['heif', 'Image'],
	['jpg', 'Image'],
	['m4a', 'Audio'],
	['mov', 'Video'],
	['mp3', 'Audio'],
	['mp4', 'Video'],
	['ogg', 'Audio'],
	['pdf', 'Document'],
	['png', 'Image'],
	['rar', 'Archive'],
	['svg', 'Image'],
	['tar', 'Archive'],
	['tgz', 'Archive'],
	['tiff', 'Image'],
	['wav', 'Audio'],
	['webm', 'Video'],
	['webp', 'Image'],
	['xz', 'Archive'],
	['zip', 'Archive'],
];

export const description: INodeProperties[] = [
	{
		displayName: 'Job Type',
		name: 'jobType',
		type: 'options',
		noDataExpression: true,
		default: 'convert',
		options: [
			{ name: 'Compress', value: 'compress', description: 'Make files smaller, keeping their format where possible' },
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
		description: 'The format of the result files',
		options: FORMATS.map(([value, kind]) => ({ name: value.toUpperCase(), value, description: kind })),
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Resize',
		name: 'resize',
		type: 'options',
		default: 'original',
		description: 'Resize images with one of Convertly’s presets, or to a fixed width or height',
		options: [
			{ name: 'E-Commerce', value: 'ecommerce' },
			{ name: 'Email', value: 'email' },
			{ name: 'Fixed Height', value: 'height', description: 'Scale to a height in pixels, keeping the aspect ratio' },
			{ name: 'Fixed Width', value: 'width', description: 'Scale to a width in pixels, keeping the aspect ratio' },
			{ name: 'Instagram', value: 'instagram' },
			{ name: 'LinkedIn', value: 'linkedin' },
			{ name: 'Original Size', value: 'original', description: 'Do not resize' },
			{ name: 'Square', value: 'square' },
			{ name: 'Website', value: 'website' },
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
		displayName: 'Compression',
		name: 'compression',
		type: 'number',
		default: 82,
		typeOptions: { minValue: 1, maxValue: 100 },
		description: 'Quality from 1 (smallest files) to 100 (best quality)',
		displayOptions: { show: showFor },
	},
	...waitDescription(showFor),
	...downloadDescription(showFor),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showFor },
		options: [
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
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				placeholder: 'e.g. {{ $json.recordId }}',
				description:
					'Requests with the same key give back the same job instead of creating another. Empty: the node derives a key from the workflow, this node, the item and its files, so that the node’s own retries never create a second job. Set it to make re-runs idempotent too.',
			},
			maxConcurrencyOption,
			{
				displayName: 'Monochrome',
				name: 'monochrome',
				type: 'boolean',
				default: false,
				description: 'Whether to turn images into black and white',
			},
			outputOption,
		],
	},
];

interface JobSettings {
	fields: Array<[string, string]>;
}

/** Uploading items, like waiting ones, run together; the client bounds the requests in flight. */
export function itemsInParallel(this: IExecuteFunctions, itemCount: number, maxConcurrency: number): number {
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		if (wantsToWait(this, itemIndex)) return itemCount;
	}
	return maxConcurrency;
}

/** Batching "One Job for All Items": every item's files in one job, one output paired to all items. */
export async function executeAll(this: IExecuteFunctions, run: RunContext): Promise<INodeExecutionData[] | undefined> {
	if (this.getNodeParameter('options.batching', 0, 'perItem') !== 'allItems') return undefined;
	const itemCount = this.getInputData().length;
	const files: InputFile[] = [];
	const included: number[] = [];
	const failed: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			files.push(...(await readInputFiles(this, itemIndex, this.getNodeParameter('binaryPropertyName', itemIndex), sha256)));
			included.push(itemIndex);
		} catch (error) {
			// One item without a usable file does not stop the batch when the node continues on fail.
			if (!this.continueOnFail()) throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			failed.push({ json: { error: (error as Error).message, details: { description: (error as NodeOperationError).description ?? '' } }, pairedItem: { item: itemIndex } });
		}
	}
	if (included.length === 0) return failed;
	const pairedToAll = included.map((item) => ({ item }));
	const output = await createAndFinish(this, run, files, included);
	// One result per file, in upload order: each result item is paired to the item its file came from.
	const perFile = this.getNodeParameter('options.output', 0, 'job') === 'results' && output.length === files.length;
	const paired = output.map((item, index) => ({ ...item, pairedItem: perFile ? { item: files[index].itemIndex } : pairedToAll }));
	return [...paired, ...failed];
}

/** Batching "One Job per Item": sends the item's files as one job. */
export async function execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]> {
	const files = await readInputFiles(this, itemIndex, this.getNodeParameter('binaryPropertyName', itemIndex), sha256);
	return await createAndFinish(this, run, files, [itemIndex]);
}

/** Creates the job, then waits and downloads as the first item's settings say. */
async function createAndFinish(
	context: IExecuteFunctions,
	run: RunContext,
	files: InputFile[],
	itemIndexes: number[],
): Promise<INodeExecutionData[]> {
	const itemIndex = itemIndexes[0];
	const settings = readSettings(context, itemIndex, files.length);
	const customKey = String(context.getNodeParameter('options.idempotencyKey', itemIndex, '') ?? '').trim();
	const idempotencyKey = customKey || defaultIdempotencyKey(context, itemIndexes, files, settings);

	const { body } = await run.client.request(
		{
			method: 'POST',
			path: '/api/jobs',
			headers: { 'Idempotency-Key': idempotencyKey },
			body: async () => buildForm(settings.fields, 'files', files),
			// The key makes a repeat return the job already created, so a retry is safe.
			repeatable: true,
			subject: describeUpload(files),
		},
		{ itemIndex },
	);
	if (typeof body.jobId !== 'string' || body.jobId === '') {
		throw notConvertlyError(
			context.getNode(),
			{ kind: 'response', statusCode: 200, body, headers: {} },
			{ baseUrl: run.client.baseUrl, itemIndex },
		);
	}
	const jobId = body.jobId;
	let job = body as ConvertlyJob;
	let extra: IDataObject = {};
	if (wantsToWait(context, itemIndex)) {
		({ job, extra } = await awaitCompletion(context, run, jobId, itemIndex));
	}
	return await jobOutput(context, run, { job, jobId, itemIndex, pairedItem: { item: itemIndex }, extra });
}

function readSettings(context: IExecuteFunctions, itemIndex: number, fileCount: number): JobSettings {
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
	return { fields };
}

/**
 * The key Convertly deduplicates creations by, when the user sets none: the same files (n8n's
 * stored copy of them) with the same settings from the same node and item position are one
 * job. A retried request, and a retried execution (which reuses the stored input files), get
 * the job back; a run that reads its files anew creates a new job. A file n8n holds in memory
 * has no stored copy: its identity is its bytes within this execution, so repeats within the
 * execution get the job back and any other execution (a retry included) creates a new one.
 */
function defaultIdempotencyKey(
	context: IExecuteFunctions,
	itemIndexes: number[],
	files: InputFile[],
	settings: JobSettings,
): string {
	const fingerprint = JSON.stringify({
		workflow: context.getWorkflow().id ?? '',
		node: context.getNode().id ?? context.getNode().name,
		items: itemIndexes,
		files: files.map((file) => [file.identity, file.fileName, file.size]),
		// The callback secret is left out so that it never reaches the key, even hashed.
		settings: settings.fields.filter(([name]) => name !== 'callbackSecret'),
	});
	return `n8n-${sha256(fingerprint)}`;
}

function sha256(data: string): string {
	return createHash('sha256').update(data).digest('hex');
}

function describeUpload(files: InputFile[]): string {
	const describe = (file: InputFile) => `"${file.fileName}", ${formatBytes(file.size)}, ${file.mimeType}`;
	if (files.length === 1) return describe(files[0]);
	const shown = files.slice(0, 3).map(describe).join('; ');
	return `${files.length} files: ${shown}${files.length > 3 ? '; …' : ''}`;
}

function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	const units = ['KB', 'MB', 'GB', 'TB'];
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${value.toFixed(1)} ${units[unit]}`;
}
