'use strict';
// Helpers for the end-to-end suite: run n8n's CLI, start and stop `n8n start`, talk to its REST
// API, open the editor in headless Chromium. Every process started here is recorded in
// $E2E_PID_DIR so that e2e/run.sh's trap can stop it by PID even if a test crashes.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
// N8N_E2E_RUNTIME=1x: the last n8n 1.x (e2e/n8n1-runtime, installed by `N8N_E2E_RUNTIME=1x source
// scripts/n8n-runtime.sh`); unset or 2x: the pinned 2.x (e2e/n8n-runtime, or $N8N_BIN).
const RUNTIME_NAME = process.env.N8N_E2E_RUNTIME || '2x';
if (!['1x', '2x'].includes(RUNTIME_NAME)) throw new Error(`N8N_E2E_RUNTIME=${RUNTIME_NAME}: expected 1x or 2x`);
const RUNTIME = path.join(ROOT, 'e2e', RUNTIME_NAME === '1x' ? 'n8n1-runtime' : 'n8n-runtime');
const N8N_BIN = (RUNTIME_NAME === '2x' && process.env.N8N_BIN) || path.join(RUNTIME, 'node_modules', '.bin', 'n8n');
/** The version of the n8n that N8N_BIN runs (from its package.json; undefined when not installed). */
const N8N_VERSION = (() => {
	try {
		return JSON.parse(fs.readFileSync(path.join(path.dirname(fs.realpathSync(N8N_BIN)), '..', 'package.json'), 'utf8')).version;
	} catch {
		return undefined;
	}
})();
const ENCRYPTION_KEY = 'convertly-e2e-encryption-key';
const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function pidFile(pid) {
	const dir = process.env.E2E_PID_DIR;
	return dir ? path.join(dir, `${pid}.pid`) : undefined;
}

/** The package installed as a community package in `<userFolder>/.n8n/nodes` (a symlink to the repo). */
function linkPackage(userFolder) {
	const nodes = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	fs.mkdirSync(nodes, { recursive: true });
	fs.symlinkSync(ROOT, path.join(nodes, 'n8n-nodes-convertly'));
}

/** A fresh n8n user folder with the built package linked as an installed community package. */
function makeUserFolder(name) {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), `convertly-e2e-${name}-`));
	linkPackage(folder);
	return folder;
}

function n8nEnv(userFolder, extra = {}) {
	return {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_LOG_LEVEL: 'info',
		...extra,
	};
}

/** Runs an n8n CLI command to completion; resolves to { code, signal, stdout, stderr, ms }. */
function n8nCli(userFolder, args, { brokerPort = Number(process.env.E2E_N8N_BROKER_PORT ?? 5691), timeoutMs = 120_000 } = {}) {
	return new Promise((resolve, reject) => {
		const startedAt = Date.now();
		const child = spawn(N8N_BIN, args, {
			cwd: RUNTIME,
			env: n8nEnv(userFolder, { N8N_RUNNERS_BROKER_PORT: String(brokerPort) }),
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const file = pidFile(child.pid);
		if (file) fs.writeFileSync(file, String(child.pid));
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => {
			killGroup(child.pid);
			reject(new Error(`n8n ${args.join(' ')} took over ${timeoutMs} ms\n${stdout}\n${stderr}`));
		}, timeoutMs);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			killGroup(child.pid); // its task runner, if any, goes with it
			if (file) fs.rmSync(file, { force: true });
			// A signal's name goes to stderr, so that a test's `code` assertion shows what ended it.
			if (signal) stderr += `\n[e2e] n8n ${args[0]} ended by ${signal}`;
			resolve({ code, signal, stdout, stderr, ms: Date.now() - startedAt });
		});
	});
}

/**
 * The run data JSON that `n8n execute --rawOutput` prints between its log lines: from a line that
 * starts with `{` to the first line that is only `}` (it is pretty-printed, so inner braces are
 * indented). A busy n8n can print a log line after it.
 */
function parseRawOutput(stdout) {
	const start = stdout.startsWith('{') ? 0 : stdout.indexOf('\n{') + 1;
	if (start < 0 || stdout[start] !== '{') throw new Error(`no JSON in n8n output:\n${stdout}`);
	const end = stdout.slice(start).search(/\n\}[ \t]*(\r?\n|$)/);
	return JSON.parse(end < 0 ? stdout.slice(start) : stdout.slice(start, start + end + 2));
}

