'use strict';
// Job model of the Convertly simulator: a job is a spec plus a creation time; its visible state is
// derived from the simulated clock on every read, so no timers run and a job can never be
// observed in an inconsistent state.

const { randomUUID } = require('node:crypto');
const { FORMAT_MIME_TYPES, baseName, derivedSize } = require('./results');

const JOB_TYPES = ['convert', 'compress', 'media_tool', 'transfer'];
const DOWNLOAD_MODES = ['api', 'storage', 'redirect', 'data'];
const DECODE_ERROR = 'The file could not be decoded.';

/** Normalises a job spec from the admin API, a fixture, a test or POST /api/jobs. */
function normaliseSpec(spec = {}, now) {
	const jobType = spec.jobType ?? 'convert';
	if (!JOB_TYPES.includes(jobType)) throw new Error(`Unknown jobType "${jobType}"`);
	if (spec.downloads !== undefined && !DOWNLOAD_MODES.includes(spec.downloads)) {
		throw new Error(`downloads must be one of ${DOWNLOAD_MODES.join(', ')}, not "${spec.downloads}"`);
	}
	const resultFiles = spec.resultFiles === undefined ? undefined : normaliseResultFiles(spec.resultFiles);
	const inputs = spec.inputs;
	const failedByName = inputs ? inputs.filter((input) => input.fails).length : undefined;
	const totalFiles =
		spec.totalFiles ?? (inputs ? inputs.length : resultFiles ? resultFiles.length + (spec.failedFiles ?? 0) : 1);
	const defaultOutcome = inputs && failedByName === inputs.length ? 'failed' : 'completed';
	const outcome = spec.outcome ?? defaultOutcome;
	if (outcome !== 'completed' && outcome !== 'failed') {
		throw new Error(`outcome must be "completed" or "failed", not "${outcome}"`);
	}
	const failedFiles = failedByName ?? spec.failedFiles ?? (outcome === 'failed' ? totalFiles : 0);
	if (failedFiles > totalFiles) throw new Error('failedFiles cannot exceed totalFiles');
	const job = {
		jobId: spec.jobId ?? randomUUID(),
		jobType,
		totalFiles,
		failedFiles,
		outcome,
		// Milliseconds (of simulated time) spent pending, then processing. null = never ends.
		pendingMs: spec.pendingMs ?? 0,
		processingMs: spec.processingMs === undefined ? 1000 : spec.processingMs,
		// Reported instead of "pending" while the job waits (to exercise unknown statuses).
		pendingStatus: spec.pendingStatus ?? 'pending',
		errorMessage: spec.errorMessage ?? 'The source file could not be decoded.',
		tool: spec.tool ?? 'thumbnail',
		results: spec.results,
		extra: spec.extra ?? {},
		faults: (spec.faults ?? []).map((fault) => ({ times: 1, ...fault })),
		// createdAt: an ISO date; ageMs: created that long before now (fixtures that stay recent).
		createdAt: spec.createdAt === undefined ? now - (spec.ageMs ?? 0) : Date.parse(spec.createdAt),
		// The job's clock starts at its first read instead of now (for runs that boot slowly).
		startsOnFirstRead: spec.startsOnFirstRead === true,
		// How result files are offered: api | storage | redirect | data (undefined: the simulator's default).
		downloads: spec.downloads,
		callback: spec.callbackUrl ? { url: spec.callbackUrl, secret: spec.callbackSecret } : undefined,
		cancelledAt: undefined,
		// Downloadable result files, by index (the index is part of the download URL).
		files: undefined,
		// Result entries of created / resultFiles jobs: { meta, file } where file indexes `files`.
		entries: undefined,
	};
	if (spec.mediaOutputs) buildMediaOutputs(job, spec);
	else if (inputs) buildCreatedOutputs(job, inputs, spec);
	else if (resultFiles) buildSyntheticOutputs(job, resultFiles);
	return job;
}

