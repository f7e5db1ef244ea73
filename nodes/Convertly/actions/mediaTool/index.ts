import type { ResourceDefinition } from '../types';
import * as adjust from './adjust.operation';
import * as compressFiles from './compressFiles.operation';
import * as concatAudio from './concatAudio.operation';
import * as convert from './convert.operation';
import * as convertFiles from './convertFiles.operation';
import * as extractAudio from './extractAudio.operation';
import * as gif from './gif.operation';
import * as imageToPdf from './imageToPdf.operation';
import * as inspect from './inspect.operation';
import * as pdfPreview from './pdfPreview.operation';
import * as posterFrame from './posterFrame.operation';
import * as removeBackground from './removeBackground.operation';
import * as storyboard from './storyboard.operation';
import * as stripMetadata from './stripMetadata.operation';
import * as thumbnail from './thumbnail.operation';
import * as transform from './transform.operation';
import * as trim from './trim.operation';
import * as watermark from './watermark.operation';

/** Convertly's media tools, one operation each, over one shared runner (run.ts). */
export const resource: ResourceDefinition = {
	name: 'Media Tool',
	value: 'mediaTool',
	defaultOperation: 'thumbnail',
	operations: [
		thumbnail,
		posterFrame,
		storyboard,
		gif,
		trim,
		extractAudio,
		concatAudio,
		convert,
		watermark,
		removeBackground,
		transform,
		adjust,
		pdfPreview,
		imageToPdf,
		stripMetadata,
		inspect,
		convertFiles,
		compressFiles,
	],
};
