import type { PollOptions } from '../helpers/poll';
import { pollUntil } from '../helpers/poll';
import type { ConvertlyJob } from './job';
import { isTerminal } from './job';

export { POLL_JITTER } from '../helpers/poll';

export interface WaitForJobOptions extends Omit<PollOptions<ConvertlyJob>, 'fetch' | 'isDone'> {
	/** Fetches the job once; it may retry internally but must not run past `deadline`. */
	fetchJob: (deadline: number) => Promise<ConvertlyJob>;
}

export interface WaitOutcome {
	/** The last job seen: terminal unless `timedOut`. */
	job: ConvertlyJob;
	polls: number;
	waitedMs: number;
	timedOut: boolean;
}

/**
 * Checks a job until it is completed, failed or cancelled, or until the deadline passes. A status
 * the node does not know counts as not finished.
 */
export async function waitForJob(options: WaitForJobOptions): Promise<WaitOutcome> {
	const { fetchJob, ...timing } = options;
	const { value, ...outcome } = await pollUntil({ ...timing, fetch: fetchJob, isDone: isTerminal });
	return { job: value, ...outcome };
}
