// Types for the simulator (plain JS so that it may use Node built-ins).
import type { SimulatorWebhooks } from './webhooks';

export interface SimulatorFault {
	/** Only requests whose path starts with this (global faults only). */
	path?: string;
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** Retry-After in seconds (or any literal header value). */
	retryAfter?: number | string;
	/** Retry-After as an HTTP date this many milliseconds from now. */
	retryAfterMs?: number;
	upgradeUrl?: string;
	/** Destroy the socket without answering. */
	drop?: boolean;
	/** Answer with this text (or a default HTML page) as text/html. */
	nonJson?: string | true;
	/** Wait this long before answering (or before the fault). */
	delayMs?: number;
	/** How many requests the fault applies to (default 1). */
	times?: number;
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
	results?: unknown;
	extra?: Record<string, unknown>;
	faults?: SimulatorFault[];
	createdAt?: string;
	/** Start the job's lifecycle at its first read rather than at creation. */
	startsOnFirstRead?: boolean;
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

export interface RecordedRequest {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	at: number;
	jobId?: string;
	status?: number | 'dropped';
	/** The job status the answer carried, for successful job reads. */
	jobStatus?: string;
}

export interface SimulatorOptions {
	port?: number;
	apiKeys?: string[];
	speed?: number;
	latencyMs?: number;
	rateLimit?: { limit: number; windowMs?: number; retryAfter?: boolean } | null;
	fixture?: string | { jobs?: SimulatorJobSpec[]; faults?: SimulatorFault[] };
}

export interface Simulator {
	url: string;
	port: number;
	apiKey: string;
	addJob(spec?: SimulatorJobSpec): SimulatorJob;
	addFault(fault: SimulatorFault): void;
	reset(): void;
	setSpeed(speed: number): void;
	setLatency(ms: number): void;
	setRateLimit(rateLimit: SimulatorOptions['rateLimit']): void;
	requests(): RecordedRequest[];
	requestsFor(jobId: string): RecordedRequest[];
	peakInFlight(): number;
	resetStats(): void;
	/** Account webhooks (simulator/webhooks.js). */
	webhooks: SimulatorWebhooks;
	close(): Promise<void>;
}

export const DEMO_API_KEY: string;
export function startSimulator(options?: SimulatorOptions): Promise<Simulator>;
