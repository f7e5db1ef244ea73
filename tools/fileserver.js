// A tiny static file server on 127.0.0.1 for tests that hand Convertly (or the simulator) a
// `sourceUrl`: it serves the bytes it is given under their paths, 404 for anything else, and
// records every request. Each test starts its own and closes it (open connections included).
// Plain JS (like engine.js) so that it may use Node built-ins.
'use strict';

const http = require('node:http');

/**
 * files: { '/photo.png': { body: Uint8Array | string, type?: string, status?: number, headers?: {} } }
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
