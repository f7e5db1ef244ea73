import type { IBinaryData, IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mapInPool } from '../helpers/pool';
import type { ConvertlyClient, DownloadBody } from '../transport';
import { REQUEST_LIMITS } from '../transport';
import { quote } from '../transport/errors';
import { sanitiseFileName } from './fileName';

/**
 * A file Convertly names by a link: a job's result, a media tool's answer, a stored file. Where
 * to fetch it, what to call it, and how messages name it.
 */
/** A file an answer names (a job's results, a media tool's `files`): where to fetch it, what to call it. */
export interface LinkedFile {
	/** Position among all files of the answer, which names its binary field. */
	position: number;
	/** Index of the entry (of a job's results) it belongs to. */
	entry: number;
	filename?: string;
	mimeType?: string;
	url?: string;
	/** Why the file is missing, when Convertly says so. */
	error?: string;
	/** The file's size as Convertly gives it, which bounds a compressed download. */
	size?: number;
}

export interface RemoteFile {
	url: string;
	filename?: string;
	mimeType?: string;
	/** The size Convertly gives for the file, which bounds a compressed download. */
	size?: number;
	/** The name when neither Convertly, the headers nor the link give one. */
	fallbackName: string;
	/** How messages name it: `result file "a.png"`. */
	kind: string;
	/** Its name as messages quote it: `"a.png"`. */
	name: string;
}

export interface FetchOptions {
	itemIndex: number;
	/** A fresh link for the file, for when a signed one was refused as expired (asked once). */
	freshUrl?: () => Promise<string | undefined>;
}

type BinaryContext = IExecuteFunctions | IWebhookFunctions;

/** How deep `file` / `files` may nest inside an entry (media-tool and transfer results). */
const MAX_NESTING = 8;


/**
 * Streams one file into n8n's binary data store. `https:`/`http:` links go through the client
 * (the key only to the Base URL's origin, bounded in time and size, Stop obeyed); `data:` links
 * are decoded locally in a request slot; any other scheme is refused. A link refused as expired
 * (401/403/404/410) is replaced once by `freshUrl`.
 */
export async function downloadToBinary(
	context: BinaryContext,
	client: ConvertlyClient,
	file: RemoteFile,
	options: FetchOptions,
): Promise<IBinaryData> {
	const first = await fetchUrl(context, client, file, file.url, options.itemIndex);
	if (first.kind === 'ok') return first.value;
	const fresh = await options.freshUrl?.();
	if (fresh) {
		const second = await fetchUrl(context, client, file, fresh, options.itemIndex);
		if (second.kind === 'ok') return second.value;
	}
	throw new NodeOperationError(context.getNode(), `The download link of ${file.name} no longer works (HTTP ${first.statusCode})`, {
		description: options.freshUrl
			? 'The node asked Convertly again for a fresh link, and that did not work either. The file may have been deleted from Convertly storage; run the job again to get new results.'
			: 'Signed links expire after a few minutes. Run the node again to get a new link.',
		itemIndex: options.itemIndex,
	});
}

async function fetchUrl(
	context: BinaryContext,
	client: ConvertlyClient,
	file: RemoteFile,
	url: string,
	itemIndex: number,
): Promise<{ kind: 'ok'; value: IBinaryData } | { kind: 'refused'; statusCode: number }> {
	const subject = file.name;
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new NodeOperationError(context.getNode(), `The download link of ${subject} is not a valid URL`, { itemIndex });
	}
	const { fallbackName } = file;
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
	return await client.download(url, { itemIndex, subject: `${file.kind} ${file.name}`, expectedBytes: file.size }, async (body: DownloadBody, headers: IDataObject) => {
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

/**
 * A small JSON document a link points at (inspect's metadata as a file), read within the size
 * limit of API answers: a `data:` link decoded locally, an `https:`/`http:` one through the client.
 */
export async function readLinkedJson(context: BinaryContext, client: ConvertlyClient, url: string, itemIndex: number): Promise<unknown> {
	const subject = 'result file "metadata.json"';
	const parse = (text: string) => {
		try {
			return JSON.parse(text) as unknown;
		} catch {
			throw new NodeOperationError(context.getNode(), 'Convertly’s result file is not valid JSON', {
				description: 'Run the node again; if it keeps happening, report it to Convertly support.',
				itemIndex,
			});
		}
	};
	if (url.startsWith('data:')) return parse(decodeDataUrl(context, url, subject, itemIndex).bytes.toString('utf8'));
	if (!/^https?:/i.test(url)) {
		throw new NodeOperationError(context.getNode(), `The link of ${subject} uses an unsupported scheme`, { itemIndex });
	}
	const result = await client.download(url, { itemIndex, subject }, async (body) => {
		const chunks: Buffer[] = [];
		let size = 0;
		for await (const chunk of body as AsyncIterable<Buffer>) {
			size += chunk.length;
			if (size > REQUEST_LIMITS.maxJsonBytes) {
				throw new NodeOperationError(context.getNode(), `The ${subject} is larger than ${REQUEST_LIMITS.maxJsonBytes / 1024 / 1024} MiB`, { itemIndex });
			}
			chunks.push(chunk);
		}
		return Buffer.concat(chunks).toString('utf8');
	});
	if (result.kind !== 'ok') {
		throw new NodeOperationError(context.getNode(), `The download link of ${subject} no longer works (HTTP ${result.statusCode})`, {
			description: 'Signed links expire after a few minutes. Run the node again to get a new link.',
			itemIndex,
		});
	}
	return parse(result.value);
}

/** The binary field of the file at `position`: `<field>` for the first when asked, else `<field>_<n>`. */
export function outputField(field: string, position: number, firstFileInField: boolean): string {
	return firstFileInField && position === 0 ? field : `${field}_${position}`;
}

/**
 * Downloads every file that has a link, in parallel within Max Concurrency, into n8n binary data;
 * undefined for a file without a link. `fresh` names the files again (read once, when a signed
 * link was refused as expired).
 */
export async function downloadLinkedFiles(
	context: BinaryContext,
	client: ConvertlyClient,
	files: LinkedFile[],
	options: { itemIndex: number; kind: string; fresh?: () => Promise<LinkedFile[]> },
): Promise<Array<IBinaryData | undefined>> {
	let refreshed: Promise<LinkedFile[]> | undefined;
	const freshFiles = async () => {
		refreshed ??= options.fresh?.() ?? Promise.resolve([]);
		return await refreshed;
	};
	return await mapInPool(files.length, client.maxConcurrency, async (index) => {
		const file = files[index];
		if (!file.url) return undefined;
		const name = quote(sanitiseFileName(file.filename, `file ${file.position + 1}`));
		return await downloadToBinary(
			context,
			client,
			{ ...file, url: file.url, name, kind: options.kind, fallbackName: `result-${file.position + 1}` },
			{
				itemIndex: options.itemIndex,
				freshUrl: options.fresh
					? async () => (await freshFiles()).find((candidate) => candidate.position === file.position && candidate.filename === file.filename)?.url
					: undefined,
			},
		);
	});
}

/** Every file the entries name, in order: entries with a link, and nested `file` / `files`. */
export function linkedFiles(entries: IDataObject[]): LinkedFile[] {
	const files: LinkedFile[] = [];
	entries.forEach((entry, index) => {
		// Depth-first in result order, without recursion, so no answer can exhaust the stack.
		const pending: Array<[unknown, number]> = [[entry, 0]];
		while (pending.length > 0) {
			const [value, depth] = pending.shift() as [unknown, number];
			if (typeof value !== 'object' || value === null || Array.isArray(value) || depth > MAX_NESTING) continue;
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
