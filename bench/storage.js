#!/usr/bin/env node
'use strict';
// Convertly Storage benchmark: the File resource in n8n's real engine (BinaryDataService in
// filesystem mode, the n8n default) against the local simulator. Prints a table and writes
// bench/results/storage-latest.json.
//   (j) File → Upload of a 1 GiB file through the 3-step path (POST /api/uploads, PUT to the signed
//       URL on the storage origin without the API key, POST /api/uploads/complete): peak RSS growth
//       of the process running the node, and throughput against raw undici doing the same 3 steps
//       (its own signed URL from POST /api/uploads, the PUT streamed from disk, then complete). The
//       stored bytes of both are checked: the sha256 the simulator computed while writing the PUT to
//       disk (uploadRecords) and the stored file's record, against the sha256 of the input file.
//   (k) File → Get Many with Return All over 10,000 seeded files: requests counted in the simulator's
//       request log (target ⌈10,000 / 100⌉ + at most 1), node wall time against raw undici paging the
//       same list with the same page size (reported as node / raw).
// The simulator runs in a child process of its own and every measured client in a fresh child
// process, so each RSS figure is that client's alone (the same set-up as bench/files.js (e)).
//
// Usage: node bench/storage.js [--only j,k] [--rounds N] (default 3) [--size-mb N] (a quick try).
// Only a full run (both cases, 1 GiB, 2 rounds or more) writes storage-latest.json; others write
// bench/results/storage-partial.json.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
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
	spread,
	assertThat,
	throughputSummary,
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

const K_FILES = 10_000;
const PAGE_SIZE = 100; // LIST_LIMITS.pageSize in nodes/Convertly/actions/common.descriptions.ts
const WARM_UP_BYTES = 9 * MiB; // above the node's 8 MiB switch: the warm-up takes the 3-step path too
const UPLOAD_MIME = 'video/mp4';
// This benchmark's JSON has no V8 heap / external breakdown of the memory (see measured() in lib.js).
const measuredRss = (work) => measured(work, { parts: false });

// ---------------------------------------------------------------------------------------------
// Children: each measures one client in a fresh process and prints one JSON line.

const uploadParameters = { resource: 'file', operation: 'upload', binaryPropertyName: 'data' };
const getAllParameters = { resource: 'file', operation: 'getAll', returnAll: true };