function normaliseResultFiles(list) {
	if (!Array.isArray(list)) throw new Error('resultFiles must be an array');
	return list.map((file, index) => {
		const sizeBytes = file.sizeBytes;
		if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) throw new Error(`resultFiles[${index}].sizeBytes must be a non-negative integer`);
		return {
			filename: file.filename ?? `result-${index + 1}.bin`,
			mimeType: file.mimeType ?? 'application/octet-stream',
			sizeBytes,
		};
	});
}

function storedFileId(job, index) {
	return `${job.jobId.slice(0, 8)}-s${index + 1}`;
}

function buildSyntheticOutputs(job, resultFiles) {
	job.files = resultFiles.map((file) => ({ ...file, source: { kind: 'pattern' } }));
	job.entries = job.files.map((file, index) => ({
		file: index,
		meta: {
			filename: file.filename,
			mimeType: file.mimeType,
			originalSize: file.sizeBytes,
			finalSize: file.sizeBytes,
			savedPercent: 0,
			appliedQuality: 82,
			storedFileId: storedFileId(job, index),
		},
	}));
}

/** Results of a job created by POST /api/jobs: one derived file per decodable input, optional archive. */
function buildCreatedOutputs(job, inputs, spec) {
	job.files = [];
	job.entries = [];
	job.inputs = inputs;
	for (const input of inputs) {
		const converts = job.jobType === 'convert';
		const format = converts ? input.format : input.extension;
		const filename = converts ? `${baseName(input.filename)}.${format}` : input.filename;
		if (input.fails) {
			job.entries.push({ file: null, meta: { filename, error: DECODE_ERROR } });
			continue;
		}
		const derive = { jobType: job.jobType, format, compression: input.compression };
		const mimeType = converts
			? FORMAT_MIME_TYPES[format]
			: input.mimeType || FORMAT_MIME_TYPES[input.extension] || 'application/octet-stream';
		const sizeBytes = derivedSize(input.size, derive);
		const index = job.files.push({ filename, mimeType, sizeBytes, source: { kind: 'derived', path: input.path, derive } }) - 1;
		job.entries.push({
			file: index,
			meta: {
				filename,
				mimeType,
				originalSize: input.size,
				finalSize: sizeBytes,
				savedPercent: savedPercent(input.size, sizeBytes),
				appliedQuality: input.compression,
				storedFileId: storedFileId(job, index),
			},
		});
	}
	if (spec.createArchive && job.files.length > 0) {
		const filename = `convertly-${job.jobId.slice(0, 8)}.zip`;
		const lines = job.files.map((file) => `${file.filename} ${file.sizeBytes}\n`);
		const bytes = Buffer.from(`CONVERTLY-SIM archive ${job.jobId}\n${lines.join('')}`, 'utf8');
		const originalSize = inputs.filter((input) => !input.fails).reduce((sum, input) => sum + input.size, 0);
		const index = job.files.push({ filename, mimeType: 'application/zip', sizeBytes: bytes.length, source: { kind: 'bytes', bytes } }) - 1;
		job.entries.push({
			file: index,
			meta: {
				filename,
				mimeType: 'application/zip',
				originalSize,
				finalSize: bytes.length,
				savedPercent: savedPercent(originalSize, bytes.length),
				appliedQuality: spec.compression ?? 82,
				storedFileId: storedFileId(job, index),
			},
		});
	}
}

/**
 * Results of an async media tool (simulator/media.js): its output files ({ filename, mimeType,
 * sizeBytes, originalSize, source }), or, for inspect in the media shape, the `media` object.
 */
function buildMediaOutputs(job, spec) {
	job.files = spec.mediaOutputs.map(({ filename, mimeType, sizeBytes, source }) => ({ filename, mimeType, sizeBytes, source }));
	job.entries = spec.mediaOutputs.map((output, index) => ({
		file: index,
		meta: { filename: output.filename, mimeType: output.mimeType, originalSize: output.originalSize, finalSize: output.sizeBytes },
	}));
	job.media = spec.media;
}

function savedPercent(originalSize, finalSize) {
	return originalSize > 0 ? Math.round(((originalSize - finalSize) / originalSize) * 100) : 0;
}

