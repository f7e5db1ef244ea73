// Types for the hostile test server (plain JS so that it may use Node built-ins).
// Node's http request and response, as far as the tests use them.
export interface IncomingRequest {
	method?: string;
	url?: string;
	headers: Record<string, string | string[] | undefined>;
	/** Stops reading the body (the client's upload then stalls). */
	pause(): void;
}

export interface ServerResponse {
	writeHead(status: number, headers?: Record<string, string | number>): ServerResponse;
	write(chunk: string | Buffer): boolean;
	end(body?: string | Buffer): void;
	destroy(): void;
}

export interface SeenRequest {
	method: string;
	url: string;
	headers: Record<string, string | string[] | undefined>;
	at: number;
}

export type Handler = (req: IncomingRequest, res: ServerResponse, server: Hostile) => void | Promise<void>;

export interface Hostile {
	url: string;
	origin: string;
	requests: SeenRequest[];
	/** Replaces the handler for the next requests. */
	handle(handler: Handler): void;
	close(): Promise<void>;
}

export const HOSTILE_API_KEY: string;
export const JOB_ID: string;
export function startHostile(handler: Handler): Promise<Hostile>;
export function json(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string | number>): void;
/** Writes `chunk` every `everyMs` (0: as fast as the client reads) until the client goes away. */
export function drip(res: ServerResponse, chunk: string | Buffer, everyMs: number, headers?: Record<string, string>): void;
/** Reads the request body one chunk every `everyMs` (a slow server); resolves with the bytes read. */
export function readSlowly(req: IncomingRequest, everyMs: number): Promise<number>;
export function gzipBomb(inflatedBytes: number, prefix?: string): Buffer;
/** Peak growth of this process's resident memory while `work` runs, in bytes. */
export function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ value: T; growth: number }>;
/** Peak growth of this process's open file descriptors while `work` runs. */
export function peakOpenFilesGrowth<T>(work: () => Promise<T>): Promise<{ value: T; growth: number }>;
export function completedJob(results: unknown[], extra?: Record<string, unknown>): Record<string, unknown>;
/** The compiled node's REQUEST_LIMITS object (mutable: tests scale times down and restore them). */
export function requestLimits(distDir?: string): Record<string, number>;
