#!/usr/bin/env node
'use strict';
// `npm publish --dry-run`: fails when the published tarball would hold anything but dist/, the
// README, the licence and package.json (or lacks one of them), or when package.json gained runtime
// dependencies. Prints the packed/unpacked size and file count (README, Releasing).

const { execFileSync } = require('node:child_process');
const pkg = require('../package.json');

const published = JSON.parse(
	execFileSync('npm', ['publish', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
);
const report = published[pkg.name];
const files = report.files.map((file) => file.path);
const allowed = (file) => file.startsWith('dist/') || ['README.md', 'LICENSE.md', 'package.json'].includes(file);
const stray = files.filter((file) => !allowed(file));
const problems = [];
if (stray.length) problems.push(`unexpected files in the package: ${stray.join(', ')}`);
for (const needed of ['README.md', 'LICENSE.md', 'package.json', 'dist/nodes/Convertly/Convertly.node.js', 'dist/credentials/ConvertlyApi.credentials.js', 'dist/icons/convertly.svg', 'dist/icons/convertly.dark.svg', 'dist/nodes/Convertly/Convertly.node.json', 'dist/nodes/Convertly/ConvertlyTrigger.node.js', 'dist/nodes/Convertly/ConvertlyTrigger.node.json']) {
	if (!files.includes(needed)) problems.push(`missing from the package: ${needed}`);
}
if (Object.keys(pkg.dependencies ?? {}).length) problems.push('package.json has runtime dependencies');
if (problems.length) {
	process.stderr.write(`${problems.join('\n')}\n`);
	process.exit(1);
}
const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
process.stdout.write(`package contents ok (npm publish --dry-run): ${files.length} files, ${kib(report.size)} packed, ${kib(report.unpackedSize)} unpacked\n`);
