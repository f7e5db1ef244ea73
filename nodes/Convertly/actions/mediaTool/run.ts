import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { downloadLinkedFiles, linkedFiles, outputField, readLinkedJson } from '../../files/download';
import { pairBatchOutput, readAllItemsFiles } from '../../files/batching';
import { idempotencyKey } from '../../files/idempotency';
import type { InputFile } from '../../files/upload';
import { parseFieldNames, postForm, readInputFiles } from '../../files/upload';
import type { RunContext } from '../../helpers/context';
import { itemParameter } from '../../helpers/parameters';
import type { ConvertlyJob } from '../../jobs/job';
import { jobOutput } from '../../jobs/output';
import { awaitCompletion, wantsToWait } from '../../jobs/wait';
import type { OperationModule } from '../types';
import type { MediaTool } from './tool';
import { NODE_OPTION_NAMES, formValue, mediaToolDescription } from './tool';

/** Where the input comes from: files of the item(s), or a URL Convertly fetches itself. */
type Source = { files: InputFile[]; url?: undefined } | { files: []; url: string };

/** Description and execution of one media tool operation, from its spec. */
export function mediaToolOperation(operation: string, tool: MediaTool): Omit<OperationModule, 'meta'> {
	const runsInBackground = (context: IExecuteFunctions, itemIndex: number) =>
		tool.background && itemParameter(context, 'runInBackground', itemIndex, false);
	return {
		description: mediaToolDescription(operation, tool),
		async execute(this: IExecuteFunctions, run: RunContext, itemIndex: number) {
			return await runTool(this, run, tool, await readSource(this, itemIndex, tool), [itemIndex]);
		},
		/** Waiting items run together (N jobs take about one job's time). */
		itemsInParallel(this: IExecuteFunctions, itemCount: number, maxConcurrency: number) {
			for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
				if (runsInBackground(this, itemIndex) && wantsToWait(this, itemIndex)) return itemCount;
			}
			return maxConcurrency;
		},
		async executeAll(this: IExecuteFunctions, run: RunContext) {
			const batched =
				tool.input === 'multiple' &&
				this.getNodeParameter('options.batching', 0, 'perItem') === 'allItems' &&
				this.getNodeParameter('inputSource', 0, 'binary') === 'binary';
			if (!batched) return undefined;
			const batch = await readAllItemsFiles(this, 'binaryPropertyName');
			if (batch.included.length === 0) return batch.failed;
			const output = await runTool(this, run, tool, { files: batch.files }, batch.included);
			return pairBatchOutput(batch, output, false);
		},
	};

	/** Sends one request and turns Convertly's answer into the output item(s). */
	async function runTool(
		context: IExecuteFunctions,
		run: RunContext,
		spec: MediaTool,
		source: Source,
		itemIndexes: number[],
	): Promise<INodeExecutionData[]> {
		const itemIndex = itemIndexes[0];
		const background = runsInBackground(context, itemIndex);
		const fields = formFields(context, itemIndex, spec);
		if (source.url !== undefined) fields.push(['sourceUrl', source.url]);
		if (background) fields.push(['async', 'true']);
		const extraParts = await watermarkLogo(context, itemIndex, spec);
		// A URL names no stored copy: within one execution a repeat is the same request, in
		// another execution a new one (as for files n8n holds in memory).
		const keyFields: Array<[string, string]> =
			source.url !== undefined ? [...fields, ['n8nExecution', String(context.getExecutionId() ?? '')]] : fields;
		const response = await postForm(run.client, {
			path: spec.path,
			fields,
			fileField: spec.input === 'multiple' ? 'files' : 'file',
			files: source.files,
			extraParts,
			idempotencyKey: idempotencyKey(context, 'options.idempotencyKey', itemIndexes, source.files, keyFields),
			// A background request creates a job, which the key makes unique; a plain one
			// processes (and counts) again when repeated, so it is only retried when nothing was done.
			repeatable: background,
			itemIndex,
		});
		const pairedItem: IPairedItemData = { item: itemIndex };
		const body = response.body;

		if (typeof body.jobId === 'string' && body.jobId !== '') {
			const jobId = body.jobId;
			let job = body as ConvertlyJob;
			let extra: IDataObject = {};
			if (wantsToWait(context, itemIndex)) ({ job, extra } = await awaitCompletion(context, run, jobId, itemIndex));
			return await jobOutput(context, run, { job, jobId, itemIndex, pairedItem, extra, firstFileInField: true });
		}
		if (spec.answer === 'metadata') return [{ json: await metadataOf(context, run, body, itemIndex), pairedItem }];
		if (!itemParameter(context, 'downloadResults', itemIndex, true)) return [{ json: body, pairedItem }];

		const files = linkedFiles([body]);
		const binaries = await downloadLinkedFiles(context, run.client, files, { itemIndex, kind: 'result file' });
		const field = (context.getNodeParameter('binaryPropertyOutput', itemIndex, 'data') as string).trim() || 'data';
		const binary: Record<string, IBinaryData> = {};
		binaries.forEach((data, position) => {
			if (data) binary[outputField(field, position, true)] = data;
		});
		const missing = files
			.filter((_file, position) => !binaries[position])
			.map((file) => ({ filename: file.filename ?? `file ${file.position + 1}`, reason: file.error ?? 'Convertly gave no download link for it.' }));
		const json = missing.length > 0 ? { ...body, fileDownload: { downloaded: Object.keys(binary).length, missing } } : body;
		return [{ json, binary, pairedItem }];
	}
}

