import type { OperationMeta } from '../types';
import { format, quality, toolFields } from './fields';
import { mediaToolOperation } from './run';
import type { MediaTool } from './tool';

export const meta: OperationMeta = {
	name: 'Remove Background',
	value: 'removeBackground',
	description:
		'Cut the subject of an image out of its background, leaving it transparent',
	action: 'Remove the background',
};

export const tool: MediaTool = {
	path: '/api/media/remove-background',
	input: 'single',
	background: true,
	answer: 'files',
	optional: [
		format(['jpg', 'png', 'webp'], 'png', 'The format of the result; PNG and WebP keep the transparency'),
		toolFields.model,
		quality(92),
		toolFields.trim,
		toolFields.force,
	],
};

export const { description, execute, executeAll, itemsInParallel } = mediaToolOperation(meta.value, tool);
