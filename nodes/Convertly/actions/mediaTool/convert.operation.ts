import type { OperationMeta } from '../types';
import { format, toolFields } from './fields';
import { mediaToolOperation } from './run';
import type { MediaTool } from './tool';

export const meta: OperationMeta = {
	name: 'Convert Video or Audio',
	value: 'convert',
	description:
		'Convert one video or audio file to another format, optionally resized (video) and at a chosen quality. For images use Convert Files Instantly or Transform Image.',
	action: 'Convert a video or audio file',
};

export const tool: MediaTool = {
	path: '/api/media/convert',
	input: 'single',
	background: true,
	answer: 'files',
	required: [format(['flac', 'm4a', 'mov', 'mp3', 'mp4', 'ogg', 'wav', 'webm'], 'mp4')],
	optional: [
		toolFields.compressionLevel,
		toolFields.resize,
		toolFields.resizeWidth,
		toolFields.resizeHeight,
	],
};

export const { description, execute, executeAll, itemsInParallel } = mediaToolOperation(meta.value, tool);
