#!/usr/bin/env node
// n8n's verification scanner (@n8n/scan-community-package, pinned in tools/scanner), run locally
// the way `npx @n8n/scan-community-package <name>` runs it after the provenance step:
//   1. the source: analyzePackage(<package folder>, SOURCE_FILE_PATTERNS)
//      (package.json and {nodes,credentials}/**/*.{js,ts,json})
//   2. the packed tarball: `npm pack` of the folder, unpacked, analyzePackage(<dir>, ['**/*.js', 'package.json'])
// Same ESLint config (buildScanConfig), inline eslint-disable comments ignored. Not done here: the
// provenance check and the source download from GitHub, which need a published version (see
// README, Releasing). Exits 1 on any error. Needs dist/ (npm run build) and `npm run scan:install`.
//
// Usage: node scripts/scan.mjs [package folder, default: this repository]

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scannerModule = path.join(repo, 'tools/scanner/node_modules/@n8n/scan-community-package/scanner/scanner.mjs');
if (!fs.existsSync(scannerModule)) {
	process.stderr.write('scanner not installed: run `npm run scan:install` (npm ci --prefix tools/scanner)\n');
	process.exit(1);
}
// scanner.mjs makes a temp folder on import (for registry downloads) and never removes it: make it
// inside our own temp folder, which is removed at the end.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'convertly-scan-'));
const tmpdir = process.env.TMPDIR;
process.env.TMPDIR = work;
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(scannerModule).href);
if (tmpdir === undefined) delete process.env.TMPDIR;
else process.env.TMPDIR = tmpdir;

const packageDir = path.resolve(process.argv[2] ?? repo);
const { name, version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
let failed = false;
try {
	if (!fs.existsSync(path.join(packageDir, 'dist'))) throw new Error(`${packageDir}/dist is missing: run npm run build first`);

	const report = (leg, result, ms) => {
		process.stdout.write(`${result.passed ? 'ok  ' : 'FAIL'} ${leg} (${ms} ms)${result.message ? `: ${result.message}` : ''}\n`);
		if (result.details) process.stdout.write(`${result.details}\n`);
		if (!result.passed) failed = true;
	};

	let started = Date.now();
	report(`source ${packageDir}`, await analyzePackage(packageDir, SOURCE_FILE_PATTERNS), Date.now() - started);

	started = Date.now();
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: packageDir, encoding: 'utf8' }),
	);
	const unpacked = path.join(work, 'package');
	fs.mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', path.join(work, packed.filename), '-C', unpacked, '--strip-components=1']);
	report(`tarball ${packed.filename} (${packed.entryCount} files)`, await analyzePackage(unpacked, ['**/*.js', 'package.json']), Date.now() - started);
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}

process.stdout.write(failed
	? `scan failed for ${name}@${version}\n`
	: `scan passed for ${name}@${version} (source and tarball; provenance is checked by n8n after publishing)\n`);
process.exit(failed ? 1 : 0);
