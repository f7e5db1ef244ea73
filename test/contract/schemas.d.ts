// Types for the schema loader (plain JS so that it may read files).

export interface SchemaError {
	/** JSON pointer of the offending value, e.g. "/status" or "/results". */
	path: string;
	keyword: string;
	message: string;
}

export interface Validation {
	valid: boolean;
	errors: SchemaError[];
}

export type OfficialSchema = 'JobDetail' | 'JobStatus' | 'Error';

export type InferredSchema =
	| 'InferredJobStatus'
	| 'JobSummary'
	| 'Pagination'
	| 'JobListResponse'
	| 'CreateJobResponse'
	| 'IdempotentCreateResponse'
	| 'CancelledJob'
	| 'CancelAck'
	| 'CancelResponse'
	| 'DownloadHeaders'
	| 'WebhookEnvelope'
	| 'WebhookHeaders'
	| 'MediaToolName'
	| 'MediaFile'
	| 'MediaSyncResponse'
	| 'MediaAsyncResponse'
	| 'MediaIdempotentResponse'
	| 'InspectMedia'
	| 'InspectResponse'
	| 'MediaToolJobResults'
	| 'MediaToolJob'
	| 'SyncConvertFile'
	| 'SyncConvertResponse'
	| 'SyncCompressResponse'
	| 'StoredFileRecord'
	| 'StoredFileResponse'
	| 'StoredFileGetResponse'
	| 'StoredFileRecordWithExpiry'
	| 'UploadCompleteIdempotentResponse'
	| 'FilePagination'
	| 'FileListResponse'
	| 'FileSearchResponse'
	| 'SuccessMessage'
	| 'AiTagsResponse'
	| 'StoredFileToolName'
	| 'FileToolPreviewResponse'
	| 'Folder'
	| 'FolderListResponse'
	| 'FolderResponse'
	| 'UploadStartResponse'
	| 'ArchiveHeaders'
	| 'TransferAsyncResponse'
	| 'TransferIdempotentResponse'
	| 'TransferStorageResponse'
	| 'TransferJob'
	| 'StorageLimitError';

export function validateOfficial(name: OfficialSchema, value: unknown): Validation;
export function validateGetJobResponse(status: number, body: unknown): Validation;
export function validateInferred(name: InferredSchema, value: unknown): Validation;
export function jobDetailFields(): Array<{ name: string; required: boolean }>;
export function officialFields(name: 'JobDetail' | 'Error'): Array<{ name: string; required: boolean }>;
export function inferredFields(name: InferredSchema): Array<{ name: string; required: boolean }>;
export function inferredSchemaNames(): string[];
export const OPENAPI_FILE: string;
export const INFERRED_FILE: string;
