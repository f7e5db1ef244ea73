// Holds the simulator to Convertly's official OpenAPI excerpt (JobDetail, JobStatus, Error): every
// job body and every JSON error body it can serve on GET /api/jobs/{id} is fetched over HTTP and
// validated. If the simulator drifts from the published schema, these tests name the field.
import type { SimulatorJobSpec } from '../../simulator';
import { DEMO_FIXTURE } from '../../simulator';
import { jobDetailFields, validateGetJobResponse, validateOfficial } from './schemas';
import { useSimulator } from '../helpers';

const JOB_TYPES = ['convert', 'compress', 'media_tool', 'transfer'] as const;
const UUID = 'a755a89a-3a63-4f3e-88ff-7fef50d42d7d';

/** A JobDetail that the official schema accepts; cases below change one field at a time. */
const validJob = () => ({
	jobId: UUID,
	jobType: 'convert',
	status: 'completed',
	totalFiles: 1,
	completedFiles: 1,
	failedFiles: 0,
	progress: 100,
	createdAt: '2026-11-28T10:00:00.000Z',
});

describe('official schema (vendored OpenAPI excerpt)', () => {
	it('lists the documented JobDetail fields and required set', () => {
		expect(jobDetailFields()).toEqual([
			{ name: 'jobId', required: true },
			{ name: 'jobType', required: true },
			{ name: 'status', required: true },
			{ name: 'totalFiles', required: true },
			{ name: 'completedFiles', required: true },
			{ name: 'failedFiles', required: true },
			{ name: 'progress', required: true },
			{ name: 'errorMessage', required: false },
			{ name: 'results', required: false },
			{ name: 'createdAt', required: true },
			{ name: 'completedAt', required: false },
		]);
	});

	// Proves the validator reads OpenAPI 3.1 union types (`type: [string, 'null']`) instead of
	// ignoring them: each accepted variant is paired with one that must be refused.
	it.each<[string, Record<string, unknown>]>([
		['results absent', {}],
		['results null', { results: null }],
		['results an object', { results: { file: { id: 'f1' } } }],
		['results an array', { results: [{ filename: 'a.webp' }, 'anything'] }],
		['errorMessage null', { errorMessage: null }],
		['errorMessage a string', { errorMessage: 'The source file could not be decoded.' }],
		['completedAt null', { completedAt: null }],
		['completedAt a date-time', { completedAt: '2026-11-28T10:00:05.123Z' }],
		['unknown extra fields', { updatedAt: '2026-11-28T10:00:00Z', settings: { quality: 80 }, tool: 'trim' }],
	])('accepts a JobDetail with %s', (_case, change) => {
		expect(validateOfficial('JobDetail', { ...validJob(), ...change })).toEqual({ valid: true, errors: [] });
	});

	it.each<[string, Record<string, unknown>, string, string]>([
		['results a string', { results: 'done' }, '/results', 'type'],
		['results a number', { results: 3 }, '/results', 'type'],
		['errorMessage a number', { errorMessage: 500 }, '/errorMessage', 'type'],
		['errorMessage an object', { errorMessage: { text: 'x' } }, '/errorMessage', 'type'],
		['completedAt a number', { completedAt: 1764324000 }, '/completedAt', 'type'],
		['completedAt not a date-time', { completedAt: 'yesterday' }, '/completedAt', 'format'],
		['createdAt null', { createdAt: null }, '/createdAt', 'type'],
		['status "cancelled"', { status: 'cancelled' }, '/status', 'enum'],
		['jobType "forma"', { jobType: 'forma' }, '/jobType', 'enum'],
		['jobId not a UUID', { jobId: 'job_123' }, '/jobId', 'format'],
		['progress a fraction', { progress: 0.5 }, '/progress', 'type'],
		['totalFiles missing', { totalFiles: undefined }, '/totalFiles', 'required'],
	])('refuses a JobDetail with %s, naming the field', (_case, change, path, keyword) => {
		const body = JSON.parse(JSON.stringify({ ...validJob(), ...change }));
		const verdict = validateOfficial('JobDetail', body);
		expect(verdict.valid).toBe(false);
		expect(verdict.errors).toEqual([expect.objectContaining({ path, keyword })]);
	});

	it('reads the Error schema: error required, upgradeUrl an optional string', () => {
		expect(validateOfficial('Error', { error: 'Missing API key.' }).valid).toBe(true);
		expect(validateOfficial('Error', { error: 'Quota', upgradeUrl: 'https://convertly.sh/pricing' }).valid).toBe(true);
		expect(validateOfficial('Error', { message: 'x' }).errors).toEqual([expect.objectContaining({ path: '/error', keyword: 'required' })]);
		expect(validateOfficial('Error', { error: 'x', upgradeUrl: null }).errors).toEqual([
			expect.objectContaining({ path: '/upgradeUrl', keyword: 'type' }),
		]);
		expect(validateOfficial('JobStatus', 'processing').valid).toBe(true);
		expect(validateOfficial('JobStatus', 'queued').valid).toBe(false);
	});

	it("uses getJob's documented responses: 200 JobDetail, 401 and 404 Error, other errors Error", () => {
		expect(validateGetJobResponse(200, validJob()).valid).toBe(true);
		expect(validateGetJobResponse(200, { error: 'x' }).valid).toBe(false);
		expect(validateGetJobResponse(401, { error: 'Invalid API key.' }).valid).toBe(true);
		expect(validateGetJobResponse(404, validJob()).valid).toBe(false);
		expect(validateGetJobResponse(503, { error: 'Queue unavailable.' }).valid).toBe(true);
		expect(validateGetJobResponse(204, {}).valid).toBe(false);
	});
});

