#!/usr/bin/env node
'use strict';
// `npm run bench` (third part): the Media Tool resource in n8n's real engine (n8n's
// BinaryDataService in filesystem mode, the n8n default) against the local simulator.
// Prints a table and writes bench/results/media-latest.json.
//   (h) 100 items of 1 MiB, Media Tool → Create Thumbnail answered at once (sync), each call taking
//       300 ms in the simulator (mediaProcessingMs), Max Concurrency 5 (the default): node wall time
//       against the ideal, ⌈100 / 5⌉ × 300 ms + the transfer time of raw undici uploading the same
//       bytes and downloading the same thumbnails at the same concurrency (simulator at 0 ms), and
//       against the same work item after item (the node on one item per execution, one after the
//       other, as CloudConvert's n8n node works);
//   (i) a 1 GiB video through Media Tool → Convert Video or Audio (mp4), Run in Background + Wait
//       for Completion + Download Result Files, twice:
//       - by URL: the simulator fetches the file from a loopback file server (tools/fileserver.js,
//         in a process of its own), so no input byte passes through n8n; the result file does,
//         streamed into n8n's binary store. Peak RSS growth of the node's process over the whole
//         run and up to Convertly's answer to the upload (the upload phase);
//       - from a binary field (the Input node copies the file into n8n's binary store first, as in
//         (e)): peak RSS growth, and upload throughput (node start → Convertly's answer) against
//         raw undici posting the same bytes as multipart to the same endpoint (the faster of
//         undici FormData with a file-backed Blob and a hand-written multipart stream).
//       Beside them, for comparison: the simulator's own fetch time (raw undici posting the same
//       sourceUrl) and raw undici downloading the same result.
// The simulator runs in a child process of its own, the file server in another, and every
// measured client in a fresh child process, so each RSS figure is that client's alone.
//
// Options: --only h,i  --h-rounds N (default 2)  --rounds N ((i), default 3)
//          --h-items N and --size-mb N (smaller cases for a quick try; such runs, and runs of one
//          case or one round, write bench/results/media-partial.json instead of media-latest.json).

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');
const {
	MiB,
	GiB,
	out,
	parseArgs,
	admin,
	measured,
	runNode,
	writePatternFile,
	sha256File,
	pool,
	multipartBody,
	spread,
	assertThat,
	checkFreeSpace,
	resultsHead,
	machineAfter,
	fmt,
	range,
	printTable,
	writeResults,
	benchProcesses,
	childMain,
	runMain,
} = require('./lib');
const { listeningProcess } = require('./simulator-process');


// (h)
const H_ITEM_BYTES = MiB;
const H_PROCESSING_MS = 300;
const H_CONCURRENCY = 5; // the node's default Max Concurrency (not set in the parameters); raw undici gets the same
const hParameters = () => ({
	resource: 'mediaTool',
	operation: 'thumbnail',
	inputSource: 'binary',
	binaryPropertyName: 'data',
	downloadResults: true,
});
const hItem = (index) => ({
	json: { index },
	binary: { data: { sizeBytes: H_ITEM_BYTES, fileName: `item-${String(index).padStart(3, '0')}.mp4`, mimeType: 'video/mp4' } },
});

// (i)
const I_FIELDS = { format: 'mp4', async: 'true' }; // what the node sends (no option added: Convertly's defaults)
const I_DERIVE = { jobType: 'convert', format: 'mp4', compression: 75 }; // the simulator's default compressionLevel
const I_POLL_SECONDS = 1;
const I_JOB_TIMING = { pendingMs: 0, processingMsPerFile: 1000 };
const iParameters = (source, sourceUrl) => ({
	resource: 'mediaTool',
	operation: 'convert',
	format: 'mp4',
	inputSource: source,
	binaryPropertyName: 'data',
	sourceUrl: sourceUrl ?? '',
	runInBackground: true,
	waitForCompletion: true,
	waitOptions: { pollInterval: I_POLL_SECONDS, timeout: 900 },
	downloadResults: true,
});

// ---------------------------------------------------------------------------------------------
// Children: each measures one client in a fresh process and prints one JSON line.

/** Bytes this process has read and written through system calls (files and sockets alike; Linux). */
function processIo() {
	try {
		const text = fs.readFileSync('/proc/self/io', 'utf8');
		const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(text)?.[1]);
		return { rchar: field('rchar'), wchar: field('wchar') };
	} catch {
		return { rchar: NaN, wchar: NaN };
	}
}
const ioSince = (before, after) => ({ readMb: (after.rchar - before.rchar) / MiB, writtenMb: (after.wchar - before.wchar) / MiB });

