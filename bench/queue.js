#!/usr/bin/env node
'use strict';
// Queue-mode benchmark (not a test; not run by CI): executions per minute of a webhook-triggered
// wait-mode workflow (Webhook → Convertly Job → Get, Wait for Completion, poll every second) with
// one worker against two, against the simulator answering after a realistic network latency.
// Also the CPU seconds each part of the stack used per execution, to show what limits it.
//
//   source scripts/n8n-runtime.sh && npm run build && node bench/queue.js
//   (ports 5720–5729 as npm run dev:queue, so not both at once; BENCH_EXECUTIONS, BENCH_LATENCY_MS,
//   BENCH_JOB_MS, BENCH_CONCURRENCY override the defaults below)
//
// Writes bench/results/queue-latest.json.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startSimulator } = require('../simulator');
const {
	FINAL,
	createActiveWorkflow,
	executionRows,
	postWebhook,
	setUpOwner,
	sleep,
	startQueueStack,
	waitForExecutions,
} = require('../e2e/queue-lib');
const { webhookGetWorkflow } = require('../e2e/workflows');

const EXECUTIONS = Number(process.env.BENCH_EXECUTIONS ?? 60);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const JOB_MS = Number(process.env.BENCH_JOB_MS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10); // n8n's default per worker
const ROUNDS = 2;
const out = (line = '') => process.stdout.write(`${line}\n`);

/** CPU seconds (user + system) used so far by every live process of a process group. */
function groupCpuSeconds(pgid) {
	let pids = [];
	try {
		pids = execFileSync('ps', ['-o', 'pid=', '-g', String(pgid)], { encoding: 'utf8' }).split('\n').map((pid) => pid.trim()).filter(Boolean);
	} catch {
		return 0;
	}
	const ticks = pids.reduce((sum, pid) => {
		try {
			const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
			return sum + Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]); // utime stime cutime cstime
		} catch {
			return sum;
		}
	}, 0);
	return ticks / 100; // USER_HZ
}

function cpuSnapshot(stack) {
	const snapshot = { simulatorAndBench: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 };
	snapshot.main = groupCpuSeconds(stack.main.pid);
	stack.workers.forEach((worker, i) => worker && !worker.exited && (snapshot[`worker-${i + 1}`] = groupCpuSeconds(worker.pid)));
	snapshot.postgres = groupCpuSeconds(stack.postgres.pid);
	snapshot.redis = groupCpuSeconds(stack.redis.pid);
	return snapshot;
}

async function runRound(stack, simulator, workflowId, label) {
	const jobIds = Array.from({ length: EXECUTIONS }, (_, i) => `bench-${label}-${i + 1}`);
	for (const jobId of jobIds) simulator.addJob({ jobId, pendingMs: 500, processingMs: JOB_MS - 500, startsOnFirstRead: true });
	const before = new Set(executionRows(stack, workflowId).map((row) => row.id));
	const cpuBefore = cpuSnapshot(stack);
	const load = os.loadavg()[0];
	const startedAt = Date.now();
	const answers = await Promise.all(jobIds.map((jobId) => postWebhook(stack.baseUrl, 'convertly-bench', { jobId })));
	if (answers.some((answer) => answer.status !== 200)) throw new Error(`webhook refused: ${answers.find((a) => a.status !== 200).text}`);
	const fresh = (rows) => rows.filter((row) => !before.has(row.id));
	const rows = fresh(
		await waitForExecutions(stack, workflowId, (all) => fresh(all).length === EXECUTIONS && fresh(all).every((row) => FINAL.has(row.status)), {
			timeoutMs: 600_000,
		}),
	);
	const failed = rows.filter((row) => row.status !== 'success');
	if (failed.length) throw new Error(`${failed.length} executions did not succeed: ${failed.map((row) => `${row.id}:${row.status}`).join(' ')}`);
	const lastStop = Math.max(...rows.map((row) => row.stoppedAt));
	const seconds = (lastStop - startedAt) / 1000;
	const cpuAfter = cpuSnapshot(stack);
	const cpuPerExecution = Object.fromEntries(
		Object.keys(cpuAfter).map((key) => [key, Number((((cpuAfter[key] ?? 0) - (cpuBefore[key] ?? 0)) / EXECUTIONS).toFixed(3))]),
	);
	const cpuTotal = Object.values(cpuAfter).reduce((a, b) => a + b, 0) - Object.values(cpuBefore).reduce((a, b) => a + b, 0);
	const executionMs = rows.map((row) => row.stoppedAt - row.startedAt).sort((a, b) => a - b);
	return {
		label,
		executions: EXECUTIONS,
		seconds: Number(seconds.toFixed(2)),
		perMinute: Number(((EXECUTIONS / seconds) * 60).toFixed(1)),
		medianExecutionMs: executionMs[Math.floor(executionMs.length / 2)],
		cpuSecondsPerExecution: cpuPerExecution,
		cpuUtilisation: Number((cpuTotal / seconds / os.cpus().length).toFixed(2)),
		loadAverageBefore: Number(load.toFixed(2)),
	};
}

