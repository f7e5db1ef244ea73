'use strict';
// A local Convertly API: the jobs endpoints (get, list, create, cancel), the media tools and sync
// convert/compress, Convertly Storage and Transfer, result downloads on the API origin and on a
// second "storage" origin, both auth headers, job lifecycles over simulated time, plan limits and
// scripted faults. Plain node:http, bound to 127.0.0.1. Used by `npm run simulator`, the demo, the tests, the benchmark and the
// real-n8n end-to-end suite.
//
// Modules: jobs.js (job model, lifecycle, timeline), create.js (POST /api/jobs), media.js (the media
// tools and sync convert/compress; every inferred media API detail is in its MEDIA_TOOLS table),
// uploads.js (multipart bodies, plan limits, idempotency claims, sourceUrl fetches), downloads.js
// (result files), results.js (deterministic bytes, signing), images.js (real PNG/PDF outputs),
// storage.js (Convertly Storage and Transfer: files, folders, search, AI tags, tools on stored
// files, 3-step uploads, archives, POST /api/transfer; every inferred storage detail is in its API
// DETAILS block), archives.js (real zip/tar/tgz written and read as streams).
// Other features (webhooks) attach through `simulator.events` and the read-only accessors below.

const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { EventEmitter } = require('node:events');
const { randomBytes } = require('node:crypto');
const { normaliseSpec, jobView, jobSummary, jobTimeline, phaseOf, DOWNLOAD_MODES } = require('./jobs');
const { handleCreate } = require('./create');
const { normalisePlan, drain } = require('./uploads');
const { createDownloads, safeDecode } = require('./downloads');
const results = require('./results');
const images = require('./images');
const { createWebhooks } = require('./webhooks');
const { handleMedia, syncOutputs, MEDIA_TOOL_NAMES, INSPECT_RESPONSES } = require('./media');
const { createStorage } = require('./storage');
const archives = require('./archives');

const DEMO_API_KEY = 'cvly_simulator_demo_key';
const ADMIN_PREFIX = '/__simulator';
const STATUSES = ['pending', 'processing', 'completed', 'failed'];
const CANCEL_RESPONSES = ['job', 'ack', 'empty'];
const LIST_PAGINATIONS = ['full', 'total', 'hasMore', 'none'];
/** Sync media/convert/compress answers kept for download; the oldest go (with their inputs) beyond this. */
const MAX_SYNC_OUTPUTS = 1000;

/**
 * @param {object} [options] see index.d.ts (SimulatorOptions).
 */
