import { createJobParameters, getJobParameters, run, serialise, useSimulator } from '../helpers';

describe('errors a user can meet', () => {
	const simulator = useSimulator();

	const failWith = async (fault: Parameters<ReturnType<typeof simulator>['addFault']>[0]) => {
		const job = simulator().addJob({ processingMs: 0, faults: [fault] });
		const result = await run(simulator(), getJobParameters(job.jobId));
		expect(result.status).toBe('error');
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.context.itemIndex).toBe(0);
		return { job, error: result.error as NonNullable<typeof result.error> & { httpCode?: string } };
	};

	it('401: says the key was rejected, with Convertly’s own text and what to check', async () => {
		const result = await run(simulator(), getJobParameters('any'), { credentials: { apiKey: 'cvly_wrong' } });
		const error = result.error as NonNullable<typeof result.error> & { httpCode?: string };
		expect(error.message).toBe('Convertly rejected the API key: Invalid API key.');
		expect(error.description).toContain('"Send Key As"');
		expect(error.httpCode).toBe('401');
		expect(simulator().requests()).toHaveLength(1);
	});

	it('402: quota, with the upgrade URL', async () => {
		const { error } = await failWith({ status: 402, upgradeUrl: 'https://convertly.sh/pricing' });
		expect(error.message).toBe('Convertly quota exceeded: Monthly quota exceeded. Enable overage or upgrade your plan.');
		expect(error.description).toContain('https://convertly.sh/pricing');
		expect(error.httpCode).toBe('402');
	});

	it('403: plan or permission, with the upgrade URL when present', async () => {
		const { error } = await failWith({ status: 403, body: { error: 'Storage limit reached.', upgradeUrl: 'https://convertly.sh/upgrade' } });
		expect(error.message).toBe('Convertly refused access: Storage limit reached.');
		expect(error.description).toContain('https://convertly.sh/upgrade');
		expect(error.httpCode).toBe('403');
	});

	it('404: names the missing job and is not retried', async () => {
		const result = await run(simulator(), getJobParameters('6f0c2a43-0000-4000-8000-000000000000'));
		const error = result.error as NonNullable<typeof result.error> & { httpCode?: string };
		expect(error.message).toBe('Job "6f0c2a43-0000-4000-8000-000000000000" was not found: Job not found.');
		expect(error.description).toContain('same account');
		expect(error.httpCode).toBe('404');
		expect(simulator().requests()).toHaveLength(1);
	});

	it('429: waits for Retry-After, then succeeds', async () => {
		const job = simulator().addJob({ processingMs: 0, faults: [{ status: 429, retryAfter: 1 }] });
		const result = await run(simulator(), getJobParameters(job.jobId));
		expect(result.status).toBe('success');
		const [first, second] = simulator().requestsFor(job.jobId);
		expect(first.status).toBe(429);
		expect(second.at - first.at).toBeGreaterThanOrEqual(950);
	});

	it('429: fails at once with a clear message when Retry-After is past the time limit', async () => {
		const { error } = await failWith({ status: 429, retryAfter: 600 });
		expect(error.message).toBe('Convertly rate limit reached: Rate limit exceeded. Retry after the current minute window resets.');
		expect(error.description).toContain('Convertly asked to wait 600 s');
		expect(error.description).toContain('Max Concurrency');
		expect(error.httpCode).toBe('429');
		expect(simulator().requests()).toHaveLength(1);
	});

	it('5xx: retries with backoff, then says Convertly is unavailable', async () => {
		const { job, error } = await failWith({ status: 503, times: 10 });
		expect(error.message).toBe('Convertly is unavailable (HTTP 503): Queue unavailable. Retry with backoff.');
		expect(error.description).toContain('tried 4 times');
		expect(simulator().requestsFor(job.jobId)).toHaveLength(4);
	});

	it('5xx then success: the user never sees the outage', async () => {
		const job = simulator().addJob({ processingMs: 0, faults: [{ status: 502, nonJson: true }, { status: 500 }] });
		const result = await run(simulator(), getJobParameters(job.jobId));
		expect(result.status).toBe('success');
		expect(result.items[0].json.status).toBe('completed');
		expect(simulator().requestsFor(job.jobId).map((request) => request.status)).toEqual([502, 500, 200]);
	});

	it('a dropped connection is retried', async () => {
		const job = simulator().addJob({ processingMs: 0, faults: [{ drop: true }] });
		const result = await run(simulator(), getJobParameters(job.jobId));
		expect(result.status).toBe('success');
		expect(simulator().requestsFor(job.jobId).map((request) => request.status)).toEqual(['dropped', 200]);
	});

	it('a server that keeps dropping the connection gives a connection error, not a crash', async () => {
		const { error } = await failWith({ drop: true, times: 10 });
		expect(error.message).toBe(`Could not reach Convertly at ${simulator().url}`);
		expect(error.description).toMatch(/^The connection failed \((ECONNRESET|socket hang up)\)\. The node tried 4 times\. Check the Base URL/);
	});

	it('nothing listening at the base URL gives a connection error naming the base URL to check', async () => {
		const result = await run(simulator(), getJobParameters('x'), { credentials: { baseUrl: 'http://127.0.0.1:9' } });
		expect(result.error?.message).toBe('Could not reach Convertly at http://127.0.0.1:9');
		expect(result.error?.description).toContain('(ECONNREFUSED)');
	});

	describe('a Base URL ending in /api (a common paste)', () => {
		it('Create says to drop /api and names no Job ID (Create has none)', async () => {
			const result = await run(simulator(), createJobParameters(), {
				credentials: { baseUrl: `${simulator().url}/api` },
				items: [{ json: {}, binary: { data: { text: 'x', fileName: 'x.png', mimeType: 'image/png' } } }],
			});
			expect(result.error?.message).toBe('Convertly has no such address: the Base URL ends in /api: No route for POST /api/api/jobs.');
			expect(result.error?.description).toBe(
				`The Base URL ends in /api: drop /api (use ${simulator().url}), because the node adds /api/… to it itself.`,
			);
			expect(`${result.error?.message} ${result.error?.description}`).not.toContain('Job ID');
		});

		it('Get says to drop /api too, instead of "Job … was not found"', async () => {
			const result = await run(simulator(), getJobParameters('a755a89a-3a63-4f3e-88ff-7fef50d42d7d'), {
				credentials: { baseUrl: `${simulator().url}/api/` },
			});
			expect(result.error?.message).toMatch(/^Convertly has no such address: the Base URL ends in \/api/);
			expect(result.error?.description).toContain('drop /api');
		});

		it('a 404 without a subject is resource-neutral, and another path is pointed out', async () => {
			const result = await run(simulator(), createJobParameters(), {
				credentials: { baseUrl: `${simulator().url}/v2` },
				items: [{ json: {}, binary: { data: { text: 'x', fileName: 'x.png', mimeType: 'image/png' } } }],
			});
			expect(result.error?.message).toBe('Convertly found nothing at this address (HTTP 404): No route for POST /v2/api/jobs.');
			expect(result.error?.description).toMatch(/^The Base URL has a path \(\/v2\)/);
			expect(result.error?.description).not.toContain('Job ID');
		});
	});

	it('a 200 that is not JSON (a proxy page) says the Base URL is wrong', async () => {
		const { error } = await failWith({ status: 200, nonJson: '<html>Sign in to the proxy</html>' });
		expect(error.message).toBe('The Base URL does not look like the Convertly API (HTTP 200, text/html)');
		expect(error.description).toContain('Set the Base URL in the Convertly API credential');
	});

	it('JSON that is not a job says the Base URL is wrong', async () => {
		const { error } = await failWith({ status: 200, body: ['not', 'a', 'job'] });
		expect(error.message).toBe('The Base URL does not look like the Convertly API (HTTP 200, application/json)');
	});

	// A web app with a catch-all page (n8n itself, for example) answers 404 with HTML: that is not a missing job.
	it.each([
		['HTML', { status: 404, nonJson: '<html>Page not found</html>' }, 'text/html'],
		['JSON without Convertly’s error field', { status: 404, body: { message: 'Not Found' } }, 'application/json'],
	])('a 404 with %s is reported as a wrong Base URL, never as a missing job', async (_kind, fault, type) => {
		const { error } = await failWith(fault);
		expect(error.message).toBe(`The Base URL does not look like the Convertly API (HTTP 404, ${type})`);
		expect(error.message).not.toContain('not found');
		expect(error.httpCode).toBe('404');
	});

	it('an unexpected 4xx still shows Convertly’s own text', async () => {
		const { error } = await failWith({ status: 418, body: { error: 'I am a teapot.' } });
		expect(error.message).toBe('Convertly rejected the request (HTTP 418): I am a teapot.');
	});

	describe('Continue On Fail', () => {
		it('turns each failing item into an error item and still outputs the others, in order and paired', async () => {
			const good = simulator().addJob({ processingMs: 0 });
			const quota = simulator().addJob({ processingMs: 0, faults: [{ status: 402 }] });
			const result = await run(simulator(), getJobParameters('={{ $json.id }}'), {
				continueOnFail: true,
				items: [{ id: good.jobId }, { id: 'missing-job' }, { id: '' }, { id: quota.jobId }, { id: good.jobId }],
			});
			expect(result.status).toBe('success');
			expect(result.items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
			const [first, missing, empty, overQuota, last] = result.items.map((item) => item.json);
			expect(first.status).toBe('completed');
			expect(missing).toEqual({
				error: 'Job "missing-job" was not found: Job not found.',
				details: { httpCode: '404', description: expect.stringContaining('same account') },
			});
			expect(empty.error).toBe('The Job ID is empty');
			expect(overQuota).toMatchObject({ details: { httpCode: '402' } });
			expect(String(overQuota.error)).toContain('quota exceeded');
			expect(last.jobId).toBe(good.jobId);
		});

		it('with "Continue (using error output)", failing items leave on the error output', async () => {
			const good = simulator().addJob({ processingMs: 0 });
			const result = await run(simulator(), getJobParameters('={{ $json.id }}'), {
				onError: 'continueErrorOutput',
				items: [{ id: 'missing-job' }, { id: good.jobId }],
			});
			expect(result.status).toBe('success');
			const [success, errors] = result.outputs;
			expect(success?.map((item) => [item.json.jobId, item.pairedItem])).toEqual([[good.jobId, { item: 1 }]]);
			expect(errors).toHaveLength(1);
			// n8n merges the input item in, so the error branch still knows which job failed.
			expect(errors?.[0].json).toMatchObject({ id: 'missing-job', details: { httpCode: '404' } });
			expect(String(errors?.[0].json.error)).toContain('"missing-job" was not found');
			expect(errors?.[0].pairedItem).toEqual({ item: 0 });
		});

		it('without it, the first failing item stops the node and names its item index', async () => {
			const good = simulator().addJob({ processingMs: 0 });
			const result = await run(simulator(), getJobParameters('={{ $json.id }}'), {
				items: [{ id: good.jobId }, { id: 'missing-job' }],
			});
			expect(result.status).toBe('error');
			expect(result.error?.message).toContain('"missing-job" was not found');
			expect(result.error?.context.itemIndex).toBe(1);
		});
	});

	it('never lets the API key reach items, errors or run data', async () => {
		const apiKey = simulator().apiKey;
		const good = simulator().addJob({ processingMs: 0 });
		// Dropped connections are where n8n's own error would carry the request and its headers.
		const flaky = simulator().addJob({ processingMs: 0, faults: [{ drop: true, times: 100 }] });
		const runs = (['bearer', 'xApiKey'] as const).flatMap((authHeader) => [
			run(simulator(), getJobParameters('={{ $json.id }}'), {
				items: [{ id: good.jobId }, { id: 'missing' }, { id: flaky.jobId }],
				continueOnFail: true,
				credentials: { authHeader },
			}),
			run(simulator(), getJobParameters('={{ $json.id }}'), {
				items: [{ id: flaky.jobId }],
				credentials: { authHeader },
			}),
		]);
		const results = await Promise.all(runs);
		expect(results.map((result) => result.status)).toEqual(['success', 'error', 'success', 'error']);
		for (const result of results) {
			const everything = serialise({ run: result.run, error: result.error, items: result.items });
			expect(everything).toContain(flaky.jobId);
			expect(everything).not.toContain(apiKey);
		}
		// Wrong keys are not echoed either.
		const wrong = await run(simulator(), getJobParameters(good.jobId), { credentials: { apiKey: 'cvly_wrong_secret_value' } });
		expect(wrong.status).toBe('error');
		expect(serialise(wrong)).not.toContain('cvly_wrong_secret_value');
	});
});
