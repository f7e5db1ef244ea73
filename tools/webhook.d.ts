// Types for the webhook runner (plain JS so that it may use Node built-ins).
import type { ExecutionError, IDataObject, INodeExecutionData, IRun, IWebhookResponseData } from 'n8n-workflow';

export interface DeliveryRequest {
	headers?: Record<string, string>;
	/** The body bytes exactly as sent. */
	body?: string | Buffer;
	/** true (default): n8n already read the body into req.rawBody, as it does for JSON. */
	preRead?: boolean;
	/** A body n8n has not read, produced chunk by chunk (for size limits). */
	chunks?: AsyncIterable<Buffer>;
}

export interface TriggerRun {
	run: IRun;
	status: IRun['status'];
	items: INodeExecutionData[];
	/** Every output: with On Error = continueErrorOutput, [success items, error items]. */
	outputs: Array<INodeExecutionData[] | null>;
	error?: ExecutionError;
}

export interface Delivery {
	/** The HTTP answer n8n gives the sender. */
	response: { status: number; body: unknown; headers: Record<string, string> };
	/** Whether the delivery started an execution. */
	started: boolean;
	webhookResult: IWebhookResponseData;
	run?: TriggerRun;
	/** How many body bytes were read from the request. */
	bytesRead: number;
}

export interface LogEntry {
	level: 'error' | 'warn' | 'info' | 'debug';
	message: string;
	metadata: Record<string, unknown>;
}

export interface TriggerOptions {
	parameters?: Record<string, unknown>;
	webhookCredentials: { signingSecret: string };
	apiCredentials?: { apiKey: string; baseUrl?: string; authHeader?: 'bearer' | 'xApiKey' };
	mode?: 'webhook' | 'manual';
	/** Node settings such as { onError: 'continueRegularOutput' }. */
	settings?: Record<string, unknown>;
	workflowId?: string;
	dist?: string;
}

export interface Trigger {
	deliver(request: DeliveryRequest): Promise<Delivery>;
	runs: TriggerRun[];
	logs: LogEntry[];
	staticData(): IDataObject;
	/** How many event ids this process's in-memory replay memory holds for this trigger. */
	rememberedInProcess(): number;
	webhookPath(): string;
}

export const TRIGGER_TYPE: string;
export const NODE_NAME: string;
export function createTrigger(options: TriggerOptions): Trigger;
