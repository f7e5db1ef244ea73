// The node must accept anything the official schema allows, not only what our simulator happens to
// send: results absent, null, an object or an array (of anything); errorMessage and completedAt
// absent or null; unknown extra fields. Each body below is first proven valid against the official
// JobDetail schema, then served verbatim (a scripted 200 fault) and read by the node in n8n's engine.
import { validateInferred, validateOfficial } from './schemas';
import { getJobParameters, run, useSimulator } from '../helpers';

type Body = Record<string, unknown>;

const required = (jobId: string, status: string, extra: Body = {}): Body => ({
	jobId,
	jobType: 'convert',
	status,
	totalFiles: 2,
	completedFiles: status === 'completed' ? 2 : 0,
	failedFiles: status === 'failed' ? 2 : 0,
	progress: status === 'completed' || status === 'failed' ? 100 : 40,
	createdAt: '2026-11-28T10:00:00Z',
	...extra,
});

/** [label, body builder, number of items the Results output gives]. */
const VARIANTS: Array<[string, (jobId: string) => Body, number]> = [
	['only the required fields', (id) => required(id, 'completed'), 0],
	['results, errorMessage and completedAt null', (id) => required(id, 'completed', { results: null, errorMessage: null, completedAt: null }), 0],
	['results an object', (id) => required(id, 'completed', { jobType: 'transfer', results: { file: { id: 'f1', filename: 'a.mp4', size_bytes: 10 } }, completedAt: '2026-11-28T10:00:09.5+01:00' }), 1],
	['results an array of objects', (id) => required(id, 'completed', { results: [{ filename: 'a.webp', downloadUrl: 'https://x/a' }, { filename: 'b.webp' }] }), 2],
	['results an empty array', (id) => required(id, 'completed', { results: [] }), 0],
	['results an array of non-objects', (id) => required(id, 'completed', { results: ['a.webp', 7, null, ['nested']] }), 4],
	[
		'results an object and unknown extra fields',
		(id) =>
			required(id, 'completed', {
				jobType: 'media_tool',
				results: { media: { kind: 'video', streams: [] } },
				updatedAt: '2026-11-28T10:00:00Z',
				tool: 'inspect',
				settings: { quality: 80, formats: ['webp'] },
				nothing: null,
			}),
		1,
	],
	['failed, errorMessage absent', (id) => required(id, 'failed'), 0],
	['failed, errorMessage null', (id) => required(id, 'failed', { errorMessage: null, results: null }), 0],
	['failed, errorMessage set, partial results', (id) => required(id, 'failed', { errorMessage: 'Bad file.', results: [{ filename: 'a.webp' }] }), 1],
	['processing, completedAt absent', (id) => required(id, 'processing'), 0],
];

