// Types for the simulator's account webhooks (plain JS so that it may use Node built-ins).

export type WebhookForgery =
	| 'tampered'
	| 'reserialised'
	| 'wrong-secret'
	| 'stale'
	| 'future'
	| 'replay'
	| 'no-signature'
	| 'malformed-signature'
	| 'oversized';

export interface WebhookEndpoint {
	id: string;
	url: string;
	secret: string;
	eventTypes: string[];
}

export interface InProcessRequest {
	headers: Record<string, string>;
	body: Buffer;
}

export interface WebhookEndpointSpec {
	/** Where deliveries are POSTed. */
	url?: string;
	/** Instead of a URL: called in process with each delivery (engine-level tests). */
	handler?: (request: InProcessRequest) => Promise<{ status: number; body?: unknown }>;
	/** Generated (whsec_…) when absent. */
	secret?: string;
	/** Default: every event type. '*' also means every type. */
	eventTypes?: string[];
	id?: string;
}

export interface WebhookAttempt {
	at: number;
	/** 0 when the endpoint could not be reached. */
	httpStatus: number;
	responsePreview?: string;
	error?: string;
	/** Real milliseconds until the answer (or the error) arrived. */
	ms: number;
}

export interface WebhookDelivery {
	id: string;
	endpointId: string;
	eventId: string;
	eventType: string;
	kind: 'event' | 'redelivery' | 'callback' | WebhookForgery;
	status: 'pending' | 'succeeded' | 'failed';
	attemptCount: number;
	attempts: WebhookAttempt[];
	lastHttpStatus?: number;
}

export interface WebhookEvent {
	id: string;
	type: string;
	created: number;
	data: Record<string, unknown>;
}

export interface SimulatorWebhooks {
	addEndpoint(spec: WebhookEndpointSpec): WebhookEndpoint;
	removeEndpoint(id: string): boolean;
	endpoints(): WebhookEndpoint[];
	/** Watches a job and sends its transitions (the simulator does this for every job it adds). */
	track(jobId: string): void;
	/** Sends a signed event to every subscribed endpoint (or only `endpointId`). */
	emit(type: string, data: Record<string, unknown>, options?: { endpointId?: string; id?: string }): WebhookEvent;
	/** Per-job callbacks go to this in-process handler instead of their callbackUrl (until reset). */
	routeCallbacks(handler: ((request: InProcessRequest) => Promise<{ status: number; body?: unknown }>) | undefined): void;
	sendTestEvent(options?: { endpointId?: string; type?: string }): WebhookDelivery[];
	sendForged(options: { endpointId?: string; kind: WebhookForgery; deliveryId?: string; type?: string }): Promise<WebhookDelivery>;
	/** Convertly's "retry": the same event re-signed with a new timestamp. */
	redeliver(deliveryId: string): WebhookDelivery | undefined;
	deliveries(): WebhookDelivery[];
	/** Resolves once nothing is in flight, scheduled or tracked (or after timeoutMs). */
	idle(timeoutMs?: number): Promise<void>;
	reset(): void;
}

export const EVENT_TYPES: string[];
export const RETRY_SCHEDULE_MS: number[];
export function signatureHeader(secret: string, body: string | Buffer, timestamp: number, extraSignatures?: string[]): string;
