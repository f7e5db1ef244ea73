import { sleep } from 'n8n-workflow';

import { deriveResult, derivedSize } from '../../simulator';
import type { SimulatorResultEntry } from '../../simulator';
import { useSimulator } from '../helpers';

const OTHER_KEY = 'cvly_simulator_other_key';

interface Upload {
	name: string;
	bytes: Uint8Array;
	type?: string;
	field?: string;
}

function bytesOf(length: number, seed = 7): Uint8Array {
	const out = new Uint8Array(length);
	for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
	return out;
}

function form(fields: Record<string, string>, files: Upload[]): FormData {
	const body = new FormData();
	for (const [name, value] of Object.entries(fields)) body.append(name, value);
	for (const file of files) {
		body.append(file.field ?? 'files', new Blob([Buffer.from(file.bytes)], { type: file.type ?? 'image/png' }), file.name);
	}
	return body;
}

const BASE_FIELDS = { format: 'webp', resize: 'original', saveToStorage: 'true' };

describe('Simulator: POST /api/jobs', () => {
	const simulator = useSimulator({ apiKeys: ['cvly_simulator_demo_key', OTHER_KEY] });

	async function create(
		fields: Record<string, string>,
		files: Upload[],
		headers: Record<string, string> = { authorization: `Bearer ${simulator().apiKey}` },
	) {
		const response = await fetch(`${simulator().url}/api/jobs`, { method: 'POST', body: form(fields, files), headers });
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	}

	async function getJob(jobId: unknown) {
		const response = await fetch(`${simulator().url}/api/jobs/${String(jobId)}`, {
			headers: { 'x-api-key': simulator().apiKey },
		});
		return (await response.json()) as Record<string, unknown>;
	}

	async function download(url: string) {
		const response = await fetch(url, { headers: { 'x-api-key': simulator().apiKey } });
		return { response, bytes: Buffer.from(await response.arrayBuffer()) };
	}

	it('creates a pending job, records the request, and completes with results derived from the inputs', async () => {
		simulator().configure({ createdJobTiming: { pendingMs: 60_000, processingMsPerFile: 1000 } });
		const first = bytesOf(5000, 1);
		const second = bytesOf(123, 2);
		const created = await create({ ...BASE_FIELDS, compression: '60', autoOrient: 'false' }, [
			{ name: 'photo.png', bytes: first },
			{ name: 'scan.tiff', bytes: second, type: 'image/tiff' },
		]);
		expect(created.status).toBe(200);
		expect(created.body).toEqual({ jobId: expect.any(String), status: 'pending' });
		expect(simulator().jobsCreated()).toBe(1);

		const [record] = simulator().createRequests();
		expect(record.fields).toEqual({ ...BASE_FIELDS, compression: '60', autoOrient: 'false' });
		expect(record.files).toEqual([
			expect.objectContaining({ field: 'files', filename: 'photo.png', mimeType: 'image/png', size: 5000 }),
			expect.objectContaining({ field: 'files', filename: 'scan.tiff', mimeType: 'image/tiff', size: 123 }),
		]);
		expect(record.headers.authorization).toBe(`Bearer ${simulator().apiKey}`);

		expect(await getJob(created.body.jobId)).toMatchObject({ status: 'pending', totalFiles: 2, results: null });
		simulator().advanceTime(60_000);
		expect(await getJob(created.body.jobId)).toMatchObject({ status: 'processing', completedFiles: 0 });
		simulator().advanceTime(2_000);
		const done = await getJob(created.body.jobId);
		expect(done).toMatchObject({ status: 'completed', completedFiles: 2, failedFiles: 0, progress: 100, jobType: 'convert' });

		const results = done.results as SimulatorResultEntry[];
		expect(results.map((entry) => [entry.filename, entry.mimeType, entry.originalSize, entry.appliedQuality])).toEqual([
			['photo.webp', 'image/webp', 5000, 60],
			['scan.webp', 'image/webp', 123, 60],
		]);
		for (const [index, input] of [first, second].entries()) {
			const expected = deriveResult(input, { jobType: 'convert', format: 'webp', compression: 60 });
			expect(results[index].finalSize).toBe(expected.length);
			expect(results[index].savedPercent).toBe(Math.round(((input.length - expected.length) / input.length) * 100));
			const { response, bytes } = await download(results[index].downloadUrl as string);
			expect(response.status).toBe(200);
			expect(response.headers.get('content-type')).toBe('image/webp');
			expect(response.headers.get('content-length')).toBe(String(expected.length));
			expect(response.headers.get('content-disposition')).toContain(`filename="${results[index].filename}"`);
			expect(bytes.equals(expected)).toBe(true);
		}
	});

	it('streams a multi-megabyte input to disk and derives the same bytes as deriveResult', async () => {
		simulator().configure({ createdJobTiming: { pendingMs: 0, processingMsPerFile: 0 } });
		const input = bytesOf(3 * 1024 * 1024 + 17, 9);
		const created = await create({ ...BASE_FIELDS, format: 'avif', compression: '37' }, [{ name: 'big.jpg', bytes: input }]);
		expect(created.status).toBe(200);
		const [result] = (await getJob(created.body.jobId)).results as SimulatorResultEntry[];
		const expected = deriveResult(input, { jobType: 'convert', format: 'avif', compression: 37 });
		expect(result.finalSize).toBe(derivedSize(input.length, { jobType: 'convert', format: 'avif', compression: 37 }));
		const { bytes } = await download(result.downloadUrl as string);
		expect(bytes.length).toBe(expected.length);
		expect(bytes.equals(expected)).toBe(true);
	});

	it('compress keeps each input name and type; formats and compressions apply per file', async () => {
		simulator().configure({ createdJobTiming: { pendingMs: 0, processingMsPerFile: 0 } });
		const compress = await create({ ...BASE_FIELDS, jobType: 'compress', compression: '50' }, [
			{ name: 'a.JPG', bytes: bytesOf(400), type: 'image/jpeg' },
		]);
		const [compressed] = (await getJob(compress.body.jobId)).results as SimulatorResultEntry[];
		expect(compressed).toMatchObject({ filename: 'a.JPG', mimeType: 'image/jpeg', appliedQuality: 50 });
		expect((await download(compressed.downloadUrl as string)).bytes.equals(
			deriveResult(bytesOf(400), { jobType: 'compress', format: 'jpg', compression: 50 }),
		)).toBe(true);

		const perFile = await create({ ...BASE_FIELDS, formats: '["png", null]', compressions: '[90, 10]' }, [
			{ name: 'one.gif', bytes: bytesOf(300) },
			{ name: 'two.gif', bytes: bytesOf(300) },
		]);
		const entries = (await getJob(perFile.body.jobId)).results as SimulatorResultEntry[];
		expect(entries.map((entry) => [entry.filename, entry.mimeType, entry.appliedQuality])).toEqual([
			['one.png', 'image/png', 90],
			['two.webp', 'image/webp', 10],
		]);
	});

	it('fails files whose name contains "fail", fails the job when all do, and adds an archive entry on request', async () => {
		simulator().configure({ createdJobTiming: { pendingMs: 0, processingMsPerFile: 0 } });
		const partial = await create({ ...BASE_FIELDS, createArchive: 'true' }, [
			{ name: 'good.png', bytes: bytesOf(200) },
			{ name: 'will-fail.png', bytes: bytesOf(200) },
		]);
		const job = await getJob(partial.body.jobId);
		expect(job).toMatchObject({ status: 'completed', totalFiles: 2, completedFiles: 1, failedFiles: 1 });
		const [good, failed, archive] = job.results as SimulatorResultEntry[];
		expect(good.filename).toBe('good.webp');
		expect(failed).toEqual({ filename: 'will-fail.webp', error: 'The file could not be decoded.', downloadUrl: null });
		expect(archive).toMatchObject({ filename: `convertly-${String(job.jobId).slice(0, 8)}.zip`, mimeType: 'application/zip' });
		const archived = await download(archive.downloadUrl as string);
		expect(archived.bytes.length).toBe(archive.finalSize);
		expect(archived.bytes.toString('utf8')).toContain(`good.webp ${good.finalSize}`);

		const allFail = await create(BASE_FIELDS, [{ name: 'fail-1.png', bytes: bytesOf(10) }]);
		expect(await getJob(allFail.body.jobId)).toMatchObject({
			status: 'failed',
			failedFiles: 1,
			errorMessage: 'None of the files could be decoded.',
			results: null,
		});
	});

	const one = [{ name: 'a.png', bytes: bytesOf(10) }];
	it.each<[string, Record<string, string>, Upload[], string]>([
		['no files', BASE_FIELDS, [], 'files'],
		['a file under another field name only', BASE_FIELDS, [{ name: 'a.png', bytes: bytesOf(10), field: 'file' }], 'files'],
		['no format', { resize: 'original', saveToStorage: 'true' }, one, 'format'],
		['an unknown format', { ...BASE_FIELDS, format: 'bmp' }, one, 'format'],
		['no resize', { format: 'webp', saveToStorage: 'true' }, one, 'resize'],
		['an unknown resize', { ...BASE_FIELDS, resize: 'huge' }, one, 'resize'],
		['resize=width without resizeWidths', { ...BASE_FIELDS, resize: 'width' }, one, 'resizeWidths'],
		['resizeWidths with the wrong length', { ...BASE_FIELDS, resize: 'width', resizeWidths: '[100, 200]' }, one, 'resizeWidths'],
		['resizeHeights not positive', { ...BASE_FIELDS, resize: 'height', resizeHeights: '[0]' }, one, 'resizeHeights'],
		['compression 0', { ...BASE_FIELDS, compression: '0' }, one, 'compression'],
		['compression 101', { ...BASE_FIELDS, compression: '101' }, one, 'compression'],
		['compression text', { ...BASE_FIELDS, compression: 'high' }, one, 'compression'],
		['an unknown jobType', { ...BASE_FIELDS, jobType: 'media_tool' }, one, 'jobType'],
		['autoOrient not a boolean', { ...BASE_FIELDS, autoOrient: 'yes' }, one, 'autoOrient'],
		['mono not a boolean', { ...BASE_FIELDS, mono: '1' }, one, 'mono'],
		['createArchive not a boolean', { ...BASE_FIELDS, createArchive: 'TRUE' }, one, 'createArchive'],
		['saveToStorage missing', { format: 'webp', resize: 'original' }, one, 'saveToStorage'],
		['saveToStorage false', { ...BASE_FIELDS, saveToStorage: 'false' }, one, 'saveToStorage'],
		['formats not an array', { ...BASE_FIELDS, formats: '"png"' }, one, 'formats'],
		['compressions not JSON', { ...BASE_FIELDS, compressions: '[1,' }, one, 'compressions'],
		['resizes with a bad entry', { ...BASE_FIELDS, resizes: '["tiny"]' }, one, 'resizes'],
		['autoOrients not an array', { ...BASE_FIELDS, autoOrients: 'true' }, one, 'autoOrients'],
		['monos not an array', { ...BASE_FIELDS, monos: '{}' }, one, 'monos'],
	])('answers 400 naming the field for %s', async (_case, fields, files, field) => {
		const response = await create(fields, files);
		expect(response.status).toBe(400);
		expect(response.body.error).toEqual(expect.stringContaining(field));
		expect(simulator().jobsCreated()).toBe(0);
		expect(simulator().storedUploads()).toEqual([]);
	});

	it('says exactly what saveToStorage needs', async () => {
		expect((await create({ format: 'webp', resize: 'original' }, one)).body).toEqual({
			error: 'saveToStorage must be true for API-key jobs.',
		});
	});

	it('accepts resizeWidths with resize=width and the PHP client\'s files[N] names', async () => {
		const response = await create({ ...BASE_FIELDS, resize: 'width', resizeWidths: '[640, 320]' }, [
			{ name: 'a.png', bytes: bytesOf(10), field: 'files[0]' },
			{ name: 'b.png', bytes: bytesOf(10), field: 'files[1]' },
		]);
		expect(response.status).toBe(200);
		expect(simulator().getJob(String(response.body.jobId))?.totalFiles).toBe(2);
	});

	it('answers 401 without a key or with a wrong one, and creates nothing', async () => {
		expect(await create(BASE_FIELDS, one, {})).toEqual({ status: 401, body: { error: 'Missing API key.' } });
		expect((await create(BASE_FIELDS, one, { 'x-api-key': 'nope' })).status).toBe(401);
		expect(simulator().jobsCreated()).toBe(0);
	});

	it('answers 403 with upgradeUrl over the plan\'s files per batch', async () => {
		simulator().setPlan({ maxFilesPerBatch: 2, upgradeUrl: 'https://convertly.sh/upgrade' });
		const files = [1, 2, 3].map((n) => ({ name: `f${n}.png`, bytes: bytesOf(1000) }));
		expect(await create(BASE_FIELDS, files)).toEqual({
			status: 403,
			body: { error: 'Your plan allows 2 files per batch.', upgradeUrl: 'https://convertly.sh/upgrade' },
		});
		expect(simulator().jobsCreated()).toBe(0);
		expect(simulator().storedUploads()).toEqual([]);
		expect((await create(BASE_FIELDS, files.slice(0, 2))).status).toBe(200);
	});

	it.each([
		['format', { ...BASE_FIELDS, format: 'avif' }],
		['formats', { ...BASE_FIELDS, formats: '["webp", "avif"]' }],
	])('answers 403 with upgradeUrl for a locked format in %s', async (_field, fields) => {
		simulator().setPlan({ lockedFormats: ['avif'] });
		const response = await create(fields, [
			{ name: 'a.png', bytes: bytesOf(10) },
			{ name: 'b.png', bytes: bytesOf(10) },
		]);
		expect(response).toEqual({
			status: 403,
			body: { error: 'The avif format is not available on your plan.', upgradeUrl: 'https://convertly.sh/pricing' },
		});
		expect(simulator().jobsCreated()).toBe(0);
	});

	it('answers 413 naming the file and the limit, and keeps none of the upload', async () => {
		simulator().setPlan({ maxFileSizeBytes: 100_000 });
		const response = await create(BASE_FIELDS, [
			{ name: 'small.png', bytes: bytesOf(1000) },
			{ name: 'huge.png', bytes: bytesOf(1_000_000) },
		]);
		expect(response.status).toBe(413);
		expect(response.body.error).toEqual(expect.stringContaining('huge.png'));
		expect(response.body.error).toEqual(expect.stringContaining('100000'));
		expect(simulator().jobsCreated()).toBe(0);
		expect(simulator().storedUploads()).toEqual([]);
		// The whole upload was read (and discarded), so the client could read the answer.
		expect(simulator().createRequests()[0].files[1].size).toBe(1_000_000);
	});

	it('answers 415 naming the file and its type', async () => {
		simulator().setPlan({ unsupportedMimeTypes: ['application/x-msdownload'] });
		const response = await create(BASE_FIELDS, [{ name: 'setup.exe', bytes: bytesOf(10), type: 'application/x-msdownload' }]);
		expect(response.status).toBe(415);
		expect(response.body.error).toEqual(expect.stringContaining('setup.exe'));
		expect(response.body.error).toEqual(expect.stringContaining('application/x-msdownload'));
		expect(simulator().jobsCreated()).toBe(0);
	});

	it('answers 400 for a body that is not multipart', async () => {
		const response = await fetch(`${simulator().url}/api/jobs`, {
			method: 'POST',
			body: JSON.stringify(BASE_FIELDS),
			headers: { 'x-api-key': simulator().apiKey, 'content-type': 'application/json' },
		});
		expect(response.status).toBe(400);
		expect(simulator().jobsCreated()).toBe(0);
	});

	describe('Idempotency-Key', () => {
		const withKey = (idempotencyKey: string, apiKey = simulator().apiKey) => ({
			authorization: `Bearer ${apiKey}`,
			'idempotency-key': idempotencyKey,
		});

		it('returns the existing job for the same key and API key, with its current status, and does no new work', async () => {
			simulator().configure({ createdJobTiming: { pendingMs: 0, processingMsPerFile: 0 } });
			const first = await create(BASE_FIELDS, one, withKey('k-1'));
			const again = await create(BASE_FIELDS, one, withKey('k-1'));
			expect(again).toEqual({ status: 200, body: { jobId: first.body.jobId, status: 'completed' } });
			expect(simulator().jobsCreated()).toBe(1);
			expect(simulator().createRequests().map((request) => [request.idempotencyKey, request.reused, request.jobId])).toEqual([
				['k-1', false, first.body.jobId],
				['k-1', true, first.body.jobId],
			]);
			expect(simulator().storedUploads()).toHaveLength(1);

			const otherKey = await create(BASE_FIELDS, one, withKey('k-2'));
			const otherAccount = await create(BASE_FIELDS, one, withKey('k-1', OTHER_KEY));
			expect(new Set([first.body.jobId, otherKey.body.jobId, otherAccount.body.jobId]).size).toBe(3);
			expect(simulator().jobsCreated()).toBe(3);
		});

		it('creates one job when two requests with the same key arrive together', async () => {
			const [a, b] = await Promise.all([
				create(BASE_FIELDS, [{ name: 'a.png', bytes: bytesOf(200_000) }], withKey('same')),
				create(BASE_FIELDS, [{ name: 'a.png', bytes: bytesOf(200_000) }], withKey('same')),
			]);
			expect(a.body.jobId).toBe(b.body.jobId);
			expect(simulator().jobsCreated()).toBe(1);
		});

		it('does not reuse a key whose first request was refused', async () => {
			const refused = await create({ ...BASE_FIELDS, format: 'bmp' }, one, withKey('k-3'));
			expect(refused.status).toBe(400);
			expect((await create(BASE_FIELDS, one, withKey('k-3'))).status).toBe(200);
			expect(simulator().jobsCreated()).toBe(1);
		});
	});

	it('a client that goes away mid-upload leaves no job and no file, and its idempotency key stays free', async () => {
		const head = new TextEncoder().encode(
			'--XYZ\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n',
		);
		const body = new ReadableStream<Uint8Array>({
			start(controller) {
				controller.enqueue(head);
				controller.enqueue(bytesOf(300_000));
			},
		});
		const abort = new AbortController();
		const init = {
			method: 'POST',
			body,
			duplex: 'half',
			signal: abort.signal,
			headers: {
				'x-api-key': simulator().apiKey,
				'content-type': 'multipart/form-data; boundary=XYZ',
				'idempotency-key': 'gone',
			},
		};
		const pending = fetch(`${simulator().url}/api/jobs`, init as RequestInit).catch((error: Error) => error);
		for (let i = 0; i < 100 && simulator().storedUploads().length === 0; i++) await sleep(20);
		expect(simulator().storedUploads()).toHaveLength(1);
		abort.abort();
		expect(await pending).toMatchObject({ name: 'AbortError' });
		for (let i = 0; i < 100 && simulator().createRequests()[0].status === undefined; i++) await sleep(20);
		expect(simulator().createRequests()[0].status).toBe('aborted');
		expect(simulator().storedUploads()).toEqual([]);
		expect(simulator().jobsCreated()).toBe(0);
		const retried = await create(BASE_FIELDS, one, { 'x-api-key': simulator().apiKey, 'idempotency-key': 'gone' });
		expect(retried.status).toBe(200);
		expect(simulator().jobsCreated()).toBe(1);
	});

	describe('faults', () => {
		it('dropAfterUpload creates the job, drops the answer, and a retry with the same key gets that job', async () => {
			simulator().addFault({ path: '/api/jobs', method: 'POST', dropAfterUpload: true });
			const headers = { authorization: `Bearer ${simulator().apiKey}`, 'idempotency-key': 'retry-me' };
			await expect(create(BASE_FIELDS, one, headers)).rejects.toThrow();
			expect(simulator().jobsCreated()).toBe(1);
			const [dropped] = simulator().createRequests();
			expect(dropped.status).toBe('dropped');
			const retried = await create(BASE_FIELDS, one, headers);
			expect(retried.status).toBe(200);
			expect(retried.body.jobId).toBe(dropped.jobId);
			expect(simulator().jobsCreated()).toBe(1);
		});

		it('a client gone during a delayed POST creates nothing and does not block a retry with its key', async () => {
			simulator().addFault({ path: '/api/jobs', method: 'POST', delayMs: 300 });
			const headers = { 'x-api-key': simulator().apiKey, 'idempotency-key': 'delayed' };
			const abort = new AbortController();
			const first = fetch(`${simulator().url}/api/jobs`, {
				method: 'POST',
				body: form(BASE_FIELDS, one),
				headers,
				signal: abort.signal,
			}).catch((error: Error) => error);
			for (let i = 0; i < 100 && simulator().requests().length === 0; i++) await sleep(10);
			abort.abort();
			expect(await first).toMatchObject({ name: 'AbortError' });
			for (let i = 0; i < 100 && simulator().createRequests()[0]?.status === undefined; i++) await sleep(20);
			expect(simulator().createRequests()[0].status).toBe('aborted');
			expect(simulator().jobsCreated()).toBe(0);
			expect((await create(BASE_FIELDS, one, headers)).status).toBe(200);
			expect(simulator().jobsCreated()).toBe(1);
		});

		it('a status fault on POST answers without creating anything; GETs are not affected', async () => {
			const job = simulator().addJob({ processingMs: 0 });
			simulator().addFault({ path: '/api/jobs', method: 'POST', status: 503 });
			expect((await getJob(job.jobId)).status).toBe('completed');
			const response = await create(BASE_FIELDS, one);
			expect(response).toEqual({ status: 503, body: { error: 'Queue unavailable. Retry with backoff.' } });
			// Jobs added by the test (addJob, fixtures) are not counted: only POST /api/jobs creations.
			expect(simulator().jobsCreated()).toBe(0);
			expect((await create(BASE_FIELDS, one)).status).toBe(200);
			expect(simulator().jobsCreated()).toBe(1);
		});
	});

	it('stores callbackUrl and callbackSecret on the job and announces created jobs', async () => {
		const announced: string[] = [];
		const listener = (view: { jobId: string }) => announced.push(view.jobId);
		simulator().events.on('job-created', listener);
		try {
			const added = simulator().addJob({});
			const created = await create(
				{ ...BASE_FIELDS, callbackUrl: 'http://127.0.0.1:9/callback', callbackSecret: 'shh' },
				one,
			);
			expect(announced).toEqual([added.jobId, created.body.jobId]);
			expect(simulator().jobRecord(String(created.body.jobId))).toMatchObject({
				callback: { url: 'http://127.0.0.1:9/callback', secret: 'shh' },
			});
		} finally {
			simulator().events.off('job-created', listener);
		}
	});
});
