#!/usr/bin/env node
'use strict';
// Fails when the published tarball would hold anything but dist/, the README, the licence and
// package.json, or when package.json gained runtime dependencies.

const { execFileSync } = require('node:child_process');
const pkg = require('../package.json');

const [report] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }));
const files = report.files.map((file) => file.path);
const allowed = (file) => file.startsWith('dist/') || ['README.md', 'LICENSE.md', 'package.json', 'CHANGELOG.md'].includes(file);
const stray = files.filter((file) => !allowed(file));
const problems = [];
if (stray.length) problems.push(`unexpected files in the package: ${stray.join(', ')}`);
for (const needed of ['dist/nodes/Convertly/Convertly.node.js', 'dist/credentials/ConvertlyApi.credentials.js', 'dist/icons/convertly.svg', 'dist/icons/convertly.dark.svg', 'dist/nodes/Convertly/Convertly.node.json', 'dist/nodes/Convertly/ConvertlyTrigger.node.js', 'dist/nodes/Convertly/ConvertlyTrigger.node.json']) {
	if (!files.includes(needed)) problems.push(`missing from the package: ${needed}`);
}
if (Object.keys(pkg.dependencies ?? {}).length) problems.push('package.json has runtime dependencies');
if (problems.length) {
	process.stderr.write(`${problems.join('\n')}\n`);
	process.exit(1);
}
process.stdout.write(`package contents ok: ${files.length} files, ${(report.unpackedSize / 1024).toFixed(0)} KiB unpacked\n`);
