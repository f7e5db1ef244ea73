'use strict';
// Runs the built Convertly node through n8n-core's real WorkflowExecute: parameters and
// expressions are resolved, credentials applied and errors wrapped exactly as in n8n. Used by
// the tests, `npm run demo` and `npm run bench`. Plain JS because it needs Node built-ins,
// which n8n's strict lint forbids in .ts files.

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// n8n-core reads these when it loads: keep its files out of $HOME and its logs quiet.
if (!process.env.N8N_USER_FOLDER) {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'convertly-n8n-'));
	process.env.N8N_USER_FOLDER = userFolder;
	process.on('exit', () => fs.rmSync(userFolder, { recursive: true, force: true }));
}
process.env.N8N_LOG_LEVEL ??= 'silent';

const get = require('lodash/get');
const { WorkflowExecute, ExecutionLifecycleHooks, BinaryDataService, LoadOptionsContext } = require('n8n-core');
const { ICredentialsHelper, NodeHelpers, Workflow, NodeConnectionTypes } = require('n8n-workflow');
// n8n-core's own copy of the DI container, which holds its services.
const { Container } = require(require.resolve('@n8n/di', { paths: [path.dirname(require.resolve('n8n-core'))] }));

/**
 * n8n's binary data service in its default mode, filesystem: files are written under the user
 * folder and items carry only an id, exactly as in a regular n8n. Without init() n8n-core would
 * keep every file in memory, base64 in the item.
 */
const binaryDataReady = Container.get(BinaryDataService).init();

const ROOT = path.resolve(__dirname, '..');
const NODE_TYPE = 'n8n-nodes-convertly.convertly';
const INPUT_TYPE = 'test.input';
const CREDENTIAL_TEST_TYPE = 'test.credentialTest';

/** Loads the compiled node and credential from dist/ (run `npm run build` first). */
function loadPackage(distDir = path.join(ROOT, 'dist')) {
	const nodeFile = path.join(distDir, 'nodes/Convertly/Convertly.node.js');
	if (!fs.existsSync(nodeFile)) throw new Error(`${nodeFile} is missing: run "npm run build" first`);
	const { Convertly } = require(nodeFile);
	const { ConvertlyApi } = require(path.join(distDir, 'credentials/ConvertlyApi.credentials.js'));
	return { node: new Convertly(), credential: new ConvertlyApi() };
}

/** The description of a helper node that exists only in these runs. */
function helperDescription(displayName, name, extra) {
	return {
		displayName,
		name,
		group: ['input'],
		version: 1,
		description: displayName,
		defaults: { name: displayName },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
		...extra,
	};
}

/**
 * Emits the items given in its `items` parameter: the input of the node under test. An item
 * may carry files: `{ json, binary: { data: { path | text | base64, fileName, mimeType } } }`;
 * they are stored through n8n's binary data service like any node's output files (`inMemory:
 * true` keeps one in the item instead, as n8n does for small files in some modes). An item
 * without `json`/`binary` keys is the JSON itself.
 */
class InputNode {
	description = helperDescription('Input', 'input', {
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	});

	async execute() {
		const specs = JSON.parse(this.getNodeParameter('items', 0));
		const items = [];
		for (const spec of specs) {
			if (!spec || (spec.binary === undefined && spec.json === undefined)) {
				items.push({ json: spec });
				continue;
			}
			const binary = {};
			for (const [field, file] of Object.entries(spec.binary ?? {})) {
				const content =
					file.path !== undefined
						? fs.createReadStream(file.path)
						: file.sizeBytes !== undefined
							? patternFile(file.sizeBytes)
							: Buffer.from(file.base64 ?? file.text ?? '', file.base64 !== undefined ? 'base64' : 'utf8');
				if (file.inMemory) {
					const buffer = Buffer.isBuffer(content) ? content : fs.readFileSync(file.path);
					binary[field] = { data: buffer.toString('base64'), fileName: file.fileName, mimeType: file.mimeType, fileSize: String(buffer.length) };
				} else {
					binary[field] = await this.helpers.prepareBinaryData(content, file.fileName, file.mimeType);
				}
			}
			items.push({ json: spec.json ?? {}, binary });
		}
		return [items];
	}
}

