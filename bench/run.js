#!/usr/bin/env node
'use strict';
// `npm run bench`: performance of the Convertly node in n8n's real engine against the local
// simulator. Prints a table and writes bench/results/latest.json (and a timestamped copy).
//   (a) wait mode, 50 jobs finishing at staggered times within 1–5 s: wall time against the
//       ideal (longest job + one poll interval) and against a sequential poller (the JS SDK's
//       jobs.wait run item after item);
//   (b) requests per job during that wait against ceil(duration / pollInterval) + 2;
//   (c) plain Get of 1,000 items: node throughput against raw undici at the same concurrency
//       (each warmed up once, then the best of three runs);
//   (d) peak RSS growth for 10,000 plain Get items (in a fresh child process).

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { Agent, request } = require('undici');
const { startSimulator } = require('../simulator');
const { runConvertly } = require('../tools/engine');
const { simulatorProcess } = require('./simulator-process');

const RESULTS_DIR = path.join(__dirname, 'results');
const out = (line = '') => process.stdout.write(`${line}\n`);

function getParameters(extra = {}) {
	return { resource: 'job', operation: 'get', jobId: '={{ $json.id }}', ...extra };
}

async function runNode(simulator, parameters, items) {
	const startedAt = performance.now();
	const result = await runConvertly({
		parameters,
		credentials: { apiKey: simulator.apiKey, baseUrl: simulator.url },
		items,
	}).done;
	const ms = performance.now() - startedAt;
	if (result.status !== 'success') throw new Error(`node run failed: ${result.error?.message}`);
	return { ms, items: result.items };
}

/** Convertly's JS SDK jobs.wait (2 s interval, 120 s timeout), run for one item after another. */
async function sequentialSdkPoller(simulator, jobIds) {
	const dispatcher = new Agent({ connections: 1 });
	const startedAt = performance.now();
	for (const jobId of jobIds) {
		const waitStart = Date.now();
		for (;;) {
			const response = await request(`${simulator.url}/api/jobs/${encodeURIComponent(jobId)}`, {
				headers: { authorization: `Bearer ${simulator.apiKey}` },
				dispatcher,
			});
			const job = await response.body.json();
			if (job.status === 'completed' || job.status === 'failed') break;
			if (Date.now() - waitStart > 120_000) throw new Error(`Timed out waiting for Convertly job ${jobId}.`);
			await new Promise((resolve) => setTimeout(resolve, 2000));
		}
	}
	const ms = performance.now() - startedAt;
	await dispatcher.close();
	return ms;
}

function staggeredJobs(simulator, count) {
	// Durations spread evenly over 1–5 s, in shuffled order.
	return Array.from({ length: count }, (_, index) => 1000 + Math.round((4000 * ((index * 37) % count)) / (count - 1))).map(
		(processingMs) => ({ processingMs, job: simulator.addJob({ processingMs }) }),
	);
}

async function benchWait(simulator) {
	const pollIntervalSeconds = 2;
	const parameters = getParameters({ waitForCompletion: true, waitOptions: { pollInterval: pollIntervalSeconds, timeout: 60 } });

	simulator.reset();
	const jobs = staggeredJobs(simulator, 50);
	const { ms: nodeMs } = await runNode(simulator, parameters, jobs.map(({ job }) => ({ id: job.jobId })));
	const longest = Math.max(...jobs.map(({ processingMs }) => processingMs));
	const idealMs = longest + pollIntervalSeconds * 1000;
	const perJob = jobs.map(({ job, processingMs }) => ({
		requests: simulator.requestsFor(job.jobId).length,
		bound: Math.ceil(processingMs / (pollIntervalSeconds * 1000)) + 2,
	}));

	simulator.reset();
	const sequentialJobs = staggeredJobs(simulator, 50);
	const sequentialMs = await sequentialSdkPoller(simulator, sequentialJobs.map(({ job }) => job.jobId));

	return {
		a: {
			items: 50,
			pollIntervalSeconds,
			nodeSeconds: nodeMs / 1000,
			idealSeconds: idealMs / 1000,
			ratioToIdeal: nodeMs / idealMs,
			sequentialSdkSeconds: sequentialMs / 1000,
			target: 'ratioToIdeal <= 1.2',
			pass: nodeMs / idealMs <= 1.2,
		},
		b: {
			maxRequestsPerJob: Math.max(...perJob.map((job) => job.requests)),
			worstMarginToBound: Math.min(...perJob.map((job) => job.bound - job.requests)),
			totalRequests: perJob.reduce((sum, job) => sum + job.requests, 0),
			target: 'requests <= ceil(duration / pollInterval) + 2 for every job',
			pass: perJob.every((job) => job.requests <= job.bound),
		},
	};
}