function fileResult(job, index, links) {
	const base = `file-${index + 1}`;
	if (job.jobType === 'transfer') {
		const file = { filename: `${base}.mp4`, mimeType: 'video/mp4', sizeBytes: 1048576 * (index + 2) };
		return {
			id: `${job.jobId.slice(0, 8)}-f${index + 1}`,
			filename: file.filename,
			mime_type: file.mimeType,
			size_bytes: file.sizeBytes,
			downloadUrl: links(job, index, file),
		};
	}
	const originalSize = 400000 + index * 1000;
	const finalSize = Math.round(originalSize * 0.42);
	const file = { filename: `${base}.webp`, mimeType: 'image/webp', sizeBytes: finalSize };
	return {
		filename: file.filename,
		originalSize,
		finalSize,
		savedPercent: 58,
		mimeType: file.mimeType,
		downloadUrl: links(job, index, file),
		appliedQuality: 82,
		storedFileId: storedFileId(job, index),
	};
}

function defaultResults(job, succeeded, links) {
	const files = Array.from({ length: succeeded }, (_, index) => fileResult(job, index, links));
	switch (job.jobType) {
		case 'media_tool':
			return { tool: job.tool, files };
		case 'transfer':
			return job.totalFiles === 1 ? { file: files[0] ?? null } : { files };
		default:
			return files;
	}
}

/**
 * The downloadable result file number `index` of a job: { filename, mimeType, sizeBytes, source }
 * with source.kind 'derived' (from an upload), 'pattern' (synthetic) or 'bytes'. Jobs with their
 * default results serve synthetic bytes of the advertised size. undefined when there is none.
 */
function resultFile(job, index) {
	if (!Number.isInteger(index) || index < 0) return undefined;
	if (job.files) return job.files[index];
	if (job.results !== undefined || job.outcome !== 'completed') return undefined;
	if (index >= job.totalFiles - job.failedFiles) return undefined;
	let file;
	fileResult(job, index, (_job, _index, described) => {
		file = described;
		return '';
	});
	return { ...file, source: { kind: 'pattern' } };
}

/** Where result files live when no link builder is given (the real API's origin). */
function defaultLinks(job, index, file) {
	return `https://convertly.sh/files/${job.jobId}/${index}/${encodeURIComponent(file.filename)}`;
}

/**
 * The phase of a job at simulated time `now`: pending | processing | completed | failed | cancelled
 * (the reported status can differ while pending: see pendingStatus).
 */
function phaseOf(job, now) {
	if (job.cancelledAt !== undefined) return 'cancelled';
	if (job.startsOnFirstRead) return job.pendingMs > 0 ? 'pending' : 'processing';
	const elapsed = now - job.createdAt;
	if (elapsed < job.pendingMs) return 'pending';
	const end = job.processingMs === null ? Infinity : job.pendingMs + job.processingMs;
	return elapsed >= end ? job.outcome : 'processing';
}

/**
 * The JobDetail body for a job at simulated time `now`. `links(job, index, file)` gives the
 * downloadUrl of result file `index` (default: a convertly.sh URL).
 */
