import type { OperationMeta } from '../types';
import { IMAGE_FORMATS, format, quality, toolFields, width } from './fields';
import { mediaToolOperation } from './run';
import type { MediaTool } from './tool';

export const meta: OperationMeta = {
	name: 'Create Storyboard',
	value: 'storyboard',
	description:
		'Make one image with a grid of frames spread over a video, to see its content at a glance',
	action: 'Create a storyboard of a video',
};

export const tool: MediaTool = {
	path: '/api/media/storyboard',
	input: 'single',
	background: true,
	answer: 'files',
	optional: [
		format(IMAGE_FORMATS, 'jpg'),
		toolFields.frames,
		toolFields.columns,
		width(240, 'each frame'),
		quality(86),
	],
};

export const { description, execute, executeAll, itemsInParallel } = mediaToolOperation(meta.value, tool);
