'use strict';
// POST /api/jobs: a multipart upload parsed as a stream (busboy); each file goes straight to the
// simulator's temp folder. Validates the documented fields, enforces the configurable plan limits
// as soon as they are known (stops writing, drains the rest, then answers), honours
// Idempotency-Key per API key, and creates a convert/compress job whose results derive from the
// uploaded bytes.

const { FORMATS, extensionOf } = require('./results');
const {
	DEFAULT_UPGRADE_URL,
	normalisePlan,
	drain,
	lockedFormatError,
	idempotencyScope,
	claimIdempotency,
	receiveMultipart,
} = require('./uploads');

const RESIZES = ['original', 'website', 'email', 'instagram', 'linkedin', 'ecommerce', 'square', 'width', 'height'];
const CREATE_JOB_TYPES = ['convert', 'compress'];
const BOOLEAN_FIELDS = ['autoOrient', 'mono', 'createArchive'];
const ARRAY_FIELDS = ['formats', 'compressions', 'resizes', 'autoOrients', 'monos'];

/** The batch file field: `files`, repeated (the PHP client's `files[0]`, `files[1]`, … too). */
function isFileField(name) {
	return name === 'files' || /^files\[\d*\]$/.test(name);
}

function parseJsonArray(name, raw) {
	let value;
	try {
		value = JSON.parse(raw);
	} catch {
		return { error: `${name} must be a JSON array (got ${JSON.stringify(raw)}).` };
	}
	if (!Array.isArray(value)) return { error: `${name} must be a JSON array (got ${JSON.stringify(raw)}).` };
	return { value };
}

const isCompression = (value) => Number.isInteger(value) && value >= 1 && value <= 100;

/**
 * Validates the form fields of POST /api/jobs (endpoint 'jobs') or of the sync POST /api/convert
 * (endpoint 'convert': no jobType, saveToStorage optional). Returns { error } (a 400 text naming
 * the field) or the settings.
 */
function validateFields(fields, fileCount, endpoint = 'jobs') {
	const bad = (error) => ({ error });
	if (fileCount === 0) return bad('files is required: send at least one file in the files field.');
	const jobType = endpoint === 'jobs' ? (fields.jobType ?? 'convert') : 'convert';
	if (!CREATE_JOB_TYPES.includes(jobType)) return bad(`jobType must be convert or compress (got ${JSON.stringify(jobType)}).`);
	if (fields.format === undefined || fields.format === '') return bad('format is required.');
	if (!FORMATS.includes(fields.format)) {
		return bad(`format must be one of ${FORMATS.join(', ')} (got ${JSON.stringify(fields.format)}).`);
	}
	if (fields.resize === undefined || fields.resize === '') return bad('resize is required.');
	if (!RESIZES.includes(fields.resize)) {
		return bad(`resize must be one of ${RESIZES.join(', ')} (got ${JSON.stringify(fields.resize)}).`);
	}
	for (const [name, dimension, single] of [
		['resizeWidths', 'width', 'resizeWidth'],
		['resizeHeights', 'height', 'resizeHeight'],
	]) {
		// The sync endpoint also takes the single-value form the official clients send [sdk].
		if (endpoint === 'convert' && fields[single] !== undefined && !/^[1-9]\d*$/.test(fields[single])) {
			return bad(`${single} must be a positive integer (got ${JSON.stringify(fields[single])}).`);
		}
		const raw = fields[name];
		if (raw === undefined) {
			if (fields.resize === dimension && !(endpoint === 'convert' && fields[single] !== undefined)) {
				return bad(`${name} is required when resize is ${dimension}: a JSON array of positive integers, one per file.`);
			}
			continue;
		}
		const parsed = parseJsonArray(name, raw);
		const valid =
			parsed.value &&
			parsed.value.length === fileCount &&
			parsed.value.every((entry) => Number.isInteger(entry) && entry > 0);
		if (!valid) {
			return bad(`${name} must be a JSON array of positive integers, one per file (${fileCount} file${fileCount === 1 ? '' : 's'}); got ${raw}.`);
		}
	}
	let compression = 82;
	if (fields.compression !== undefined) {
		compression = /^\d+$/.test(fields.compression) ? Number(fields.compression) : NaN;
		if (!isCompression(compression)) {
			return bad(`compression must be an integer from 1 to 100 (got ${JSON.stringify(fields.compression)}).`);
		}
	}
	for (const name of endpoint === 'jobs' ? BOOLEAN_FIELDS : [...BOOLEAN_FIELDS, 'saveToStorage']) {
		if (fields[name] !== undefined && fields[name] !== 'true' && fields[name] !== 'false') {
			return bad(`${name} must be 'true' or 'false' (got ${JSON.stringify(fields[name])}).`);
		}
	}
	if (endpoint === 'jobs' && fields.saveToStorage !== 'true') return bad('saveToStorage must be true for API-key jobs.');
	const arrays = {};
	for (const name of ARRAY_FIELDS) {
		if (fields[name] === undefined) continue;
		const parsed = parseJsonArray(name, fields[name]);
		if (parsed.error) return bad(parsed.error);
		const entryValid = {
			formats: (entry) => FORMATS.includes(entry),
			compressions: isCompression,
			resizes: (entry) => RESIZES.includes(entry),
			autoOrients: (entry) => typeof entry === 'boolean' || entry === 'true' || entry === 'false',
			monos: (entry) => typeof entry === 'boolean' || entry === 'true' || entry === 'false',
		}[name];
		const wrong = parsed.value.find((entry) => entry !== null && !entryValid(entry));
		if (wrong !== undefined) return bad(`${name} has an invalid entry ${JSON.stringify(wrong)}.`);
		arrays[name] = parsed.value;
	}
	return {
		settings: {
			jobType,
			format: fields.format,
			formats: arrays.formats ?? [],
			compression,
			compressions: arrays.compressions ?? [],
			createArchive: fields.createArchive === 'true',
		},
	};
}

