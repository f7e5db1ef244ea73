import type { INodeProperties } from 'n8n-workflow';

import { CONVERT_FORMATS as FORMATS_WITH_KINDS } from '../../api/formats';

/**
 * The media tools' fields, each named exactly as Convertly's form field, so one definition serves
 * every tool that takes it (and File → Run Tool). Defaults are what the field shows once added:
 * the official clients' defaults, not Convertly's — a field the user did not add is not sent.
 * Field names and values: docs.convertly.sh for convert and inspect [doc]; the official MCP and
 * JS clients for the others [sdk] (see the README's Media Tool section).
 */

type Choice = string | [value: string, name: string, description?: string];

function choices(values: Choice[]): NonNullable<INodeProperties['options']> {
	return values.map((choice) => {
		const [value, name, description] = typeof choice === 'string' ? [choice, choice.toUpperCase()] : choice;
		return description ? { name, value, description } : { name, value };
	});
}

export function format(values: Choice[], fallback: string, description = 'The format of the result file'): INodeProperties {
	return { displayName: 'Format', name: 'format', type: 'options', default: fallback, options: choices(values), description };
}

function wholeNumber(
	name: string,
	displayName: string,
	fallback: number,
	description: string,
	range: { minValue?: number; maxValue?: number } = { minValue: 1 },
): INodeProperties {
	return { displayName, name, type: 'number', default: fallback, typeOptions: { ...range, numberPrecision: 0 }, description };
}

function decimal(
	name: string,
	displayName: string,
	fallback: number,
	description: string,
	range: { minValue?: number; maxValue?: number },
): INodeProperties {
	return { displayName, name, type: 'number', default: fallback, typeOptions: { ...range, numberPrecision: 2 }, description };
}

function flag(name: string, displayName: string, description: string): INodeProperties {
	return { displayName, name, type: 'boolean', default: false, description };
}

export const IMAGE_FORMATS: Choice[] = ['avif', 'jpg', 'png', 'webp'];

/** Every format Convert Files Instantly (POST /api/convert) produces. */
export const CONVERT_FORMATS: Choice[] = FORMATS_WITH_KINDS.map(([value, kind]) => [value, value.toUpperCase(), kind]);

/** Adjust keeps the input's format unless one is given; Convertly lists none for it. */
export const freeFormat: INodeProperties = {
	displayName: 'Format',
	name: 'format',
	type: 'string',
	default: '',
	placeholder: 'e.g. webp',
	description: 'The format of the result (an extension such as webp or mp3); without it the input format is kept',
};

export const width = (fallback: number, what = 'the result'): INodeProperties =>
	wholeNumber('width', 'Width (Pixels)', fallback, `Width of ${what} in pixels`);
export const height = (fallback: number, what = 'the result'): INodeProperties =>
	wholeNumber('height', 'Height (Pixels)', fallback, `Height of ${what} in pixels`);
export const quality = (fallback: number): INodeProperties =>
	wholeNumber('quality', 'Quality', fallback, 'From 1 (smallest file) to 100 (best quality)', { minValue: 1, maxValue: 100 });
export const timestamp = (fallback: number): INodeProperties =>
	decimal('timestamp', 'Time (Seconds)', fallback, 'The moment of the video to take the frame from, in seconds from the start', { minValue: 0 });
export const start = (fallback: number): INodeProperties =>
	decimal('start', 'Start (Seconds)', fallback, 'Where the clip starts, in seconds from the beginning', { minValue: 0 });
export const duration = (fallback: number): INodeProperties =>
	decimal('duration', 'Duration (Seconds)', fallback, 'How long the clip is, in seconds', { minValue: 0.1 });

export const fit = (values: Choice[]): INodeProperties => ({
	displayName: 'Fit',
	name: 'fit',
	type: 'options',
	default: 'cover',
	options: choices(values),
	description: 'How the picture fills the width and height when their proportions differ',
});

export const FIT_COVER: Choice = ['cover', 'Cover', 'Fill the whole size, cropping what sticks out'];
export const FIT_CONTAIN: Choice = ['contain', 'Contain', 'Show the whole picture, adding bars where needed'];
export const FIT_INSIDE: Choice = ['inside', 'Inside', 'Shrink to fit within the size, keeping proportions, no bars'];
export const FIT_FILL: Choice = ['fill', 'Fill', 'Stretch to exactly the size, ignoring proportions'];
export const FIT_OUTSIDE: Choice = ['outside', 'Outside', 'Grow to cover the size, keeping proportions, no cropping'];

