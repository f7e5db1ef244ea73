'use strict';
// Result files of the simulator: deterministic bytes derived from uploaded inputs, a synthetic
// pattern for large results, signed storage URLs. Everything here streams; nothing holds a whole
// file in memory except the small-buffer helpers meant for tests.

const { Readable, Transform } = require('node:stream');
const { createHmac, timingSafeEqual } = require('node:crypto');

/** The documented `format` values of POST /api/jobs and the MIME type the simulator gives each. */
const FORMAT_MIME_TYPES = {
	jpg: 'image/jpeg',
	png: 'image/png',
	webp: 'image/webp',
	avif: 'image/avif',
	tiff: 'image/tiff',
	gif: 'image/gif',
	heif: 'image/heif',
	svg: 'image/svg+xml',
	pdf: 'application/pdf',
	mp4: 'video/mp4',
	webm: 'video/webm',
	mov: 'video/quicktime',
	mp3: 'audio/mpeg',
	wav: 'audio/wav',
	ogg: 'audio/ogg',
	m4a: 'audio/mp4',
	flac: 'audio/flac',
	zip: 'application/zip',
	tar: 'application/x-tar',
	tgz: 'application/gzip',
	'7z': 'application/x-7z-compressed',
	rar: 'application/vnd.rar',
	gz: 'application/gzip',
	bz2: 'application/x-bzip2',
	xz: 'application/x-xz',
};
const FORMATS = Object.keys(FORMAT_MIME_TYPES);

/** Extension of a file name, lower case, without the dot ('' when none). */
function extensionOf(filename) {
	const match = /\.([^./\\]+)$/.exec(filename ?? '');
	return match ? match[1].toLowerCase() : '';
}

function baseName(filename) {
	return (filename ?? '').replace(/\.[^./\\]+$/, '') || 'file';
}

// ---------------------------------------------------------------------------------------------
// Derived result bytes. Output = a header line, then every input byte at position i with
// (i % 100) < compression, each shifted by `compression` (mod 256). The size therefore falls with
// the compression setting, and a test can recompute the exact bytes with deriveResult().

function derivationHeader({ jobType, format, compression }) {
	return Buffer.from(`CONVERTLY-SIM ${jobType} ${format || '-'} q${compression}\n`, 'latin1');
}

/** Transforms one chunk that starts at absolute input position `offset`. */
function deriveChunk(chunk, offset, compression) {
	const out = Buffer.allocUnsafe(chunk.length);
	let n = 0;
	let phase = offset % 100;
	for (let j = 0; j < chunk.length; j++) {
		if (phase < compression) out[n++] = (chunk[j] + compression) & 0xff;
		phase = phase === 99 ? 0 : phase + 1;
	}
	return out.subarray(0, n);
}

/** The exact byte count of a derived result for an input of `inputSize` bytes. */
function derivedSize(inputSize, options) {
	const c = options.compression;
	return derivationHeader(options).length + Math.floor(inputSize / 100) * c + Math.min(inputSize % 100, c);
}

/** The result bytes for a (small) input, computed in memory. The download stream matches it. */
function deriveResult(inputBuffer, options) {
	const buffer = Buffer.isBuffer(inputBuffer) ? inputBuffer : Buffer.from(inputBuffer);
	return Buffer.concat([derivationHeader(options), deriveChunk(buffer, 0, options.compression)]);
}

/** A Transform stream producing deriveResult() of whatever is piped through it. */
function deriveStream(options) {
	let offset = 0;
	let headerSent = false;
	return new Transform({
		transform(chunk, _encoding, callback) {
			if (!headerSent) {
				headerSent = true;
				this.push(derivationHeader(options));
			}
			const out = deriveChunk(chunk, offset, options.compression);
			offset += chunk.length;
			callback(null, out);
		},
		flush(callback) {
			if (!headerSent) this.push(derivationHeader(options));
			callback();
		},
	});
}

// ---------------------------------------------------------------------------------------------
// Synthetic results: byte i of the file is i % 251, generated as a stream.

const PATTERN_MODULUS = 251;
const PATTERN_CHUNK = 65000;
const PATTERN = Buffer.alloc(PATTERN_MODULUS * 261);
for (let i = 0; i < PATTERN.length; i++) PATTERN[i] = i % PATTERN_MODULUS;

/** Bytes [offset, offset + length) of the synthetic pattern (a fresh buffer). */
function patternBytes(offset, length) {
	const out = Buffer.allocUnsafe(length);
	for (let i = 0; i < length; i++) out[i] = (offset + i) % PATTERN_MODULUS;
	return out;
}

/** Index (relative to the buffer) of the first byte that breaks the pattern, or -1. */
function checkPattern(buffer, offset = 0) {
	for (let i = 0; i < buffer.length; i++) {
		if (buffer[i] !== (offset + i) % PATTERN_MODULUS) return i;
	}
	return -1;
}

/** A Readable of `size` pattern bytes (slices of one shared 64 KB buffer; no large allocation). */
function patternStream(size) {
	let position = 0;
	return new Readable({
		read() {
			if (position >= size) {
				this.push(null);
				return;
			}
			const start = position % PATTERN_MODULUS;
			const length = Math.min(PATTERN_CHUNK, size - position);
			position += length;
			this.push(PATTERN.subarray(start, start + length));
		},
	});
}

// ---------------------------------------------------------------------------------------------
// Signed storage URLs.

function sign(secret, jobId, index, filename, expires) {
	return createHmac('sha256', secret).update(`${jobId}/${index}/${filename}:${expires}`).digest('hex');
}

function signatureMatches(secret, jobId, index, filename, expires, signature) {
	const expected = Buffer.from(sign(secret, jobId, index, filename, expires));
	const given = Buffer.from(String(signature ?? ''));
	return given.length === expected.length && timingSafeEqual(given, expected);
}

module.exports = {
	FORMATS,
	FORMAT_MIME_TYPES,
	extensionOf,
	baseName,
	deriveResult,
	derivedSize,
	deriveStream,
	derivationHeader,
	PATTERN_MODULUS,
	patternBytes,
	checkPattern,
	patternStream,
	sign,
	signatureMatches,
};
