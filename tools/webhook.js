'use strict';
// Runs the built Convertly Trigger the way n8n serves a webhook: its `webhook()` method inside
// n8n-core's real WebhookContext (parameters, credentials, static data, response object), then,
// when it starts an execution, the workflow through WorkflowExecute with the webhook's items on the
// execution stack, as n8n's webhook helpers do. The HTTP request and response are small stand-ins
// for Express's; everything the node logs is captured so tests can search it for secrets.
// Plain JS because it needs Node built-ins.

const path = require('node:path');
const { Readable } = require('node:stream');

// engine.js prepares n8n-core's environment (user folder, log level) before n8n-core loads.
const { TestCredentialsHelper, additionalDataFor, nodeTypesOf, binaryDataReady } = require('./engine');
const { WebhookContext, WorkflowExecute } = require('n8n-core');
const { Workflow, createRunExecutionData } = require('n8n-workflow');

const ROOT = path.resolve(__dirname, '..');
const TRIGGER_TYPE = 'n8n-nodes-convertly.convertlyTrigger';
const NODE_NAME = 'Convertly Trigger';

function loadTrigger(distDir = path.join(ROOT, 'dist')) {
	const { ConvertlyTrigger } = require(path.join(distDir, 'nodes/Convertly/ConvertlyTrigger.node.js'));
	const { ConvertlyWebhookApi } = require(path.join(distDir, 'credentials/ConvertlyWebhookApi.credentials.js'));
	const { ConvertlyApi } = require(path.join(distDir, 'credentials/ConvertlyApi.credentials.js'));
	const replay = require(path.join(distDir, 'nodes/Convertly/trigger/replay.js'));
	return { trigger: new ConvertlyTrigger(), webhookCredential: new ConvertlyWebhookApi(), apiCredential: new ConvertlyApi(), replay };
}

/** Decrypted data per credential type (the base helper holds one set for every type). */
class CredentialsByType extends TestCredentialsHelper {
	constructor(credentialTypes, dataByType) {
		super(credentialTypes, {});
		this.dataByType = dataByType;
	}

	async getDecrypted(_additionalData, _nodeCredentials, type) {
		const defaults = {};
		for (const property of this.credentialTypes[type].properties) defaults[property.name] = property.default;
		return { ...defaults, ...(this.dataByType[type] ?? {}) };
	}
}

/** A stand-in for the Express request n8n hands to webhook(). */
function makeRequest({ headers = {}, body = '', preRead = true, chunks }) {
	const lower = {};
	for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
	const state = { bytesRead: 0 };
	let req;
	if (chunks) {
		// A body n8n has not read: a stream that counts how much of it is ever pulled.
		const counted = (async function* () {
			for await (const chunk of chunks) {
				state.bytesRead += chunk.length;
				yield chunk;
			}
		})();
		req = Readable.from(counted, { objectMode: false, highWaterMark: 16 * 1024 });
	} else {
		const raw = Buffer.isBuffer(body) ? body : Buffer.from(body);
		if (lower['content-length'] === undefined) lower['content-length'] = String(raw.length);
		if (preRead) {
			req = Readable.from([]);
			req.rawBody = raw;
			state.bytesRead = raw.length;
		} else {
			req = Readable.from(
				(async function* () {
					state.bytesRead += raw.length;
					yield raw;
				})(),
			);
		}
		try {
			req.body = JSON.parse(raw.toString('utf8'));
		} catch {
			req.body = {};
		}
	}
	req.method = 'POST';
	req.headers = lower;
	req.header = (name) => lower[name.toLowerCase()];
	req.query = {};
	req.params = {};
	return { req, state };
}

/** A stand-in for the Express response; records what the node sent. */
function makeResponse() {
	const sent = { status: 200, headers: {}, body: undefined, ended: false };
	const res = {
		status(code) {
			sent.status = code;
			return res;
		},
		setHeader(name, value) {
			sent.headers[name.toLowerCase()] = value;
			return res;
		},
		set(name, value) {
			return res.setHeader(name, value);
		},
		send(body) {
			sent.body = body;
			sent.ended = true;
			return res;
		},
		json(body) {
			return res.send(body);
		},
		end(body) {
			if (body !== undefined) sent.body = body;
			sent.ended = true;
			return res;
		},
	};
	return { res, sent };
}

function captureLogger(logs) {
	const at = (level) => (message, metadata = {}) => logs.push({ level, message, metadata });
	const logger = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
	logger.scoped = () => logger;
	return logger;
}

let executionCounter = 0;
let triggerCounter = 0;