describe('the node accepts every JobDetail the official schema allows', () => {
	const simulator = useSimulator();

	let counter = 0;
	/** Adds one simulator job per variant; every read of it answers the variant's body verbatim. */
	const serve = (variants = VARIANTS) =>
		variants.map(([label, build, resultItems]) => {
			const jobId = `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;
			const body = build(jobId);
			simulator().addJob({ jobId, processingMs: 0, faults: [{ status: 200, body, times: 100 }] });
			return { label, jobId, body, resultItems };
		});

	it('every variant is valid against the official JobDetail schema', () => {
		for (const [label, build] of VARIANTS) {
			expect({ label, ...validateOfficial('JobDetail', build('a755a89a-3a63-4f3e-88ff-7fef50d42d7d')) }).toEqual({ label, valid: true, errors: [] });
		}
	});

	it('Job → Get outputs each body exactly as served', async () => {
		const served = serve();
		const result = await run(simulator(), getJobParameters('={{ $json.id }}'), { items: served.map(({ jobId }) => ({ id: jobId })) });
		expect(result.status).toBe('success');
		expect(result.items.map((item) => item.json)).toEqual(served.map(({ body }) => body));
		expect(result.items.map((item) => item.pairedItem)).toEqual(served.map((_, item) => ({ item })));
	});

	it('Job → Get with Output "Results" gives one item per entry, none for absent, null or empty results', async () => {
		const served = serve();
		const result = await run(simulator(), getJobParameters('={{ $json.id }}', { options: { output: 'results' } }), {
			items: served.map(({ jobId }) => ({ id: jobId })),
		});
		expect(result.status).toBe('success');
		const counts = served.map((_, index) => result.items.filter((item) => (item.pairedItem as { item: number }).item === index).length);
		expect(counts).toEqual(served.map(({ resultItems }) => resultItems));
		for (const item of result.items) {
			const source = served[(item.pairedItem as { item: number }).item];
			expect(item.json.jobId).toBe(source.jobId);
		}
		// Non-object entries are wrapped, never dropped or reshaped.
		const wrapped = result.items.filter((item) => 'value' in item.json).map((item) => item.json.value);
		expect(wrapped).toEqual(['a.webp', 7, null, ['nested']]);
	});

	it('Wait for Completion returns finished bodies unchanged, failed ones too when asked to output them', async () => {
		const served = serve(VARIANTS.filter(([label]) => !label.startsWith('processing')));
		const result = await run(
			simulator(),
			getJobParameters('={{ $json.id }}', { waitForCompletion: true, waitOptions: { onFailure: 'output', timeout: 10 } }),
			{ items: served.map(({ jobId }) => ({ id: jobId })) },
		);
		expect(result.status).toBe('success');
		expect(result.items.map((item) => item.json)).toEqual(served.map(({ body }) => body));
	});

	it('a failed job without an errorMessage (absent or null) still fails with a clear message', async () => {
		const served = serve(VARIANTS.filter(([label]) => label.startsWith('failed')));
		const result = await run(simulator(), getJobParameters('={{ $json.id }}', { waitForCompletion: true, waitOptions: { timeout: 10 } }), {
			items: served.map(({ jobId }) => ({ id: jobId })),
			continueOnFail: true,
		});
		expect(result.status).toBe('success');
		expect(result.items.map((item) => item.json.error)).toEqual([
			`Convertly job "${served[0].jobId}" failed`,
			`Convertly job "${served[1].jobId}" failed`,
			`Convertly job "${served[2].jobId}" failed: Bad file.`,
		]);
		for (const item of result.items) {
			expect(String((item.json.details as { description?: string }).description)).toContain('2 of 2 files failed');
		}
	});

	it('a processing job without completedAt is waited for, and its finished body then read', async () => {
		const job = simulator().addJob({ totalFiles: 2, pendingMs: 0, processingMs: 1_500 });
		const processing = required(job.jobId, 'processing');
		simulator().addJob({ jobId: job.jobId, totalFiles: 2, processingMs: 1_500, faults: [{ status: 200, body: processing, times: 1 }] });
		const result = await run(simulator(), getJobParameters(job.jobId, { waitForCompletion: true, waitOptions: { pollInterval: 1, timeout: 20 } }));
		expect(result.status).toBe('success');
		expect(result.items[0].json).toMatchObject({ jobId: job.jobId, status: 'completed' });
		expect(validateOfficial('JobDetail', result.items[0].json).valid).toBe(true);
	});

	it('Job → Get Many outputs the list entries unchanged, each a valid inferred JobSummary', async () => {
		for (const jobType of ['convert', 'compress', 'media_tool', 'transfer'] as const) {
			simulator().addJob({ jobType, processingMs: 0 });
			simulator().addJob({ jobType, pendingMs: 3_600_000 });
		}
		const raw = (await (await fetch(`${simulator().url}/api/jobs?limit=100`, { headers: { 'x-api-key': simulator().apiKey } })).json()) as {
			jobs: Array<Record<string, unknown>>;
		};
		const result = await run(simulator(), { resource: 'job', operation: 'getAll', returnAll: true, filters: {} });
		expect(result.status).toBe('success');
		expect(result.items.map((item) => item.json)).toEqual(raw.jobs);
		for (const item of result.items) expect(validateInferred('JobSummary', item.json)).toEqual({ valid: true, errors: [] });
	});

	it('Job → Create with Wait for Completion outputs a valid JobDetail', async () => {
		simulator().configure({ createdJobTiming: { pendingMs: 0, processingMsPerFile: 0 } });
		const result = await run(
			simulator(),
			{ resource: 'job', operation: 'create', jobType: 'compress', binaryPropertyName: 'data', format: 'png', waitForCompletion: true },
			{ items: [{ json: {}, binary: { data: { base64: 'iVBORw0KGgo=', fileName: 'a.png', mimeType: 'image/png' } } }] },
		);
		expect(result.status).toBe('success');
		expect(result.items[0].json).toMatchObject({ jobType: 'compress', status: 'completed' });
		expect(validateOfficial('JobDetail', result.items[0].json)).toEqual({ valid: true, errors: [] });
	});
});
