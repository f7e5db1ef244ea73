// Types for the engine runner (plain JS so that it may use Node built-ins).
import type { ExecutionError, IBinaryData, INodeExecutionData, INodeListSearchResult, IRun } from 'n8n-workflow';

export interface CredentialData {
	apiKey: string;
	authHeader?: 'bearer' | 'xApiKey';
	baseUrl?: string;
}

export interface RunResult {
	run: IRun;
	/** n8n's id of the execution, unique per run (its binary data is stored under it). */
	executionId: string;
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
	/** Plain JSON items, or `{ json, binary: { field: InputFile } }` items with files. */
	items?: Array<Record<string, unknown> | InputItem>;
	/** Node settings such as { continueOnFail: true } or { onError: 'continueRegularOutput' }. */
	settings?: Record<string, unknown>;
	dist?: string;
}

export interface InputFile {
	/** A file on disk (streamed into n8n), or inline content. */
	path?: string;
	text?: string;
	base64?: string;
	/** A generated file of this many bytes (byte i = i % 251). */
	sizeBytes?: number;
	fileName: string;
	mimeType: string;
	/** Keep the file in the item (base64) instead of n8n's binary data store. */
	inMemory?: boolean;
}

export interface InputItem {
	json?: Record<string, unknown>;
	binary?: Record<string, InputFile>;
}

export interface Execution {
	/** The engine's own promise: cancel() is what n8n's Stop button calls. */
	execution: Promise<IRun> & { cancel(): void };
	done: Promise<RunResult>;
	executionId: string;
}

export const NODE_TYPE: string;
/** The bytes of an output item's binary field, read through n8n's binary data service. */
export function readBinary(binary: IBinaryData): Promise<Buffer>;
/** Where n8n stored the file on disk (filesystem mode), or undefined for in-memory data. */
export function binaryPath(binary: IBinaryData): string | undefined;
/** Every file under n8n's binary data folder, relative to it; only one execution's when given. */
export function storedBinaryFiles(executionId?: string): Promise<string[]>;
/** Files under n8n's binary data folder this process holds open; null where /proc is not available. */
export function openStoredFiles(): Promise<string[] | null>;
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