export const toolFields = {
	bitrateKbps: wholeNumber('bitrateKbps', 'Bitrate (Kbit/s)', 192, 'Audio bitrate; higher sounds better and makes larger files', { minValue: 32 }),
	columns: wholeNumber('columns', 'Columns', 4, 'How many frames per row of the storyboard'),
	compressionLevel: wholeNumber('compressionLevel', 'Quality', 75, 'From 1 (smallest file) to 100 (best quality); Convertly uses 75 when not set', {
		minValue: 1,
		maxValue: 100,
	}),
	fps: wholeNumber('fps', 'Frames per Second', 12, 'Smoothness of the GIF; more frames make larger files'),
	frames: wholeNumber('frames', 'Frames', 12, 'How many frames the storyboard shows, spread over the video'),
	margin: wholeNumber('margin', 'Margin (Pixels)', 32, 'Distance between the watermark and the edge', { minValue: 0 }),
	opacity: decimal('opacity', 'Opacity', 0.72, 'From 0 (invisible) to 1 (solid)', { minValue: 0, maxValue: 1 }),
	page: wholeNumber('page', 'Page', 1, 'The page to render, counting from 1'),
	position: {
		displayName: 'Position',
		name: 'position',
		type: 'options',
		default: 'bottom-right',
		options: choices([
			['bottom-left', 'Bottom Left'],
			['bottom-right', 'Bottom Right'],
			['center', 'Center'],
			['top-left', 'Top Left'],
			['top-right', 'Top Right'],
		]),
		description: 'Where the watermark goes',
	} as INodeProperties,
	text: { displayName: 'Text', name: 'text', type: 'string', default: '', description: 'Text to write as the watermark' } as INodeProperties,
	watermarkWidth: wholeNumber('watermarkWidth', 'Watermark Width (Pixels)', 200, 'Width of the logo on the result'),
	rotate: wholeNumber('rotate', 'Rotate (Degrees)', 90, 'Clockwise rotation, e.g. 90, 180 or 270', {}),
	flip: flag('flip', 'Flip', 'Whether to mirror the image top to bottom'),
	flop: flag('flop', 'Flop', 'Whether to mirror the image left to right'),
	cropLeft: wholeNumber('cropLeft', 'Crop Left (Pixels)', 0, 'Left edge of the area to keep', { minValue: 0 }),
	cropTop: wholeNumber('cropTop', 'Crop Top (Pixels)', 0, 'Top edge of the area to keep', { minValue: 0 }),
	cropWidth: wholeNumber('cropWidth', 'Crop Width (Pixels)', 100, 'Width of the area to keep'),
	cropHeight: wholeNumber('cropHeight', 'Crop Height (Pixels)', 100, 'Height of the area to keep'),
	model: {
		displayName: 'Model',
		name: 'model',
		type: 'options',
		default: 'medium',
		options: choices([
			['large', 'Large', 'Most precise edges, slowest'],
			['medium', 'Medium', 'Balanced'],
			['small', 'Small', 'Fastest, rougher edges'],
		]),
		description: 'The cut-out model: larger is more precise and slower',
	} as INodeProperties,
	trim: flag('trim', 'Trim Empty Edges', 'Whether to crop away the transparent border left around the subject'),
	force: flag('force', 'Force', 'Whether to process the image even when Convertly finds no clear subject'),
	brightness: decimal('brightness', 'Brightness', 1, '1 keeps it; below 1 darker, above 1 brighter', { minValue: 0 }),
	saturation: decimal('saturation', 'Saturation', 1, '1 keeps it; 0 is black and white, above 1 more vivid', { minValue: 0 }),
	hue: wholeNumber('hue', 'Hue (Degrees)', 0, 'Turns every colour around the colour wheel by this many degrees', {}),
	contrast: decimal('contrast', 'Contrast', 1, '1 keeps it; below 1 flatter, above 1 punchier', { minValue: 0 }),
	grayscale: flag('grayscale', 'Grayscale', 'Whether to make it black and white'),
	invert: flag('invert', 'Invert', 'Whether to turn it into a negative'),
	sharpen: flag('sharpen', 'Sharpen', 'Whether to sharpen details'),
	volume: decimal('volume', 'Volume', 1, '1 keeps it; 0.5 is half as loud, 2 twice as loud', { minValue: 0 }),
	normalize: flag('normalize', 'Normalize', 'Whether to even out the loudness'),
	fadeIn: decimal('fadeIn', 'Fade In (Seconds)', 0, 'Fade in from silence over this many seconds', { minValue: 0 }),
	fadeOut: decimal('fadeOut', 'Fade Out (Seconds)', 0, 'Fade out to silence over this many seconds', { minValue: 0 }),
	pageSize: {
		displayName: 'Page Size',
		name: 'pageSize',
		type: 'options',
		default: 'auto',
		options: choices([
			['a4', 'A4'],
			['auto', 'Auto', 'Each page as large as its image'],
			['letter', 'Letter'],
		]),
		description: 'The size of the PDF pages',
	} as INodeProperties,
	preset: {
		displayName: 'Preset',
		name: 'preset',
		type: 'options',
		default: 'ecommerce',
		options: choices([
			['avatar', 'Avatar', 'A small square profile picture'],
			['blog-hero', 'Blog Hero', 'A wide header image for an article'],
			['ecommerce', 'E-Commerce', 'A square product photo on a clean background'],
			['social-preview', 'Social Preview', 'The 1200 × 630 picture shown when a link is shared'],
		]),
		description: 'A ready-made size and crop; width, height and fit override it',
	} as INodeProperties,
	resize: {
		displayName: 'Resize',
		name: 'resize',
		type: 'options',
		default: 'original',
		options: choices([
			['email', 'Email', 'Small enough to attach to or show in an email'],
			['height', 'Fixed Height', 'Scale to Height (Pixels), keeping proportions'],
			['width', 'Fixed Width', 'Scale to Width (Pixels), keeping proportions'],
			['instagram', 'Instagram Post', 'The size of a picture in an Instagram feed post'],
			['linkedin', 'LinkedIn Post', 'The size of a picture in a LinkedIn post'],
			['original', 'Original Size', 'Keep the size in pixels'],
			['ecommerce', 'Product Photo (E-Commerce)', 'The size of a product photo in an online shop'],
			['square', 'Square', 'A square, Width (Pixels) wide'],
			['website', 'Web Page', 'The size of a picture on a web page'],
		]),
		description: 'Resize with one of Convertly’s presets, or to a fixed width or height',
	} as INodeProperties,
	resizeWidth: wholeNumber('resizeWidth', 'Width (Pixels)', 1200, 'Used with Resize "Fixed Width" or "Square"'),
	resizeHeight: wholeNumber('resizeHeight', 'Height (Pixels)', 1200, 'Used with Resize "Fixed Height"'),
	compression: wholeNumber('compression', 'Quality', 82, 'From 1 (smallest files) to 100 (best quality)', { minValue: 1, maxValue: 100 }),
	autoOrient: {
		displayName: 'Auto-Orient',
		name: 'autoOrient',
		type: 'boolean',
		default: true,
		description: 'Whether to rotate images upright according to their EXIF orientation',
	} as INodeProperties,
	mono: flag('mono', 'Monochrome', 'Whether to trace images in black and white (SVG results)'),
	saveToStorage: flag('saveToStorage', 'Save to Storage', 'Whether Convertly also keeps the results in its storage (off: results may come back inline)'),
	mode: {
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		default: 'quality',
		options: choices([
			['quality', 'Quality', 'Compress to the Quality set'],
			['target-size', 'Target Size', 'Compress until each file is at most Target Size (Bytes)'],
		]),
		description: 'How to compress',
	} as INodeProperties,
	targetBytes: wholeNumber('targetBytes', 'Target Size (Bytes)', 500000, 'With Mode "Target Size": the largest size a result may have'),
	lossless: flag('lossless', 'Lossless', 'Whether to compress without any loss of quality (smaller savings)'),
	stripMetadata: flag('stripMetadata', 'Strip Metadata', 'Whether to remove EXIF, GPS and other metadata too'),
} satisfies Record<string, INodeProperties>;
