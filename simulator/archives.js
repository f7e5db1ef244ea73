'use strict';
// Real ZIP / TAR / TGZ archives for the simulator's storage (POST /api/files/zip, transfer with
// extract): written as streams (yazl, tar-stream, node:zlib), read entry by entry (yauzl,
// tar-stream). Also used by the tests to read archives back and to make ZIPs to import.

const fs = require('node:fs');
const zlib = require('node:zlib');
const { PassThrough, pipeline } = require('node:stream');
const yazl = require('yazl');
const yauzl = require('yauzl');
const tar = require('tar-stream');

const ARCHIVE_FORMATS = ['zip', 'tar', 'tgz'];
const ARCHIVE_MIME_TYPES = { zip: 'application/zip', tar: 'application/x-tar', tgz: 'application/gzip' };

/**
 * The archive of `entries` ({ name, size, mtime?, open(): Readable }) as one Readable. Entries are
 * opened one at a time, so thousands of files never hold thousands of descriptors.
 */
function archiveStream(entries, format) {
	if (format === 'zip') {
		const zip = new yazl.ZipFile();
		for (const entry of entries) {
			zip.addReadStreamLazy(entry.name, { size: entry.size, mtime: entry.mtime ?? new Date() }, (callback) => callback(null, entry.open()));
		}
		zip.end();
		return zip.outputStream;
	}
	const pack = tar.pack();
	const out = new PassThrough();
	(async () => {
		for (const entry of entries) {
			await new Promise((resolve, reject) => {
				const sink = pack.entry({ name: entry.name, size: entry.size, mtime: entry.mtime ?? new Date() }, (error) => (error ? reject(error) : resolve()));
				pipeline(entry.open(), sink, (error) => error && reject(error));
			});
		}
		pack.finalize();
	})().catch((error) => out.destroy(error));
	pipeline(pack, ...(format === 'tgz' ? [zlib.createGzip()] : []), out, () => {});
	return out;
}

/**
 * Reads each file entry of the ZIP at `path` in order: `onEntry({ name, size }, stream)` must
 * consume the stream; a rejection stops reading. Directories are skipped.
 */
function readZipFile(path, onEntry) {
	return new Promise((resolve, reject) => {
		yauzl.open(path, { lazyEntries: true, autoClose: true, strictFileNames: false }, (openError, zip) => {
			if (openError) return reject(openError);
			zip.on('error', reject);
			zip.on('end', resolve);
			zip.on('entry', (entry) => {
				if (entry.fileName.endsWith('/')) return zip.readEntry();
				zip.openReadStream(entry, (streamError, stream) => {
					if (streamError) return reject(streamError);
					Promise.resolve(onEntry({ name: entry.fileName, size: entry.uncompressedSize }, stream)).then(
						() => zip.readEntry(),
						(error) => {
							zip.close();
							reject(error);
						},
					);
				});
			});
			zip.readEntry();
		});
	});
}

/** Every file entry of an archive in memory (tests): [{ name, bytes }] in archive order. */
async function readArchive(bytes, format = 'zip') {
	const buffer = Buffer.from(bytes);
	if (format === 'zip') {
		return await new Promise((resolve, reject) => {
			const entries = [];
			yauzl.fromBuffer(buffer, { lazyEntries: true }, (openError, zip) => {
				if (openError) return reject(openError);
				zip.on('error', reject);
				zip.on('end', () => resolve(entries));
				zip.on('entry', (entry) => {
					if (entry.fileName.endsWith('/')) return zip.readEntry();
					zip.openReadStream(entry, (streamError, stream) => {
						if (streamError) return reject(streamError);
						const chunks = [];
						stream.on('data', (chunk) => chunks.push(chunk));
						stream.on('error', reject);
						stream.on('end', () => {
							entries.push({ name: entry.fileName, bytes: Buffer.concat(chunks) });
							zip.readEntry();
						});
					});
				});
				zip.readEntry();
			});
		});
	}
	const tarBytes = format === 'tgz' ? zlib.gunzipSync(buffer) : buffer;
	return await new Promise((resolve, reject) => {
		const entries = [];
		const extract = tar.extract();
		extract.on('entry', (header, stream, next) => {
			const chunks = [];
			stream.on('data', (chunk) => chunks.push(chunk));
			stream.on('end', () => {
				if (header.type === 'file') entries.push({ name: header.name, bytes: Buffer.concat(chunks) });
				next();
			});
			stream.resume();
		});
		extract.on('finish', () => resolve(entries));
		extract.on('error', reject);
		extract.end(tarBytes);
	});
}

/** A ZIP of the given entries, in memory (tests: files to import with transfer extract). */
async function makeZip(entries) {
	const zip = new yazl.ZipFile();
	for (const entry of entries) zip.addBuffer(Buffer.from(entry.bytes), entry.name);
	zip.end();
	const chunks = [];
	for await (const chunk of zip.outputStream) chunks.push(chunk);
	return Buffer.concat(chunks);
}

/** Whether the file at `path` starts like a ZIP (local file header or empty archive). */
function looksLikeZip(path) {
	const fd = fs.openSync(path, 'r');
	try {
		const head = Buffer.alloc(4);
		const read = fs.readSync(fd, head, 0, 4, 0);
		return read === 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6);
	} finally {
		fs.closeSync(fd);
	}
}

module.exports = { ARCHIVE_FORMATS, ARCHIVE_MIME_TYPES, archiveStream, readZipFile, readArchive, makeZip, looksLikeZip };
