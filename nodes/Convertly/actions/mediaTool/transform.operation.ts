import type { OperationMeta } from '../types';
import { FIT_CONTAIN, FIT_COVER, FIT_FILL, FIT_INSIDE, FIT_OUTSIDE, IMAGE_FORMATS, fit, format, height, quality, toolFields, width } from './fields';
import { mediaToolOperation } from './run';
import type { MediaTool } from './tool';

export const meta: OperationMeta = {
	name: 'Transform Image',
	value: 'transform',
	description:
		'Resize, crop, rotate or mirror one image, or apply a ready-made preset',
	action: 'Resize, crop or rotate an image',
};

export const tool: MediaTool = {
	path: '/api/media/transform',
	input: 'single',
	background: true,
	answer: 'files',
	optional: [
		format(IMAGE_FORMATS, 'webp'),
		toolFields.preset,
		width(1200, 'the image'),
		height(1200, 'the image'),
		fit([FIT_CONTAIN, FIT_COVER, FIT_FILL, FIT_INSIDE, FIT_OUTSIDE]),
		toolFields.rotate,
		toolFields.flip,
		toolFields.flop,
		quality(86),
		toolFields.cropLeft,
		toolFields.cropTop,
		toolFields.cropWidth,
		toolFields.cropHeight,
	],
};

export const { description, execute, executeAll, itemsInParallel } = mediaToolOperation(meta.value, tool);
