import type { OperationMeta } from '../types';
import { duration, format, start } from './fields';
import { mediaToolOperation } from './run';
import type { MediaTool } from './tool';

export const meta: OperationMeta = {
	name: 'Trim',
	value: 'trim',
	description:
		'Cut a video or audio file to a part of it, from Start for Duration seconds',
	action: 'Trim a video or audio file',
};

export const tool: MediaTool = {
	path: '/api/media/trim',
	input: 'single',
	background: true,
	answer: 'files',
	optional: [
		format(['m4a', 'mov', 'mp3', 'mp4', 'wav', 'webm'], 'mp4', 'The format of the result; without it the input format is kept'),
		start(0),
		duration(10),
	],
};

export const { description, execute, executeAll, itemsInParallel } = mediaToolOperation(meta.value, tool);