const children = {
	/** (j) node: File → Upload of the big file (copied into n8n's binary store by the Input node first). */
	async jNode(args) {
		const engine = require('../tools/engine');
		const warm = path.join(args.dir, 'warm-up.mp4');
		await writePatternFile(warm, WARM_UP_BYTES);
		const item = (file, name) => ({ json: { name }, binary: { data: { path: file, fileName: name, mimeType: UPLOAD_MIME } } });
		await runNode(engine, args, uploadParameters, [item(warm, 'warm-up.mp4')]);
		fs.rmSync(warm, { force: true });
		await admin(args.simUrl, '/reset', {});
		const { value, wallMs, cpuBetween, memory: mem } = await measuredRss(() => runNode(engine, args, uploadParameters, [item(args.file, 'input.mp4')]));
		const stored = value.items[0]?.json ?? {};
		// The Convertly node's own CPU time (its 3 steps, as the raw client's cpuMs), without the Input node's copy into n8n's store.
		const nodeCpuMs = cpuBetween(value.nodeStartedAt, value.nodeStartedAt + value.nodeMs);
		return { nodeMs: value.nodeMs, inputNodeMs: value.inputMs, workflowMs: wallMs, nodeCpuMs, fileId: stored.id, sizeBytes: stored.size_bytes ?? stored.sizeBytes, ...mem };
	},

	/** (j) raw: undici doing the same 3 steps, the PUT streamed from disk (`args.readKiB` per read). */
	async jRaw(args) {
		const { request, Agent } = require('undici');
		const dispatcher = new Agent({ connections: 1 });
		const headers = { authorization: `Bearer ${args.apiKey}`, 'content-type': 'application/json' };
		const json = async (response, step) => {
			const body = await response.body.json();
			if (response.statusCode >= 300) throw new Error(`raw ${step}: ${response.statusCode} ${JSON.stringify(body)}`);
			return body;
		};
		const upload = async (file, name) => {
			const size = fs.statSync(file).size;
			const started = await json(
				await request(`${args.simUrl}/api/uploads`, {
					method: 'POST',
					headers,
					body: JSON.stringify({ filename: name, sizeBytes: size, contentType: UPLOAD_MIME, folderId: null }),
					dispatcher,
				}),
				'POST /api/uploads',
			);
			// No API key at the storage origin, as the node does.
			await json(
				await request(started.upload.signedUrl, {
					method: 'PUT',
					headers: { 'content-type': UPLOAD_MIME, 'content-length': String(size) },
					body: fs.createReadStream(file, { highWaterMark: args.readKiB * 1024 }),
					dispatcher,
				}),
				'PUT signed URL',
			);
			return await json(
				await request(`${args.simUrl}${started.complete.url}`, { method: 'POST', headers, body: JSON.stringify(started.complete.body), dispatcher }),
				'POST /api/uploads/complete',
			);
		};
		const warm = path.join(args.dir, 'warm-up.mp4');
		await writePatternFile(warm, WARM_UP_BYTES);
		await upload(warm, 'warm-up.mp4');
		fs.rmSync(warm, { force: true });
		await admin(args.simUrl, '/reset', {});
		const { value, wallMs, memory: mem } = await measuredRss(() => upload(args.file, 'input.mp4'));
		await dispatcher.close();
		return { variant: `${args.readKiB} KiB reads`, rawMs: wallMs, fileId: value.file?.id, sizeBytes: value.file?.size_bytes ?? value.file?.sizeBytes, ...mem };
	},

	/** (k) node: File → Get Many, Return All, over the seeded library (seeded by the parent). */
	async kNode(args) {
		const engine = require('../tools/engine');
		await admin(args.simUrl, '/storage/seed', { count: 150 });
		await runNode(engine, args, getAllParameters, [{}]);
		await admin(args.simUrl, '/reset', {});
		await admin(args.simUrl, '/storage/seed', { count: args.count });
		const { value, wallMs, memory: mem } = await measuredRss(() => runNode(engine, args, getAllParameters, [{}]));
		const ids = value.items.map((entry) => entry.json.id);
		return { nodeMs: value.nodeMs, workflowMs: wallMs, items: ids.length, distinct: new Set(ids).size, firstId: ids[0], lastId: ids[ids.length - 1], ...mem };
	},

	/** (k) raw: undici paging GET /api/files with the same page size until hasMore is false. */
	async kRaw(args) {
		const { request, Agent } = require('undici');
		const dispatcher = new Agent({ connections: 1 });
		const headers = { authorization: `Bearer ${args.apiKey}` };
		const listAll = async () => {
			const files = [];
			for (let offset = 0; ; ) {
				const response = await request(`${args.simUrl}/api/files?limit=${PAGE_SIZE}&offset=${offset}`, { headers, dispatcher });
				const body = await response.body.json();
				if (response.statusCode !== 200) throw new Error(`raw list: ${response.statusCode} ${JSON.stringify(body)}`);
				files.push(...body.files);
				offset += body.files.length;
				if (!body.pagination?.hasMore || body.files.length === 0) return files;
			}
		};
		await admin(args.simUrl, '/storage/seed', { count: 150 });
		await listAll();
		await admin(args.simUrl, '/reset', {});
		await admin(args.simUrl, '/storage/seed', { count: args.count });
		const { value, wallMs, memory: mem } = await measuredRss(listAll);
		await dispatcher.close();
		const ids = value.map((file) => file.id);
		return { rawMs: wallMs, items: ids.length, distinct: new Set(ids).size, firstId: ids[0], lastId: ids[ids.length - 1], ...mem };
	},
};

// ---------------------------------------------------------------------------------------------
// Parent: the simulator process, the children, checks, the table and the JSON.

const processes = benchProcesses(__filename);
const { child } = processes;

