'use strict';
// Account webhooks of the Convertly simulator (convertly-api.md §10.1): endpoints with a URL, a
// `whsec_…` secret and event types; on every job transition the documented envelope is POSTed to
// each matching endpoint with the documented headers and signature, retried after about 5 s and
// 25 s (simulated time, so scaled by `speed`) until an endpoint answers 2xx. Every attempt and
// its answer is recorded. For tests it also sends test events and forged deliveries (tampered,
// stale, replayed, wrongly signed …) on demand.
//
// Job source: `track(jobId)` watches a job through `jobView(jobId)` (its public view at the
// current simulated time) and derives the transitions from it, so it works with any job model.

const { createHmac, randomBytes, randomUUID } = require('node:crypto');

const USER_AGENT = 'Convertly-Webhooks/1.0';
/** Simulated milliseconds after the first attempt at which a delivery is retried. */
const RETRY_SCHEDULE_MS = [5_000, 25_000];
const EVENT_TYPES = [
	'conversion.started',
	'conversion.progress',
	'conversion.completed',
	'conversion.failed',
	'file.uploaded',
	'media.tool.completed',
	'media.tool.failed',
	'video.stream.started',
	'video.stream.ready',
	'video.stream.failed',
	'workflow.completed',
	'currency.conversion.completed',
];
const FORGERIES = ['tampered', 'reserialised', 'wrong-secret', 'stale', 'future', 'replay', 'no-signature', 'malformed-signature', 'oversized'];

/** `t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as Convertly signs. */
function signatureHeader(secret, body, timestamp, extraSignatures = []) {
	const v1 = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
	return [`t=${timestamp}`, ...extraSignatures.map((value) => `v1=${value}`), `v1=${v1}`].join(',');
}

function newSecret() {
	return `whsec_${randomBytes(24).toString('base64url')}`;
}

function nowSeconds() {
	return Math.floor(Date.now() / 1000);
}

/**
 * @param {object} options
 * @param {(jobId: string) => object | undefined} options.jobView the job's public view now
 * @param {() => number} options.speed simulated ms per real ms
 * @param {() => number} [options.now] the simulated clock (epoch ms), to skip jobs that ended
 *   before they were added (fixtures with history)
 * @param {import('node:events').EventEmitter} [options.events] when given, every 'job-created'
 *   (a job's public view) is tracked
 * @param {(jobId: string) => {callbackUrl?: string, callbackSecret?: string} | undefined} [options.callbackOf]
 *   a job's per-job callback settings (the fields it was created with)
 * @param {(jobId: string) => string | undefined} [options.toolOf] a media_tool job's tool (named in
 *   media.tool.* events even when the job failed and has no results)
 * @param {number} [options.pollMs] how often tracked jobs are looked at (real ms, default 20)
 * @param {number} [options.timeoutMs] per-attempt HTTP timeout (real ms, default 10000)
 */
