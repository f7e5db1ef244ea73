'use strict';
// The media tools (POST /api/media/{tool}) and the sync batch endpoints (POST /api/convert,
// POST /api/compress) of the simulator. Multipart bodies are read as streams into the temp folder
// (uploads.js, shared with POST /api/jobs), or the input is fetched from `sourceUrl`. Sync calls
// answer 200 { files: [...] } (inspect: { media }) with downloadUrls served by downloads.js like
// job results; `async=true` / `background=true` queues a media_tool job instead.
//
// EVERY API DETAIL THAT IS NOT A PUBLISHED SCHEMA LIVES IN THE MEDIA_TOOLS TABLE AND THE SHAPES
// BLOCK BELOW IT, each tagged as in shared/reference/convertly-api-surface.md:
//   [doc]      stated in the official docs or OpenAPI pages,
//   [sdk]      read in an official client (JS SDK, MCP server, PHP client),
//   [inferred] our assumption.
// Defaults marked [sdk] are the MCP client's defaults, not known server defaults: the simulator
// uses them to size its outputs. Change a detail here when Convertly documents it.

const { randomUUID } = require('node:crypto');
const { FORMATS, FORMAT_MIME_TYPES, extensionOf, baseName, derivedSize } = require('./results');
const { validateFields, isFileField } = require('./create');
const { makePng, makePdf, imageSize, wavInfo, fitSize, PAGE_SIZES } = require('./images');
const { safeDecode } = require('./downloads');
const {
	drain,
	lockedFormatError,
	idempotencyScope,
	claimIdempotency,
	receiveMultipart,
	fetchSource,
} = require('./uploads');

// ---------------------------------------------------------------------------------------------
// Field kinds. Multipart values are strings; booleans arrive as 'true' / 'false' [doc].

const oneOf = (values, defaultValue) => ({ kind: 'enum', values, default: defaultValue });
const integer = (min, max, defaultValue) => ({ kind: 'integer', min, max, default: defaultValue });
const number = (min, max, defaultValue) => ({ kind: 'number', min, max, default: defaultValue });
const boolean = (defaultValue = false) => ({ kind: 'boolean', default: defaultValue });
const text = () => ({ kind: 'text' });
const required = (spec) => ({ ...spec, required: true });

const IMAGE_FORMATS = ['jpg', 'png', 'webp', 'avif'];
const VIDEO_FORMATS = ['mp4', 'webm', 'mov'];
const AUDIO_FORMATS = ['mp3', 'm4a', 'wav', 'ogg', 'flac'];
const RESIZES = ['original', 'website', 'email', 'instagram', 'linkedin', 'ecommerce', 'square', 'width', 'height'];

/** Fields every media tool takes [doc] (`saveToStorage`: [sdk], the MCP sends it; read or not, unknown). */
const COMMON_FIELDS = {
	async: boolean(false),
	background: boolean(false),
	sourceUrl: text(),
	saveToStorage: boolean(false),
};

// ---------------------------------------------------------------------------------------------
// THE MEDIA TOOLS. Per tool:
//   source  where the fields come from;
//   inputs  the input kinds it takes (image | video | audio | pdf; a file of unknown kind is let
//           through), else 415 [inferred: the docs name the kinds, the status is our choice];
//   files   'single' (one `file` part [doc]) or 'multiple' (repeated `files` parts);
//   fields  name → kind, range, default;
//   output  what the simulator produces (names, sizes and bytes are ALL [inferred] simulation).
// Outputs: images are real PNGs (served with the requested MIME type); audio and video are
// deterministic bytes derived from the input (results.js: deriveResult with jobType = the tool);
// PDFs are real minimal PDFs.

