'use strict';
// The Convertly simulator (`npm run simulator`) in a child process of its own, so that its CPU time
// and memory are not counted as the benchmarked client's: bench/run.js (c)–(d), bench/files.js (e)–(g),
// bench/media.js (h)–(i), bench/storage.js (j)–(k). The same start-up serves bench/media.js's file server.

const { spawn } = require('node:child_process');
const path = require('node:path');

/**
 * Starts `node <args>` and resolves once it prints `listening on <url>`; rejects if it exits first.
 * @param {string} name what it is, for the error when it exits before listening
 * @param {string[]} args the script and its arguments
 * @param {object} [options]
 * @param {NodeJS.ProcessEnv} [options.env] the child's environment (default: this process's)
 * @param {(child: import('node:child_process').ChildProcess) => void} [options.onSpawn] called with the child at once, e.g. to track it for a cleanup on crash
 * @returns {Promise<{ url: string, child: import('node:child_process').ChildProcess, stop(): Promise<void> }>}
 *   stop() sends SIGTERM and resolves when the child has exited.
 */
async function listeningProcess(name, args, { env = process.env, onSpawn } = {}) {
	const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
	onSpawn?.(child);
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const url = await new Promise((resolve, reject) => {
		let text = '';
		child.stdout.on('data', (chunk) => {
			text += chunk;
			const match = /listening on (http:\/\/\S+)/.exec(text);
			if (match) resolve(match[1]);
		});
		child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
	});
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
		await exited;
	};
	return { url, child, stop };
}

/**
 * Starts simulator/cli.js on a free port, seeded with `fixture`; resolves once it prints its URL.
 * @param {string} fixture a fixture file (see simulator/demo-fixture.json)
 * @param {object} [options] as for listeningProcess (env, onSpawn)
 * @returns {Promise<{ url: string, apiKey: string, child: import('node:child_process').ChildProcess, stop(): Promise<void> }>}
 *   stop() sends SIGTERM and resolves when the child has exited.
 */
async function simulatorProcess(fixture, options) {
	const cli = path.join(__dirname, '..', 'simulator', 'cli.js');
	const { url, child, stop } = await listeningProcess('simulator', [cli, '--port', '0', '--fixture', fixture], options);
	return { url, apiKey: require('../simulator').DEMO_API_KEY, child, stop };
}

module.exports = { listeningProcess, simulatorProcess };
