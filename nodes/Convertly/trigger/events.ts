import type { INodePropertyOptions } from 'n8n-workflow';

/** Every event type Convertly documents for account webhooks (convertly-api.md §10.1). */
export const EVENT_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Conversion Completed', value: 'conversion.completed', description: 'All files of a job succeeded' },
	{ name: 'Conversion Failed', value: 'conversion.failed', description: 'A conversion job failed' },
	{ name: 'Conversion Progress', value: 'conversion.progress', description: 'One file of a job finished' },
	{ name: 'Conversion Started', value: 'conversion.started', description: 'A worker picked up a job' },
	{
		name: 'Currency Conversion Completed',
		value: 'currency.conversion.completed',
		description: 'A currency conversion finished (Pro plans and above)',
	},
	{ name: 'File Uploaded', value: 'file.uploaded', description: 'A file was stored in Convertly storage' },
	{ name: 'Media Tool Completed', value: 'media.tool.completed', description: 'An async media-tool job finished' },
	{ name: 'Media Tool Failed', value: 'media.tool.failed', description: 'An async media-tool job failed' },
	{ name: 'Video Stream Failed', value: 'video.stream.failed', description: 'A video stream could not be prepared' },
	{ name: 'Video Stream Ready', value: 'video.stream.ready', description: 'A video stream is ready to play' },
	{ name: 'Video Stream Started', value: 'video.stream.started', description: 'A video stream started processing' },
	{ name: 'Workflow Completed', value: 'workflow.completed', description: 'A Convertly dashboard workflow run finished' },
];

export const DEFAULT_EVENTS = [
	'conversion.completed',
	'conversion.failed',
	'media.tool.completed',
	'media.tool.failed',
];