/**
 * Sends a credential type's `test.request` with the credential applied and judges the answer
 * by its `rules`, as n8n's credential tester does (any non-2xx fails; a matching
 * `responseCode` rule gives its message; on a 2xx, a `responseSuccessBody` rule fails the test
 * when get(body, key) === value).
 */
function credentialTestNode(credentialType, resolve) {
	return class CredentialTestNode {
		description = helperDescription('Credential Test', 'credentialTest', {
			credentials: [{ name: credentialType.name, required: true }],
		});

		async execute() {
			const { request, rules = [] } = credentialType.test;
			const response = await this.helpers.httpRequestWithAuthentication.call(this, credentialType.name, {
				method: request.method ?? 'GET',
				url: `${resolve(request.baseURL)}${request.url}`,
				qs: request.qs,
				json: true,
				ignoreHttpStatusErrors: true,
				returnFullResponse: true,
			});
			let result = { status: 'OK', message: 'Connection successful!' };
			if (response.statusCode >= 300) {
				const rule = rules.find((r) => r.type === 'responseCode' && r.properties.value === response.statusCode);
				result = {
					status: 'Error',
					message: rule ? rule.properties.message : `Received HTTP status code: ${response.statusCode}`,
				};
			} else {
				// Like n8n's tester: the routing node's first item is judged (an array body's first entry).
				const json = Array.isArray(response.body) ? response.body[0] : response.body;
				const rule = rules.find((r) => r.type === 'responseSuccessBody' && get(json, r.properties.key) === r.properties.value);
				if (rule) result = { status: 'Error', message: rule.properties.message };
			}
			return [[{ json: { ...result, statusCode: response.statusCode } }]];
		}
	};
}

/** n8n's CLI credentials helper, reduced to what a run needs; resolves generic `authenticate`. */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(credentialTypes, data) {
		super();
		this.credentialTypes = credentialTypes;
		this.data = data;
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const auth = this.credentialTypes[typeName].authenticate;
		if (typeof auth === 'function') return await auth(credentials, requestOptions);
		if (!auth || auth.type !== 'generic') return requestOptions;
		const resolve = (value) =>
			typeof value === 'string' && value.startsWith('=')
				? String(
						workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '') ??
							'',
					)
				: value;
		for (const [where, entries] of Object.entries(auth.properties)) {
			requestOptions[where] ??= {};
			for (const [key, value] of Object.entries(entries)) requestOptions[where][resolve(key)] = resolve(value);
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials() {
		throw new Error('not needed');
	}

	async getDecrypted(_additionalData, _nodeCredentials, type) {
		// Like n8n, fill in the defaults of fields the user left unset; always a fresh copy.
		const defaults = {};
		for (const property of this.credentialTypes[type].properties) defaults[property.name] = property.default;
		return { ...defaults, ...this.data };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type) {
		return this.credentialTypes[type].properties;
	}
}

function nodeTypesOf(types) {
	return {
		getByName: (type) => types[type],
		getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(types[type], version),
		getKnownTypes: () => ({}),
	};
}

/**
 * What n8n hands an execution besides the workflow: lifecycle hooks, the credentials helper and
 * the instance's URLs (absolute: n8n-core builds URLs from them and fails on empty ones).
 */
function additionalDataFor({ mode, executionId, workflowData, credentialsHelper, extra = {} }) {
	const base = 'http://127.0.0.1:5678';
	return {
		executionId,
		hooks: new ExecutionLifecycleHooks(mode, executionId, workflowData),
		credentialsHelper,
		variables: {},
		currentNodeExecutionIndex: 0,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		...extra,
	};
}

