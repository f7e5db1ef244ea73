'use strict';
// n8n in queue mode on one machine: a real Redis, a real PostgreSQL and n8n 2.41.1 as `main` plus
// N `worker`s, each process with a user folder of its own in which the package is installed (as
// "Install" in the UI would do on every process). Used by the queue tier (e2e/queue.test.js),
// `npm run dev:queue` and bench/queue.js. Every process is started in a process group of its own,
// recorded in $E2E_PID_DIR (so e2e/run.sh's trap can stop it) and stopped by PID in stop(); every
// temp folder is removed.
//
// Needs: Node 24 and the n8n runtime on PATH (source scripts/n8n-runtime.sh), redis-server and
// PostgreSQL binaries (scripts/queue-deps.sh installs Debian's packages when missing).

const { spawn, spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const lib = require('./lib');

const { ROOT, RUNTIME, N8N_BIN, createActiveWorkflow, killGroup, linkPackage, postWebhook, restClient, sleep, waitForHttp } = lib;
const ENCRYPTION_KEY = 'convertly-queue-encryption-key';
const OWNER = { email: 'queue@convertly.local', firstName: 'Queue', lastName: 'Convertly', password: 'Convertly-queue-1' };

/** The newest PostgreSQL bin folder of Debian's packages (or $PG_BIN). */
function postgresBin() {
	if (process.env.PG_BIN) return process.env.PG_BIN;
	const base = '/usr/lib/postgresql';
	const versions = fs.existsSync(base)
		? fs.readdirSync(base).filter((version) => fs.existsSync(path.join(base, version, 'bin', 'initdb')))
		: [];
	if (versions.length === 0) throw new Error('PostgreSQL is not installed (run scripts/queue-deps.sh or apt-get install postgresql)');
	versions.sort((a, b) => Number(b) - Number(a));
	return path.join(base, versions[0], 'bin');
}

function redisBin() {
	const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
	if (!found) throw new Error('redis-server is not installed (run scripts/queue-deps.sh or apt-get install redis-server)');
	return found;
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user. */
function asPostgres(command, args) {
	if (process.getuid?.() !== 0) return [command, args];
	return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', command, ...args]];
}

function postgresIds() {
	const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
	const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
	return { uid, gid };
}

function chownRecursive(target, uid, gid) {
	fs.chownSync(target, uid, gid);
	if (fs.statSync(target).isDirectory()) {
		for (const entry of fs.readdirSync(target)) chownRecursive(path.join(target, entry), uid, gid);
	}
}

class ProcessGroup {
	constructor() {
		this.children = [];
	}

	/** Spawns a command as the leader of a new process group, output to a log file. */
	start(name, command, args, { env = process.env, cwd = ROOT, logFile }) {
		const log = fs.openSync(logFile, 'a');
		const child = spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', log, log] });
		fs.closeSync(log);
		const record = { name, child, pid: child.pid, logFile, exited: false };
		child.on('exit', () => (record.exited = true));
		child.on('error', () => (record.exited = true));
		const dir = process.env.E2E_PID_DIR;
		if (dir) {
			record.pidFile = path.join(dir, `${child.pid}.pid`);
			fs.writeFileSync(record.pidFile, String(child.pid));
		}
		this.children.push(record);
		return record;
	}

	/** Sends `signal` to the whole group and waits until its leader has exited (SIGKILL after graceMs). */
	async stop(record, { signal = 'SIGTERM', graceMs = 30_000 } = {}) {
		if (!record.exited) {
			killGroup(record.pid, signal);
			const deadline = Date.now() + graceMs;
			while (!record.exited && Date.now() < deadline) await sleep(100);
		}
		// Anything of the group still alive (a task runner, a Postgres backend) goes now.
		killGroup(record.pid, 'SIGKILL');
		while (!record.exited) await sleep(50);
		if (record.pidFile) fs.rmSync(record.pidFile, { force: true });
		this.children = this.children.filter((other) => other !== record);
	}
}

function waitForPort(port, { timeoutMs = 30_000, isAlive = () => true } = {}) {
	const startedAt = Date.now();
	return new Promise((resolve, reject) => {
		const attempt = () => {
			const socket = net.connect(port, '127.0.0.1');
			socket.once('connect', () => {
				socket.destroy();
				resolve();
			});
			socket.once('error', () => {
				socket.destroy();
				if (!isAlive()) return reject(new Error(`process for port ${port} exited`));
				if (Date.now() - startedAt > timeoutMs) return reject(new Error(`nothing listens on ${port} after ${timeoutMs} ms`));
				setTimeout(attempt, 100);
			});
		};
		attempt();
	});
}

/**
 * Ports, all on 127.0.0.1, from `basePort` on: +0 main UI, +1 main task broker, +2 Redis,
 * +3 PostgreSQL, then per worker i (from 0) +4+2i its task broker and +5+2i its health check;
 * after the workers a webhook processor's port and its task broker.
 */
function portsFrom(basePort, workers) {
	const afterWorkers = basePort + 4 + 2 * workers;
	return {
		main: basePort,
		mainBroker: basePort + 1,
		redis: basePort + 2,
		postgres: basePort + 3,
		workers: Array.from({ length: workers }, (_, i) => ({ broker: basePort + 4 + 2 * i, health: basePort + 5 + 2 * i })),
		webhook: afterWorkers,
		webhookBroker: afterWorkers + 1,
	};
}

/**
 * Starts Redis, PostgreSQL, n8n main and the workers.
 * @param {object} options
 * @param {number} options.basePort first of the ports (see portsFrom)
 * @param {number} [options.workers] number of workers (default 2)
 * @param {number} [options.concurrency] executions per worker at once (n8n's default is 10)
 * @param {boolean} [options.webhookProcessor] also start `n8n webhook` (production webhooks, queued for the workers)
 * @param {object} [options.env] extra environment for every n8n process (e.g. binary-data mode)
 * @param {string} [options.logDir] where process logs go (default: inside the temp folder)
 */
async function startQueueStack(options) {
	const workerCount = options.workers ?? 2;
	const ports = portsFrom(options.basePort, workerCount);
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'convertly-queue-'));
	const logDir = options.logDir ?? path.join(root, 'logs');
	fs.mkdirSync(logDir, { recursive: true });
	const group = new ProcessGroup();
	const stack = {
		root,
		ports,
		logDir,
		group,
		baseUrl: `http://127.0.0.1:${ports.main}`,
		workers: [],
		timings: {},
	};
	const startedAt = Date.now();

	stack.stop = async () => {
		const n8nProcesses = [stack.main, stack.webhook, ...stack.workers].filter(Boolean);
		await Promise.all(n8nProcesses.map((record) => group.stop(record)));
		await Promise.all(group.children.map((record) => group.stop(record, { signal: 'SIGINT' })));
		fs.rmSync(root, { recursive: true, force: true });
	};

	try {
		// Redis, in the foreground, nothing persisted.
		const redisDir = path.join(root, 'redis');
		fs.mkdirSync(redisDir);
		stack.redis = group.start('redis', redisBin(), ['--port', String(ports.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', redisDir], {
			logFile: path.join(logDir, 'redis.log'),
		});
		// PostgreSQL: a throw-away cluster owned by the postgres user (as root) with trust auth on loopback.
		const bin = postgresBin();
		const pgDir = path.join(root, 'postgres');
		fs.mkdirSync(pgDir);
		if (process.getuid?.() === 0) {
			const { uid, gid } = postgresIds();
			chownRecursive(pgDir, uid, gid);
			fs.chmodSync(root, 0o755); // postgres must reach its folder inside ours
		}
		const [initCommand, initArgs] = asPostgres(path.join(bin, 'initdb'), ['-D', path.join(pgDir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
		const init = spawnSync(initCommand, initArgs, { cwd: pgDir, encoding: 'utf8' });
		if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
		const [pgCommand, pgArgs] = asPostgres(path.join(bin, 'postgres'), [
			'-D', path.join(pgDir, 'data'),
			'-p', String(ports.postgres),
			'-k', pgDir,
			'-c', 'listen_addresses=127.0.0.1',
			'-c', 'fsync=off',
			'-c', 'synchronous_commit=off',
			'-c', 'full_page_writes=off',
		]);
		stack.postgres = group.start('postgres', pgCommand, pgArgs, { cwd: pgDir, logFile: path.join(logDir, 'postgres.log') });
		await Promise.all([
			waitForPort(ports.redis, { isAlive: () => !stack.redis.exited }),
			waitForPort(ports.postgres, { isAlive: () => !stack.postgres.exited }),
		]);
		stack.psql = (sql, database = 'n8n') => {
			const result = spawnSync(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(ports.postgres), '-U', 'postgres', '-d', database, '-At', '-F', '\t', '-c', sql], {
				encoding: 'utf8',
			});
			if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
			return result.stdout
				.split('\n')
				.filter((line) => line !== '')
				.map((line) => line.split('\t'));
		};
		// The server may accept connections a moment before it accepts queries.
		for (let attempt = 0; ; attempt++) {
			try {
				stack.psql('CREATE DATABASE n8n', 'postgres');
				break;
			} catch (error) {
				if (attempt > 50) throw error;
				await sleep(200);
			}
		}
		stack.timings.brokersMs = Date.now() - startedAt;

		const common = {
			...process.env,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(ports.redis),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(ports.postgres),
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			DB_POSTGRESDB_DATABASE: 'n8n',
			N8N_LOG_LEVEL: 'info',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			...(options.env ?? {}),
		};
		stack.common = common;

		const userFolder = (name) => {
			const folder = path.join(root, name);
			linkPackage(folder);
			return folder;
		};

		// main first: it runs the migrations; the workers then start side by side.
		const mainFolder = userFolder('main');
		stack.main = group.start('main', N8N_BIN, ['start'], {
			cwd: RUNTIME,
			env: { ...common, N8N_USER_FOLDER: mainFolder, N8N_PORT: String(ports.main), N8N_RUNNERS_BROKER_PORT: String(ports.mainBroker) },
			logFile: path.join(logDir, 'main.log'),
		});
		stack.main.userFolder = mainFolder;
		stack.timings.mainReadyMs = await waitForHttp(`${stack.baseUrl}/healthz/readiness`, { isAlive: () => !stack.main.exited, what: 'n8n main' });

		const workersStartedAt = Date.now();
		await Promise.all([
			...ports.workers.map((workerPorts, index) => startWorker(stack, index, { concurrency: options.concurrency, ports: workerPorts })),
			...(options.webhookProcessor ? [startWebhookProcessor(stack)] : []),
		]);
		stack.timings.workersReadyMs = Date.now() - workersStartedAt;
		stack.timings.totalMs = Date.now() - startedAt;
		return stack;
	} catch (error) {
		await stack.stop();
		throw error;
	}
}

/** (Re)starts worker `index` (0-based) of a stack; it gets a fresh user folder with the package. */
async function startWorker(stack, index, { concurrency, ports = stack.ports.workers[index], env = {} } = {}) {
	const name = `worker-${index + 1}`;
	const folder = path.join(stack.root, `${name}-${Date.now()}`);
	linkPackage(folder);
	const args = ['worker'];
	if (concurrency) args.push(`--concurrency=${concurrency}`);
	const record = stack.group.start(name, N8N_BIN, args, {
		cwd: RUNTIME,
		env: {
			...stack.common,
			...env,
			N8N_USER_FOLDER: folder,
			N8N_RUNNERS_BROKER_PORT: String(ports.broker),
			QUEUE_HEALTH_CHECK_PORT: String(ports.health),
		},
		logFile: path.join(stack.logDir, `${name}.log`),
	});
	record.userFolder = folder;
	record.healthUrl = `http://127.0.0.1:${ports.health}/healthz/readiness`;
	await waitForHttp(record.healthUrl, { isAlive: () => !record.exited, what: `n8n ${name}` });
	stack.workers[index] = record;
	return record;
}

/** `n8n webhook`: serves production webhook URLs on its own port and queues the executions. */
async function startWebhookProcessor(stack) {
	const folder = path.join(stack.root, 'webhook');
	linkPackage(folder);
	const record = stack.group.start('webhook', N8N_BIN, ['webhook'], {
		cwd: RUNTIME,
		env: {
			...stack.common,
			N8N_USER_FOLDER: folder,
			N8N_PORT: String(stack.ports.webhook),
			N8N_RUNNERS_BROKER_PORT: String(stack.ports.webhookBroker),
		},
		logFile: path.join(stack.logDir, 'webhook.log'),
	});
	record.userFolder = folder;
	record.baseUrl = `http://127.0.0.1:${stack.ports.webhook}`;
	await waitForHttp(`${record.baseUrl}/healthz/readiness`, { isAlive: () => !record.exited, what: 'n8n webhook processor' });
	stack.webhook = record;
	return record;
}

/**
 * n8n's own record of which worker ran what: every worker's event bus writes
 * `n8n.queue.job.dequeued` (with the execution ID and the worker's hostId) into its
 * n8nEventLog-worker.log. Returns { hostId, executionIds[] } for the worker.
 */
function workerEventLog(worker) {
	const file = path.join(worker.userFolder, '.n8n', 'n8nEventLog-worker.log');
	const result = { hostId: undefined, dequeued: [], completed: [], failed: [] };
	if (!fs.existsSync(file)) return result;
	for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
		if (!line.trim()) continue;
		let event;
		try {
			event = JSON.parse(line);
		} catch {
			continue; // a line being written
		}
		const bucket = { 'n8n.queue.job.dequeued': 'dequeued', 'n8n.queue.job.completed': 'completed', 'n8n.queue.job.failed': 'failed' }[event.eventName];
		if (!bucket) continue;
		result.hostId = event.payload?.hostId ?? result.hostId;
		result[bucket].push(String(event.payload?.executionId));
	}
	return result;
}

/** The queue stack's owner account + one Convertly credential pointing at `simulator`; returns { rest, credentialId, credential }. */
const setUpOwner = (stack, simulator) => lib.setUpOwner(stack.baseUrl, simulator, { owner: OWNER });

/** Execution rows from Postgres (n8n's execution_entity) for a workflow. */
function executionRows(stack, workflowId) {
	return stack
		.psql(
			`SELECT id, status, finished, mode, COALESCE("retryOf", ''), COALESCE(round(extract(epoch from "startedAt") * 1000)::text, ''), COALESCE(round(extract(epoch from "stoppedAt") * 1000)::text, '') FROM execution_entity WHERE "workflowId" = '${workflowId}' ORDER BY id`,
		)
		.map(([id, status, finished, mode, retryOf, startedAt, stoppedAt]) => ({
			id,
			status,
			finished: finished === 't',
			mode,
			retryOf: retryOf || undefined,
			startedAt: startedAt ? Number(startedAt) : undefined,
			stoppedAt: stoppedAt ? Number(stoppedAt) : undefined,
		}));
}

/** Polls until `predicate(rows)` holds; returns the rows. */
async function waitForExecutions(stack, workflowId, predicate, { timeoutMs = 120_000, what = 'executions' } = {}) {
	const startedAt = Date.now();
	for (;;) {
		const rows = executionRows(stack, workflowId);
		if (predicate(rows)) return rows;
		if (Date.now() - startedAt > timeoutMs) {
			throw new Error(`${what}: not reached after ${timeoutMs} ms; rows: ${JSON.stringify(rows.map((row) => [row.id, row.status]))}`);
		}
		await sleep(250);
	}
}

const FINAL = new Set(['success', 'error', 'crashed', 'canceled']);

/** The run data of an execution as the editor gets it (GET /rest/executions/:id, flatted). */
async function executionData(rest, executionId) {
	const response = await rest.call('GET', `/rest/executions/${executionId}`);
	if (response.status !== 200) throw new Error(`GET execution ${executionId}: ${response.status} ${response.text}`);
	const flatted = require(path.join(RUNTIME, 'node_modules', 'flatted'));
	const execution = response.json.data;
	return { ...execution, data: typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data };
}

function nodeRun(execution, nodeName) {
	return execution.data.resultData.runData[nodeName]?.[0];
}

module.exports = {
	ROOT,
	OWNER,
	FINAL,
	sleep,
	portsFrom,
	startQueueStack,
	startWorker,
	workerEventLog,
	restClient,
	setUpOwner,
	createActiveWorkflow,
	postWebhook,
	executionRows,
	waitForExecutions,
	executionData,
	nodeRun,
};
