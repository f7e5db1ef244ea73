#!/usr/bin/env node
'use strict';
// Started by scripts/dev-queue.sh (`npm run dev:queue`): n8n in queue mode for a person. Redis,
// PostgreSQL, n8n main and two workers (each with the package installed), the Convertly simulator
// (unless CONVERTLY_API_KEY is set), an owner account, the credential, the example workflows and an
// active webhook workflow. Prints what runs where; Ctrl-C stops everything and removes its folders.

const fs = require('node:fs');
const path = require('node:path');
const { startSimulator, DEMO_API_KEY } = require('../simulator');
const { OWNER, createActiveWorkflow, startQueueStack } = require('../e2e/queue-lib');
const { setUpOwner } = require('../e2e/lib');
const { webhookGetWorkflow } = require('../e2e/workflows');

const BASE_PORT = Number(process.env.CONVERTLY_QUEUE_BASE_PORT ?? 5720);
const WORKERS = Number(process.env.CONVERTLY_QUEUE_WORKERS ?? 2);
const SIMULATOR_PORT = BASE_PORT + 9;
const EXAMPLES = path.join(__dirname, '..', 'examples');

async function main() {
	let simulator;
	let stack;
	let stopping = false;
	const stop = async (code) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write('\n[dev:queue] stopping n8n, the workers, Redis and PostgreSQL…\n');
		await stack?.stop();
		await simulator?.close();
		process.stdout.write('[dev:queue] stopped; temporary folders removed\n');
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	try {
		let baseUrl = process.env.CONVERTLY_BASE_URL ?? 'https://convertly.sh';
		let apiKey = process.env.CONVERTLY_API_KEY;
		if (!apiKey) {
			simulator = await startSimulator({ port: SIMULATOR_PORT, fixture: path.join(__dirname, '..', 'simulator', 'demo-fixture.json') });
			baseUrl = simulator.url;
			apiKey = DEMO_API_KEY;
		}
		process.stdout.write(`[dev:queue] starting Redis, PostgreSQL, n8n main and ${WORKERS} workers (about 30 s)…\n`);
		const logDir = path.join(__dirname, '..', '.n8n-dev', 'queue-logs');
		fs.rmSync(logDir, { recursive: true, force: true });
		stack = await startQueueStack({ basePort: BASE_PORT, workers: WORKERS, logDir });

		const credentialName = simulator ? 'Convertly (local simulator)' : 'Convertly';
		const { rest, credential } = await setUpOwner(stack.baseUrl, { url: baseUrl, apiKey }, { owner: OWNER, credentialName });

		const withCredential = (workflow) => ({
			...workflow,
			nodes: workflow.nodes.map((node) => (node.credentials?.convertlyApi ? { ...node, credentials: { convertlyApi: credential } } : node)),
		});
		for (const file of fs.readdirSync(EXAMPLES).filter((name) => name.endsWith('.json') && !name.startsWith('credentials'))) {
			const { name, nodes, connections, settings } = withCredential(JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')));
			const created = await rest.call('POST', '/rest/workflows', { name, nodes, connections, settings, active: false });
			if (created.status !== 200) throw new Error(`import ${file}: ${created.status} ${created.text}`);
		}
		await createActiveWorkflow(
			rest,
			webhookGetWorkflow({
				name: 'Convertly (queue): webhook → wait for a job',
				idPrefix: '40000000-0000-4000-8000-',
				path: 'convertly-wait',
				responseMode: 'lastNode',
				credential,
				waitOptions: { pollInterval: 1 },
			}),
		);

		const { ports } = stack;
		const lines = [
			'',
			`  n8n ${process.env.N8N_VERSION ?? ''} in queue mode with n8n-nodes-convertly: ${stack.baseUrl}`,
			`  Log in as ${OWNER.email} / ${OWNER.password}`,
			'',
			`  main      pid ${stack.main.pid}  UI ${ports.main}, task broker ${ports.mainBroker}   log ${stack.main.logFile}`,
			...stack.workers.map(
				(worker, i) =>
					`  ${worker.name}  pid ${worker.pid}  health http://127.0.0.1:${ports.workers[i].health}/healthz, task broker ${ports.workers[i].broker}   log ${worker.logFile}`,
			),
			`  Redis     pid ${stack.redis.pid}  127.0.0.1:${ports.redis}`,
			`  Postgres  pid ${stack.postgres.pid}  127.0.0.1:${ports.postgres}, database n8n, user postgres (psql -h 127.0.0.1 -p ${ports.postgres} -U postgres n8n)`,
			simulator ? `  Convertly simulator  ${simulator.url} (key ${DEMO_API_KEY})` : `  Convertly API  ${baseUrl}`,
			'',
			`  Credential "${credentialName}", the example workflows, and an active webhook workflow; try:`,
			`    curl -s -X POST ${stack.baseUrl}/webhook/convertly-wait -H 'content-type: application/json' -d '{"jobId":"a755a89a-3a63-4f3e-88ff-7fef50d42d7d"}'`,
			'  Webhook and trigger executions run on the workers (see their logs: "Worker started execution").',
			'  Everything is temporary (fresh database each start); rebuild and restart after code changes.',
			'  Ctrl-C stops everything.',
			'',
		];
		process.stdout.write(`${lines.join('\n')}\n`);
	} catch (error) {
		process.stderr.write(`[dev:queue] ${error.stack ?? error}\n`);
		if (stack?.logDir) process.stderr.write(`[dev:queue] process logs: ${stack.logDir}\n`);
		await stop(1);
	}
}

void main();