/**
 * Every HTTP request n8n's helpers send from this process (they run on node:http), with times:
 * `startedAt` when node:http announces it (once the request body is written), `answeredAt` when
 * the response head arrives.
 */
function watchHttp(onResponse) {
	const dc = require('node:diagnostics_channel');
	const log = [];
	const started = new Map();
	const onStart = ({ request }) => {
		const entry = { method: request.method, path: request.path, startedAt: Date.now(), answeredAt: undefined, status: undefined };
		started.set(request, entry);
		log.push(entry);
	};
	const onFinish = ({ request, response }) => {
		const entry = started.get(request);
		if (!entry) return;
		entry.answeredAt = Date.now();
		entry.status = response.statusCode;
		onResponse?.(entry);
	};
	dc.subscribe('http.client.request.start', onStart);
	dc.subscribe('http.client.response.finish', onFinish);
	return {
		log,
		stop() {
			dc.unsubscribe('http.client.request.start', onStart);
			dc.unsubscribe('http.client.response.finish', onFinish);
		},
	};
}

const sha256 = (buffer) => crypto.createHash('sha256').update(buffer).digest('hex');

/** Width and height from a PNG's IHDR, or null when the bytes are not a PNG. */
function pngSize(buffer) {
	const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	if (buffer.length < 24 || !buffer.subarray(0, 8).equals(signature)) return null;
	return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

const children = {
	/** (h) node: the items in one execution, or (sequential) one execution per item. */
	async hNode(args) {
		const engine = require('../tools/engine');
		await admin(args.simUrl, '/config', { mediaProcessingMs: 0 });
		await runNode(engine, args, hParameters(), [hItem(999)]);
		await admin(args.simUrl, '/reset', {});
		await admin(args.simUrl, '/config', { mediaProcessingMs: H_PROCESSING_MS });

		const indexes = Array.from({ length: args.items }, (_, index) => index);
		const { value, wallMs, memory: mem } = await measured(async () => {
			if (!args.sequential) return await runNode(engine, args, hParameters(), indexes.map(hItem));
			const runs = [];
			for (const index of indexes) runs.push(await runNode(engine, args, hParameters(), [hItem(index)]));
			return { items: runs.flatMap((run) => run.items), nodeMs: runs.reduce((sum, run) => sum + run.nodeMs, 0) };
		});

		const thumbnails = [];
		for (const output of value.items) {
			const binary = output.binary?.data;
			const bytes = binary ? await engine.readBinary(binary) : Buffer.alloc(0);
			thumbnails.push({
				index: output.pairedItem?.item,
				fileName: binary?.fileName,
				bytes: bytes.length,
				finalSize: output.json.files?.[0]?.finalSize,
				sha256: sha256(bytes),
				png: pngSize(bytes),
			});
		}
		return { nodeMs: value.nodeMs, workflowMs: wallMs, outputItems: value.items.length, thumbnails, ...mem };
	},

	/** (h) raw transfer time: undici posting the same bytes and downloading the thumbnails, simulator at 0 ms. */
	async hRaw(args) {
		const { request, FormData, Agent } = require('undici');
		const { patternBytes } = require('../simulator');
		const dispatcher = new Agent({ connections: H_CONCURRENCY });
		const headers = { authorization: `Bearer ${args.apiKey}` };
		const content = patternBytes(0, H_ITEM_BYTES);
		const one = async (index) => {
			const form = new FormData();
			form.append('file', new Blob([content], { type: 'video/mp4' }), `raw-${String(index).padStart(3, '0')}.mp4`);
			const response = await request(`${args.simUrl}/api/media/thumbnail`, {
				method: 'POST',
				body: form,
				headers: { ...headers, 'idempotency-key': `raw-${process.pid}-${index}` },
				dispatcher,
			});
			const body = await response.body.json();
			if (response.statusCode !== 200) throw new Error(`raw thumbnail: ${response.statusCode} ${JSON.stringify(body)}`);
			const download = await request(body.files[0].downloadUrl, { headers, dispatcher });
			const chunks = [];
			for await (const chunk of download.body) chunks.push(chunk);
			return Buffer.concat(chunks);
		};
		await admin(args.simUrl, '/config', { mediaProcessingMs: 0 });
		await one(999);
		await admin(args.simUrl, '/reset', {});
		await admin(args.simUrl, '/config', { mediaProcessingMs: 0 });
		const startedAt = performance.now();
		const results = await pool(args.items, H_CONCURRENCY, one);
		const rawMs = performance.now() - startedAt;
		await dispatcher.close();
		return { rawMs, thumbnails: results.map((bytes) => ({ bytes: bytes.length, sha256: sha256(bytes), png: pngSize(bytes) })) };
	},

	/** (i) node: Convert with Run in Background + Wait + Download, by URL or from a binary field. */
	async iNode(args) {
		const engine = require('../tools/engine');
		const byUrl = args.source === 'url';
		const item = (file, name) =>
			byUrl ? { json: {} } : { json: { name }, binary: { data: { path: file, fileName: name, mimeType: 'video/mp4' } } };
		const warmFile = path.join(args.dir, 'warm-up.mp4');
		if (!byUrl) fs.writeFileSync(warmFile, Buffer.alloc(4096, 7));
		await admin(args.simUrl, '/config', { createdJobTiming: { pendingMs: 0, processingMsPerFile: 0 } });
		await runNode(engine, args, iParameters(args.source, byUrl ? args.warmUrl : undefined), [item(warmFile, 'warm-up.mp4')]);
		await admin(args.simUrl, '/reset', {});
		await admin(args.simUrl, '/config', { createdJobTiming: I_JOB_TIMING });

		const parameters = iParameters(args.source, byUrl ? args.sourceUrl : undefined);
		let upload;
		let ioBefore;
		let requestLog = [];
		const { value, wallMs, memory: mem } = await measured(async ({ peakSoFar }) => {
			ioBefore = processIo();
			// Convertly's answer to the upload (the POST that creates the job) ends the upload phase.
			const http = watchHttp((entry) => {
				if (entry.method === 'POST' && entry.path.startsWith('/api/media/convert')) upload = { entry, memory: peakSoFar(), io: processIo() };
			});
			try {
				return await runNode(engine, args, parameters, [item(args.file, 'input.mp4')]);
			} finally {
				http.stop();
				requestLog = http.log;
			}
		});
		const io = processIo();
		const nodeEndedAt = value.nodeStartedAt + value.nodeMs;
		const download = requestLog.find((entry) => entry.method === 'GET' && entry.path.startsWith('/files/'));
		const output = value.items[0];
		const binary = output?.binary?.data;
		const file = binary && engine.binaryPath(binary);
		const result = file ? await sha256File(file) : null;
		return {
			source: args.source,
			nodeMs: value.nodeMs,
			inputNodeMs: value.inputMs,
			workflowMs: wallMs,
			jobId: output?.json?.jobId,
			jobStatus: output?.json?.status,
			binary: binary ? { fileName: binary.fileName, mimeType: binary.mimeType } : null,
			result,
			requests: requestLog.map(({ method, path: requestPath, status }) => `${method} ${requestPath.split('?')[0]} ${status}`),
			// Node start → Convertly's answer to the upload: what the user waits for the upload.
			uploadPhaseMs: upload ? upload.entry.answeredAt - value.nodeStartedAt : null,
			// node:http announces a request ('http.client.request.start') once its body is written, so
			// this is the wait for Convertly's answer after the last byte (by URL: the simulator's fetch).
			answerAfterBodySentMs: upload ? upload.entry.answeredAt - upload.entry.startedAt : null,
			uploadPhaseMemory: upload?.memory ?? null,
			uploadPhaseIo: upload ? ioSince(ioBefore, upload.io) : null,
			downloadPhaseMs: download ? nodeEndedAt - download.startedAt : null,
			io: ioSince(ioBefore, io),
			...mem,
		};
	},

	/** (i) raw: undici posting the same 1 GiB as multipart (two clients, as in (e)), or only a sourceUrl. */
	async iRaw(args) {
		const { request, FormData, Agent } = require('undici');
		const dispatcher = new Agent({ connections: 1 });
		const url = `${args.simUrl}/api/media/convert`;
		const send = async (body, headers, key) => {
			const response = await request(url, {
				method: 'POST',
				body,
				headers: { authorization: `Bearer ${args.apiKey}`, 'idempotency-key': key, ...headers },
				dispatcher,
			});
			const answer = await response.body.json();
			if (response.statusCode !== 200) throw new Error(`raw ${args.variant}: ${response.statusCode} ${JSON.stringify(answer)}`);
			return answer;
		};
		const post = async (fileOrUrl, name, key) => {
			if (args.variant === 'sourceUrl') {
				const form = new FormData();
				for (const [field, value] of Object.entries(I_FIELDS)) form.append(field, value);
				form.append('sourceUrl', fileOrUrl);
				return await send(form, {}, key);
			}
			const { body, headers } = await multipartBody[args.variant](I_FIELDS, 'file', fileOrUrl, name);
			return await send(body, headers, key);
		};
		const byUrl = args.variant === 'sourceUrl';
		const warmFile = path.join(args.dir, 'warm-up.mp4');
		if (!byUrl) fs.writeFileSync(warmFile, Buffer.alloc(4096, 7));
		await post(byUrl ? args.warmUrl : warmFile, 'warm-up.mp4', `raw-warm-up-${process.pid}`);
		await admin(args.simUrl, '/reset', {});
		await admin(args.simUrl, '/config', { createdJobTiming: I_JOB_TIMING });
		const { value, wallMs, memory: mem } = await measured(() => post(byUrl ? args.sourceUrl : args.file, 'input.mp4', `raw-${process.pid}`));
		await dispatcher.close();
		return { variant: args.variant, rawMs: wallMs, jobId: value.jobId, jobStatus: value.status, ...mem };
	},

	/** (i) raw download: undici reading the job for its link, then a GET of the result streamed to a file. */
	async iRawDownload(args) {
		const { request, Agent } = require('undici');
		const dispatcher = new Agent({ connections: 1 });
		const headers = { authorization: `Bearer ${args.apiKey}` };
		const target = path.join(args.dir, 'raw-result.mp4');
		const get = async (jobId) => {
			const job = await (await request(`${args.simUrl}/api/jobs/${jobId}`, { headers, dispatcher })).body.json();
			const response = await request(job.results.files[0].downloadUrl, { headers, dispatcher });
			if (response.statusCode !== 200) throw new Error(`raw download: ${response.statusCode}`);
			await pipeline(response.body, fs.createWriteStream(target));
		};
		const { wallMs, memory: mem } = await measured(() => get(args.jobId));
		const result = await sha256File(target);
		fs.rmSync(target, { force: true });
		await dispatcher.close();
		return { rawMs: wallMs, result, ...mem };
	},
};

// ---------------------------------------------------------------------------------------------
// The file server: `node bench/media.js --serve '{"/input.mp4": "/path", …}'` until SIGTERM.

async function serve(table) {
	const { startFileServer } = require('../tools/fileserver');
	const files = Object.fromEntries(Object.entries(table).map(([urlPath, file]) => [urlPath, { path: file, type: 'video/mp4' }]));
	const server = await startFileServer(files);
	process.once('SIGTERM', async () => {
		await server.close();
		process.exit(0);
	});
	out(`file server listening on ${server.url}`);
}

// ---------------------------------------------------------------------------------------------
// Parent: the simulator and file server processes, the children, checks, the table and the JSON.

const processes = benchProcesses(__filename);
const { child } = processes;

async function fileServerProcess(table) {
	const { url, stop } = await listeningProcess('file server', [__filename, '--serve', JSON.stringify(table)], { onSpawn: processes.track });
	return { url, stop };
}

/** The pattern file's sha256 and the derived result's size and sha256 (what the simulator must send back). */
async function expectedBytes(size) {
	const { patternStream, deriveStream, derivedSize } = require('../simulator/results');
	const input = crypto.createHash('sha256');
	const result = crypto.createHash('sha256');
	let resultBytes = 0;
	const source = patternStream(size);
	source.on('data', (chunk) => input.update(chunk));
	for await (const chunk of source.pipe(deriveStream(I_DERIVE))) {
		result.update(chunk);
		resultBytes += chunk.length;
	}
	assertThat(resultBytes === derivedSize(size, I_DERIVE), 'derivedSize does not match the derived stream');
	return { inputSha256: input.digest('hex'), result: { bytes: resultBytes, sha256: result.digest('hex') } };
}

async function checkH(sim, label, items, thumbnails, expected) {
	const stats = await admin(sim.url, '/stats');
	const calls = stats.mediaRequests;
	assertThat(calls.length === items, `${label}: ${calls.length} media requests for ${items} items`);
	assertThat(calls.every((call) => call.tool === 'thumbnail' && call.status === 200 && !call.async), `${label}: a request was not a sync thumbnail answered 200`);
	assertThat(calls.every((call) => call.files.length === 1 && call.files[0].size === H_ITEM_BYTES), `${label}: an upload was not ${H_ITEM_BYTES} bytes`);
	const downloads = stats.downloads.filter((entry) => entry.status === 200);
	assertThat(downloads.length === items, `${label}: ${downloads.length} downloads for ${items} items`);
	assertThat(thumbnails.length === items, `${label}: ${thumbnails.length} output items`);
	const correct = thumbnails.filter((t) => t.sha256 === expected.sha256 && t.bytes === expected.bytes && t.finalSize === expected.bytes).length;
	assertThat(correct === items, `${label}: ${correct} of ${items} thumbnails have the simulator's bytes`);
	await admin(sim.url, '/reset', {});
	return { requests: stats.requests, correctThumbnails: correct };
}

async function caseH(sim, common, items, rounds) {
	const runs = [];
	const idealProcessingMs = Math.ceil(items / H_CONCURRENCY) * H_PROCESSING_MS;
	for (let round = 0; round < rounds; round++) {
		const raw = await child('hRaw', { ...common, items });
		const [first] = raw.thumbnails;
		assertThat(first.png && raw.thumbnails.every((t) => t.sha256 === first.sha256), '(h) raw: the thumbnails are not one PNG');
		await admin(sim.url, '/reset', {});
		const expected = { bytes: first.bytes, sha256: first.sha256, png: first.png };

		const node = await child('hNode', { ...common, items });
		const nodeChecked = await checkH(sim, '(h) node', items, node.thumbnails, expected);
		const sequential = await child('hNode', { ...common, items, sequential: true });
		const sequentialChecked = await checkH(sim, '(h) sequential', items, sequential.thumbnails, expected);

		const idealMs = idealProcessingMs + raw.rawMs;
		const strip = ({ thumbnails: _t, ...rest }) => rest;
		runs.push({
			node: { ...strip(node), requests: nodeChecked.requests, correctThumbnails: nodeChecked.correctThumbnails },
			sequential: { ...strip(sequential), requests: sequentialChecked.requests, correctThumbnails: sequentialChecked.correctThumbnails },
			raw: strip(raw),
			thumbnail: expected,
			idealMs,
			ratioToIdeal: node.nodeMs / idealMs,
			// A stricter bound than the ideal: no transfer time at all.
			ratioToProcessingOnly: node.nodeMs / idealProcessingMs,
			speedUpOverSequential: sequential.nodeMs / node.nodeMs,
			loadAverage: os.loadavg()[0],
		});
		out(
			`  (h) round ${round + 1}: node ${(node.nodeMs / 1000).toFixed(2)} s, ideal ${(idealMs / 1000).toFixed(2)} s (raw transfer ${(raw.rawMs / 1000).toFixed(2)} s), item after item ${(sequential.nodeMs / 1000).toFixed(1)} s; load ${os.loadavg()[0].toFixed(1)}`,
		);
	}
	const ratio = spread(runs.map((run) => run.ratioToIdeal));
	return {
		items,
		bytesPerItem: H_ITEM_BYTES,
		mediaProcessingMs: H_PROCESSING_MS,
		maxConcurrency: H_CONCURRENCY,
		idealProcessingMs,
		runs,
		ratioToIdeal: ratio,
		ratioToProcessingOnly: spread(runs.map((run) => run.ratioToProcessingOnly)),
		speedUpOverSequential: spread(runs.map((run) => run.speedUpOverSequential)),
		method:
			'node: Media Tool → Create Thumbnail (sync, Download Result Files on, Max Concurrency left at its default 5) on 100 items in one execution, timed by n8n\'s executionTime; simulator mediaProcessingMs 300; ideal = ⌈items / 5⌉ × 300 ms + raw transfer, raw transfer = undici request() at concurrency 5 posting the same 1 MiB as the `file` part and downloading each thumbnail, simulator at mediaProcessingMs 0; sequential = the same node run on one item per execution, 100 executions one after the other, sum of the node\'s executionTimes; every thumbnail checked against the bytes raw undici got',
		target: 'ratioToIdeal <= 1.2 (best run)',
		pass: ratio.min <= 1.2,
	};
}

async function caseI(sim, files, common, size, rounds, expected) {
	const runs = [];
	const checkReceived = (stats, label, byUrl) => {
		const calls = stats.mediaRequests;
		assertThat(calls.length === 1 && calls[0].status === 200 && calls[0].async && calls[0].jobId, `${label}: ${calls.length} media requests, expected one async call answered 200`);
		const call = calls[0];
		const received = byUrl ? call.sourceUrl : call.files[0];
		assertThat(byUrl ? call.files.length === 0 : call.files.length === 1, `${label}: ${call.files.length} file parts`);
		assertThat(received?.size === size && received.sha256 === expected.inputSha256, `${label}: the simulator got ${received?.size} bytes (sha256 ${received?.sha256})`);
		return call;
	};
	const checkNode = async (node, label, byUrl) => {
		const stats = await admin(sim.url, '/stats');
		const call = checkReceived(stats, label, byUrl);
		const sortedFields = (fields) => JSON.stringify(Object.entries(fields).sort(([a], [b]) => a.localeCompare(b)));
		const expectedFields = { ...I_FIELDS, ...(byUrl ? { sourceUrl: `${files.url}/input.mp4` } : {}) };
		assertThat(sortedFields(call.fields) === sortedFields(expectedFields), `${label}: the node sent the fields ${JSON.stringify(call.fields)}`);
		assertThat(node.jobId === call.jobId && node.jobStatus === 'completed', `${label}: the output item is not the completed job`);
		const downloads = stats.downloads.filter((entry) => entry.status === 200);
		assertThat(downloads.length === 1 && downloads[0].bytesSent === expected.result.bytes, `${label}: the simulator sent ${downloads.map((d) => d.bytesSent)} bytes`);
		assertThat(node.result?.bytes === expected.result.bytes && node.result.sha256 === expected.result.sha256, `${label}: the result file in n8n is not the simulator's result`);
		return { fields: call.fields, unknownFields: call.unknownFields };
	};
	for (let round = 0; round < rounds; round++) {
		const urlCommon = { ...common, sourceUrl: `${files.url}/input.mp4`, warmUrl: `${files.url}/warm-up.mp4` };

		// By URL: the node, the raw POST of the same sourceUrl, raw download of the node's result.
		const url = await child('iNode', { ...urlCommon, source: 'url' });
		const urlSent = await checkNode(url, '(i) url node', true);
		const urlRawDownload = await child('iRawDownload', { ...common, jobId: url.jobId });
		assertThat(urlRawDownload.result.sha256 === expected.result.sha256, '(i) url raw download: wrong bytes');
		await admin(sim.url, '/reset', {});
		const urlRaw = await child('iRaw', { ...urlCommon, variant: 'sourceUrl' });
		checkReceived(await admin(sim.url, '/stats'), '(i) raw sourceUrl', true);
		await admin(sim.url, '/reset', {});

		// From a binary field: the node, the two raw multipart clients, raw download of the node's result.
		const binary = await child('iNode', { ...common, source: 'binary', file: files.file });
		const binarySent = await checkNode(binary, '(i) binary node', false);
		const binaryRawDownload = await child('iRawDownload', { ...common, jobId: binary.jobId });
		assertThat(binaryRawDownload.result.sha256 === expected.result.sha256, '(i) binary raw download: wrong bytes');
		await admin(sim.url, '/reset', {});
		const rawClients = [];
		for (const variant of ['formData', 'streamed']) {
			rawClients.push(await child('iRaw', { ...common, file: files.file, variant }));
			checkReceived(await admin(sim.url, '/stats'), `(i) raw ${variant}`, false);
			await admin(sim.url, '/reset', {});
		}
		const raw = rawClients.reduce((a, b) => (b.rawMs < a.rawMs ? b : a));

		const mbps = (bytes, ms) => bytes / MiB / (ms / 1000);
		const run = {
			url: { node: url, sent: urlSent, rawSourceUrl: urlRaw, rawDownload: urlRawDownload },
			binary: { node: binary, sent: binarySent, raw, rawClients, rawDownload: binaryRawDownload },
			binaryUploadNodeMBps: mbps(size, binary.uploadPhaseMs),
			binaryUploadRawMBps: mbps(size, raw.rawMs),
			binaryUploadRatio: raw.rawMs / binary.uploadPhaseMs,
			downloadNodeMBps: { url: mbps(expected.result.bytes, url.downloadPhaseMs), binary: mbps(expected.result.bytes, binary.downloadPhaseMs) },
			downloadRawMBps: { url: mbps(expected.result.bytes, urlRawDownload.rawMs), binary: mbps(expected.result.bytes, binaryRawDownload.rawMs) },
			loadAverage: os.loadavg()[0],
		};
		runs.push(run);
		out(
			`  (i) round ${round + 1}: url: RSS growth ${url.growthMb.toFixed(1)} MB (upload phase ${url.uploadPhaseMemory.growthMb.toFixed(1)} MB; wrote ${url.uploadPhaseIo.writtenMb.toFixed(2)} MiB before Convertly answered), upload phase ${(url.uploadPhaseMs / 1000).toFixed(1)} s (raw sourceUrl POST ${(urlRaw.rawMs / 1000).toFixed(1)} s), download ${run.downloadNodeMBps.url.toFixed(0)} MiB/s (raw ${run.downloadRawMBps.url.toFixed(0)})`,
		);
		out(
			`                binary: RSS growth ${binary.growthMb.toFixed(1)} MB (upload phase ${binary.uploadPhaseMemory.growthMb.toFixed(1)} MB), upload ${run.binaryUploadNodeMBps.toFixed(0)} / raw ${run.binaryUploadRawMBps.toFixed(0)} MiB/s = ${run.binaryUploadRatio.toFixed(2)}× (${rawClients.map((c) => `${c.variant} ${mbps(size, c.rawMs).toFixed(0)}`).join(', ')}), download ${run.downloadNodeMBps.binary.toFixed(0)} MiB/s (raw ${run.downloadRawMBps.binary.toFixed(0)}); load ${os.loadavg()[0].toFixed(1)}`,
		);
	}
	const urlGrowth = spread(runs.map((run) => run.url.node.growthMb));
	const binaryGrowth = spread(runs.map((run) => run.binary.node.growthMb));
	const nodeMBps = Math.max(...runs.map((run) => run.binaryUploadNodeMBps));
	const rawMBps = Math.max(...runs.map((run) => run.binaryUploadRawMBps));
	return {
		bytes: size,
		resultBytes: expected.result.bytes,
		derive: I_DERIVE,
		pollIntervalSeconds: I_POLL_SECONDS,
		jobTiming: I_JOB_TIMING,
		runs,
		url: {
			growthMb: urlGrowth,
			uploadPhaseGrowthMb: spread(runs.map((run) => run.url.node.uploadPhaseMemory.growthMb)),
			uploadPhaseWrittenMb: spread(runs.map((run) => run.url.node.uploadPhaseIo.writtenMb)),
			target: 'growthMb < 50 in every run',
			pass: urlGrowth.max < 50,
		},
		binary: {
			growthMb: binaryGrowth,
			uploadPhaseGrowthMb: spread(runs.map((run) => run.binary.node.uploadPhaseMemory.growthMb)),
			nodeMBps,
			rawMBps,
			ratio: nodeMBps / rawMBps,
			ratioPerRound: spread(runs.map((run) => run.binaryUploadRatio)),
			// CPU seconds of each process: the node's whole workflow (the Input node's copy, upload, wait, download), the raw upload alone.
			cpuSeconds: {
				nodeWholeRun: spread(runs.map((run) => run.binary.node.cpuMs / 1000)),
				rawUpload: spread(runs.map((run) => run.binary.raw.cpuMs / 1000)),
			},
			target: 'growthMb < 100 in every run; best node upload throughput / best raw throughput >= 0.7',
			pass: binaryGrowth.max < 100 && nodeMBps / rawMBps >= 0.7,
		},
		download: {
			nodeMBps: spread(runs.flatMap((run) => [run.downloadNodeMBps.url, run.downloadNodeMBps.binary])),
			rawMBps: spread(runs.flatMap((run) => [run.downloadRawMBps.url, run.downloadRawMBps.binary])),
		},
		method:
			'node: Media Tool → Convert Video or Audio (format mp4, no option added, so compressionLevel is Convertly\'s default, 75 in the simulator), Run in Background + Wait for Completion (1 s polls; the simulator\'s job takes 1 s) + Download Result Files, one item; by URL the simulator fetches the file from tools/fileserver.js in a process of its own; from a binary field the Input node first copies the file into n8n\'s filesystem binary store (included in the RSS figure, as in (e)). RSS growth from a baseline after a warm-up run and GC (n8n-core loaded), peak = max(10 ms samples, VmHWM reset at the baseline), over the whole workflow; the upload phase ends when the POST that creates the job is answered (seen through node:http\'s diagnostics channel), and its peak is read then. Upload throughput: node start (n8n\'s startTime) → that answer, against the faster of two raw undici clients on one connection (FormData with fs.openAsBlob; a hand-written multipart body read from disk in 1 MiB reads) posting the same fields and bytes to /api/media/convert. Download: the GET of the result → node end, against raw undici reading the job and streaming the same result to a file. Every byte checked by sha256: the input the simulator received (or fetched), and the result in n8n\'s store.',
	};
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.child) return await childMain(children, args.child, JSON.parse(args.args));
	if (args.serve) return await serve(JSON.parse(args.serve));

	const only = (args.only ?? 'h,i').split(',');
	const hRounds = Number(args['h-rounds'] ?? 2);
	const rounds = Number(args.rounds ?? 3);
	const hItems = Number(args['h-items'] ?? 100);
	const size = args['size-mb'] ? Number(args['size-mb']) * MiB : GiB;
	const full = only.includes('h') && only.includes('i') && hItems === 100 && size === GiB && hRounds >= 2 && rounds >= 2;

	const tmpRoot = os.tmpdir();
	// The input, the simulator's copy, n8n's copy, the result in n8n and a raw client's copy.
	checkFreeSpace(tmpRoot, only.includes('i') ? 5 * size : GiB);
	const workDir = processes.start(tmpRoot, 'convertly-bench-media-');

	const { DEMO_API_KEY } = require('../simulator');
	const results = {
		...resultsHead(),
		rounds: { h: hRounds, i: rounds },
	};
	const sim = await processes.simulatorProcess();
	const common = { simUrl: sim.url, apiKey: DEMO_API_KEY };
	let files;
	try {
		if (only.includes('h')) {
			out(`Running (h): ${hItems} × 1 MiB, Media Tool thumbnail (sync, ${H_PROCESSING_MS} ms each), ${hRounds} rounds (item after item takes about a minute) …`);
			results.h = await caseH(sim, common, hItems, hRounds);
		}
		if (only.includes('i')) {
			out(`Running (i): Media Tool convert of a ${(size / MiB).toFixed(0)} MiB video in background, by URL and from a binary field, ${rounds} rounds …`);
			const file = path.join(workDir, 'input.mp4');
			const warm = path.join(workDir, 'warm-up.mp4');
			await writePatternFile(file, size);
			await writePatternFile(warm, 4096);
			const expected = await expectedBytes(size);
			files = await fileServerProcess({ '/input.mp4': file, '/warm-up.mp4': warm });
			files.file = file;
			results.i = await caseI(sim, files, common, size, rounds, expected);
		}
	} finally {
		await files?.stop();
		await sim.stop();
		processes.cleanUp();
	}
	results.machineAfter = machineAfter();

	const rows = [];
	if (results.h) {
		const r = results.h;
		const best = r.runs.reduce((a, b) => (b.ratioToIdeal < a.ratioToIdeal ? b : a));
		rows.push([
			`(h) ${hItems} × 1 MiB, thumbnail sync, ${H_PROCESSING_MS} ms each, Max Concurrency 5: node / ideal`,
			`${fmt(best.node.nodeMs / 1000)} s / ${fmt(best.idealMs / 1000)} s = ${fmt(r.ratioToIdeal.min)}× (runs ${range(r.ratioToIdeal)}×)`,
			'≤ 1.2×',
			r.pass,
		]);
		rows.push([
			'(h) same work item after item (node, one item per execution)',
			`${fmt(best.sequential.nodeMs / 1000, 1)} s: ${range(r.speedUpOverSequential, 1, '×')} slower`,
			'for comparison',
			true,
		]);
	}
	if (results.i) {
		const r = results.i;
		const sizeLabel = size === GiB ? '1 GiB' : `${(size / MiB).toFixed(0)} MiB`;
		rows.push([
			`(i) convert ${sizeLabel} by URL, background + wait + download: peak RSS growth (upload phase)`,
			`${range(r.url.growthMb, 0, ' MB')} (${range(r.url.uploadPhaseGrowthMb, 0, ' MB')})`,
			'< 50 MB',
			r.url.pass,
		]);
		rows.push([
			`(i) convert ${sizeLabel} from a binary field: peak RSS growth (upload phase)`,
			`${range(r.binary.growthMb, 0, ' MB')} (${range(r.binary.uploadPhaseGrowthMb, 0, ' MB')})`,
			'< 100 MB',
			r.binary.growthMb.max < 100,
		]);
		rows.push([
			`(i) the same: upload throughput, node / raw undici (best of ${r.runs.length} each)`,
			`${fmt(r.binary.nodeMBps, 0)} / ${fmt(r.binary.rawMBps, 0)} MiB/s = ${fmt(r.binary.ratio)}× (rounds ${range(r.binary.ratioPerRound)}×)`,
			'≥ 0.7×',
			r.binary.ratio >= 0.7,
		]);
		rows.push([
			`(i) download of the ${fmt(r.resultBytes / MiB, 0)} MiB result: node / raw undici`,
			`${range(r.download.nodeMBps, 0)} / ${range(r.download.rawMBps, 0)} MiB/s`,
			'for comparison',
			true,
		]);
	}
	printTable(rows);
	writeResults('media', full, results);
}

runMain(main, processes);