let executionCounter = 0;
/**
 * Execution ids are unique per run, as n8n's are per instance: every loaded copy of this module
 * (each jest test file has its own) gets its own prefix, so two runs never share an id.
 */
const executionIdPrefix = `exec-${crypto.randomBytes(4).toString('hex')}`;

/**
 * Runs Input → node of `nodeType` as a manual execution.
 * @returns {{ execution: Promise<object> & { cancel(): void }, done: Promise<RunResult> }}
 */
function runWorkflow({ nodeType, typeName, parameters, credentialType, credentials, items = [{}], settings = {} }) {
	const types = { [INPUT_TYPE]: new InputNode(), [typeName]: nodeType };
	const nodeTypes = nodeTypesOf(types);
	const input = {
		id: 'input',
		name: 'Input',
		type: INPUT_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(items) },
	};
	const node = {
		id: 'node',
		name: 'Node',
		type: typeName,
		typeVersion: 1,
		position: [200, 0],
		parameters,
		credentials: { [credentialType.name]: { id: '1', name: 'Test credential' } },
		...settings,
	};
	const workflowData = {
		id: 'wf',
		name: 'Test',
		nodes: [input, node],
		connections: { Input: { main: [[{ node: 'Node', type: 'main', index: 0 }]] } },
		active: false,
		settings: {},
	};
	const workflow = new Workflow({ ...workflowData, nodeTypes });
	const executionId = `${executionIdPrefix}-${++executionCounter}`;
	const additionalData = additionalDataFor({
		mode: 'manual',
		executionId,
		workflowData,
		credentialsHelper: new TestCredentialsHelper({ [credentialType.name]: credentialType }, credentials),
	});
	// Started once n8n's binary data service is ready; cancel() is what n8n's Stop button calls.
	let started;
	let cancelled = false;
	const running = binaryDataReady.then(() => {
		started = new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode: input });
		if (cancelled) started.cancel();
		return started;
	});
	const execution = {
		then: (onFulfilled, onRejected) => running.then(onFulfilled, onRejected),
		cancel: () => {
			cancelled = true;
			started?.cancel();
		},
	};
	const done = running.then((run) => {
		const nodeRun = run.data.resultData.runData.Node?.[0];
		return {
			run,
			executionId,
			status: run.status,
			items: nodeRun?.data?.main?.[0] ?? [],
			outputs: nodeRun?.data?.main ?? [],
			error: run.data.resultData.error ?? nodeRun?.error,
		};
	});
	return { execution, done, executionId };
}

/** Runs the Convertly node with the given parameters, credential data and input items. */
function runConvertly({ parameters, credentials, items, settings, dist } = {}) {
	const { node, credential } = loadPackage(dist);
	return runWorkflow({ nodeType: node, typeName: NODE_TYPE, parameters, credentialType: credential, credentials, items, settings });
}

/** Runs the credential's Test request through the engine; resolves to { status, message, statusCode }. */
async function testCredential(credentials, dist) {
	const { credential } = loadPackage(dist);
	const helper = new TestCredentialsHelper({ [credential.name]: credential }, credentials);
	const decrypted = await helper.getDecrypted(undefined, undefined, credential.name);
	const scratch = new Workflow({ nodes: [], connections: {}, active: false, nodeTypes: nodeTypesOf({}) });
	const resolve = (value) =>
		typeof value === 'string' && value.startsWith('=')
			? scratch.expression.getSimpleParameterValue({ name: 'x', parameters: {} }, value, 'internal', { $credentials: decrypted }, undefined, '')
			: value;
	const TestNode = credentialTestNode(credential, resolve);
	const { done } = runWorkflow({
		nodeType: new TestNode(),
		typeName: CREDENTIAL_TEST_TYPE,
		parameters: {},
		credentialType: credential,
		credentials,
	});
	const result = await done;
	if (result.status !== 'success') throw result.error;
	return result.items[0].json;
}