async function startSimulator(options = {}) {
	const apiKeys = new Set(options.apiKeys ?? [DEMO_API_KEY]);
	const startedAt = Date.now();
	let speed = options.speed ?? 1;
	let latencyMs = options.latencyMs ?? 0;
	let rateLimit = options.rateLimit ?? null;
	let clockOffset = 0;
	// Jobs created by POST /api/jobs since the last reset (drives createdJobTiming.processingMsCycle).
	let createdViaPost = 0;
	const jobs = new Map();
	// Result files of sync media tool / convert / compress calls, by id (served like job results).
	const outputs = new Map();
	let faults = [];
	let stats = emptyStats();
	let windows = new Map();
	const settings = {};
	const events = new EventEmitter();
	// Jobs created by POST /api/jobs per (API key, Idempotency-Key), and keys whose request is still uploading.
	let idempotency = new Map();
	const inFlightKeys = new Map();
	const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convertly-sim-'));
	const secret = randomBytes(32);

	// Simulated time advances `speed` times faster than real time from the simulator's start.
	const now = () => startedAt + (Date.now() - startedAt) * speed + clockOffset;

	function configure(changes = {}) {
		const next = { ...settings, ...changes };
		if (changes.createdJobTiming) next.createdJobTiming = { ...settings.createdJobTiming, ...changes.createdJobTiming };
		if (!DOWNLOAD_MODES.includes(next.downloadMode)) throw new Error(`downloadMode must be one of ${DOWNLOAD_MODES.join(', ')}`);
		if (!CANCEL_RESPONSES.includes(next.cancelResponse)) throw new Error(`cancelResponse must be one of ${CANCEL_RESPONSES.join(', ')}`);
		if (!LIST_PAGINATIONS.includes(next.listPagination)) throw new Error(`listPagination must be one of ${LIST_PAGINATIONS.join(', ')}`);
		if (!(next.signedUrlTtlMs >= 0)) throw new Error('signedUrlTtlMs must be a non-negative number');
		if (!Number.isInteger(next.signedUrlExpiredStatus)) throw new Error('signedUrlExpiredStatus must be an HTTP status');
		if (!INSPECT_RESPONSES.includes(next.inspectResponse)) throw new Error(`inspectResponse must be one of ${INSPECT_RESPONSES.join(', ')}`);
		if (!(next.mediaProcessingMs >= 0)) throw new Error('mediaProcessingMs must be a non-negative number');
		if ('plan' in changes) next.plan = normalisePlan(changes.plan);
		const unknownTool = next.plan.lockedTools.find((tool) => !MEDIA_TOOL_NAMES.includes(tool));
		if (unknownTool !== undefined) throw new Error(`plan.lockedTools: unknown media tool "${unknownTool}" (tools: ${MEDIA_TOOL_NAMES.join(', ')})`);
		Object.assign(settings, next);
		return publicSettings();
	}
	function initialSettings() {
		return {
			downloadMode: options.downloadMode ?? 'api',
			signedUrlTtlMs: options.signedUrlTtlMs ?? 5 * 60 * 1000,
			signedUrlExpiredStatus: options.signedUrlExpiredStatus ?? 403,
			createdJobTiming: { pendingMs: 200, processingMsPerFile: 300, processingMsCycle: null, ...options.createdJobTiming },
			cancelResponse: options.cancelResponse ?? 'job',
			listPagination: options.listPagination ?? 'full',
			mediaProcessingMs: options.mediaProcessingMs ?? 0,
			inspectResponse: options.inspectResponse ?? 'media',
			plan: normalisePlan(options.plan),
		};
	}
	configure(initialSettings());
	function publicSettings() {
		return { speed, latencyMs, rateLimit, ...structuredClone(settings) };
	}

	let server;
	let storageServer;
	const downloads = createDownloads({
		apiUrl: () => `http://127.0.0.1:${server.address().port}`,
		storageUrl: () => `http://127.0.0.1:${storageServer.address().port}`,
		secret,
		now,
		settings,
		jobs,
		outputs,
	});

	const view = (job) => jobView(job, now(), downloads.links);

	// Account webhooks and per-job callbacks (simulator/webhooks.js), fed by 'job-created'.
	const webhooks = createWebhooks({
		jobView: (jobId) => (jobs.has(jobId) ? view(jobs.get(jobId)) : undefined),
		callbackOf: (jobId) => jobs.get(jobId)?.fields,
		toolOf: (jobId) => jobs.get(jobId)?.tool,
		speed: () => speed,
		now,
		events,
	});

	/** Stores a job (spec already complete) and announces it. */
	function createJob(spec) {
		const job = normaliseSpec({ ...spec, downloads: spec.downloads ?? settings.downloadMode }, now());
		downloads.checkDataMode(job);
		if (spec.fields) job.fields = spec.fields;
		if (spec.idempotencyKey) job.idempotencyKey = spec.idempotencyKey;
		jobs.set(job.jobId, job);
		if (spec.inputs || spec.mediaOutputs || spec.viaApi) stats.jobsCreated++;
		events.emit('job-created', view(job), job);
		return job;
	}

	// Convertly Storage and Transfer (simulator/storage.js): files, folders, uploads, archives, transfers.
	const storage = createStorage({
		tmpDir,
		storageUrl: () => `http://127.0.0.1:${storageServer.address().port}`,
		secret,
		now,
		settings,
		jobs,
		inFlightKeys,
		createJob,
		currentStatus: (job) => view(job).status,
	});

	function addJob(spec = {}) {
		if (spec.inputs || spec.mediaOutputs || spec.viaApi) throw new Error('inputs and mediaOutputs are internal to the API endpoints');
		return view(createJob(spec));
	}

	function addFault(fault) {
		faults.push({ times: 1, ...fault });
	}

	function removeJobFiles() {
		for (const entry of fs.readdirSync(tmpDir)) fs.rmSync(path.join(tmpDir, entry), { recursive: true, force: true });
	}

	/** Empties jobs, faults, statistics, idempotency keys and files; restores the settings to the start options. */
	function reset() {
		webhooks.reset(); // webhooks
		jobs.clear();
		outputs.clear();
		faults = [];
		stats = emptyStats();
		windows = new Map();
		idempotency = new Map();
		clockOffset = 0;
		createdViaPost = 0;
		storage.reset();
		removeJobFiles();
		for (const key of Object.keys(settings)) delete settings[key];
		configure(initialSettings());
	}

	function loadFixture(fixture) {
		const data = typeof fixture === 'string' ? JSON.parse(fs.readFileSync(fixture, 'utf8')) : fixture;
		for (const spec of data.jobs ?? []) addJob(spec);
		for (const fault of data.faults ?? []) addFault(fault);
	}

	server = createServer(handle);
	storageServer = createServer(handleStorage);

	function takeGlobalFault(origin, req, pathname) {
		return takeFault(
			faults,
			(fault) =>
				(fault.origin ?? 'api') === origin &&
				(!fault.path || pathname.startsWith(fault.path)) &&
				(!fault.method || fault.method.toUpperCase() === req.method),
		);
	}

	function downloadEntry(origin, req, jobId) {
		const entry = {
			origin,
			method: req.method,
			path: req.url,
			withKey: Boolean(req.headers.authorization || req.headers['x-api-key']),
			at: Date.now(),
			jobId,
			status: undefined,
			bytesSent: 0,
		};
		stats.downloads.push(entry);
		return entry;
	}

	async function handle(req, res) {
		const url = new URL(req.url, 'http://simulator');
		if (url.pathname.startsWith(ADMIN_PREFIX)) return handleAdmin(req, res, url);

		const record = {
			method: req.method,
			path: req.url,
			headers: { ...req.headers },
			at: Date.now(),
			jobId: undefined,
			status: undefined,
			jobStatus: undefined,
		};
		stats.requests.push(record);
		stats.inFlight++;
		stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
		let finished = false;
		const done = () => {
			if (finished) return;
			finished = true;
			stats.inFlight--;
		};
		res.on('close', done);

		try {
			if (latencyMs > 0) await delay(latencyMs);
			const segments = url.pathname.split('/');
			const jobSegment = segments.length === 4 && segments[1] === 'api' && segments[2] === 'jobs' ? segments[3] : undefined;
			if (jobSegment !== undefined) record.jobId = safeDecode(jobSegment);
			const isDownload = segments.length === 5 && segments[1] === 'files';
			if (isDownload) record.download = downloadEntry('api', req, safeDecode(segments[2]));

			const globalFault = takeGlobalFault('api', req, url.pathname);
			if (globalFault && (await applyFault(globalFault, req, res, record))) return;
			const reply = (status, body) => answer(res, record, status, body, globalFault);

			const key = presentedKey(req);
			if (!key || !apiKeys.has(key)) {
				await drainBody(req);
				return reply(401, { error: key ? 'Invalid API key.' : 'Missing API key.' });
			}

			const limited = checkRateLimit(key, res);
			if (limited) {
				await drainBody(req);
				return reply(429, limited);
			}

			if (isDownload) {
				return await downloads.serveApi(req, res, segments, record.download, globalFault, reply);
			}
			if (webhooks.handleApi(req, url, reply)) return; // webhooks
			if (await storage.handleApi(req, res, url, { apiKey: key, record, fault: globalFault, reply })) return;
			if (req.method === 'GET' && url.pathname === '/api/jobs') return listJobs(url, reply);
			const handledMedia = await handleMedia(req, res, url, {
				apiKey: key,
				record,
				fault: globalFault,
				settings,
				speed: () => speed,
				tmpDir,
				idempotency,
				inFlightKeys,
				jobs,
				mediaRequests: stats.mediaRequests,
				createJob,
				currentStatus: (job) => view(job).status,
				storeOutputs,
				links: downloads.links,
				removeFile: (file) => fs.rmSync(file, { force: true }),
				answer: reply,
				dropped: () => {
					record.status = 'dropped';
					req.socket.destroy();
				},
			});
			if (handledMedia) return;
			if (req.method === 'POST' && url.pathname === '/api/jobs') {
				return await handleCreate(req, res, {
					apiKey: key,
					record,
					fault: globalFault,
					settings,
					tmpDir,
					idempotency,
					inFlightKeys,
					jobs,
					createRequests: stats.createRequests,
					nextCreatedIndex: () => createdViaPost++,
					createJob,
					currentStatus: (job) => view(job).status,
					answer: reply,
					dropped: () => {
						record.status = 'dropped';
						req.socket.destroy();
					},
				});
			}
			if ((req.method === 'GET' || req.method === 'DELETE') && jobSegment !== undefined) {
				const job = jobs.get(record.jobId);
				if (!job) return reply(404, { error: 'Job not found.' });
				if (job.startsOnFirstRead) {
					job.startsOnFirstRead = false;
					job.createdAt = now();
				}
				const jobFault = takeFault(job.faults, (fault) => !fault.method || fault.method.toUpperCase() === req.method);
				if (jobFault && (await applyFault(jobFault, req, res, record))) return;
				const replyJob = (status, body) => answer(res, record, status, body, jobFault);
				if (req.method === 'DELETE') return cancelJob(job, replyJob, record);
				const detail = view(job);
				record.jobStatus = detail.status;
				return replyJob(200, detail);
			}
			await drainBody(req);
			return reply(404, { error: `No route for ${req.method} ${url.pathname}.` });
		} finally {
			if (res.writableEnded) done();
		}
	}

	/** Keeps the result files of a sync call for download; throws (status 413) when data: URLs cannot hold them. */
	function storeOutputs(files) {
		const owner = syncOutputs(files, settings.downloadMode);
		downloads.checkDataMode(owner);
		outputs.set(owner.jobId, owner);
		for (const [id, old] of outputs) {
			if (outputs.size <= MAX_SYNC_OUTPUTS) break;
			outputs.delete(id);
			for (const file of old.files) {
				for (const input of file.source.paths ?? (file.source.path ? [file.source.path] : [])) fs.rmSync(input, { force: true });
			}
		}
		return owner;
	}

	function cancelJob(job, reply, record) {
		const phase = phaseOf(job, now());
		if (phase !== 'pending') {
			const status = view(job).status;
			record.jobStatus = status;
			return reply(409, { error: `Only pending jobs can be cancelled; this job is ${status}.` });
		}
		job.cancelledAt = now();
		const detail = view(job);
		record.jobStatus = detail.status;
		events.emit('job-cancelled', detail, job);
		if (settings.cancelResponse === 'ack') return reply(200, { success: true, message: 'Job cancelled.' });
		if (settings.cancelResponse === 'empty') return reply(204, undefined);
		return reply(200, detail);
	}

	async function handleStorage(req, res) {
		const url = new URL(req.url, 'http://storage');
		const entry = downloadEntry('storage', req, undefined);
		const segments = url.pathname.split('/');
		if (segments[1] === 'signed' && segments[2]) entry.jobId = safeDecode(segments[2]);
		const record = { download: entry, status: undefined };
		const fault = takeGlobalFault('storage', req, url.pathname);
		if (fault && (await applyFault(fault, req, res, record))) return;
		const reply = (status, body) => answer(res, record, status, body, fault);
		if (await storage.handleOrigin(req, res, url, entry, fault, reply)) return;
		return downloads.serveStorage(req, res, url, entry, fault, reply);
	}

	function listJobs(url, reply) {
		const limit = Number(url.searchParams.get('limit') ?? 20);
		const offset = Number(url.searchParams.get('offset') ?? 0);
		const status = url.searchParams.get('status');
		if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
			return reply(400, { error: 'limit must be an integer from 1 to 100.' });
		}
		if (!Number.isInteger(offset) || offset < 0) {
			return reply(400, { error: 'offset must be a non-negative integer.' });
		}
		if (status !== null && !STATUSES.includes(status)) {
			return reply(400, { error: `status must be one of ${STATUSES.join(', ')}.` });
		}
		const at = now();
		const all = [...jobs.values()]
			.map((job) => jobSummary(job, at))
			.filter((job) => status === null || job.status === status)
			.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
		const page = all.slice(offset, offset + limit);
		const hasMore = offset + page.length < all.length;
		const pagination = {
			full: { limit, offset, total: all.length, hasMore },
			total: { limit, offset, total: all.length },
			hasMore: { limit, offset, hasMore },
			none: undefined,
		}[settings.listPagination];
		return reply(200, pagination ? { jobs: page, pagination } : { jobs: page });
	}

	function checkRateLimit(key, res) {
		if (!rateLimit) return null;
		const windowMs = rateLimit.windowMs ?? 60000;
		const windowStart = Math.floor(Date.now() / windowMs) * windowMs;
		const current = windows.get(key);
		const window = current && current.start === windowStart ? current : { start: windowStart, count: 0 };
		windows.set(key, window);
		window.count++;
		const remaining = Math.max(0, rateLimit.limit - window.count);
		res.setHeader('x-ratelimit-limit-minute', String(rateLimit.limit));
		res.setHeader('x-ratelimit-remaining-minute', String(remaining));
		if (window.count <= rateLimit.limit) return null;
		if (rateLimit.retryAfter !== false) {
			res.setHeader('retry-after', String(Math.max(1, Math.ceil((windowStart + windowMs - Date.now()) / 1000))));
		}
		return { error: 'Rate limit exceeded. Retry after the current minute window resets.' };
	}

	/**
	 * Plays a scripted fault. Returns false when the request should then be handled normally (also
	 * for dropAfterUpload / dropAfterBytes, which act later on the same request).
	 */
	async function applyFault(fault, req, res, record) {
		stats.faultsServed++;
		if (fault.delayMs) await delay(fault.delayMs);
		if (fault.drop) {
			setStatus(record, 'dropped');
			req.socket.destroy();
			return true;
		}
		if (fault.status === undefined && fault.nonJson === undefined) return false;
		// Answer before creating anything, but after the upload (so the client reads the answer).
		await drainBody(req);
		const status = fault.status ?? 200;
		const headers = { ...(fault.headers ?? {}) };
		if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
		if (fault.retryAfterMs !== undefined) {
			headers['retry-after'] = new Date(Date.now() + fault.retryAfterMs).toUTCString();
		}
		for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
		if (fault.nonJson !== undefined) {
			setStatus(record, status);
			res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
			res.end(typeof fault.nonJson === 'string' ? fault.nonJson : '<html><body>Bad gateway</body></html>');
			return true;
		}
		const body = fault.body ?? { error: defaultFaultMessage(status) };
		if (fault.upgradeUrl && typeof body === 'object') body.upgradeUrl = fault.upgradeUrl;
		answer(res, record, status, body, fault);
		return true;
	}

	async function handleAdmin(req, res, url) {
		const route = url.pathname.slice(ADMIN_PREFIX.length);
		try {
			if (req.method === 'POST' && route === '/jobs') return send(res, 201, addJob(await readJson(req)));
			if (req.method === 'POST' && route === '/faults') {
				addFault(await readJson(req));
				return send(res, 201, { faults: faults.length });
			}
			if (req.method === 'POST' && route === '/reset') {
				reset();
				return send(res, 200, { ok: true });
			}
			if (req.method === 'GET' && route === '/stats') return send(res, 200, publicStats());
			if (route.startsWith('/webhooks/')) {
				// webhooks
				const handled = await webhooks.handleAdmin(req, route.slice('/webhooks'.length), url, readJson, (status, body) => send(res, status, body));
				if (handled !== false) return handled;
			}
			if (req.method === 'POST' && route === '/storage/seed') {
				const body = await readJson(req);
				return send(res, 201, { seeded: storage.seedFiles(body.count ?? 0, body).length });
			}
			if (req.method === 'POST' && route === '/storage/folders') {
				const body = await readJson(req);
				return send(res, 201, storage.seedFolder(body.name, body));
			}
			if (req.method === 'GET' && route === '/storage/files') return send(res, 200, { files: storage.storedFiles() });
			if (req.method === 'GET' && route === '/storage/folders') return send(res, 200, { folders: storage.folders() });
			if (req.method === 'GET' && route === '/storage/uploads') return send(res, 200, { uploads: storage.uploadRecords() });
			if (req.method === 'GET' && route === '/storage/transfers') return send(res, 200, { transfers: storage.transferRequests() });
			if (req.method === 'GET' && route === '/config') return send(res, 200, publicSettings());
			if (req.method === 'POST' && route === '/config') {
				const body = await readJson(req);
				if (body.speed !== undefined) speed = body.speed;
				if (body.latencyMs !== undefined) latencyMs = body.latencyMs;
				if (body.rateLimit !== undefined) rateLimit = body.rateLimit;
				if (body.advanceMs !== undefined) clockOffset += body.advanceMs;
				const { speed: _s, latencyMs: _l, rateLimit: _r, advanceMs: _a, ...rest } = body;
				return send(res, 200, configure(rest));
			}
			if (req.method === 'POST' && route === '/plan') {
				configure({ plan: await readJson(req) });
				return send(res, 200, settings.plan);
			}
			if (req.method === 'GET' && route.startsWith('/jobs/') && route.endsWith('/timeline')) {
				const job = jobs.get(safeDecode(route.slice('/jobs/'.length, -'/timeline'.length)));
				return job ? send(res, 200, jobTimeline(job)) : send(res, 404, { error: 'Job not found.' });
			}
		} catch (error) {
			return send(res, 400, { error: error.message });
		}
		return send(res, 404, { error: `No simulator admin route ${req.method} ${route}.` });
	}

	function publicStats() {
		return {
			requests: stats.requests.length,
			peakInFlight: stats.peakInFlight,
			faultsServed: stats.faultsServed,
			jobsCreated: stats.jobsCreated,
			createRequests: stats.createRequests.map(({ headers, fieldList: _fieldList, ...rest }) => ({
				...rest,
				auth: authKind(headers),
				contentType: headers['content-type'],
			})),
			downloads: stats.downloads,
			mediaRequests: stats.mediaRequests.map(({ headers, fieldList: _fieldList, ...rest }) => ({
				...rest,
				auth: authKind(headers),
				contentType: headers['content-type'],
			})),
			log: stats.requests.map(({ method, path: requestPath, jobId, status, at, headers }) => ({
				method,
				path: requestPath,
				jobId,
				status,
				at,
				auth: authKind(headers),
			})),
		};
	}

	await Promise.all(
		[server, storageServer].map(
			(instance) =>
				new Promise((resolve, reject) => {
					instance.once('error', reject);
					instance.listen(instance === server ? (options.port ?? 0) : (options.storagePort ?? 0), '127.0.0.1', resolve);
				}),
		),
	);
	const { port } = server.address();
	if (options.fixture) loadFixture(options.fixture);

	const closeServer = (instance) =>
		new Promise((resolve) => {
			instance.closeAllConnections?.();
			instance.close(() => resolve());
		});

	return {
		url: `http://127.0.0.1:${port}`,
		port,
		storageUrl: `http://127.0.0.1:${storageServer.address().port}`,
		apiKey: [...apiKeys][0],
		/** The temp folder holding uploads (removed on close). */
		tmpDir,
		events,
		/** Account webhooks: endpoints, deliveries, test events, forged deliveries (simulator/webhooks.js). */
		webhooks,
		addJob,
		addFault,
		reset,
		loadFixture,
		configure,
		settings: publicSettings,
		setPlan: (plan) => configure({ plan }).plan,
		setSpeed: (value) => (speed = value),
		setLatency: (value) => (latencyMs = value),
		setRateLimit: (value) => (rateLimit = value),
		/** Moves the simulated clock forward. */
		advanceTime: (ms) => (clockOffset += ms),
		now,
		/** The job's current public view (undefined when unknown). */
		getJob: (jobId) => (jobs.has(jobId) ? view(jobs.get(jobId)) : undefined),
		/** Transition times of a job (see jobTimeline in jobs.js). */
		timeline: (jobId) => (jobs.has(jobId) ? jobTimeline(jobs.get(jobId)) : undefined),
		/** The internal job record (read-only use: callback settings, inputs). */
		jobRecord: (jobId) => jobs.get(jobId),
		storedUploads: () => fs.readdirSync(tmpDir).filter((name) => name !== 'storage'),
		/** Convertly Storage (simulator/storage.js): stored files newest first, folders, 3-step uploads, transfers. */
		storedFiles: storage.storedFiles,
		storedFileBytes: storage.storedFileBytes,
		folders: storage.folders,
		uploadRecords: storage.uploadRecords,
		transferRequests: storage.transferRequests,
		storageUsedBytes: storage.storageUsedBytes,
		seedFiles: storage.seedFiles,
		seedFolder: storage.seedFolder,
		/** Every API request received (admin calls excluded), with its headers. */
		requests: () => stats.requests,
		requestsFor: (jobId) => stats.requests.filter((request) => request.jobId === jobId),
		peakInFlight: () => stats.peakInFlight,
		jobsCreated: () => stats.jobsCreated,
		createRequests: () => stats.createRequests,
		/** Every media tool, sync convert and sync compress request: fields, file parts, sourceUrl fetch, outputs, job. */
		mediaRequests: () => stats.mediaRequests,
		downloads: () => stats.downloads,
		resetStats: () => (stats = emptyStats()),
		stats: publicStats,
		close: async () => {
			webhooks.close(); // webhooks
			await Promise.all([closeServer(server), closeServer(storageServer)]);
			events.removeAllListeners();
			fs.rmSync(tmpDir, { recursive: true, force: true });
		},
	};
}

