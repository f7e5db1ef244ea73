import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { BINARY_ENCODING, NodeOperationError } from 'n8n-workflow';

import { sha256 } from '../helpers/hash';
import type { ApiResponse, ConvertlyClient } from '../transport';
import type { AttemptSources } from '../transport/sources';
import { sanitiseFileName } from './fileName';

/**
 * Read size when streaming a stored file to Convertly. n8n's default (64 KiB) costs about 1.5×
 * the CPU per GiB sent (bench (e)); 1 MiB per open file is still nothing next to the file.
 */
const UPLOAD_CHUNK_BYTES = 1024 * 1024;

/** One input file of a job, opened afresh for every upload attempt. */
export interface InputFile {
	/** The item's binary field it came from, for messages. */
	field: string;
	itemIndex: number;
	fileName: string;
	mimeType: string;
	size: number;
	/**
	 * What identifies this copy of the file, for the default Idempotency-Key: n8n's binary data id
	 * for a stored file (a new id whenever a run reads the file anew), or for a file n8n holds in
	 * memory a hash of its bytes within this execution (so the same bytes read by a later
	 * execution are a new copy, as a stored file read anew is).
	 */
	identity: string;
	/** The bytes as a stream; what it opens goes into `sources`, which the request attempt destroys when it ends. */
	open(sources?: AttemptSources): AsyncIterable<Uint8Array>;
	/** The bytes as a request body of their own (a Node stream, or a Buffer for data in memory). */
	body(): Promise<unknown>;
}