/** The items of a node's first run, per output. */
function nodeOutputs(runData, nodeName) {
	const run = runData.data.resultData.runData[nodeName]?.[0];
	if (!run) throw new Error(`node "${nodeName}" did not run`);
	return run.data?.main ?? [];
}

/** Sends `signal` to the process group led by `pid`, and to `pid` itself. */
function killGroup(pid, signal = 'SIGTERM') {
	for (const target of [-pid, pid]) {
		try {
			process.kill(target, signal);
		} catch {
			// already gone
		}
	}
}

/** Polls `url` until it answers 2xx; resolves to the milliseconds that took. */
async function waitForHttp(url, { timeoutMs = 180_000, intervalMs = 250, isAlive = () => true, what = url } = {}) {
	const startedAt = Date.now();
	for (;;) {
		if (!isAlive()) throw new Error(`${what} exited before it was ready`);
		try {
			const response = await fetch(url);
			if (response.ok) return Date.now() - startedAt;
		} catch {
			// not listening yet
		}
		if (Date.now() - startedAt > timeoutMs) throw new Error(`${what} not ready after ${timeoutMs} ms`);
		await sleep(intervalMs);
	}
}

/** Starts `n8n start` and waits until /healthz/readiness answers 200. */
async function startServer(userFolder, port) {
	const logFile = path.join(ARTIFACTS, `n8n-server-${port}.log`);
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	const log = fs.openSync(logFile, 'w');
	const child = spawn(N8N_BIN, ['start'], {
		cwd: RUNTIME,
		env: n8nEnv(userFolder, { N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(port + 1) }),
		detached: true,
		stdio: ['ignore', log, log],
	});
	const file = pidFile(child.pid);
	if (file) fs.writeFileSync(file, String(child.pid));
	const baseUrl = `http://127.0.0.1:${port}`;
	const readyMs = await waitForHttp(`${baseUrl}/healthz/readiness`, {
		intervalMs: 500,
		isAlive: () => child.exitCode === null,
		what: `n8n start (see ${logFile})`,
	});
	return {
		baseUrl,
		readyMs,
		logFile,
		stop: async () => {
			killGroup(child.pid);
			await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
			if (file) fs.rmSync(file, { force: true });
		},
	};
}