async function rawUndici(simulator, jobIds, concurrency) {
	const dispatcher = new Agent({ connections: concurrency });
	let next = 0;
	const startedAt = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < jobIds.length) {
				const jobId = jobIds[next++];
				const response = await request(`${simulator.url}/api/jobs/${encodeURIComponent(jobId)}`, {
					headers: { authorization: `Bearer ${simulator.apiKey}`, accept: 'application/json' },
					dispatcher,
				});
				await response.body.json();
			}
		}),
	);
	const ms = performance.now() - startedAt;
	await dispatcher.close();
	return ms;
}

async function benchThroughput(latencyMs, targetRatio) {
	const count = 1000;
	const concurrency = 5;
	const ids = Array.from({ length: count }, (_, index) => `throughput-${index}`);
	const fixture = path.join(require('node:os').tmpdir(), `convertly-bench-c-${process.pid}.json`);
	fs.writeFileSync(fixture, JSON.stringify({ jobs: ids.map((jobId) => ({ jobId, processingMs: 0 })) }));
	// The simulator runs in its own process so that it does not take CPU from the clients.
	const simulator = await simulatorProcess(fixture);
	try {
		await request(`${simulator.url}/__simulator/config`, { method: 'POST', body: JSON.stringify({ latencyMs }) });
		const items = ids.map((id) => ({ id }));
		const parameters = getParameters({ options: { maxConcurrency: concurrency } });
		// Both clients get the same treatment: one warm-up run for the JIT, then the best of three.
		const nodeRuns = [];
		const rawRuns = [];
		// CPU time of this process per request: less disturbed by other load than wall time.
		const nodeCpu = [];
		const rawCpu = [];
		const cpuMicros = (since) => {
			const { user, system } = process.cpuUsage(since);
			return (user + system) / count;
		};
		for (let round = 0; round < 4; round++) {
			let since = process.cpuUsage();
			const { ms, items: output } = await runNode(simulator, parameters, items);
			const nodeMicros = cpuMicros(since);
			if (output.length !== count) throw new Error(`expected ${count} items, got ${output.length}`);
			since = process.cpuUsage();
			const raw = await rawUndici(simulator, ids, concurrency);
			const rawMicros = cpuMicros(since);
			if (round > 0) {
				nodeRuns.push(ms);
				rawRuns.push(raw);
				nodeCpu.push(nodeMicros);
				rawCpu.push(rawMicros);
			}
		}
		const nodeMs = Math.min(...nodeRuns);
		const rawMs = Math.min(...rawRuns);
		const nodePerSecond = count / (nodeMs / 1000);
		const rawPerSecond = count / (rawMs / 1000);
		const perSecond = (runs) => runs.map((ms) => Math.round(count / (ms / 1000)));
		return {
			items: count,
			concurrency,
			simulatorLatencyMs: latencyMs,
			nodePerSecond,
			rawUndiciPerSecond: rawPerSecond,
			// Every measured run (after the warm-up), so the spread on a shared machine is visible.
			nodeRunsPerSecond: perSecond(nodeRuns),
			rawUndiciRunsPerSecond: perSecond(rawRuns),
			nodeCpuMicrosPerRequest: Math.round(Math.min(...nodeCpu)),
			rawUndiciCpuMicrosPerRequest: Math.round(Math.min(...rawCpu)),
			ratio: nodePerSecond / rawPerSecond,
			method: 'best of 3 runs after one warm-up run, for each client',
			target: `ratio >= ${targetRatio}`,
			pass: nodePerSecond / rawPerSecond >= targetRatio,
		};
	} finally {
		await simulator.stop();
		fs.rmSync(fixture, { force: true });
	}
}

/** Runs in a child process of its own, with the simulator in another, so RSS is the node's. */
async function rssChild() {
	const count = 10_000;
	const ids = Array.from({ length: count }, (_, index) => `bench-${index}`);
	const fixture = path.join(require('node:os').tmpdir(), `convertly-bench-${process.pid}.json`);
	fs.writeFileSync(fixture, JSON.stringify({ jobs: ids.map((jobId) => ({ jobId, processingMs: 0, totalFiles: 2 })) }));
	const simulator = await simulatorProcess(fixture);
	try {
		await runNode(simulator, getParameters(), ids.slice(0, 20).map((id) => ({ id }))); // load everything first
		global.gc?.();
		const baseline = process.memoryUsage().rss;
		let peak = baseline;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
		const { ms, items } = await runNode(simulator, getParameters(), ids.map((id) => ({ id })));
		peak = Math.max(peak, process.memoryUsage().rss);
		clearInterval(sampler);
		const growthMb = (peak - baseline) / 1024 / 1024;
		process.stdout.write(
			JSON.stringify({
				items: count,
				outputItems: items.length,
				seconds: ms / 1000,
				baselineRssMb: baseline / 1024 / 1024,
				peakRssMb: peak / 1024 / 1024,
				growthMb,
				target: 'growthMb < 150',
				pass: growthMb < 150,
			}),
		);
	} finally {
		await simulator.stop();
		fs.rmSync(fixture, { force: true });
	}
}

