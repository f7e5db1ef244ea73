export interface PollOptions<T> {
	/** Time between the end of one check and the start of the next. */
	pollIntervalMs: number;
	/** Hard limit for the whole wait, measured from the first check. */
	timeoutMs: number;
	/** Checks once; it may retry internally but must not run past `deadline`. */
	fetch: (deadline: number) => Promise<T>;
	/** Whether what the check saw is final (a job completed or failed, a transfer stored, …). */
	isDone: (value: T) => boolean;
	/** Resolves after `ms`, or rejects when the wait should stop (e.g. the workflow was stopped). */
	sleep: (ms: number) => Promise<void>;
	now?: () => number;
	random?: () => number;
}

export interface PollOutcome<T> {
	/** The last value seen: done unless `timedOut`. */
	value: T;
	polls: number;
	waitedMs: number;
	timedOut: boolean;
}

/** Up to +10 % per sleep, so many waits started together do not poll in lockstep. */
export const POLL_JITTER = 0.1;

/**
 * Checks until `isDone` says so, or until the deadline passes. Free of n8n, so any status model
 * can use it and tests can give it their own clock.
 *
 * The first check is immediate. Between checks that are not done it sleeps one poll interval
 * plus a little jitter, trimmed so that no sleep ends after the deadline; the check made at the
 * deadline is the last.
 */
export async function pollUntil<T>(options: PollOptions<T>): Promise<PollOutcome<T>> {
	const now = options.now ?? Date.now;
	const random = options.random ?? Math.random;
	const startedAt = now();
	const deadline = startedAt + options.timeoutMs;
	let polls = 0;
	for (;;) {
		const value = await options.fetch(deadline);
		polls++;
		const timeLeft = deadline - now();
		const done = options.isDone(value);
		if (done || timeLeft <= 0) return { value, polls, waitedMs: now() - startedAt, timedOut: !done };
		const interval = options.pollIntervalMs * (1 + POLL_JITTER * random());
		await options.sleep(Math.min(interval, timeLeft));
	}
}
