'use strict';
// What the file benchmarks (bench/files.js (e)–(g), bench/media.js (h)–(i), bench/storage.js
// (j)–(k)) share: arguments, the simulator's admin routes, the RSS measurement of a client process,
// running the node in n8n's engine, byte checks and hashes, the raw clients' worker pool and
// multipart bodies, the parent's bookkeeping (a temp folder, the simulator in a process of its own,
// one fresh child process per measured client, everything stopped and removed at the end) and its
// report (the throughput summary, the table, the results JSON).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { createHash } = require('node:crypto');
const { Readable } = require('node:stream');
const { pipeline } = require('node:stream/promises');

const RESULTS_DIR = path.join(__dirname, 'results');
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const out = (line = '') => process.stdout.write(`${line}\n`);

function parseArgs(argv) {
	const args = {};
	for (let i = 0; i < argv.length; i++) {
		const match = /^--([a-z-]+)$/.exec(argv[i]);
		if (!match) throw new Error(`Unexpected argument "${argv[i]}"`);
		args[match[1]] = argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[++i] : 'true';
	}
	return args;
}

async function admin(simUrl, route, body) {
	const response = await fetch(`${simUrl}/__simulator${route}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const json = await response.json();
	if (!response.ok) throw new Error(`simulator admin ${route}: ${response.status} ${JSON.stringify(json)}`);
	return json;
}

// ---------------------------------------------------------------------------------------------
// In a child: measuring one client.

/** RSS of this process, and its high-water mark since the last reset (Linux), in bytes. */
const memory = {
	rss: () => process.memoryUsage().rss,
	resetPeak() {
		try {
			fs.writeFileSync('/proc/self/clear_refs', '5');
			return true;
		} catch {
			return false;
		}
	},
	kernelPeak() {
		try {
			const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
			return match ? Number(match[1]) * 1024 : undefined;
		} catch {
			return undefined;
		}
	},
};

/**
 * Measures `work` from a baseline taken after warm-up and a full GC: RSS sampled every 10 ms, and
 * the kernel's high-water mark (VmHWM, reset at the baseline) so that no short peak is missed.
 * `work` gets a `peakSoFar()` that reads both at that moment (a phase's own peak).
 * `parts: false` leaves out where the memory is (atBaseline, atSampledPeak), as bench/storage.js reports.
 */
async function measured(work, { parts: withParts = true } = {}) {
	global.gc?.();
	await new Promise((resolve) => setTimeout(resolve, 50));
	global.gc?.();
	// Where the memory is (V8 heap, Buffers and other memory outside it), at the baseline and at the highest sample.
	const parts = (usage) => ({ heapUsedMb: usage.heapUsed / MiB, externalMb: usage.external / MiB, arrayBuffersMb: usage.arrayBuffers / MiB });
	const baselineUsage = process.memoryUsage();
	const baseline = baselineUsage.rss;
	const peakReset = memory.resetPeak();
	let sampled = baseline;
	let sampledUsage = baselineUsage;
	// CPU time (user + system, µs) at each sample, for cpuBetween(): a phase's own CPU time.
	const cpuSamples = [];
	const sample = () => {
		const cpuNow = process.cpuUsage();
		cpuSamples.push([Date.now(), cpuNow.user + cpuNow.system]);
		const usage = process.memoryUsage();
		if (usage.rss > sampled) {
			sampled = usage.rss;
			sampledUsage = usage;
		}
	};
	const sampler = setInterval(sample, 10);
	const peakSoFar = () => {
		sample();
		const kernel = peakReset ? memory.kernelPeak() : undefined;
		const peak = Math.max(sampled, kernel ?? 0);
		return {
			peakRssMb: peak / MiB,
			growthMb: (peak - baseline) / MiB,
			sampledPeakRssMb: sampled / MiB,
			kernelPeakRssMb: kernel === undefined ? null : kernel / MiB,
			...(withParts ? { atSampledPeak: parts(sampledUsage) } : {}),
		};
	};
	const startedAt = performance.now();
	const cpuBefore = process.cpuUsage();
	sample();
	let value;
	try {
		value = await work({ peakSoFar });
	} finally {
		clearInterval(sampler);
	}
	const wallMs = performance.now() - startedAt;
	const cpu = process.cpuUsage(cpuBefore);
	const peak = peakSoFar();
	/**
	 * CPU ms this process spent between two epoch-ms times (e.g. one node's startTime and its end),
	 * from the 10 ms samples: the last sample at or before `from` to the first at or after `to`, so
	 * at most about 20 ms of CPU too much.
	 */
	const cpuBetween = (from, to) => {
		const before = cpuSamples.filter(([at]) => at <= from).pop() ?? cpuSamples[0];
		const after = cpuSamples.find(([at]) => at >= to) ?? cpuSamples[cpuSamples.length - 1];
		return before && after ? (after[1] - before[1]) / 1000 : undefined;
	};
	return {
		value,
		wallMs,
		cpuBetween,
		memory: {
			// CPU time this process spent (user + system): unlike wall time, barely moved by other load.
			cpuMs: (cpu.user + cpu.system) / 1000,
			baselineRssMb: baseline / MiB,
			...(withParts ? { atBaseline: parts(baselineUsage) } : {}),
			...peak,
		},
	};
}

/** Runs the node in n8n's engine; the node's own time is what n8n records for it (executionTime). */
async function runNode(engine, { simUrl, apiKey }, parameters, items) {
	const result = await engine.runConvertly({ parameters, credentials: { apiKey, baseUrl: simUrl }, items }).done;
	if (result.status !== 'success') throw new Error(`node run failed: ${result.error?.message} ${result.error?.description ?? ''}`);
	const runData = result.run.data.resultData.runData;
	return {
		items: result.items,
		nodeMs: runData.Node[0].executionTime,
		nodeStartedAt: runData.Node[0].startTime,
		inputMs: runData.Input[0].executionTime,
	};
}

/** null when `file` is `size` bytes of the simulator's pattern (byte i = i % 251), else what is wrong. */
async function checkPatternFile(file, size) {
	const { checkPattern } = require('../simulator');
	const stat = fs.statSync(file);
	if (stat.size !== size) return `size ${stat.size}, expected ${size}`;
	let offset = 0;
	for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 * MiB })) {
		const bad = checkPattern(chunk, offset);
		if (bad !== -1) return `byte ${offset + bad} breaks the pattern`;
		offset += chunk.length;
	}
	return null;
}

async function writePatternFile(file, size) {
	const { patternStream } = require('../simulator/results');
	await pipeline(patternStream(size), fs.createWriteStream(file));
}

/** The size and sha256 (hex) of a file, read in 4 MiB chunks. */
async function sha256File(file) {
	const hash = createHash('sha256');
	let bytes = 0;
	for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 * MiB })) {
		hash.update(chunk);
		bytes += chunk.length;
	}
	return { bytes, sha256: hash.digest('hex') };
}

/** Runs `work(0)` … `work(count - 1)`, at most `concurrency` at a time; resolves to their results in order. */
async function pool(count, concurrency, work) {
	const results = new Array(count);
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < count) {
				const index = next++;
				results[index] = await work(index);
			}
		}),
	);
	return results;
}

/**
 * The two raw multipart clients of (e) and (i): `fields`, then `file` (video/mp4) as the part
 * `fileField` named `fileName`; each resolves to the { body, headers } to give undici's request().
 * - formData: undici FormData with a file-backed Blob (fs.openAsBlob);
 * - streamed: the body written by hand, the file streamed from disk.
 */
const multipartBody = {
	async formData(fields, fileField, file, fileName) {
		const { FormData } = require('undici');
		const form = new FormData();
		for (const [field, value] of Object.entries(fields)) form.append(field, value);
		form.append(fileField, await fs.openAsBlob(file, { type: 'video/mp4' }), fileName);
		return { body: form, headers: {} };
	},
	async streamed(fields, fileField, file, fileName) {
		const boundary = `----convertly-bench-${process.pid}-${Date.now()}`;
		const head = Buffer.from(
			Object.entries(fields)
				.map(([field, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n${value}\r\n`)
				.join('') +
				`--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="${fileName}"\r\nContent-Type: video/mp4\r\n\r\n`,
		);
		const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
		const body = Readable.from(
			(async function* () {
				yield head;
				// 1 MiB reads: the fastest setting for this client on this machine (64 KiB reads were slower).
				yield* fs.createReadStream(file, { highWaterMark: MiB });
				yield tail;
			})(),
		);
		const headers = {
			'content-type': `multipart/form-data; boundary=${boundary}`,
			'content-length': String(head.length + fs.statSync(file).size + tail.length),
		};
		return { body, headers };
	},
};

