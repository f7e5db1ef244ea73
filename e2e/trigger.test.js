'use strict';
// Convertly Trigger in a real n8n: its own `n8n start` (port 5730, task broker 5731) with the
// package installed. Server tier: an active workflow with the trigger; the simulator, given the
// workflow's production URL and the credential's signing secret, runs a job whose signed events
// start executions (the items are checked); forged, replayed and oversized deliveries start none.
// Browser tier: the trigger node shows its URL and setup text, and "Listen for test event" receives
// the simulator's test event. Everything started here is stopped by PID; temp folders are removed.

const assert = require('node:assert/strict');
const { randomBytes, randomUUID } = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { after, before, describe, it } = require('node:test');

const { startSimulator } = require('../simulator');
const { ARTIFACTS, RUNTIME, ROOT, createActiveWorkflow, createWorkflow, makeUserFolder, openEditor, postWebhook, setUpOwner, sleep, startServer } = require('./lib');

const PORT = Number(process.env.E2E_TRIGGER_PORT ?? 5730);
const flatted = require(path.join(RUNTIME, 'node_modules', 'flatted'));

const SLOW_FILE_MS = 8000;

async function until(what, check, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(200);
	}
}

function triggerNode(webhookId, parameters, credentials) {
	return {
		id: randomUUID(),
		name: 'Convertly Trigger',
		type: 'n8n-nodes-convertly.convertlyTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		parameters,
		credentials,
	};
}

