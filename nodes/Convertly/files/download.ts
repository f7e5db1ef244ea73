import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPairedItemData,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ConvertlyJob } from '../helpers/job';
import type { OutputMode } from '../helpers/output';
import { resultEntries } from '../helpers/output';
import type { ConvertlyClient, DownloadBody } from '../transport';
import { quote } from '../transport/errors';
import { sanitiseFileName } from './fileName';

/** A result file named by a job: where to fetch it and what to call it. */
interface ResultFile {
	/** Position among all files of the job, which names the binary field with Output "Job". */
	position: number;
	/** Index of the results entry it belongs to. */
	entry: number;
	filename?: string;
	mimeType?: string;
	url?: string;
	/** Why the file is missing, when Convertly says so. */
	error?: string;
	/** The file's size as Convertly gives it, which bounds a compressed download. */
	size?: number;
}

/** How deep `file` / `files` may nest inside a result entry (media-tool and transfer results). */
const MAX_RESULT_NESTING = 8;

export interface DownloadOptions {
	job: ConvertlyJob;
	output: OutputMode;
	/** Binary field name; with Output "Job" files go to `<name>_0`, `<name>_1`, … */
	binaryField: string;
	pairedItem: IPairedItemData | IPairedItemData[];
	itemIndex: number;
	extra?: IDataObject;
	/** Gets the job again, for fresh download links when a signed one has expired. */
	refreshJob: () => Promise<ConvertlyJob>;
}

export interface DownloadOutcome {
	items: INodeExecutionData[];
	/** Set when nothing could be downloaded because the job had not completed. */
	notCompleted?: string;
	missing: number;
}

type BinaryContext = IExecuteFunctions | IWebhookFunctions;

/**
 * Turns a job into output items with its result files attached as n8n binary data. Files are
 * streamed into n8n's binary data store (to disk in its default mode) and fetched in parallel
 * within Max Concurrency; a link refused as expired is renewed once by reading the job again.
 */
export async function jobItemsWithFiles(
	context: BinaryContext,
	client: ConvertlyClient,
	options: DownloadOptions,
): Promise<DownloadOutcome> {
	const { job, output, pairedItem, extra = {} } = options;
	const entries = resultEntries(job);

	if (job.status !== 'completed') {
		const note = `The job is ${job.status}, so it has no result files to download yet. Turn on "Wait for Completion", or download later with Job → Get.`;
		const fileDownload = { downloaded: 0, note };
		if (output === 'job') return { items: [{ json: { ...job, ...extra, fileDownload }, pairedItem }], notCompleted: note, missing: 0 };
		return {
			items: entries.map((entry) => ({ json: { ...entry, jobId: job.jobId, ...extra, fileDownload }, pairedItem })),
			notCompleted: note,
			missing: 0,
		};
	}

	const files = filesOf(job);
	let refreshed: Promise<ResultFile[]> | undefined;
	const freshFiles = async () => {
		refreshed ??= options.refreshJob().then(filesOf);
		return await refreshed;
	};
	const binaries = await inBoundedQueue(files, client.maxConcurrency, async (file) =>
		file.url ? await fetchFile(context, client, file, options, freshFiles) : undefined,
	);

	const missing = files
		.filter((file, index) => binaries[index] === undefined)
		.map((file) => ({ filename: file.filename ?? `file ${file.position + 1}`, reason: file.error ?? 'Convertly gave no download link for it.' }));
	const failedInConvertly = typeof job.failedFiles === 'number' && job.failedFiles > missing.length ? job.failedFiles : 0;
	const summary = (downloaded: number, missingHere: typeof missing): IDataObject => ({
		downloaded,
		...(missingHere.length > 0 ? { missing: missingHere } : {}),
		...(failedInConvertly > 0
			? { note: `${failedInConvertly} of ${job.totalFiles ?? '?'} files failed in Convertly and have no result to download.` }
			: {}),
	});

	if (output === 'job') {
		const binary: Record<string, IBinaryData> = {};
		files.forEach((file, index) => {
			const data = binaries[index];
			if (data) binary[`${options.binaryField}_${file.position}`] = data;
		});
		return {
			items: [{ json: { ...job, ...extra, fileDownload: summary(Object.keys(binary).length, missing) }, binary, pairedItem }],
			missing: missing.length + failedInConvertly,
		};
	}

	const items = entries.map((entry, entryIndex) => {
		const own = files.map((file, index) => ({ file, data: binaries[index] })).filter(({ file }) => file.entry === entryIndex);
		const binary: Record<string, IBinaryData> = {};
		own.forEach(({ data }, index) => {
			if (data) binary[own.length === 1 ? options.binaryField : `${options.binaryField}_${index}`] = data;
		});
		const missingHere = own
			.filter(({ data }) => !data)
			.map(({ file }) => ({ filename: file.filename ?? `file ${file.position + 1}`, reason: file.error ?? 'Convertly gave no download link for it.' }));
		const json: IDataObject = { ...entry, jobId: job.jobId, ...extra };
		if (missingHere.length > 0 || own.length === 0) json.fileDownload = summary(Object.keys(binary).length, missingHere);
		return { json, binary, pairedItem };
	});
	return { items, missing: missing.length + failedInConvertly };
}

