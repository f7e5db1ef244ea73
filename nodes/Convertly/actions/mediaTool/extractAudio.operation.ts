import type { OperationMeta } from '../types';
import { format, toolFields } from './fields';
import { mediaToolOperation } from './run';
import type { MediaTool } from './tool';

export const meta: OperationMeta = {
	name: 'Extract Audio',
	value: 'extractAudio',
	description:
		'Save the sound track of a video as an audio file',
	action: 'Extract the audio of a video',
};

export const tool: MediaTool = {
	path: '/api/media/extract-audio',
	input: 'single',
	background: true,
	answer: 'files',
	optional: [
		format(['flac', 'm4a', 'mp3', 'ogg', 'wav'], 'mp3'),
		toolFields.bitrateKbps,
	],
};

export const { description, execute, executeAll, itemsInParallel } = mediaToolOperation(meta.value, tool);