const MEDIA_TOOLS = {
	// [sdk] MCP `create_thumbnail` fields and defaults; [doc] "Generating thumbnails", example width=640 height=360 format=jpg.
	thumbnail: {
		inputs: ['image', 'video'],
		files: 'single',
		fields: {
			format: oneOf(IMAGE_FORMATS, 'jpg'),
			width: integer(1, null, 512),
			height: integer(1, null, 512),
			fit: oneOf(['cover', 'contain', 'inside'], 'cover'),
			quality: integer(1, 100, 82),
			timestamp: number(0, null, 1),
		},
		output: ({ input, values }) => {
			const box = fitInto(input, values.width, values.height, values.fit);
			return [imageOutput(input, '-thumbnail', values.format, box)];
		},
	},
	// [sdk] MCP `extract_poster_frame`; [doc] example timestamp=4 async=true.
	'poster-frame': {
		inputs: ['video'],
		files: 'single',
		fields: {
			format: oneOf(IMAGE_FORMATS, 'jpg'),
			timestamp: number(0, null, 1),
			width: integer(1, null, 1280),
			quality: integer(1, 100, 86),
		},
		output: ({ input, values }) => [imageOutput(input, '-poster', values.format, byWidth(input, values.width))],
	},
	// [sdk] MCP `create_storyboard`. [inferred] a contact sheet of `frames` tiles, `columns` per row.
	storyboard: {
		inputs: ['video'],
		files: 'single',
		fields: {
			format: oneOf(IMAGE_FORMATS, 'jpg'),
			frames: integer(1, null, 12),
			columns: integer(1, null, 4),
			width: integer(1, null, 240),
			quality: integer(1, 100, 86),
		},
		output: ({ input, values }) => {
			const tile = byWidth(input, values.width);
			const columns = Math.min(values.columns, values.frames);
			const rows = Math.ceil(values.frames / columns);
			const size = { width: tile.width * columns, height: tile.height * rows };
			return [imageOutput(input, '-storyboard', values.format, size, { grid: { columns, rows } })];
		},
	},
	// [sdk] MCP `create_gif` (the CDN's GIF mode, fps 4–24, is a different endpoint [doc]).
	gif: {
		inputs: ['video'],
		files: 'single',
		fields: {
			start: number(0, null, 0),
			duration: number(0.1, null, 4),
			width: integer(1, null, 480),
			fps: integer(1, null, 12),
		},
		output: ({ input, values }) => [imageOutput(input, '', 'gif', byWidth(input, values.width))],
	},
	// [sdk] MCP `trim_media`: start + duration; no `end` field in any source (an `end` is an unknown field here).
	trim: {
		inputs: ['video', 'audio'],
		files: 'single',
		fields: {
			format: oneOf([...VIDEO_FORMATS, 'mp3', 'm4a', 'wav'], undefined),
			start: number(0, null, 0),
			duration: number(0.1, null, 10),
		},
		output: ({ input, values, tool }) => [derivedOutput([input], '-trimmed', values.format ?? sameKindFormat(input), tool, 50)],
	},
	// [sdk] MCP `extract_audio`; [doc] "as mp3, m4a, wav, ogg, or flac", example format=mp3 async=true.
	'extract-audio': {
		inputs: ['video'],
		files: 'single',
		fields: {
			format: oneOf(AUDIO_FORMATS, 'mp3'),
			bitrateKbps: integer(32, null, 192),
		},
		output: ({ input, values, tool }) => [
			derivedOutput([input], '', values.format, tool, clamp(Math.round((values.bitrateKbps / 320) * 100), 1, 100)),
		],
	},
	// [inferred] UNDOCUMENTED beyond its path (the MCP capabilities list names "/api/media/concat-audio").
	// Assumed: repeated `files` parts (audio, in order) and an optional `format`; one output.
	'concat-audio': {
		inputs: ['audio'],
		files: 'multiple',
		fields: {
			format: oneOf(AUDIO_FORMATS, undefined),
		},
		output: ({ inputs, values, tool }) => [derivedOutput(inputs, '-concat', values.format ?? sameKindFormat(inputs[0]), tool, 100)],
	},
	// [doc] OpenAPI convertMedia: `format` required; compressionLevel 1–100 default 75; resize default original;
	// resizeWidth / resizeHeight "used when resize=width or square" / "resize=height" (not required: [inferred]).
	convert: {
		inputs: ['video', 'audio'],
		files: 'single',
		fields: {
			format: required(oneOf([...VIDEO_FORMATS, ...AUDIO_FORMATS], undefined)),
			compressionLevel: integer(1, 100, 75),
			resize: oneOf(RESIZES, 'original'),
			resizeWidth: integer(1, null, undefined),
			resizeHeight: integer(1, null, undefined),
		},
		output: ({ input, values, tool }) => [derivedOutput([input], '', values.format, tool, values.compressionLevel)],
	},
	// [sdk] MCP `watermark_media`: `text` and/or a second file part `watermarkFile` (the logo).
	// [inferred] one of the two is required; the output is .png for images, .mp4 for video (the MCP assumes so).
	watermark: {
		inputs: ['image', 'video'],
		files: 'single',
		extraFiles: ['watermarkFile'],
		fields: {
			text: text(),
			position: oneOf(['top-left', 'top-right', 'bottom-left', 'bottom-right', 'center'], 'bottom-right'),
			opacity: number(0, 1, 0.72),
			margin: integer(0, null, 32),
			watermarkWidth: integer(1, null, undefined),
		},
		check: ({ given, extra }) =>
			given.text === undefined && extra.length === 0 ? 'watermark needs a text field or a watermarkFile part (the logo).' : undefined,
		output: ({ input, tool }) =>
			input.kind === 'video'
				? [derivedOutput([input], '-watermarked', 'mp4', tool, 100)]
				: [imageOutput(input, '-watermarked', 'png', naturalSize(input))],
	},
	// [sdk] MCP `remove_background`. The output is a real RGBA PNG with a transparent surround.
	'remove-background': {
		inputs: ['image'],
		files: 'single',
		fields: {
			format: oneOf(['png', 'webp', 'jpg'], 'png'),
			model: oneOf(['small', 'medium', 'large'], 'medium'),
			quality: integer(1, 100, 92),
			trim: boolean(false),
			force: boolean(false),
		},
		output: ({ input, values }) => [imageOutput(input, '-no-bg', values.format, naturalSize(input), { alpha: true })],
	},
	// [sdk] MCP `transform_image`; [doc] "single image with crop/resize". [inferred] preset sizes below.
	transform: {
		inputs: ['image'],
		files: 'single',
		fields: {
			format: oneOf(IMAGE_FORMATS, 'webp'),
			preset: oneOf(['ecommerce', 'avatar', 'blog-hero', 'social-preview'], undefined),
			width: integer(1, null, undefined),
			height: integer(1, null, undefined),
			fit: oneOf(['cover', 'contain', 'fill', 'inside', 'outside'], 'cover'),
			rotate: integer(null, null, 0),
			flip: boolean(false),
			flop: boolean(false),
			quality: integer(1, 100, 86),
			cropLeft: integer(0, null, undefined),
			cropTop: integer(0, null, undefined),
			cropWidth: integer(1, null, undefined),
			cropHeight: integer(1, null, undefined),
		},
		output: ({ input, values }) => [imageOutput(input, '-transformed', values.format, transformedSize(input, values))],
	},
	// [sdk] MCP `adjust_media` fields (no JS SDK helper). [inferred] `format` is any format of the input's kind;
	// brightness/saturation/contrast/volume ≥ 0.
	adjust: {
		inputs: ['image', 'video', 'audio'],
		files: 'single',
		fields: {
			format: oneOf(FORMATS, undefined),
			quality: integer(1, 100, 86),
			brightness: number(0, null, 1),
			saturation: number(0, null, 1),
			hue: number(null, null, 0),
			contrast: number(0, null, 1),
			grayscale: boolean(false),
			invert: boolean(false),
			sharpen: boolean(false),
			volume: number(0, null, 1),
			normalize: boolean(false),
			fadeIn: number(0, null, 0),
			fadeOut: number(0, null, 0),
		},
		check: ({ values, input }) =>
			values.format !== undefined && input && input.kind !== 'other' && kindOfFormat(values.format) !== input.kind
				? `format ${values.format} does not fit the ${input.kind} input.`
				: undefined,
		output: ({ input, values, tool }) => {
			const kind = values.format !== undefined ? kindOfFormat(values.format) : input.kind;
			return kind === 'image' || kind === 'other'
				? [imageOutput(input, '-adjusted', values.format ?? imageFormatOf(input), naturalSize(input))]
				: [derivedOutput([input], '-adjusted', values.format ?? sameKindFormat(input), tool, values.quality)];
		},
	},
	// [sdk] MCP `pdf_preview`; [doc] "Rendering a PDF page as jpg, png, webp, or avif". [inferred] an A4 portrait page.
	'pdf-preview': {
		inputs: ['pdf'],
		files: 'single',
		fields: {
			format: oneOf(IMAGE_FORMATS, 'jpg'),
			page: integer(1, null, 1),
			width: integer(1, null, 1600),
			quality: integer(1, 100, 86),
		},
		output: ({ input, values }) => [
			imageOutput(input, `-page-${values.page}`, values.format, { width: values.width, height: Math.round((values.width * 842) / 595) }),
		],
	},
	// [sdk] MCP `images_to_pdf` sends repeated `files` (the JS SDK helper a single `file`, also taken); [doc]
	// "Combining one or more images into a PDF". [inferred] pageSize auto = the image's pixels as points.
	'image-to-pdf': {
		inputs: ['image'],
		files: 'multiple',
		fields: {
			pageSize: oneOf(['auto', 'letter', 'a4'], 'auto'),
		},
		output: ({ inputs, values }) => {
			const pages = inputs.map((input, index) => {
				const [width, height] = PAGE_SIZES[values.pageSize] ?? [input.width ?? 612, input.height ?? 792];
				return { width, height, label: `${index + 1}/${inputs.length}: ${input.filename}`, seed: input.sha256 };
			});
			const bytes = makePdf(pages);
			return [bytesOutput(inputs, `${baseName(inputs[0].filename)}.pdf`, 'application/pdf', bytes)];
		},
	},
	// [sdk] MCP `strip_metadata`, no fields; [doc] "Removing EXIF, GPS, tags, and container metadata".
	// [inferred] the simulator returns the input's bytes unchanged, under the input's name.
	'strip-metadata': {
		inputs: null,
		files: 'single',
		fields: {},
		output: ({ input }) => [
			{ filename: input.filename, mimeType: input.mimeType, sizeBytes: input.size, originalSize: input.size, source: { kind: 'file', path: input.path } },
		],
	},
	// [doc] OpenAPI inspectMedia: no tool fields; the answer is { media } (see the shapes below).
	inspect: {
		inputs: null,
		files: 'single',
		fields: {},
		output: null,
	},
};