/** Every file a job's results name, in order: entries with a link, nested `file`/`files`. */
function filesOf(job: ConvertlyJob): ResultFile[] {
	const files: ResultFile[] = [];
	resultEntries(job).forEach((entry, index) => {
		// Depth-first in result order, without recursion, so no answer can exhaust the stack.
		const pending: Array<[unknown, number]> = [[entry, 0]];
		while (pending.length > 0) {
			const [value, depth] = pending.shift() as [unknown, number];
			if (typeof value !== 'object' || value === null || Array.isArray(value) || depth > MAX_RESULT_NESTING) continue;
			const record = value as IDataObject;
			const url = record.downloadUrl ?? record.download_url;
			const looksLikeFile = 'downloadUrl' in record || 'download_url' in record || (typeof record.filename === 'string' && typeof record.error === 'string');
			if (looksLikeFile) {
				files.push({
					position: files.length,
					entry: index,
					filename: stringOr(record.filename) ?? stringOr(record.name),
					mimeType: stringOr(record.mimeType) ?? stringOr(record.mime_type),
					url: stringOr(url),
					error: stringOr(record.error) ?? stringOr(record.errorMessage),
					size: sizeOf(record),
				});
				continue;
			}
			const nested: unknown[] = [];
			if (record.file) nested.push(record.file);
			if (Array.isArray(record.files)) nested.push(...record.files);
			pending.unshift(...nested.map((child): [unknown, number] => [child, depth + 1]));
		}
	});
	return files;
}

function sizeOf(record: IDataObject): number | undefined {
	for (const value of [record.finalSize, record.final_size, record.size, record.sizeBytes, record.bytes]) {
		if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
	}
	return undefined;
}

/**
 * Maps the files with at most `size` at work at once, in order. After the first failure no new
 * file is started, and the failure is thrown only once the files already at work have ended, so
 * that nothing is still being written when the node has failed.
 */
async function inBoundedQueue<T, R>(entries: T[], size: number, map: (entry: T) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(entries.length);
	let next = 0;
	let failure: { error: unknown } | undefined;
	const worker = async () => {
		while (next < entries.length && !failure) {
			const index = next++;
			try {
				results[index] = await map(entries[index]);
			} catch (error) {
				failure ??= { error };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(size, entries.length)) }, worker));
	if (failure) throw failure.error;
	return results;
}

