import type { INodeProperties } from 'n8n-workflow';

import { WAIT_LIMITS } from '../jobs/wait';

type DisplayShow = NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>;

/** The listSearch methods behind the pickers (methods/listSearch/). */
export const JOB_SEARCH_METHOD = 'searchJobs';
/** Job → Cancel's picker: only the jobs that can still be cancelled. */
export const CANCELLABLE_JOB_SEARCH_METHOD = 'searchCancellableJobs';
export const FILE_SEARCH_METHOD = 'searchFiles';
export const FOLDER_SEARCH_METHOD = 'searchFolders';

/** An ID as a resource locator: picked From List (a listSearch method), or By ID (usually an expression). */
export function idLocator(options: {
	name: string;
	displayName: string;
	searchMethod: string;
	listPlaceholder: string;
	idPlaceholder: string;
	idHint: string;
	description: string;
	show: DisplayShow;
	required?: boolean;
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		required: options.required ?? true,
		default: { mode: 'list', value: '' },
		description: options.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: options.listPlaceholder,
				typeOptions: { searchListMethod: options.searchMethod, searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: options.idPlaceholder, hint: options.idHint },
		],
		displayOptions: { show: options.show },
	};
}

/** A folder picker; empty means the root of the library (for the optional ones). */
export function folderLocator(name: string, displayName: string, show: DisplayShow, description: string, required = false): INodeProperties {
	return idLocator({
		name,
		displayName,
		searchMethod: FOLDER_SEARCH_METHOD,
		listPlaceholder: 'Select a folder...',
		idPlaceholder: 'e.g. 3f0c2a43-0000-4000-8000-000000000000',
		idHint: required ? 'The ID of a Convertly folder' : 'The ID of a Convertly folder; empty for the root of the library',
		description,
		show,
		required,
	});
}

/** A stored-file picker. */
export function fileLocator(show: DisplayShow, description: string): INodeProperties {
	return idLocator({
		name: 'fileId',
		displayName: 'File',
		searchMethod: FILE_SEARCH_METHOD,
		listPlaceholder: 'Select a file...',
		idPlaceholder: 'e.g. 8d2b4c47-0000-4000-8000-000000000000',
		idHint: 'The id of a stored file, usually mapped from an earlier node, e.g. {{ $json.id }}',
		description,
		show,
	});
}

/**
 * The Job ID as a resource locator: picked from the account's recent jobs, or given by ID
 * (usually an expression). Workflows saved when Job ID was a plain text field keep their string
 * value, which n8n passes through unchanged (see the Job ID row of Job → Get in the README).
 */
export function jobIdDescription(
	show: DisplayShow,
	description: string,
	options: { searchMethod?: string; listPlaceholder?: string } = {},
): INodeProperties {
	return idLocator({
		name: 'jobId',
		displayName: 'Job ID',
		searchMethod: options.searchMethod ?? JOB_SEARCH_METHOD,
		listPlaceholder: options.listPlaceholder ?? 'Select a job...',
		idPlaceholder: 'e.g. a755a89a-3a63-4f3e-88ff-7fef50d42d7d',
		idHint: 'The jobId of a Convertly job, usually mapped from an earlier node, e.g. {{ $json.jobId }}',
		description,
		show,
	});
}

