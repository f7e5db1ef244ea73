'use strict';
// Small real files for the media tools' outputs, made without any image library: PNG (encoded
// here with node:zlib), a minimal PDF, and readers of the dimensions in an image's first bytes
// (PNG, GIF, JPEG, WebP) and of a WAV header's duration. A simulation: every image output is PNG
// bytes, served with the MIME type the tool was asked for (browsers sniff and show it anyway).

const zlib = require('node:zlib');

/** Largest side of a generated image; bigger requests are scaled down proportionally. */
const MAX_SIDE = 2048;

const CRC_TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	CRC_TABLE[n] = c;
}

function crc32(buffers) {
	let crc = -1;
	for (const buffer of buffers) for (let i = 0; i < buffer.length; i++) crc = CRC_TABLE[(crc ^ buffer[i]) & 0xff] ^ (crc >>> 8);
	return (crc ^ -1) >>> 0;
}

function chunk(type, data) {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const name = Buffer.from(type, 'latin1');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32([name, data]));
	return Buffer.concat([length, name, data, crc]);
}

/** Scales (width, height) down to fit MAX_SIDE, keeping the aspect ratio; at least 1×1. */
function fitSize(width, height, max = MAX_SIDE) {
	const w = Math.max(1, Math.round(width));
	const h = Math.max(1, Math.round(height));
	const scale = Math.min(1, max / Math.max(w, h));
	return { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) };
}

/**
 * A real PNG: a diagonal colour gradient whose colours come from `seed` (any string, e.g. the
 * input's sha256), so the same input gives the same picture. Options: alpha (RGBA with a
 * transparent surround, as after background removal), grid: { columns, rows } (tile lines, as on a
 * storyboard). Sizes above MAX_SIDE are scaled down.
 */
function makePng(width, height, options = {}) {
	const size = fitSize(width, height);
	const { alpha = false, grid } = options;
	// The same request gives the same bytes: recent ones are kept (a benchmark's 100 thumbnails of one input cost one).
	const key = JSON.stringify([size.width, size.height, alpha, grid?.columns, grid?.rows, String(options.seed ?? 'convertly')]);
	const cached = PNG_CACHE.get(key);
	if (cached) {
		PNG_CACHE.delete(key);
		PNG_CACHE.set(key, cached);
		return cached;
	}
	const png = encodePng(size, alpha, grid, options.seed);
	PNG_CACHE.set(key, png);
	if (PNG_CACHE.size > PNG_CACHE_ENTRIES) PNG_CACHE.delete(PNG_CACHE.keys().next().value);
	return png;
}

const PNG_CACHE = new Map();
const PNG_CACHE_ENTRIES = 64;

