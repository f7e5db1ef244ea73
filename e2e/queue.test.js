'use strict';
// Queue tier: n8n 2.41.1 in queue mode (main + 2 workers, real Redis and PostgreSQL) with the
// package installed on every process. Webhook-triggered wait-mode executions spread over both
// workers; binary data in database mode (and its size cap) and filesystem mode; a worker killed
// with SIGKILL while its executions wait on Convertly jobs; Stop from the UI ending a wait on a
// worker. Ports 5710–5719 only.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, it } = require('node:test');

const { startSimulator } = require('../simulator');
const { ARTIFACTS } = require('./lib');
const {
	FINAL,
	createActiveWorkflow,
	executionData,
	executionRows,
	nodeRun,
	postWebhook,
	setUpOwner,
	sleep,
	startQueueStack,
	startWorker,
	waitForExecutions,
	workerEventLog,
} = require('./queue-lib');

const BASE_PORT = Number(process.env.E2E_QUEUE_BASE_PORT ?? 5710);
const CONCURRENCY = 4; // per worker, so that a burst of executions needs both workers
const DB_MAX_FILE_MIB = 1; // a low cap, to show n8n's limit for database-mode files

let nodeId = 0;
const node = (name, type, typeVersion, parameters, extra = {}) => ({
	id: `20000000-0000-4000-8000-${String(++nodeId).padStart(12, '0')}`,
	name,
	type,
	typeVersion,
	position: [nodeId * 220, 0],
	parameters,
	...extra,
});
const webhookNode = (webhookPath) =>
	node('Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} }, {
		webhookId: `30000000-0000-4000-8000-${String(nodeId + 1).padStart(12, '0')}`,
	});
const chain = (...nodes) => {
	const connections = {};
	for (let i = 0; i < nodes.length - 1; i++) connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return { nodes, connections };
};