/** Wait for Completion and its options, shared by every operation that can wait for a job. */
export function waitDescription(show: DisplayShow): INodeProperties[] {
	return [
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: false,
			description:
				'Whether to keep checking the job until it has completed or failed. When off, the job is returned as it is now, whatever its status.',
			displayOptions: { show },
		},
		{
			displayName:
				'While it waits, this execution stays open and holds its items. Jobs that take more than a few minutes are better handled by the Convertly Trigger node (webhooks).',
			name: 'waitNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { ...show, waitForCompletion: [true] } },
		},
		{
			displayName: 'Wait Options',
			name: 'waitOptions',
			type: 'collection',
			placeholder: 'Add Wait Option',
			// Shown filled in, so the user sees what the wait will do without adding each option.
			default: {
				pollInterval: WAIT_LIMITS.defaultPollIntervalSeconds,
				timeout: WAIT_LIMITS.defaultTimeoutSeconds,
				onFailure: 'error',
				onTimeout: 'error',
			},
			displayOptions: { show: { ...show, waitForCompletion: [true] } },
			options: [
				{
					displayName: 'Include Wait Details',
					name: 'includeWaitDetails',
					type: 'boolean',
					default: false,
					description: 'Whether to add waitDetails (polls, waitedSeconds, timedOut) to each output item',
				},
				{
					displayName: 'On Failure',
					name: 'onFailure',
					type: 'options',
					default: 'error',
					description: 'What to do when the job ends with status "failed", or was cancelled before it started',
					options: [
						{
							name: 'Output the Failed Job',
							value: 'output',
							description: 'Output the job like any other so the workflow can route it, e.g. with an If node',
						},
						{
							name: 'Stop With an Error',
							value: 'error',
							description: "The item fails with the job's error message (use Continue On Fail to keep other items)",
						},
					],
				},
				{
					displayName: 'On Timeout',
					name: 'onTimeout',
					type: 'options',
					default: 'error',
					description: 'What to do when the job has not finished within the timeout',
					options: [
						{
							name: 'Output the Last Job Seen',
							value: 'output',
							description: 'Output the job with its current status (pending or processing)',
						},
						{
							name: 'Stop With an Error',
							value: 'error',
							description: 'The item fails with a message naming the job, its status and progress',
						},
					],
				},
				{
					displayName: 'Poll Interval (Seconds)',
					name: 'pollInterval',
					type: 'number',
					default: 2,
					typeOptions: { minValue: WAIT_LIMITS.minPollIntervalSeconds, numberPrecision: 1 },
					description: 'How long to wait between two checks of the job',
				},
				{
					displayName: 'Timeout (Seconds)',
					name: 'timeout',
					type: 'number',
					default: 300,
					typeOptions: { minValue: 1, maxValue: WAIT_LIMITS.maxTimeoutSeconds },
					description:
						'How long to wait for the job at most. The node never runs past this by more than one request.',
				},
			],
		},
	];
}

/**
 * Download Result Files and its output field. Jobs (Get, Create) keep the version 1 rule for
 * Output "Job" in version 1 (`data_0`, `data_1`, …); from 1.1 on, and for media tools, the first
 * file goes in the named field itself, as the next node (Write Files, Drive, email) expects.
 */
export function downloadDescription(show: DisplayShow, results: 'job' | 'media' | 'stored' = 'job'): INodeProperties[] {
	const forJobs = results === 'job';
	const fieldParameter = (hint: string, description: string, onlyIn: DisplayShow = {}): INodeProperties => ({
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyOutput',
		type: 'string',
		default: 'data',
		required: true,
		hint,
		description,
		displayOptions: { show: { ...show, downloadResults: [true], ...onlyIn } },
	});
	const firstInField = forJobs
		? 'With Output "Job", the first file goes in this field and the next ones in data_1, data_2, … (same order as results); with Output "Results" each item gets its file in this field'
		: 'The first file goes in this field, the next ones (if the tool makes several) in data_1, data_2, … in result order';
	const download: INodeProperties =
		results !== 'media'
		? {
				displayName: 'Download Result Files',
				name: 'downloadResults',
				type: 'boolean',
				default: false,
				description: forJobs
					? 'Whether to download each result file of a completed job into n8n binary data, so that later nodes (Write File, S3, Email …) can use the files'
					: 'Whether to download the stored file(s) into n8n binary data too, so that later nodes (Write File, Google Drive, Email …) can use them',
			}
		: {
				displayName: 'Download Result Files',
				name: 'downloadResults',
				type: 'boolean',
				default: true,
				description:
					'Whether to download the result files into n8n binary data, so that later nodes (Write File, Google Drive, Email …) can use them',
			};
	return [
		{ ...download, displayOptions: { show } },
		...(forJobs
			? [
					fieldParameter(
						'With Output "Job", the files go to data_0, data_1, … (one per entry of results, same order)',
						'The name of the binary field for the downloaded file. With Output "Results" each item gets its file in this field; with Output "Job" the fields are this name plus _0, _1 and so on.',
						{ '@version': [1] },
					),
					fieldParameter(firstInField, 'The name of the binary field for the downloaded file', { '@version': [{ _cnd: { gte: 1.1 } }] }),
				]
			: [fieldParameter(firstInField, 'The name of the binary field for the first downloaded file')]),
	];
}

