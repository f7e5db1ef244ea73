import type { OperationMeta } from '../types';
import { toolFields } from './fields';
import { mediaToolOperation } from './run';
import type { MediaTool } from './tool';

export const meta: OperationMeta = {
	name: 'Combine Images Into PDF',
	value: 'imageToPdf',
	description:
		'Put one or more images, in the order given, into one PDF, one image per page',
	action: 'Combine images into a PDF',
};

export const tool: MediaTool = {
	path: '/api/media/image-to-pdf',
	input: 'multiple',
	background: true,
	answer: 'files',
	optional: [
		toolFields.pageSize,
	],
};

export const { description, execute, executeAll, itemsInParallel } = mediaToolOperation(meta.value, tool);
