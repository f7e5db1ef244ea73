import { DEMO_FIXTURE, jobTimeline, startSimulator } from '../../simulator';
import type { SimulatorJob } from '../../simulator';
import { useSimulator } from '../helpers';

describe('Simulator: cancel, list pagination, fixture, timeline', () => {
	const simulator = useSimulator();
	const headers = () => ({ 'x-api-key': simulator().apiKey });

	async function call(method: string, path: string) {
		const response = await fetch(`${simulator().url}${path}`, { method, headers: headers() });
		const text = await response.text();
		return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
	}

	describe('DELETE /api/jobs/{id}', () => {
		it('cancels a pending job, which then stays cancelled and cannot be cancelled again', async () => {
			const job = simulator().addJob({ pendingMs: 60_000 });
			const cancelled = await call('DELETE', `/api/jobs/${job.jobId}`);
			expect(cancelled.status).toBe(200);
			expect(cancelled.body).toMatchObject({ jobId: job.jobId, status: 'cancelled', results: null });
			simulator().advanceTime(120_000);
			expect((await call('GET', `/api/jobs/${job.jobId}`)).body).toMatchObject({ status: 'cancelled', progress: 0 });
			expect(await call('DELETE', `/api/jobs/${job.jobId}`)).toEqual({
				status: 409,
				body: { error: 'Only pending jobs can be cancelled; this job is cancelled.' },
			});
			const listed = (await call('GET', '/api/jobs')).body?.jobs as SimulatorJob[];
			expect(listed.find((entry) => entry.jobId === job.jobId)?.status).toBe('cancelled');
		});

		it.each([
			['processing', { pendingMs: 0, processingMs: null }],
			['completed', { processingMs: 0 }],
			['failed', { processingMs: 0, outcome: 'failed' as const }],
		])('answers 409 naming the status for a %s job', async (status, spec) => {
			const job = simulator().addJob(spec);
			expect(await call('DELETE', `/api/jobs/${job.jobId}`)).toEqual({
				status: 409,
				body: { error: `Only pending jobs can be cancelled; this job is ${status}.` },
			});
			expect(simulator().getJob(job.jobId)?.status).toBe(status);
		});

		it('answers 404 for an unknown job and 401 without a key', async () => {
			expect(await call('DELETE', '/api/jobs/00000000-0000-4000-8000-000000000000')).toEqual({
				status: 404,
				body: { error: 'Job not found.' },
			});
			const response = await fetch(`${simulator().url}/api/jobs/x`, { method: 'DELETE' });
			expect(response.status).toBe(401);
		});

		it('answers with an acknowledgement or 204 when configured', async () => {
			simulator().configure({ cancelResponse: 'ack' });
			const first = simulator().addJob({ pendingMs: 60_000 });
			expect(await call('DELETE', `/api/jobs/${first.jobId}`)).toEqual({
				status: 200,
				body: { success: true, message: 'Job cancelled.' },
			});
			simulator().configure({ cancelResponse: 'empty' });
			const second = simulator().addJob({ pendingMs: 60_000 });
			expect(await call('DELETE', `/api/jobs/${second.jobId}`)).toEqual({ status: 204, body: undefined });
			expect(simulator().getJob(second.jobId)?.status).toBe('cancelled');
		});

		it('treats a job reporting a custom pending status as pending; job faults can target DELETE', async () => {
			const queued = simulator().addJob({ pendingMs: 60_000, pendingStatus: 'queued' });
			expect((await call('DELETE', `/api/jobs/${queued.jobId}`)).status).toBe(200);
			const faulty = simulator().addJob({ pendingMs: 60_000, faults: [{ method: 'DELETE', status: 503 }] });
			expect((await call('GET', `/api/jobs/${faulty.jobId}`)).status).toBe(200);
			expect((await call('DELETE', `/api/jobs/${faulty.jobId}`)).status).toBe(503);
			expect((await call('DELETE', `/api/jobs/${faulty.jobId}`)).status).toBe(200);
		});

		it('announces a cancellation', async () => {
			const seen: string[] = [];
			const listener = (view: SimulatorJob) => seen.push(`${view.jobId}:${view.status}`);
			simulator().events.on('job-cancelled', listener);
			try {
				const job = simulator().addJob({ pendingMs: 60_000 });
				await call('DELETE', `/api/jobs/${job.jobId}`);
				expect(seen).toEqual([`${job.jobId}:cancelled`]);
			} finally {
				simulator().events.off('job-cancelled', listener);
			}
		});
	});

	describe('GET /api/jobs pagination shapes', () => {
		beforeEach(() => {
			for (let i = 0; i < 5; i++) simulator().addJob({ processingMs: 0, ageMs: i * 1000 });
		});

		it.each([
			['full', { limit: 2, offset: 2, total: 5, hasMore: true }],
			['total', { limit: 2, offset: 2, total: 5 }],
			['hasMore', { limit: 2, offset: 2, hasMore: true }],
		] as const)('%s', async (listPagination, expected) => {
			simulator().configure({ listPagination });
			const { body } = await call('GET', '/api/jobs?limit=2&offset=2');
			expect(body?.pagination).toEqual(expected);
			expect(body?.jobs).toHaveLength(2);
		});

		it('none: no pagination key at all', async () => {
			simulator().configure({ listPagination: 'none' });
			const { body } = await call('GET', '/api/jobs?limit=2&offset=4');
			expect(Object.keys(body ?? {})).toEqual(['jobs']);
			expect(body?.jobs).toHaveLength(1);
		});

		it('lists newest first, pages without overlap, and reset restores the default shape', async () => {
			const first = (await call('GET', '/api/jobs?limit=3')).body?.jobs as SimulatorJob[];
			const second = (await call('GET', '/api/jobs?limit=3&offset=3')).body?.jobs as SimulatorJob[];
			const dates = [...first, ...second].map((job) => job.createdAt);
			expect(dates).toEqual([...dates].sort().reverse());
			expect(new Set([...first, ...second].map((job) => job.jobId)).size).toBe(5);
			simulator().configure({ listPagination: 'none' });
			simulator().reset();
			expect((await call('GET', '/api/jobs')).body?.pagination).toEqual({ limit: 20, offset: 0, total: 0, hasMore: false });
		});
	});

	it('the demo fixture keeps the demo job ids and has every type and status over several days', async () => {
		const demo = await startSimulator({ fixture: DEMO_FIXTURE });
		try {
			const response = await fetch(`${demo.url}/api/jobs?limit=100`, { headers: { 'x-api-key': demo.apiKey } });
			const { jobs } = (await response.json()) as { jobs: SimulatorJob[] };
			expect(jobs.length).toBeGreaterThanOrEqual(30);
			const ids = jobs.map((job) => job.jobId);
			expect(ids).toEqual(
				expect.arrayContaining([
					'a755a89a-3a63-4f3e-88ff-7fef50d42d7d',
					'5b0f4c1e-2d7a-4a57-9c1b-3f8e6d2a9b10',
					'c2d9e8f7-6a5b-4c3d-8e1f-0a9b8c7d6e5f',
					'e4f5a6b7-c8d9-4e0f-a1b2-c3d4e5f6a7b8',
					'9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
				]),
			);
			expect(new Set(ids).size).toBe(ids.length);
			for (const jobType of ['convert', 'compress', 'media_tool', 'transfer']) {
				for (const status of ['completed', 'failed']) {
					expect(jobs.some((job) => job.jobType === jobType && job.status === status)).toBe(true);
				}
			}
			for (const status of ['pending', 'processing']) expect(jobs.some((job) => job.status === status)).toBe(true);
			const days = new Set(jobs.map((job) => job.createdAt.slice(0, 10)));
			expect(days.size).toBeGreaterThanOrEqual(4);
			expect(demo.getJob('a755a89a-3a63-4f3e-88ff-7fef50d42d7d')).toMatchObject({ status: 'completed', totalFiles: 3 });
		} finally {
			await demo.close();
		}
	});

	it('createdJobTiming.processingMsCycle gives created jobs varied lengths, in order', async () => {
		simulator().configure({ createdJobTiming: { pendingMs: 100, processingMsCycle: [1000, 5000, 3000] } });
		const lengths: number[] = [];
		for (let i = 0; i < 4; i++) {
			const body = new FormData();
			for (const [name, value] of Object.entries({ format: 'png', resize: 'original', saveToStorage: 'true' })) body.append(name, value);
			body.append('files', new Blob([Buffer.from('x')]), 'x.png');
			const response = await fetch(`${simulator().url}/api/jobs`, { method: 'POST', body, headers: headers() });
			const { jobId } = (await response.json()) as { jobId: string };
			const [pending, processing, done] = simulator().timeline(jobId)?.transitions ?? [];
			expect(processing.at - pending.at).toBe(100);
			lengths.push(done.at - processing.at);
		}
		expect(lengths).toEqual([1000, 5000, 3000, 1000]);
	});

	describe('jobTimeline', () => {
		it('gives the transition and per-file progress times that the job view then shows', async () => {
			const job = simulator().addJob({ totalFiles: 4, failedFiles: 2, pendingMs: 10_000, processingMs: 40_000 });
			const timeline = simulator().timeline(job.jobId);
			const created = Date.parse(job.createdAt);
			expect(timeline?.transitions).toEqual([
				{ status: 'pending', at: created },
				{ status: 'processing', at: created + 10_000 },
				{ status: 'completed', at: created + 50_000 },
			]);
			expect(timeline?.progress.map((step) => step.at - created)).toEqual([20_000, 30_000, 40_000]);

			// Ten simulated (and real) seconds from the second step to the third: room for a slow machine.
			simulator().advanceTime(created + 30_000 - simulator().now());
			const step = timeline?.progress[1];
			expect(simulator().getJob(job.jobId)).toMatchObject({
				status: 'processing',
				completedFiles: step?.completedFiles,
				failedFiles: step?.failedFiles,
				progress: step?.progress,
			});
		});

		it('ends with cancelled for a cancelled job and has no end for a job that never finishes', async () => {
			const endless = simulator().addJob({ processingMs: null });
			expect(simulator().timeline(endless.jobId)?.transitions.map((step) => step.status)).toEqual(['pending', 'processing']);
			const pending = simulator().addJob({ pendingMs: 60_000 });
			await call('DELETE', `/api/jobs/${pending.jobId}`);
			expect(simulator().timeline(pending.jobId)?.transitions.map((step) => step.status)).toEqual(['pending', 'cancelled']);
			expect(jobTimeline(simulator().jobRecord(pending.jobId)).transitions).toHaveLength(2);
		});
	});
});
