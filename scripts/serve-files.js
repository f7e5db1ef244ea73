#!/usr/bin/env node
'use strict';
// `node scripts/serve-files.js --dir <folder> --port <port>`: serves the files directly in <folder>
// read-only on 127.0.0.1 (GET and HEAD, no listing, no subfolders) until stopped. `npm run dev`
// runs it so that the simulator can fetch the import example's sample ZIP from a loopback URL.

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const TYPES = { '.zip': 'application/zip', '.png': 'image/png', '.csv': 'text/csv', '.txt': 'text/plain', '.mp4': 'video/mp4' };

function parseArgs(argv) {
	const args = {};
	for (let i = 0; i < argv.length; i++) {
		const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
		if (!match) throw new Error(`Unexpected argument "${argv[i]}"`);
		args[match[1]] = match[2] ?? argv[++i];
	}
	if (!args.dir || !args.port) throw new Error('Usage: serve-files.js --dir <folder> --port <port>');
	return args;
}

const args = parseArgs(process.argv.slice(2));
const dir = path.resolve(args.dir);
const server = http.createServer((req, res) => {
	let name = '';
	try {
		name = decodeURIComponent(new URL(req.url, 'http://localhost').pathname.slice(1));
	} catch {
		// A malformed address names no file.
	}
	const file = path.join(dir, name);
	const servable = name !== '' && !/[/\\]/.test(name) && !name.startsWith('.') && fs.existsSync(file) && fs.statSync(file).isFile();
	if (!['GET', 'HEAD'].includes(req.method) || !servable) {
		res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 404 : 405).end();
		return;
	}
	const size = fs.statSync(file).size;
	res.writeHead(200, { 'content-type': TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream', 'content-length': String(size) });
	if (req.method === 'HEAD') return res.end();
	fs.createReadStream(file).pipe(res);
});
server.listen(Number(args.port), '127.0.0.1', () => process.stdout.write(`Serving ${dir} on http://127.0.0.1:${server.address().port}\n`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