// ---------------------------------------------------------------------------------------------
// In the parent.

function spread(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return {
		min: sorted[0],
		max: sorted[sorted.length - 1],
		median: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2,
		runs: values,
	};
}

function assertThat(condition, message) {
	if (!condition) throw new Error(`Bench check failed: ${message}`);
}

/**
 * A throughput case over its rounds ((e), (f), (j)): both clients' best throughput (as bench/run.js
 * (c) does), each run's ratio for the spread, CPU seconds per GiB, the node's RSS growth. `head`
 * (e.g. { sha256 }) goes right after `bytes`.
 */
function throughputSummary(size, runs, { method, ...head }) {
	const nodeMBps = Math.max(...runs.map((run) => run.nodeMBps));
	const rawMBps = Math.max(...runs.map((run) => run.rawMBps));
	const growth = spread(runs.map((run) => run.node.growthMb));
	return {
		bytes: size,
		...head,
		runs,
		nodeMBps,
		rawMBps,
		ratio: nodeMBps / rawMBps,
		ratioPerRound: spread(runs.map((run) => run.ratio)),
		// CPU seconds each client spent per GiB (the chosen raw client): steadier than wall time on a shared machine.
		cpuSecondsPerGiB: {
			node: spread(runs.map((run) => run.node.cpuMs / 1000 / (size / GiB))),
			raw: spread(runs.map((run) => run.raw.cpuMs / 1000 / (size / GiB))),
		},
		growthMb: growth,
		method,
		target: 'growthMb < 100 in every run; best node throughput / best raw throughput >= 0.7',
		pass: growth.max < 100 && nodeMBps / rawMBps >= 0.7,
	};
}

