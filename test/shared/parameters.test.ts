import { getJobParameters, run, useSimulator } from '../helpers';

// Parameters without an expression are read once per execution; these tests pin down that a
// parameter WITH an expression is still read for every item.
describe('Job → Get reads parameters per item when they hold expressions', () => {
	const simulator = useSimulator();

	it('Output and Wait for Completion may differ per item', async () => {
		const finished = simulator().addJob({ totalFiles: 2, processingMs: 0 });
		const pending = simulator().addJob({ pendingMs: 60_000 });
		const soon = simulator().addJob({ pendingMs: 0, processingMs: 300, startsOnFirstRead: true });
		const result = await run(
			simulator(),
			getJobParameters('={{ $json.id }}', {
				waitForCompletion: '={{ $json.wait }}',
				waitOptions: { pollInterval: 1, timeout: '={{ $json.timeout }}' },
				options: { output: '={{ $json.output }}' },
			}),
			{
				items: [
					{ id: finished.jobId, wait: false, output: 'results', timeout: 10 },
					{ id: pending.jobId, wait: false, output: 'job', timeout: 10 },
					{ id: soon.jobId, wait: true, output: 'job', timeout: 10 },
				],
			},
		);
		expect(result.status).toBe('success');
		// Item 0: two result entries; item 1: the pending job as it is; item 2: waited for.
		expect(result.items.map((item) => [item.pairedItem, item.json.status ?? 'result'])).toEqual([
			[{ item: 0 }, 'result'],
			[{ item: 0 }, 'result'],
			[{ item: 1 }, 'pending'],
			[{ item: 2 }, 'completed'],
		]);
		expect(simulator().requestsFor(pending.jobId)).toHaveLength(1);
		expect(simulator().requestsFor(soon.jobId).length).toBeGreaterThan(1);
	});

	it('a fixed parameter applies to every item', async () => {
		const jobs = [1, 2, 3].map((totalFiles) => simulator().addJob({ totalFiles, processingMs: 0 }));
		const result = await run(simulator(), getJobParameters('={{ $json.id }}', { options: { output: 'results' } }), {
			items: jobs.map((job) => ({ id: job.jobId })),
		});
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 1 },
			{ item: 2 },
			{ item: 2 },
			{ item: 2 },
		]);
	});
});