// ---------------------------------------------------------------------------------------------
// SHAPES (also in test/contract/convertly-inferred.schema.json, each with its source):
// - sync answer, HTTP 200: { files: [{ filename, mimeType, originalSize, finalSize, downloadUrl }] } [doc] (media/convert).
// - async answer, HTTP 200 (not 202): { jobId, status: 'pending', tool } [doc] (AsyncMediaToolJobResponse);
//   a repeat with the same Idempotency-Key: the same job, status = its current status [inferred].
// - inspect: { media: { filename, mimeType, sizeBytes, kind, format, width, height, duration, bitrateKbps,
//   streams } } [doc]; kind ∈ image | video | audio | document | other, unknown values null, streams
//   [{ index, type, codec, width?, height? }] [inferred]. The MCP instead downloads files[0].downloadUrl and
//   parses it as JSON [sdk]: inspectResponse 'files' answers { files: [<name>-inspect.json] } whose bytes are
//   the same { media } JSON [inferred].
// - media_tool job results: { tool, files: [...] } or, for inspect, { tool, media } [inferred]; the JobDetail
//   itself carries no `tool` field (undocumented).
// - sync /api/convert: { files: [{ filename, originalSize, finalSize, savedPercent, mimeType, downloadUrl,
//   appliedQuality, storedFileId? }], storage: { saved, notice } } [doc]; storedFileId only when
//   saveToStorage=true [inferred]. /api/compress: the same shape [sdk/inferred].
// - /api/compress fields: files, mode quality|target-size (quality), quality 1–100 (82), targetBytes ≥ 1
//   (required for target-size: [inferred]), lossless, stripMetadata, saveToStorage [sdk].
// - `sourceUrl` instead of a file on the media tools [doc] and on /api/convert, /api/compress [sdk].
// - downloadUrl follows the simulator's downloadMode like job results (api, storage, redirect, data); the
//   docs say sync outputs come back as data: URLs when storage is off [doc]: downloadMode 'data' gives that.
// - input errors: 400 { error } naming the field [inferred wording]; a tool not on the plan: 403 { error,
//   upgradeUrl } [inferred, like locked formats]; input of the wrong kind: 415 [inferred]; an unknown tool:
//   404 [inferred]; an async job whose input name contains "fail" ends failed (a simulator convention, as
//   for POST /api/jobs).

