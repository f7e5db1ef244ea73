import type { OperationMeta } from '../types';
import { duration, start, toolFields, width } from './fields';
import { mediaToolOperation } from './run';
import type { MediaTool } from './tool';

export const meta: OperationMeta = {
	name: 'Create GIF',
	value: 'gif',
	description:
		'Turn a part of a video into an animated GIF',
	action: 'Create a GIF from a video',
};

export const tool: MediaTool = {
	path: '/api/media/gif',
	input: 'single',
	background: true,
	answer: 'files',
	optional: [
		start(0),
		duration(4),
		width(480, 'the GIF'),
		toolFields.fps,
	],
};

export const { description, execute, executeAll, itemsInParallel } = mediaToolOperation(meta.value, tool);
