import { run, useSimulator } from '../helpers';

function cancel(jobId: unknown, options: Record<string, unknown> = {}) {
	return { resource: 'job', operation: 'cancel', jobId, options };
}

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

describe('Job → Cancel', () => {
	const simulator = useSimulator();

	it('cancels a pending job with one DELETE and outputs the job Convertly returns', async () => {
		const job = simulator().addJob({ pendingMs: 600_000 });
		const result = await run(simulator(), cancel(byId(job.jobId)));
		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ jobId: job.jobId, cancelled: true });
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(simulator().requests().map((request) => `${request.method} ${request.path}`)).toEqual([
			`DELETE /api/jobs/${job.jobId}`,
		]);
		expect(simulator().timeline(job.jobId)?.transitions.at(-1)?.status).toBe('cancelled');
	});

	it.each([
		['ack', { success: true, message: 'Job cancelled.' }],
		['empty', {}],
	] as const)('when Convertly answers "%s" instead of a job, outputs { jobId, cancelled: true } with what it said', async (cancelResponse, said) => {
		simulator().configure({ cancelResponse });
		const job = simulator().addJob({ pendingMs: 600_000 });
		const result = await run(simulator(), cancel(byId(job.jobId)));
		expect(result.items[0].json).toEqual({ jobId: job.jobId, cancelled: true, ...said });
	});

	describe('a job that is no longer pending (409)', () => {
		it('stops with the job’s current status by default', async () => {
			const job = simulator().addJob({ pendingMs: 0, processingMs: null, totalFiles: 4 });
			const result = await run(simulator(), cancel(byId(job.jobId)));
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe(`Job "${job.jobId}" cannot be cancelled: it is processing`);
			expect(result.error?.description).toMatch(/Only pending jobs can be cancelled; this one is processing \(0 of 4 files done\)/);
			expect((result.error as unknown as { httpCode: string }).httpCode).toBe('409');
			// The DELETE, then one read of the job for its status.
			expect(simulator().requests().map((request) => request.method)).toEqual(['DELETE', 'GET']);
		});

		it('outputs the job with cancelled: false when asked to', async () => {
			const job = simulator().addJob({ processingMs: 0 });
			const result = await run(simulator(), cancel(byId(job.jobId), { onNotCancellable: 'output' }));
			expect(result.status).toBe('success');
			expect(result.items[0].json).toMatchObject({ jobId: job.jobId, status: 'completed', cancelled: false });
			expect(Array.isArray(result.items[0].json.results)).toBe(true);
		});

		it('goes to the error output with its status code under On Error: continue (using error output)', async () => {
			const job = simulator().addJob({ processingMs: 0, outcome: 'failed' });
			const result = await run(simulator(), cancel(byId(job.jobId)), { onError: 'continueErrorOutput' });
			const [success, errors] = result.outputs;
			expect(success).toEqual([]);
			expect(errors?.[0].json.error).toBe(`Job "${job.jobId}" cannot be cancelled: it is failed`);
			expect(errors?.[0].json.details).toMatchObject({ httpCode: '409' });
		});
	});

	it('a missing job fails as for Get, naming the job', async () => {
		const result = await run(simulator(), cancel(byId('0b7c3a52-0000-4000-8000-000000000000')));
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/Job "0b7c3a52-0000-4000-8000-000000000000" was not found/);
		expect(simulator().requests().map((request) => request.method)).toEqual(['DELETE']);
	});

	it('a 503 is retried (cancelling is safe to repeat)', async () => {
		const job = simulator().addJob({ pendingMs: 600_000 });
		simulator().addFault({ path: `/api/jobs/${job.jobId}`, method: 'DELETE', status: 503 });
		const result = await run(simulator(), cancel(byId(job.jobId)));
		expect(result.status).toBe('success');
		expect(result.items[0].json).toMatchObject({ jobId: job.jobId, cancelled: true });
		expect(simulator().requests().map((request) => request.method)).toEqual(['DELETE', 'DELETE']);
	});

	it('a job cancelled before (e.g. by a repeat after a lost answer) counts as cancelled, not as an error', async () => {
		const job = simulator().addJob({ pendingMs: 600_000 });
		expect((await run(simulator(), cancel(byId(job.jobId)))).status).toBe('success');
		simulator().resetStats();
		const again = await run(simulator(), cancel(byId(job.jobId)));
		expect(again.status).toBe('success');
		expect(again.items[0].json).toMatchObject({ jobId: job.jobId, status: 'cancelled', cancelled: true });
		expect(simulator().requests().map((request) => request.status)).toEqual([409, 200]);
	});

	it('cancels each item’s job, IDs from an expression', async () => {
		const jobs = [1, 2].map(() => simulator().addJob({ pendingMs: 600_000 }));
		const result = await run(simulator(), cancel(byId('={{ $json.id }}')), { items: jobs.map((job) => ({ id: job.jobId })) });
		expect(result.items.map((item) => [item.json.jobId, item.json.cancelled, item.pairedItem])).toEqual([
			[jobs[0].jobId, true, { item: 0 }],
			[jobs[1].jobId, true, { item: 1 }],
		]);
	});
});