/**
 * One Convertly Trigger node in one (published) workflow. Its static data lives as long as the
 * returned object, as the saved workflow's does in n8n.
 * @param {object} options
 * @param {object} options.parameters the node's parameters
 * @param {{signingSecret: string}} options.webhookCredentials
 * @param {object} [options.apiCredentials] the Convertly API credential (for fetchJob)
 * @param {'webhook'|'manual'} [options.mode] production URL ('webhook') or "Listen for test event"
 */
function createTrigger({ parameters = {}, webhookCredentials, apiCredentials, mode = 'webhook', settings = {}, workflowId = `wf-trigger-${++triggerCounter}`, dist } = {}) {
	const { trigger, webhookCredential, apiCredential, replay } = loadTrigger(dist);
	const nodeTypes = nodeTypesOf({ [TRIGGER_TYPE]: trigger });
	const credentials = { convertlyWebhookApi: { id: 'w1', name: 'Convertly webhook secret' } };
	if (apiCredentials) credentials.convertlyApi = { id: 'a1', name: 'Convertly API' };
	const node = {
		id: 'trigger-node',
		name: NODE_NAME,
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: '11111111-2222-4333-8444-555555555555',
		parameters,
		credentials,
		...settings,
	};
	const workflowData = { id: workflowId, name: 'Trigger test', nodes: [node], connections: {}, active: true, settings: {}, staticData: {} };
	const workflow = new Workflow({ ...workflowData, nodeTypes });
	const credentialsHelper = new CredentialsByType(
		{ convertlyWebhookApi: webhookCredential, convertlyApi: apiCredential },
		{ convertlyWebhookApi: webhookCredentials, convertlyApi: apiCredentials },
	);
	const logs = [];
	const runs = [];

	const additionalData = (executionId, extra = {}) =>
		additionalDataFor({ mode, executionId, workflowData, credentialsHelper, extra });

	/**
	 * Delivers one HTTP request to the trigger.
	 * @returns the HTTP answer n8n would give, whether an execution started, and its result.
	 */
	async function deliver(request) {
		await binaryDataReady;
		const { req, state } = makeRequest(request);
		const { res, sent } = makeResponse();
		const executionId = `trigger-exec-${++executionCounter}`;
		const webhookDescription = trigger.description.webhooks[0];
		const webhookData = {
			httpMethod: 'POST',
			node: NODE_NAME,
			path: webhookDescription.path,
			webhookDescription,
			workflowId,
			isTest: mode === 'manual',
		};
		const context = new WebhookContext(
			workflow,
			node,
			additionalData(executionId, { httpRequest: req, httpResponse: res }),
			mode,
			webhookData,
			[],
		);
		Object.defineProperty(context, 'logger', { value: captureLogger(logs) });
		const result = await trigger.webhook.call(context);

		let response;
		if (result.noWebhookResponse) {
			response = { status: sent.status, body: sent.body, headers: sent.headers };
		} else if (result.workflowData) {
			// responseMode onReceived: n8n answers before the workflow runs.
			response = { status: 200, body: { message: 'Workflow was started' }, headers: {} };
		} else {
			response = { status: 200, body: result.webhookResponse ?? { message: 'Webhook call received' }, headers: {} };
		}

		let run;
		if (result.workflowData) {
			const runExecutionData = createRunExecutionData({
				executionData: { nodeExecutionStack: [{ node, data: { main: result.workflowData }, source: null }] },
			});
			const execution = new WorkflowExecute(additionalData(executionId), mode, runExecutionData).processRunExecutionData(workflow);
			const done = await execution;
			const nodeRun = done.data.resultData.runData[NODE_NAME]?.[0];
			run = {
				run: done,
				status: done.status,
				items: nodeRun?.data?.main?.[0] ?? [],
				outputs: nodeRun?.data?.main ?? [],
				error: done.data.resultData.error ?? nodeRun?.error,
			};
			runs.push(run);
		}
		return { response, started: Boolean(result.workflowData), webhookResult: result, run, bytesRead: state.bytesRead };
	}

	return {
		deliver,
		/** Every execution this trigger started, in order. */
		runs,
		/** Everything the node logged: { level, message, metadata }. */
		logs,
		/** The node's static data, as n8n would save it with the workflow. */
		staticData: () => workflow.getStaticData('node', node),
		/** How many event ids this process's replay memory holds for this trigger. */
		rememberedInProcess: () => replay.rememberedInProcess(`${workflowId}:${node.id}`),
		webhookPath: () => `${node.webhookId}/${trigger.description.webhooks[0].path}`,
	};
}

module.exports = { createTrigger, TRIGGER_TYPE, NODE_NAME };
