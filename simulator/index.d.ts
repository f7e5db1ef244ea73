// Types for the simulator (plain JS so that it may use Node built-ins).
import type { SimulatorWebhooks } from './webhooks';

/** The simulator's node:events EventEmitter (typed structurally: .d.ts files obey the same import rules). */
export interface SimulatorEvents {
	on(event: 'job-created' | 'job-cancelled', listener: (view: SimulatorJob, job: unknown) => void): this;
	once(event: 'job-created' | 'job-cancelled', listener: (view: SimulatorJob, job: unknown) => void): this;
	off(event: 'job-created' | 'job-cancelled', listener: (view: SimulatorJob, job: unknown) => void): this;
	emit(event: string, ...args: unknown[]): boolean;
}

export interface SimulatorFault {
	/** Only requests whose path starts with this (global faults only). */
	path?: string;
	/** Only requests with this method (e.g. 'POST', 'DELETE'). */
	method?: string;
	/** Which server the fault applies to (global faults only): the API origin (default) or the storage origin. */
	origin?: 'api' | 'storage';
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** Retry-After in seconds (or any literal header value). */
	retryAfter?: number | string;
	/** Retry-After as an HTTP date this many milliseconds from now. */
	retryAfterMs?: number;
	upgradeUrl?: string;
	/** Destroy the socket without answering (before reading an upload). */
	drop?: boolean;
	/** POST /api/jobs: read the whole upload, create the job (idempotency honoured), then destroy the socket without answering. */
	dropAfterUpload?: boolean;
	/** Send the headers and this many bytes of the body (a download or a JSON answer), then destroy the socket. */
	dropAfterBytes?: number;
	/** Answer with this text (or a default HTML page) as text/html. */
	nonJson?: string | true;
	/** Wait this long before answering (or before the fault). */
	delayMs?: number;
	/** How many requests the fault applies to (default 1). */
	times?: number;
}

export type DownloadMode = 'api' | 'storage' | 'redirect' | 'data';

export interface SimulatorResultFile {
	filename?: string;
	mimeType?: string;
	/** The file's bytes are the synthetic pattern (byte i = i % 251), generated as a stream. */
	sizeBytes: number;
}

export interface SimulatorJobSpec {
	jobId?: string;
	jobType?: 'convert' | 'compress' | 'media_tool' | 'transfer';
	totalFiles?: number;
	failedFiles?: number;
	outcome?: 'completed' | 'failed';
	pendingMs?: number;
	/** null: the job never finishes. */
	processingMs?: number | null;
	pendingStatus?: string;
	errorMessage?: string;
	tool?: string;
	/** Literal results (not downloadable unless the URLs point somewhere real). */
	results?: unknown;
	/** Downloadable synthetic results, one convert-style entry per file. */
	resultFiles?: SimulatorResultFile[];
	/** How result files are offered (default: the simulator's downloadMode when the job is added). */
	downloads?: DownloadMode;
	extra?: Record<string, unknown>;
	faults?: SimulatorFault[];
	createdAt?: string;
	/** Created this many (simulated) ms before it is added; keeps fixture dates recent. */
	ageMs?: number;
	/** Start the job's lifecycle at its first read rather than at creation. */
	startsOnFirstRead?: boolean;
	callbackUrl?: string;
	callbackSecret?: string;
}

export interface SimulatorJob {
	jobId: string;
	jobType: string;
	status: string;
	totalFiles: number;
	completedFiles: number;
	failedFiles: number;
	progress: number;
	createdAt: string;
	errorMessage: string | null;
	results: unknown;
	completedAt: string | null;
	[field: string]: unknown;
}

/** One result entry of a convert/compress job (like the sync convert items). */
export interface SimulatorResultEntry {
	filename: string;
	mimeType?: string;
	originalSize?: number;
	finalSize?: number;
	savedPercent?: number;
	downloadUrl: string | null;
	appliedQuality?: number;
	storedFileId?: string;
	/** Only on entries of files that failed. */
	error?: string;
}

export interface RecordedRequest {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	at: number;
	jobId?: string;
	status?: number | 'dropped' | 'aborted';
	/** The job status the answer carried, for successful job reads. */
	jobStatus?: string;
}