function stringOr(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

async function fetchFile(
	context: BinaryContext,
	client: ConvertlyClient,
	file: ResultFile,
	options: DownloadOptions,
	freshFiles: () => Promise<ResultFile[]>,
): Promise<IBinaryData> {
	const subject = quote(sanitiseFileName(file.filename, `file ${file.position + 1}`));
	const first = await fetchUrl(context, client, file, file.url as string, options.itemIndex, subject);
	if (first.kind === 'ok') return first.value;
	// Signed links expire after minutes: read the job again for a fresh link, and try once more.
	const fresh = (await freshFiles()).find((candidate) => candidate.position === file.position && candidate.filename === file.filename);
	if (fresh?.url) {
		const second = await fetchUrl(context, client, file, fresh.url, options.itemIndex, subject);
		if (second.kind === 'ok') return second.value;
	}
	throw new NodeOperationError(context.getNode(), `The download link of ${subject} no longer works (HTTP ${first.statusCode})`, {
		description:
			'The node fetched the job again for a fresh link, and that did not work either. The result may have been deleted from Convertly storage; run the job again to get new results.',
		itemIndex: options.itemIndex,
	});
}

async function fetchUrl(
	context: BinaryContext,
	client: ConvertlyClient,
	file: ResultFile,
	url: string,
	itemIndex: number,
	subject: string,
): Promise<{ kind: 'ok'; value: IBinaryData } | { kind: 'refused'; statusCode: number }> {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new NodeOperationError(context.getNode(), `The download link of ${subject} is not a valid URL`, { itemIndex });
	}
	const fallbackName = `result-${file.position + 1}`;
	if (parsed.protocol === 'data:') {
		// Decoded in a request slot, so that thousands of data: results are written a few at a time.
		return await client.inSlot(itemIndex, async () => {
			const { bytes, mimeType } = decodeDataUrl(context, url, subject, itemIndex);
			const fileName = sanitiseFileName(file.filename, fallbackName);
			return { kind: 'ok', value: await context.helpers.prepareBinaryData(bytes, fileName, file.mimeType ?? mimeType) };
		});
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw new NodeOperationError(context.getNode(), `The download link of ${subject} uses an unsupported scheme (${parsed.protocol})`, {
			description: 'Only https:, http: and data: links are downloaded. Report this to Convertly support if it comes from Convertly.',
			itemIndex,
		});
	}
	return await client.download(url, { itemIndex, subject, expectedBytes: file.size }, async (body: DownloadBody, headers: IDataObject) => {
		const mimeType = file.mimeType ?? headerValue(headers['content-type']) ?? undefined;
		const fileName = sanitiseFileName(file.filename ?? fileNameFrom(headers['content-disposition']) ?? lastSegment(parsed), fallbackName);
		return await context.helpers.prepareBinaryData(body, fileName, mimeType);
	});
}

function lastSegment(url: URL): string | undefined {
	try {
		return decodeURIComponent(url.pathname.split('/').pop() ?? '');
	} catch {
		return undefined;
	}
}

function headerValue(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value.split(';')[0].trim() : undefined;
}

function fileNameFrom(disposition: unknown): string | undefined {
	if (typeof disposition !== 'string') return undefined;
	const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
	if (encoded) {
		try {
			return decodeURIComponent(encoded[1]);
		} catch {
			// fall through to the plain form
		}
	}
	return /filename="?([^";]+)"?/i.exec(disposition)?.[1];
}

/**
 * Decodes a data: URL locally (Convertly uses them when storage is off): nothing is fetched. Its
 * size is bounded by the API answer it came in (REQUEST_LIMITS.maxJsonBytes).
 */
function decodeDataUrl(
	context: BinaryContext,
	url: string,
	subject: string,
	itemIndex: number,
): { bytes: Buffer; mimeType?: string } {
	const malformed = () =>
		new NodeOperationError(context.getNode(), `The data: link of ${subject} is malformed`, {
			description: 'Convertly sent a result file inline, and its content could not be decoded. Run the job again; if it keeps happening, report it to Convertly support.',
			itemIndex,
		});
	const comma = url.indexOf(',');
	if (comma < 0) throw malformed();
	const meta = url.slice('data:'.length, comma);
	const payload = url.slice(comma + 1);
	const isBase64 = /;base64$/i.test(meta);
	const mimeType = meta.replace(/;base64$/i, '').split(';')[0] || undefined;
	if (isBase64) return { bytes: Buffer.from(payload, 'base64'), mimeType };
	try {
		return { bytes: Buffer.from(decodeURIComponent(payload), 'utf8'), mimeType };
	} catch {
		throw malformed();
	}
}
