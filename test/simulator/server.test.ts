import { sleep } from 'n8n-workflow';
import { request } from 'undici';

import { useSimulator } from '../helpers';

describe('Convertly simulator', () => {
	const simulator = useSimulator();

	const get = async (path: string, headers: Record<string, string> = { 'x-api-key': simulator().apiKey }) => {
		const response = await request(`${simulator().url}${path}`, { headers });
		return { status: response.statusCode, headers: response.headers, body: (await response.body.json()) as Record<string, unknown> };
	};

	it('lists jobs with limit, offset, status and pagination', async () => {
		const done = [1, 2, 3].map(() => simulator().addJob({ processingMs: 0 }));
		simulator().addJob({ pendingMs: 60_000 });
		const page = await get('/api/jobs?limit=2&offset=1&status=completed');
		expect(page.status).toBe(200);
		expect(page.body.pagination).toEqual({ limit: 2, offset: 1, total: 3, hasMore: false });
		const jobs = page.body.jobs as Array<{ jobId: string; status: string }>;
		expect(jobs).toHaveLength(2);
		expect(jobs.every((job) => job.status === 'completed' && done.some((d) => d.jobId === job.jobId))).toBe(true);
	});

	it.each([['/api/jobs?limit=0'], ['/api/jobs?limit=101'], ['/api/jobs?offset=-1'], ['/api/jobs?status=cancelled']])(
		'answers 400 with an error text for %s',
		async (path) => {
			const response = await get(path);
			expect(response.status).toBe(400);
			expect(typeof response.body.error).toBe('string');
		},
	);

	it('answers 401 without a key or with an unknown one, on either header', async () => {
		expect((await get('/api/jobs', {})).body).toEqual({ error: 'Missing API key.' });
		expect((await get('/api/jobs', { authorization: 'Bearer nope' })).status).toBe(401);
		expect((await get('/api/jobs', { 'x-api-key': 'nope' })).status).toBe(401);
	});

	it('keeps counters consistent while a job runs, and ends with results and completedAt', async () => {
		const job = simulator().addJob({ totalFiles: 10, failedFiles: 3, processingMs: 1000, startsOnFirstRead: true });
		let last = -1;
		for (let step = 0; step < 12; step++) {
			const { body } = await get(`/api/jobs/${job.jobId}`);
			const { completedFiles, failedFiles, totalFiles, progress } = body as Record<string, number>;
			expect(completedFiles + failedFiles).toBeLessThanOrEqual(totalFiles);
			expect(progress).toBeGreaterThanOrEqual(last);
			last = progress;
			if (body.status === 'completed') {
				expect(body).toMatchObject({ completedFiles: 7, failedFiles: 3, progress: 100 });
				expect(body.results).toHaveLength(7);
				expect(typeof body.completedAt).toBe('string');
				return;
			}
			expect(body.results).toBeNull();
			await sleep(100);
		}
		throw new Error('the job never completed');
	});

	it('enforces an optional fixed-window rate limit with Retry-After and quota headers', async () => {
		simulator().setRateLimit({ limit: 2, windowMs: 60_000 });
		const job = simulator().addJob({ processingMs: 0 });
		expect((await get(`/api/jobs/${job.jobId}`)).status).toBe(200);
		expect((await get(`/api/jobs/${job.jobId}`)).headers['x-ratelimit-remaining-minute']).toBe('0');
		const limited = await get(`/api/jobs/${job.jobId}`);
		expect(limited.status).toBe(429);
		expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
		expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
	});
});