/** Throws unless `root` has `needed` bytes free. */
function checkFreeSpace(root, needed) {
	const { bavail, bsize } = fs.statfsSync(root);
	if (bavail * bsize < needed) {
		throw new Error(`${root} has ${((bavail * bsize) / GiB).toFixed(1)} GiB free; this benchmark needs about ${(needed / GiB).toFixed(1)} GiB`);
	}
}

const loadAverages = () => `load ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}`;

/** The head of a results JSON: the date, Node.js and the machine with its load at the start. */
function resultsHead() {
	return {
		date: new Date().toISOString(),
		node: process.version,
		machine: `${os.cpus().length} cores, ${(os.totalmem() / GiB).toFixed(0)} GiB RAM, ${loadAverages()} at start`,
	};
}

/** For `results.machineAfter`. */
const machineAfter = () => `${loadAverages()} at end`;

const fmt = (value, digits = 2) => (typeof value === 'number' ? value.toFixed(digits) : String(value));
/** A spread() as "min–max" (or one value when they are equal). */
const range = (s, digits = 2, unit = '') => (s.min === s.max ? `${fmt(s.min, digits)}${unit}` : `${fmt(s.min, digits)}–${fmt(s.max, digits)}${unit}`);

/** Prints rows of [case, measured, target, met] as a Markdown table. */
function printTable(rows) {
	out();
	out('| case | measured | target | met |');
	out('|---|---|---|---|');
	for (const [name, measuredText, target, pass] of rows) out(`| ${name} | ${measuredText} | ${target} | ${pass ? 'yes' : 'NO'} |`);
}

/** Writes bench/results/<name>-latest.json for a full run, <name>-partial.json for any other. */
function writeResults(name, full, results) {
	fs.mkdirSync(RESULTS_DIR, { recursive: true });
	const target = path.join(RESULTS_DIR, full ? `${name}-latest.json` : `${name}-partial.json`);
	fs.writeFileSync(target, `${JSON.stringify(results, null, 2)}\n`);
	out(`\nWrote ${path.relative(process.cwd(), target)}`);
}

