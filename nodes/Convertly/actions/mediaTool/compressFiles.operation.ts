import type { OperationMeta } from '../types';
import { quality, toolFields } from './fields';
import { mediaToolOperation } from './run';
import type { MediaTool } from './tool';

export const meta: OperationMeta = {
	name: 'Compress Files Instantly',
	value: 'compressFiles',
	description:
		'Make one or more files smaller, keeping their format, and get the results at once, without a job',
	action: 'Compress files instantly',
};

export const tool: MediaTool = {
	path: '/api/compress',
	input: 'multiple',
	background: false,
	answer: 'files',
	optional: [
		toolFields.mode,
		quality(82),
		toolFields.targetBytes,
		toolFields.lossless,
		toolFields.stripMetadata,
	],
};

export const { description, execute, executeAll, itemsInParallel } = mediaToolOperation(meta.value, tool);