export interface RecordedFilePart {
	field: string;
	filename: string;
	mimeType: string;
	/** Bytes received (also when the file was refused and discarded). */
	size: number;
	/** SHA-256 (hex) of the bytes received, once the part has ended. */
	sha256?: string;
}

export interface RecordedCreateRequest {
	at: number;
	headers: Record<string, string | string[] | undefined>;
	idempotencyKey?: string;
	/** Non-file fields as received (the last value of a repeated name). */
	fields: Record<string, string>;
	fieldList: Array<[string, string]>;
	files: RecordedFilePart[];
	status?: number | 'dropped' | 'aborted';
	jobId?: string;
	/** True when the Idempotency-Key matched an existing job (no new job). */
	reused: boolean;
}

/** The media tools of POST /api/media/{tool}. */
export type MediaToolName =
	| 'thumbnail'
	| 'poster-frame'
	| 'storyboard'
	| 'gif'
	| 'trim'
	| 'extract-audio'
	| 'concat-audio'
	| 'convert'
	| 'watermark'
	| 'remove-background'
	| 'transform'
	| 'adjust'
	| 'pdf-preview'
	| 'image-to-pdf'
	| 'strip-metadata'
	| 'inspect';

/** One POST /api/media/{tool}, POST /api/convert or POST /api/compress, as received. */
export interface RecordedMediaRequest {
	at: number;
	/** The path: '/api/media/thumbnail', '/api/convert', '/api/compress', … */
	endpoint: string;
	/** The media tool (undefined for /api/convert and /api/compress). */
	tool?: string;
	headers: Record<string, string | string[] | undefined>;
	idempotencyKey?: string;
	/** Non-file fields as received (the last value of a repeated name). */
	fields: Record<string, string>;
	/** Every non-file field in order, repeats included. */
	fieldList: Array<[string, string]>;
	/** Names of fields the endpoint does not know (ignored, like the API would; a typo shows here). */
	unknownFields: string[];
	/** Every file part: field name ('file', 'files', 'watermarkFile', …), filename, MIME type, size, sha256. */
	files: RecordedFilePart[];
	/** The sourceUrl and what fetching it gave: status 'fetched' (with filename, mimeType, size, sha256) or the error text. */
	sourceUrl?: { url: string; status?: string; filename?: string; mimeType?: string; size?: number; sha256?: string };
	/** Whether it asked for a background job (async=true or background=true). */
	async: boolean;
	status?: number | 'dropped' | 'aborted';
	/** The media_tool job created (or reused) for an async call. */
	jobId?: string;
	/** True when the Idempotency-Key matched an existing media job (no new job). */
	reused: boolean;
	/** Id of a sync call's result files: the jobId segment of their download URLs and of downloads() records. */
	outputId?: string;
	/** What the call produced (dimensions: the pixel size of a generated image). */
	outputs: Array<{ filename: string; mimeType: string; sizeBytes: number; dimensions?: { width: number; height: number } }>;
}

/** One file of a media tool's answer (sync) or job results. [doc] */
export interface MediaFileResult {
	filename: string;
	mimeType: string;
	originalSize: number;
	finalSize: number;
	downloadUrl: string;
}

/** The `media` object of an inspect answer. [doc] field names; null = unknown [inferred]. */
export interface InspectedMedia {
	filename: string;
	mimeType: string;
	sizeBytes: number;
	kind: 'image' | 'video' | 'audio' | 'document' | 'other';
	format: string | null;
	width: number | null;
	height: number | null;
	duration: number | null;
	bitrateKbps: number | null;
	streams: Array<{ index: number; type: string; codec: string | null; width?: number | null; height?: number | null }>;
}

/** A sync media tool answer (HTTP 200). */
export interface MediaSyncResponse {
	files: MediaFileResult[];
}

/** An async media tool answer (HTTP 200). */
export interface MediaAsyncResponse {
	jobId: string;
	status: string;
	tool: string;
}

export interface RecordedDownload {
	origin: 'api' | 'storage';
	method: string;
	path: string;
	/** Whether the request carried an Authorization or x-api-key header (any value). */
	withKey: boolean;
	at: number;
	jobId?: string;
	/** Storage origin: the stored file a /stored/… URL served. */
	fileId?: string;
	status?: number | 'dropped' | 'aborted';
	bytesSent: number;
	/** Storage origin: bytes a signed upload PUT carried. */
	bytesReceived?: number;
}

