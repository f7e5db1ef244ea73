'use strict';
// What every upload endpoint of the simulator shares (POST /api/jobs in create.js, the media tools
// and sync convert/compress in media.js): the plan limits, reading a multipart body as a stream
// (busboy; files go straight to the temp folder, never into memory), draining a body before an
// early answer, Idempotency-Key claims, and fetching a `sourceUrl` to the temp folder under the
// same limits.

const fs = require('node:fs');
const path = require('node:path');
const { Readable, Transform, pipeline } = require('node:stream');
const { createHash, randomUUID } = require('node:crypto');
const busboy = require('busboy');

const DEFAULT_UPGRADE_URL = 'https://convertly.sh/pricing';
/** How many leading bytes of each stored file are kept in memory (image headers for inspect and outputs). */
const HEAD_BYTES = 64 * 1024;
const SOURCE_URL_TIMEOUT_MS = 30_000;

/** A plan with every limit off. */
function normalisePlan(plan) {
	return {
		maxFilesPerBatch: plan?.maxFilesPerBatch ?? null,
		maxFileSizeBytes: plan?.maxFileSizeBytes ?? null,
		lockedFormats: plan?.lockedFormats ?? [],
		lockedTools: plan?.lockedTools ?? [],
		unsupportedMimeTypes: plan?.unsupportedMimeTypes ?? [],
		// Convertly Storage quota (simulator/storage.js): bytes all stored files may take; null = no limit.
		storageLimitBytes: plan?.storageLimitBytes ?? null,
		upgradeUrl: plan?.upgradeUrl ?? DEFAULT_UPGRADE_URL,
	};
}

/** Reads and discards the rest of a request body (so that the client gets to read the answer). */
function drain(req) {
	return new Promise((resolve) => {
		if (req.complete || req.destroyed) return resolve();
		req.on('end', resolve);
		req.on('close', resolve);
		req.on('error', resolve);
		req.resume();
	});
}

function lockedFormatError(format, plan) {
	return {
		status: 403,
		body: { error: `The ${format} format is not available on your plan.`, upgradeUrl: plan.upgradeUrl },
	};
}

const tooManyFiles = (plan) => ({
	status: 403,
	body: { error: `Your plan allows ${plan.maxFilesPerBatch} files per batch.`, upgradeUrl: plan.upgradeUrl },
});
const tooLarge = (filename, plan) => ({
	status: 413,
	body: { error: `The file "${filename}" is larger than your plan's file size limit of ${plan.maxFileSizeBytes} bytes.` },
});
const unsupportedType = (filename, mimeType) => ({
	status: 415,
	body: { error: `The file "${filename}" has an unsupported type (${mimeType}).` },
});

/** The scope of an Idempotency-Key: per API key, and per kind of endpoint (`namespace`). */
function idempotencyScope(apiKey, key, namespace = '') {
	return typeof key === 'string' && key ? `${apiKey}\u0000${namespace}\u0000${key}` : undefined;
}

/**
 * Claims an idempotency scope. A request that arrives while another with the same scope is still
 * running waits for its outcome. Returns { existing } (the job an earlier request created) or
 * { release } to call once this request has created its job (or failed).
 * ctx: { inFlightKeys: Map, idempotency: Map(scope → jobId), jobs: Map }
 */
async function claimIdempotency(ctx, scope) {
	if (!scope) return { release: () => {} };
	while (ctx.inFlightKeys.has(scope)) await ctx.inFlightKeys.get(scope);
	const existing = ctx.jobs.get(ctx.idempotency.get(scope));
	if (existing) return { existing, release: () => {} };
	let resolve;
	ctx.inFlightKeys.set(scope, new Promise((done) => (resolve = done)));
	return {
		release: () => {
			ctx.inFlightKeys.delete(scope);
			resolve();
		},
	};
}

/** A part record: what was received (sha256 and head are filled in as the bytes arrive). */
function newPart(field, filename, mimeType) {
	const part = { field, filename, mimeType, size: 0, sha256: undefined, path: undefined };
	// The first bytes stay in memory for header reads; not enumerable, so records stay small.
	Object.defineProperty(part, 'head', { value: Buffer.alloc(0), writable: true, enumerable: false });
	return part;
}

