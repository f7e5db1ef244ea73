'use strict';
// A local Convertly API: the jobs endpoints, both auth headers, job lifecycles over simulated
// time and scripted faults. Plain node:http, bound to 127.0.0.1. Used by `npm run simulator`,
// the demo, the tests, the benchmark and the real-n8n end-to-end suite.

const http = require('node:http');
const fs = require('node:fs');
const { normaliseSpec, jobView, jobSummary } = require('./jobs');
const { createWebhooks } = require('./webhooks');

const DEMO_API_KEY = 'cvly_simulator_demo_key';
const ADMIN_PREFIX = '/__simulator';
const STATUSES = ['pending', 'processing', 'completed', 'failed'];

/**
 * @param {object} [options]
 * @param {number} [options.port] 0 (default) picks a free port.
 * @param {string[]} [options.apiKeys] keys accepted on either header (default: the demo key).
 * @param {number} [options.speed] simulated milliseconds per real millisecond (default 1).
 * @param {number} [options.latencyMs] delay before every API answer (default 0).
 * @param {{limit: number, windowMs?: number, retryAfter?: boolean}} [options.rateLimit]
 *   fixed-window limit on API requests per key.
 * @param {string|object} [options.fixture] a JSON file path or object: { jobs: [spec, …] }.
 */
