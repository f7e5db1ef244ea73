#!/usr/bin/env node
// Shows that `npm run scan` (scripts/scan.mjs) fails on what n8n's scanner rejects: copies the
// package (package.json, README, licence, icons/, nodes/, credentials/, built dist/) to a temp folder,
// plants `setTimeout(() => {}, 1)` once in the node's TypeScript source and once in its compiled
// dist file, scans each copy and expects a failure naming setTimeout from the leg that holds it.
// The temp folders are removed. Needs dist/ (npm run build) and the scanner (npm run scan:install).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Leading newline: tsc's output ends in a `//# sourceMappingURL` comment without one.
const plant = '\nsetTimeout(() => {}, 1);\n';
const cases = [
	{ file: 'nodes/Convertly/Convertly.node.ts', leg: 'source' },
	{ file: 'dist/nodes/Convertly/Convertly.node.js', leg: 'tarball' },
];

let ok = true;
for (const { file, leg } of cases) {
	const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'convertly-scan-selftest-'));
	try {
		for (const entry of ['package.json', 'README.md', 'LICENSE.md', 'icons', 'nodes', 'credentials', 'dist']) {
			fs.cpSync(path.join(repo, entry), path.join(copy, entry), { recursive: true });
		}
		fs.appendFileSync(path.join(copy, file), plant);
		const run = spawnSync(process.execPath, [path.join(repo, 'scripts/scan.mjs'), copy], { encoding: 'utf8' });
		const output = `${run.stdout}${run.stderr}`;
		const legFailed = output.split('\n').some((line) => line.startsWith(`FAIL ${leg} `));
		const errors = output.split('\n').filter((line) => /^\s*\d+:\d+\s+error\s/.test(line));
		const onlyPlanted = errors.length === 1 && /'setTimeout'/.test(errors[0]);
		const caught = run.status === 1 && legFailed && onlyPlanted;
		process.stdout.write(`${caught ? 'ok  ' : 'FAIL'} setTimeout planted in ${file}: scan exit ${run.status}, ${leg} leg ${legFailed ? 'failed' : 'did not fail'}, ${errors.length} error(s)\n`);
		const finding = output.split('\n').find((line) => /setTimeout/.test(line));
		if (finding) process.stdout.write(`     ${finding.trim()}\n`);
		if (!caught) {
			process.stdout.write(output);
			ok = false;
		}
	} finally {
		fs.rmSync(copy, { recursive: true, force: true });
	}
}
process.exit(ok ? 0 : 1);