/**
 * A Transform that counts, hashes and keeps the head of what passes, applies the size limit, and
 * drops everything once `isDecided()` (the rest of the upload is read and discarded).
 */
function meter(part, plan, decide, isDecided, limited = true) {
	const hash = createHash('sha256');
	let discarding = false;
	return new Transform({
		transform(chunk, _encoding, callback) {
			part.size += chunk.length;
			hash.update(chunk);
			if (part.head.length < HEAD_BYTES) part.head = Buffer.concat([part.head, chunk.subarray(0, HEAD_BYTES - part.head.length)]);
			if (limited && !discarding && plan.maxFileSizeBytes !== null && part.size > plan.maxFileSizeBytes) {
				const error = tooLarge(part.filename, plan);
				decide(error.status, error.body);
			}
			if (isDecided()) discarding = true;
			callback(null, discarding ? undefined : chunk);
		},
		flush(callback) {
			part.sha256 = hash.digest('hex');
			callback();
		},
	});
}

/**
 * Reads a multipart/form-data body as a stream.
 * options: {
 *   tmpDir, plan,
 *   fields (object: last value per name), fieldList (array of [name, value]), parts (array: every file part, pushed as it starts),
 *   isStored(name): whether a file part of that field is written to disk (others are counted and discarded),
 *   isCounted(name): whether it counts against maxFilesPerBatch (default: isStored),
 *   onField(name, value, decide): may decide a limit error from a field,
 * }
 * Limits (files per batch, file size, MIME type) are decided as soon as they are known: nothing
 * more is written, the rest is drained. Returns { outcome, cleanUp() } where outcome is
 * 'ok' (with fileCount), 'decided' (status, body), 'notMultipart', 'unreadable' (message) or 'aborted'.
 */
async function receiveMultipart(req, res, options) {
	const { plan, fields, fieldList, parts } = options;
	const isCounted = options.isCounted ?? options.isStored;
	const cleanUp = () => {
		for (const part of parts) if (part.path) fs.rmSync(part.path, { force: true });
	};
	let parser;
	try {
		parser = busboy({ headers: req.headers, limits: { fieldSize: 1024 * 1024 } });
	} catch {
		await drain(req);
		return { outcome: 'notMultipart', cleanUp };
	}
	const fileStreams = [];
	const writes = [];
	let decided; // the first limit error, answered once the upload is drained
	const decide = (status, body) => {
		if (!decided) decided = { status, body };
	};
	let fileCount = 0;

	parser.on('field', (name, value) => {
		fields[name] = value;
		fieldList.push([name, value]);
		options.onField?.(name, value, decide);
	});
	parser.on('file', (name, stream, info) => {
		fileStreams.push(stream);
		const part = newPart(name, info.filename, info.mimeType);
		parts.push(part);
		if (isCounted(name)) {
			fileCount++;
			if (plan.maxFilesPerBatch !== null && fileCount > plan.maxFilesPerBatch) {
				const error = tooManyFiles(plan);
				decide(error.status, error.body);
			}
		}
		if (options.isStored(name) && plan.unsupportedMimeTypes.includes(info.mimeType)) {
			const error = unsupportedType(info.filename, info.mimeType);
			decide(error.status, error.body);
		}
		const stored = options.isStored(name);
		const counter = meter(part, plan, decide, () => Boolean(decided), stored);
		if (!stored || decided) {
			writes.push(new Promise((resolve) => pipeline(stream, counter, devNull(), (error) => resolve(error))));
			return;
		}
		part.path = path.join(options.tmpDir, `upload-${randomUUID()}`);
		writes.push(new Promise((resolve) => pipeline(stream, counter, fs.createWriteStream(part.path), (error) => resolve(error))));
	});

	let parseError;
	await new Promise((resolve) => {
		parser.on('close', resolve);
		parser.on('error', (error) => {
			parseError = error;
			for (const stream of fileStreams) stream.destroy(error);
			resolve();
		});
		const abandoned = () => {
			if (req.readableEnded) return;
			parseError = parseError ?? new Error('aborted');
			parser.destroy(parseError);
			for (const stream of fileStreams) stream.destroy(parseError);
			resolve();
		};
		req.on('aborted', abandoned);
		req.on('close', abandoned);
		req.pipe(parser);
	});
	const writeErrors = (await Promise.all(writes)).filter(Boolean);

	if (parseError || writeErrors.length > 0) {
		cleanUp();
		if (req.aborted || res.destroyed || !req.readableEnded) return { outcome: 'aborted', cleanUp };
		return { outcome: 'unreadable', message: (parseError ?? writeErrors[0]).message, cleanUp };
	}
	if (decided) {
		cleanUp();
		return { outcome: 'decided', ...decided, cleanUp };
	}
	return { outcome: 'ok', fileCount, cleanUp };
}