describe('n8n queue mode: main + 2 workers, Redis, PostgreSQL', () => {
	let simulator;
	let stack;
	let rest;
	let credentialId;
	let sharedBinaryPath;
	const workflows = {};
	const convertly = (parameters) =>
		node('Convertly', 'n8n-nodes-convertly.convertly', 1, { resource: 'job', operation: 'get', jobId: '={{ $json.body.jobId }}', ...parameters }, {
			credentials: { convertlyApi: { id: credentialId, name: 'Convertly (local simulator)' } },
		});

	before(async () => {
		// 20 ms per answer: a realistic network round trip; every execution also polls each second.
		simulator = await startSimulator({ latencyMs: 20 });
		sharedBinaryPath = fs.mkdtempSync(path.join(os.tmpdir(), 'convertly-queue-binary-'));
		const startedAt = Date.now();
		stack = await startQueueStack({
			basePort: BASE_PORT,
			workers: 2,
			concurrency: CONCURRENCY,
			logDir: path.join(ARTIFACTS, 'queue'), // each process's log, kept for a failed run
			env: {
				N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE: String(DB_MAX_FILE_MIB),
				// One folder for filesystem-mode binary data, shared by every process on this host.
				N8N_BINARY_DATA_STORAGE_PATH: sharedBinaryPath,
				// A dead worker's job lock expires after 15 s (n8n's default 60 s) and the other worker
				// checks for stalled jobs every 5 s (default 30 s), so the tier does not wait minutes.
				QUEUE_WORKER_LOCK_DURATION: '15000',
				QUEUE_WORKER_LOCK_RENEW_TIME: '3000',
				QUEUE_WORKER_STALLED_INTERVAL: '5000',
			},
		});
		process.stdout.write(`# queue stack ready in ${Date.now() - startedAt} ms ${JSON.stringify(stack.timings)}\n`);
		({ rest, credentialId } = await setUpOwner(stack, simulator));

		const wait = chain(
			webhookNode('convertly-queue-wait'),
			convertly({ waitForCompletion: true, waitOptions: { pollInterval: 1, timeout: 120 } }),
		);
		workflows.wait = await createActiveWorkflow(rest, { name: 'Queue: wait for a job', ...wait });

		const binary = chain(
			webhookNode('convertly-queue-binary'),
			convertly({}),
			node('To File', 'n8n-nodes-base.convertToFile', 1.1, { operation: 'toJson', mode: 'each', options: { fileName: '={{ $json.jobId }}.json' } }),
			node('From File', 'n8n-nodes-base.extractFromFile', 1.1, { operation: 'fromJson', destinationKey: 'job', options: {} }),
		);
		workflows.binary = await createActiveWorkflow(rest, { name: 'Queue: job to file and back', ...binary });

		const big = chain(
			webhookNode('convertly-queue-big'),
			node('Text', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: '={{ { "text": "x".repeat($json.body.bytes) } }}', options: {} }),
			node('To File', 'n8n-nodes-base.convertToFile', 1.1, { operation: 'toText', sourceProperty: 'text', options: { fileName: 'big.txt' } }),
		);
		workflows.big = await createActiveWorkflow(rest, { name: 'Queue: big file', ...big });
	});

	after(async () => {
		await stack?.stop();
		await simulator?.close();
		if (sharedBinaryPath) fs.rmSync(sharedBinaryPath, { recursive: true, force: true });
	});

	it('every process loads the package (main registers the node; no process fails to load it)', async () => {
		const types = await rest.call('GET', '/types/nodes.json');
		assert.ok(types.json.some((type) => type.name === 'n8n-nodes-convertly.convertly'));
		for (const record of [stack.main, ...stack.workers]) {
			const log = fs.readFileSync(record.logFile, 'utf8');
			assert.doesNotMatch(log, /Failed to load package "n8n-nodes-convertly"/, `${record.name} failed to load the package`);
		}
	});

	it('16 webhook executions of a wait-mode workflow run on both workers, all succeed, outputs match the jobs', async () => {
		const count = 16;
		const jobIds = Array.from({ length: count }, (_, i) => `queue-wait-${i + 1}`);
		for (const [i, jobId] of jobIds.entries()) {
			simulator.addJob({ jobId, totalFiles: 1 + (i % 3), pendingMs: 500, processingMs: 1500 + (i % 4) * 250, startsOnFirstRead: true });
		}
		const startedAt = Date.now();
		const answers = await Promise.all(jobIds.map((jobId) => postWebhook(stack.baseUrl, 'convertly-queue-wait', { jobId })));
		for (const answer of answers) assert.equal(answer.status, 200, answer.text);

		const rows = await waitForExecutions(stack, workflows.wait, (all) => all.length === count && all.every((row) => FINAL.has(row.status)), {
			what: 'wait-mode executions',
		});
		const seconds = (Date.now() - startedAt) / 1000;
		assert.deepEqual(
			rows.map((row) => row.status),
			rows.map(() => 'success'),
		);

		// Which worker ran what, from each worker's own event log.
		const logs = stack.workers.map(workerEventLog);
		const ids = rows.map((row) => row.id);
		const perWorker = logs.map((log) => log.dequeued.filter((id) => ids.includes(id)));
		process.stdout.write(`# per-worker executions: ${perWorker.map((list) => list.length).join(' + ')} = ${count} in ${seconds.toFixed(1)} s\n`);
		for (const [index, list] of perWorker.entries()) assert.ok(list.length > 0, `worker-${index + 1} ran no execution`);
		assert.deepEqual([...perWorker.flat()].sort(), [...ids].sort(), 'every execution ran exactly once, on one worker');

		// Outputs (as the editor reads them from main) are the simulator's jobs.
		const seen = new Set();
		for (const row of rows) {
			const execution = await executionData(rest, row.id);
			const jobId = nodeRun(execution, 'Webhook').data.main[0][0].json.body.jobId;
			const [item] = nodeRun(execution, 'Convertly').data.main[0];
			const response = await fetch(`${simulator.url}/api/jobs/${jobId}`, { headers: { authorization: `Bearer ${simulator.apiKey}` } });
			assert.deepEqual(item.json, await response.json());
			assert.equal(item.json.status, 'completed');
			seen.add(jobId);
		}
		assert.equal(seen.size, count);
	});

	it('database mode (queue default): a file written on a worker is read by the next node and by main', async () => {
		simulator.addJob({ jobId: 'queue-binary-1', totalFiles: 2, processingMs: 0 });
		const answer = await postWebhook(stack.baseUrl, 'convertly-queue-binary', { jobId: 'queue-binary-1' });
		assert.equal(answer.status, 200);
		const [row] = await waitForExecutions(stack, workflows.binary, (all) => all.length === 1 && FINAL.has(all[0].status));
		assert.equal(row.status, 'success');
		const execution = await executionData(rest, row.id);
		const [job] = nodeRun(execution, 'Convertly').data.main[0];
		const [file] = nodeRun(execution, 'To File').data.main[0];
		assert.match(file.binary.data.id, /^database:/, 'stored in PostgreSQL, not in the item');
		assert.equal(file.binary.data.fileName, 'queue-binary-1.json');
		const [back] = nodeRun(execution, 'From File').data.main[0];
		assert.deepEqual(back.json.job, job.json, 'the next node read the file');
		const download = await rest.call('GET', `/rest/binary-data?id=${encodeURIComponent(file.binary.data.id)}&action=download`);
		assert.equal(download.status, 200);
		assert.deepEqual(JSON.parse(download.text), job.json, 'main serves the bytes the worker wrote');
		const [[stored]] = stack.psql(`SELECT count(*) FROM binary_data WHERE "sourceId" = '${row.id}'`);
		assert.equal(stored, '1');
	});

	it(`database mode caps files at N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE (here ${DB_MAX_FILE_MIB} MiB): bigger files fail with n8n's message`, async () => {
		const mib = 1024 * 1024;
		for (const bytes of [Math.floor(0.9 * mib * DB_MAX_FILE_MIB), Math.ceil(1.1 * mib * DB_MAX_FILE_MIB)]) {
			assert.equal((await postWebhook(stack.baseUrl, 'convertly-queue-big', { bytes })).status, 200);
		}
		const rows = await waitForExecutions(stack, workflows.big, (all) => all.length === 2 && all.every((row) => FINAL.has(row.status)));
		assert.deepEqual(
			rows.map((row) => row.status),
			['success', 'error'],
		);
		const failed = await executionData(rest, rows[1].id);
		assert.match(failed.data.resultData.error.message, /exceeds the max size limit of 1 MB set for `database` mode.*N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE/s);
	});

	it('SIGKILL of a worker mid-wait: the other worker’s executions succeed, the killed ones end failed/crashed, none hangs or reruns', async () => {
		const count = 8;
		const jobIds = Array.from({ length: count }, (_, i) => `queue-kill-${i + 1}`);
		for (const jobId of jobIds) simulator.addJob({ jobId, processingMs: 25_000, startsOnFirstRead: true });
		simulator.resetStats();
		const before = new Set(executionRows(stack, workflows.wait).map((row) => row.id));
		for (const jobId of jobIds) assert.equal((await postWebhook(stack.baseUrl, 'convertly-queue-wait', { jobId })).status, 200);

		// Wait until all 8 are running (4 per worker) and every job has been polled.
		const fresh = (rows) => rows.filter((row) => !before.has(row.id));
		const running = fresh(
			await waitForExecutions(stack, workflows.wait, (rows) => fresh(rows).length === count && fresh(rows).every((row) => row.status === 'running'), {
				what: 'executions running',
			}),
		);
		const ids = running.map((row) => row.id);
		for (let i = 0; i < 100 && new Set(simulator.requests().map((request) => request.jobId)).size < count; i++) await sleep(100);
		assert.equal(new Set(simulator.requests().map((request) => request.jobId)).size, count, 'every job is being waited on');

		const onWorker = stack.workers.map((worker) => workerEventLog(worker).dequeued.filter((id) => ids.includes(id)));
		assert.ok(onWorker[0].length > 0 && onWorker[1].length > 0, `both workers run some: ${onWorker.map((list) => list.length)}`);
		const killed = stack.workers[1];
		const killedAt = Date.now();
		process.kill(-killed.pid, 'SIGKILL'); // the worker and its task runner, no chance to clean up
		while (!killed.exited) await sleep(50);

		const rows = fresh(
			await waitForExecutions(stack, workflows.wait, (all) => fresh(all).every((row) => FINAL.has(row.status)), {
				timeoutMs: 90_000,
				what: 'executions after the kill',
			}),
		);
		const statusOf = new Map(rows.map((row) => [row.id, row.status]));
		const settled = (list) => Math.max(...rows.filter((row) => list.includes(row.id)).map((row) => row.stoppedAt - killedAt)) / 1000;
		process.stdout.write(
			`# kill: survivor ${onWorker[0].map((id) => `${id}:${statusOf.get(id)}`).join(' ')} (done ${settled(onWorker[0]).toFixed(1)} s after the kill); ` +
				`killed ${onWorker[1].map((id) => `${id}:${statusOf.get(id)}`).join(' ')} (final ${settled(onWorker[1]).toFixed(1)} s after the kill)\n`,
		);
		for (const id of onWorker[0]) assert.equal(statusOf.get(id), 'success', `execution ${id} on the surviving worker`);
		for (const id of onWorker[1]) assert.ok(['error', 'crashed'].includes(statusOf.get(id)), `execution ${id} of the killed worker is ${statusOf.get(id)}`);
		// Not picked up again by the surviving worker (n8n 2.x does not rerun stalled jobs).
		const survivorLog = workerEventLog(stack.workers[0]).dequeued;
		for (const id of onWorker[1]) assert.ok(!survivorLog.includes(id), `execution ${id} ran again`);
		// No job creation at all (Job → Get only reads).
		assert.equal(simulator.requests().filter((request) => request.method !== 'GET').length, 0);
		const failed = await executionData(rest, onWorker[1][0]);
		process.stdout.write(`# killed execution ${onWorker[1][0]}: ${failed.status}: ${failed.data.resultData.error?.message}\n`);

		await startWorker(stack, 1, { concurrency: CONCURRENCY }); // back to two workers
	});

	it('Stop from the UI ends a wait on a worker within seconds (the cancel signal crosses processes)', async () => {
		simulator.addJob({ jobId: 'queue-stop-1', processingMs: null }); // never finishes
		const before = new Set(executionRows(stack, workflows.wait).map((row) => row.id));
		assert.equal((await postWebhook(stack.baseUrl, 'convertly-queue-wait', { jobId: 'queue-stop-1' })).status, 200);
		const [row] = (await waitForExecutions(stack, workflows.wait, (rows) => rows.some((r) => !before.has(r.id) && r.status === 'running'))).filter(
			(r) => !before.has(r.id),
		);
		for (let i = 0; i < 100 && simulator.requestsFor('queue-stop-1').length < 2; i++) await sleep(100);
		assert.ok(simulator.requestsFor('queue-stop-1').length >= 2, 'the node is polling');

		const stoppedAt = Date.now();
		const stop = await rest.call('POST', `/rest/executions/${row.id}/stop`);
		assert.equal(stop.status, 200, stop.text);
		await waitForExecutions(stack, workflows.wait, (rows) => rows.find((r) => r.id === row.id)?.status === 'canceled', { timeoutMs: 10_000 });
		// The worker's node stops polling: nothing for that job from 2 s after Stop, watched for 4 s more.
		await sleep(6000);
		const late = simulator.requestsFor('queue-stop-1').filter((request) => request.at > stoppedAt + 2000);
		const last = Math.max(...simulator.requestsFor('queue-stop-1').map((request) => request.at));
		process.stdout.write(`# stop: last poll ${last - stoppedAt} ms after Stop\n`);
		assert.equal(late.length, 0, `polls continued ${last - stoppedAt} ms after Stop`);
		const workerLogs = stack.workers.map((worker) => fs.readFileSync(worker.logFile, 'utf8')).join('\n');
		assert.doesNotMatch(workerLogs, new RegExp(`Worker finished execution ${row.id} `), 'the worker does not report it as finished normally');
	});

	it('filesystem mode on one host: a worker writes to the shared folder, main and the next node read it', async () => {
		// Replace the database-mode workers by one filesystem-mode worker.
		await Promise.all(stack.workers.map((worker) => stack.group.stop(worker)));
		stack.workers = [];
		await startWorker(stack, 0, { concurrency: CONCURRENCY, env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' } });

		simulator.addJob({ jobId: 'queue-binary-2', totalFiles: 3, processingMs: 0 });
		assert.equal((await postWebhook(stack.baseUrl, 'convertly-queue-binary', { jobId: 'queue-binary-2' })).status, 200);
		const rows = await waitForExecutions(stack, workflows.binary, (all) => all.length === 2 && FINAL.has(all[1].status));
		assert.equal(rows[1].status, 'success');
		const execution = await executionData(rest, rows[1].id);
		const [job] = nodeRun(execution, 'Convertly').data.main[0];
		const [file] = nodeRun(execution, 'To File').data.main[0];
		assert.match(file.binary.data.id, /^filesystem-v2:/);
		const onDisk = path.join(sharedBinaryPath, file.binary.data.id.slice('filesystem-v2:'.length));
		assert.deepEqual(JSON.parse(fs.readFileSync(onDisk, 'utf8')), job.json, 'the file is in the shared folder');
		assert.deepEqual(nodeRun(execution, 'From File').data.main[0][0].json.job, job.json);
		const download = await rest.call('GET', `/rest/binary-data?id=${encodeURIComponent(file.binary.data.id)}&action=download`);
		assert.equal(download.status, 200);
		assert.deepEqual(JSON.parse(download.text), job.json);
	});
});
