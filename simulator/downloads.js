'use strict';
// Result downloads: on the API origin (`/files/<jobId>/<index>/<filename>`, API key required,
// streamed or redirected), on a second "storage" origin (signed, expiring URLs, no key needed) and
// as data: URLs. Bytes are streamed from disk or generated; Content-Length is exact.

const fs = require('node:fs');
const { Readable, pipeline } = require('node:stream');
const { once } = require('node:events');
const { resultFile, phaseOf } = require('./jobs');
const { deriveResult, deriveStream, patternBytes, patternStream, sign, signatureMatches } = require('./results');

const DATA_URL_MAX_BYTES = 1024 * 1024;

/** The input files a derived result is made of, in order (`path`, or `paths` for several inputs). */
const derivedPaths = (source) => source.paths ?? [source.path];

/** The bytes of several files one after the other, streamed. */
function concatenated(paths) {
	return Readable.from(
		(async function* files() {
			for (const file of paths) yield* fs.createReadStream(file);
		})(),
	);
}

/**
 * Opens the bytes of a result file as a Readable. Source kinds: 'derived' (from the input file(s)),
 * 'file' (an input file as it is), 'pattern' (synthetic), 'bytes' (in memory).
 */
function openResult(file) {
	switch (file.source.kind) {
		case 'derived': {
			const out = deriveStream(file.source.derive);
			pipeline(concatenated(derivedPaths(file.source)), out, () => {});
			return out;
		}
		case 'file':
			return fs.createReadStream(file.source.path);
		case 'pattern':
			return patternStream(file.sizeBytes);
		default:
			return Readable.from([file.source.bytes]);
	}
}

/** The whole result in memory (data: URLs only; at most DATA_URL_MAX_BYTES). */
function resultBytes(file) {
	switch (file.source.kind) {
		case 'derived':
			return deriveResult(Buffer.concat(derivedPaths(file.source).map((input) => fs.readFileSync(input))), file.source.derive);
		case 'file':
			return fs.readFileSync(file.source.path);
		case 'pattern':
			return patternBytes(0, file.sizeBytes);
		default:
			return file.source.bytes;
	}
}

