// Media Tool through n8n's engine against the simulator: every tool's request exactly as sent,
// inputs from a file or a URL, answers now or in the background, files into data, data_1, ….
import type { IBinaryData } from 'n8n-workflow';

import { imageSize, makePng } from '../../simulator';
import { startFileServer } from '../../tools/fileserver';
import type { InputFile, InputItem } from '../../tools/engine';
import { readBinary } from '../../tools/engine';
import { run, useSimulator } from '../helpers';

const PHOTO = makePng(800, 600, { seed: 'photo' });
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const photo = (fileName = 'photo.png'): InputFile => ({ base64: base64(PHOTO), fileName, mimeType: 'image/png' });
const clip = (fileName = 'clip.mp4'): InputFile => ({ sizeBytes: 64 * 1024, fileName, mimeType: 'video/mp4' });
const song = (fileName: string): InputFile => ({ sizeBytes: 32 * 1024, fileName, mimeType: 'audio/mpeg' });
const pdf = (): InputFile => ({ text: '%PDF-1.4\n%%EOF\n', fileName: 'doc.pdf', mimeType: 'application/pdf' });
const item = (binary: Record<string, InputFile>): InputItem => ({ json: {}, binary });
const tool = (operation: string, extra: Record<string, unknown> = {}) => ({ resource: 'mediaTool', operation, ...extra });

