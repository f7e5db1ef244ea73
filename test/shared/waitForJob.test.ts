import type { ConvertlyJob } from '../../nodes/Convertly/jobs/job';
import { POLL_JITTER, waitForJob } from '../../nodes/Convertly/jobs/waitForJob';

/** A fake clock: sleeping advances it; each fetch takes `requestMs`. */
function scenario(statuses: string[], { requestMs = 50, random = (): number => 0.5 } = {}) {
	let now = 1_000_000;
	const sleeps: number[] = [];
	const fetches: Array<{ at: number; deadline: number }> = [];
	let index = 0;
	return {
		sleeps,
		fetches,
		clock: () => now,
		random,
		fetchJob: async (deadline: number): Promise<ConvertlyJob> => {
			fetches.push({ at: now, deadline });
			now += requestMs;
			const status = statuses[Math.min(index++, statuses.length - 1)];
			return { jobId: 'job-1', status };
		},
		sleep: async (ms: number) => {
			sleeps.push(ms);
			now += ms;
		},
	};
}

describe('waitForJob (no n8n)', () => {
	it('checks at once, sleeps only between unfinished checks, and stops at the first terminal status', async () => {
		const s = scenario(['pending', 'processing', 'completed', 'should-not-be-read']);
		const outcome = await waitForJob({ pollIntervalMs: 2000, timeoutMs: 60_000, fetchJob: s.fetchJob, sleep: s.sleep, now: s.clock, random: s.random });
		expect(outcome.job.status).toBe('completed');
		expect(outcome.polls).toBe(3);
		expect(outcome.timedOut).toBe(false);
		expect(s.fetches[0].at).toBe(1_000_000);
		expect(s.sleeps).toEqual([2000 * (1 + POLL_JITTER * 0.5), 2000 * (1 + POLL_JITTER * 0.5)]);
		expect(outcome.waitedMs).toBe(3 * 50 + 2 * 2100);
	});

	it('returns a failed job (the caller decides what failure means)', async () => {
		const s = scenario(['processing', 'failed']);
		const outcome = await waitForJob({ pollIntervalMs: 1000, timeoutMs: 10_000, fetchJob: s.fetchJob, sleep: s.sleep, now: s.clock });
		expect(outcome).toMatchObject({ polls: 2, timedOut: false, job: { status: 'failed' } });
	});

	it('keeps jitter within +0 … +10 % of the interval', async () => {
		for (const random of [() => 0, () => 0.999]) {
			const s = scenario(['pending', 'completed'], { random });
			await waitForJob({ pollIntervalMs: 1000, timeoutMs: 10_000, fetchJob: s.fetchJob, sleep: s.sleep, now: s.clock, random });
			expect(s.sleeps[0]).toBeGreaterThanOrEqual(1000);
			expect(s.sleeps[0]).toBeLessThan(1100);
		}
	});

	it('trims the last sleep to the deadline and makes exactly one check at the deadline', async () => {
		const s = scenario(['processing'], { requestMs: 100 });
		const outcome = await waitForJob({ pollIntervalMs: 2000, timeoutMs: 5000, fetchJob: s.fetchJob, sleep: s.sleep, now: s.clock, random: () => 0 });
		expect(outcome.timedOut).toBe(true);
		expect(outcome.job.status).toBe('processing');
		// Checks at 0, 2.1 s and 4.2 s; the third sleep is trimmed from 2 s to the 0.7 s left.
		expect(s.sleeps).toEqual([2000, 2000, 700]);
		expect(s.fetches.map((fetch) => fetch.at - 1_000_000)).toEqual([0, 2100, 4200, 5000]);
		expect(outcome.waitedMs).toBe(5100);
		// Every fetch knows the deadline, so its own retries cannot overrun it.
		expect(new Set(s.fetches.map((fetch) => fetch.deadline))).toEqual(new Set([1_005_000]));
	});

	it('treats an unknown status as not finished, but never beyond the deadline', async () => {
		const s = scenario(['queued', 'queued', 'completed']);
		const done = await waitForJob({ pollIntervalMs: 1000, timeoutMs: 10_000, fetchJob: s.fetchJob, sleep: s.sleep, now: s.clock });
		expect(done).toMatchObject({ polls: 3, timedOut: false });

		const stuck = scenario(['queued']);
		const outcome = await waitForJob({ pollIntervalMs: 1000, timeoutMs: 3000, fetchJob: stuck.fetchJob, sleep: stuck.sleep, now: stuck.clock });
		expect(outcome.timedOut).toBe(true);
		expect(outcome.waitedMs).toBeLessThanOrEqual(3000 + 50);
	});

	it('stops when sleep rejects (the workflow was stopped) without another check', async () => {
		const s = scenario(['processing']);
		const stopped = new Error('stopped');
		await expect(
			waitForJob({
				pollIntervalMs: 1000,
				timeoutMs: 10_000,
				fetchJob: s.fetchJob,
				sleep: async () => {
					throw stopped;
				},
				now: s.clock,
			}),
		).rejects.toBe(stopped);
		expect(s.fetches).toHaveLength(1);
	});

	it('propagates a fetch error (the transport already retried what it could)', async () => {
		const failure = new Error('404');
		await expect(
			waitForJob({ pollIntervalMs: 1000, timeoutMs: 10_000, fetchJob: async () => await Promise.reject(failure), sleep: async () => {} }),
		).rejects.toBe(failure);
	});
});
