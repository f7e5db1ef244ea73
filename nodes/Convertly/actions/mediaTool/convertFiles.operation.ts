import type { OperationMeta } from '../types';
import { CONVERT_FORMATS, format, toolFields } from './fields';
import { mediaToolOperation } from './run';
import type { MediaTool } from './tool';

export const meta: OperationMeta = {
	name: 'Convert Files Instantly',
	value: 'convertFiles',
	description:
		'Convert one or more files (images, documents, audio, video, archives) and get the results at once, without a job',
	action: 'Convert files instantly',
};

export const tool: MediaTool = {
	path: '/api/convert',
	input: 'multiple',
	background: false,
	answer: 'files',
	required: [format(CONVERT_FORMATS, 'webp'), toolFields.resize],
	optional: [
		toolFields.compression,
		toolFields.resizeWidth,
		toolFields.resizeHeight,
		toolFields.autoOrient,
		toolFields.mono,
		toolFields.saveToStorage,
	],
};

export const { description, execute, executeAll, itemsInParallel } = mediaToolOperation(meta.value, tool);