/** [inferred] Preset sizes of transform (the names are [sdk]). */
const TRANSFORM_PRESETS = {
	ecommerce: { width: 1200, height: 1200 },
	avatar: { width: 256, height: 256 },
	'blog-hero': { width: 1600, height: 900 },
	'social-preview': { width: 1200, height: 630 },
};
/** [inferred] The pixel size assumed for an input whose size the simulator cannot read (any video; non-PNG/GIF/JPEG/WebP images). */
const ASSUMED_SIZES = { video: { width: 1920, height: 1080 }, image: { width: 1024, height: 768 } };

const COMPRESS_FIELDS = {
	mode: oneOf(['quality', 'target-size'], 'quality'),
	quality: integer(1, 100, 82),
	targetBytes: integer(1, null, undefined),
	lossless: boolean(false),
	stripMetadata: boolean(false),
	saveToStorage: boolean(false),
	sourceUrl: text(),
};
const CONVERT_FIELD_NAMES = [
	'format',
	'resize',
	'formats',
	'compression',
	'compressions',
	'resizes',
	'resizeWidths',
	'resizeHeights',
	'resizeWidth',
	'resizeHeight',
	'autoOrient',
	'autoOrients',
	'mono',
	'monos',
	'saveToStorage',
	'sourceUrl',
	'vectorize',
];
const STORAGE_NOTICES = {
	saved: 'Saved to Convertly Storage.',
	off: 'Storage is off by default for API keys; outputs are not kept. Add saveToStorage=true to keep them.',
};
const INSPECT_RESPONSES = ['media', 'files'];
const MEDIA_TOOL_NAMES = Object.keys(MEDIA_TOOLS);

// ---------------------------------------------------------------------------------------------
// Inputs and outputs.

const clamp = (value, min, max) => Math.min(max, Math.max(min, value));

const MIME_BY_EXTENSION = { ...Object.fromEntries(Object.entries(FORMAT_MIME_TYPES)), jpeg: 'image/jpeg', tif: 'image/tiff', heic: 'image/heic' };
const EXTENSION_BY_MIME = Object.fromEntries(Object.entries(FORMAT_MIME_TYPES).map(([format, mime]) => [mime, format]));
Object.assign(EXTENSION_BY_MIME, { 'image/jpg': 'jpg', 'audio/mp3': 'mp3', 'audio/x-wav': 'wav', 'audio/wave': 'wav', 'audio/x-m4a': 'm4a' });

/** A MIME type for a file name (application/octet-stream when the extension is unknown). */
function guessMime(filename) {
	return MIME_BY_EXTENSION[extensionOf(filename)] ?? 'application/octet-stream';
}

function kindOfMime(mimeType) {
	if (!mimeType) return 'other';
	if (mimeType === 'application/pdf') return 'pdf';
	const top = mimeType.split('/')[0];
	return ['image', 'video', 'audio'].includes(top) ? top : 'other';
}

function kindOfFormat(format) {
	return kindOfMime(FORMAT_MIME_TYPES[format]);
}

/** What the simulator knows of an input part: kind, format, and what its first bytes tell. */
function describeInput(part) {
	const mimeType = part.mimeType && part.mimeType !== 'application/octet-stream' ? part.mimeType : guessMime(part.filename);
	let kind = kindOfMime(mimeType);
	if (kind === 'other') kind = kindOfMime(guessMime(part.filename));
	const header = imageSize(part.head ?? Buffer.alloc(0));
	const wav = wavInfo(part.head ?? Buffer.alloc(0), part.size);
	const format = header?.format ?? (extensionOf(part.filename) || EXTENSION_BY_MIME[mimeType] || '');
	return {
		filename: part.filename || 'file',
		mimeType,
		kind: header ? 'image' : kind,
		format: format === 'jpeg' ? 'jpg' : format,
		width: header?.width ?? null,
		height: header?.height ?? null,
		duration: wav?.duration ?? null,
		bitrateKbps: wav?.bitrateKbps ?? null,
		size: part.size,
		sha256: part.sha256,
		path: part.path,
	};
}

/** The input's pixel size, or the size assumed when it cannot be read. */
function naturalSize(input) {
	if (input.width && input.height) return { width: input.width, height: input.height };
	return input.kind === 'video' ? { ...ASSUMED_SIZES.video } : { ...ASSUMED_SIZES.image };
}

function byWidth(input, width) {
	const natural = naturalSize(input);
	return { width, height: Math.max(1, Math.round((width * natural.height) / natural.width)) };
}

