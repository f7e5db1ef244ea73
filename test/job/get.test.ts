import { getJobParameters, run, useSimulator } from '../helpers';

describe('Job → Get', () => {
	const simulator = useSimulator();

	it('returns the job exactly as Convertly sends it, unknown fields included', async () => {
		const job = simulator().addJob({
			jobType: 'compress',
			totalFiles: 2,
			processingMs: 0,
			extra: { updatedAt: '2026-11-28T10:00:00.000Z', settings: { quality: 80 } },
		});
		const result = await run(simulator(), getJobParameters(job.jobId));
		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(1);
		const output = result.items[0].json;
		expect(output.jobId).toBe(job.jobId);
		expect(output.status).toBe('completed');
		expect(output.updatedAt).toBe('2026-11-28T10:00:00.000Z');
		expect(output.settings).toEqual({ quality: 80 });
		expect(Array.isArray(output.results)).toBe(true);
		expect(output.results).toHaveLength(2);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('returns an unfinished job as it is when not waiting, with one request', async () => {
		const job = simulator().addJob({ pendingMs: 60_000 });
		const result = await run(simulator(), getJobParameters(job.jobId));
		expect(result.items[0].json).toMatchObject({ status: 'pending', results: null, completedAt: null });
		expect(simulator().requests()).toHaveLength(1);
	});

	it('resolves the Job ID per item from an expression and keeps input order and pairing', async () => {
		const jobs = [1, 2, 3].map((totalFiles) => simulator().addJob({ totalFiles, processingMs: 0 }));
		const items = jobs.map((job) => ({ id: job.jobId, untouched: true }));
		const result = await run(simulator(), getJobParameters('={{ $json.id }}'), { items });
		expect(result.items.map((item) => item.json.jobId)).toEqual(jobs.map((job) => job.jobId));
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// Input items are not mutated: the Input node's own output still lacks job fields.
		const inputItems = result.run.data.resultData.runData.Input[0].data?.main[0] ?? [];
		expect(inputItems.map((item) => item.json)).toEqual(items);
	});

	describe('job IDs', () => {
		it('trims whitespace around the ID', async () => {
			const job = simulator().addJob({ processingMs: 0 });
			const result = await run(simulator(), getJobParameters(`  ${job.jobId}\n`));
			expect(result.status).toBe('success');
			expect(simulator().requests()[0].path).toBe(`/api/jobs/${job.jobId}`);
		});

		it('turns a number into text and accepts non-UUID IDs', async () => {
			const job = simulator().addJob({ jobId: '12345', processingMs: 0 });
			const result = await run(simulator(), getJobParameters('={{ 12340 + 5 }}'));
			expect(result.status).toBe('success');
			expect(result.items[0].json.jobId).toBe(job.jobId);
		});

		it.each([
			['../files', '/api/jobs/..%2Ffiles'],
			['a/b?x#y', '/api/jobs/a%2Fb%3Fx%23y'],
			['%2e%2e', '/api/jobs/%252e%252e'],
			['job 1&limit=100', '/api/jobs/job%201%26limit%3D100'],
		])('sends %j as one path segment of the jobs endpoint', async (jobId, expectedPath) => {
			const result = await run(simulator(), getJobParameters(jobId));
			expect(result.status).toBe('error');
			expect(result.error?.message).toContain(`Job "${jobId}" was not found`);
			expect(simulator().requests().map((request) => request.path)).toEqual([expectedPath]);
			expect(simulator().requests()[0].jobId).toBe(jobId);
		});

		// n8n itself refuses a literally empty required field; an expression can still produce one.
		it.each([['={{ $json.missing }}'], ['={{ "" }}'], ['   '], ['..'], ['.']])('refuses %j without sending a request', async (jobId) => {
			const result = await run(simulator(), getJobParameters(jobId));
			expect(result.status).toBe('error');
			expect(result.error?.name).toBe('NodeOperationError');
			expect(result.error?.message).toMatch(/Job ID is empty|not a valid Job ID/);
			expect(result.error?.context.itemIndex).toBe(0);
			expect(simulator().requests()).toHaveLength(0);
		});

		it('refuses an object mapped by mistake, naming the fix', async () => {
			const result = await run(simulator(), getJobParameters('={{ $json }}'), { items: [{ jobId: 'x' }] });
			expect(result.error?.message).toBe('The Job ID must be text or a number, not a value of type object');
			expect(simulator().requests()).toHaveLength(0);
		});
	});

	describe('Output: Results', () => {
		const results = (jobSpec: Parameters<ReturnType<typeof simulator>['addJob']>[0]) => async () => {
			const job = simulator().addJob({ processingMs: 0, ...jobSpec });
			const result = await run(simulator(), getJobParameters(job.jobId, { options: { output: 'results' } }), {
				items: [{ first: true }],
			});
			expect(result.status).toBe('success');
			return { job, items: result.items };
		};

		it('splits an array into one item per entry, each with the jobId and paired to its input', async () => {
			const { job, items } = await results({ jobType: 'convert', totalFiles: 3 })();
			expect(items).toHaveLength(3);
			expect(items.map((item) => item.json.filename)).toEqual(['file-1.webp', 'file-2.webp', 'file-3.webp']);
			for (const item of items) {
				expect(item.json.jobId).toBe(job.jobId);
				expect(item.pairedItem).toEqual({ item: 0 });
			}
		});

		it('gives one item for an object', async () => {
			const { job, items } = await results({ jobType: 'media_tool', tool: 'inspect', results: { media: { width: 640 } } })();
			expect(items.map((item) => item.json)).toEqual([{ media: { width: 640 }, jobId: job.jobId }]);
		});

		it('gives no item while results is null', async () => {
			const { items } = await results({ pendingMs: 60_000 })();
			expect(items).toEqual([]);
		});

		it('wraps entries that are not objects as { value }', async () => {
			const { job, items } = await results({ results: ['a.webp', 7] })();
			expect(items.map((item) => item.json)).toEqual([
				{ value: 'a.webp', jobId: job.jobId },
				{ value: 7, jobId: job.jobId },
			]);
		});

		it('pairs split items to the right input item when there are several', async () => {
			const a = simulator().addJob({ totalFiles: 2, processingMs: 0 });
			const b = simulator().addJob({ totalFiles: 1, processingMs: 0 });
			const result = await run(simulator(), getJobParameters('={{ $json.id }}', { options: { output: 'results' } }), {
				items: [{ id: a.jobId }, { id: b.jobId }],
			});
			expect(result.items.map((item) => [item.json.jobId, item.pairedItem])).toEqual([
				[a.jobId, { item: 0 }],
				[a.jobId, { item: 0 }],
				[b.jobId, { item: 1 }],
			]);
		});
	});
});
