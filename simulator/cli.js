#!/usr/bin/env node
'use strict';
// `npm run simulator [-- --port 4010 --storage-port 4011 --speed 1 --download-mode api --fixture file.json]`:
// runs the local Convertly API until Ctrl-C, seeded with the demo jobs unless another fixture is given.

const path = require('node:path');
const { startSimulator, DEMO_API_KEY } = require('./index');

function parseArgs(argv) {
	const args = {};
	for (let i = 0; i < argv.length; i++) {
		const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
		if (!match) throw new Error(`Unexpected argument "${argv[i]}"`);
		args[match[1]] = match[2] ?? argv[++i];
	}
	return args;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const simulator = await startSimulator({
		port: Number(args.port ?? process.env.CONVERTLY_SIMULATOR_PORT ?? 4010),
		speed: Number(args.speed ?? 1),
		apiKeys: [args.key ?? DEMO_API_KEY],
		storagePort: Number(args['storage-port'] ?? process.env.CONVERTLY_SIMULATOR_STORAGE_PORT ?? 0),
		downloadMode: args['download-mode'] ?? 'api',
		fixture: args.fixture ?? path.join(__dirname, 'demo-fixture.json'),
	});
	const lines = [
		`Convertly simulator listening on ${simulator.url}`,
		`  API key:  ${simulator.apiKey}   (either header)`,
		`  Base URL: ${simulator.url}      (put this in the Convertly API credential)`,
		`  Try:      curl -H "Authorization: Bearer ${simulator.apiKey}" ${simulator.url}/api/jobs`,
		`  Storage:  ${simulator.storageUrl}      (signed result URLs; no key)`,
		`  Admin:    POST ${simulator.url}/__simulator/jobs {"processingMs":5000} creates a job`,
	];
	process.stdout.write(`${lines.join('\n')}\n`);
	const stop = () => simulator.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	process.stderr.write(`${error.message}\n`);
	process.exit(1);
});
