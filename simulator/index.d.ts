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
	/** Jobs actually created by POST /api/jobs since the last reset (addJob and fixtures not counted). */
	jobsCreated(): number;
	createRequests(): RecordedCreateRequest[];
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
/** The result bytes the simulator serves for an input (small inputs; the stream matches byte for byte). */
export function deriveResult(
	input: Uint8Array,
	options: { jobType: 'convert' | 'compress'; format: string; compression: number },
): Buffer;
export function derivedSize(
	inputSize: number,
	options: { jobType: 'convert' | 'compress'; format: string; compression: number },
): number;
/** Bytes [offset, offset + length) of the synthetic result pattern (byte i = i % 251). */
export function patternBytes(offset: number, length: number): Buffer;
/** Index of the first byte of `buffer` (starting at file position `offset`) that breaks the pattern, or -1. */
export function checkPattern(buffer: Uint8Array, offset?: number): number;
export function jobTimeline(job: unknown): JobTimeline;