function emptyStats() {
	return { requests: [], inFlight: 0, peakInFlight: 0, faultsServed: 0, jobsCreated: 0, createRequests: [], mediaRequests: [], downloads: [] };
}

function takeFault(list, matches) {
	const index = list.findIndex((fault) => fault.times > 0 && matches(fault));
	if (index === -1) return undefined;
	const fault = list[index];
	fault.times--;
	if (fault.times <= 0) list.splice(index, 1);
	return fault;
}

function presentedKey(req) {
	const authorization = req.headers.authorization;
	if (authorization) {
		const match = /^Bearer\s+(.+)$/i.exec(authorization);
		return match ? match[1].trim() : undefined;
	}
	return req.headers['x-api-key'] || undefined;
}

function authKind(headers) {
	return headers.authorization ? 'bearer' : headers['x-api-key'] ? 'x-api-key' : 'none';
}

function defaultFaultMessage(status) {
	switch (status) {
		case 402:
			return 'Monthly quota exceeded. Enable overage or upgrade your plan.';
		case 403:
			return 'Your plan does not include this feature.';
		case 404:
			return 'Not found.';
		case 410:
			return 'This download link has expired.';
		case 429:
			return 'Rate limit exceeded. Retry after the current minute window resets.';
		case 500:
			return 'Convertly could not complete the request.';
		case 502:
			return 'Bad gateway.';
		case 503:
			return 'Queue unavailable. Retry with backoff.';
		case 504:
			return 'Gateway timeout.';
		default:
			return `Simulated error ${status}.`;
	}
}

