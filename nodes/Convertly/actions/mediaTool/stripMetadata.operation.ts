import type { OperationMeta } from '../types';
import { mediaToolOperation } from './run';
import type { MediaTool } from './tool';

export const meta: OperationMeta = {
	name: 'Strip Metadata',
	value: 'stripMetadata',
	description:
		'Remove EXIF, GPS position, tags and container metadata from an image, a video or an audio file',
	action: 'Remove metadata from a file',
};

export const tool: MediaTool = {
	path: '/api/media/strip-metadata',
	input: 'single',
	background: true,
	answer: 'files',
};

export const { description, execute, executeAll, itemsInParallel } = mediaToolOperation(meta.value, tool);
