import type { ConvertlyJob } from '../helpers/job';
import { isTerminal } from '../helpers/job';

export interface WaitForJobOptions {
	/** Time between the end of one check and the start of the next. */
	pollIntervalMs: number;
	/** Hard limit for the whole wait, measured from the first check. */
	timeoutMs: number;
	/** Fetches the job once; it may retry internally but must not run past `deadline`. */
	fetchJob: (deadline: number) => Promise<ConvertlyJob>;
	/** Resolves after `ms`, or rejects when the wait should stop (e.g. the workflow was stopped). */
	sleep: (ms: number) => Promise<void>;
	now?: () => number;
	random?: () => number;
}

export interface WaitOutcome {
	/** The last job seen: terminal unless `timedOut`. */
	job: ConvertlyJob;
	polls: number;
	waitedMs: number;
	timedOut: boolean;
}

/** Up to +10 % per sleep, so many jobs started together do not poll in lockstep. */
export const POLL_JITTER = 0.1;

/**
 * Checks a job until it is completed or failed, or until the deadline passes.
 *
 * The first check is immediate. Between non-terminal checks it sleeps one poll interval plus a
 * little jitter, trimmed so that no sleep ends after the deadline; the check made at the
 * deadline is the last. A status the node does not know counts as not finished.
 */
export async function waitForJob(options: WaitForJobOptions): Promise<WaitOutcome> {
	const now = options.now ?? Date.now;
	const random = options.random ?? Math.random;
	const startedAt = now();
	const deadline = startedAt + options.timeoutMs;
	let polls = 0;
	for (;;) {
		const job = await options.fetchJob(deadline);
		polls++;
		const timeLeft = deadline - now();
		if (isTerminal(job) || timeLeft <= 0) {
			return { job, polls, waitedMs: now() - startedAt, timedOut: !isTerminal(job) };
		}
		const interval = options.pollIntervalMs * (1 + POLL_JITTER * random());
		await options.sleep(Math.min(interval, timeLeft));
	}
}
