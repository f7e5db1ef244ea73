'use strict';
// Runs scripts/smoke.js as its own process (as `npm run smoke` does after building), so a .ts test
// can check its output and exit code. Plain JS because it starts a process.

const { spawn } = require('node:child_process');
const path = require('node:path');

const SCRIPT = path.resolve(__dirname, '../../scripts/smoke.js');

/**
 * @param {Record<string, string>} env CONVERTLY_* variables for this run (any set in the calling
 *   environment are dropped first, so a developer's real key never leaks into a test run).
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<{ code: number | null, signal: string | null, stdout: string, stderr: string, timedOut: boolean }>}
 */
function runSmoke(env, options = {}) {
	const childEnv = {};
	for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('CONVERTLY_')) childEnv[name] = value;
	Object.assign(childEnv, env);
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [SCRIPT], { env: childEnv, cwd: path.dirname(path.dirname(SCRIPT)), stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => {
			timedOut = true;
			child.kill('SIGKILL');
		}, options.timeoutMs ?? 110_000);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal, stdout, stderr, timedOut });
		});
	});
}

module.exports = { runSmoke, SCRIPT };