/** Issue 13: node / raw undici, best of 3 each, at 0 ms and at 20 ms simulated latency. */
const TARGETS = { c: 0.5, cWithLatency: 0.9 };
const spread = (result) => `runs ${result.nodeRunsPerSecond.join(', ')} / ${result.rawUndiciRunsPerSecond.join(', ')}`;

const fmt = (value, digits = 2) => (typeof value === 'number' ? value.toFixed(digits) : String(value));

async function main() {
	if (process.argv.includes('--rss-child')) return await rssChild();
	// `node bench/run.js --only-c`: only (c), at 0 ms and 20 ms; prints JSON, writes no file.
	if (process.argv.includes('--only-c')) {
		const c = await benchThroughput(0, TARGETS.c);
		const cWithLatency = await benchThroughput(20, TARGETS.cWithLatency);
		for (const [name, result] of [['0 ms', c], ['20 ms', cWithLatency]]) {
			out(
				`(c) ${name}: node ${fmt(result.nodePerSecond, 0)} / raw ${fmt(result.rawUndiciPerSecond, 0)} per s = ${fmt(result.ratio)}× (node runs ${result.nodeRunsPerSecond.join(', ')}; raw runs ${result.rawUndiciRunsPerSecond.join(', ')}; CPU per request: node ${result.nodeCpuMicrosPerRequest} µs, raw ${result.rawUndiciCpuMicrosPerRequest} µs)`,
			);
		}
		return;
	}

	const simulator = await startSimulator();
	const os = require('node:os');
	const results = {
		date: new Date().toISOString(),
		node: process.version,
		machine: `${os.cpus().length} cores`,
		// The machine may be shared: the 1-minute load average when the run started.
		loadAverage: Number(os.loadavg()[0].toFixed(2)),
	};
	try {
		out('Running (a)+(b): wait mode, 50 staggered jobs …');
		Object.assign(results, await benchWait(simulator));
		out('Running (c): plain Get of 1,000 items …');
		results.c = await benchThroughput(0, TARGETS.c);
		results.cWithLatency = await benchThroughput(20, TARGETS.cWithLatency);
	} finally {
		await simulator.close();
	}
	out('Running (d): RSS for 10,000 items in a fresh process …');
	results.d = JSON.parse(execFileSync(process.execPath, ['--expose-gc', __filename, '--rss-child'], { encoding: 'utf8' }));

	const rows = [
		['(a) wait, 50 jobs: node / ideal (longest + 1 poll)', `${fmt(results.a.nodeSeconds)} s / ${fmt(results.a.idealSeconds)} s = ${fmt(results.a.ratioToIdeal)}×`, '≤ 1.2×', results.a.pass],
		['(a) sequential SDK-style poller, same jobs', `${fmt(results.a.sequentialSdkSeconds)} s`, 'for comparison', true],
		['(b) most requests for one job (margin to bound)', `${results.b.maxRequestsPerJob} (≥ ${results.b.worstMarginToBound} under)`, '≤ ceil(d/i)+2', results.b.pass],
		['(c) 1,000 Gets, 0 ms latency: node / raw undici', `${fmt(results.c.nodePerSecond, 0)} / ${fmt(results.c.rawUndiciPerSecond, 0)} per s = ${fmt(results.c.ratio)}× (${spread(results.c)}; CPU ${results.c.nodeCpuMicrosPerRequest} / ${results.c.rawUndiciCpuMicrosPerRequest} µs per request)`, `≥ ${TARGETS.c}×`, results.c.pass],
		['(c) 1,000 Gets, 20 ms latency: node / raw undici', `${fmt(results.cWithLatency.nodePerSecond, 0)} / ${fmt(results.cWithLatency.rawUndiciPerSecond, 0)} per s = ${fmt(results.cWithLatency.ratio)}× (${spread(results.cWithLatency)})`, `≥ ${TARGETS.cWithLatency}×`, results.cWithLatency.pass],
		['(d) 10,000 Gets: peak RSS growth', `${fmt(results.d.growthMb, 0)} MB (peak ${fmt(results.d.peakRssMb, 0)} MB)`, '< 150 MB', results.d.pass],
	];
	out();
	out(`| case | measured | target | met |`);
	out(`|---|---|---|---|`);
	for (const [name, measured, target, pass] of rows) out(`| ${name} | ${measured} | ${target} | ${pass ? 'yes' : 'NO'} |`);

	fs.mkdirSync(RESULTS_DIR, { recursive: true });
	const json = `${JSON.stringify(results, null, 2)}\n`;
	fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), json);
	fs.writeFileSync(path.join(RESULTS_DIR, `${results.date.replace(/[:.]/g, '-')}.json`), json);
	out(`\nWrote ${path.relative(process.cwd(), path.join(RESULTS_DIR, 'latest.json'))}`);
}

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`${error.stack ?? error}\n`);
		process.exit(1);
	});
}

// For profiling scripts: the same runs as the benchmark.
module.exports = { benchThroughput, simulatorProcess, runNode, getParameters };