/** "data, attachment_1" → ["data", "attachment_1"]. */
export function parseFieldNames(value: unknown): string[] {
	return String(value ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
}

/**
 * Reads the item's binary fields named by Input Binary Field(s). Files n8n stores outside the
 * item (its default filesystem mode, S3, database) are streamed from storage when sent; only
 * files n8n already holds in memory are sent from memory.
 */
export async function readInputFiles(
	context: IExecuteFunctions,
	itemIndex: number,
	fieldList: unknown,
): Promise<InputFile[]> {
	const fields = parseFieldNames(fieldList);
	if (fields.length === 0) {
		throw new NodeOperationError(context.getNode(), 'Input Binary Field(s) is empty', {
			description: 'Enter the name of the binary field that holds the file, usually "data". Separate several fields with commas.',
			itemIndex,
		});
	}
	const duplicate = fields.find((field, index) => fields.indexOf(field) !== index);
	if (duplicate !== undefined) {
		// Sent as given, the same file would be uploaded (and billed, and converted) twice.
		throw new NodeOperationError(context.getNode(), `Input Binary Field(s) names "${duplicate}" twice`, {
			description: `List each binary field once, separated by commas (for example "data, attachment_1"). To send the same file twice, copy it into a second field first.`,
			itemIndex,
		});
	}
	const item = context.getInputData()[itemIndex];
	const available = Object.keys(item?.binary ?? {});
	const files: InputFile[] = [];
	for (const field of fields) {
		const binary = item?.binary?.[field];
		if (!binary) {
			throw new NodeOperationError(context.getNode(), `The item has no binary field "${field}"`, {
				description:
					available.length > 0
						? `Its binary fields are: ${available.join(', ')}. Set "Input Binary Field(s)" to one of them.`
						: 'The item has no file at all. Put a node that outputs a file before this one (for example Read/Write Files from Disk, HTTP Request with a file response, or a form upload).',
				itemIndex,
			});
		}
		files.push(await describeFile(context, binary, field, itemIndex));
	}
	return files;
}

async function describeFile(
	context: IExecuteFunctions,
	binary: IBinaryData,
	field: string,
	itemIndex: number,
): Promise<InputFile> {
	const fileName = sanitiseFileName(binary.fileName, `${field}${binary.fileExtension ? `.${binary.fileExtension}` : ''}`);
	const mimeType = binary.mimeType || 'application/octet-stream';
	let file: InputFile;
	if (binary.id) {
		const id = binary.id;
		const size = typeof binary.bytes === 'number' ? binary.bytes : (await context.helpers.getBinaryMetadata(id)).fileSize;
		file = {
			field,
			itemIndex,
			fileName,
			mimeType,
			size,
			identity: id,
			open: (sources) => streamFrom(async () => await context.helpers.getBinaryStream(id, UPLOAD_CHUNK_BYTES), sources),
			body: async () => await context.helpers.getBinaryStream(id, UPLOAD_CHUNK_BYTES),
		};
	} else {
		const buffer = Buffer.from(binary.data, BINARY_ENCODING);
		file = {
			field,
			itemIndex,
			fileName,
			mimeType,
			size: buffer.length,
			// The execution's id (n8n sets one for every execution; none only in unusual contexts).
			identity: `memory:${context.getExecutionId() ?? ''}:sha256:${sha256(binary.data)}`,
			open: () => streamFrom(async () => [buffer]),
			body: async () => buffer,
		};
	}
	if (file.size === 0) {
		throw new NodeOperationError(context.getNode(), `The file "${fileName}" in field "${field}" is empty`, {
			description: 'Convertly cannot convert an empty file. Check the node that produced it.',
			itemIndex,
		});
	}
	return file;
}

/**
 * Opens the source only when the upload reads it, so a retry reads the file again from the start.
 * The opened stream goes into the attempt's `sources`: the HTTP client stops reading when the
 * request ends early but does not destroy it, and only the attempt can close its file.
 */
async function* streamFrom(
	open: () => Promise<AsyncIterable<Uint8Array> | Uint8Array[]>,
	sources?: AttemptSources,
): AsyncIterable<Uint8Array> {
	const source = await open();
	yield* sources ? sources.add(source) : source;
}

interface FilePart {
	name: string;
	type: string;
	size: number;
	stream(): AsyncIterable<Uint8Array>;
}

/**
 * A multipart form in the shape of the web FormData, whose files are streams. n8n's HTTP
 * helper (axios) encodes such a form part by part as it sends it, with an exact
 * Content-Length, so no file is ever held in memory whole. The web FormData itself cannot be
 * used: it only takes Blobs, which live in memory.
 */
export class StreamingForm {
	readonly [Symbol.toStringTag] = 'FormData';

	private readonly parts: Array<[string, string | FilePart]> = [];

	append(name: string, value: string | FilePart): void {
		this.parts.push([name, value]);
	}

	entries(): IterableIterator<[string, string | FilePart]> {
		return this.parts[Symbol.iterator]();
	}

	[Symbol.iterator](): IterableIterator<[string, string | FilePart]> {
		return this.entries();
	}

	/** The file parts' total size in bytes. */
	get fileBytes(): number {
		return this.parts.reduce((sum, [, value]) => sum + (typeof value === 'string' ? 0 : value.size), 0);
	}
}

/** Builds the form for one attempt: text fields first, so the server can check them before the files arrive. */
export function buildForm(
	fields: Array<[string, string]>,
	fileField: string,
	files: InputFile[],
	extraParts: Array<[string, InputFile]> = [],
	sources?: AttemptSources,
): StreamingForm {
	const form = new StreamingForm();
	for (const [name, value] of fields) form.append(name, value);
	for (const [field, file] of [...files.map((file): [string, InputFile] => [fileField, file]), ...extraParts]) {
		form.append(field, { name: file.fileName, type: file.mimeType, size: file.size, stream: () => file.open(sources) });
	}
	return form;
}

/** "photo.png", 1.2 MB, image/png; or the first three of several files: for 413/415 messages. */
export function describeUpload(files: InputFile[]): string {
	const describe = (file: InputFile) => `"${file.fileName}", ${formatBytes(file.size)}, ${file.mimeType}`;
	if (files.length === 1) return describe(files[0]);
	const shown = files.slice(0, 3).map(describe).join('; ');
	return `${files.length} files: ${shown}${files.length > 3 ? '; …' : ''}`;
}

/** 1536 → "1.5 KB": sizes as messages and pickers show them. */
export function formatBytes(bytes: number): string {
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

export interface FormUpload {
	/** Path under the Base URL, e.g. /api/jobs. */
	path: string;
	/** Text fields, sent before the files so the server can check them first. */
	fields: Array<[string, string]>;
	/** The multipart field each file goes in: `files` (repeated) or `file`. */
	fileField: string;
	files: InputFile[];
	/** Further files in parts of their own, after `files` (a watermark's logo as `watermarkFile`). */
	extraParts?: Array<[string, InputFile]>;
	/** Sent as the Idempotency-Key header: a repeat returns what the first request created. */
	idempotencyKey: string;
	/**
	 * Whether the request may be sent again after an answer that may have been acted on (5xx, a
	 * dropped connection): only when the key makes a repeat harmless. Default true.
	 */
	repeatable?: boolean;
	itemIndex: number;
}

/**
 * POSTs files as a streamed multipart form. The form is built afresh for every attempt (the
 * files are read again from the start).
 */
export async function postForm(client: ConvertlyClient, upload: FormUpload): Promise<ApiResponse> {
	const extraParts = upload.extraParts ?? [];
	return await client.request(
		{
			method: 'POST',
			path: upload.path,
			headers: { 'Idempotency-Key': upload.idempotencyKey },
			body: async (sources) => buildForm(upload.fields, upload.fileField, upload.files, extraParts, sources),
			repeatable: upload.repeatable ?? true,
			files: describeUpload([...upload.files, ...extraParts.map(([, file]) => file)]),
			bodyBytes: [...upload.files, ...extraParts.map(([, file]) => file)].reduce((sum, file) => sum + file.size, 0),
		},
		{ itemIndex: upload.itemIndex },
	);
}