function setStatus(record, status) {
	record.status = status;
	if (record.download) record.download.status = status;
}

/** Answers JSON (no body for 204). A fault's dropAfterBytes cuts the body after that many bytes. */
function answer(res, record, status, body, fault) {
	setStatus(record, status);
	if (fault?.dropAfterBytes !== undefined && body !== undefined) {
		const bytes = Buffer.from(JSON.stringify(body));
		res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(bytes.length) });
		res.write(bytes.subarray(0, fault.dropAfterBytes), () => res.socket?.destroy());
		setStatus(record, 'dropped');
		return;
	}
	send(res, status, body);
}

/** An HTTP server answering with `handle(req, res)` (async); an error it throws becomes a 500. */
function createServer(handle) {
	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => {
			if (!res.headersSent) send(res, 500, { error: `Simulator error: ${error.message}` });
			// A body that fails midway (a result file gone) ends the connection instead of hanging.
			else res.destroy();
		});
	});
	// Keep-alive sockets would hold the process open after close(); answers are cheap anyway.
	server.keepAliveTimeout = 1;
	// Large uploads and downloads may take long; node's default request timeout is 5 minutes.
	server.requestTimeout = 0;
	return server;
}

function send(res, status, body) {
	if (body === undefined) {
		res.writeHead(status);
		res.end();
		return;
	}
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
	res.end(JSON.stringify(body));
}

/** Reads and discards a request body (so that the client gets to read the answer). */
function drainBody(req) {
	return req.method === 'GET' || req.method === 'HEAD' ? Promise.resolve() : drain(req);
}

function readJson(req) {
	return new Promise((resolve, reject) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			try {
				resolve(raw ? JSON.parse(raw) : {});
			} catch (error) {
				reject(error);
			}
		});
		req.on('error', reject);
	});
}

function delay(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

module.exports = {
	startSimulator,
	DEMO_API_KEY,
	DEMO_FIXTURE: path.join(__dirname, 'demo-fixture.json'),
	jobTimeline,
	deriveResult: results.deriveResult,
	derivedSize: results.derivedSize,
	patternBytes: results.patternBytes,
	checkPattern: results.checkPattern,
	FORMATS: results.FORMATS,
	FORMAT_MIME_TYPES: results.FORMAT_MIME_TYPES,
	MEDIA_TOOL_NAMES,
	makePng: images.makePng,
	readArchive: archives.readArchive,
	makeZip: archives.makeZip,
	imageSize: images.imageSize,
};
