import type { OperationMeta } from '../types';
import { freeFormat, quality, toolFields } from './fields';
import { mediaToolOperation } from './run';
import type { MediaTool } from './tool';

export const meta: OperationMeta = {
	name: 'Adjust',
	value: 'adjust',
	description:
		'Change the brightness, colours or sharpness of an image or a video, or the volume and fades of audio',
	action: 'Adjust colours or sound',
};

export const tool: MediaTool = {
	path: '/api/media/adjust',
	input: 'single',
	background: true,
	answer: 'files',
	optional: [
		freeFormat,
		quality(86),
		toolFields.brightness,
		toolFields.saturation,
		toolFields.hue,
		toolFields.contrast,
		toolFields.grayscale,
		toolFields.invert,
		toolFields.sharpen,
		toolFields.volume,
		toolFields.normalize,
		toolFields.fadeIn,
		toolFields.fadeOut,
	],
};

export const { description, execute, executeAll, itemsInParallel } = mediaToolOperation(meta.value, tool);