describe('simulator bodies against the official schema', () => {
	const simulator = useSimulator();

	const get = async (path: string, headers: Record<string, string> = { authorization: `Bearer ${simulator().apiKey}` }) => {
		const response = await fetch(`${simulator().url}${path}`, { headers });
		const text = await response.text();
		return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: JSON.parse(text) as unknown };
	};

	/** GETs the job and expects the official schema to accept the body. */
	const expectValidJob = async (jobId: string) => {
		const response = await get(`/api/jobs/${encodeURIComponent(jobId)}`);
		expect(response.status).toBe(200);
		expect(response.contentType).toContain('application/json');
		expect(validateGetJobResponse(response.status, response.body)).toEqual({ valid: true, errors: [] });
		return response.body as Record<string, unknown>;
	};

	const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
	// Each state fixed by the job's spec and creation time, so no test depends on timing.
	const states: Array<[string, string, SimulatorJobSpec]> = [
		['pending', 'pending', { pendingMs: 3_600_000 }],
		['processing, nothing finished yet', 'processing', { totalFiles: 3, processingMs: null }],
		['processing, half way', 'processing', { totalFiles: 4, createdAt: ago(5_000), processingMs: 10_000 }],
		['processing, with failed files', 'processing', { totalFiles: 4, failedFiles: 2, createdAt: ago(5_000), processingMs: 10_000 }],
		['completed', 'completed', { totalFiles: 3, processingMs: 0 }],
		['completed, some files failed', 'completed', { totalFiles: 3, failedFiles: 1, processingMs: 0 }],
		['completed, one file', 'completed', { totalFiles: 1, processingMs: 0 }],
		['failed', 'failed', { totalFiles: 2, outcome: 'failed', processingMs: 0 }],
	];
	const cases = JOB_TYPES.flatMap((jobType) =>
		states.map(([label, status, spec]) => [jobType, label, status, { jobType, ...spec }] as const),
	);

	it.each(cases)('%s job, %s: valid JobDetail', async (jobType, _label, status, spec) => {
		const job = simulator().addJob(spec);
		const body = await expectValidJob(job.jobId);
		expect(body).toMatchObject({ jobType, status });
	});

	it('every body of a job walking its whole life is a valid JobDetail', async () => {
		// The simulated clock is moved by hand: every step of every job is read, whatever the load.
		const jobs = JOB_TYPES.map((jobType, index) =>
			simulator().addJob({
				jobType,
				totalFiles: 4,
				failedFiles: index % 2,
				outcome: index === 3 ? 'failed' : 'completed',
				pendingMs: 1_000,
				processingMs: 4_000,
			}),
		);
		const walks = jobs.map(() => [] as string[]);
		for (let step = 0; step <= 24; step++) {
			for (const [index, job] of jobs.entries()) {
				const body = await expectValidJob(job.jobId);
				const seen = `${String(body.status)} ${String(body.progress)}%`;
				if (walks[index][walks[index].length - 1] !== seen) walks[index].push(seen);
			}
			simulator().advanceTime(250);
		}
		expect(walks).toEqual([
			['pending 0%', 'processing 0%', 'processing 25%', 'processing 50%', 'processing 75%', 'completed 100%'],
			['pending 0%', 'processing 0%', 'processing 25%', 'processing 50%', 'processing 75%', 'completed 100%'],
			['pending 0%', 'processing 0%', 'processing 25%', 'processing 50%', 'processing 75%', 'completed 100%'],
			['pending 0%', 'processing 0%', 'processing 25%', 'processing 50%', 'processing 75%', 'failed 100%'],
		]);
	});

	it.each<[string, SimulatorJobSpec]>([
		['extra fields', { extra: { updatedAt: '2026-11-28T10:00:00.000Z', settings: { quality: 80 }, tool: 'inspect' } }],
		['results set to an object', { results: { media: { filename: 'a.mp4', kind: 'video', streams: [] } } }],
		['results set to an array of non-objects', { results: ['a.webp', 2] }],
		['results set to null on completion', { results: null }],
		['a placeholder (non-UUID) id', { jobId: 'job_123' }],
	])('a job with %s is served as a valid JobDetail (or refused only where the schema says)', async (label, spec) => {
		const job = simulator().addJob({ processingMs: 0, ...spec });
		const response = await get(`/api/jobs/${job.jobId}`);
		const verdict = validateGetJobResponse(response.status, response.body);
		if (label === 'a placeholder (non-UUID) id') {
			// The docs' own placeholders (job_123) are not UUIDs: the schema refuses exactly that field.
			expect(verdict.errors).toEqual([expect.objectContaining({ path: '/jobId', keyword: 'format' })]);
		} else {
			expect(verdict).toEqual({ valid: true, errors: [] });
		}
	});

	it('every job of the demo fixture (npm run simulator, the demo, e2e) is a valid JobDetail', async () => {
		simulator().loadFixture(DEMO_FIXTURE);
		const list = await get('/api/jobs?limit=100');
		const jobs = (list.body as { jobs: Array<{ jobId: string }> }).jobs;
		expect(jobs.length).toBeGreaterThanOrEqual(30);
		const invalid = [];
		for (const { jobId } of jobs) {
			const response = await get(`/api/jobs/${encodeURIComponent(jobId)}`);
			const verdict = validateGetJobResponse(response.status, response.body);
			if (!verdict.valid) invalid.push({ jobId, errors: verdict.errors });
		}
		expect(invalid).toEqual([]);
	});

	it('a job spec reporting an unknown status (pendingStatus, a robustness knob) is caught at /status only', async () => {
		const job = simulator().addJob({ pendingMs: 3_600_000, pendingStatus: 'queued' });
		const response = await get(`/api/jobs/${job.jobId}`);
		expect(validateGetJobResponse(response.status, response.body).errors).toEqual([
			expect.objectContaining({ path: '/status', keyword: 'enum' }),
		]);
	});

	describe('error bodies', () => {
		const expectValidError = async (path: string, expectedStatus: number, headers?: Record<string, string>) => {
			const response = await get(path, headers);
			expect(response.status).toBe(expectedStatus);
			expect(response.contentType).toContain('application/json');
			expect(validateGetJobResponse(response.status, response.body)).toEqual({ valid: true, errors: [] });
			return response.body as { error: string; upgradeUrl?: string };
		};

		it.each<[string, Record<string, string>]>([
			['no key', {}],
			['a wrong Bearer key', { authorization: 'Bearer cvly_wrong' }],
			['a wrong x-api-key', { 'x-api-key': 'cvly_wrong' }],
			['a malformed Authorization header', { authorization: 'Basic abc' }],
		])('401 with %s', async (_label, headers) => {
			const body = await expectValidError(`/api/jobs/${UUID}`, 401, headers);
			expect(body.error).toMatch(/API key/);
		});

		it('404 for an unknown job and for an unknown route', async () => {
			await expectValidError(`/api/jobs/${UUID}`, 404);
			await expectValidError('/api/nothing-here', 404);
		});

		it.each([[400], [401], [402], [403], [404], [409], [413], [415], [429], [500], [502], [503], [504]])(
			'scripted fault %i, with and without upgradeUrl',
			async (status) => {
				const job = simulator().addJob({
					processingMs: 0,
					faults: [{ status }, { status, upgradeUrl: 'https://convertly.sh/pricing' }],
				});
				const plain = await expectValidError(`/api/jobs/${job.jobId}`, status);
				expect(plain.upgradeUrl).toBeUndefined();
				const upgrade = await expectValidError(`/api/jobs/${job.jobId}`, status);
				expect(upgrade.upgradeUrl).toBe('https://convertly.sh/pricing');
				// The fault is spent: the next read is the job again.
				await expectValidJob(job.jobId);
			},
		);

		it('request-level faults (any path) and 429 with Retry-After, in seconds or as a date', async () => {
			simulator().addFault({ path: '/api/jobs', status: 503, times: 2 });
			simulator().addFault({ path: '/api/jobs', status: 429, retryAfter: 7 });
			simulator().addFault({ path: '/api/jobs', status: 429, retryAfterMs: 30_000 });
			await expectValidError(`/api/jobs/${UUID}`, 503);
			await expectValidError('/api/jobs?limit=1', 503);
			await expectValidError(`/api/jobs/${UUID}`, 429);
			await expectValidError(`/api/jobs/${UUID}`, 429);
		});

		it('the fixed-window rate limit answers 429 with an Error body', async () => {
			simulator().setRateLimit({ limit: 1, windowMs: 60_000 });
			const job = simulator().addJob({ processingMs: 0 });
			await expectValidJob(job.jobId);
			const body = await expectValidError(`/api/jobs/${job.jobId}`, 429);
			expect(body.error).toMatch(/Rate limit/);
		});

		it.each([['/api/jobs?limit=0'], ['/api/jobs?limit=101'], ['/api/jobs?offset=-1'], ['/api/jobs?status=queued']])(
			'400 for the invalid list query %s',
			async (path) => {
				await expectValidError(path, 400);
			},
		);
	});
});