/** Thumbnail sizing: cover fills the box; contain fits inside it; inside fits without enlarging. */
function fitInto(input, width, height, fit) {
	if (fit === 'cover') return { width, height };
	const natural = naturalSize(input);
	let scale = Math.min(width / natural.width, height / natural.height);
	if (fit === 'inside') scale = Math.min(scale, 1);
	return { width: Math.max(1, Math.round(natural.width * scale)), height: Math.max(1, Math.round(natural.height * scale)) };
}

function transformedSize(input, values) {
	let { width, height } = naturalSize(input);
	if (values.cropWidth !== undefined || values.cropHeight !== undefined) {
		width = values.cropWidth ?? Math.max(1, width - (values.cropLeft ?? 0));
		height = values.cropHeight ?? Math.max(1, height - (values.cropTop ?? 0));
	}
	const target = values.preset ? { ...TRANSFORM_PRESETS[values.preset] } : { width: values.width, height: values.height };
	if (target.width !== undefined || target.height !== undefined) {
		if (target.width === undefined) target.width = Math.max(1, Math.round((target.height * width) / height));
		else if (target.height === undefined) target.height = Math.max(1, Math.round((target.width * height) / width));
		else if (values.fit !== 'cover' && values.fit !== 'fill') {
			const fitted = fitInto({ width, height, kind: 'image' }, target.width, target.height, values.fit === 'outside' ? 'contain' : values.fit);
			if (values.fit === 'outside') {
				const scale = Math.max(target.width / width, target.height / height);
				fitted.width = Math.round(width * scale);
				fitted.height = Math.round(height * scale);
			}
			Object.assign(target, fitted);
		}
		({ width, height } = target);
	}
	return Math.abs(values.rotate % 180) === 90 ? { width: height, height: width } : { width, height };
}

function imageFormatOf(input) {
	return IMAGE_FORMATS.includes(input.format) || ['gif', 'tiff', 'heif'].includes(input.format) ? input.format : 'png';
}

/** [inferred] The format of an audio/video output when the tool was given none: the input's, if it is one. */
function sameKindFormat(input) {
	if ([...VIDEO_FORMATS, ...AUDIO_FORMATS].includes(input.format)) return input.format;
	return input.kind === 'audio' ? 'mp3' : 'mp4';
}

/** An image output: real PNG bytes (any requested format; a simulation), sized like the tool would. */
function imageOutput(input, suffix, format, size, options = {}) {
	const bytes = makePng(size.width, size.height, { seed: input.sha256 ?? input.filename, ...options });
	return bytesOutput([input], `${baseName(input.filename)}${suffix}.${format}`, FORMAT_MIME_TYPES[format], bytes, fitSize(size.width, size.height));
}

function bytesOutput(inputs, filename, mimeType, bytes, dimensions) {
	return {
		filename,
		mimeType,
		sizeBytes: bytes.length,
		originalSize: inputs.reduce((sum, input) => sum + input.size, 0),
		source: { kind: 'bytes', bytes },
		dimensions,
	};
}

/** An audio/video output: deriveResult(concatenated inputs, { jobType: tool, format, compression }). */
function derivedOutput(inputs, suffix, format, tool, compression) {
	const derive = { jobType: tool, format, compression };
	const originalSize = inputs.reduce((sum, input) => sum + input.size, 0);
	return {
		filename: `${baseName(inputs[0].filename)}${suffix}.${format}`,
		mimeType: FORMAT_MIME_TYPES[format],
		sizeBytes: derivedSize(originalSize, derive),
		originalSize,
		source: { kind: 'derived', paths: inputs.map((input) => input.path), derive },
	};
}

/** The inspect answer's `media` object, read from the input. */
function inspectMedia(input) {
	const kind = input.kind === 'pdf' ? 'document' : input.kind;
	const streams = [];
	if (kind === 'image') streams.push({ index: 0, type: 'image', codec: input.format || null, width: input.width, height: input.height });
	if (kind === 'video') streams.push({ index: 0, type: 'video', codec: input.format || null, width: input.width, height: input.height });
	if (kind === 'audio') streams.push({ index: 0, type: 'audio', codec: input.format || null });
	return {
		filename: input.filename,
		mimeType: input.mimeType,
		sizeBytes: input.size,
		kind,
		format: input.format || null,
		width: input.width,
		height: input.height,
		duration: input.duration,
		bitrateKbps: input.bitrateKbps,
		streams,
	};
}

// ---------------------------------------------------------------------------------------------
// Field validation.

function parseField(name, spec, raw) {
	const bad = (error) => ({ error });
	switch (spec.kind) {
		case 'enum':
			return spec.values.includes(raw) ? { value: raw } : bad(`${name} must be one of ${spec.values.join(', ')} (got ${JSON.stringify(raw)}).`);
		case 'boolean':
			return raw === 'true' || raw === 'false' ? { value: raw === 'true' } : bad(`${name} must be 'true' or 'false' (got ${JSON.stringify(raw)}).`);
		case 'integer':
		case 'number': {
			const pattern = spec.kind === 'integer' ? /^-?\d+$/ : /^-?(\d+\.?\d*|\.\d+)$/;
			const value = pattern.test(raw.trim()) ? Number(raw) : NaN;
			const range =
				spec.min !== null && spec.max !== null
					? ` from ${spec.min} to ${spec.max}`
					: spec.min !== null
						? ` of at least ${spec.min}`
						: spec.max !== null
							? ` of at most ${spec.max}`
							: '';
			const noun = spec.kind === 'integer' ? 'an integer' : 'a number';
			if (Number.isNaN(value) || (spec.min !== null && value < spec.min) || (spec.max !== null && value > spec.max)) {
				return bad(`${name} must be ${noun}${range} (got ${JSON.stringify(raw)}).`);
			}
			return { value };
		}
		default:
			return { value: raw };
	}
}

