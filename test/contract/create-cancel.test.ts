// Create, cancel, download and list-pagination bodies of the simulator: against the official schema
// where it applies (created jobs are read with GET /api/jobs/{id}; every error body) and against our
// inferred shapes (test/contract/convertly-inferred.schema.json) for what the excerpt does not cover.
import type { SimulatorSettings } from '../../simulator';
import { validateGetJobResponse, validateInferred, validateOfficial } from './schemas';
import { useSimulator } from '../helpers';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8]);
const BASE_FIELDS = { format: 'webp', resize: 'original', saveToStorage: 'true' };

describe('simulator create, cancel and download bodies against the schemas', () => {
	const simulator = useSimulator();
	const auth = () => ({ authorization: `Bearer ${simulator().apiKey}` });

	const create = async (fields: Record<string, string>, names = ['photo.png'], headers: Record<string, string> = {}) => {
		const form = new FormData();
		for (const [name, value] of Object.entries(fields)) form.append(name, value);
		for (const name of names) form.append('files', new Blob([PNG], { type: 'image/png' }), name);
		const response = await fetch(`${simulator().url}/api/jobs`, { method: 'POST', body: form, headers: { ...auth(), ...headers } });
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	};
	const call = async (method: string, path: string) => {
		const response = await fetch(`${simulator().url}${path}`, { method, headers: auth() });
		const text = await response.text();
		return { status: response.status, headers: response.headers, text, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
	};
	const expectOfficialJob = async (jobId: unknown) => {
		const response = await call('GET', `/api/jobs/${String(jobId)}`);
		expect(validateGetJobResponse(response.status, response.body)).toEqual({ valid: true, errors: [] });
		return response.body;
	};

	describe('POST /api/jobs', () => {
		it.each([['convert'], ['compress']])('a %s job: the create body fits our inferred shape, every later read the official one', async (jobType) => {
			simulator().configure({ createdJobTiming: { pendingMs: 0, processingMsPerFile: 0 } });
			const created = await create({ ...BASE_FIELDS, jobType }, ['a.png', 'b.png', 'fail-c.png']);
			expect(created.status).toBe(200);
			expect(validateInferred('CreateJobResponse', created.body)).toEqual({ valid: true, errors: [] });
			const job = await expectOfficialJob(created.body.jobId);
			expect(job).toMatchObject({ jobType, status: 'completed', totalFiles: 3, failedFiles: 1 });
			// The failed file's entry ({ filename, error, downloadUrl: null }) is still "array" to the schema.
			expect(job.results).toEqual(expect.arrayContaining([expect.objectContaining({ error: expect.any(String), downloadUrl: null })]));
		});

		it('a job whose every file fails ends "failed" with an errorMessage, a valid JobDetail', async () => {
			simulator().configure({ createdJobTiming: { pendingMs: 0, processingMsPerFile: 0 } });
			const created = await create(BASE_FIELDS, ['fail.png']);
			expect(await expectOfficialJob(created.body.jobId)).toMatchObject({ status: 'failed', errorMessage: expect.any(String) });
		});

		it('pending and processing reads of a created job are valid JobDetails', async () => {
			simulator().configure({ createdJobTiming: { pendingMs: 60_000, processingMsPerFile: 60_000 } });
			const created = await create(BASE_FIELDS, ['a.png', 'b.png']);
			expect(await expectOfficialJob(created.body.jobId)).toMatchObject({ status: 'pending' });
			simulator().advanceTime(90_000);
			expect(await expectOfficialJob(created.body.jobId)).toMatchObject({ status: 'processing', completedFiles: 0 });
		});

		it('a repeat with the same Idempotency-Key answers the existing job in the inferred repeat shape', async () => {
			simulator().configure({ createdJobTiming: { pendingMs: 0, processingMsPerFile: 0 } });
			const first = await create(BASE_FIELDS, ['a.png'], { 'idempotency-key': 'contract-1' });
			const repeat = await create(BASE_FIELDS, ['a.png'], { 'idempotency-key': 'contract-1' });
			expect(repeat.body.jobId).toBe(first.body.jobId);
			expect(validateInferred('IdempotentCreateResponse', repeat.body)).toEqual({ valid: true, errors: [] });
			// Our reading of the docs: only the first answer is the documented "status: pending" one.
			expect(repeat.body.status).toBe('completed');
			expect(validateInferred('CreateJobResponse', repeat.body).errors).toEqual([expect.objectContaining({ path: '/status', keyword: 'const' })]);
		});

		it.each<[string, Record<string, string>, string[], number, SimulatorSettings['plan']]>([
			['no format', { resize: 'original', saveToStorage: 'true' }, ['a.png'], 400, null],
			['an unknown format', { ...BASE_FIELDS, format: 'bmp' }, ['a.png'], 400, null],
			['no resize', { format: 'webp', saveToStorage: 'true' }, ['a.png'], 400, null],
			['saveToStorage false', { ...BASE_FIELDS, saveToStorage: 'false' }, ['a.png'], 400, null],
			['a compression of 0', { ...BASE_FIELDS, compression: '0' }, ['a.png'], 400, null],
			['no files', BASE_FIELDS, [], 400, null],
			['too many files for the plan', BASE_FIELDS, ['a.png', 'b.png'], 403, { maxFilesPerBatch: 1, upgradeUrl: 'https://convertly.sh/pricing' }],
			['a locked format', { ...BASE_FIELDS, format: 'avif' }, ['a.png'], 403, { lockedFormats: ['avif'], upgradeUrl: 'https://convertly.sh/pricing' }],
			['a file over the size limit', BASE_FIELDS, ['a.png'], 413, { maxFileSizeBytes: 4 }],
			['an unsupported type', BASE_FIELDS, ['a.png'], 415, { unsupportedMimeTypes: ['image/png'] }],
		])('%s: the error body is the official Error', async (_label, fields, names, status, plan) => {
			if (plan) simulator().setPlan(plan);
			const response = await create(fields, names);
			expect(response.status).toBe(status);
			expect(validateOfficial('Error', response.body)).toEqual({ valid: true, errors: [] });
			if (status === 403) expect(response.body.upgradeUrl).toBe('https://convertly.sh/pricing');
		});
	});

	describe('DELETE /api/jobs/{id}', () => {
		it('cancelResponse "job": the cancelled job fits our inferred CancelledJob; the official schema refuses it only at /status', async () => {
			const job = simulator().addJob({ pendingMs: 3_600_000 });
			const cancelled = await call('DELETE', `/api/jobs/${job.jobId}`);
			expect(cancelled.status).toBe(200);
			expect(validateInferred('CancelResponse', cancelled.body)).toEqual({ valid: true, errors: [] });
			const read = await call('GET', `/api/jobs/${job.jobId}`);
			expect(validateInferred('CancelledJob', read.body)).toEqual({ valid: true, errors: [] });
			// JobStatus has no "cancelled": the one place the simulator leaves the official schema, on purpose.
			// If Convertly adds the value (or documents another), this fails and says so.
			expect(validateGetJobResponse(read.status, read.body).errors).toEqual([expect.objectContaining({ path: '/status', keyword: 'enum' })]);
			// Listed, it is a valid summary too.
			const list = await call('GET', '/api/jobs?limit=10');
			expect(validateInferred('JobListResponse', list.body)).toEqual({ valid: true, errors: [] });
		});

		it('cancelResponse "ack" fits the inferred acknowledgement; "empty" answers 204 with no body', async () => {
			simulator().configure({ cancelResponse: 'ack' });
			const first = simulator().addJob({ pendingMs: 3_600_000 });
			const ack = await call('DELETE', `/api/jobs/${first.jobId}`);
			expect(ack.status).toBe(200);
			expect(validateInferred('CancelResponse', ack.body)).toEqual({ valid: true, errors: [] });
			expect(validateInferred('CancelAck', ack.body).valid).toBe(true);
			simulator().configure({ cancelResponse: 'empty' });
			const second = simulator().addJob({ pendingMs: 3_600_000 });
			const empty = await call('DELETE', `/api/jobs/${second.jobId}`);
			expect({ status: empty.status, text: empty.text }).toEqual({ status: 204, text: '' });
		});

		it.each([
			['processing', { processingMs: null }],
			['completed', { processingMs: 0 }],
			['failed', { processingMs: 0, outcome: 'failed' as const }],
		])('a %s job: 409 with the official Error body naming the status', async (status, spec) => {
			const job = simulator().addJob(spec);
			const response = await call('DELETE', `/api/jobs/${job.jobId}`);
			expect(response.status).toBe(409);
			expect(validateOfficial('Error', response.body)).toEqual({ valid: true, errors: [] });
			expect(response.body.error).toContain(status);
		});

		it('an unknown job: 404 with the official Error body', async () => {
			const response = await call('DELETE', '/api/jobs/a755a89a-3a63-4f3e-88ff-7fef50d42d7d');
			expect(response.status).toBe(404);
			expect(validateOfficial('Error', response.body)).toEqual({ valid: true, errors: [] });
		});
	});

	describe('result downloads', () => {
		it.each([['api'], ['storage'], ['redirect']] as const)('mode "%s": the file answer has the inferred download headers', async (mode) => {
			const job = simulator().addJob({ processingMs: 0, downloads: mode, resultFiles: [{ filename: 'big.webp', mimeType: 'image/webp', sizeBytes: 1000 }] });
			const detail = await expectOfficialJob(job.jobId);
			const url = String((detail.results as Array<{ downloadUrl: string }>)[0].downloadUrl);
			const response = await fetch(url, { headers: mode === 'storage' ? {} : auth() });
			expect(response.status).toBe(200);
			const headers = Object.fromEntries(response.headers.entries());
			expect(validateInferred('DownloadHeaders', headers)).toEqual({ valid: true, errors: [] });
			expect(headers['content-length']).toBe(String((await response.arrayBuffer()).byteLength));
		});

		it('mode "data": results carry data: URLs and still form a valid JobDetail', async () => {
			const job = simulator().addJob({ processingMs: 0, downloads: 'data', resultFiles: [{ filename: 'small.webp', mimeType: 'image/webp', sizeBytes: 10 }] });
			const detail = await expectOfficialJob(job.jobId);
			expect(String((detail.results as Array<{ downloadUrl: string }>)[0].downloadUrl)).toMatch(/^data:image\/webp;base64,/);
		});

		it('download refusals (no key on the API origin, a bad signature, an expired link) have Error-shaped bodies', async () => {
			const api = simulator().addJob({ processingMs: 0, downloads: 'api', resultFiles: [{ filename: 'a.webp', sizeBytes: 10 }] });
			const storage = simulator().addJob({ processingMs: 0, downloads: 'storage', resultFiles: [{ filename: 'b.webp', sizeBytes: 10 }] });
			const urlOf = async (jobId: string) => String(((await expectOfficialJob(jobId)).results as Array<{ downloadUrl: string }>)[0].downloadUrl);
			const noKey = await fetch(await urlOf(api.jobId));
			const signed = await urlOf(storage.jobId);
			const badSignature = await fetch(signed.replace(/sig=[0-9a-f]/, 'sig=x'));
			simulator().advanceTime(10 * 60_000);
			const expired = await fetch(signed);
			for (const [response, status] of [[noKey, 401], [badSignature, 403], [expired, 403]] as const) {
				expect(response.status).toBe(status);
				expect(validateOfficial('Error', await response.json())).toEqual({ valid: true, errors: [] });
			}
		});
	});

	describe('GET /api/jobs pagination shapes', () => {
		it.each([['full'], ['total'], ['hasMore']] as const)('"%s" is a valid JobListResponse', async (listPagination) => {
			simulator().configure({ listPagination });
			for (let index = 0; index < 3; index++) simulator().addJob({ processingMs: 0 });
			const response = await call('GET', '/api/jobs?limit=2&offset=1');
			expect(validateInferred('JobListResponse', response.body)).toEqual({ valid: true, errors: [] });
		});

		it('"none" (a robustness variant) is caught as outside the documented shape, at /pagination only', async () => {
			simulator().configure({ listPagination: 'none' });
			simulator().addJob({ processingMs: 0 });
			const response = await call('GET', '/api/jobs?limit=2');
			expect(validateInferred('JobListResponse', response.body).errors).toEqual([
				expect.objectContaining({ path: '/pagination', keyword: 'required' }),
			]);
		});
	});
});
