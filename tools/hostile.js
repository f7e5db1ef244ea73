// A scripted HTTP server on 127.0.0.1 for the tests that hold the node's promises against servers
// that misbehave (slow, endless, redirecting, compressed, oversized). Each test starts its own and
// stops it; every open connection is destroyed on close, so a dripping answer never outlives it.
// Plain JS (like engine.js) so that it may use Node built-ins.
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const zlib = require('node:zlib');

const ROOT = path.join(__dirname, '..');

/** A key no server of the tests knows; searched for in what must never carry it. */
const HOSTILE_API_KEY = 'cvly_hostile_test_key_0123456789';
const JOB_ID = '6f0c2a43-1111-4000-8000-000000000001';

async function startHostile(handler) {
	const sockets = new Set();
	let current = handler;
	const requests = [];
	const server = http.createServer((req, res) => {
		requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, at: Date.now() });
		Promise.resolve()
			.then(() => current(req, res, hostile))
			.catch(() => res.destroy());
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	const hostile = {
		url: `http://127.0.0.1:${port}`,
		origin: `http://127.0.0.1:${port}`,
		requests,
		handle: (next) => {
			current = next;
		},
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(() => resolve()));
		},
	};
	return hostile;
}

function json(res, status, body, headers = {}) {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
	res.end(text);
}

/** Writes `chunk` every `everyMs` (0: as fast as the client reads) until the client goes away. */
function drip(res, chunk, everyMs, headers = {}) {
	res.writeHead(200, { 'content-type': 'application/json', ...headers });
	const write = () => {
		if (res.destroyed || res.writableEnded) return;
		res.write(chunk, () => {
			if (everyMs === 0) setImmediate(write);
			else setTimeout(write, everyMs).unref();
		});
	};
	write();
}

/** Reads the request body one chunk every `everyMs` (a slow server); resolves with the bytes read. */
function readSlowly(req, everyMs) {
	return new Promise((resolve, reject) => {
		let bytes = 0;
		req.on('data', (chunk) => {
			bytes += chunk.length;
			req.pause();
			setTimeout(() => req.resume(), everyMs).unref();
		});
		req.on('end', () => resolve(bytes));
		req.on('error', reject);
	});
}

/**
 * A gzip body that inflates to `inflatedBytes` (after `prefix`) while only about a thousandth of
 * that is sent: one member for 1 MiB of the same byte, repeated (gzip allows several members).
 */
function gzipBomb(inflatedBytes, prefix = '') {
	const member = zlib.gzipSync(Buffer.alloc(1024 * 1024, 'a'), { level: 9 });
	const members = [zlib.gzipSync(Buffer.from(prefix))];
	for (let done = 0; done < inflatedBytes; done += 1024 * 1024) members.push(member);
	return Buffer.concat(members);
}

/** Runs `work` while sampling `measure` every few ms; returns its result and the peak growth. */
async function peakGrowth(measure, everyMs, work) {
	const baseline = measure();
	let peak = baseline;
	const timer = setInterval(() => {
		peak = Math.max(peak, measure());
	}, everyMs);
	try {
		const value = await work();
		peak = Math.max(peak, measure());
		return { value, growth: peak - baseline };
	} finally {
		clearInterval(timer);
	}
}

const peakRssGrowth = async (work) => await peakGrowth(() => process.memoryUsage().rss, 10, work);
const peakOpenFilesGrowth = async (work) => await peakGrowth(() => fs.readdirSync('/proc/self/fd').length, 2, work);

/** A completed job whose results are the given entries. */
function completedJob(results, extra = {}) {
	return {
		jobId: JOB_ID,
		jobType: 'convert',
		status: 'completed',
		totalFiles: results.length,
		completedFiles: results.length,
		failedFiles: 0,
		progress: 100,
		createdAt: '2026-12-01T10:00:00.000Z',
		errorMessage: null,
		results,
		...extra,
	};
}

/** The compiled node's request limits, as the engine runs them: tests scale the times down here. */
function requestLimits(distDir = path.join(ROOT, 'dist')) {
	return require(path.join(distDir, 'nodes/Convertly/transport/limits.js')).REQUEST_LIMITS;
}

module.exports = {
	HOSTILE_API_KEY,
	JOB_ID,
	startHostile,
	json,
	drip,
	readSlowly,
	gzipBomb,
	peakRssGrowth,
	peakOpenFilesGrowth,
	completedJob,
	requestLimits,
};
