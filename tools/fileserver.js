// A tiny static file server on 127.0.0.1 for tests that hand Convertly (or the simulator) a
// `sourceUrl`: it serves the bytes it is given under their paths, 404 for anything else, and
// records every request. Each test starts its own and closes it (open connections included).
// Plain JS (like engine.js) so that it may use Node built-ins.
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const { pipeline } = require('node:stream');

/**
 * files: { '/photo.png': { body: Uint8Array | string, type?: string, status?: number, headers?: {} } },
 * or { path: '/a/file/on/disk', … } to stream a file from disk instead of a body held in memory.
 * Files can be added or replaced later with serve(path, file).
 */
async function startFileServer(files = {}) {
	const table = new Map(Object.entries(files));
	const sockets = new Set();
	const requests = [];
	const server = http.createServer((req, res) => {
		const pathname = new URL(req.url ?? '/', 'http://files').pathname;
		requests.push({ method: req.method ?? '', path: pathname, headers: req.headers, at: Date.now() });
		const file = table.get(pathname);
		if (!file) {
			res.writeHead(404, { 'content-type': 'text/plain' });
			res.end('Not found');
			return;
		}
		if (file.path !== undefined) {
			// A file on disk, streamed (a benchmark's 1 GiB input is never held in memory).
			const size = fs.statSync(file.path).size;
			res.writeHead(file.status ?? 200, {
				'content-type': file.type ?? 'application/octet-stream',
				'content-length': String(size),
				...(file.headers ?? {}),
			});
			if (req.method === 'HEAD') return res.end();
			pipeline(fs.createReadStream(file.path, { highWaterMark: 1024 * 1024 }), res, () => {});
			return;
		}
		const body = Buffer.from(file.body);
		res.writeHead(file.status ?? 200, {
			'content-type': file.type ?? 'application/octet-stream',
			'content-length': String(body.length),
			...(file.headers ?? {}),
		});
		res.end(req.method === 'HEAD' ? undefined : body);
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${server.address().port}`;
	return {
		url,
		requests,
		serve: (pathname, file) => table.set(pathname, file),
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

module.exports = { startFileServer };