async function main() {
	const simulator = await startSimulator({ latencyMs: LATENCY_MS });
	let stack;
	try {
		out(`queue benchmark: ${EXECUTIONS} executions per round, job ${JOB_MS} ms, latency ${LATENCY_MS} ms, worker concurrency ${CONCURRENCY}, ${os.cpus().length} cores`);
		stack = await startQueueStack({ basePort: Number(process.env.CONVERTLY_QUEUE_BASE_PORT ?? 5720), workers: 2, concurrency: CONCURRENCY });
		const { rest, credential } = await setUpOwner(stack, simulator);
		const workflowId = await createActiveWorkflow(
			rest,
			webhookGetWorkflow({
				name: 'Bench: webhook → wait for a job',
				idPrefix: '50000000-0000-4000-8000-',
				path: 'convertly-bench',
				responseMode: 'onReceived',
				credential,
				waitOptions: { pollInterval: 1 },
			}),
		);
		// Warm-up: code paths, connections, the JIT.
		await runRound(stack, simulator, workflowId, 'warmup');

		const results = { two: [], one: [] };
		for (let round = 1; round <= ROUNDS; round++) results.two.push(await runRound(stack, simulator, workflowId, `two-${round}`));
		await stack.group.stop(stack.workers[1]);
		stack.workers[1] = undefined;
		await sleep(1000);
		for (let round = 1; round <= ROUNDS; round++) results.one.push(await runRound(stack, simulator, workflowId, `one-${round}`));

		const best = (list) => list.reduce((a, b) => (b.perMinute > a.perMinute ? b : a));
		const summary = {
			date: new Date().toISOString(),
			node: process.version,
			cores: os.cpus().length,
			settings: { executions: EXECUTIONS, jobMs: JOB_MS, latencyMs: LATENCY_MS, concurrencyPerWorker: CONCURRENCY, pollIntervalS: 1 },
			ideal: {
				oneWorkerPerMinute: Number(((60_000 / (JOB_MS + 1000)) * CONCURRENCY).toFixed(1)),
				twoWorkersPerMinute: Number(((60_000 / (JOB_MS + 1000)) * CONCURRENCY * 2).toFixed(1)),
			},
			oneWorker: best(results.one),
			twoWorkers: best(results.two),
			rounds: results,
		};
		summary.speedup = Number((summary.twoWorkers.perMinute / summary.oneWorker.perMinute).toFixed(2));
		out(JSON.stringify(summary, null, 2));
		out();
		out(`1 worker:  ${summary.oneWorker.perMinute} executions/min (best of ${ROUNDS}: ${results.one.map((r) => r.perMinute).join(', ')})`);
		out(`2 workers: ${summary.twoWorkers.perMinute} executions/min (best of ${ROUNDS}: ${results.two.map((r) => r.perMinute).join(', ')}); ×${summary.speedup}`);
		const dir = path.join(__dirname, 'results');
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'queue-latest.json'), `${JSON.stringify(summary, null, 2)}\n`);
	} finally {
		await stack?.stop();
		await simulator.close();
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exitCode = 1;
});
