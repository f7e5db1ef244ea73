'use strict';
// Queue tier: n8n 2.41.1 in queue mode (main + 2 workers + a webhook processor, real Redis and
// PostgreSQL) with the package installed on every process. Webhook-triggered wait-mode executions spread over both
// workers; binary data in database mode (and its size cap) and filesystem mode; a worker killed
// with SIGKILL while its executions wait on Convertly jobs; Stop from the UI ending a wait on a
// worker. Ports 5710–5719 only.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, it } = require('node:test');

const { deriveResult, startSimulator } = require('../simulator');
const { ARTIFACTS } = require('./lib');
const { GET_JOB_FROM_WEBHOOK, chain, convertlyNode, webhookNode } = require('./workflows');
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

// Node n of this file (counted across its workflows): ID 20000000-…-n, webhook ID 30000000-…-n, at x = 220 n.
let nodeId = 0;
const place = () => {
	const n = String(++nodeId).padStart(12, '0');
	return { id: `20000000-0000-4000-8000-${n}`, webhookId: `30000000-0000-4000-8000-${n}`, position: [nodeId * 220, 0] };
};
const node = (name, type, typeVersion, parameters) => {
	const { id, position } = place();
	return { id, name, type, typeVersion, position, parameters };
};
const webhook = (path) => webhookNode({ ...place(), path, responseMode: 'onReceived' });

/** POSTs a file as the raw request body: n8n's Webhook node (v2) stores it as binary field `data`. */
const postFile = (baseUrl, webhookPath, bytes, fileName, headers = {}) =>
	postWebhook(baseUrl, webhookPath, bytes, { 'content-type': 'image/png', 'content-disposition': `attachment; filename="${fileName}"`, ...headers });

const inputFile = (name) => Buffer.from(`${name}:`.repeat(400));