function jobView(job, now, links = defaultLinks) {
	const elapsed = now - job.createdAt;
	const processingStart = job.pendingMs;
	const end = job.processingMs === null ? Infinity : processingStart + job.processingMs;
	const detail = {
		jobId: job.jobId,
		jobType: job.jobType,
		status: 'pending',
		totalFiles: job.totalFiles,
		completedFiles: 0,
		failedFiles: 0,
		progress: 0,
		createdAt: new Date(job.createdAt).toISOString(),
		errorMessage: null,
		results: null,
		completedAt: null,
		...job.extra,
	};
	if (job.cancelledAt !== undefined) {
		detail.status = 'cancelled';
		return detail;
	}
	if (elapsed < processingStart) {
		detail.status = job.pendingStatus;
		return detail;
	}
	const succeeded = job.totalFiles - job.failedFiles;
	if (elapsed >= end) {
		detail.status = job.outcome;
		detail.completedFiles = succeeded;
		detail.failedFiles = job.failedFiles;
		detail.progress = 100;
		detail.completedAt = new Date(job.createdAt + end).toISOString();
		if (job.outcome === 'failed') detail.errorMessage = job.errorMessage;
		if (job.results !== undefined) detail.results = job.results;
		else if (job.entries) {
			if (job.outcome === 'completed') {
				const entries = job.entries.map(({ meta, file }) =>
					file === null ? { ...meta, downloadUrl: null } : withUrl(meta, links(job, file, job.files[file])),
				);
				// [inferred] a media tool's job results: { tool, files } like its sync answer, or { tool, media } for inspect.
				if (job.jobType === 'media_tool') detail.results = job.media ? { tool: job.tool, media: job.media } : { tool: job.tool, files: entries };
				else detail.results = entries;
			}
		} else if (job.outcome === 'completed') detail.results = defaultResults(job, succeeded, links);
		return detail;
	}
	// Files finish evenly over the processing time; failures are spread in proportion.
	const fraction = job.processingMs === null ? 0 : (elapsed - processingStart) / job.processingMs;
	const finished = Math.min(job.totalFiles - 1, Math.floor(fraction * job.totalFiles));
	Object.assign(detail, { status: 'processing' }, counters(job, finished));
	return detail;
}

/** The sync-convert field order: downloadUrl after savedPercent/mimeType (media tool entries have no savedPercent). */
function withUrl(meta, downloadUrl) {
	const { filename, mimeType, originalSize, finalSize, savedPercent: saved, ...rest } = meta;
	const entry = { filename, mimeType, originalSize, finalSize };
	if (saved !== undefined) entry.savedPercent = saved;
	return { ...entry, downloadUrl, ...rest };
}

function counters(job, finished) {
	const failed = Math.floor((finished * job.failedFiles) / job.totalFiles);
	return {
		completedFiles: finished - failed,
		failedFiles: failed,
		progress: Math.floor((finished / job.totalFiles) * 100),
	};
}

function jobSummary(job, now) {
	const { jobId, jobType, status, totalFiles, completedFiles, failedFiles, progress, createdAt, completedAt } =
		jobView(job, now);
	return { jobId, jobType, status, totalFiles, completedFiles, failedFiles, progress, createdAt, completedAt };
}

/**
 * When (simulated epoch ms) a job changes state, for scheduling webhooks: the status transitions
 * (pending, processing, then completed | failed, or cancelled), and one progress step per file that
 * finishes before the end. A job that never ends has no terminal transition. For a job whose clock
 * starts at its first read, the times assume it starts now (call again after the first read).
 */
function jobTimeline(job) {
	const start = job.createdAt;
	const processingAt = start + job.pendingMs;
	const endAt = job.processingMs === null ? undefined : processingAt + job.processingMs;
	const transitions = [
		{ status: 'pending', at: start },
		{ status: 'processing', at: processingAt },
	];
	if (endAt !== undefined) transitions.push({ status: job.outcome, at: endAt });
	const progress = [];
	if (job.processingMs !== null) {
		for (let finished = 1; finished < job.totalFiles; finished++) {
			progress.push({ at: processingAt + Math.ceil((finished * job.processingMs) / job.totalFiles), ...counters(job, finished) });
		}
	}
	if (job.cancelledAt === undefined) return { jobId: job.jobId, transitions, progress, startsOnFirstRead: job.startsOnFirstRead };
	return {
		jobId: job.jobId,
		// A job is pending from its creation, even when it is cancelled within the same millisecond.
		transitions: [...transitions.filter((step, index) => index === 0 || step.at < job.cancelledAt), { status: 'cancelled', at: job.cancelledAt }],
		progress: progress.filter((step) => step.at < job.cancelledAt),
		startsOnFirstRead: false,
	};
}

module.exports = {
	JOB_TYPES,
	DOWNLOAD_MODES,
	normaliseSpec,
	jobView,
	jobSummary,
	jobTimeline,
	phaseOf,
	resultFile,
};
