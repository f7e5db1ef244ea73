import type { OperationMeta } from '../types';
import { IMAGE_FORMATS, format, quality, toolFields, width } from './fields';
import { mediaToolOperation } from './run';
import type { MediaTool } from './tool';

export const meta: OperationMeta = {
	name: 'Create PDF Page Preview',
	value: 'pdfPreview',
	description:
		'Render one page of a PDF as an image, e.g. for a preview',
	action: 'Render a PDF page as an image',
};

export const tool: MediaTool = {
	path: '/api/media/pdf-preview',
	input: 'single',
	background: true,
	answer: 'files',
	optional: [
		format(IMAGE_FORMATS, 'jpg'),
		toolFields.page,
		width(1600, 'the page image'),
		quality(86),
	],
};

export const { description, execute, executeAll, itemsInParallel } = mediaToolOperation(meta.value, tool);