/** The simulator's view of the one 3-step upload just made: bytes, sha256, no key at storage, one stored file. */
async function checkUpload(sim, label, size, sha256, result) {
	const { uploads } = await admin(sim.url, '/storage/uploads');
	const { files } = await admin(sim.url, '/storage/files');
	const { log } = await admin(sim.url, '/stats');
	assertThat(uploads.length === 1, `${label}: ${uploads.length} uploads started, expected 1`);
	const [upload] = uploads;
	assertThat(upload.puts.length === 1, `${label}: ${upload.puts.length} PUTs, expected 1`);
	const [put] = upload.puts;
	assertThat(put.status === 200 && put.bytesReceived === size, `${label}: PUT ${put.status} with ${put.bytesReceived} bytes, expected 200 with ${size}`);
	assertThat(!put.withKey && !upload.keyAtStorage, `${label}: the API key reached the storage origin`);
	assertThat(put.sha256 === sha256, `${label}: PUT sha256 ${put.sha256}, expected ${sha256}`);
	assertThat(upload.completeCalls === 1 && upload.fileId, `${label}: complete called ${upload.completeCalls} times, file ${upload.fileId}`);
	assertThat(files.length === 1, `${label}: ${files.length} stored files, expected 1`);
	const [file] = files;
	assertThat(file.id === upload.fileId && file.origin === 'presigned', `${label}: the stored file is not the upload's`);
	assertThat(file.sizeBytes === size && file.sha256 === sha256, `${label}: stored ${file.sizeBytes} bytes, sha256 ${file.sha256}`);
	assertThat(result.fileId === file.id && result.sizeBytes === size, `${label}: the answer names ${result.fileId} (${result.sizeBytes} bytes), stored ${file.id}`);
	const apiCalls = log.map((entry) => `${entry.method} ${entry.path.split('?')[0]}`);
	assertThat(
		JSON.stringify(apiCalls) === JSON.stringify(['POST /api/uploads', 'POST /api/uploads/complete']),
		`${label}: API requests ${JSON.stringify(apiCalls)}`,
	);
	await admin(sim.url, '/reset', {});
	return { putSha256: put.sha256, storedSha256: file.sha256, bytes: file.sizeBytes, apiRequests: apiCalls, putWithKey: put.withKey };
}

/**
 * CPU ms the simulator process has used so far (Linux /proc, clock ticks of 10 ms), or undefined
 * elsewhere: the receiving side of the PUT (its sha256 and its disk writes) costs both clients alike.
 */
function simulatorCpuMs(sim) {
	try {
		const fields = fs.readFileSync(`/proc/${sim.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(fields[11]) + Number(fields[12])) * 10;
	} catch {
		return undefined;
	}
}

/** Runs a (j) client and adds the simulator's CPU ms during it (`simulatorCpuMs`). */
async function withSimulatorCpu(sim, run) {
	const before = simulatorCpuMs(sim);
	const result = await run();
	const after = simulatorCpuMs(sim);
	return { ...result, simulatorCpuMs: before === undefined || after === undefined ? null : after - before };
}

async function caseJ(sim, common, file, size, rounds) {
	out('  hashing the input file …');
	const { sha256 } = await sha256File(file);
	const runs = [];
	for (let round = 0; round < rounds; round++) {
		// Node first in odd rounds, last in even ones: a load that rises or falls during a round
		// (another job on the machine) does not always favour the same client.
		const runNodeClient = async () => {
			const result = await withSimulatorCpu(sim, () => child('jNode', { ...common, file }));
			return { node: result, nodeCheck: await checkUpload(sim, '(j) node', size, sha256, result) };
		};
		const nodeFirst = round % 2 === 0;
		const order = nodeFirst ? 'node first' : 'raw first';
		const first = nodeFirst ? await runNodeClient() : undefined;
		const rawClients = [];
		for (const readKiB of [64, 1024]) {
			const raw = await withSimulatorCpu(sim, () => child('jRaw', { ...common, file, readKiB }));
			raw.check = await checkUpload(sim, `(j) raw ${readKiB} KiB`, size, sha256, raw);
			rawClients.push(raw);
		}
		const { node, nodeCheck } = first ?? (await runNodeClient());
		const raw = rawClients.reduce((a, b) => (b.rawMs < a.rawMs ? b : a));
		const nodeMBps = size / MiB / (node.nodeMs / 1000);
		const rawMBps = size / MiB / (raw.rawMs / 1000);
		const load = os.loadavg()[0];
		runs.push({ order, load, node: { ...node, check: nodeCheck }, raw, rawClients, nodeMBps, rawMBps, ratio: nodeMBps / rawMBps });
		const each = rawClients.map((client) => `${client.variant} ${(size / MiB / (client.rawMs / 1000)).toFixed(0)}`).join(', ');
		const cpu = [node.nodeCpuMs, ...rawClients.map((client) => client.cpuMs)].map((ms) => (ms / 1000).toFixed(2)).join(' / ');
		out(
			`  (j) round ${round + 1} (${order}): node ${nodeMBps.toFixed(0)} MiB/s, raw ${rawMBps.toFixed(0)} MiB/s (${each}) = ${(nodeMBps / rawMBps).toFixed(2)}×, node RSS growth ${node.growthMb.toFixed(1)} MB; CPU s node's 3 steps / raw 64 KiB / raw 1 MiB ${cpu} (node's whole workflow with the Input node's copy ${(node.cpuMs / 1000).toFixed(2)}); simulator CPU s node / raw 64 KiB / raw 1 MiB ${[node, ...rawClients].map((client) => (client.simulatorCpuMs === null ? '?' : (client.simulatorCpuMs / 1000).toFixed(1))).join(' / ')}; load ${load.toFixed(1)}`,
		);
	}
	const summary = throughputSummary(size, runs, {
		sha256,
		method:
			"node: File → Upload of one item whose file is in n8n's filesystem binary store (≥ 8 MiB: POST /api/uploads, PUT to the signed storage-origin URL without the key, POST /api/uploads/complete), timed by n8n's executionTime of the node; raw: undici request() on one connection doing the same 3 steps (its own signed URL, the PUT body an fs read stream, 64 KiB or 1 MiB reads, the faster counts); each in a fresh process after a 9 MiB 3-step warm-up, simulator in another; RSS growth from a baseline after warm-up and GC (n8n-core loaded), peak = max(10 ms samples, VmHWM reset at the baseline), over the whole workflow (the Input node copying the file into n8n's store included); every upload checked in the simulator: one PUT of all bytes without the key, its sha256 and the stored file's sha256 equal to the input file's, one complete, one stored file; rounds alternate which client goes first; CPU: the raw client's over its 3 steps, the node's over the Convertly node's own run (nodeCpuSecondsPerGiB, from 10 ms process.cpuUsage samples between its startTime and end) and over the whole workflow (cpuSecondsPerGiB.node, the Input node's copy of the file into n8n's store included)",
	});
	// CPU seconds per GiB of the Convertly node alone (its 3 steps), comparable with cpuSecondsPerGiB.raw.
	summary.nodeCpuSecondsPerGiB = spread(runs.map((run) => run.node.nodeCpuMs / 1000 / (size / GiB)));
	summary.loadPerRound = spread(runs.map((run) => run.load));
	// The simulator's CPU seconds per GiB while each client ran (whole child, warm-up included): the receiving side.
	if (runs.every((run) => run.node.simulatorCpuMs !== null && run.raw.simulatorCpuMs !== null)) {
		summary.simulatorCpuSecondsPerGiB = {
			node: spread(runs.map((run) => run.node.simulatorCpuMs / 1000 / (size / GiB))),
			raw: spread(runs.map((run) => run.raw.simulatorCpuMs / 1000 / (size / GiB))),
		};
	}
	return summary;
}

