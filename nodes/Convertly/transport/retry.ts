import type { IDataObject } from 'n8n-workflow';

/** Retry policy. Exported so the README, the tests and the code agree on one set of numbers. */
export const RETRY_POLICY = {
	/** Attempts per request for 5xx answers and dropped connections. */
	maxAttempts: 4,
	/** Exponential backoff for 5xx and dropped connections: 0.5 s, 1 s, 2 s (each with jitter). */
	backoffBaseMs: 500,
	backoffCapMs: 8_000,
	/** A 429 without Retry-After waits 1 s, 2 s, 4 s … up to this cap. */
	rateLimitCapMs: 30_000,
	rateLimitFloorMs: 250,
} as const;

const RETRYABLE_STATUSES = [429, 500, 502, 503, 504];

/** Connection failures before anything was sent: safe to repeat whatever the request does. */
const NOTHING_SENT = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'];

/**
 * What one attempt produced: an HTTP answer; no answer at all (a dropped connection, or `TIMEOUT`
 * when the attempt ran out of time); or an answer the node refuses to use, which is final.
 */
export type Attempt =
	| { kind: 'response'; statusCode: number; body: unknown; headers: IDataObject }
	| { kind: 'network'; code: string }
	| { kind: 'refused'; message: string; description: string };

export interface RetryRules {
	/** Until this epoch ms, a 404 is retried like a 503 (a job created a moment ago). */
	notFoundRetryUntil?: number;
	/**
	 * Whether the request may be sent again after an answer that may have been acted on
	 * (5xx, dropped connection). True for reads, and for creations that carry an idempotency key.
	 */
	repeatable: boolean;
}

/** Milliseconds to wait before the next attempt, or undefined when the answer is final. */
export function retryDelay(result: Attempt, attempt: number, rules: RetryRules): number | undefined {
	// Too large, redirected elsewhere, nested too deep: the same answer would come again.
	if (result.kind === 'refused') return undefined;
	if (result.kind === 'network') return rules.repeatable || NOTHING_SENT.includes(result.code) ? backoff(attempt) : undefined;
	const { statusCode } = result;
	if (statusCode === 429) {
		// Convertly refuses a rate-limited request before doing anything, so it is always safe to repeat.
		const requested = parseRetryAfter(result.headers['retry-after']);
		// A floor keeps "Retry-After: 0" from turning into a hot loop.
		if (requested !== undefined) return Math.max(RETRY_POLICY.rateLimitFloorMs, requested);
		return Math.min(RETRY_POLICY.rateLimitCapMs, 1_000 * 2 ** (attempt - 1));
	}
	if (statusCode === 404 && rules.notFoundRetryUntil !== undefined && Date.now() < rules.notFoundRetryUntil) {
		return backoff(attempt);
	}
	if (RETRYABLE_STATUSES.includes(statusCode) && rules.repeatable) return backoff(attempt);
	return undefined;
}

function backoff(attempt: number): number | undefined {
	if (attempt >= RETRY_POLICY.maxAttempts) return undefined;
	const ceiling = Math.min(RETRY_POLICY.backoffCapMs, RETRY_POLICY.backoffBaseMs * 2 ** (attempt - 1));
	// Jitter in [50 %, 100 %] of the ceiling keeps retries of many items from bunching up.
	return Math.round(ceiling * (0.5 + Math.random() / 2));
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	// An HTTP date names its day and month; without letters it is not one (Date.parse("-5") is).
	if (!/[a-z]/i.test(trimmed)) return undefined;
	const date = Date.parse(trimmed);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}
