import type { IBinaryData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { Convertly } from '../../nodes/Convertly/Convertly.node';
import { deriveResult } from '../../simulator';
import { openStoredFiles, readBinary, storedBinaryFiles } from '../../tools/engine';
import type { InputItem } from '../../tools/engine';
import { createJobParameters, run, start, stopNow, until, useSimulator } from '../helpers';

const PNG = (text: string) => ({ text, fileName: `${text}.png`, mimeType: 'image/png' });
const withFiles = (files: Record<string, ReturnType<typeof PNG>>, json: Record<string, unknown> = {}): InputItem => ({ json, binary: files });

const createParameters = createJobParameters;
const waitAndDownload = (extra: Record<string, unknown> = {}) =>
	createParameters({ waitForCompletion: true, waitOptions: { pollInterval: 1 }, downloadResults: true, ...extra });

const expectedBytes = (text: string, jobType: 'convert' | 'compress' = 'convert', format = 'webp', compression = 82) =>
	deriveResult(Buffer.from(text), { jobType, format, compression });

describe('Job → Create', () => {
	const simulator = useSimulator({ createdJobTiming: { pendingMs: 100, processingMsPerFile: 200 } });

	it('uploads the item’s file as multipart and returns the created job', async () => {
		const result = await run(simulator(), createParameters(), { items: [withFiles({ data: PNG('photo-one') })] });
		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toEqual({ jobId: expect.any(String), status: 'pending' });
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		const [create] = simulator().createRequests();
		expect(create.files).toEqual([expect.objectContaining({ field: 'files', filename: 'photo-one.png', mimeType: 'image/png', size: 9 })]);
		expect(create.idempotencyKey).toMatch(/^n8n-[0-9a-f]{64}$/);
		expect(String(create.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
		// Sent with a length, so the body was streamed from n8n's store, not chunked from memory.
		expect(Number(create.headers['content-length'])).toBeGreaterThan(9);
		expect(simulator().jobsCreated()).toBe(1);
	});

	it('sends every setting as the documented form field', async () => {
		await run(
			simulator(),
			createParameters({
				jobType: 'compress',
				format: 'jpg',
				resize: 'width',
				resizeWidth: 640,
				compression: 55,
				binaryPropertyName: 'data, second',
				options: { autoOrient: false, monochrome: true, createArchive: true, callbackUrl: 'https://hooks.example/cb', callbackSecret: 'cb-secret' },
			}),
			{ items: [withFiles({ data: PNG('a'), second: PNG('bb') })] },
		);
		const [create] = simulator().createRequests();
		expect(create.fields).toEqual({
			jobType: 'compress',
			format: 'jpg',
			resize: 'width',
			compression: '55',
			autoOrient: 'false',
			mono: 'true',
			createArchive: 'true',
			saveToStorage: 'true',
			resizeWidths: '[640,640]',
			callbackUrl: 'https://hooks.example/cb',
			callbackSecret: 'cb-secret',
		});
		expect(create.files.map((file) => file.filename)).toEqual(['a.png', 'bb.png']);
	});

	it('Compress keeps each file’s format; Format stays shown and sent as saved, with a hint saying so', async () => {
		const format = new Convertly().description.properties.find((property) => property.name === 'format' && property.displayOptions?.show?.operation?.includes('create'));
		expect(format?.displayOptions?.show).toEqual({ resource: ['job'], operation: ['create'] });
		expect(format?.hint).toMatch(/Compress keeps each file’s own format/);
		const result = await run(simulator(), waitAndDownload({ jobType: 'compress', format: 'jpg' }), {
			items: [withFiles({ data: PNG('keep-png') })],
		});
		expect(result.status).toBe('success');
		expect(simulator().createRequests()[0].fields.format).toBe('jpg');
		expect(result.items[0].binary?.data_0).toMatchObject({ fileName: 'keep-png.png', mimeType: 'image/png' });
	});

	it('Resize presets and Quality read as a user thinks; parameter names and values are unchanged', () => {
		const properties = new Convertly().description.properties.filter((property) => property.displayOptions?.show?.operation?.includes('create') && property.displayOptions.show.resource?.includes('job'));
		const resize = properties.find((property) => property.name === 'resize');
		const options = (resize?.options ?? []) as Array<{ name: string; value: string; description?: string }>;
		expect(options.map((option) => option.value).sort()).toEqual(['ecommerce', 'email', 'height', 'instagram', 'linkedin', 'original', 'square', 'website', 'width']);
		expect(Object.fromEntries(options.map((option) => [option.value, option.name]))).toMatchObject({
			website: 'Web Page',
			instagram: 'Instagram Post',
			linkedin: 'LinkedIn Post',
			ecommerce: 'Product Photo (E-Commerce)',
		});
		// Every preset says what it produces.
		expect(options.every((option) => (option.description ?? '').length > 10)).toBe(true);
		const quality = properties.find((property) => property.name === 'compression');
		expect(quality).toMatchObject({ displayName: 'Quality', default: 82, typeOptions: { minValue: 1, maxValue: 100 } });
	});

	it('waits and downloads the result files into n8n binary data (Output: Job → data_0, data_1)', async () => {
		const result = await run(simulator(), waitAndDownload({ binaryPropertyName: 'data,second' }), {
			items: [withFiles({ data: PNG('first file'), second: PNG('second') })],
		});
		expect(result.status).toBe('success');
		const [item] = result.items;
		expect(item.json).toMatchObject({ status: 'completed', completedFiles: 2, fileDownload: { downloaded: 2 } });
		const binary = item.binary as Record<string, IBinaryData>;
		expect(Object.keys(binary).sort()).toEqual(['data_0', 'data_1']);
		expect(binary.data_0).toMatchObject({ fileName: 'first file.webp', mimeType: 'image/webp' });
		// Stored by n8n's binary data service (filesystem mode): the item holds an id, not the bytes.
		expect(binary.data_0.id).toMatch(/^filesystem-v2:/);
		expect(await readBinary(binary.data_0)).toEqual(expectedBytes('first file'));
		expect(await readBinary(binary.data_1)).toEqual(expectedBytes('second'));
	});

	it('node version 1.1: the first file in the named field itself, the next in <field>_1; version 1 kept data_0', async () => {
		const items = [withFiles({ data: PNG('first file'), second: PNG('second') })];
		const parameters = waitAndDownload({ binaryPropertyName: 'data,second' });
		const newer = await run(simulator(), parameters, { items, typeVersion: 1.1 });
		const binary = newer.items[0].binary as Record<string, IBinaryData>;
		expect(Object.keys(binary).sort()).toEqual(['data', 'data_1']);
		expect(await readBinary(binary.data)).toEqual(expectedBytes('first file'));
		expect(await readBinary(binary.data_1)).toEqual(expectedBytes('second'));
		const older = await run(simulator(), parameters, { items, typeVersion: 1 });
		expect(Object.keys(older.items[0].binary ?? {}).sort()).toEqual(['data_0', 'data_1']);
	});

	it('gives one item per result file with Output: Results, each file in the chosen field', async () => {
		const result = await run(
			simulator(),
			waitAndDownload({ jobType: 'compress', format: 'png', binaryPropertyName: 'data,second', binaryPropertyOutput: 'converted', options: { output: 'results' } }),
			{ items: [withFiles({ data: PNG('alpha'), second: PNG('beta') })] },
		);
		expect(result.items.map((item) => item.json.filename)).toEqual(['alpha.png', 'beta.png']);
		for (const [index, text] of ['alpha', 'beta'].entries()) {
			const item = result.items[index];
			expect(item.pairedItem).toEqual({ item: 0 });
			const file = (item.binary as Record<string, IBinaryData>).converted;
			expect(await readBinary(file)).toEqual(expectedBytes(text, 'compress', 'png'));
		}
	});

	it('makes one job per item by default, and one job for all items with Batching: One Job for All Items', async () => {
		const items = [withFiles({ data: PNG('one') }), withFiles({ data: PNG('two') }), withFiles({ data: PNG('three') })];
		const perItem = await run(simulator(), createParameters(), { items });
		expect(perItem.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(new Set(perItem.items.map((item) => item.json.jobId)).size).toBe(3);
		expect(simulator().jobsCreated()).toBe(3);

		simulator().reset();
		const batched = await run(simulator(), createParameters({ options: { batching: 'allItems' } }), { items });
		expect(simulator().jobsCreated()).toBe(1);
		expect(simulator().createRequests()[0].files.map((file) => file.filename)).toEqual(['one.png', 'two.png', 'three.png']);
		expect(batched.items).toHaveLength(1);
		expect(batched.items[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('pairs each result of a batched job to the item its file came from (Output: Results)', async () => {
		const items = [withFiles({ data: PNG('one') }), withFiles({ data: PNG('two') })];
		const result = await run(simulator(), waitAndDownload({ options: { batching: 'allItems', output: 'results' } }), { items });
		expect(result.items.map((item) => [item.json.filename, item.pairedItem])).toEqual([
			['one.webp', { item: 0 }],
			['two.webp', { item: 1 }],
		]);
	});

	describe('never two jobs for one request', () => {
		const posts = () => simulator().requests().filter((request) => request.method === 'POST');

		it('retries an upload whose answer was lost, with the same key, and gets the one job back', async () => {
			simulator().addFault({ path: '/api/jobs', method: 'POST', dropAfterUpload: true });
			const result = await run(simulator(), createParameters(), { items: [withFiles({ data: PNG('lost answer') })] });
			expect(result.status).toBe('success');
			const creates = simulator().createRequests();
			expect(creates).toHaveLength(2);
			expect(creates[0].idempotencyKey).toBe(creates[1].idempotencyKey);
			expect(creates[1].reused).toBe(true);
			expect(simulator().jobsCreated()).toBe(1);
			expect(result.items[0].json.jobId).toBe(creates[0].jobId);
		});

		it('retries a 503 with the same key, then says Convertly is unavailable', async () => {
			simulator().addFault({ path: '/api/jobs', method: 'POST', status: 503, times: 10 });
			const result = await run(simulator(), createParameters(), { items: [withFiles({ data: PNG('busy') })] });
			expect(result.error?.message).toBe('Convertly is unavailable (HTTP 503): Queue unavailable. Retry with backoff.');
			expect(result.error?.description).toContain('tried 4 times');
			const keys = posts().map((request) => request.headers['idempotency-key']);
			expect(keys).toHaveLength(4);
			expect(new Set(keys).size).toBe(1);
			expect(simulator().jobsCreated()).toBe(0);
		});

		it('derives the same key when the same stored files are sent again (a retried execution), a custom key when set', async () => {
			const item = withFiles({ data: PNG('same') });
			await run(simulator(), createParameters(), { items: [item] });
			await run(simulator(), createParameters({ options: { idempotencyKey: '={{ "order-" + 42 }}' } }), { items: [item] });
			const [first, custom] = simulator().createRequests();
			expect(custom.idempotencyKey).toBe('order-42');
			expect(first.idempotencyKey).not.toBe(custom.idempotencyKey);
		});

		it.each([400, 401, 402, 403, 413, 415])('does not retry a %i', async (status) => {
			simulator().addFault({ path: '/api/jobs', method: 'POST', status });
			await run(simulator(), createParameters(), { items: [withFiles({ data: PNG('x') })] });
			expect(posts()).toHaveLength(1);
		});
	});

	describe('downloads', () => {
		it('sends the key to the Base URL’s origin and never to the storage origin, across a redirect too', async () => {
			for (const mode of ['storage', 'redirect', 'api'] as const) {
				simulator().reset();
				simulator().configure({ downloadMode: mode });
				const result = await run(simulator(), waitAndDownload(), { items: [withFiles({ data: PNG(`via ${mode}`) })] });
				expect(result.status).toBe('success');
				const binary = (result.items[0].binary as Record<string, IBinaryData>).data_0;
				expect(await readBinary(binary)).toEqual(expectedBytes(`via ${mode}`));
				const downloads = simulator().downloads();
				expect(downloads.filter((download) => download.origin === 'storage' && download.withKey)).toEqual([]);
				if (mode === 'api') expect(downloads.every((download) => download.withKey)).toBe(true);
				if (mode === 'redirect') expect(downloads.map((download) => [download.origin, download.withKey])).toEqual([['api', true], ['storage', false]]);
			}
		});

		it('renews an expired signed link once by reading the job again', async () => {
			simulator().configure({ downloadMode: 'storage' });
			simulator().addFault({ origin: 'storage', status: 403, body: { error: 'This download link has expired.' } });
			const result = await run(simulator(), waitAndDownload(), { items: [withFiles({ data: PNG('renewed') })] });
			expect(result.status).toBe('success');
			expect(await readBinary((result.items[0].binary as Record<string, IBinaryData>).data_0)).toEqual(expectedBytes('renewed'));
			expect(simulator().downloads().map((download) => download.status)).toEqual([403, 200]);
		});

		it('fails clearly when the renewed link is refused as well', async () => {
			simulator().configure({ downloadMode: 'storage' });
			simulator().addFault({ origin: 'storage', status: 410, times: 2 });
			const result = await run(simulator(), waitAndDownload(), { items: [withFiles({ data: PNG('gone') })] });
			expect(result.error?.message).toBe('The download link of "gone.webp" no longer works (HTTP 410)');
		});

		it('decodes data: links locally', async () => {
			simulator().configure({ downloadMode: 'data' });
			const result = await run(simulator(), waitAndDownload(), { items: [withFiles({ data: PNG('inline') })] });
			expect(await readBinary((result.items[0].binary as Record<string, IBinaryData>).data_0)).toEqual(expectedBytes('inline'));
			expect(simulator().downloads()).toEqual([]);
		});

		it('downloads what exists of a partly failed job and names what is missing', async () => {
			const result = await run(simulator(), waitAndDownload({ binaryPropertyName: 'data,second' }), {
				items: [withFiles({ data: PNG('fine'), second: PNG('will-fail') })],
			});
			expect(result.status).toBe('success');
			const [item] = result.items;
			expect(Object.keys(item.binary ?? {})).toEqual(['data_0']);
			expect(item.json.fileDownload).toEqual({
				downloaded: 1,
				missing: [{ filename: 'will-fail.webp', reason: 'The file could not be decoded.' }],
			});
		});

		it('says there is nothing to download yet when not waiting, without failing', async () => {
			const result = await run(simulator(), createParameters({ downloadResults: true }), { items: [withFiles({ data: PNG('early') })] });
			expect(result.status).toBe('success');
			expect(result.items[0].json.fileDownload).toMatchObject({ downloaded: 0, note: expect.stringContaining('The job is pending') });
			expect(result.items[0].binary).toBeUndefined();
			const hints = result.run.data.resultData.runData.Node[0].hints ?? [];
			expect(hints.map((hint) => hint.message).join(' ')).toContain('No result files were downloaded');
		});
	});

	describe('errors a user can act on', () => {
		it('names a missing binary field and lists the fields the item has', async () => {
			const result = await run(simulator(), createParameters({ binaryPropertyName: 'file' }), { items: [withFiles({ data: PNG('x'), attachment: PNG('y') })] });
			expect(result.error?.message).toBe('The item has no binary field "file"');
			expect(result.error?.description).toBe('Its binary fields are: data, attachment. Set "Input Binary Field(s)" to one of them.');
			expect(simulator().createRequests()).toHaveLength(0);
		});

		it('says when the item has no file at all, and when a file is empty', async () => {
			const none = await run(simulator(), createParameters(), { items: [{ name: 'no file' }] });
			expect(none.error?.message).toBe('The item has no binary field "data"');
			expect(none.error?.description).toContain('The item has no file at all');
			const empty = await run(simulator(), createParameters(), { items: [withFiles({ data: { text: '', fileName: 'empty.png', mimeType: 'image/png' } })] });
			expect(empty.error?.message).toBe('The file "empty.png" in field "data" is empty');
			expect(simulator().createRequests()).toHaveLength(0);
		});

		it('400: shows Convertly’s text, which names the bad setting', async () => {
			simulator().addFault({ path: '/api/jobs', method: 'POST', status: 400, body: { error: 'resize must be one of original, website (got "huge").' } });
			const result = await run(simulator(), createParameters(), { items: [withFiles({ data: PNG('x') })] });
			expect(result.error?.message).toBe('Convertly rejected the request: resize must be one of original, website (got "huge").');
		});

		it('403 for a locked format and for too many files, with the upgrade URL', async () => {
			simulator().setPlan({ lockedFormats: ['avif'], maxFilesPerBatch: 1, upgradeUrl: 'https://convertly.sh/pricing' });
			const locked = await run(simulator(), createParameters({ format: 'avif' }), { items: [withFiles({ data: PNG('x') })] });
			expect(locked.error?.message).toMatch(/^Convertly refused access: .*avif/);
			expect(locked.error?.description).toContain('https://convertly.sh/pricing');
			const many = await run(simulator(), createParameters({ binaryPropertyName: 'data,second' }), { items: [withFiles({ data: PNG('x'), second: PNG('y') })] });
			expect(many.error?.message).toMatch(/^Convertly refused access: .*1 files? per batch/);
		});

		it('413 names the file and its size; 415 names the file and its type', async () => {
			simulator().setPlan({ maxFileSizeBytes: 4, unsupportedMimeTypes: ['application/x-msdownload'] });
			const big = await run(simulator(), createParameters(), { items: [withFiles({ data: PNG('too big') })] });
			expect(big.error?.message).toMatch(/^The file is too large for your Convertly plan \("too big.png", 7 B, image\/png\)/);
			const odd = await run(simulator(), createParameters(), {
				items: [withFiles({ data: { text: 'MZ', fileName: 'setup.exe', mimeType: 'application/x-msdownload' } })],
			});
			expect(odd.error?.message).toMatch(/^Convertly cannot process this type of file \("setup.exe", 2 B, application\/x-msdownload\)/);
		});

		it('with Continue On Fail, one bad item fails alone', async () => {
			const result = await run(simulator(), waitAndDownload(), {
				continueOnFail: true,
				items: [withFiles({ data: PNG('good') }), { no: 'file' }, withFiles({ data: PNG('also good') })],
			});
			expect(result.status).toBe('success');
			expect(result.items.map((item) => Object.keys(item.json).includes('error'))).toEqual([false, true, false]);
			expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(await readBinary((result.items[2].binary as Record<string, IBinaryData>).data_0)).toEqual(expectedBytes('also good'));
		});
	});

	describe('Stop', () => {
		it('during an upload: ends at once, no job is created, no request after it', async () => {
			simulator().addFault({ path: '/api/jobs', method: 'POST', delayMs: 1500 });
			const running = start(simulator(), createParameters(), {
				items: [withFiles({ data: { sizeBytes: 16 * 1024 * 1024, fileName: 'big.mov', mimeType: 'video/quicktime' } as never })],
			});
			await until(() => simulator().requests().some((request) => request.method === 'POST'));
			const { result, stoppedAt, tookMs } = await stopNow(running);
			expect(tookMs).toBeLessThan(1000);
			expect(result.status).not.toBe('success');
			// Past the moment the simulator would have answered.
			await sleep(1700);
			expect(simulator().jobsCreated()).toBe(0);
			expect(simulator().requests().filter((request) => request.at > stoppedAt)).toEqual([]);
		});

		it('during an upload: the file being sent is closed, not left to garbage collection', async () => {
			simulator().addFault({ path: '/api/jobs', method: 'POST', delayMs: 1500 });
			const running = start(simulator(), createParameters(), {
				items: [withFiles({ data: { sizeBytes: 16 * 1024 * 1024, fileName: 'big.mov', mimeType: 'video/quicktime' } as never })],
			});
			await until(() => simulator().requests().some((request) => request.method === 'POST'));
			await sleep(100);
			expect((await openStoredFiles())?.length ?? 1).toBeGreaterThan(0);
			await stopNow(running);
			// Before: the HTTP client stopped reading and nothing destroyed the stream, whose file
			// handle n8n's store opened; Node closed it on garbage collection, with its DEP0137 warning.
			let open = await openStoredFiles();
			for (let tries = 0; open?.length && tries < 50; tries++) {
				await sleep(20);
				open = await openStoredFiles();
			}
			expect(open ?? []).toEqual([]);
		});

		it('during a download: a broken-off download is retried; Stop then ends at once and leaves no half-written file', async () => {
			const job = simulator().addJob({ processingMs: 0, resultFiles: [{ filename: 'movie.mp4', mimeType: 'video/mp4', sizeBytes: 8 * 1024 * 1024 }] });
			simulator().addFault({ path: `/files/${job.jobId}`, delayMs: 150, dropAfterBytes: 4 * 1024 * 1024 });
			simulator().addFault({ path: `/files/${job.jobId}`, delayMs: 1500 });
			const before = await storedBinaryFiles();
			const running = start(simulator(), { resource: 'job', operation: 'get', jobId: job.jobId, downloadResults: true });
			await until(() => simulator().downloads().length > 1);
			const { result, stoppedAt, tookMs } = await stopNow(running);
			expect(tookMs).toBeLessThan(1000);
			expect(result.status).not.toBe('success');
			await sleep(200);
			const leftover = (await storedBinaryFiles()).filter((file) => !before.includes(file));
			expect(leftover.filter((file) => file.includes('.tmp'))).toEqual([]);
			expect(simulator().requests().filter((request) => request.at > stoppedAt)).toEqual([]);
		});
	});
});