/** A tiny cookie-keeping client for n8n's internal REST API. */
function restClient(baseUrl) {
	let cookie = '';
	const call = async (method, route, body, { signal } = {}) => {
		const response = await fetch(`${baseUrl}${route}`, {
			method,
			signal,
			headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.get('set-cookie');
		if (setCookie) cookie = setCookie.split(';')[0];
		const buffer = Buffer.from(await response.arrayBuffer());
		const text = buffer.toString('utf8');
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: response.status, json, text, buffer, headers: response.headers };
	};
	return { call, cookie: () => cookie };
}

/** Saves an inactive workflow over n8n's REST API; returns { id, versionId }. */
async function createWorkflow(rest, workflow) {
	const created = await rest.call('POST', '/rest/workflows', { active: false, settings: { executionOrder: 'v1' }, ...workflow });
	if (created.status !== 200) throw new Error(`create workflow: ${created.status} ${created.text}`);
	const { id, versionId } = created.json.data;
	return { id, versionId };
}

/** Creates and activates a workflow over n8n's REST API; returns its id. */
async function createActiveWorkflow(rest, workflow) {
	const { id, versionId } = await createWorkflow(rest, workflow);
	const activated = await rest.call('POST', `/rest/workflows/${id}/activate`, { versionId });
	if (activated.status !== 200) throw new Error(`activate workflow: ${activated.status} ${activated.text}`);
	return id;
}

/**
 * POSTs to a production webhook (`{baseUrl}/webhook/{webhookPath}`), retrying 404s for about 10 s
 * while n8n registers it after activation. `body` is sent as JSON, or as it is when a Buffer.
 */
async function postWebhook(baseUrl, webhookPath, body, headers = {}) {
	const raw = Buffer.isBuffer(body);
	for (let attempt = 0; ; attempt++) {
		const response = await fetch(`${baseUrl}/webhook/${webhookPath}`, {
			method: 'POST',
			headers: { 'content-type': raw ? 'application/octet-stream' : 'application/json', ...headers },
			body: raw ? body : JSON.stringify(body),
		});
		const text = await response.text();
		if (response.status !== 404 || attempt >= 40) return { status: response.status, text };
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

const OWNER = { email: 'e2e@convertly.local', firstName: 'E2E', lastName: 'Convertly', password: 'Convertly-e2e-1' };
const SIMULATOR_CREDENTIAL_NAME = 'Convertly (local simulator)';

/**
 * The owner account (set up, or logged in to when it already is) and one Convertly API credential
 * for `api` ({ url, apiKey }: the simulator, or the real API), on the n8n at `baseUrl`. Returns
 * { rest, credentialId, credential }, `credential` being the { id, name } that a node's
 * `credentials.convertlyApi` takes.
 */
async function setUpOwner(baseUrl, api, { owner = OWNER, credentialName = SIMULATOR_CREDENTIAL_NAME } = {}) {
	const rest = restClient(baseUrl);
	const setup = await rest.call('POST', '/rest/owner/setup', owner);
	if (setup.status !== 200) {
		const login = await rest.call('POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		if (login.status !== 200) throw new Error(`owner setup failed: ${setup.status} ${setup.text}`);
	}
	const created = await rest.call('POST', '/rest/credentials', {
		name: credentialName,
		type: 'convertlyApi',
		data: { apiKey: api.apiKey, authHeader: 'bearer', baseUrl: api.url },
	});
	if (created.status !== 200) throw new Error(`credential: ${created.status} ${created.text}`);
	const credential = { id: created.json.data.id, name: credentialName };
	return { rest, credentialId: credential.id, credential };
}

/** The PID of a child of this process whose command line contains `needle` (Linux /proc), if any. */
function childPidWith(needle) {
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (ppid === process.pid && fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) return Number(entry);
		} catch {
			// gone meanwhile
		}
	}
	return undefined;
}

/**
 * Headless Chromium (Debian's, or $CHROMIUM_PATH) with a fresh profile folder, logged in to the
 * n8n at `baseUrl` as `owner`. Its browser process (a process-group leader) is recorded in
 * $E2E_PID_DIR like every other process of the suite. Returns { context, page, close }; close(screenshot)
 * saves the page to e2e/artifacts/<screenshot> when a name is given, closes the browser (killing
 * its process group if that fails) and removes the profile folder. When the launch or the login
 * fails, the same happens before the error is thrown.
 */
async function openEditor(baseUrl, { profilePrefix = 'convertly-chromium-', owner = OWNER } = {}) {
	if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (e2e/run.sh does this as root)`);
	const { chromium } = require('playwright-core');
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), profilePrefix));
	let context;
	let page;
	let pid;
	let file;
	const close = async (screenshot) => {
		try {
			if (page && screenshot) await page.screenshot({ path: path.join(ARTIFACTS, screenshot) }).catch(() => {});
			await context?.close();
		} catch (error) {
			if (pid) killGroup(pid, 'SIGKILL');
			throw error;
		} finally {
			if (file) fs.rmSync(file, { force: true });
			fs.rmSync(profile, { recursive: true, force: true });
		}
	};
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			baseURL: baseUrl,
			viewport: { width: 1440, height: 900 },
			args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
		});
		pid = childPidWith(`--user-data-dir=${profile}`);
		file = pid && pidFile(pid);
		if (file) fs.writeFileSync(file, String(pid));
		const login = await context.request.post('/rest/login', { data: { emailOrLdapLoginId: owner.email, password: owner.password } });
		if (login.status() !== 200) throw new Error(`log in to n8n as ${owner.email}: ${login.status()} ${await login.text()}`);
		page = context.pages()[0] ?? (await context.newPage());
	} catch (error) {
		await close().catch(() => {});
		throw error;
	}
	return { context, page, close };
}

module.exports = {
	ROOT,
	RUNTIME,
	RUNTIME_NAME,
	N8N_BIN,
	N8N_VERSION,
	ARTIFACTS,
	OWNER,
	SIMULATOR_CREDENTIAL_NAME,
	sleep,
	linkPackage,
	makeUserFolder,
	n8nCli,
	parseRawOutput,
	nodeOutputs,
	killGroup,
	waitForHttp,
	startServer,
	restClient,
	setUpOwner,
	createWorkflow,
	createActiveWorkflow,
	postWebhook,
	openEditor,
};
