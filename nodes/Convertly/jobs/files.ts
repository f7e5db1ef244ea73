import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPairedItemData,
	IWebhookFunctions,
} from 'n8n-workflow';

import { downloadLinkedFiles, linkedFiles, outputField } from '../files/download';
import type { ConvertlyClient } from '../transport';
import type { ConvertlyJob, OutputMode } from './job';
import { resultEntries } from './job';

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
	/**
	 * Output "Job": the first file in `binaryField` itself, the others in `<field>_1`, … (node
	 * version 1.1 and the Media Tool); else every file in `<field>_<n>` (version 1).
	 */
	firstFileInField?: boolean;
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

	const files = linkedFiles(entries);
	const binaries = await downloadLinkedFiles(context, client, files, {
		itemIndex: options.itemIndex,
		kind: 'result file',
		// Signed links expire after minutes: the job read again names fresh ones.
		fresh: async () => linkedFiles(resultEntries(await options.refreshJob())),
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
			if (data) binary[outputField(options.binaryField, file.position, options.firstFileInField ?? false)] = data;
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