describe('Convertly Trigger in n8n', () => {
	let simulator;
	let server;
	let rest;
	let userFolder;
	const secret = `whsec_${randomBytes(24).toString('base64url')}`;
	const credentials = {};
	const production = { webhookId: randomUUID() };

	async function executions(workflowId) {
		const list = await rest.call('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
		assert.equal(list.status, 200, list.text);
		return list.json.data.results;
	}

	async function executionItems(id, nodeName = 'Convertly Trigger') {
		const execution = await rest.call('GET', `/rest/executions/${id}`);
		assert.equal(execution.status, 200, execution.text);
		const data = flatted.parse(execution.json.data.data);
		return { status: execution.json.data.status, items: data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [] };
	}

	before(async () => {
		simulator = await startSimulator();
		userFolder = makeUserFolder('trigger');
		server = await startServer(userFolder, PORT);
		let credential;
		({ rest, credential } = await setUpOwner(server.baseUrl, simulator));
		const webhookCredential = await rest.call('POST', '/rest/credentials', {
			name: 'Convertly webhook secret (simulator)',
			type: 'convertlyWebhookApi',
			data: { signingSecret: secret },
		});
		assert.equal(webhookCredential.status, 200, webhookCredential.text);
		credentials.convertlyWebhookApi = { id: webhookCredential.json.data.id, name: 'Convertly webhook secret (simulator)' };
		credentials.convertlyApi = credential;
	});

	after(async () => {
		await server?.stop();
		await simulator?.close();
		if (userFolder) fs.rmSync(userFolder, { recursive: true, force: true });
	});

	it('registers the trigger and the signing-secret credential; the credential test checks the secret’s shape', async () => {
		const nodes = await rest.call('GET', '/types/nodes.json');
		assert.ok(nodes.json.some((node) => node.name === 'n8n-nodes-convertly.convertlyTrigger'));
		const test = async (signingSecret) =>
			(
				await rest.call('POST', '/rest/credentials/test', {
					credentials: { id: credentials.convertlyWebhookApi.id, name: 'x', type: 'convertlyWebhookApi', data: { signingSecret } },
				})
			).json.data;
		assert.deepEqual(await test(secret), { status: 'OK', message: 'The signing secret has the expected shape' });
		const wrong = await test('cvly_an_api_key_instead_of_a_secret');
		assert.equal(wrong.status, 'Error');
		assert.match(wrong.message, /whsec_/);
		assert.ok(!JSON.stringify(wrong).includes('cvly_an_api_key'), 'the test message repeats the value');
	});

	describe('an active workflow at its production URL', () => {
		let workflowId;
		let endpoint;
		let url;

		before(async () => {
			workflowId = await createActiveWorkflow(rest, {
				name: 'Convertly Trigger (e2e)',
				connections: {},
				nodes: [triggerNode(production.webhookId, { events: ['conversion.completed', 'conversion.failed'], fetchJob: true }, credentials)],
			});
			production.workflowId = workflowId;
			url = `${server.baseUrl}/webhook/${production.webhookId}/webhook`;
			production.url = url;
			// Once the webhook is registered, an unsigned probe is refused.
			const probe = await postWebhook(server.baseUrl, `${production.webhookId}/webhook`, {});
			assert.equal(probe.status, 401);
			assert.equal(probe.text, 'Unauthorized');
			endpoint = simulator.webhooks.addEndpoint({ url, secret });
		});

		it('a job’s signed events are acknowledged; the selected ones start executions with the fetched job', async () => {
			const done = simulator.addJob({ totalFiles: 2, pendingMs: 100, processingMs: 400 });
			const failed = simulator.addJob({ totalFiles: 1, processingMs: 300, outcome: 'failed', errorMessage: 'Unsupported codec.' });
			await simulator.webhooks.idle(60_000);
			const deliveries = simulator.webhooks.deliveries();
			assert.deepEqual(
				deliveries.map((delivery) => delivery.eventType).sort(),
				// Two progress events for the two files of one job, one for the other job's failed file.
				['conversion.completed', 'conversion.failed', 'conversion.progress', 'conversion.progress', 'conversion.progress', 'conversion.started', 'conversion.started'].sort(),
			);
			for (const delivery of deliveries) {
				assert.equal(delivery.status, 'succeeded', JSON.stringify(delivery));
				assert.equal(delivery.attemptCount, 1, 'n8n answered fast enough: no retry');
			}
			const times = deliveries.map((delivery) => delivery.attempts[0].ms).sort((a, b) => a - b);
			console.log(`[trigger e2e] ${times.length} deliveries answered in ${times[0]}–${times.at(-1)} ms (median ${times[Math.floor(times.length / 2)]} ms)`);

			const finished = await until('two finished executions', async () => {
				const list = await executions(workflowId);
				return list.length >= 2 && list.every((execution) => execution.status === 'success') ? list : undefined;
			});
			assert.equal(finished.length, 2);
			const byType = {};
			for (const execution of finished) {
				const { items } = await executionItems(execution.id);
				assert.equal(items.length, 1);
				byType[items[0].json.type] = items[0].json;
			}
			assert.equal(byType['conversion.completed'].data.jobId, done.jobId);
			assert.match(byType['conversion.completed'].id, /^evt_/);
			assert.equal(byType['conversion.completed'].job.status, 'completed');
			assert.equal(byType['conversion.completed'].job.results.length, 2);
			assert.equal(byType['conversion.failed'].job.jobId, failed.jobId);
			assert.equal(byType['conversion.failed'].job.errorMessage, 'Unsupported codec.');
		});

		it('forged, stale, replayed and oversized deliveries are refused or ignored and start nothing', async () => {
			const before = (await executions(workflowId)).length;
			const answers = {};
			for (const kind of ['tampered', 'reserialised', 'wrong-secret', 'stale', 'future', 'no-signature', 'malformed-signature', 'replay', 'oversized']) {
				const delivery = await simulator.webhooks.sendForged({ endpointId: endpoint.id, kind });
				answers[kind] = delivery.lastHttpStatus;
			}
			assert.deepEqual(answers, {
				tampered: 401,
				reserialised: 401,
				'wrong-secret': 401,
				stale: 401,
				future: 401,
				'no-signature': 401,
				'malformed-signature': 401,
				replay: 200,
				oversized: 413,
			});
			// Convertly's own "retry" of an accepted delivery: same event id, fresh signature.
			const completed = simulator.webhooks.deliveries().find((delivery) => delivery.eventType === 'conversion.completed' && delivery.kind === 'event');
			simulator.webhooks.redeliver(completed.id);
			await simulator.webhooks.idle();
			assert.equal(simulator.webhooks.deliveries().at(-1).lastHttpStatus, 200);
			await sleep(1500);
			assert.equal((await executions(workflowId)).length, before, 'a refused or repeated delivery started an execution');

			const log = fs.readFileSync(server.logFile, 'utf8');
			assert.doesNotMatch(log, /v1=[0-9a-f]{64}/, 'a signature is in the n8n log');
			assert.match(log, /Convertly Trigger refused a delivery \(HTTP 401\): signature mismatch/);
			assert.match(log, /timestamp outside tolerance/);
			assert.ok(!log.includes(secret), 'the signing secret is in the n8n log');
			for (const delivery of simulator.webhooks.deliveries()) {
				for (const attempt of delivery.attempts) assert.ok(!String(attempt.responsePreview ?? '').includes(secret));
			}
		});
	});

	describe('the example workflow (examples/trigger-download-results.json)', () => {
		let files;
		let filesUrl;

		before(async () => {
			// Result files on another origin, as Convertly's signed storage links are.
			// Slow on purpose: n8n must acknowledge the delivery long before the download ends.
			files = http.createServer((req, res) => {
				const name = decodeURIComponent(req.url.split('/').pop());
				const body = Buffer.from(`bytes of ${name}`);
				setTimeout(() => {
					res.writeHead(200, { 'content-type': 'image/webp', 'content-length': body.length });
					res.end(body);
				}, SLOW_FILE_MS);
			});
			await new Promise((resolve) => files.listen(0, '127.0.0.1', resolve));
			filesUrl = `http://127.0.0.1:${files.address().port}`;
		});

		after(async () => {
			files?.closeAllConnections();
			await new Promise((resolve) => (files ? files.close(resolve) : resolve()));
		});

		it('runs on conversion.completed, fetches the job and downloads its result files', async () => {
			for (const endpoint of simulator.webhooks.endpoints()) simulator.webhooks.removeEndpoint(endpoint.id);
			const example = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'trigger-download-results.json'), 'utf8'));
			const trigger = example.nodes.find((node) => node.type === 'n8n-nodes-convertly.convertlyTrigger');
			trigger.webhookId = randomUUID();
			trigger.credentials = credentials;
			const { id: _id, ...body } = example;
			const workflowId = await createActiveWorkflow(rest, body);
			const url = `${server.baseUrl}/webhook/${trigger.webhookId}/webhook`;
			assert.notEqual((await postWebhook(server.baseUrl, `${trigger.webhookId}/webhook`, {})).status, 404, 'the example’s production webhook');
			simulator.webhooks.addEndpoint({ url, secret, eventTypes: ['conversion.completed'] });

			const job = simulator.addJob({
				totalFiles: 2,
				processingMs: 200,
				results: ['photo-1.webp', 'photo-2.webp'].map((filename) => ({ filename, mimeType: 'image/webp', downloadUrl: `${filesUrl}/files/${filename}` })),
			});
			await simulator.webhooks.idle(60_000);
			const [execution] = await until('the example’s execution', async () => {
				const list = await executions(workflowId);
				return list.length === 1 && list[0].status !== 'running' && list[0].status !== 'new' ? list : undefined;
			});
			assert.equal(execution.status, 'success');
			// Acknowledged once, before the (slow) downloads: Convertly saw no reason to retry.
			const [delivery] = simulator.webhooks.deliveries().filter((entry) => entry.kind === 'event');
			assert.equal(delivery.attemptCount, 1);
			assert.equal(delivery.attempts[0].httpStatus, 200);
			assert.ok(delivery.attempts[0].ms < SLOW_FILE_MS, `n8n answered after ${delivery.attempts[0].ms} ms`);
			console.log(`[trigger e2e] delivery acknowledged in ${delivery.attempts[0].ms} ms; files took ${SLOW_FILE_MS} ms to download`);
			const { items } = await executionItems(execution.id, 'Result files');
			assert.equal(items.length, 1);
			assert.deepEqual(items[0].json, { type: 'conversion.completed', jobId: job.jobId, files: ['photo-1.webp', 'photo-2.webp'], downloaded: 2 });
			// The files travel on to the next nodes.
			assert.deepEqual(Object.keys(items[0].binary ?? {}).sort(), ['data_0', 'data_1']);
			assert.equal(items[0].binary.data_0.mimeType, 'image/webp');
			assert.equal(items[0].binary.data_1.fileName, 'photo-2.webp');
		});
	});

	it('a per-job callback (a job created with callbackUrl and callbackSecret) at the production URL starts an execution', async () => {
		for (const endpoint of simulator.webhooks.endpoints()) simulator.webhooks.removeEndpoint(endpoint.id);
		const before = (await executions(production.workflowId)).length;
		const job = simulator.addJob({ processingMs: 200, fields: { callbackUrl: production.url, callbackSecret: secret } });
		await simulator.webhooks.idle();
		const callback = simulator.webhooks.deliveries().at(-1);
		assert.equal(callback.kind, 'callback');
		assert.equal(callback.lastHttpStatus, 200);
		const list = await until('the callback’s execution', async () => {
			const all = await executions(production.workflowId);
			return all.length === before + 1 && all.every((execution) => execution.status === 'success') ? all : undefined;
		});
		const newest = list.reduce((a, b) => (Number(a.id) > Number(b.id) ? a : b));
		const { items } = await executionItems(newest.id);
		assert.equal(items[0].json.id, null);
		assert.equal(items[0].json.type, 'conversion.completed');
		assert.equal(items[0].json.data.jobId, job.jobId);
		assert.equal(items[0].json.job.status, 'completed');
	});

	describe('in the editor (headless Chromium)', () => {
		let editor;
		let page;
		let workflowId;
		const testWebhookId = randomUUID();

		before(async () => {
			({ id: workflowId } = await createWorkflow(rest, {
				name: 'Convertly Trigger (editor e2e)',
				connections: {},
				nodes: [triggerNode(testWebhookId, {}, { convertlyWebhookApi: credentials.convertlyWebhookApi })],
			}));
			editor = await openEditor(server.baseUrl, { profilePrefix: 'convertly-chromium-trigger-' });
			page = editor.page;
		});

		after(async () => {
			await editor?.close('trigger-last-page.png');
		});

		it('the trigger node shows its webhook URL and the setup steps', async () => {
			await page.goto(`/workflow/${workflowId}`);
			const node = page.locator('[data-test-id="canvas-node"][data-node-name="Convertly Trigger"]');
			await node.waitFor({ timeout: 60_000 });
			await node.dblclick();
			const ndv = page.locator('[data-test-id="ndv"]');
			await ndv.waitFor();
			await ndv.getByText('Settings → Webhooks → Add endpoint', { exact: false }).first().waitFor({ timeout: 30_000 });
			await ndv.getByText('Webhook URLs', { exact: false }).first().click();
			await ndv.getByText(`/webhook-test/${testWebhookId}/webhook`, { exact: false }).first().waitFor({ timeout: 30_000 });
			await page.screenshot({ path: path.join(ARTIFACTS, 'trigger-setup.png') });
		});

		it('"Listen for test event" receives the simulator’s test event', async () => {
			const ndv = page.locator('[data-test-id="ndv"]');
			// n8n 2.x labels the button "Execute step" on third-party triggers; it starts listening.
			await ndv.locator('[data-test-id="node-execute-button"]').first().click();
			await ndv.getByText('Stop Listening', { exact: false }).first().waitFor({ timeout: 30_000 });
			await page.screenshot({ path: path.join(ARTIFACTS, 'trigger-listening.png') });
			const testUrl = `${server.baseUrl}/webhook-test/${testWebhookId}/webhook`;
			// The test webhook exists once the editor has registered it.
			await until('the test webhook', async () => {
				const response = await fetch(testUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
				return response.status === 401 ? response : undefined;
			});
			const endpoint = simulator.webhooks.addEndpoint({ url: testUrl, secret, eventTypes: ['conversion.completed'] });
			simulator.webhooks.sendTestEvent({ endpointId: endpoint.id });
			await simulator.webhooks.idle();
			const delivery = simulator.webhooks.deliveries().at(-1);
			assert.equal(delivery.lastHttpStatus, 200, JSON.stringify(delivery));
			const output = page.locator('[data-test-id="output-panel"]');
			await output.getByText('test-event.webp', { exact: false }).first().waitFor({ timeout: 30_000 });
			const text = await output.innerText();
			for (const expected of ['conversion.completed', 'evt_', '00000000-0000-0000-0000-000000000000']) {
				assert.ok(text.includes(expected), `output panel lacks "${expected}"`);
			}
			await page.screenshot({ path: path.join(ARTIFACTS, 'trigger-test-event.png') });
		});
	});
});