function createWebhooks({ jobView, callbackOf = () => undefined, toolOf = () => undefined, speed, now = Date.now, events, pollMs = 20, timeoutMs = 10_000 }) {
	const endpoints = new Map();
	const tracked = new Map();
	/** Jobs whose transitions have all been sent (or that had ended before they were added). */
	const finished = new Set();
	let deliveries = [];
	const timers = new Set();
	const inFlight = new Set();
	let ticker;
	let closed = false;
	/** When set, per-job callbacks go to this in-process handler instead of their URL (tests). */
	let callbackHandler;

	function addEndpoint({ url, handler, secret, eventTypes, id } = {}) {
		if (!url && !handler) throw new Error('an endpoint needs a url');
		const types = eventTypes ?? EVENT_TYPES;
		for (const type of types) if (type !== '*' && !EVENT_TYPES.includes(type)) throw new Error(`Unknown event type "${type}"`);
		const endpoint = { id: id ?? `we_${randomUUID().slice(0, 8)}`, url: url ?? 'in-process', handler, secret: secret ?? newSecret(), eventTypes: [...types] };
		endpoints.set(endpoint.id, endpoint);
		return publicEndpoint(endpoint);
	}

	function publicEndpoint({ id, url, secret, eventTypes }) {
		return { id, url, secret, eventTypes };
	}

	function matching(type, endpointId) {
		return [...endpoints.values()].filter(
			(endpoint) => (endpointId === undefined || endpoint.id === endpointId) && (endpoint.eventTypes.includes('*') || endpoint.eventTypes.includes(type)),
		);
	}

	function envelope(type, data, id) {
		return { id: id ?? `evt_${randomUUID()}`, type, created: nowSeconds(), data };
	}

	/** Sends an event to every endpoint subscribed to its type (or only `endpointId`). */
	function emit(type, data, { endpointId, id } = {}) {
		const event = envelope(type, data, id);
		for (const endpoint of matching(type, endpointId)) startDelivery(endpoint, event);
		return event;
	}

	function startDelivery(endpoint, event, { kind = 'event', body = JSON.stringify(event) } = {}) {
		const delivery = {
			id: `dlv_${randomUUID().slice(0, 12)}`,
			endpointId: endpoint.id,
			eventId: event.id,
			eventType: event.type,
			kind,
			status: 'pending',
			attempts: [],
			body,
		};
		deliveries.push(delivery);
		attempt(endpoint, delivery, 0);
		return delivery;
	}

	/** One attempt; on failure, schedules the next one from the retry schedule. */
	function attempt(endpoint, delivery, index) {
		const timestamp = nowSeconds();
		const headers = {
			'content-type': 'application/json',
			'user-agent': USER_AGENT,
			'convertly-event': delivery.eventType,
			'convertly-timestamp': String(timestamp),
			'convertly-signature': signatureHeader(endpoint.secret, delivery.body, timestamp),
		};
		const task = send(endpoint, headers, delivery.body).then((answer) => {
			delivery.attempts.push({ at: Date.now(), headers, ...answer });
			if (answer.httpStatus >= 200 && answer.httpStatus < 300) {
				delivery.status = 'succeeded';
				return;
			}
			if (index < RETRY_SCHEDULE_MS.length && !closed) {
				const wait = (RETRY_SCHEDULE_MS[index] - (index > 0 ? RETRY_SCHEDULE_MS[index - 1] : 0)) / speed();
				later(wait, () => attempt(endpoint, delivery, index + 1));
			} else {
				delivery.status = 'failed';
			}
		});
		track(task);
	}

	function later(ms, fn) {
		const timer = setTimeout(() => {
			timers.delete(timer);
			if (!closed) fn();
		}, ms);
		timers.add(timer);
	}

	function track(task) {
		inFlight.add(task);
		task.finally(() => inFlight.delete(task));
	}

	/** POSTs (or hands to an in-process handler); resolves to { httpStatus, responsePreview } or a network error. */
	/** Resolves to { httpStatus, responsePreview, ms } (ms: until the answer arrived), or a network error. */
	async function send(endpoint, headers, body) {
		const started = Date.now();
		try {
			if (endpoint.handler) {
				const answer = await endpoint.handler({ headers: { ...headers }, body: Buffer.from(body) });
				return { httpStatus: answer.status, responsePreview: preview(answer.body), ms: Date.now() - started };
			}
			const response = await fetch(endpoint.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
			const text = await response.text();
			return { httpStatus: response.status, responsePreview: preview(text), ms: Date.now() - started };
		} catch (error) {
			return { httpStatus: 0, error: error.cause?.code ?? error.name ?? 'error', ms: Date.now() - started };
		}
	}

	function preview(body) {
		const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
		return text.length > 200 ? `${text.slice(0, 200)}…` : text;
	}

	// ---- job transitions ------------------------------------------------------------------

	/**
	 * Idempotent: a job is watched once, however often it is reported. Jobs created while no
	 * endpoint is registered (and without a callback) are not watched at all, so that simulator
	 * runs without webhooks (benchmarks) pay nothing for them.
	 */
	function trackJob(jobId) {
		if (tracked.has(jobId) || finished.has(jobId)) return;
		if (endpoints.size === 0 && !callbackOf(jobId)?.callbackUrl) return;
		const view = jobView(jobId);
		if (!view) return;
		const ended = view.completedAt ? Date.parse(view.completedAt) : NaN;
		if (!Number.isNaN(ended) && ended < now() - 1000) {
			// History (e.g. a fixture's finished jobs): Convertly sent those events long ago.
			finished.add(jobId);
			return;
		}
		tracked.set(jobId, { status: 'pending', finished: 0 });
		if (!ticker) {
			ticker = setInterval(tick, pollMs);
			ticker.unref?.();
		}
		tick();
	}
	if (events) events.on('job-created', (view) => view?.jobId && trackJob(view.jobId));

	function tick() {
		for (const [jobId, seen] of tracked) {
			const view = jobView(jobId);
			if (!view) {
				tracked.delete(jobId);
				continue;
			}
			transitions(view, seen);
			if (view.status === 'completed' || view.status === 'failed' || view.status === 'cancelled') {
				tracked.delete(jobId);
				finished.add(jobId);
			}
		}
		if (tracked.size === 0 && ticker) {
			clearInterval(ticker);
			ticker = undefined;
		}
	}

	function transitions(view, seen) {
		const base = { jobId: view.jobId, jobType: view.jobType };
		const conversion = view.jobType === 'convert' || view.jobType === 'compress';
		const tool = view.jobType === 'media_tool';
		const terminal = view.status === 'completed' || view.status === 'failed';
		if (seen.status === 'pending' && (view.status === 'processing' || terminal)) {
			if (conversion) emit('conversion.started', { ...base, filename: null, totalFiles: view.totalFiles });
			seen.status = 'processing';
		}
		const finished = (view.completedFiles ?? 0) + (view.failedFiles ?? 0);
		if (conversion) {
			for (let file = seen.finished + 1; file <= finished; file++) {
				const result = Array.isArray(view.results) ? view.results[file - 1] : undefined;
				emit('conversion.progress', {
					...base,
					filename: result?.filename ?? `file-${file}`,
					completedFiles: Math.min(file, view.completedFiles ?? file),
					totalFiles: view.totalFiles,
					progress: Math.floor((file / view.totalFiles) * 100),
				});
			}
		}
		seen.finished = Math.max(seen.finished, finished);
		if (terminal && seen.status !== 'done') {
			seen.status = 'done';
			const ok = view.status === 'completed' && (view.failedFiles ?? 0) === 0;
			const firstFile = Array.isArray(view.results) ? view.results[0]?.filename : view.results?.files?.[0]?.filename;
			const data = { ...base, filename: firstFile ?? null, status: view.status };
			if (!ok) data.errorMessage = view.errorMessage ?? null;
			if (conversion) emit(ok ? 'conversion.completed' : 'conversion.failed', data);
			if (tool) emit(ok ? 'media.tool.completed' : 'media.tool.failed', { ...data, tool: view.results?.tool ?? toolOf(view.jobId) ?? null });
			sendCallback(view, conversion ? (ok ? 'conversion.completed' : 'conversion.failed') : `job.${view.status}`);
		}
	}

	/**
	 * The per-job callback [assumed; convertly-api.md §10.2 leaves it open]: when the job ends,
	 * its JobDetail is POSTed to the job's callbackUrl, signed like account webhooks
	 * (`convertly-signature: t=…,v1=…` with the callbackSecret) and retried on the same schedule.
	 */
	function sendCallback(view, type) {
		const settings = callbackOf(view.jobId);
		if (!settings?.callbackUrl) return;
		const endpoint = {
			id: `callback:${view.jobId}`,
			url: settings.callbackUrl,
			handler: callbackHandler,
			secret: settings.callbackSecret ?? '',
			eventTypes: ['*'],
		};
		startDelivery(endpoint, { id: null, type }, { kind: 'callback', body: JSON.stringify(view) });
	}

	// ---- test events and forgeries -------------------------------------------------------

	/** What the dashboard's "Send test event" does: a signed conversion.completed naming the all-zeros job ID (no such job). */
	function sendTestEvent({ endpointId, type = 'conversion.completed' } = {}) {
		const targets = endpointId ? [endpoints.get(endpointId)].filter(Boolean) : [...endpoints.values()];
		const event = envelope(type, { jobId: '00000000-0000-0000-0000-000000000000', filename: 'test-event.webp', test: true });
		return targets.map((endpoint) => startDelivery(endpoint, event));
	}

	/**
	 * One delivery that must be refused (no retries): `tampered` (one body byte changed after
	 * signing), `reserialised` (same JSON, different bytes), `wrong-secret`, `stale` (timestamp an
	 * hour old), `future` (an hour ahead), `replay` (the exact bytes and headers of an earlier
	 * delivery, `deliveryId` or the endpoint's last one), `no-signature`, `malformed-signature`,
	 * `oversized` (a validly signed 2 MiB body).
	 */
	async function sendForged({ endpointId, kind, deliveryId, type = 'conversion.completed' }) {
		if (!FORGERIES.includes(kind)) throw new Error(`kind must be one of ${FORGERIES.join(', ')}`);
		const endpoint = endpoints.get(endpointId) ?? [...endpoints.values()][0];
		if (!endpoint) throw new Error('no webhook endpoint registered');
		const event = envelope(type, { jobId: randomUUID(), filename: 'forged.webp' });
		let body = JSON.stringify(event);
		let timestamp = nowSeconds();
		let secret = endpoint.secret;
		let headers;
		switch (kind) {
			case 'stale':
				timestamp -= 3600;
				break;
			case 'future':
				timestamp += 3600;
				break;
			case 'wrong-secret':
				secret = newSecret();
				break;
			case 'oversized':
				event.data.padding = 'x'.repeat(2 * 1024 * 1024);
				body = JSON.stringify(event);
				break;
			default:
		}
		const signed = signatureHeader(secret, body, timestamp);
		if (kind === 'tampered') body = body.replace('forged.webp', 'forgeD.webp');
		if (kind === 'reserialised') body = JSON.stringify(JSON.parse(body), null, 1);
		if (kind === 'replay') {
			const original = deliveryId
				? deliveries.find((delivery) => delivery.id === deliveryId)
				: deliveries
						.filter((delivery) => delivery.endpointId === endpoint.id && (delivery.kind === 'event' || delivery.kind === 'redelivery') && delivery.attempts.length > 0)
						.at(-1);
			if (!original?.attempts[0]) throw new Error('nothing to replay yet');
			headers = original.attempts[0].headers;
			body = original.body;
		} else {
			headers = {
				'content-type': 'application/json',
				'user-agent': USER_AGENT,
				'convertly-event': type,
				'convertly-timestamp': String(timestamp),
				'convertly-signature': signed,
			};
			if (kind === 'no-signature') delete headers['convertly-signature'];
			if (kind === 'malformed-signature') headers['convertly-signature'] = `t=${timestamp},v1=${signed.split('v1=')[1].slice(0, 40)}`;
		}
		const delivery = {
			id: `dlv_${randomUUID().slice(0, 12)}`,
			endpointId: endpoint.id,
			eventId: JSON.parse(body).id,
			eventType: type,
			kind,
			status: 'pending',
			attempts: [],
			body,
		};
		deliveries.push(delivery);
		const task = send(endpoint, headers, body).then((answer) => {
			delivery.attempts.push({ at: Date.now(), headers, ...answer });
			delivery.status = answer.httpStatus >= 200 && answer.httpStatus < 300 ? 'succeeded' : 'failed';
		});
		track(task);
		await task;
		return publicDelivery(delivery);
	}

	/** Convertly's "retry" of a recorded delivery: the same event, signed anew (new timestamp). */
	function redeliver(deliveryId) {
		const original = deliveries.find((delivery) => delivery.id === deliveryId);
		if (!original) return undefined;
		const endpoint = endpoints.get(original.endpointId);
		if (!endpoint) return undefined;
		const delivery = { ...original, id: `dlv_${randomUUID().slice(0, 12)}`, kind: 'redelivery', status: 'pending', attempts: [] };
		deliveries.push(delivery);
		attempt(endpoint, delivery, RETRY_SCHEDULE_MS.length);
		return publicDelivery(delivery);
	}

	function publicDelivery({ id, endpointId, eventId, eventType, kind, status, attempts }) {
		return {
			id,
			endpointId,
			eventId,
			eventType,
			kind,
			status,
			attemptCount: attempts.length,
			attempts: attempts.map(({ at, httpStatus, responsePreview, error, ms }) => ({ at, httpStatus, responsePreview, error, ms })),
			lastHttpStatus: attempts.at(-1)?.httpStatus,
		};
	}

	/** Resolves once no attempt is in flight and none is scheduled (or after `timeoutMs`). */
	async function idle(timeoutMs = 30_000) {
		const deadline = Date.now() + timeoutMs;
		while ((inFlight.size > 0 || timers.size > 0 || tracked.size > 0) && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	}

	/** Admin routes under /__simulator/webhooks. Returns false when the route is not one of them. */
	async function handleAdmin(req, route, url, readJson, send) {
		if (req.method === 'POST' && route === '/endpoints') {
			const body = await readJson(req);
			return send(201, addEndpoint({ url: body.url, secret: body.secret, eventTypes: body.eventTypes, id: body.id }));
		}
		if (req.method === 'GET' && route === '/endpoints') return send(200, { endpoints: [...endpoints.values()].map(publicEndpoint) });
		if (req.method === 'DELETE' && route.startsWith('/endpoints/')) {
			const removed = endpoints.delete(decodeURIComponent(route.slice('/endpoints/'.length)));
			return send(removed ? 200 : 404, removed ? { ok: true } : { error: 'No such endpoint.' });
		}
		if (req.method === 'POST' && route === '/test') {
			const body = await readJson(req);
			return send(202, { deliveries: sendTestEvent(body).map(publicDelivery) });
		}
		if (req.method === 'POST' && route === '/events') {
			const body = await readJson(req);
			return send(202, emit(body.type, body.data ?? {}, { endpointId: body.endpointId, id: body.id }));
		}
		if (req.method === 'POST' && route === '/forged') {
			const body = await readJson(req);
			return send(200, await sendForged(body));
		}
		if (req.method === 'GET' && route === '/deliveries') return send(200, { deliveries: deliveries.map(publicDelivery) });
		if (req.method === 'POST' && route === '/idle') {
			await idle(Number(url.searchParams.get('timeoutMs') ?? 30_000));
			return send(200, { deliveries: deliveries.map(publicDelivery) });
		}
		return false;
	}

	/** Convertly's own delivery history API: GET /api/webhooks/deliveries, POST …/{id}/retry. */
	function handleApi(req, url, send) {
		if (req.method === 'GET' && url.pathname === '/api/webhooks/deliveries') {
			const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 25) || 25));
			const list = deliveries
				.slice(-limit)
				.reverse()
				.map((delivery) => {
					const last = delivery.attempts.at(-1);
					return {
						id: delivery.id,
						endpoint: endpoints.get(delivery.endpointId)?.url ?? null,
						eventType: delivery.eventType,
						status: delivery.status,
						httpStatus: last?.httpStatus ?? null,
						responsePreview: last?.responsePreview ?? null,
						attemptCount: delivery.attempts.length,
						createdAt: new Date(delivery.attempts[0]?.at ?? Date.now()).toISOString(),
						updatedAt: new Date(last?.at ?? Date.now()).toISOString(),
					};
				});
			send(200, { deliveries: list });
			return true;
		}
		const retry = /^\/api\/webhooks\/deliveries\/([^/]+)\/retry$/.exec(url.pathname);
		if (req.method === 'POST' && retry) {
			const delivery = redeliver(decodeURIComponent(retry[1]));
			send(delivery ? 202 : 404, delivery ?? { error: 'Delivery not found.' });
			return true;
		}
		return false;
	}

	function reset() {
		callbackHandler = undefined;
		endpoints.clear();
		tracked.clear();
		finished.clear();
		deliveries = [];
		for (const timer of timers) clearTimeout(timer);
		timers.clear();
	}

	function close() {
		closed = true;
		reset();
		if (ticker) clearInterval(ticker);
		ticker = undefined;
	}

	return {
		addEndpoint,
		removeEndpoint: (id) => endpoints.delete(id),
		endpoints: () => [...endpoints.values()].map(publicEndpoint),
		track: trackJob,
		emit,
		routeCallbacks: (handler) => (callbackHandler = handler),
		sendTestEvent: (options) => sendTestEvent(options).map(publicDelivery),
		sendForged,
		redeliver,
		deliveries: () => deliveries.map(publicDelivery),
		idle,
		handleAdmin,
		handleApi,
		reset,
		close,
	};
}

module.exports = { createWebhooks, signatureHeader, EVENT_TYPES, RETRY_SCHEDULE_MS, FORGERIES };
