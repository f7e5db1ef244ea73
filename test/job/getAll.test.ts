import { sleep } from 'n8n-workflow';

import { run, start, useSimulator } from '../helpers';
import { listQueries, seedJobs } from './jobList';

function getAll(extra: Record<string, unknown> = {}) {
	return { resource: 'job', operation: 'getAll', ...extra };
}

describe('Job → Get Many', () => {
	const simulator = useSimulator();

	it('with a limit below a page: one request for exactly that many, newest first, one item per job', async () => {
		const ids = seedJobs(simulator(), 120);
		const result = await run(simulator(), getAll({ limit: 30 }));
		expect(result.status).toBe('success');
		expect(result.items.map((item) => item.json.jobId)).toEqual(ids.slice(0, 30));
		expect(result.items.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
		expect(listQueries(simulator())).toEqual([{ limit: '30', offset: '0' }]);
	});

	it('with the default limit (50) and exactly one page (100)', async () => {
		const ids = seedJobs(simulator(), 130);
		const fifty = await run(simulator(), getAll());
		expect(fifty.items).toHaveLength(50);
		expect(listQueries(simulator())).toEqual([{ limit: '50', offset: '0' }]);

		simulator().resetStats();
		const hundred = await run(simulator(), getAll({ limit: 100 }));
		expect(hundred.items.map((item) => item.json.jobId)).toEqual(ids.slice(0, 100));
		expect(listQueries(simulator())).toEqual([{ limit: '100', offset: '0' }]);
	});

	it('with a limit above a page: pages of 100 and then only what is still needed', async () => {
		const ids = seedJobs(simulator(), 260);
		const result = await run(simulator(), getAll({ limit: 150 }));
		expect(result.items.map((item) => item.json.jobId)).toEqual(ids.slice(0, 150));
		expect(listQueries(simulator())).toEqual([
			{ limit: '100', offset: '0' },
			{ limit: '50', offset: '100' },
		]);
	});

	it('Return All reads every page once, in order, without duplicates', async () => {
		const ids = seedJobs(simulator(), 250);
		const result = await run(simulator(), getAll({ returnAll: true }));
		expect(result.status).toBe('success');
		expect(result.items.map((item) => item.json.jobId)).toEqual(ids);
		expect(listQueries(simulator())).toEqual([
			{ limit: '100', offset: '0' },
			{ limit: '100', offset: '100' },
			{ limit: '100', offset: '200' },
		]);
	});

	it.each([
		['full', 2],
		['hasMore', 2],
		['total', 2],
		// Without pagination a full last page cannot be told from a middle one: one more request.
		['none', 3],
	] as const)('pagination shape "%s": 200 jobs take %i requests', async (shape, requests) => {
		simulator().configure({ listPagination: shape });
		const ids = seedJobs(simulator(), 200);
		const result = await run(simulator(), getAll({ returnAll: true }));
		expect(result.items.map((item) => item.json.jobId)).toEqual(ids);
		expect(listQueries(simulator())).toHaveLength(requests);
	});

	it('sends the status filter to Convertly and returns only those jobs', async () => {
		seedJobs(simulator(), 5);
		const failed = seedJobs(simulator(), 3, { outcome: 'failed', offsetMinutes: 10 });
		const result = await run(simulator(), getAll({ returnAll: true, filters: { status: 'failed' } }));
		expect(result.items.map((item) => item.json.jobId)).toEqual(failed);
		expect(result.items.every((item) => item.json.status === 'failed')).toBe(true);
		expect(listQueries(simulator())).toEqual([{ limit: '100', offset: '0', status: 'failed' }]);
	});

	it('an empty account gives no items and no error', async () => {
		const result = await run(simulator(), getAll({ returnAll: true }));
		expect(result.status).toBe('success');
		expect(result.items).toEqual([]);
		expect(listQueries(simulator())).toHaveLength(1);
	});

	it('keeps every field of a listed job, unknown ones included', async () => {
		const jobs = [{ jobId: 'j-1', status: 'completed', jobType: 'convert', label: 'nightly', tags: ['a', 'b'] }];
		simulator().addFault({ path: '/api/jobs', method: 'GET', status: 200, body: { jobs } });
		const result = await run(simulator(), getAll());
		expect(result.items.map((item) => item.json)).toEqual(jobs);
	});

	it('an answer without a jobs list is reported as a wrong Base URL', async () => {
		simulator().addFault({ path: '/api/jobs', method: 'GET', status: 200, body: { ok: true } });
		const result = await run(simulator(), getAll());
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/does not look like the Convertly API/);
	});

	it('a 429 in the middle of paging waits and goes on from the same page', async () => {
		const ids = seedJobs(simulator(), 230);
		// One page per window: the second page is refused (no Retry-After, so the node waits 1 s).
		simulator().setRateLimit({ limit: 1, windowMs: 600_000, retryAfter: false });
		const execution = start(simulator(), getAll({ returnAll: true }));
		while (!simulator().requests().some((request) => request.status === 429)) await sleep(20);
		simulator().setRateLimit(null);
		const result = await execution.done;
		expect(result.status).toBe('success');
		expect(result.items.map((item) => item.json.jobId)).toEqual(ids);
		expect(listQueries(simulator())).toEqual([
			{ limit: '100', offset: '0' },
			{ limit: '100', offset: '100', rateLimited: true },
			{ limit: '100', offset: '100' },
			{ limit: '100', offset: '200' },
		]);
		const hints = result.run.data.resultData.runData.Node[0].hints ?? [];
		expect(hints.map((hint) => hint.message).join('\n')).toMatch(/rate limit slowed this node down/);
	});

	it('Return All stops at its stated bound (10,000 jobs) with a hint, and asks for nothing past it', async () => {
		// 101 pages that all claim there is more (answered from scripted pages: fast).
		for (let page = 0; page < 101; page++) {
			const jobs = Array.from({ length: 100 }, (_, index) => ({ jobId: `p${page}-${index}`, status: 'completed' }));
			simulator().addFault({ path: '/api/jobs', method: 'GET', status: 200, body: { jobs, pagination: { hasMore: true } } });
		}
		const result = await run(simulator(), getAll({ returnAll: true }));
		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(10_000);
		expect(result.items.at(-1)?.json.jobId).toBe('p99-99');
		expect(listQueries(simulator())).toHaveLength(100);
		const hints = (result.run.data.resultData.runData.Node[0].hints ?? []).map((hint) => hint.message);
		expect(hints).toEqual([expect.stringMatching(/Return All stopped at 10,000 jobs; the account has more/)]);

		// Exactly 10,000 jobs: everything was read, so no hint.
		simulator().reset();
		for (let page = 0; page < 100; page++) {
			const jobs = Array.from({ length: 100 }, (_, index) => ({ jobId: `p${page}-${index}`, status: 'completed' }));
			simulator().addFault({ path: '/api/jobs', method: 'GET', status: 200, body: { jobs, pagination: { hasMore: page < 99 } } });
		}
		const exact = await run(simulator(), getAll({ returnAll: true }));
		expect(exact.items).toHaveLength(10_000);
		expect(exact.run.data.resultData.runData.Node[0].hints ?? []).toEqual([]);
	});

	it('runs once per input item, each item paired with its own jobs', async () => {
		seedJobs(simulator(), 3);
		const result = await run(simulator(), getAll({ limit: '={{ $json.n }}' }), { items: [{ n: 1 }, { n: 2 }] });
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 1 }]);
	});

	it('refuses a limit below 1 from an expression without a request', async () => {
		const result = await run(simulator(), getAll({ limit: '={{ 0 }}' }));
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/Limit must be a whole number of at least 1/);
		expect(simulator().requests()).toHaveLength(0);
	});
});