/** The item's input: its files (streamed when sent), or the Source URL. */
async function readSource(context: IExecuteFunctions, itemIndex: number, tool: MediaTool): Promise<Source> {
	if (context.getNodeParameter('inputSource', itemIndex, 'binary') === 'url') {
		const url = String(context.getNodeParameter('sourceUrl', itemIndex, '') ?? '').trim();
		if (!/^https?:\/\/[^/]/i.test(url)) {
			throw new NodeOperationError(context.getNode(), `Source URL must be an http:// or https:// address, not ${JSON.stringify(url.slice(0, 80))}`, {
				description: 'Give the public address of the file. For a file of an earlier node, set Input to "File From a Previous Node".',
				itemIndex,
			});
		}
		return { files: [], url };
	}
	const fieldList = context.getNodeParameter('binaryPropertyName', itemIndex);
	if (tool.input === 'single' && parseFieldNames(fieldList).length > 1) {
		throw new NodeOperationError(context.getNode(), 'This tool takes one file, but Input Binary Field names several', {
			description: 'Set Input Binary Field to one field, e.g. data. Tools that combine files (Combine Images Into PDF, Combine Audio Files) take several.',
			itemIndex,
		});
	}
	return { files: await readInputFiles(context, itemIndex, fieldList) };
}

/**
 * The tool's form fields: required ones always, optional ones only when the user added them
 * (Convertly's own defaults apply to the rest). Booleans go as the strings true/false.
 */
function formFields(context: IExecuteFunctions, itemIndex: number, tool: MediaTool): Array<[string, string]> {
	const fields: Array<[string, string]> = [];
	const add = (name: string, value: unknown) => {
		const text = formValue(context, name, value, itemIndex);
		if (text !== undefined) fields.push([name, text]);
	};
	for (const field of tool.required ?? []) add(field.name, context.getNodeParameter(field.name, itemIndex));
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const optional = new Set((tool.optional ?? []).map((field) => field.name));
	for (const [name, value] of Object.entries(options)) {
		if (optional.has(name) && !NODE_OPTION_NAMES.includes(name)) add(name, value);
	}
	return fields;
}

/** Watermark's logo: a binary field of the same item, sent as the `watermarkFile` part. */
async function watermarkLogo(context: IExecuteFunctions, itemIndex: number, tool: MediaTool): Promise<Array<[string, InputFile]>> {
	if (!(tool.nodeOptions ?? []).some((option) => option.name === 'watermarkBinaryPropertyName')) return [];
	const logoField = String(context.getNodeParameter('options.watermarkBinaryPropertyName', itemIndex, '') ?? '').trim();
	const text = String(context.getNodeParameter('options.text', itemIndex, '') ?? '').trim();
	if (logoField === '' && text === '') {
		throw new NodeOperationError(context.getNode(), 'A watermark needs a text or a logo', {
			description: 'Add Options → Text, or Options → Logo Binary Field naming the binary field of the item that holds the logo image.',
			itemIndex,
		});
	}
	if (logoField === '') return [];
	const [logo] = await readInputFiles(context, itemIndex, logoField);
	return [['watermarkFile', logo]];
}

/**
 * Inspect's metadata at the top level of the item, whichever of the two documented answers
 * Convertly sends: `{ media: {…} }` [doc], or `files[0].downloadUrl` holding that JSON [sdk].
 */
async function metadataOf(context: IExecuteFunctions, run: RunContext, body: IDataObject, itemIndex: number): Promise<IDataObject> {
	const unwrap = (value: unknown): IDataObject | undefined => {
		if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
		const record = value as IDataObject;
		return typeof record.media === 'object' && record.media !== null && !Array.isArray(record.media) ? (record.media as IDataObject) : record;
	};
	if (body.media !== undefined) return unwrap(body) ?? body;
	const [first] = linkedFiles([body]);
	if (!first?.url) return body;
	const linked = unwrap(await readLinkedJson(context, run.client, first.url, itemIndex));
	if (!linked) {
		throw new NodeOperationError(context.getNode(), 'Convertly’s inspection result is not a JSON object', {
			description: 'Run the node again; if it keeps happening, report it to Convertly support.',
			itemIndex,
		});
	}
	return linked;
}