export interface SimulatorPlan {
	maxFilesPerBatch?: number | null;
	maxFileSizeBytes?: number | null;
	lockedFormats?: string[];
	/** Media tools not on the plan: POST /api/media/{tool} answers 403 { error, upgradeUrl }. */
	lockedTools?: MediaToolName[];
	unsupportedMimeTypes?: string[];
	/** Convertly Storage quota: bytes all stored files may take (null: no limit). Over it: 403 { error: 'Storage limit reached.', upgradeUrl }. */
	storageLimitBytes?: number | null;
	upgradeUrl?: string;
}

/** A stored file as the API answers it (StoredFileRecord; see simulator/storage.js's API DETAILS for each field's source). */
export interface StoredFileRecord {
	id: string;
	filename: string;
	mime_type: string;
	size_bytes: number;
	created_at: string;
	folder_id: string | null;
	description: string | null;
	tags: string[];
	cdn_slug: string | null;
	width: number | null;
	height: number | null;
	duration: number | null;
	metadata: Record<string, unknown>;
	/** A signed storage-origin URL, fresh on every read (no API key needed). */
	downloadUrl: string;
	/** The same URL (the SDK's name). */
	download_url: string;
	/** GET /api/files/{id} only: seconds the URL stays valid. */
	expiresIn?: number;
}

/** What the simulator holds of a stored file (test hook; no URLs). */
export interface StoredFileInfo {
	id: string;
	filename: string;
	mimeType: string;
	sizeBytes: number;
	folderId: string | null;
	/** '/' for the root, else '/Clients/Acme'. */
	folderPath: string;
	createdAt: string;
	description: string | null;
	tags: string[];
	cdnSlug: string | null;
	width: number | null;
	height: number | null;
	/** SHA-256 (hex) of the bytes (null for seeded files). */
	sha256: string | null;
	/** How it got there: POST /api/files, the 3-step upload, a tool, an archive, a transfer or seedFiles(). */
	origin: 'upload' | 'presigned' | 'tool' | 'archive' | 'transfer' | 'seed';
	/** False for seeded files, whose bytes are the synthetic pattern until a tool needs them on disk. */
	onDisk: boolean;
}

/** A folder (the API's shape plus `path`, which the API does not send: the simulator computes it for tests). */
export interface StoredFolderInfo {
	id: string;
	name: string;
	color: string | null;
	parent_id: string | null;
	created_at: string;
	path: string;
}

/** One 3-step upload: step 1's request, every PUT at the storage origin, the complete calls. */
export interface UploadRecord {
	uploadId: string;
	path: string;
	filename: string;
	sizeBytes: number;
	contentType: string;
	folderId: string | null;
	resumable: boolean;
	signedUrl: string;
	createdAt: string;
	/** Simulated epoch ms after which the signed URL is refused. */
	expires: number;
	/** Every request to the signed URL; withKey: an Authorization or x-api-key header arrived (it is refused with 400). */
	puts: Array<{ at: number; withKey: boolean; contentType?: string; contentLength?: string; bytesReceived: number; status?: number | 'aborted'; sha256?: string }>;
	/** POST /api/uploads/complete calls for this path (repeats included). */
	completeCalls: number;
	/** The stored file, once completed. */
	fileId?: string;
	/** Bytes of the last accepted PUT. */
	bytesStored: number;
	/** Whether any request to the signed URL carried an API key. */
	keyAtStorage: boolean;
}

/** One POST /api/transfer. */
export interface TransferRecord {
	at: number;
	body: Record<string, unknown>;
	idempotencyKey?: string;
	mode?: 'async' | 'sync' | 'download';
	status?: number;
	jobId?: string;
	/** True when the Idempotency-Key matched an earlier transfer (nothing fetched again). */
	reused: boolean;
	/** The sourceUrl fetch: status 'fetched' (with filename, mimeType, size, sha256) or the error text. */
	fetch?: { url: string; status: string; filename?: string; mimeType?: string; size?: number; sha256?: string };
	/** Stored files (once an async job has finished). */
	fileIds: string[];
}

export interface SeedFilesOptions {
	/** Folder of every seeded file (default: the root). */
	folderId?: string | null;
	/** Default 'image/png'. */
	mimeType?: string;
	/** Default 1024 (bytes are the synthetic pattern; nothing is written to disk). */
	sizeBytes?: number;
	/** Default seed-00001.png, … */
	filename?: (index: number) => string;
	width?: number | null;
	height?: number | null;
	tags?: string[];
}

