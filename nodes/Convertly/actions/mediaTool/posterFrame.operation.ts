import type { OperationMeta } from '../types';
import { IMAGE_FORMATS, format, quality, timestamp, width } from './fields';
import { mediaToolOperation } from './run';
import type { MediaTool } from './tool';

export const meta: OperationMeta = {
	name: 'Create Poster Frame',
	value: 'posterFrame',
	description:
		'Take one frame of a video as a full-size image, e.g. the cover picture of a video',
	action: 'Create a poster frame from a video',
};

export const tool: MediaTool = {
	path: '/api/media/poster-frame',
	input: 'single',
	background: true,
	answer: 'files',
	optional: [
		format(IMAGE_FORMATS, 'jpg'),
		timestamp(1),
		width(1280, 'the frame'),
		quality(86),
	],
};

export const { description, execute, executeAll, itemsInParallel } = mediaToolOperation(meta.value, tool);
