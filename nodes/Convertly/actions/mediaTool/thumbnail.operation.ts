import type { OperationMeta } from '../types';
import { FIT_CONTAIN, FIT_COVER, FIT_INSIDE, IMAGE_FORMATS, fit, format, height, quality, timestamp, width } from './fields';
import { mediaToolOperation } from './run';
import type { MediaTool } from './tool';

export const meta: OperationMeta = {
	name: 'Create Thumbnail',
	value: 'thumbnail',
	description:
		'Make a small preview image of an image or a video (a frame at the chosen time), sized and cropped as set',
	action: 'Create a thumbnail',
};

export const tool: MediaTool = {
	path: '/api/media/thumbnail',
	input: 'single',
	background: true,
	answer: 'files',
	optional: [
		format(IMAGE_FORMATS, 'jpg'),
		width(512, 'the thumbnail'),
		height(512, 'the thumbnail'),
		fit([FIT_CONTAIN, FIT_COVER, FIT_INSIDE]),
		quality(82),
		timestamp(1),
	],
};

export const { description, execute, executeAll, itemsInParallel } = mediaToolOperation(meta.value, tool);
