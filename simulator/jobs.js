'use strict';
// Job model of the Convertly simulator: a job is a spec plus a creation time; its visible state is
// derived from the simulated clock on every read, so no timers run and a job can never be
// observed in an inconsistent state.

const { randomUUID } = require('node:crypto');

const JOB_TYPES = ['convert', 'compress', 'media_tool', 'transfer'];

/** Normalises a job spec from the admin API, a fixture or a test. */
function normaliseSpec(spec = {}, now) {
	const jobType = spec.jobType ?? 'convert';
	if (!JOB_TYPES.includes(jobType)) throw new Error(`Unknown jobType "${jobType}"`);
	const totalFiles = spec.totalFiles ?? 1;
	const outcome = spec.outcome ?? 'completed';
	if (outcome !== 'completed' && outcome !== 'failed') {
		throw new Error(`outcome must be "completed" or "failed", not "${outcome}"`);
	}
	const failedFiles = spec.failedFiles ?? (outcome === 'failed' ? totalFiles : 0);
	if (failedFiles > totalFiles) throw new Error('failedFiles cannot exceed totalFiles');
	return {
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
		createdAt: spec.createdAt === undefined ? now : Date.parse(spec.createdAt),
		// The job's clock starts at its first read instead of now (for runs that boot slowly).
		startsOnFirstRead: spec.startsOnFirstRead === true,
	};
}

function fileResult(job, index) {
	const base = `file-${index + 1}`;
	if (job.jobType === 'transfer') {
		return {
			id: `${job.jobId.slice(0, 8)}-f${index + 1}`,
			filename: `${base}.mp4`,
			mime_type: 'video/mp4',
			size_bytes: 1048576 * (index + 2),
			downloadUrl: `https://convertly.sh/files/${job.jobId}/${base}.mp4`,
		};
	}
	const originalSize = 400000 + index * 1000;
	const finalSize = Math.round(originalSize * 0.42);
	return {
		filename: `${base}.webp`,
		originalSize,
		finalSize,
		savedPercent: 58,
		mimeType: 'image/webp',
		downloadUrl: `https://convertly.sh/files/${job.jobId}/${base}.webp`,
		appliedQuality: 82,
		storedFileId: `${job.jobId.slice(0, 8)}-s${index + 1}`,
	};
}

function defaultResults(job, succeeded) {
	const files = Array.from({ length: succeeded }, (_, index) => fileResult(job, index));
	switch (job.jobType) {
		case 'media_tool':
			return { tool: job.tool, files };
		case 'transfer':
			return job.totalFiles === 1 ? { file: files[0] ?? null } : { files };
		default:
			return files;
	}
}

/** The JobDetail body for a job at simulated time `now`. */
function jobView(job, now) {
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
		else if (job.outcome === 'completed') detail.results = defaultResults(job, succeeded);
		return detail;
	}
	// Files finish evenly over the processing time; failures are spread in proportion.
	const fraction = job.processingMs === null ? 0 : (elapsed - processingStart) / job.processingMs;
	const finished = Math.min(job.totalFiles - 1, Math.floor(fraction * job.totalFiles));
	const failed = Math.floor((finished * job.failedFiles) / job.totalFiles);
	detail.status = 'processing';
	detail.completedFiles = finished - failed;
	detail.failedFiles = failed;
	detail.progress = Math.floor((finished / job.totalFiles) * 100);
	return detail;
}

function jobSummary(job, now) {
	const { jobId, jobType, status, totalFiles, completedFiles, failedFiles, progress, createdAt, completedAt } =
		jobView(job, now);
	return { jobId, jobType, status, totalFiles, completedFiles, failedFiles, progress, createdAt, completedAt };
}

module.exports = { JOB_TYPES, normaliseSpec, jobView, jobSummary };
