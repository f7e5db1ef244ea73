import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPairedItemData,
	IWebhookFunctions,
} from 'n8n-workflow';

import { downloadToBinary } from '../files/download';
import { mapInPool } from '../helpers/pool';
import { sanitiseFileName } from '../files/fileName';
import type { ConvertlyClient } from '../transport';
import { quote } from '../transport/errors';
import type { ConvertlyJob, OutputMode } from './job';
import { resultEntries } from './job';

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
	const binaries = await mapInPool(files.length, client.maxConcurrency, async (index) => {
		const file = files[index];
		if (!file.url) return undefined;
		const name = quote(sanitiseFileName(file.filename, `file ${file.position + 1}`));
		return await downloadToBinary(
			context,
			client,
			{ ...file, url: file.url, name, kind: 'result file', fallbackName: `result-${file.position + 1}` },
			{
				itemIndex: options.itemIndex,
				// Signed links expire after minutes: the job read again names a fresh one.
				freshUrl: async () =>
					(await freshFiles()).find((candidate) => candidate.position === file.position && candidate.filename === file.filename)?.url,
			},
		);
	});

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

function stringOr(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}