export interface SimulatorSettings {
	/** Default download mode of jobs added or created from now on (default 'api'). */
	downloadMode?: DownloadMode;
	/** Lifetime of signed storage URLs in simulated ms (default 5 minutes). */
	signedUrlTtlMs?: number;
	/** Status of an expired signed URL (default 403). */
	signedUrlExpiredStatus?: number;
	/**
	 * Lifecycle of jobs created by POST /api/jobs (default 200 ms pending, 300 ms per file).
	 * processingMsCycle: the n-th job created since the last reset processes for cycle[n % length] ms
	 * instead (jobs of varied length, e.g. [1000, 3000, 5000, 2000, 4000]).
	 */
	createdJobTiming?: { pendingMs?: number; processingMsPerFile?: number; processingMsCycle?: number[] | null };
	/** Success body of DELETE /api/jobs/{id}: the job view (default), { success, message }, or 204. */
	cancelResponse?: 'job' | 'ack' | 'empty';
	/** The pagination object of GET /api/jobs (default 'full': limit, offset, total, hasMore). */
	listPagination?: 'full' | 'total' | 'hasMore' | 'none';
	plan?: SimulatorPlan | null;
	/**
	 * Real milliseconds each sync media tool / convert / compress call takes before answering
	 * (divided by `speed`; default 0). E.g. 300 for a benchmark of thumbnails at 300 ms each.
	 */
	mediaProcessingMs?: number;
	/**
	 * The shape of a sync inspect answer: 'media' ({ media }, the OpenAPI's; default) or 'files'
	 * ({ files: [<name>-inspect.json] } whose download is that same { media } JSON, as the MCP reads it).
	 */
	inspectResponse?: 'media' | 'files';
}

export interface SimulatorOptions extends SimulatorSettings {
	port?: number;
	/** Port of the storage origin (0, the default, picks a free one). */
	storagePort?: number;
	apiKeys?: string[];
	speed?: number;
	latencyMs?: number;
	rateLimit?: { limit: number; windowMs?: number; retryAfter?: boolean } | null;
	fixture?: string | { jobs?: SimulatorJobSpec[]; faults?: SimulatorFault[] };
}

export interface JobTimeline {
	jobId: string;
	/** Status changes in order, in simulated epoch ms. */
	transitions: Array<{ status: string; at: number }>;
	/** One step per file finished before the end. */
	progress: Array<{ at: number; completedFiles: number; failedFiles: number; progress: number }>;
	startsOnFirstRead: boolean;
}

export interface SimulatorStats {
	requests: number;
	peakInFlight: number;
	faultsServed: number;
	jobsCreated: number;
	createRequests: Array<Omit<RecordedCreateRequest, 'headers' | 'fieldList'> & { auth: string; contentType?: string }>;
	mediaRequests: Array<Omit<RecordedMediaRequest, 'headers' | 'fieldList'> & { auth: string; contentType?: string }>;
	downloads: RecordedDownload[];
	log: Array<{ method: string; path: string; jobId?: string; status?: number | string; at: number; auth: string }>;
}

