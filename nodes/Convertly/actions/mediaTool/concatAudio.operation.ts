import type { OperationMeta } from '../types';
import { mediaToolOperation } from './run';
import type { MediaTool } from './tool';

export const meta: OperationMeta = {
	name: 'Combine Audio Files',
	value: 'concatAudio',
	description:
		'Join several audio files, in the order given, into one file. Convertly documents only the path of this endpoint: the node sends the files as repeated files parts (inferred).',
	action: 'Combine audio files into one',
};

export const tool: MediaTool = {
	path: '/api/media/concat-audio',
	input: 'multiple',
	background: true,
	answer: 'files',
};

export const { description, execute, executeAll, itemsInParallel } = mediaToolOperation(meta.value, tool);
