'use strict';
// Server and browser tiers: `n8n start` with the package installed, owner set up over REST, a
// webhook-triggered workflow answering with the job, then the editor in headless Chromium: add
// the node from the node creator, execute it, and test good and bad keys in the credential dialog.

const assert = require('node:assert/strict');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, it } = require('node:test');

const { makePng, startSimulator } = require('../simulator');
const { ARTIFACTS, ROOT, createActiveWorkflow, createWorkflow, makeUserFolder, openEditor, postWebhook, setUpOwner, startServer } = require('./lib');
const { chain, convertlyNode, webhookGetWorkflow, webhookNode } = require('./workflows');

const PORT = Number(process.env.E2E_N8N_PORT ?? 5699);
const DONE_JOB = 'a755a89a-3a63-4f3e-88ff-7fef50d42d7d';

describe('n8n server and editor', () => {
	let simulator;
	let server;
	let rest;
	let credential;
	let credentialId;
	let userFolder;
	// A folder n8n's file nodes may read (n8n 2.x allows only the folders listed in
	// N8N_RESTRICT_FILE_ACCESS_TO), holding a video for the Media Tool test: an MP4's first box
	// and filler bytes, which the simulator takes as a video because n8n sends it as video/mp4.
	let files;
	const video = { name: 'clip.mp4', bytes: Buffer.concat([Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex'), Buffer.alloc(2048, 7)]) };
	// The File → Upload test's file.
	const upload = { name: 'acme-logo.png', bytes: makePng(48, 48, { seed: 'acme' }) };

	before(async () => {
		simulator = await startSimulator({ fixture: path.join(ROOT, 'simulator', 'demo-fixture.json') });
		userFolder = makeUserFolder('server');
		files = fs.mkdtempSync(path.join(os.tmpdir(), 'convertly-e2e-server-files-'));
		fs.writeFileSync(path.join(files, video.name), video.bytes);
		fs.writeFileSync(path.join(files, upload.name), upload.bytes);
		process.env.N8N_RESTRICT_FILE_ACCESS_TO = files;
		server = await startServer(userFolder, PORT);
		({ rest, credential, credentialId } = await setUpOwner(server.baseUrl, simulator));
	});

	after(async () => {
		await server?.stop();
		await simulator?.close();
		delete process.env.N8N_RESTRICT_FILE_ACCESS_TO;
		for (const folder of [userFolder, files]) if (folder) fs.rmSync(folder, { recursive: true, force: true });
	});

	it('registers the node (and its tool variant) and the credential under the package’s names', async () => {
		const nodes = await rest.call('GET', '/types/nodes.json');
		const names = new Set(nodes.json.map((node) => node.name));
		assert.ok(names.has('n8n-nodes-convertly.convertly'));
		assert.ok(names.has('n8n-nodes-convertly.convertlyTool'));
		// The AI-agent tool variant offers every operation of the node, each described for a model.
		const operationsOf = (name) =>
			nodes.json
				.find((node) => node.name === name)
				.properties.filter((property) => property.name === 'operation')
				.flatMap((property) => property.options);
		// n8n adds its "Custom API Call" choice itself (our credential can authenticate an HTTP
		// Request node); the node answers it with a pointer to that node.
		const ours = (options) => options.filter((option) => option.value !== '__CUSTOM_API_CALL__');
		const operations = operationsOf('n8n-nodes-convertly.convertly');
		assert.ok(
			operations.some((option) => option.value === '__CUSTOM_API_CALL__'),
			`no Custom API Call among ${JSON.stringify(operations.map((option) => option.value))}`,
		);
		const toolOperations = ours(operationsOf('n8n-nodes-convertly.convertlyTool'));
		// Each resource's operations, as the tool variant lists them.
		const byResource = {};
		for (const property of nodes.json.find((node) => node.name === 'n8n-nodes-convertly.convertlyTool').properties.filter((candidate) => candidate.name === 'operation')) {
			for (const resource of property.displayOptions?.show?.resource ?? []) {
				byResource[resource] = ours(property.options).map((option) => option.value).sort();
			}
		}
		const mediaTools = ['adjust', 'compressFiles', 'concatAudio', 'convert', 'convertFiles', 'extractAudio', 'gif', 'imageToPdf', 'inspect', 'pdfPreview', 'posterFrame', 'removeBackground', 'storyboard', 'stripMetadata', 'thumbnail', 'transform', 'trim', 'watermark'];
		assert.deepEqual(byResource, {
			job: ['cancel', 'create', 'get', 'getAll'],
			mediaTool: mediaTools,
			file: ['archive', 'delete', 'get', 'getAll', 'runTool', 'search', 'tagWithAi', 'update', 'upload'],
			folder: ['create', 'delete', 'getAll', 'update'],
			transfer: ['create'],
		});
		assert.deepEqual(toolOperations.map((option) => option.value).sort(), Object.values(byResource).flat().sort());
		// An agent picks a tool by its action and description: each says what it makes of what.
		const thumbnail = toolOperations.find((option) => option.value === 'thumbnail');
		assert.equal(thumbnail.action, 'Create a thumbnail');
		assert.match(thumbnail.description, /preview image of an image or a video/);
		assert.deepEqual(toolOperations.map((option) => option.value).sort(), ours(operations).map((option) => option.value).sort());
		assert.ok(toolOperations.every((option) => option.description.length > 30), 'every operation has a description');
		const credentials = await rest.call('GET', '/types/credentials.json');
		const convertlyApi = credentials.json.find((credential) => credential.name === 'convertlyApi');
		assert.ok(convertlyApi);
		// The editor lists a credential under the HTTP Request node's "Predefined Credential Type"
		// only when its type has `authenticate` ("has:authenticate"), which the Custom API Call
		// pointer relies on.
		assert.notEqual(convertlyApi.authenticate, undefined);
	});

	it('the credential test tells a good key from a rejected one', async () => {
		const test = (apiKey) =>
			rest.call('POST', '/rest/credentials/test', {
				credentials: { id: credentialId, name: 'test', type: 'convertlyApi', data: { apiKey, authHeader: 'xApiKey', baseUrl: `${simulator.url}/` } },
			});
		assert.deepEqual((await test(simulator.apiKey)).json.data, { status: 'OK', message: 'Connection successful!' });
		const rejected = (await test('cvly_revoked')).json.data;
		assert.equal(rejected.status, 'Error');
		assert.match(rejected.message, /Convertly rejected the API key/);
	});

	it('the credential test refuses a Base URL that is not the Convertly API (here: n8n itself)', async () => {
		const outcome = await rest.call('POST', '/rest/credentials/test', {
			credentials: { id: credentialId, name: 'test', type: 'convertlyApi', data: { apiKey: simulator.apiKey, authHeader: 'bearer', baseUrl: server.baseUrl } },
		});
		const page = await fetch(`${server.baseUrl}/api/jobs?limit=1`);
		assert.equal(page.status, 200, 'n8n answers this path with its editor page');
		assert.match(page.headers.get('content-type') ?? '', /text\/html/);
		assert.equal(outcome.json.data.status, 'Error');
		assert.match(outcome.json.data.message, /^The Base URL does not point to the Convertly API/);
	});

	it('n8n’s HTTP Request node with the Convertly credential ("predefined credential type") gets a job', async () => {
		// The editor offers a credential there only when its type has `authenticate` (as served to it).
		const types = await rest.call('GET', '/types/credentials.json');
		const convertlyApi = types.json.find((type) => type.name === 'convertlyApi');
		assert.ok(convertlyApi.authenticate !== undefined, 'authenticate is missing from the credential type the editor sees');
		await createActiveWorkflow(rest, {
			name: 'Convertly via HTTP Request (e2e)',
			...chain(
				webhookNode({ id: '20000000-0000-4000-8000-000000000001', webhookId: '20000000-0000-4000-8000-0000000000aa', path: 'convertly-http-request-e2e' }),
				{
					id: '20000000-0000-4000-8000-000000000002',
					name: 'HTTP Request',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					position: [220, 0],
					parameters: {
						url: `={{ "${simulator.url}/api/jobs/" + $json.body.jobId }}`,
						authentication: 'predefinedCredentialType',
						nodeCredentialType: 'convertlyApi',
						options: {},
					},
					credentials: { convertlyApi: credential },
				},
			),
		});

		simulator.resetStats();
		const response = await postWebhook(server.baseUrl, 'convertly-http-request-e2e', { jobId: DONE_JOB });
		assert.equal(response.status, 200);
		const job = JSON.parse(response.text);
		assert.equal(job.jobId, DONE_JOB);
		assert.equal(job.status, 'completed');
		const requests = simulator.requests().filter((request) => request.path === `/api/jobs/${DONE_JOB}`);
		assert.equal(requests.length, 1);
		assert.equal(requests[0].headers.authorization, `Bearer ${simulator.apiKey}`);
		assert.equal(requests[0].headers['x-api-key'], undefined);
	});

	it('a webhook-triggered workflow answers with the job', async () => {
		await createActiveWorkflow(
			rest,
			webhookGetWorkflow({ name: 'Convertly webhook (e2e)', idPrefix: '10000000-0000-4000-8000-', path: 'convertly-e2e', responseMode: 'lastNode', credential }),
		);

		const response = await postWebhook(server.baseUrl, 'convertly-e2e', { jobId: DONE_JOB });
		assert.equal(response.status, 200);
		const job = JSON.parse(response.text);
		assert.equal(job.jobId, DONE_JOB);
		assert.equal(job.status, 'completed');
		assert.equal(job.results.length, 3);
	});

	describe('in the editor (headless Chromium)', () => {
		let editor;
		let page;

		before(async () => {
			editor = await openEditor(server.baseUrl);
			page = editor.page;
		});

		after(async () => {
			await editor?.close('last-page.png');
		});

		it('finds Convertly in the node creator, adds “Get a job”, executes it and shows the job', async () => {
			await page.goto('/workflow/new');
			await page.click('[data-test-id="canvas-plus-button"]');
			await page.fill('input[data-test-id="node-creator-search-bar"]', 'Convertly');
			await page.locator('[data-test-id="item-iterator-item"]', { hasText: 'Convertly' }).first().click();
			// n8n shows the package's two nodes as one entry; on an empty canvas its triggers come first
			// and its actions are folded away.
			const getAJob = page.locator('[data-test-id="item-iterator-item"]', { hasText: 'Get a job' }).first();
			await page.getByText(/^Actions \(\d+\)$/).first().waitFor();
			if (!(await getAJob.isVisible())) await page.getByText(/^Actions \(\d+\)$/).first().click();
			await getAJob.click();

			// The only Convertly credential is picked automatically.
			const credential = page.locator('[data-test-id="node-credentials-select"] input').first();
			await credential.waitFor();
			assert.equal(await credential.inputValue(), 'Convertly (local simulator)');

			// Job ID → From List: the simulator's jobs are listed by type, status, files and date.
			simulator.resetStats();
			await page.locator('[data-test-id="parameter-input-jobId"] [data-test-id="rlc-input-container"]').click();
			const items = page.locator('[data-test-id="rlc-item"]');
			await items.filter({ hasText: 'convert · completed · 3 files' }).first().waitFor({ timeout: 30_000 });
			const listed = await items.count();
			const fixtureJobs = simulator.requests().filter((request) => request.path.startsWith('/api/jobs?'));
			assert.ok(fixtureJobs.length >= 1, 'the picker asked Convertly for the job list');
			assert.ok(listed >= 10, `only ${listed} jobs listed`);
			await page.screenshot({ path: path.join(ARTIFACTS, 'job-picker.png') });
			// Searching by the start of the ID leaves that one job; pick it.
			await page.locator('input[data-test-id="rlc-search"], [data-test-id="rlc-search"] input').first().fill(DONE_JOB.slice(0, 8));
			await items.first().filter({ hasText: 'convert · completed · 3 files' }).waitFor();
			assert.equal(await items.count(), 1);
			await items.first().click();
			assert.match(await page.locator('[data-test-id="parameter-input-jobId"] [data-test-id="rlc-input"]').inputValue(), /convert · completed · 3 files/);
			simulator.resetStats();
			await page.click('[data-test-id="node-execute-button"]');
			const output = page.locator('[data-test-id="output-panel"]');
			await output.filter({ hasText: 'completed' }).waitFor({ timeout: 30_000 });
			const text = await output.innerText();
			for (const expected of ['jobId', 'status', 'completed', 'totalFiles', 'a755a89a']) {
				assert.ok(text.includes(expected), `output panel lacks "${expected}"`);
			}
			assert.deepEqual(
				simulator.requests().map((request) => request.path),
				[`/api/jobs/${DONE_JOB}`],
			);
			await page.screenshot({ path: path.join(ARTIFACTS, 'node-executed.png') });
		});

		it('shows downloaded result files as binary data in the output panel', async () => {
			const job = simulator.addJob({ processingMs: 0, resultFiles: [{ filename: 'poster.webp', mimeType: 'image/webp', sizeBytes: 2048 }] });
			const created = await createWorkflow(rest, {
				name: 'Convertly download (e2e)',
				...chain(
					{ id: '20000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
					convertlyNode({
						id: '20000000-0000-4000-8000-000000000002',
						parameters: { resource: 'job', operation: 'get', jobId: job.jobId, downloadResults: true, options: { output: 'results' } },
						credential,
					}),
				),
			});
			await page.goto(`/workflow/${created.id}`);
			await page.locator('[data-test-id="canvas-node"][data-node-name="Convertly"]').waitFor();
			await page.click('[data-test-id="execute-workflow-button"]');
			await page.getByText('Workflow executed successfully').first().waitFor({ timeout: 30_000 });
			await page.locator('[data-test-id="canvas-node"][data-node-name="Convertly"]').dblclick();
			const output = page.locator('[data-test-id="output-panel"]');
			await output.getByText('Binary', { exact: true }).first().click();
			await output.getByText('poster.webp').first().waitFor({ timeout: 15_000 });
			const text = await output.innerText();
			for (const expected of ['poster.webp', 'image/webp']) assert.ok(text.includes(expected), `output panel lacks "${expected}"`);
			await page.screenshot({ path: path.join(ARTIFACTS, 'binary-output.png') });
			await page.keyboard.press('Escape');
		});

		it('the credential dialog reports a good key as tested and explains a rejected one', async () => {
			// From the panel of a Convertly node: reopen the last one if an earlier test closed it.
			const edit = page.locator('[data-test-id="credential-edit-button"]');
			if (!(await edit.isVisible())) await page.locator('[data-test-id="canvas-node"][data-node-name="Convertly"]').first().dblclick();
			await edit.click();
			const dialog = page.locator('[data-test-id="editCredential-modal"]');
			await dialog.locator('[data-test-id="credentials-config-container-test-success"]').waitFor({ timeout: 30_000 });
			assert.match(await dialog.innerText(), /Connection tested successfully/);

			const apiKey = dialog.locator('[data-test-id="parameter-input-apiKey"] input');
			await apiKey.fill('cvly_revoked_key');
			await dialog.locator('[data-test-id="credential-save-button"]').click();
			await dialog.getByText('Couldn’t connect with these settings').waitFor({ timeout: 30_000 });
			await dialog.getByText('More details').click();
			await dialog.getByText('Convertly rejected the API key', { exact: false }).waitFor();
			await page.screenshot({ path: path.join(ARTIFACTS, 'credential-rejected.png') });

			// Put the good key back, which is tested again on save.
			await apiKey.fill(simulator.apiKey);
			await dialog.locator('[data-test-id="credential-save-button"]').click();
			await dialog.locator('[data-test-id="credentials-config-container-test-success"]').waitFor({ timeout: 30_000 });
		});

		it('cancels a pending job from the editor', async () => {
			const pending = simulator.addJob({ jobType: 'compress', totalFiles: 2, pendingMs: 3_600_000 });
			const created = await createWorkflow(rest, {
				name: 'Convertly cancel (e2e)',
				...chain(
					convertlyNode({
						id: '10000000-0000-4000-8000-000000000010',
						position: [0, 0],
						parameters: { resource: 'job', operation: 'cancel', jobId: { __rl: true, mode: 'id', value: pending.jobId } },
						credential,
					}),
				),
			});
			await page.goto(`/workflow/${created.id}`);
			await page.locator('[data-test-id="canvas-node"]', { hasText: 'Convertly' }).first().dblclick();
			simulator.resetStats();
			await page.click('[data-test-id="node-execute-button"]');
			const output = page.locator('[data-test-id="output-panel"]');
			await output.filter({ hasText: 'cancelled' }).waitFor({ timeout: 30_000 });
			assert.deepEqual(
				simulator.requests().map((request) => `${request.method} ${request.path} ${request.status}`),
				[`DELETE /api/jobs/${pending.jobId} 200`],
			);
			assert.equal(simulator.getJob(pending.jobId)?.status, 'cancelled');
			await page.screenshot({ path: path.join(ARTIFACTS, 'job-cancelled.png') });
			await page.keyboard.press('Escape');
		});

		it('a workflow saved with a plain-text Job ID opens, shows the wait settings filled in, and runs', async () => {
			const created = await createWorkflow(rest, {
				name: 'Convertly plain Job ID (e2e)',
				...chain(
					convertlyNode({
						id: '10000000-0000-4000-8000-000000000020',
						position: [0, 0],
						parameters: { resource: 'job', operation: 'get', jobId: DONE_JOB, waitForCompletion: true },
						credential,
					}),
				),
			});
			await page.goto(`/workflow/${created.id}`);
			await page.locator('[data-test-id="canvas-node"]', { hasText: 'Convertly' }).first().dblclick();
			const panel = page.locator('[data-test-id="node-parameters"]');
			await panel.waitFor();
			// The old value is shown as it is (n8n's "legacy" display: no mode chosen yet).
			assert.equal(await page.locator('[data-test-id="parameter-input-jobId"] [data-test-id="rlc-input"]').inputValue(), DONE_JOB);
			// What the wait will do is visible without adding options.
			// The Wait Options collection can render a moment after the panel: wait for each text.
			for (const expected of ['holds its items', 'Poll Interval (Seconds)', 'Timeout (Seconds)', 'On Failure', 'On Timeout']) {
				const shown = await panel
					.filter({ hasText: expected })
					.waitFor({ timeout: 10_000 })
					.then(() => true, () => false);
				assert.ok(shown, `the panel lacks "${expected}"`);
			}
			assert.equal(await page.locator('[data-test-id="parameter-input-timeout"] input').first().inputValue(), '300');
			await page.screenshot({ path: path.join(ARTIFACTS, 'wait-settings.png') });
			simulator.resetStats();
			await page.click('[data-test-id="node-execute-button"]');
			await page.locator('[data-test-id="output-panel"]').filter({ hasText: 'completed' }).waitFor({ timeout: 30_000 });
			assert.deepEqual(simulator.requests().map((request) => request.path), [`/api/jobs/${DONE_JOB}`]);
		});

		it('Custom API Call reads as a pointer on the canvas and in the panel, and executing it says where to go', async () => {
			const created = await createWorkflow(rest, {
				name: 'Convertly custom call (e2e)',
				...chain(
					convertlyNode({
						id: '10000000-0000-4000-8000-000000000030',
						position: [0, 0],
						parameters: { resource: 'job', operation: '__CUSTOM_API_CALL__' },
						credential,
					}),
				),
			});
			await page.goto(`/workflow/${created.id}`);
			const node = page.locator('[data-test-id="canvas-node"]', { hasText: 'Convertly' }).first();
			await node.filter({ hasText: 'Custom API Call: use the HTTP Request node' }).waitFor({ timeout: 30_000 });
			assert.doesNotMatch(await node.innerText(), /__CUSTOM_API_CALL__/);
			await node.dblclick();
			// n8n's own notice, then our error if it is executed anyway.
			await page.getByText('to make a custom API call', { exact: false }).first().waitFor();
			simulator.resetStats();
			await page.click('[data-test-id="node-execute-button"]');
			await page.getByText('Custom API calls to Convertly are made with the HTTP Request node').first().waitFor({ timeout: 30_000 });
			assert.equal(simulator.requests().length, 0);
			await page.screenshot({ path: path.join(ARTIFACTS, 'custom-api-call.png') });
		});

		it('adds Media Tool → “Create a thumbnail” after a Read Files node from the node creator, executes it and shows the thumbnail in the Binary view', async () => {
			const created = await createWorkflow(rest, {
				name: 'Convertly media thumbnail (e2e)',
				...chain(
					{ id: '10000000-0000-4000-8000-000000000040', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
					{
						id: '10000000-0000-4000-8000-000000000041',
						name: 'Read video',
						type: 'n8n-nodes-base.readWriteFile',
						typeVersion: 1.1,
						position: [220, 0],
						parameters: { fileSelector: path.join(files, video.name), options: {} },
					},
				),
			});
			await page.goto(`/workflow/${created.id}`);
			await page.locator('[data-test-id="canvas-node"][data-node-name="Read video"]').waitFor();
			// The "+" on Read video's output (the only unconnected one) opens the node creator.
			await page.click('[data-test-id="canvas-handle-plus"]');
			await page.fill('input[data-test-id="node-creator-search-bar"]', 'Convertly');
			await page.locator('[data-test-id="item-iterator-item"]', { hasText: 'Convertly' }).first().click();
			await page.locator('[data-test-id="item-iterator-item"]', { hasText: 'Create a thumbnail' }).first().click();
			const credential = page.locator('[data-test-id="node-credentials-select"] input').first();
			await credential.waitFor();
			assert.equal(await credential.inputValue(), 'Convertly (local simulator)');
			const panel = page.locator('[data-test-id="node-parameters"]');
			assert.equal(await panel.locator('[data-test-id="parameter-input-binaryPropertyName"] input').first().inputValue(), 'data');
			// Options → Width 640, Height 360; nothing else is sent.
			for (const [label, name, value] of [
				['Width (Pixels)', 'width', '640'],
				['Height (Pixels)', 'height', '360'],
			]) {
				await panel.locator('[data-test-id="collection-parameter-add"]').click();
				await page.locator('[data-test-id="collection-parameter-option"]', { hasText: label }).first().click();
				const input = panel.locator(`[data-test-id="parameter-input-${name}"] input`).first();
				await input.fill(value);
				await input.press('Tab');
			}

			simulator.resetStats();
			await page.click('[data-test-id="node-execute-button"]');
			const output = page.locator('[data-test-id="output-panel"]');
			await output.filter({ hasText: 'clip-thumbnail.jpg' }).waitFor({ timeout: 30_000 });
			assert.match(await output.innerText(), /image\/jpeg/);
			const requests = simulator.mediaRequests();
			assert.equal(requests.length, 1);
			assert.equal(requests[0].endpoint, '/api/media/thumbnail');
			assert.deepEqual(requests[0].fields, { width: '640', height: '360' });
			assert.deepEqual(
				requests[0].files.map(({ field, filename, mimeType, size }) => ({ field, filename, mimeType, size })),
				[{ field: 'file', filename: video.name, mimeType: 'video/mp4', size: video.bytes.length }],
			);

			// Binary view → View: the picture itself, as n8n serves it from its binary data store.
			await output.getByText('Binary', { exact: true }).first().click();
			await output.locator('[data-test-id="ndv-view-binary-data"]').first().click();
			const image = output.locator('img[src*="/rest/binary-data"]');
			await image.waitFor({ timeout: 15_000 });
			await page.waitForFunction((element) => element.complete && element.naturalWidth > 0, await image.elementHandle());
			const shown = await image.evaluate((element) => ({ src: element.src, width: element.naturalWidth, height: element.naturalHeight }));
			assert.deepEqual({ width: shown.width, height: shown.height }, { width: 640, height: 360 });
			assert.match(shown.src, /fileName=clip-thumbnail\.jpg/);
			const served = await editor.context.request.get(shown.src);
			assert.equal(served.status(), 200);
			const seed = createHash('sha256').update(video.bytes).digest('hex');
			assert.deepEqual(Buffer.from(await served.body()), makePng(640, 360, { seed }), 'n8n shows the file the simulator made');
			await page.screenshot({ path: path.join(ARTIFACTS, 'media-thumbnail.png') });
			await page.keyboard.press('Escape');
		});

		it('adds File → “Upload a file” after a Read Files node from the node creator, picks a nested folder by its path and stores the file there', async () => {
			// Two folders, one inside the other: the picker lists them by path.
			const clients = simulator.seedFolder('Clients');
			const acme = simulator.seedFolder('Acme', { parentId: clients.id });
			assert.equal(acme.path, '/Clients/Acme');
			const created = await createWorkflow(rest, {
				name: 'Convertly upload to a folder (e2e)',
				...chain(
					{ id: '10000000-0000-4000-8000-000000000050', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
					{
						id: '10000000-0000-4000-8000-000000000051',
						name: 'Read logo',
						type: 'n8n-nodes-base.readWriteFile',
						typeVersion: 1.1,
						position: [220, 0],
						parameters: { fileSelector: path.join(files, upload.name), options: {} },
					},
				),
			});
			await page.goto(`/workflow/${created.id}`);
			await page.locator('[data-test-id="canvas-node"][data-node-name="Read logo"]').waitFor();
			await page.click('[data-test-id="canvas-handle-plus"]');
			await page.fill('input[data-test-id="node-creator-search-bar"]', 'Convertly');
			await page.locator('[data-test-id="item-iterator-item"]', { hasText: 'Convertly' }).first().click();
			await page.locator('[data-test-id="item-iterator-item"]', { hasText: 'Upload a file' }).first().click();
			const credential = page.locator('[data-test-id="node-credentials-select"] input').first();
			await credential.waitFor();
			assert.equal(await credential.inputValue(), 'Convertly (local simulator)');
			const panel = page.locator('[data-test-id="node-parameters"]');
			assert.equal(await panel.locator('[data-test-id="parameter-input-binaryPropertyName"] input').first().inputValue(), 'data');

			// Folder → From List: both folders by path, read level by level from the root.
			simulator.resetStats();
			await panel.locator('[data-test-id="parameter-input-folderId"] [data-test-id="rlc-input-container"]').click();
			const items = page.locator('[data-test-id="rlc-item"]');
			await items.filter({ hasText: '/Clients/Acme' }).first().waitFor({ timeout: 30_000 });
			const listed = (await items.allInnerTexts()).map((text) => text.split('\n')[0].trim());
			assert.deepEqual(listed, ['/Clients', '/Clients/Acme']);
			assert.deepEqual(
				simulator.requests().map((request) => request.path),
				['/api/folders?parentId=null', `/api/folders?parentId=${clients.id}`, `/api/folders?parentId=${acme.id}`],
			);
			await page.screenshot({ path: path.join(ARTIFACTS, 'folder-picker.png') });
			await items.filter({ hasText: '/Clients/Acme' }).first().click();
			assert.equal(await panel.locator('[data-test-id="parameter-input-folderId"] [data-test-id="rlc-input"]').inputValue(), '/Clients/Acme');

			simulator.resetStats();
			const before = simulator.storedFiles().length;
			await page.click('[data-test-id="node-execute-button"]');
			const output = page.locator('[data-test-id="output-panel"]');
			await output.filter({ hasText: acme.id }).waitFor({ timeout: 30_000 });
			const stored = simulator.storedFiles();
			assert.equal(stored.length, before + 1);
			const [file] = stored; // newest first
			assert.deepEqual(
				{ filename: file.filename, mimeType: file.mimeType, sizeBytes: file.sizeBytes, folderId: file.folderId, folderPath: file.folderPath, origin: file.origin },
				{ filename: upload.name, mimeType: 'image/png', sizeBytes: upload.bytes.length, folderId: acme.id, folderPath: '/Clients/Acme', origin: 'upload' },
			);
			assert.equal(file.sha256, createHash('sha256').update(upload.bytes).digest('hex'));
			assert.deepEqual(simulator.storedFileBytes(file.id), upload.bytes);
			assert.ok((await output.innerText()).includes(file.id), 'the output panel shows the stored file');
			await page.screenshot({ path: path.join(ARTIFACTS, 'folder-upload.png') });
			await page.keyboard.press('Escape');
		});
	});
});