/**
 * Calls one of the node's listSearch methods the way the editor's resource locator does: n8n's
 * DynamicNodeParametersService builds a one-node workflow ("Temp-Node") from the node's current
 * parameters and credentials and calls the method on a LoadOptionsContext with the search text
 * and the pagination token.
 * @returns {Promise<import('n8n-workflow').INodeListSearchResult>}
 */
async function listSearch({ method, filter, paginationToken, parameters = {}, credentials, dist }) {
	const { node: nodeType, credential } = loadPackage(dist);
	const listSearchMethod = nodeType.methods?.listSearch?.[method];
	if (typeof listSearchMethod !== 'function') throw new Error(`The node has no listSearch method "${method}"`);
	const nodeTypes = nodeTypesOf({ [NODE_TYPE]: nodeType });
	const node = {
		parameters,
		id: 'uuid-1234',
		name: 'Temp-Node',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		credentials: { [credential.name]: { id: '1', name: 'Test credential' } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const base = 'http://127.0.0.1:5678';
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper({ [credential.name]: credential }, credentials),
		currentNodeParameters: parameters,
		variables: {},
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		formWaitingBaseUrl: `${base}/form-waiting`,
	};
	const context = new LoadOptionsContext(workflow, workflow.nodes['Temp-Node'], additionalData, 'parameters.jobId');
	const result = await listSearchMethod.call(context, filter, paginationToken);
	// As n8n does: a numeric token is sent to the editor as text.
	const token = result?.paginationToken;
	return typeof token === 'number' ? { ...result, paginationToken: String(token) } : result;
}

/** A generated file of `size` bytes (byte i = i % 251), streamed so that size costs no memory. */
function patternFile(size) {
	const { Readable } = require('node:stream');
	const chunkSize = 64 * 1024;
	let offset = 0;
	return new Readable({
		read() {
			if (offset >= size) return this.push(null);
			const length = Math.min(chunkSize, size - offset);
			const chunk = Buffer.allocUnsafe(length);
			for (let i = 0; i < length; i++) chunk[i] = (offset + i) % 251;
			offset += length;
			this.push(chunk);
		},
	});
}

/**
 * Every file under n8n's binary data folder (to check that nothing half-written is left), or only
 * those of one execution: test files run in parallel and share the folder.
 */
async function storedBinaryFiles(executionId) {
	await binaryDataReady;
	const root = Container.get(BinaryDataService).config.localStoragePath;
	if (!fs.existsSync(root)) return [];
	return fs
		.readdirSync(root, { recursive: true })
		.filter((name) => executionId === undefined || name.split(path.sep).includes(executionId))
		.filter((name) => fs.statSync(path.join(root, name)).isFile());
}

/** Reads a binary field of an output item through n8n's binary data service (small files: tests). */
async function readBinary(binary) {
	await binaryDataReady;
	if (!binary.id) return Buffer.from(binary.data, 'base64');
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}

/** Where n8n stored a binary field of an output item on disk (filesystem mode). */
function binaryPath(binary) {
	return binary.id ? Container.get(BinaryDataService).getPath(binary.id) : undefined;
}

/**
 * The files under n8n's binary data folder this process holds open (Linux: /proc/self/fd), to
 * check that a request which ended early closed the file it was reading; null where /proc is not.
 */
async function openStoredFiles() {
	await binaryDataReady;
	const root = Container.get(BinaryDataService).config.localStoragePath;
	if (!fs.existsSync('/proc/self/fd')) return null;
	const open = [];
	for (const fd of fs.readdirSync('/proc/self/fd')) {
		try {
			const target = fs.readlinkSync(path.join('/proc/self/fd', fd));
			if (target.startsWith(root)) open.push(target);
		} catch {
			// Closed while listing.
		}
	}
	return open;
}

module.exports = {
	openStoredFiles,
	runConvertly,
	testCredential,
	listSearch,
	loadPackage,
	readBinary,
	binaryPath,
	storedBinaryFiles,
	NODE_TYPE,
	TestCredentialsHelper,
	nodeTypesOf,
	additionalDataFor,
	binaryDataReady,
};