/**
 * Extra Node flags for the measured children, for profiling: BENCH_CHILD_NODE_ARGS (e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof"), given to every child whose mode matches
 * BENCH_CHILD_FILTER (a regular expression; all children when unset). Not for measured runs.
 */
function childNodeArgs(mode) {
	const extra = (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean);
	const filter = process.env.BENCH_CHILD_FILTER;
	return filter && !new RegExp(filter).test(mode) ? [] : extra;
}

/**
 * The parent's bookkeeping for `script` (the file whose `--child <mode>` runs a client): a temp
 * folder, child processes tracked so that a crash or Ctrl-C kills them, and both removed by
 * cleanUp(), which also runs on exit, SIGINT and SIGTERM.
 */
function benchProcesses(script) {
	const running = new Set();
	let workDir;

	function track(proc) {
		running.add(proc);
		proc.once('exit', () => running.delete(proc));
		return proc;
	}

	function cleanUp() {
		for (const proc of running) proc.kill('SIGKILL');
		running.clear();
		if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
		workDir = undefined;
	}

	/** Creates the temp folder (under `root`) and installs the clean-up; returns the folder. */
	function start(root, prefix) {
		workDir = fs.mkdtempSync(path.join(root, prefix));
		for (const signal of ['SIGINT', 'SIGTERM']) {
			process.once(signal, () => {
				cleanUp();
				process.exit(130);
			});
		}
		process.once('exit', cleanUp);
		return workDir;
	}

	/** Spawns `node <script> --child <mode>`; resolves to its JSON, with its own temp folders removed after. */
	async function child(mode, args) {
		const own = fs.mkdtempSync(path.join(workDir, `${mode}-`));
		fs.mkdirSync(path.join(own, 'tmp'));
		fs.mkdirSync(path.join(own, 'n8n'));
		try {
			const proc = track(
				spawn(process.execPath, ['--expose-gc', '--no-warnings', ...childNodeArgs(mode), script, '--child', mode, '--args', JSON.stringify({ ...args, dir: own })], {
					stdio: ['ignore', 'pipe', 'inherit'],
					env: { ...process.env, TMPDIR: path.join(own, 'tmp'), N8N_USER_FOLDER: path.join(own, 'n8n') },
				}),
			);
			let text = '';
			proc.stdout.on('data', (chunk) => (text += chunk));
			const code = await new Promise((resolve) => proc.once('exit', (exitCode, signal) => resolve(exitCode ?? signal)));
			if (code !== 0) throw new Error(`child ${mode} exited with ${code}: ${text.slice(-2000)}`);
			return JSON.parse(text.trim().split('\n').pop());
		} finally {
			fs.rmSync(own, { recursive: true, force: true });
		}
	}

	/** `npm run simulator` in its own process (its uploads in our temp folder), so its memory and CPU time are not the client's. */
	async function simulatorProcess() {
		const fixture = path.join(workDir, 'fixture.json');
		fs.writeFileSync(fixture, JSON.stringify({ jobs: [] }));
		const tmp = path.join(workDir, 'simulator');
		fs.mkdirSync(tmp);
		const { simulatorProcess: startSimulator } = require('./simulator-process');
		return await startSimulator(fixture, { env: { ...process.env, TMPDIR: tmp }, onSpawn: track });
	}

	return {
		start,
		cleanUp,
		child,
		track,
		simulatorProcess,
		get workDir() {
			return workDir;
		},
	};
}

/** In a child: runs `children[mode]` and prints its JSON as the last line of stdout. */
async function childMain(children, mode, args) {
	const result = await children[mode](args);
	process.stdout.write(`\n${JSON.stringify(result)}\n`);
}

/** Runs a script's `main`; on an error prints it, stops `processes` (see benchProcesses) and exits 1. */
function runMain(main, processes) {
	main().catch((error) => {
		process.stderr.write(`${error.stack ?? error}\n`);
		processes.cleanUp();
		process.exit(1);
	});
}

module.exports = {
	MiB,
	GiB,
	out,
	parseArgs,
	admin,
	memory,
	measured,
	runNode,
	checkPatternFile,
	writePatternFile,
	sha256File,
	pool,
	multipartBody,
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
};
