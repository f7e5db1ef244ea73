import { sleep } from 'n8n-workflow';

import { getJobParameters, run, start, stopNow, useSimulator } from '../helpers';

const waitFor = (jobId: unknown, waitOptions: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
	getJobParameters(jobId, { waitForCompletion: true, waitOptions: { pollInterval: 1, ...waitOptions }, ...extra });

describe('Job → Get with Wait for Completion', () => {
	const simulator = useSimulator();

	it('follows pending → processing → completed and returns the completed job', async () => {
		const job = simulator().addJob({ totalFiles: 4, pendingMs: 400, processingMs: 1200, startsOnFirstRead: true });
		const result = await run(simulator(), waitFor(job.jobId, { includeWaitDetails: true }));
		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ status: 'completed', completedFiles: 4, progress: 100 });
		expect(result.items[0].json.completedAt).toEqual(expect.any(String));
		const seen = simulator().requestsFor(job.jobId).map((request) => request.jobStatus);
		expect(seen[0]).toBe('pending');
		expect(seen).toContain('processing');
		expect(seen[seen.length - 1]).toBe('completed');
		const details = result.items[0].json.waitDetails as { polls: number; waitedSeconds: number; timedOut: boolean };
		expect(details.polls).toBe(seen.length);
		expect(details.timedOut).toBe(false);
		expect(details.waitedSeconds).toBeGreaterThanOrEqual(1.6);
		expect(details.waitedSeconds).toBeLessThan(3.5);
	});

	it('makes a single request for a job that is already finished', async () => {
		const job = simulator().addJob({ processingMs: 0 });
		const result = await run(simulator(), waitFor(job.jobId));
		expect(result.items[0].json.status).toBe('completed');
		expect(simulator().requests()).toHaveLength(1);
		expect(result.items[0].json.waitDetails).toBeUndefined();
	});

	describe('cancelled jobs', () => {
		// A job cancelled while pending never finishes: the wait ends at once instead of at the timeout.
		const cancelledJob = async () => {
			const job = simulator().addJob({ pendingMs: 60_000 });
			const cancelled = await fetch(`${simulator().url}/api/jobs/${job.jobId}`, {
				method: 'DELETE',
				headers: { authorization: `Bearer ${simulator().apiKey}` },
			});
			expect(cancelled.status).toBe(200);
			return job;
		};

		it('fail the item at once by default, saying the job was cancelled', async () => {
			const job = await cancelledJob();
			const result = await run(simulator(), waitFor(job.jobId, { timeout: 30 }));
			expect(result.error?.message).toBe(`Convertly job "${job.jobId}" was cancelled`);
			expect(simulator().requestsFor(job.jobId).filter((request) => request.method === 'GET')).toHaveLength(1);
		});

		it('are output with On Failure = output', async () => {
			const job = await cancelledJob();
			const result = await run(simulator(), waitFor(job.jobId, { timeout: 30, onFailure: 'output' }));
			expect(result.items[0].json).toMatchObject({ jobId: job.jobId, status: 'cancelled' });
		});
	});

	describe('failed jobs', () => {
		it('fail the item by default, with the job’s error, its ID and the file counts', async () => {
			const job = simulator().addJob({ outcome: 'failed', totalFiles: 3, failedFiles: 2, processingMs: 300, errorMessage: 'Unsupported codec.' });
			const result = await run(simulator(), waitFor(job.jobId));
			expect(result.status).toBe('error');
			expect(result.error?.name).toBe('NodeOperationError');
			expect(result.error?.message).toBe(`Convertly job "${job.jobId}" failed: Unsupported codec.`);
			expect(result.error?.description).toContain('2 of 3 files failed');
			expect(result.error?.context.itemIndex).toBe(0);
		});

		it('are output like any other job with On Failure = output', async () => {
			const job = simulator().addJob({ outcome: 'failed', processingMs: 300 });
			const result = await run(simulator(), waitFor(job.jobId, { onFailure: 'output' }));
			expect(result.status).toBe('success');
			expect(result.items[0].json).toMatchObject({ jobId: job.jobId, status: 'failed', errorMessage: expect.any(String) });
		});
	});

	describe('timeout', () => {
		it('holds the deadline and names the job, its last status and progress', async () => {
			const job = simulator().addJob({ totalFiles: 10, processingMs: null });
			const startedAt = Date.now();
			const result = await run(simulator(), waitFor(job.jobId, { timeout: 2 }));
			const elapsed = Date.now() - startedAt;
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe(`Convertly job "${job.jobId}" did not finish within 2 s`);
			expect(result.error?.description).toContain('Last status: processing, progress 0%, 0 of 10 files done');
			expect(result.error?.description).toContain('webhooks');
			expect(elapsed).toBeGreaterThanOrEqual(2000);
			// Includes starting the engine, which is slow on a busy machine; the requests below are exact.
			expect(elapsed).toBeLessThan(4000);
			const requests = simulator().requestsFor(job.jobId);
			expect(requests.length).toBeLessThanOrEqual(Math.ceil(2 / 1) + 2);
			expect(requests[requests.length - 1].at - requests[0].at).toBeLessThanOrEqual(2100);
		});

		it('outputs the last job seen with On Timeout = output', async () => {
			const job = simulator().addJob({ processingMs: null });
			const result = await run(simulator(), waitFor(job.jobId, { timeout: 1, onTimeout: 'output', includeWaitDetails: true }));
			expect(result.status).toBe('success');
			expect(result.items[0].json).toMatchObject({ status: 'processing', waitDetails: { timedOut: true } });
		});
	});

	it('stops within a second of Stop and sends no request after it', async () => {
		const job = simulator().addJob({ processingMs: null });
		const running = start(simulator(), waitFor(job.jobId, { pollInterval: 5 }));
		// Stop in the middle of the first sleep, however long the engine took to start.
		for (let waited = 0; simulator().requestsFor(job.jobId).length === 0 && waited < 5000; waited += 50) await sleep(50);
		await sleep(500);
		const { result, stoppedAt, tookMs } = await stopNow(running);
		expect(tookMs).toBeLessThan(1000);
		expect(result.status).not.toBe('success');
		await sleep(300);
		const requests = simulator().requestsFor(job.jobId);
		expect(requests).toHaveLength(1);
		expect(requests.every((request) => request.at < stoppedAt)).toBe(true);
	});

	describe('transient conditions slow the wait down instead of failing it', () => {
		it.each([
			['seconds', { retryAfter: 1 }],
			['an HTTP date', { retryAfterMs: 2000 }],
		])('429 with Retry-After as %s', async (_form, retry) => {
			const job = simulator().addJob({ processingMs: 0, faults: [{ status: 429, ...retry }] });
			const result = await run(simulator(), waitFor(job.jobId));
			expect(result.status).toBe('success');
			const [limited, next] = simulator().requestsFor(job.jobId);
			expect(limited.status).toBe(429);
			// An HTTP date has one-second resolution, so allow for the rounding.
			expect(next.at - limited.at).toBeGreaterThanOrEqual(950);
		});

		it('a 429 on one job pauses every item’s requests (one shared limiter)', async () => {
			const jobs = [0, 1, 2, 3].map((index) =>
				simulator().addJob({ processingMs: 1500, faults: index === 0 ? [{ status: 429, retryAfter: 2, delayMs: 0 }] : [] }),
			);
			const result = await run(simulator(), waitFor('={{ $json.id }}'), { items: jobs.map((job) => ({ id: job.jobId })) });
			expect(result.status).toBe('success');
			const limited = simulator().requests().find((request) => request.status === 429);
			expect(limited).toBeDefined();
			// Every job's first check started together, before the 429 was known (a busy machine can
			// deliver them late); every later check waits for the shared pause.
			const firstChecks = new Set(jobs.map((job) => simulator().requestsFor(job.jobId)[0]));
			const during = simulator()
				.requests()
				.filter((request) => !firstChecks.has(request))
				.filter((request) => request.at > (limited?.at ?? 0) + 50 && request.at < (limited?.at ?? 0) + 1900);
			expect(during).toEqual([]);
		});

		it('503 twice, then success', async () => {
			const job = simulator().addJob({ processingMs: 0, faults: [{ status: 503, times: 2 }] });
			const result = await run(simulator(), waitFor(job.jobId));
			expect(result.status).toBe('success');
			expect(simulator().requestsFor(job.jobId).map((request) => request.status)).toEqual([503, 503, 200]);
		});

		it('a dropped connection', async () => {
			const job = simulator().addJob({ processingMs: 800, faults: [{ drop: true }] });
			const result = await run(simulator(), waitFor(job.jobId));
			expect(result.status).toBe('success');
			expect(simulator().requestsFor(job.jobId)[0].status).toBe('dropped');
		});

		it('a 404 right after creation (the job is not visible yet)', async () => {
			const job = simulator().addJob({ processingMs: 0, faults: [{ status: 404, body: { error: 'Job not found.' }, times: 2 }] });
			const result = await run(simulator(), waitFor(job.jobId));
			expect(result.status).toBe('success');
			expect(simulator().requestsFor(job.jobId).map((request) => request.status)).toEqual([404, 404, 200]);
		});

		it('but a 404 without a wait is final at once', async () => {
			const job = simulator().addJob({ processingMs: 0, faults: [{ status: 404, body: { error: 'Job not found.' } }] });
			const result = await run(simulator(), getJobParameters(job.jobId));
			expect(result.error?.message).toBe(`Job "${job.jobId}" was not found: Job not found.`);
			expect(simulator().requestsFor(job.jobId)).toHaveLength(1);
		});
	});

	it('treats an unknown status as not finished', async () => {
		const job = simulator().addJob({ pendingStatus: 'queued', pendingMs: 900, processingMs: 0, startsOnFirstRead: true });
		const result = await run(simulator(), waitFor(job.jobId));
		expect(result.items[0].json.status).toBe('completed');
		expect(simulator().requestsFor(job.jobId)[0].jobStatus).toBe('queued');
	});

	it('waits for 20 jobs together: about one job’s time, not twenty', async () => {
		const jobs = Array.from({ length: 20 }, () => simulator().addJob({ processingMs: 1500, startsOnFirstRead: true }));
		const result = await run(simulator(), waitFor('={{ $json.id }}'), { items: jobs.map((job) => ({ id: job.jobId })) });
		expect(result.items.map((item) => item.json.status)).toEqual(jobs.map(() => 'completed'));
		// Awaited together: every job was first checked before any job had finished, which an item
		// after item wait (twenty times 1.5 s) could never do. (Load-independent; wall time is the benchmark's.)
		const firstChecks = jobs.map((job) => simulator().requestsFor(job.jobId)[0]);
		const firstCompleted = Math.min(
			...simulator()
				.requests()
				.filter((request) => request.jobStatus === 'completed')
				.map((request) => request.at),
		);
		expect(firstChecks.every((request) => request.jobStatus === 'pending' || request.jobStatus === 'processing')).toBe(true);
		expect(Math.max(...firstChecks.map((request) => request.at))).toBeLessThan(firstCompleted);
		expect(simulator().requests().length).toBeLessThanOrEqual(20 * 4);
	});

	it('respects Max Concurrency across items, in both modes', async () => {
		simulator().setLatency(120);
		const jobs = Array.from({ length: 12 }, () => simulator().addJob({ processingMs: 1000 }));
		const items = jobs.map((job) => ({ id: job.jobId }));
		for (const wait of [false, true]) {
			simulator().resetStats();
			const parameters = getJobParameters('={{ $json.id }}', {
				waitForCompletion: wait,
				waitOptions: { pollInterval: 1 },
				options: { maxConcurrency: 3 },
			});
			const result = await run(simulator(), parameters, { items });
			expect(result.status).toBe('success');
			expect(simulator().peakInFlight()).toBe(3);
		}
	});

	it('keeps output in input order and paired when jobs finish in reverse order', async () => {
		const jobs = [2000, 1200, 300].map((processingMs) => simulator().addJob({ processingMs }));
		const result = await run(simulator(), waitFor('={{ $json.id }}', {}, { options: { output: 'results' } }), {
			items: jobs.map((job) => ({ id: job.jobId })),
		});
		expect(result.items.map((item) => [item.json.jobId, item.pairedItem])).toEqual(
			jobs.map((job, item) => [job.jobId, { item }]),
		);
	});

	it('with Continue On Fail, a failed or timed-out job does not stop the others', async () => {
		const good = simulator().addJob({ processingMs: 500 });
		const failed = simulator().addJob({ outcome: 'failed', processingMs: 200 });
		const stuck = simulator().addJob({ processingMs: null });
		const result = await run(simulator(), waitFor('={{ $json.id }}', { timeout: 2 }), {
			items: [{ id: failed.jobId }, { id: stuck.jobId }, { id: good.jobId }],
			continueOnFail: true,
		});
		expect(result.status).toBe('success');
		const [first, second, third] = result.items;
		expect(first.json.error).toContain('failed');
		expect(second.json.error).toContain('did not finish within 2 s');
		expect(third.json.status).toBe('completed');
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it.each([
		[{ pollInterval: 0.2 }, 'Poll Interval must be at least 1 second'],
		[{ timeout: 7200 }, 'Timeout must be between 1 and 3600 seconds'],
	])('refuses out-of-range settings set by expression: %j', async (waitOptions, message) => {
		const result = await run(simulator(), waitFor('x', waitOptions));
		expect(result.error?.message).toBe(message);
		expect(simulator().requests()).toHaveLength(0);
	});
});