/** Parses `fields` against `specs`: { values (defaults applied), given (as sent) } or { error }. */
function parseFields(fields, specs) {
	const values = {};
	const given = {};
	for (const [name, spec] of Object.entries(specs)) {
		const raw = fields[name];
		if (raw === undefined || (raw === '' && spec.kind !== 'text')) {
			if (spec.required) return { error: `${name} is required.` };
			values[name] = spec.default;
			continue;
		}
		const parsed = parseField(name, spec, raw);
		if (parsed.error) return parsed;
		values[name] = parsed.value;
		given[name] = parsed.value;
	}
	return { values, given };
}

// ---------------------------------------------------------------------------------------------
// The handler.

/**
 * Routes POST /api/media/{tool}, /api/convert and /api/compress. Returns false for other paths.
 * ctx: { apiKey, record, fault, settings, speed(), tmpDir, idempotency, inFlightKeys, jobs, mediaRequests,
 *        createJob(spec), currentStatus(job), storeOutputs(files), links(owner, index, file), answer, dropped() }
 */
async function handleMedia(req, res, url, ctx) {
	if (req.method !== 'POST') return false;
	let route;
	const match = /^\/api\/media\/([^/]+)$/.exec(url.pathname);
	if (match) route = { endpoint: url.pathname, tool: safeDecode(match[1]) };
	else if (url.pathname === '/api/convert' || url.pathname === '/api/compress') route = { endpoint: url.pathname, batch: url.pathname.slice(5) };
	else return false;
	if (route.tool !== undefined && !MEDIA_TOOLS[route.tool]) {
		await drain(req);
		ctx.answer(404, { error: `Unknown media tool "${route.tool}". Tools: ${MEDIA_TOOL_NAMES.join(', ')}.` });
		return true;
	}
	await handleCall(req, res, ctx, route);
	return true;
}

async function handleCall(req, res, ctx, route) {
	const idempotencyKey = req.headers['idempotency-key'];
	const record = {
		at: Date.now(),
		endpoint: route.endpoint,
		tool: route.tool,
		headers: { ...req.headers },
		idempotencyKey: typeof idempotencyKey === 'string' ? idempotencyKey : undefined,
		fields: {},
		fieldList: [],
		unknownFields: [],
		files: [],
		sourceUrl: undefined,
		async: false,
		status: undefined,
		jobId: undefined,
		reused: false,
		outputId: undefined,
		outputs: [],
	};
	ctx.mediaRequests.push(record);
	const finish = (status, body) => {
		record.status = status;
		ctx.answer(status, body);
	};
	const plan = ctx.settings.plan;

	if (route.tool && plan.lockedTools.includes(route.tool)) {
		await drain(req);
		return finish(403, { error: `The ${route.tool} tool is not available on your plan.`, upgradeUrl: plan.upgradeUrl });
	}

	// [inferred] Idempotency-Key on a media tool: a repeat gets the job an earlier async call created.
	const scope = route.tool ? idempotencyScope(ctx.apiKey, record.idempotencyKey, 'media') : undefined;
	const claim = await claimIdempotency(ctx, scope);
	if (claim.existing) {
		await drain(req);
		record.reused = true;
		record.async = true;
		record.jobId = claim.existing.jobId;
		ctx.record.jobId = claim.existing.jobId;
		if (ctx.fault?.dropAfterUpload) return dropped(record, ctx);
		return finish(200, { jobId: claim.existing.jobId, status: ctx.currentStatus(claim.existing), tool: claim.existing.tool });
	}
	try {
		return await receiveAndRun(req, res, ctx, route, record, finish, scope);
	} finally {
		claim.release();
	}
}

function dropped(record, ctx) {
	record.status = 'dropped';
	return ctx.dropped();
}

