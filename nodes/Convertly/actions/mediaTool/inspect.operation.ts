import type { OperationMeta } from '../types';
import { mediaToolOperation } from './run';
import type { MediaTool } from './tool';

export const meta: OperationMeta = {
	name: 'Inspect',
	value: 'inspect',
	description:
		'Read the metadata of a file (type, size, width, height, duration, bitrate, streams) without changing it',
	action: 'Read the metadata of a file',
};

export const tool: MediaTool = {
	path: '/api/media/inspect',
	input: 'single',
	background: false,
	answer: 'metadata',
};

export const { description, execute, executeAll, itemsInParallel } = mediaToolOperation(meta.value, tool);