/**
 * Handles one POST /api/jobs whose API key has been checked.
 * ctx: { apiKey, record, fault, settings, tmpDir, idempotency, inFlightKeys, jobs, createJob(spec),
 *        currentStatus(job), answer(status, body), dropped(), createRequests, dataUrlMaxBytes, derivedSize }
 */
async function handleCreate(req, res, ctx) {
	const idempotencyKey = req.headers['idempotency-key'];
	const createRecord = {
		at: Date.now(),
		headers: { ...req.headers },
		idempotencyKey: typeof idempotencyKey === 'string' ? idempotencyKey : undefined,
		fields: {},
		fieldList: [],
		files: [],
		status: undefined,
		jobId: undefined,
		reused: false,
	};
	ctx.createRequests.push(createRecord);
	const finish = (status, body) => {
		createRecord.status = status;
		ctx.answer(status, body);
	};

	const scope = idempotencyScope(ctx.apiKey, createRecord.idempotencyKey);
	const claim = await claimIdempotency(ctx, scope);
	if (claim.existing) {
		await drain(req);
		createRecord.reused = true;
		createRecord.jobId = claim.existing.jobId;
		ctx.record.jobId = claim.existing.jobId;
		if (ctx.fault?.dropAfterUpload) {
			createRecord.status = 'dropped';
			return ctx.dropped();
		}
		return finish(200, { jobId: claim.existing.jobId, status: ctx.currentStatus(claim.existing) });
	}
	try {
		return await parseAndCreate(req, res, ctx, createRecord, finish, scope);
	} finally {
		claim.release();
	}
}

async function parseAndCreate(req, res, ctx, createRecord, finish, scope) {
	const plan = ctx.settings.plan;
	// The client may have gone while a fault delayed the request or while a retry waited.
	if (req.destroyed && !req.readableEnded) {
		createRecord.status = 'aborted';
		ctx.record.status = 'aborted';
		return;
	}
	const { fields, fieldList } = createRecord;
	const parts = createRecord.files;
	const received = await receiveMultipart(req, res, {
		tmpDir: ctx.tmpDir,
		plan,
		fields,
		fieldList,
		parts,
		isStored: isFileField,
		onField: (name, value, decide) => {
			if (name === 'format' && plan.lockedFormats.includes(value)) {
				const error = lockedFormatError(value, plan);
				decide(error.status, error.body);
			}
		},
	});
	const { cleanUp } = received;
	switch (received.outcome) {
		case 'notMultipart':
			return finish(400, { error: 'The request body must be multipart/form-data with the files in a files field.' });
		case 'aborted':
			createRecord.status = 'aborted';
			ctx.record.status = 'aborted';
			return;
		case 'unreadable':
			return finish(400, { error: `The multipart body could not be read: ${received.message}` });
		case 'decided':
			return finish(received.status, received.body);
	}
	const { fileCount } = received;
	const validated = validateFields(fields, fileCount);
	if (validated.error) {
		cleanUp();
		return finish(400, { error: validated.error });
	}
	const { settings } = validated;
	const locked = [settings.format, ...settings.formats].find((format) => format && plan.lockedFormats.includes(format));
	if (locked) {
		cleanUp();
		const error = lockedFormatError(locked, plan);
		return finish(error.status, error.body);
	}

	const inputs = parts
		.filter((part) => isFileField(part.field))
		.map((part, index) => ({
			filename: part.filename,
			mimeType: part.mimeType,
			extension: extensionOf(part.filename),
			size: part.size,
			path: part.path,
			format: settings.formats[index] ?? settings.format,
			compression: settings.compressions[index] ?? settings.compression,
			fails: /fail/i.test(part.filename ?? ''),
		}));
	const timing = ctx.settings.createdJobTiming;
	let job;
	try {
		job = ctx.createJob({
			jobType: settings.jobType,
			inputs,
			compression: settings.compression,
			createArchive: settings.createArchive,
			pendingMs: timing.pendingMs,
			// processingMsCycle: the n-th created job takes cycle[n % length] ms (jobs of varied length for benchmarks).
			processingMs: timing.processingMsCycle?.length
				? timing.processingMsCycle[ctx.nextCreatedIndex() % timing.processingMsCycle.length]
				: timing.processingMsPerFile * inputs.length,
			errorMessage: 'None of the files could be decoded.',
			callbackUrl: fields.callbackUrl,
			callbackSecret: fields.callbackSecret,
			fields: { ...fields },
			idempotencyKey: createRecord.idempotencyKey,
		});
	} catch (error) {
		cleanUp();
		return finish(error.status ?? 400, { error: error.message });
	}
	if (scope) ctx.idempotency.set(scope, job.jobId);
	createRecord.jobId = job.jobId;
	ctx.record.jobId = job.jobId;
	if (ctx.fault?.dropAfterUpload) {
		createRecord.status = 'dropped';
		return ctx.dropped();
	}
	return finish(200, { jobId: job.jobId, status: 'pending' });
}

module.exports = { handleCreate, normalisePlan, validateFields, drain, isFileField, RESIZES, CREATE_JOB_TYPES, DEFAULT_UPGRADE_URL };