async function receiveAndRun(req, res, ctx, route, record, finish, scope) {
	const plan = ctx.settings.plan;
	if (req.destroyed && !req.readableEnded) {
		record.status = 'aborted';
		ctx.record.status = 'aborted';
		return;
	}
	const tool = route.tool ? MEDIA_TOOLS[route.tool] : undefined;
	const inputField = (name) => (route.batch ? isFileField(name) : name === 'file' || isFileField(name));
	// Files per batch count what the endpoint reads (the MCP sends single-file tools the same bytes twice).
	const countedField = (name) => (route.batch || tool.files === 'multiple' ? inputField(name) : name === 'file');
	const received = await receiveMultipart(req, res, {
		tmpDir: ctx.tmpDir,
		plan,
		fields: record.fields,
		fieldList: record.fieldList,
		parts: record.files,
		isStored: (name) => inputField(name) || Boolean(tool?.extraFiles?.includes(name)),
		isCounted: countedField,
		onField: (name, value, decide) => {
			if (name === 'format' && plan.lockedFormats.includes(value)) {
				const error = lockedFormatError(value, plan);
				decide(error.status, error.body);
			}
		},
	});
	const cleanUp = () => {
		received.cleanUp();
		if (record.sourcePart?.path) ctx.removeFile(record.sourcePart.path);
	};
	switch (received.outcome) {
		case 'notMultipart':
			return finish(400, { error: `The request body must be multipart/form-data with the input in a ${route.batch || tool.files === 'multiple' ? 'files' : 'file'} field or a sourceUrl.` });
		case 'aborted':
			record.status = 'aborted';
			ctx.record.status = 'aborted';
			return;
		case 'unreadable':
			return finish(400, { error: `The multipart body could not be read: ${received.message}` });
		case 'decided':
			return finish(received.status, received.body);
	}
	const fail = (status, body) => {
		cleanUp();
		return finish(status, body);
	};
	const known = route.batch === 'convert' ? CONVERT_FIELD_NAMES : Object.keys(route.batch ? COMPRESS_FIELDS : { ...COMMON_FIELDS, ...tool.fields });
	record.unknownFields = [...new Set(record.fieldList.map(([name]) => name))].filter((name) => !known.includes(name));
	record.async = route.tool !== undefined && (record.fields.async === 'true' || record.fields.background === 'true');

	// Which parts are the inputs.
	const picked = pickInputs(record.files, route, tool);
	if (picked.error) return fail(400, { error: picked.error });
	const sourceUrl = record.fields.sourceUrl;
	const hasSource = sourceUrl !== undefined && sourceUrl !== '';
	const fileField = route.batch || tool.files === 'multiple' ? 'files' : 'file';
	if (hasSource && picked.inputs.length > 0) return fail(400, { error: `Send either a ${fileField} part or a sourceUrl, not both.` });
	if (!hasSource && picked.inputs.length === 0) {
		const other = picked.ignored.length ? ` (got a ${picked.ignored[0].field} part, which this endpoint does not read)` : '';
		return fail(400, { error: `${fileField} is required: send the input in a ${fileField} part or give a sourceUrl${other}.` });
	}
	for (const part of picked.ignored) if (part.path) ctx.removeFile(part.path);

	// Fields, before any fetch.
	let parsed;
	if (route.batch === 'convert') {
		const validated = validateFields(record.fields, hasSource ? 1 : picked.inputs.length, 'convert');
		if (validated.error) return fail(400, { error: validated.error });
		parsed = { values: validated.settings };
		const locked = [validated.settings.format, ...validated.settings.formats].find((format) => format && plan.lockedFormats.includes(format));
		if (locked) {
			const error = lockedFormatError(locked, plan);
			return fail(error.status, error.body);
		}
	} else {
		parsed = parseFields(record.fields, route.batch ? COMPRESS_FIELDS : { ...COMMON_FIELDS, ...tool.fields });
		if (parsed.error) return fail(400, { error: parsed.error });
		if (route.batch === 'compress' && parsed.values.mode === 'target-size' && parsed.values.targetBytes === undefined) {
			return fail(400, { error: 'targetBytes is required when mode is target-size.' });
		}
	}

	// The sourceUrl, fetched under the plan's limits.
	let inputParts = picked.inputs;
	if (hasSource) {
		record.sourceUrl = { url: sourceUrl, status: undefined };
		const fetched = await fetchSource(sourceUrl, { tmpDir: ctx.tmpDir, plan, guessMime });
		if (fetched.part) {
			record.sourcePart = fetched.part;
			Object.defineProperty(record, 'sourcePart', { enumerable: false });
			const { field: _field, path: _path, ...seen } = fetched.part;
			Object.assign(record.sourceUrl, seen, { status: 'fetched' });
			inputParts = [fetched.part];
		} else {
			record.sourceUrl.status = fetched.body.error;
			return fail(fetched.status, fetched.body);
		}
	}
	const inputs = inputParts.map(describeInput);

	if (tool) {
		const wrong = tool.inputs && inputs.find((input) => input.kind !== 'other' && !tool.inputs.includes(input.kind));
		if (wrong) {
			return fail(415, {
				error: `The ${route.tool} tool does not take ${wrong.kind} input ("${wrong.filename}", ${wrong.mimeType}); it takes ${tool.inputs.join(' or ')} files.`,
			});
		}
		const extra = record.files.filter((part) => tool.extraFiles?.includes(part.field));
		const problem = tool.check?.({ values: parsed.values, given: parsed.given, input: inputs[0], extra });
		if (problem) return fail(400, { error: problem });
		// The logo only changes the simulated picture's name, not its bytes: not kept.
		for (const part of extra) if (part.path) ctx.removeFile(part.path);
	}

	// The outputs.
	let outputs;
	let media;
	if (route.tool === 'inspect') {
		media = inspectMedia(inputs[0]);
		if (ctx.settings.inspectResponse === 'files') {
			const bytes = Buffer.from(JSON.stringify({ media }, null, 2));
			outputs = [bytesOutput(inputs, `${baseName(inputs[0].filename)}-inspect.json`, 'application/json', bytes)];
			media = undefined;
		} else outputs = [];
	} else if (tool) outputs = tool.output({ input: inputs[0], inputs, values: parsed.values, given: parsed.given, tool: route.tool });
	else outputs = batchOutputs(route.batch, inputs, parsed.values);
	// Inputs no output reads from (images are made in memory, inspect reads headers) are not kept.
	const kept = new Set(outputs.flatMap(({ source }) => source.paths ?? (source.path ? [source.path] : [])));
	for (const input of inputs) if (input.path && !kept.has(input.path)) ctx.removeFile(input.path);
	record.outputs = outputs.map(({ filename, mimeType, sizeBytes, dimensions }) => ({ filename, mimeType, sizeBytes, ...(dimensions ? { dimensions } : {}) }));

	if (record.async) return queue(ctx, route, record, finish, scope, { inputs, outputs, media, cleanUp });

	const delayMs = (ctx.settings.mediaProcessingMs ?? 0) / (ctx.speed() || 1);
	if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
	if (media) return finish(200, { media });
	let owner;
	try {
		owner = ctx.storeOutputs(outputs);
	} catch (error) {
		return fail(error.status ?? 400, { error: error.message });
	}
	record.outputId = owner.jobId;
	const files = outputs.map((output, index) => {
		const downloadUrl = ctx.links(owner, index, owner.files[index]);
		if (!route.batch) {
			return { filename: output.filename, mimeType: output.mimeType, originalSize: output.originalSize, finalSize: output.sizeBytes, downloadUrl };
		}
		const entry = {
			filename: output.filename,
			originalSize: output.originalSize,
			finalSize: output.sizeBytes,
			savedPercent: output.originalSize > 0 ? Math.round(((output.originalSize - output.sizeBytes) / output.originalSize) * 100) : 0,
			mimeType: output.mimeType,
			downloadUrl,
			appliedQuality: output.appliedQuality,
		};
		if (parsed.values.saveToStorage === true || record.fields.saveToStorage === 'true') entry.storedFileId = `${owner.jobId.slice(0, 8)}-s${index + 1}`;
		return entry;
	});
	if (ctx.fault?.dropAfterUpload) return dropped(record, ctx);
	if (!route.batch) return finish(200, { files });
	const saved = record.fields.saveToStorage === 'true';
	return finish(200, { files, storage: { saved, notice: saved ? STORAGE_NOTICES.saved : STORAGE_NOTICES.off } });
}