/** Options → Idempotency Key, for operations that create something Convertly deduplicates by it. */
export function idempotencyKeyOption(description: string): INodeProperties {
	return {
		displayName: 'Idempotency Key',
		name: 'idempotencyKey',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.recordId }}',
		description,
	};
}

export const maxConcurrencyOption: INodeProperties = {
	displayName: 'Max Concurrency',
	name: 'maxConcurrency',
	type: 'number',
	default: 5,
	typeOptions: { minValue: 1, maxValue: 50 },
	description:
		'How many requests to Convertly (uploads and downloads included) may be in flight at once across all items. Lower it if you hit rate limits.',
};

export const outputOption: INodeProperties = {
	displayName: 'Output',
	name: 'output',
	type: 'options',
	default: 'job',
	options: [
		{
			name: 'Job',
			value: 'job',
			description: 'One item per job, exactly as Convertly returns it',
		},
		{
			name: 'Results',
			value: 'results',
			description: "One item per entry of the job's results (with its jobId); no item while results is empty",
		},
	],
};

/** The "Options" collection of an operation: optional settings, each added by the user. */
export function optionsCollection(show: DisplayShow, options: INodeProperties[]): INodeProperties {
	return collection(show, 'options', 'Options', 'Add Option', options);
}

/** The "Filters" collection of a list operation. */
export function filtersCollection(show: DisplayShow, options: INodeProperties[]): INodeProperties {
	return collection(show, 'filters', 'Filters', 'Add Filter', options);
}

function collection(show: DisplayShow, name: string, displayName: string, placeholder: string, options: INodeProperties[]): INodeProperties {
	return { displayName, name, type: 'collection', placeholder, default: {}, displayOptions: { show }, options };
}

/** Put Output File in Field: the binary field a downloaded file goes in (`data` by default). */
export function outputFieldParameter(show: DisplayShow, description: string): INodeProperties {
	return {
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyOutput',
		type: 'string',
		default: 'data',
		required: true,
		description,
		displayOptions: { show },
	};
}

/** Paging of every Get Many / Search: pages of 100, Return All stops at 10,000. */
export const LIST_LIMITS = {
	/** The largest page Convertly serves (limit is 1–100). */
	pageSize: 100,
	/** Return All stops here: 100 pages of 100. */
	returnAllMax: 10_000,
	defaultLimit: 50,
} as const;

/** Return All, its notice, and Limit, for a list of `noun` (e.g. "jobs"), with advice for large accounts. */
export function returnAllDescription(show: DisplayShow, noun: string, advice: string): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: `Return All reads every page of the ${noun} list (100 ${noun} per request, at most ${LIST_LIMITS.returnAllMax.toLocaleString('en-US')} ${noun}). ${advice}`,
			name: 'returnAllNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { ...show, returnAll: [true] } },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1 },
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

/** Options → If Already Deleted, for Delete operations. */
export function ifAlreadyDeletedOption(noun: string): INodeProperties {
	return {
		displayName: 'If Already Deleted',
		name: 'ifAlreadyDeleted',
		type: 'options',
		default: 'error',
		description: `What to do when the ${noun} is not found, e.g. because it was deleted before`,
		options: [
			{ name: 'Output as Deleted', value: 'output', description: `Output its ID with deleted and alreadyDeleted set to true: the ${noun} is gone either way` },
			{ name: 'Stop With an Error', value: 'error', description: 'The item fails with a message saying it was not found' },
		],
	};
}