function encodePng(size, alpha, grid, seedText) {
	const seed = Buffer.from(String(seedText ?? 'convertly'), 'utf8');
	const base = [0, 1, 2].map((i) => (seed[i % seed.length] * 7 + i * 31) % 96);
	const channels = alpha ? 4 : 3;
	const stride = size.width * channels + 1;
	const raw = Buffer.alloc(stride * size.height);
	const cx = size.width / 2;
	const cy = size.height / 2;
	// Per-column and per-row values computed once (no Math calls per pixel: they are slow in some VMs).
	const red = new Uint8Array(size.width);
	const lineX = new Uint8Array(size.width);
	const columnStep = grid ? Math.max(1, Math.floor(size.width / grid.columns)) : 0;
	const rowStep = grid ? Math.max(1, Math.floor(size.height / grid.rows)) : 0;
	for (let x = 0; x < size.width; x++) {
		red[x] = (base[0] + (x * 159) / size.width) | 0;
		lineX[x] = grid && x % columnStep === 0 ? 1 : 0;
	}
	const diagonal = 95 / (size.width + size.height);
	for (let y = 0; y < size.height; y++) {
		const row = y * stride;
		const green = (base[1] + (y * 159) / size.height) | 0;
		const lineY = grid && y % rowStep === 0;
		const dy = (y - cy) / cy;
		for (let x = 0; x < size.width; x++) {
			const at = row + 1 + x * channels;
			if (lineY || lineX[x]) {
				raw[at] = 255;
				raw[at + 1] = 255;
				raw[at + 2] = 255;
			} else {
				raw[at] = red[x];
				raw[at + 1] = green;
				raw[at + 2] = (base[2] + 64 + (x + y) * diagonal) | 0;
			}
			if (alpha) {
				const dx = (x - cx) / cx;
				raw[at + 3] = dx * dx + dy * dy <= 0.64 ? 255 : 0;
			}
		}
	}
	// Filter "Sub" on every row: a gradient becomes runs of tiny deltas, which deflate to a few KB.
	for (let y = 0; y < size.height; y++) {
		const row = y * stride;
		raw[row] = 1;
		for (let at = row + stride - 1; at >= row + 1 + channels; at--) raw[at] = (raw[at] - raw[at - channels]) & 0xff;
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(size.width, 0);
	header.writeUInt32BE(size.height, 4);
	header[8] = 8; // bit depth
	header[9] = alpha ? 6 : 2; // colour type: RGBA or RGB
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', zlib.deflateSync(raw, { level: 6 })),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

/**
 * The dimensions in an image's first bytes: { format, width, height } for PNG, GIF, JPEG (the
 * first SOF marker within the bytes given) and WebP (VP8, VP8L, VP8X); undefined otherwise.
 */
function imageSize(bytes) {
	const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
	if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.toString('latin1', 12, 16) === 'IHDR') {
		return { format: 'png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
	}
	if (b.length >= 10 && (b.toString('latin1', 0, 6) === 'GIF87a' || b.toString('latin1', 0, 6) === 'GIF89a')) {
		return { format: 'gif', width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
	}
	if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
		let at = 2;
		while (at + 9 < b.length) {
			if (b[at] !== 0xff) return undefined;
			const marker = b[at + 1];
			if (marker === 0xff) {
				at++;
				continue;
			}
			const length = b.readUInt16BE(at + 2);
			const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
			if (isSof) return { format: 'jpg', width: b.readUInt16BE(at + 7), height: b.readUInt16BE(at + 5) };
			at += 2 + length;
		}
		return undefined;
	}
	if (b.length >= 30 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') {
		const kind = b.toString('latin1', 12, 16);
		if (kind === 'VP8X') return { format: 'webp', width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
		if (kind === 'VP8L') {
			const bits = b.readUInt32LE(21);
			return { format: 'webp', width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
		}
		if (kind === 'VP8 ') return { format: 'webp', width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
	}
	return undefined;
}

/** Duration in seconds and bitrate in kbps from a canonical WAV header in the first bytes; undefined otherwise. */
function wavInfo(bytes, totalSize) {
	const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
	if (b.length < 44 || b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WAVE') return undefined;
	let at = 12;
	let byteRate;
	while (at + 8 <= b.length) {
		const id = b.toString('latin1', at, at + 4);
		const length = b.readUInt32LE(at + 4);
		if (id === 'fmt ' && at + 20 <= b.length) byteRate = b.readUInt32LE(at + 16);
		if (id === 'data' && byteRate) {
			const dataBytes = Math.min(length, Math.max(0, totalSize - at - 8));
			return { duration: Math.round((dataBytes / byteRate) * 1000) / 1000, bitrateKbps: Math.round((byteRate * 8) / 1000) };
		}
		at += 8 + length + (length % 2);
	}
	return undefined;
}

/** Page sizes in PDF points. */
const PAGE_SIZES = { a4: [595, 842], letter: [612, 792] };

function pdfText(text) {
	return String(text).replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1');
}

/**
 * A real (minimal, valid) PDF with one page per entry of `pages`: [{ width, height, label, seed }]
 * in points. Each page shows a coloured panel and its label.
 */
function makePdf(pages) {
	const objects = [];
	const add = (body) => objects.push(body);
	add('<< /Type /Catalog /Pages 2 0 R >>');
	add(''); // pages, filled in below
	add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
	const kids = [];
	for (const page of pages) {
		const seed = Buffer.from(String(page.seed ?? page.label ?? ''), 'utf8');
		const [r, g, b] = [0, 1, 2].map((i) => (((seed[i % Math.max(1, seed.length)] ?? 128) * 7 + i * 85) & 0xff) / 255);
		const margin = 36;
		const content = [
			`${r.toFixed(3)} ${g.toFixed(3)} ${b.toFixed(3)} rg`,
			`${margin} ${margin + 40} ${page.width - 2 * margin} ${page.height - 2 * margin - 40} re f`,
			'0 0 0 rg',
			`BT /F1 12 Tf ${margin} ${margin + 14} Td (${pdfText(page.label ?? '')}) Tj ET`,
		].join('\n');
		const contentId = add(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
		const pageId = add(
			`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${page.width} ${page.height}] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentId} 0 R >>`,
		);
		kids.push(`${pageId} 0 R`);
	}
	objects[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${kids.length} >>`;
	let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
	const offsets = [];
	objects.forEach((body, index) => {
		offsets.push(Buffer.byteLength(out, 'latin1'));
		out += `${index + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xref = Buffer.byteLength(out, 'latin1');
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

module.exports = { MAX_SIDE, PAGE_SIZES, makePng, imageSize, wavInfo, makePdf, fitSize };