/** Picks the input parts: { inputs, ignored } or { error }. */
function pickInputs(parts, route, tool) {
	const named = (test) => parts.filter((part) => test(part.field));
	if (route.batch) return { inputs: named(isFileField), ignored: named((field) => field === 'file') };
	const singles = named((field) => field === 'file');
	const multiples = named(isFileField);
	if (tool.files === 'multiple') {
		// Repeated `files` [sdk: MCP]; a lone `file` too [sdk: the JS SDK's imageToPdf]. Both sent: `files` wins.
		return multiples.length > 0 ? { inputs: multiples, ignored: singles } : { inputs: singles, ignored: [] };
	}
	// One `file` [doc]. A `files` part beside it is ignored (the MCP sends both: "harmless" [sdk]).
	if (singles.length > 1) return { error: `file: this tool takes one file (got ${singles.length} file parts).` };
	return { inputs: singles, ignored: multiples };
}

/** Sync /api/convert and /api/compress: one derived output per input, as POST /api/jobs derives them. */
function batchOutputs(batch, inputs, values) {
	return inputs.map((input, index) => {
		if (batch === 'convert') {
			const format = values.formats[index] ?? values.format;
			const compression = values.compressions[index] ?? values.compression;
			return { ...derivedOutput([input], '', format, 'convert', compression), appliedQuality: compression };
		}
		let compression = values.quality;
		if (values.mode === 'target-size') {
			// The highest setting whose result fits targetBytes (at least 1).
			compression = 1;
			for (let q = 100; q >= 1; q--) {
				if (derivedSize(input.size, { jobType: 'compress', format: input.format, compression: q }) <= values.targetBytes) {
					compression = q;
					break;
				}
			}
		}
		const derive = { jobType: 'compress', format: input.format, compression };
		return {
			filename: input.filename,
			mimeType: input.mimeType,
			sizeBytes: derivedSize(input.size, derive),
			originalSize: input.size,
			source: { kind: 'derived', paths: [input.path], derive },
			appliedQuality: compression,
		};
	});
}

function queue(ctx, route, record, finish, scope, { inputs, outputs, media, cleanUp }) {
	const timing = ctx.settings.createdJobTiming;
	const fails = inputs.some((input) => /fail/i.test(input.filename));
	let job;
	try {
		job = ctx.createJob({
			jobType: 'media_tool',
			tool: route.tool,
			mediaOutputs: outputs,
			media,
			totalFiles: inputs.length,
			outcome: fails ? 'failed' : 'completed',
			errorMessage: 'The media tool could not process the file.',
			pendingMs: timing.pendingMs,
			processingMs: timing.processingMsPerFile * inputs.length,
			fields: { ...record.fields },
			idempotencyKey: record.idempotencyKey,
		});
	} catch (error) {
		cleanUp();
		return finish(error.status ?? 400, { error: error.message });
	}
	if (scope) ctx.idempotency.set(scope, job.jobId);
	record.jobId = job.jobId;
	ctx.record.jobId = job.jobId;
	if (ctx.fault?.dropAfterUpload) return dropped(record, ctx);
	return finish(200, { jobId: job.jobId, status: 'pending', tool: route.tool });
}

/** Sync outputs kept for download: an owner shaped like a job's (jobId, files, downloads). */
function syncOutputs(outputs, downloadMode) {
	return {
		jobId: randomUUID(),
		downloads: downloadMode,
		files: outputs.map(({ filename, mimeType, sizeBytes, source }) => ({ filename, mimeType, sizeBytes, source })),
	};
}

module.exports = {
	MEDIA_TOOLS,
	MEDIA_TOOL_NAMES,
	INSPECT_RESPONSES,
	handleMedia,
	syncOutputs,
	guessMime,
	describeInput,
	parseFields,
	kindOfMime,
};
