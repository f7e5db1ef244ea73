import type { IBinaryData, IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ConvertlyClient, DownloadBody } from '../transport';
import { sanitiseFileName } from './fileName';

/**
 * A file Convertly names by a link: a job's result, a media tool's answer, a stored file. Where
 * to fetch it, what to call it, and how messages name it.
 */
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
		description:
			'The node asked Convertly again for a fresh link, and that did not work either. The file may have been deleted from Convertly storage; run the job again to get new results.',
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
