// Types for the engine runner (plain JS so that it may use Node built-ins).
import type { ExecutionError, INodeExecutionData, INodeListSearchResult, IRun } from 'n8n-workflow';

export interface CredentialData {
	apiKey: string;
	authHeader?: 'bearer' | 'xApiKey';
	baseUrl?: string;
}

export interface RunResult {
	run: IRun;
	status: IRun['status'];
	/** The main output's items. */
	items: INodeExecutionData[];
	/** Every output: with On Error = continueErrorOutput, [success items, error items]. */
	outputs: Array<INodeExecutionData[] | null>;
	error?: ExecutionError;
}

export interface RunOptions {
	parameters: Record<string, unknown>;
	credentials: CredentialData;
	items?: Array<Record<string, unknown>>;
	/** Node settings such as { continueOnFail: true } or { onError: 'continueRegularOutput' }. */
	settings?: Record<string, unknown>;
	dist?: string;
}

export interface Execution {
	/** The engine's own promise: cancel() is what n8n's Stop button calls. */
	execution: Promise<IRun> & { cancel(): void };
	done: Promise<RunResult>;
}

export const NODE_TYPE: string;
export function runConvertly(options: RunOptions): Execution;
export function testCredential(
	credentials: CredentialData,
	dist?: string,
): Promise<{ status: 'OK' | 'Error'; message: string; statusCode: number }>;

export interface ListSearchOptions {
	/** The listSearch method's name, e.g. 'searchJobs'. */
	method: string;
	/** The search text typed in the picker. */
	filter?: string;
	/** The token of the previous page, when the editor asks for more. */
	paginationToken?: string;
	/** The node's current parameters (what the editor sends). */
	parameters?: Record<string, unknown>;
	credentials: CredentialData;
	dist?: string;
}

/** Runs a listSearch method through n8n-core's LoadOptionsContext, as the editor's picker does. */
export function listSearch(options: ListSearchOptions): Promise<INodeListSearchResult>;