describe('Media Tool', () => {
	const simulator = useSimulator({ createdJobTiming: { pendingMs: 50, processingMsPerFile: 100 } });

	describe('every tool sends exactly the fields set, its file in the part it reads, and gives a file back', () => {
		// operation, input, parameters, endpoint, the fields that must arrive (in order), file parts, result MIME type
		const cases: Array<[string, Record<string, InputFile>, Record<string, unknown>, string, Array<[string, string]>, string[], string]> = [
			['thumbnail', { data: photo() }, { options: { width: 64, height: 48, format: 'png' } }, '/api/media/thumbnail', [['format', 'png'], ['width', '64'], ['height', '48']], ['file'], 'image/png'],
			['posterFrame', { data: clip() }, { options: { timestamp: 4 } }, '/api/media/poster-frame', [['timestamp', '4']], ['file'], 'image/jpeg'],
			['storyboard', { data: clip() }, { options: { frames: 6, columns: 3 } }, '/api/media/storyboard', [['frames', '6'], ['columns', '3']], ['file'], 'image/jpeg'],
			['gif', { data: clip() }, { options: { start: 1.5, duration: 2, fps: 8 } }, '/api/media/gif', [['start', '1.5'], ['duration', '2'], ['fps', '8']], ['file'], 'image/gif'],
			['trim', { data: clip() }, { options: { start: 0, duration: 3 } }, '/api/media/trim', [['start', '0'], ['duration', '3']], ['file'], 'video/mp4'],
			['extractAudio', { data: clip() }, { options: { format: 'wav' } }, '/api/media/extract-audio', [['format', 'wav']], ['file'], 'audio/wav'],
			['convert', { data: clip() }, { format: 'webm' }, '/api/media/convert', [['format', 'webm']], ['file'], 'video/webm'],
			['watermark', { data: photo() }, { options: { text: 'ACME', position: 'center' } }, '/api/media/watermark', [['text', 'ACME'], ['position', 'center']], ['file'], 'image/png'],
			['removeBackground', { data: photo() }, { options: { trim: true, force: false } }, '/api/media/remove-background', [['trim', 'true'], ['force', 'false']], ['file'], 'image/png'],
			['transform', { data: photo() }, { options: { width: 100, flip: true } }, '/api/media/transform', [['width', '100'], ['flip', 'true']], ['file'], 'image/webp'],
			['adjust', { data: photo() }, { options: { brightness: 1.2, grayscale: true } }, '/api/media/adjust', [['brightness', '1.2'], ['grayscale', 'true']], ['file'], 'image/png'],
			['pdfPreview', { data: pdf() }, { options: { page: 1 } }, '/api/media/pdf-preview', [['page', '1']], ['file'], 'image/jpeg'],
			['stripMetadata', { data: photo() }, {}, '/api/media/strip-metadata', [], ['file'], 'image/png'],
			['imageToPdf', { data: photo('a.png'), second: photo('b.png') }, { binaryPropertyName: 'data, second', options: { pageSize: 'a4' } }, '/api/media/image-to-pdf', [['pageSize', 'a4']], ['files', 'files'], 'application/pdf'],
			['concatAudio', { data: song('a.mp3'), second: song('b.mp3') }, { binaryPropertyName: 'data,second' }, '/api/media/concat-audio', [], ['files', 'files'], 'audio/mpeg'],
			['compressFiles', { data: photo() }, { options: { quality: 60 } }, '/api/compress', [['quality', '60']], ['files'], 'image/png'],
			['convertFiles', { data: photo() }, { format: 'jpg', resize: 'original' }, '/api/convert', [['format', 'jpg'], ['resize', 'original']], ['files'], 'image/jpeg'],
		];

		it.each(cases)('%s', async (operation, binary, parameters, endpoint, fields, parts, mimeType) => {
			const result = await run(simulator(), tool(operation, parameters), { items: [item(binary)] });
			expect(result.error?.message).toBeUndefined();
			const [request] = simulator().mediaRequests();
			expect(request.endpoint).toBe(endpoint);
			// Only what was set: Convertly's own defaults apply to everything else.
			expect([...request.fieldList].sort()).toEqual([...fields].sort());
			expect(request.files.map((file) => file.field)).toEqual(parts);
			expect(request.idempotencyKey).toMatch(/^n8n-[0-9a-f]{64}$/);
			const [output] = result.items;
			expect(output.pairedItem).toEqual({ item: 0 });
			// The answer unchanged, and the first file in "data" as the next node expects.
			expect(output.json).toEqual(expect.objectContaining({ files: expect.any(Array) }));
			expect(Object.keys(output.binary ?? {})).toEqual(['data']);
			expect(output.binary?.data.mimeType).toBe(mimeType);
			const download = simulator().downloads().find((entry) => entry.jobId === request.outputId);
			expect(download).toBeDefined();
		});
	});

	it('a thumbnail arrives as the image Convertly made, in the size asked for', async () => {
		const result = await run(simulator(), tool('thumbnail', { options: { width: 200, height: 150, fit: 'inside', format: 'png' } }), { items: [item({ data: photo() })] });
		const bytes = await readBinary(result.items[0].binary?.data as IBinaryData);
		expect(imageSize(bytes)).toMatchObject({ width: 200, height: 150 });
		expect(result.items[0].binary?.data.fileName).toBe('photo-thumbnail.png');
	});

	it('several result files go to data, data_1, … in result order', async () => {
		const result = await run(simulator(), tool('compressFiles', { binaryPropertyName: 'data,second' }), {
			items: [item({ data: photo('one.png'), second: photo('two.png') })],
		});
		const binary = result.items[0].binary as Record<string, IBinaryData>;
		expect(Object.keys(binary)).toEqual(['data', 'data_1']);
		expect([binary.data.fileName, binary.data_1.fileName]).toEqual(['one.png', 'two.png']);
		expect(result.items[0].json.files).toHaveLength(2);
	});

	it('Put Output File in Field names the field; Download Result Files off gives the answer with its links only', async () => {
		const named = await run(simulator(), tool('thumbnail', { binaryPropertyOutput: 'preview' }), { items: [item({ data: photo() })] });
		expect(Object.keys(named.items[0].binary ?? {})).toEqual(['preview']);
		const links = await run(simulator(), tool('thumbnail', { downloadResults: false }), { items: [item({ data: photo() })] });
		expect(links.items[0].binary).toBeUndefined();
		expect((links.items[0].json.files as Array<{ downloadUrl: string }>)[0].downloadUrl).toMatch(/^http/);
	});

	it('by URL: sourceUrl is sent instead of a file, and Convertly fetches it itself', async () => {
		const files = await startFileServer({ '/in/photo.png': { body: PHOTO, type: 'image/png' } });
		try {
			const result = await run(simulator(), tool('thumbnail', { inputSource: 'url', sourceUrl: `${files.url}/in/photo.png` }), { items: [{ json: {} }] });
			expect(result.error?.message).toBeUndefined();
			const [request] = simulator().mediaRequests();
			expect(request.files).toEqual([]);
			expect(request.fieldList).toEqual([['sourceUrl', `${files.url}/in/photo.png`]]);
			expect(request.sourceUrl?.status).toBe('fetched');
			// The file went from the file server to Convertly, never through n8n.
			expect(files.requests).toHaveLength(1);
			expect(result.items[0].binary?.data.mimeType).toBe('image/jpeg');
		} finally {
			await files.close();
		}
	});

	it('a URL Convertly cannot fetch: Convertly’s own 400 text reaches the user', async () => {
		const files = await startFileServer({});
		try {
			const result = await run(simulator(), tool('thumbnail', { inputSource: 'url', sourceUrl: `${files.url}/missing.png` }), { items: [{ json: {} }] });
			expect(result.error?.message).toBe('Convertly rejected the request: Could not fetch sourceUrl (HTTP 404).');
		} finally {
			await files.close();
		}
	});

	it('an address that is not http(s) is refused before any request, naming Source URL', async () => {
		const result = await run(simulator(), tool('thumbnail', { inputSource: 'url', sourceUrl: 'ftp://example.com/a.png' }), { items: [{ json: {} }] });
		expect(result.error?.message).toBe('Source URL must be an http:// or https:// address, not "ftp://example.com/a.png"');
		expect(simulator().mediaRequests()).toEqual([]);
	});

	describe('in the background', () => {
		it('sends async=true and outputs Convertly’s { jobId, status, tool } when not waiting', async () => {
			const result = await run(simulator(), tool('posterFrame', { runInBackground: true, downloadResults: false }), { items: [item({ data: clip() })] });
			const [request] = simulator().mediaRequests();
			expect(request.fieldList).toEqual([['async', 'true']]);
			expect(result.items[0].json).toEqual({ jobId: request.jobId, status: 'pending', tool: 'poster-frame' });
		});

		it('with Wait for Completion: the finished job, its result file in data', async () => {
			const result = await run(
				simulator(),
				tool('extractAudio', { runInBackground: true, waitForCompletion: true, waitOptions: { pollInterval: 1, timeout: 30 } }),
				{ items: [item({ data: clip() })] },
			);
			expect(result.error?.message).toBeUndefined();
			const [output] = result.items;
			expect(output.json).toMatchObject({ jobType: 'media_tool', status: 'completed', fileDownload: { downloaded: 1 } });
			expect(Object.keys(output.binary ?? {})).toEqual(['data']);
			expect(output.binary?.data.mimeType).toBe('audio/mpeg');
			expect(simulator().jobsCreated()).toBe(1);
		});

		it('a lost answer is retried with the same Idempotency-Key: one job', async () => {
			simulator().addFault({ path: '/api/media/gif', method: 'POST', dropAfterUpload: true });
			const result = await run(simulator(), tool('gif', { runInBackground: true, downloadResults: false }), { items: [item({ data: clip() })] });
			expect(result.error?.message).toBeUndefined();
			const requests = simulator().mediaRequests();
			expect(requests.length).toBe(2);
			expect(requests[1].idempotencyKey).toBe(requests[0].idempotencyKey);
			expect(simulator().jobsCreated()).toBe(1);
		});

		it('a plain (not background) request is not repeated after a 503: it may have been processed', async () => {
			simulator().addFault({ path: '/api/media/thumbnail', method: 'POST', status: 503 });
			const result = await run(simulator(), tool('thumbnail'), { items: [item({ data: photo() })] });
			expect(result.error?.message).toContain('Convertly is unavailable (HTTP 503)');
			expect(simulator().requests().filter((request) => request.method === 'POST')).toHaveLength(1);
		});
	});

	describe('inspect', () => {
		it('puts the metadata at the top level of the item ({ media } answer)', async () => {
			const result = await run(simulator(), tool('inspect'), { items: [item({ data: photo() })] });
			expect(result.items[0].json).toMatchObject({ filename: 'photo.png', mimeType: 'image/png', width: 800, height: 600, kind: 'image' });
			expect(result.items[0].json.media).toBeUndefined();
			expect(result.items[0].binary).toBeUndefined();
		});

		it('the same when Convertly answers with a JSON file to download', async () => {
			simulator().configure({ inspectResponse: 'files' });
			const result = await run(simulator(), tool('inspect'), { items: [item({ data: photo() })] });
			expect(result.items[0].json).toMatchObject({ filename: 'photo.png', width: 800, height: 600 });
		});
	});

	describe('several items, several files', () => {
		it('One Request for All Items: every item’s images in one PDF, paired to every item', async () => {
			const result = await run(simulator(), tool('imageToPdf', { options: { batching: 'allItems' } }), {
				items: [item({ data: photo('a.png') }), item({ data: photo('b.png') }), item({ data: photo('c.png') })],
			});
			expect(simulator().mediaRequests()).toHaveLength(1);
			expect(simulator().mediaRequests()[0].files.map((file) => file.filename)).toEqual(['a.png', 'b.png', 'c.png']);
			expect(result.items).toHaveLength(1);
			expect(result.items[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(result.items[0].binary?.data.mimeType).toBe('application/pdf');
		});

		it('one request per item by default, outputs in input order', async () => {
			const result = await run(simulator(), tool('thumbnail'), {
				items: [item({ data: photo('a.png') }), item({ data: photo('b.png') }), item({ data: photo('c.png') })],
			});
			expect(simulator().mediaRequests()).toHaveLength(3);
			expect(result.items.map((output) => output.binary?.data.fileName)).toEqual(['a-thumbnail.jpg', 'b-thumbnail.jpg', 'c-thumbnail.jpg']);
			expect(result.items.map((output) => output.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		});

		it('a watermark logo goes as the watermarkFile part', async () => {
			await run(simulator(), tool('watermark', { options: { watermarkBinaryPropertyName: 'logo' } }), { items: [item({ data: photo(), logo: photo('logo.png') })] });
			expect(simulator().mediaRequests()[0].files.map((file) => [file.field, file.filename])).toEqual([
				['file', 'photo.png'],
				['watermarkFile', 'logo.png'],
			]);
		});
	});
});
