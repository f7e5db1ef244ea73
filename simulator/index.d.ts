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
	status?: number | 'dropped';
	bytesSent: number;
}

export interface SimulatorPlan {
	maxFilesPerBatch?: number | null;
	maxFileSizeBytes?: number | null;
	lockedFormats?: string[];
	/** Media tools not on the plan: POST /api/media/{tool} answers 403 { error, upgradeUrl }. */
	lockedTools?: MediaToolName[];
	unsupportedMimeTypes?: string[];
	upgradeUrl?: string;
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
	/** Names of the files in the upload folder (uploads of live jobs; refused uploads are removed). */
	storedUploads(): string[];
	requests(): RecordedRequest[];
	requestsFor(jobId: string): RecordedRequest[];
	peakInFlight(): number;
	/** Jobs actually created through the API since the last reset (POST /api/jobs and async media tools; addJob and fixtures not counted). */
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