async function startSimulator(options = {}) {
	const apiKeys = new Set(options.apiKeys ?? [DEMO_API_KEY]);
	const startedAt = Date.now();
	let speed = options.speed ?? 1;
	let latencyMs = options.latencyMs ?? 0;
	let rateLimit = options.rateLimit ?? null;
	const jobs = new Map();
	let faults = [];
	let stats = emptyStats();
	let windows = new Map();

	// Simulated time advances `speed` times faster than real time from the simulator's start.
	const now = () => startedAt + (Date.now() - startedAt) * speed;

	// Account webhooks (simulator/webhooks.js): fed with every job added below.
	const webhooks = createWebhooks({
		jobView: (jobId) => (jobs.has(jobId) ? jobView(jobs.get(jobId), now()) : undefined),
		speed: () => speed,
		now,
	});

	function addJob(spec) {
		const job = normaliseSpec(spec, now());
		jobs.set(job.jobId, job);
		webhooks.track(job.jobId); // webhooks
		return jobView(job, now());
	}

	function addFault(fault) {
		faults.push({ times: 1, ...fault });
	}

	function reset() {
		webhooks.reset(); // webhooks
		jobs.clear();
		faults = [];
		stats = emptyStats();
		windows = new Map();
	}

	function loadFixture(fixture) {
		const data = typeof fixture === 'string' ? JSON.parse(fs.readFileSync(fixture, 'utf8')) : fixture;
		for (const spec of data.jobs ?? []) addJob(spec);
		for (const fault of data.faults ?? []) addFault(fault);
	}
	if (options.fixture) loadFixture(options.fixture);

	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => {
			if (!res.headersSent) send(res, 500, { error: `Simulator error: ${error.message}` });
		});
	});
	// Keep-alive sockets would hold the process open after close(); answers are cheap anyway.
	server.keepAliveTimeout = 1;

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

			const globalFault = takeFault(faults, (fault) => !fault.path || url.pathname.startsWith(fault.path));
			if (globalFault && (await applyFault(globalFault, req, res, record))) return;

			const key = presentedKey(req);
			if (!key) return answer(res, record, 401, { error: 'Missing API key.' });
			if (!apiKeys.has(key)) return answer(res, record, 401, { error: 'Invalid API key.' });

			const limited = checkRateLimit(key, res);
			if (limited) return answer(res, record, 429, limited);

			if (webhooks.handleApi(req, url, (status, body) => answer(res, record, status, body))) return; // webhooks

			if (req.method === 'GET' && url.pathname === '/api/jobs') return listJobs(url, res, record);
			if (req.method === 'GET' && jobSegment !== undefined) {
				const job = jobs.get(record.jobId);
				if (!job) return answer(res, record, 404, { error: 'Job not found.' });
				if (job.startsOnFirstRead) {
					job.startsOnFirstRead = false;
					job.createdAt = now();
				}
				const jobFault = takeFault(job.faults, () => true);
				if (jobFault && (await applyFault(jobFault, req, res, record))) return;
				const view = jobView(job, now());
				record.jobStatus = view.status;
				return answer(res, record, 200, view);
			}
			return answer(res, record, 404, { error: `No route for ${req.method} ${url.pathname}.` });
		} finally {
			if (res.writableEnded) done();
		}
	}

	function listJobs(url, res, record) {
		const limit = Number(url.searchParams.get('limit') ?? 20);
		const offset = Number(url.searchParams.get('offset') ?? 0);
		const status = url.searchParams.get('status');
		if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
			return answer(res, record, 400, { error: 'limit must be an integer from 1 to 100.' });
		}
		if (!Number.isInteger(offset) || offset < 0) {
			return answer(res, record, 400, { error: 'offset must be a non-negative integer.' });
		}
		if (status !== null && !STATUSES.includes(status)) {
			return answer(res, record, 400, { error: `status must be one of ${STATUSES.join(', ')}.` });
		}
		const at = now();
		const all = [...jobs.values()]
			.map((job) => jobSummary(job, at))
			.filter((job) => status === null || job.status === status)
			.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
		const page = all.slice(offset, offset + limit);
		return answer(res, record, 200, {
			jobs: page,
			pagination: { limit, offset, total: all.length, hasMore: offset + page.length < all.length },
		});
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

	/** Plays a scripted fault. Returns false when the request should then be answered normally. */
	async function applyFault(fault, req, res, record) {
		stats.faultsServed++;
		if (fault.delayMs) await delay(fault.delayMs);
		if (fault.drop) {
			record.status = 'dropped';
			req.socket.destroy();
			return true;
		}
		if (fault.status === undefined && fault.nonJson === undefined) return false;
		const status = fault.status ?? 200;
		const headers = { ...(fault.headers ?? {}) };
		if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
		if (fault.retryAfterMs !== undefined) {
			headers['retry-after'] = new Date(Date.now() + fault.retryAfterMs).toUTCString();
		}
		for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
		if (fault.nonJson !== undefined) {
			record.status = status;
			res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
			res.end(typeof fault.nonJson === 'string' ? fault.nonJson : '<html><body>Bad gateway</body></html>');
			return true;
		}
		const body = fault.body ?? { error: defaultFaultMessage(status) };
		if (fault.upgradeUrl && typeof body === 'object') body.upgradeUrl = fault.upgradeUrl;
		answer(res, record, status, body);
		return true;
	}

	async function handleAdmin(req, res, url) {
		const route = url.pathname.slice(ADMIN_PREFIX.length);
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
		if (req.method === 'POST' && route === '/config') {
			const body = await readJson(req);
			if (body.speed !== undefined) speed = body.speed;
			if (body.latencyMs !== undefined) latencyMs = body.latencyMs;
			if (body.rateLimit !== undefined) rateLimit = body.rateLimit;
			return send(res, 200, { speed, latencyMs, rateLimit });
		}
		return send(res, 404, { error: `No simulator admin route ${req.method} ${route}.` });
	}

	function publicStats() {
		return {
			requests: stats.requests.length,
			peakInFlight: stats.peakInFlight,
			faultsServed: stats.faultsServed,
			log: stats.requests.map(({ method, path, jobId, status, at, headers }) => ({
				method,
				path,
				jobId,
				status,
				at,
				auth: headers.authorization ? 'bearer' : headers['x-api-key'] ? 'x-api-key' : 'none',
			})),
		};
	}

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', resolve);
	});
	const { port } = server.address();

	return {
		url: `http://127.0.0.1:${port}`,
		port,
		apiKey: [...apiKeys][0],
		addJob,
		addFault,
		reset,
		loadFixture,
		setSpeed: (value) => (speed = value),
		setLatency: (value) => (latencyMs = value),
		setRateLimit: (value) => (rateLimit = value),
		/** Every API request received (admin calls excluded), with its headers. */
		requests: () => stats.requests,
		requestsFor: (jobId) => stats.requests.filter((request) => request.jobId === jobId),
		peakInFlight: () => stats.peakInFlight,
		resetStats: () => (stats = emptyStats()),
		stats: publicStats,
		/** Account webhooks: endpoints, deliveries, test events, forged deliveries (simulator/webhooks.js). */
		webhooks,
		close: () =>
			new Promise((resolve) => {
				webhooks.close(); // webhooks
				server.closeAllConnections?.();
				server.close(() => resolve());
			}),
	};
}

function emptyStats() {
	return { requests: [], inFlight: 0, peakInFlight: 0, faultsServed: 0 };
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

function defaultFaultMessage(status) {
	switch (status) {
		case 402:
			return 'Monthly quota exceeded. Enable overage or upgrade your plan.';
		case 403:
			return 'Your plan does not include this feature.';
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

function answer(res, record, status, body) {
	record.status = status;
	send(res, status, body);
}

function send(res, status, body) {
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
	res.end(JSON.stringify(body));
}

function safeDecode(segment) {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
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

module.exports = { startSimulator, DEMO_API_KEY };