/** A Writable that discards everything. */
function devNull() {
	const { Writable } = require('node:stream');
	return new Writable({ write: (_chunk, _encoding, callback) => callback() });
}

/** The MIME type of a Content-Type header value, lower case, without parameters. */
function mimeOf(contentType) {
	return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** The last path segment of a URL, decoded ('' when there is none). */
function urlFilename(url) {
	const last = url.pathname.split('/').filter(Boolean).pop() ?? '';
	try {
		return decodeURIComponent(last);
	} catch {
		return last;
	}
}

/**
 * Fetches a `sourceUrl` into the temp folder, streamed, under the plan's size and MIME limits.
 * Returns { part } (a part like an uploaded one, field 'sourceUrl') or { status, body } (a 400 naming
 * sourceUrl when the URL cannot be fetched, 413/415 for the plan limits).
 * options: { tmpDir, plan, guessMime(filename), timeoutMs }
 */
async function fetchSource(raw, options) {
	let url;
	try {
		url = new URL(raw);
	} catch {
		return { status: 400, body: { error: `sourceUrl must be an http or https URL (got ${JSON.stringify(raw)}).` } };
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return { status: 400, body: { error: `sourceUrl must be an http or https URL (got ${JSON.stringify(raw)}).` } };
	}
	const abort = new AbortController();
	const timer = setTimeout(() => abort.abort(new Error('timed out')), options.timeoutMs ?? SOURCE_URL_TIMEOUT_MS);
	try {
		let response;
		try {
			response = await fetch(url, { signal: abort.signal, redirect: 'follow' });
		} catch (error) {
			const reason = error?.cause?.code ?? error?.cause?.message ?? error?.message ?? 'unknown error';
			return { status: 400, body: { error: `Could not fetch sourceUrl (${reason}).` } };
		}
		if (!response.ok) {
			await response.body?.cancel().catch(() => {});
			return { status: 400, body: { error: `Could not fetch sourceUrl (HTTP ${response.status}).` } };
		}
		const filename = urlFilename(new URL(response.url || url)) || 'download';
		const headerMime = mimeOf(response.headers.get('content-type'));
		const mimeType = headerMime && headerMime !== 'application/octet-stream' ? headerMime : options.guessMime(filename);
		const part = newPart('sourceUrl', filename, mimeType);
		if (options.plan.unsupportedMimeTypes.includes(mimeType)) {
			abort.abort();
			return unsupportedType(filename, mimeType);
		}
		const declared = Number(response.headers.get('content-length'));
		const { plan } = options;
		if (plan.maxFileSizeBytes !== null && Number.isFinite(declared) && declared > plan.maxFileSizeBytes) {
			abort.abort();
			return tooLarge(filename, plan);
		}
		let decided;
		const decide = (status, body) => {
			if (!decided) decided = { status, body };
			abort.abort();
		};
		part.path = path.join(options.tmpDir, `upload-${randomUUID()}`);
		const body = response.body ? Readable.fromWeb(response.body) : Readable.from([]);
		const error = await new Promise((resolve) =>
			pipeline(body, meter(part, plan, decide, () => Boolean(decided)), fs.createWriteStream(part.path), resolve),
		);
		if (decided || error) {
			fs.rmSync(part.path, { force: true });
			if (decided) return decided;
			return { status: 400, body: { error: `Could not fetch sourceUrl (${error.message}).` } };
		}
		return { part };
	} finally {
		clearTimeout(timer);
	}
}

module.exports = {
	DEFAULT_UPGRADE_URL,
	HEAD_BYTES,
	normalisePlan,
	drain,
	lockedFormatError,
	idempotencyScope,
	claimIdempotency,
	receiveMultipart,
	fetchSource,
	mimeOf,
	tooLarge,
	unsupportedType,
	newPart,
	meter,
};