export interface Simulator {
	url: string;
	port: number;
	/** Origin of signed storage URLs (another port: another origin). */
	storageUrl: string;
	apiKey: string;
	/** 'job-created' (view, job) for every added or created job; 'job-cancelled' (view, job). */
	events: SimulatorEvents;
	addJob(spec?: SimulatorJobSpec): SimulatorJob;
	addFault(fault: SimulatorFault): void;
	/** Empties jobs, faults, stats, idempotency keys and uploads; restores the settings of the start options. */
	reset(): void;
	loadFixture(fixture: SimulatorOptions['fixture']): void;
	configure(settings: SimulatorSettings): Required<SimulatorSettings> & Record<string, unknown>;
	settings(): Required<SimulatorSettings> & Record<string, unknown>;
	setPlan(plan: SimulatorPlan | null): SimulatorPlan;
	setSpeed(speed: number): void;
	setLatency(ms: number): void;
	setRateLimit(rateLimit: SimulatorOptions['rateLimit']): void;
	/** Moves the simulated clock forward (jobs progress, signed URLs expire). */
	advanceTime(ms: number): void;
	/** The simulated clock (epoch ms). */
	now(): number;
	getJob(jobId: string): SimulatorJob | undefined;
	timeline(jobId: string): JobTimeline | undefined;
	jobRecord(jobId: string): unknown;
	/** Names of the files in the upload folder (uploads of live jobs; refused uploads are removed; the storage/ folder is not listed). */
	storedUploads(): string[];
	/** Convertly Storage: every stored file, newest first (as GET /api/files orders them). */
	storedFiles(): StoredFileInfo[];
	/** The bytes of a stored file (undefined when there is none). */
	storedFileBytes(id: string): Buffer | undefined;
	/** Every folder, in creation order, with its path. */
	folders(): StoredFolderInfo[];
	/** Every 3-step upload since the last reset. */
	uploadRecords(): UploadRecord[];
	/** Every POST /api/transfer since the last reset. */
	transferRequests(): TransferRecord[];
	/** Bytes all stored files take (what plan.storageLimitBytes limits). */
	storageUsedBytes(): number;
	/** Adds `count` files at once (10,000 take well under a second): created one second apart, oldest first. */
	seedFiles(count: number, options?: SeedFilesOptions): StoredFileInfo[];
	/** Adds a folder. */
	seedFolder(name: string, options?: { parentId?: string | null; color?: string | null }): StoredFolderInfo;
	requests(): RecordedRequest[];
	requestsFor(jobId: string): RecordedRequest[];
	peakInFlight(): number;
	/** Jobs actually created through the API since the last reset (POST /api/jobs, async media tools and async transfers; addJob and fixtures not counted). */
	jobsCreated(): number;
	createRequests(): RecordedCreateRequest[];
	/** Every media tool, sync convert and sync compress request, as received (see RecordedMediaRequest). */
	mediaRequests(): RecordedMediaRequest[];
	downloads(): RecordedDownload[];
	resetStats(): void;
	stats(): SimulatorStats;
	/** Account webhooks and per-job callbacks (simulator/webhooks.js). */
	webhooks: SimulatorWebhooks;
	close(): Promise<void>;
}

export const DEMO_API_KEY: string;
/** Path of the demo fixture (the jobs `npm run simulator` starts with). */
export const DEMO_FIXTURE: string;
export const FORMATS: string[];
export const FORMAT_MIME_TYPES: Record<string, string>;
export function startSimulator(options?: SimulatorOptions): Promise<Simulator>;
/**
 * The result bytes the simulator serves for an input (small inputs; the stream matches byte for byte).
 * jobType: 'convert' | 'compress' for jobs and sync convert/compress; the tool name for media tools'
 * audio/video outputs (their inputs concatenated, for concat-audio).
 */
export function deriveResult(input: Uint8Array, options: { jobType: string; format: string; compression: number }): Buffer;
export function derivedSize(inputSize: number, options: { jobType: string; format: string; compression: number }): number;
/** The media tool names, in the simulator's table order. */
export const MEDIA_TOOL_NAMES: MediaToolName[];
/** A real PNG (a gradient coloured by `seed`; sides above 2048 px are scaled down). */
export function makePng(width: number, height: number, options?: { seed?: string; alpha?: boolean; grid?: { columns: number; rows: number } }): Buffer;
/** The dimensions in an image's first bytes (PNG, GIF, JPEG, WebP), or undefined. */
export function imageSize(bytes: Uint8Array): { format: string; width: number; height: number } | undefined;
/** Bytes [offset, offset + length) of the synthetic result pattern (byte i = i % 251). */
export function patternBytes(offset: number, length: number): Buffer;
/** Index of the first byte of `buffer` (starting at file position `offset`) that breaks the pattern, or -1. */
export function checkPattern(buffer: Uint8Array, offset?: number): number;
export function jobTimeline(job: unknown): JobTimeline;
/** Every file entry of a zip, tar or tgz archive, in archive order. */
export function readArchive(bytes: Uint8Array, format?: 'zip' | 'tar' | 'tgz'): Promise<Array<{ name: string; bytes: Buffer }>>;
/** A ZIP of the given entries (names may contain folders: 'a/b.txt'). */
export function makeZip(entries: Array<{ name: string; bytes: Uint8Array }>): Promise<Buffer>;