function contentDisposition(filename) {
	const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * Writes `source` to `res`. With dropAfterBytes, sends that many bytes and then destroys the
 * socket (the client sees a truncated body). Stops when the client goes away.
 */
async function pump(source, res, dropAfterBytes, progress = () => {}) {
	let sent = 0;
	const closed = once(res, 'close').catch(() => {});
	try {
		if (dropAfterBytes !== undefined) res.flushHeaders();
		for await (const chunk of source) {
			if (res.destroyed) return { sent, complete: false };
			if (dropAfterBytes !== undefined && sent + chunk.length >= dropAfterBytes) {
				const part = chunk.subarray(0, dropAfterBytes - sent);
				await new Promise((resolve) => res.write(part, () => resolve()));
				progress(dropAfterBytes);
				res.socket?.destroy();
				return { sent: dropAfterBytes, complete: false };
			}
			sent += chunk.length;
			progress(sent);
			if (!res.write(chunk)) await Promise.race([once(res, 'drain').catch(() => {}), closed]);
		}
	} finally {
		source.destroy?.();
	}
	if (dropAfterBytes !== undefined) {
		res.socket?.destroy();
		return { sent, complete: false };
	}
	if (!res.destroyed) res.end();
	return { sent, complete: true };
}

/**
 * ctx: { apiUrl(), storageUrl(), secret, now(), settings, jobs, outputs }
 * `outputs` holds the result files of sync calls (media tools, sync convert/compress), by id, in
 * the same shape as a job's (jobId, files, downloads): they are served like completed jobs' files.
 */
function createDownloads(ctx) {
	function signedUrl(job, index, file) {
		const expires = Math.floor(ctx.now() + ctx.settings.signedUrlTtlMs);
		const sig = sign(ctx.secret, job.jobId, index, file.filename, expires);
		return `${ctx.storageUrl()}/signed/${job.jobId}/${index}/${encodeURIComponent(file.filename)}?expires=${expires}&sig=${sig}`;
	}

	/** The downloadUrl of result file `index` (fresh on every read for signed URLs). */
	function links(job, index, file) {
		switch (job.downloads ?? ctx.settings.downloadMode) {
			case 'storage':
				return signedUrl(job, index, file);
			case 'data': {
				job.dataUrls ??= new Map();
				if (!job.dataUrls.has(index)) {
					const described = resultFile(job, index) ?? { ...file, source: { kind: 'pattern' } };
					job.dataUrls.set(index, `data:${described.mimeType};base64,${resultBytes(described).toString('base64')}`);
				}
				return job.dataUrls.get(index);
			}
			default:
				return `${ctx.apiUrl()}/files/${job.jobId}/${index}/${encodeURIComponent(file.filename)}`;
		}
	}

	/** Throws (status 413) when a job in data mode has a result too large for a data: URL. */
	function checkDataMode(job) {
		if (job.downloads !== 'data') return;
		const files = job.files ?? [];
		if (!job.files && job.results === undefined && job.outcome === 'completed') {
			for (let index = 0; index < job.totalFiles - job.failedFiles; index++) files.push(resultFile(job, index));
		}
		const large = files.find((file) => file.sizeBytes > DATA_URL_MAX_BYTES);
		if (large) {
			const error = new Error(
				`The simulator serves data: URLs only for results up to ${DATA_URL_MAX_BYTES} bytes; "${large.filename}" would be ${large.sizeBytes} bytes. Use another download mode.`,
			);
			error.status = 413;
			throw error;
		}
	}

	/** Looks up a completed job's result file from path segments; returns { job, index, file } or an error. */
	function locate(jobSegment, indexSegment, nameSegment) {
		const id = safeDecode(jobSegment);
		const job = ctx.jobs.get(id) ?? ctx.outputs?.get(id);
		const index = /^\d+$/.test(indexSegment) ? Number(indexSegment) : -1;
		const ready = job && (ctx.jobs.has(id) ? phaseOf(job, ctx.now()) === 'completed' : true);
		const file = ready ? resultFile(job, index) : undefined;
		if (!file || file.filename !== safeDecode(nameSegment)) return { error: { status: 404, body: { error: 'Result file not found.' } } };
		return { job, index, file };
	}

	async function stream(req, res, file, entry, fault) {
		entry.status = 200;
		res.writeHead(200, {
			'content-type': file.mimeType,
			'content-length': String(file.sizeBytes),
			'content-disposition': contentDisposition(file.filename),
		});
		if (req.method === 'HEAD') return res.end();
		const source = openResult(file);
		const result = await pump(source, res, fault?.dropAfterBytes, (sent) => (entry.bytesSent = sent));
		entry.bytesSent = result.sent;
		if (!result.complete) entry.status = 'dropped';
	}

	/** GET /files/<jobId>/<index>/<filename> on the API origin (the key was already checked). */
	async function serveApi(req, res, segments, entry, fault, answer) {
		if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, { error: 'Use GET to download a result file.' });
		const found = locate(segments[2], segments[3], segments[4]);
		if (found.error) return answer(found.error.status, found.error.body);
		entry.jobId = found.job.jobId;
		if ((found.job.downloads ?? ctx.settings.downloadMode) === 'redirect') {
			entry.status = 302;
			res.writeHead(302, { location: signedUrl(found.job, found.index, found.file), 'content-length': '0' });
			return res.end();
		}
		return stream(req, res, found.file, entry, fault);
	}

	/** GET /signed/<jobId>/<index>/<filename>?expires=…&sig=… on the storage origin. */
	async function serveStorage(req, res, url, entry, fault, answer) {
		const segments = url.pathname.split('/');
		if (segments.length !== 5 || segments[1] !== 'signed') return answer(404, { error: 'Not found.' });
		if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, { error: 'Use GET to download a file.' });
		const jobId = safeDecode(segments[2]);
		const expires = url.searchParams.get('expires') ?? '';
		const valid =
			/^\d+$/.test(expires) &&
			signatureMatches(ctx.secret, jobId, segments[3], safeDecode(segments[4]), expires, url.searchParams.get('sig'));
		if (!valid) return answer(403, { error: 'This download link is not valid.' });
		if (Number(expires) < ctx.now()) return answer(ctx.settings.signedUrlExpiredStatus, { error: 'This download link has expired.' });
		const found = locate(segments[2], segments[3], segments[4]);
		if (found.error) return answer(found.error.status, found.error.body);
		entry.jobId = found.job.jobId;
		return stream(req, res, found.file, entry, fault);
	}

	return { links, signedUrl, checkDataMode, serveApi, serveStorage };
}

function safeDecode(segment) {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

module.exports = { createDownloads, pump, openResult, contentDisposition, DATA_URL_MAX_BYTES, safeDecode };
