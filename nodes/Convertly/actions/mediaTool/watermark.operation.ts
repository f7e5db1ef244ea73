import type { OperationMeta } from '../types';
import { toolFields } from './fields';
import { mediaToolOperation } from './run';
import type { MediaTool } from './tool';
import { watermarkLogoOption } from './tool';

export const meta: OperationMeta = {
	name: 'Add Watermark',
	value: 'watermark',
	description:
		'Put a text or a logo on an image or a video',
	action: 'Add a watermark',
};

export const tool: MediaTool = {
	path: '/api/media/watermark',
	input: 'single',
	background: true,
	answer: 'files',
	optional: [
		toolFields.text,
		toolFields.position,
		toolFields.opacity,
		toolFields.margin,
		toolFields.watermarkWidth,
	],
	nodeOptions: [watermarkLogoOption],
};

export const { description, execute, executeAll, itemsInParallel } = mediaToolOperation(meta.value, tool);