describe('n8n queue mode: main + 2 workers + webhook processor, Redis, PostgreSQL', () => {
	let simulator;
	let stack;
	let rest;
	let credential;
	let sharedBinaryPath;
	const workflows = {};
	const convertly = (parameters) => {
		const { id, position } = place();
		return convertlyNode({ id, position, credential, parameters: { ...GET_JOB_FROM_WEBHOOK, ...parameters } });
	};

	before(async () => {
		// 20 ms per answer: a realistic network round trip; every execution also polls each second.
		simulator = await startSimulator({ latencyMs: 20 });
		fs.rmSync(path.join(ARTIFACTS, 'queue'), { recursive: true, force: true });
		sharedBinaryPath = fs.mkdtempSync(path.join(os.tmpdir(), 'convertly-queue-binary-'));
		const startedAt = Date.now();
		stack = await startQueueStack({
			basePort: BASE_PORT,
			workers: 2,
			concurrency: CONCURRENCY,
			webhookProcessor: true,
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
		({ rest, credential } = await setUpOwner(stack, simulator));

		const wait = chain(
			webhook('convertly-queue-wait'),
			convertly({ waitForCompletion: true, waitOptions: { pollInterval: 1, timeout: 120 } }),
		);
		workflows.wait = await createActiveWorkflow(rest, { name: 'Queue: wait for a job', ...wait });

		const binary = chain(
			webhook('convertly-queue-binary'),
			convertly({}),
			node('To File', 'n8n-nodes-base.convertToFile', 1.1, { operation: 'toJson', mode: 'each', options: { fileName: '={{ $json.jobId }}.json' } }),
			node('From File', 'n8n-nodes-base.extractFromFile', 1.1, { operation: 'fromJson', destinationKey: 'job', options: {} }),
		);
		workflows.binary = await createActiveWorkflow(rest, { name: 'Queue: job to file and back', ...binary });

		const big = chain(
			webhook('convertly-queue-big'),
			node('Text', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: '={{ { "text": "x".repeat($json.body.bytes) } }}', options: {} }),
			node('To File', 'n8n-nodes-base.convertToFile', 1.1, { operation: 'toText', sourceProperty: 'text', options: { fileName: 'big.txt' } }),
		);
		workflows.big = await createActiveWorkflow(rest, { name: 'Queue: big file', ...big });

		// File in, file out: the uploaded file (stored by main) → Job → Create, wait, download.
		const create = (parameters) =>
			convertly({
				operation: 'create',
				jobType: 'convert',
				binaryPropertyName: 'data',
				format: 'webp',
				waitForCompletion: true,
				waitOptions: { pollInterval: 1, timeout: 120 },
				...parameters,
			});
		const files = chain(webhook('convertly-queue-files'), create({ downloadResults: true, options: { output: 'results' } }));
		workflows.files = await createActiveWorkflow(rest, { name: 'Queue: file in, file out', ...files });
		const createWait = chain(webhook('convertly-queue-create'), create({}));
		workflows.createWait = await createActiveWorkflow(rest, { name: 'Queue: create and wait', ...createWait });
		const short = chain(webhook('convertly-queue-short'), create({ waitOptions: { pollInterval: 1, timeout: 1 } }));
		workflows.short = await createActiveWorkflow(rest, { name: 'Queue: create, wait at most 1 s', ...short });
		const keyed = chain(webhook('convertly-queue-keyed'), create({ options: { idempotencyKey: '={{ $json.headers["x-request-id"] }}' } }));
		workflows.keyed = await createActiveWorkflow(rest, { name: 'Queue: create with the sender’s request ID as key', ...keyed });
	});

	after(async () => {
		await stack?.stop();
		await simulator?.close();
		if (sharedBinaryPath) fs.rmSync(sharedBinaryPath, { recursive: true, force: true });
	});

	it('every process loads the package (main registers the node; no process fails to load it)', async () => {
		const types = await rest.call('GET', '/types/nodes.json');
		assert.ok(types.json.some((type) => type.name === 'n8n-nodes-convertly.convertly'));
		for (const record of [stack.main, stack.webhook, ...stack.workers]) {
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

	it('a webhook processor (`n8n webhook`) takes production webhooks and queues them for the workers', async () => {
		const jobIds = ['queue-hook-1', 'queue-hook-2', 'queue-hook-3', 'queue-hook-4'];
		for (const jobId of jobIds) simulator.addJob({ jobId, processingMs: 1000, startsOnFirstRead: true });
		const before = new Set(executionRows(stack, workflows.wait).map((row) => row.id));
		const answers = await Promise.all(jobIds.map((jobId) => postWebhook(stack.webhook.baseUrl, 'convertly-queue-wait', { jobId })));
		for (const answer of answers) assert.equal(answer.status, 200, answer.text);
		const rows = (
			await waitForExecutions(stack, workflows.wait, (all) => all.filter((row) => !before.has(row.id) && FINAL.has(row.status)).length === jobIds.length)
		).filter((row) => !before.has(row.id));
		assert.deepEqual(
			rows.map((row) => row.status),
			jobIds.map(() => 'success'),
		);
		const webhookLog = fs.readFileSync(stack.webhook.logFile, 'utf8');
		const ranOn = stack.workers.map((worker) => workerEventLog(worker).dequeued);
		for (const row of rows) {
			assert.match(webhookLog, new RegExp(`Enqueued execution ${row.id} `), `the webhook processor queued ${row.id}`);
			assert.ok(ranOn.some((list) => list.includes(row.id)), `a worker ran ${row.id}`);
		}
	});

	it('file in, file out: 8 uploads → Job → Create → wait → download run on both workers, one job each, result bytes as Convertly made them', async () => {
		simulator.configure({ createdJobTiming: { pendingMs: 300, processingMsPerFile: 1500 } });
		simulator.resetStats();
		const count = 8;
		const names = Array.from({ length: count }, (_, i) => `photo-${i + 1}.png`);
		const answers = await Promise.all(names.map((name) => postFile(stack.baseUrl, 'convertly-queue-files', inputFile(name), name)));
		for (const answer of answers) assert.equal(answer.status, 200, answer.text);
		const rows = await waitForExecutions(stack, workflows.files, (all) => all.length === count && all.every((row) => FINAL.has(row.status)), {
			what: 'file executions',
		});
		assert.deepEqual(
			rows.map((row) => row.status),
			rows.map(() => 'success'),
		);
		const ids = rows.map((row) => row.id);
		const perWorker = stack.workers.map((worker) => workerEventLog(worker).dequeued.filter((id) => ids.includes(id)));
		process.stdout.write(`# file in/out per worker: ${perWorker.map((list) => list.length).join(' + ')}\n`);
		for (const [index, list] of perWorker.entries()) assert.ok(list.length > 0, `worker-${index + 1} ran no file execution`);

		const creations = simulator.createRequests();
		assert.equal(creations.length, count, 'one create request per file');
		assert.equal(new Set(creations.map((request) => request.jobId)).size, count, 'one job per file');
		for (const row of rows) {
			const execution = await executionData(rest, row.id);
			const [upload] = nodeRun(execution, 'Webhook').data.main[0];
			const [result] = nodeRun(execution, 'Convertly').data.main[0];
			const name = upload.binary.data.fileName;
			assert.equal(result.json.filename, name.replace(/\.png$/, '.webp'));
			assert.equal(result.binary.data.mimeType, 'image/webp');
			assert.match(result.binary.data.id, /^database:/);
			const download = await rest.call('GET', `/rest/binary-data?id=${encodeURIComponent(result.binary.data.id)}&action=download`);
			assert.equal(download.status, 200);
			assert.ok(download.buffer.equals(deriveResult(inputFile(name), { jobType: 'convert', format: 'webp', compression: 82 })), `bytes of ${name}`);
		}
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

	it('SIGKILL of a worker mid-wait: the other worker’s executions succeed, the killed ones end failed, no job is created twice, not even by retrying them', async () => {
		const count = 8;
		simulator.configure({ createdJobTiming: { pendingMs: 500, processingMsPerFile: 25_000 } });
		simulator.resetStats();
		const before = new Set(executionRows(stack, workflows.createWait).map((row) => row.id));
		const names = Array.from({ length: count }, (_, i) => `kill-${i + 1}.png`);
		for (const name of names) assert.equal((await postFile(stack.baseUrl, 'convertly-queue-create', inputFile(name), name)).status, 200);

		// Wait until all 8 run (4 per worker), each has created its job and is polling it.
		const fresh = (rows) => rows.filter((row) => !before.has(row.id));
		const running = fresh(
			await waitForExecutions(stack, workflows.createWait, (rows) => fresh(rows).length === count && fresh(rows).every((row) => row.status === 'running'), {
				what: 'executions running',
			}),
		);
		const ids = running.map((row) => row.id);
		const polled = () => new Set(simulator.requests().filter((request) => request.method === 'GET' && request.jobId).map((request) => request.jobId)).size;
		for (let i = 0; i < 150 && polled() < count; i++) await sleep(100);
		assert.equal(simulator.createRequests().length, count, 'one creation per execution so far');
		assert.equal(polled(), count, 'every job is being waited on');

		const onWorker = stack.workers.map((worker) => workerEventLog(worker).dequeued.filter((id) => ids.includes(id)));
		assert.ok(onWorker[0].length > 0 && onWorker[1].length > 0, `both workers run some: ${onWorker.map((list) => list.length)}`);
		const killed = stack.workers[1];
		const killedAt = Date.now();
		process.kill(-killed.pid, 'SIGKILL'); // the worker and its task runner, no chance to clean up
		while (!killed.exited) await sleep(50);

		const rows = fresh(
			await waitForExecutions(stack, workflows.createWait, (all) => fresh(all).every((row) => FINAL.has(row.status)), {
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
		assert.equal(simulator.createRequests().length, count, 'no creation during the crash');
		const failed = await executionData(rest, onWorker[1][0]);
		process.stdout.write(`# killed execution ${onWorker[1][0]}: ${failed.status}: ${failed.data.resultData.error?.message}\n`);

		// The user retries the failed executions (the editor's Retry, `POST /rest/executions/<id>/retry`).
		await startWorker(stack, 1, { concurrency: CONCURRENCY });
		simulator.configure({ createdJobTiming: { pendingMs: 200, processingMsPerFile: 300 } });
		const abort = new AbortController(); // n8n answers only when the retried execution has ended
		const answers = onWorker[1].map((id) =>
			rest.call('POST', `/rest/executions/${id}/retry`, { loadWorkflow: false }, { signal: abort.signal }).then(
				(response) => response.status,
				(error) => (abort.signal.aborted ? 'no answer' : String(error)),
			),
		);
		const retries = (
			await waitForExecutions(
				stack,
				workflows.createWait,
				(all) => all.filter((row) => onWorker[1].includes(row.retryOf ?? '')).length === onWorker[1].length && all.every((row) => FINAL.has(row.status)),
				{ what: 'retried executions' },
			)
		).filter((row) => onWorker[1].includes(row.retryOf ?? ''));
		const answered = Promise.all(answers);
		await Promise.race([answered, sleep(10_000)]);
		abort.abort();
		// n8n replaced the killed executions' data with the failure (no node left to resume), so a
		// retry runs no node at all and fails with the same message: nothing reaches Convertly.
		for (const row of retries) {
			const retried = await executionData(rest, row.id);
			assert.equal(row.status, 'error');
			assert.deepEqual(Object.keys(retried.data.resultData.runData), [], `retry ${row.id} ran no node`);
			assert.match(retried.data.resultData.error.message, /failed to be processed too many times/);
		}
		assert.equal(simulator.createRequests().length, count, 'retries created nothing');
		process.stdout.write(`# retries ${retries.map((row) => `${row.id}:${row.status}`).join(' ')}; answers ${(await answered).join(', ')}\n`);

		// What recovers those items is sending them again. The default key is derived from n8n's
		// stored copy of the file, which is new for every upload, so each re-sent file is a new job;
		// a key the sender provides (here its request ID header) gets the first job back.
		const survivors = await Promise.all(onWorker[0].map(async (id) => nodeRun(await executionData(rest, id), 'Webhook').data.main[0][0].binary.data.fileName));
		const lost = names.filter((name) => !survivors.includes(name));
		assert.equal(lost.length, onWorker[1].length);
		const resentBefore = new Set(executionRows(stack, workflows.createWait).map((row) => row.id));
		for (const name of lost) assert.equal((await postFile(stack.baseUrl, 'convertly-queue-create', inputFile(name), name)).status, 200);
		const resent = (
			await waitForExecutions(stack, workflows.createWait, (all) => all.filter((row) => !resentBefore.has(row.id) && FINAL.has(row.status)).length === lost.length, {
				what: 're-sent executions',
			})
		).filter((row) => !resentBefore.has(row.id));
		for (const row of resent) assert.equal(row.status, 'success');
		const resentCreations = simulator.createRequests().slice(count);
		assert.equal(resentCreations.length, lost.length);
		assert.equal(resentCreations.filter((request) => request.reused).length, 0, 'default key: a re-sent upload is a new job');

		simulator.resetStats();
		const keyedAnswers = [];
		for (let attempt = 0; attempt < 2; attempt++) {
			keyedAnswers.push(await postFile(stack.baseUrl, 'convertly-queue-keyed', inputFile('keyed.png'), 'keyed.png', { 'x-request-id': 'order-4711' }));
			await waitForExecutions(stack, workflows.keyed, (all) => all.length === attempt + 1 && all.every((row) => FINAL.has(row.status)));
		}
		for (const answer of keyedAnswers) assert.equal(answer.status, 200);
		const keyedRows = executionRows(stack, workflows.keyed);
		assert.deepEqual(keyedRows.map((row) => row.status), ['success', 'success']);
		const keyedCreations = simulator.createRequests();
		assert.deepEqual(keyedCreations.map((request) => request.idempotencyKey), ['order-4711', 'order-4711']);
		assert.deepEqual(keyedCreations.map((request) => request.reused), [false, true]);
		assert.equal(keyedCreations[0].jobId, keyedCreations[1].jobId, 'the same job both times');
		process.stdout.write(`# re-sent ${lost.length} files: ${resentCreations.length} new jobs with the default key; with the sender's key: ${keyedCreations.filter((r) => r.reused).length} of 1 re-send reused\n`);
	});

	it('Retry of an execution whose Create failed after creating its job (wait timed out): the default key gets the job back', async () => {
		simulator.configure({ createdJobTiming: { pendingMs: 200, processingMsPerFile: 2500 } });
		simulator.resetStats();
		assert.equal((await postFile(stack.baseUrl, 'convertly-queue-short', inputFile('slow.png'), 'slow.png')).status, 200);
		const [failed] = await waitForExecutions(stack, workflows.short, (all) => all.length === 1 && FINAL.has(all[0].status));
		assert.equal(failed.status, 'error');
		const failedData = await executionData(rest, failed.id);
		assert.match(nodeRun(failedData, 'Convertly').error.message, /did not finish within 1 s/);
		const [created] = simulator.createRequests();
		await sleep(3000); // the job finishes meanwhile
		const retry = await rest.call('POST', `/rest/executions/${failed.id}/retry`, { loadWorkflow: false });
		assert.equal(retry.status, 200, retry.text);
		const rows = await waitForExecutions(stack, workflows.short, (all) => all.length === 2 && all.every((row) => FINAL.has(row.status)));
		assert.equal(rows[1].retryOf, failed.id);
		assert.equal(rows[1].status, 'success');
		const [, again] = simulator.createRequests();
		assert.equal(again.idempotencyKey, created.idempotencyKey, 'same derived key');
		assert.equal(again.reused, true);
		assert.equal(again.jobId, created.jobId);
		const [item] = nodeRun(await executionData(rest, rows[1].id), 'Convertly').data.main[0];
		assert.equal(item.json.jobId, created.jobId);
		assert.equal(item.json.status, 'completed');
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
