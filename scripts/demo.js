#!/usr/bin/env node
'use strict';
// `npm run demo`: the main job, file in → file out. Runs Input (three PNG images as n8n binary
// data) → Convertly (Job → Create: convert to WebP, Wait for Completion, Download Result Files)
// through n8n's real engine, with n8n's binary data service in filesystem mode, then one media
// tool (Media Tool → Create Thumbnail of one of the PNGs, downloaded into `data`), and writes the
// files they output to demo-output/.
//   - By default against the embedded Convertly simulator: no account, no network.
//   - With CONVERTLY_API_KEY set, against the real API (CONVERTLY_BASE_URL to override the host):
//     one job of the account's monthly quota is used for the three images, and one media tool
//     request for the thumbnail.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { imageSize, startSimulator } = require('../simulator');
const { binaryPath, runConvertly } = require('../tools/engine');

const OUTPUT_DIR = path.resolve(__dirname, '..', 'demo-output');
const out = (line = '') => process.stdout.write(`${line}\n`);

/** A real PNG of `size`×`size` pixels in one colour, so the real API can convert it too. */
function png(size, [red, green, blue]) {
	const crcTable = Array.from({ length: 256 }, (_, n) => {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		return c >>> 0;
	});
	const crc = (bytes) => {
		let c = 0xffffffff;
		for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
		return (c ^ 0xffffffff) >>> 0;
	};
	const chunk = (type, data) => {
		const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
		const length = Buffer.alloc(4);
		length.writeUInt32BE(data.length);
		const sum = Buffer.alloc(4);
		sum.writeUInt32BE(crc(body));
		return Buffer.concat([length, body, sum]);
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(size, 0);
	header.writeUInt32BE(size, 4);
	header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
	const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => [red, green, blue]).flat())]);
	const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: size }, () => row)));
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

async function prepare() {
	const apiKey = process.env.CONVERTLY_API_KEY;
	if (apiKey) {
		const baseUrl = (process.env.CONVERTLY_BASE_URL ?? 'https://convertly.sh').replace(/\/+$/, '');
		return { target: `the Convertly API at ${baseUrl}`, credentials: { apiKey, baseUrl }, close: async () => {} };
	}
	const simulator = await startSimulator({ createdJobTiming: { pendingMs: 300, processingMsPerFile: 700 } });
	return {
		target: `the embedded Convertly simulator at ${simulator.url}`,
		credentials: { apiKey: simulator.apiKey, baseUrl: simulator.url },
		simulator,
		close: () => simulator.close(),
	};
}

async function main() {
	const { target, credentials, simulator, close } = await prepare();
	const inputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convertly-demo-'));
	const images = { 'red.png': [220, 40, 40], 'green.png': [40, 180, 60], 'blue.png': [40, 70, 220] };
	const items = Object.entries(images).map(([fileName, colour], index) => {
		const file = path.join(inputDir, fileName);
		fs.writeFileSync(file, png(64 + index * 32, colour));
		return { json: { name: fileName }, binary: { data: { path: file, fileName, mimeType: 'image/png' } } };
	});
	out(`Running Input (3 PNG files) → Convertly (Job → Create: convert to WebP, wait, download) in n8n's engine against ${target}`);
	const startedAt = Date.now();
	try {
		const { done } = runConvertly({
			parameters: {
				resource: 'job',
				operation: 'create',
				jobType: 'convert',
				binaryPropertyName: 'data',
				format: 'webp',
				waitForCompletion: true,
				waitOptions: { pollInterval: 1, timeout: 300, includeWaitDetails: true },
				downloadResults: true,
				// One job for the three files: one request of the monthly quota.
				options: { batching: 'allItems', output: 'results' },
			},
			credentials,
			items,
		});
		const result = await done;
		if (result.status !== 'success') {
			out(`The node failed: ${result.error?.message}`);
			if (result.error?.description) out(result.error.description);
			process.exitCode = 1;
			return;
		}
		fs.rmSync(OUTPUT_DIR, { recursive: true, force: true });
		fs.mkdirSync(OUTPUT_DIR);
		out();
		for (const [index, item] of result.items.entries()) {
			const paired = [item.pairedItem].flat().map((paired) => paired.item).join(', ');
			const { binary, json } = item;
			out(`Item ${index} (paired to input items ${paired}): ${JSON.stringify(json)}`);
			if (binary?.data) {
				const target = path.join(OUTPUT_DIR, binary.data.fileName);
				fs.copyFileSync(binaryPath(binary.data), target);
				out(`  binary "data": ${binary.data.fileName}, ${binary.data.mimeType}, ${binary.data.fileSize} → ${path.relative(process.cwd(), target)}`);
			}
		}
		out();
		out(`${result.items.length} result items and ${fs.readdirSync(OUTPUT_DIR).length} files in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
		out();
		if (!(await thumbnail({ credentials, simulator, target, input: items.at(-1) }))) return;
		out();
		out(`The converted files and the thumbnail are in ${OUTPUT_DIR}`);
	} finally {
		fs.rmSync(inputDir, { recursive: true, force: true });
		await close();
	}
}

/**
 * One media tool: Input (one of the PNGs) → Convertly (Media Tool → Create Thumbnail, 64×64 PNG,
 * Download Result Files into `data`). One request (POST /api/media/thumbnail), answered at once.
 * Resolves to whether it succeeded.
 */
async function thumbnail({ credentials, simulator, target, input }) {
	const options = { width: 64, height: 64, format: 'png' };
	out(`Running Input (${input.json.name}) → Convertly (Media Tool → Create Thumbnail: ${options.width}×${options.height} ${options.format.toUpperCase()}, download) against ${target}`);
	const startedAt = Date.now();
	simulator?.resetStats();
	const { done } = runConvertly({
		parameters: { resource: 'mediaTool', operation: 'thumbnail', inputSource: 'binary', binaryPropertyName: 'data', downloadResults: true, binaryPropertyOutput: 'data', options },
		credentials,
		items: [input],
		settings: { typeVersion: 1.1 },
	});
	const result = await done;
	if (result.status !== 'success') {
		out(`The node failed: ${result.error?.message}`);
		if (result.error?.description) out(result.error.description);
		process.exitCode = 1;
		return false;
	}
	const [item] = result.items;
	out(`Item 0: ${JSON.stringify(item.json)}`);
	const data = item.binary?.data;
	if (!data) {
		out('  no binary "data": Convertly gave no file to download');
		process.exitCode = 1;
		return false;
	}
	const file = path.join(OUTPUT_DIR, data.fileName);
	fs.copyFileSync(binaryPath(data), file);
	const size = imageSize(fs.readFileSync(file));
	const pixels = size ? `, ${size.width}×${size.height} ${size.format.toUpperCase()}` : '';
	out(`  binary "data": ${data.fileName}, ${data.mimeType}, ${data.fileSize}${pixels} → ${path.relative(process.cwd(), file)}`);
	for (const request of simulator?.mediaRequests() ?? []) {
		const parts = request.files.map((part) => `${part.field}=${part.filename} (${part.mimeType}, ${part.size} bytes)`);
		out(`  the simulator received POST ${request.endpoint}: ${[...parts, ...Object.entries(request.fields).map(([name, value]) => `${name}=${value}`)].join(', ')} → ${request.status}`);
	}
	out(`1 media request, 1 thumbnail in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
	return true;
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