async function listRequests(sim) {
	const { log } = await admin(sim.url, '/stats');
	return log.filter((entry) => entry.method === 'GET' && entry.path.split('?')[0] === '/api/files');
}

async function caseK(sim, common, rounds) {
	const runs = [];
	const maxRequests = Math.ceil(K_FILES / PAGE_SIZE) + 1;
	for (let round = 0; round < rounds; round++) {
		const node = await child('kNode', { ...common, count: K_FILES });
		const nodeLists = await listRequests(sim);
		const { files } = await admin(sim.url, '/storage/files');
		await admin(sim.url, '/reset', {});
		assertThat(node.items === K_FILES && node.distinct === K_FILES, `(k) node: ${node.items} items (${node.distinct} distinct), expected ${K_FILES}`);
		assertThat(node.firstId === files[0].id && node.lastId === files[files.length - 1].id, '(k) node: the items are not the library newest first');
		assertThat(nodeLists.length <= maxRequests, `(k) node: ${nodeLists.length} list requests, at most ${maxRequests} allowed`);
		const pageSizes = [...new Set(nodeLists.map((entry) => new URL(`http://x${entry.path}`).searchParams.get('limit')))];

		const raw = await child('kRaw', { ...common, count: K_FILES });
		const rawLists = await listRequests(sim);
		await admin(sim.url, '/reset', {});
		assertThat(raw.items === K_FILES && raw.distinct === K_FILES, `(k) raw: ${raw.items} items`);

		runs.push({
			node: { ...node, requests: nodeLists.length, pageSizes, statuses: [...new Set(nodeLists.map((entry) => entry.status))] },
			raw: { ...raw, requests: rawLists.length },
			ratio: node.nodeMs / raw.rawMs,
		});
		out(
			`  (k) round ${round + 1}: node ${nodeLists.length} requests (limit ${pageSizes.join(',')}) ${(node.nodeMs / 1000).toFixed(2)} s (workflow ${(node.workflowMs / 1000).toFixed(2)} s), raw ${rawLists.length} requests ${(raw.rawMs / 1000).toFixed(2)} s = ${(node.nodeMs / raw.rawMs).toFixed(2)}×; CPU s node / raw ${(node.cpuMs / 1000).toFixed(2)} / ${(raw.cpuMs / 1000).toFixed(2)}; node RSS growth ${node.growthMb.toFixed(0)} MB; load ${os.loadavg()[0].toFixed(1)}`,
		);
	}
	const requests = spread(runs.map((run) => run.node.requests));
	const best = { nodeMs: Math.min(...runs.map((run) => run.node.nodeMs)), rawMs: Math.min(...runs.map((run) => run.raw.rawMs)) };
	return {
		files: K_FILES,
		pageSize: PAGE_SIZE,
		maxRequests,
		runs,
		requests,
		best,
		ratio: best.nodeMs / best.rawMs,
		ratioPerRound: spread(runs.map((run) => run.ratio)),
		cpuMs: { node: spread(runs.map((run) => run.node.cpuMs)), raw: spread(runs.map((run) => run.raw.cpuMs)) },
		method:
			"node: File → Get Many with Return All (one input item) over 10,000 files seeded in the simulator, timed by n8n's executionTime of the node; requests = GET /api/files in the simulator's request log; raw: undici request() on one connection paging GET /api/files?limit=100&offset=… until hasMore is false, parsing every page; each in a fresh process after a warm-up over 150 files, simulator in another; the node's items checked: 10,000 distinct, newest first as stored",
		target: `requests <= ceil(${K_FILES} / ${PAGE_SIZE}) + 1 = ${maxRequests} in every run; node / raw wall time reported (best of each)`,
		pass: requests.max <= maxRequests,
	};
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.child) return await childMain(children, args.child, JSON.parse(args.args));

	const rounds = Number(args.rounds ?? 3);
	const only = (args.only ?? 'j,k').split(',');
	for (const name of only) if (!['j', 'k'].includes(name)) throw new Error(`--only takes j and k, not "${name}"`);
	const size = args['size-mb'] ? Number(args['size-mb']) * MiB : GiB;
	const full = size === GiB && rounds >= 2 && only.includes('j') && only.includes('k');

	const tmpRoot = os.tmpdir();
	checkFreeSpace(tmpRoot, only.includes('j') ? 4 * size : GiB);
	const workDir = processes.start(tmpRoot, 'convertly-bench-storage-');

	const { DEMO_API_KEY } = require('../simulator');
	const results = {
		...resultsHead(),
		rounds,
	};
	const sim = await processes.simulatorProcess();
	const common = { simUrl: sim.url, apiKey: DEMO_API_KEY };
	try {
		if (only.includes('j')) {
			out(`Running (j): File → Upload of a ${(size / MiB).toFixed(0)} MiB file (3-step), ${rounds} rounds …`);
			const file = path.join(workDir, 'input.mp4');
			await writePatternFile(file, size);
			results.j = await caseJ(sim, common, file, size, rounds);
			fs.rmSync(file, { force: true });
		}
		if (only.includes('k')) {
			out(`Running (k): File → Get Many, Return All over ${K_FILES.toLocaleString('en-US')} files, ${rounds} rounds …`);
			results.k = await caseK(sim, common, rounds);
		}
	} finally {
		await sim.stop();
		processes.cleanUp();
	}
	results.machineAfter = machineAfter();

	const rows = [];
	if (results.j) {
		const r = results.j;
		const label = `(j) File → Upload, ${size === GiB ? '1 GiB' : `${(size / MiB).toFixed(0)} MiB`} (3-step)`;
		rows.push([`${label}: peak RSS growth of the node's process`, range(r.growthMb, 0, ' MB'), '< 100 MB', r.growthMb.max < 100]);
		rows.push([
			`${label}: node / raw undici 3-step throughput (best of ${r.runs.length} each)`,
			`${fmt(r.nodeMBps, 0)} / ${fmt(r.rawMBps, 0)} MiB/s = ${fmt(r.ratio)}× (rounds ${range(r.ratioPerRound)}×)`,
			'≥ 0.7×',
			r.ratio >= 0.7,
		]);
	}
	if (results.k) {
		const r = results.k;
		rows.push([`(k) File → Get Many, Return All, ${K_FILES.toLocaleString('en-US')} files: list requests`, range(r.requests, 0), `≤ ${r.maxRequests}`, r.pass]);
		rows.push([
			'(k) the same: node / raw undici paging wall time (best of each)',
			`${fmt(r.best.nodeMs / 1000)} s / ${fmt(r.best.rawMs / 1000)} s = ${fmt(r.ratio)}× (rounds ${range(r.ratioPerRound)}×)`,
			'reported',
			true,
		]);
	}
	printTable(rows);
	writeResults('storage', full, results);
}

runMain(main, processes);
