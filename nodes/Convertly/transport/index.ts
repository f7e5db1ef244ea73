import type {
	IDataObject,
	IExecuteFunctions,
	IN8nHttpFullResponse,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { ConvertlyJob } from '../helpers/job';
import { Semaphore } from '../helpers/semaphore';

export const DEFAULT_BASE_URL = 'https://convertly.sh';

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
	/** Total time a request may spend retrying when the node is not waiting for completion. */
	plainRequestBudgetMs: 60_000,
	/** One HTTP request never takes longer than this. */
	requestTimeoutMs: 30_000,
} as const;

const RETRYABLE_STATUSES = [429, 500, 502, 503, 504];

export interface RequestScope {
	itemIndex: number;
	/** Epoch ms after which no retry starts. Defaults to now + plainRequestBudgetMs. */
	deadline?: number;
	/** Until this epoch ms, a 404 is retried like a 503 (a job created a moment ago). */
	notFoundRetryUntil?: number;
}

type Attempt =
	| { kind: 'response'; statusCode: number; body: unknown; headers: IDataObject }
	| { kind: 'network'; code: string };

/** Raised when the execution is stopped; never turned into an output item. */
export class CancelledError extends NodeOperationError {}

/**
 * Owns every request the node makes: authentication through n8n's helper, the shared
 * concurrency limit, the shared rate-limit pause, retries with backoff, and the mapping of
 * Convertly's answers to errors a no-code user can act on.
 */
export class ConvertlyClient {
	private readonly slots: Semaphore;

	/** Epoch ms until which no request is sent, after a 429 from any item. */
	private pausedUntil = 0;

	/** Settles when the signal aborts: one listener for every sleep and queued request. */
	private readonly stopped: Promise<void>;

	private constructor(
		private readonly context: IExecuteFunctions,
		private readonly baseUrl: string,
		maxConcurrency: number,
		private readonly signal: AbortSignal,
	) {
		this.slots = new Semaphore(maxConcurrency);
		this.stopped = new Promise<void>((resolve) => {
			const stop = () => {
				this.slots.close(new Error('stopped'));
				resolve();
			};
			if (signal.aborted) stop();
			else signal.addEventListener('abort', stop, { once: true });
		});
	}

	static async create(
		context: IExecuteFunctions,
		maxConcurrency: number,
		signal: AbortSignal,
	): Promise<ConvertlyClient> {
		const credentials = await context.getCredentials<{ baseUrl?: string }>('convertlyApi');
		return new ConvertlyClient(context, normaliseBaseUrl(credentials.baseUrl), maxConcurrency, signal);
	}

	get node(): INode {
		return this.context.getNode();
	}

	async getJob(jobId: string, scope: RequestScope): Promise<ConvertlyJob> {
		// One path segment, whatever the id contains, so no value can reach another endpoint.
		const body = await this.get(`/api/jobs/${encodeURIComponent(jobId)}`, scope, jobId);
		if (!isJob(body)) {
			throw new NodeApiError(this.node, asJsonObject(body), {
				message: `Convertly answered with something that is not a job for ID "${jobId}"`,
				description:
					'The response had no "status" field. Check that the Base URL in the Convertly API credential points to the Convertly API.',
				itemIndex: scope.itemIndex,
			});
		}
		return body;
	}

	/** Sleeps unless the execution is stopped first. */
	async sleep(ms: number, itemIndex: number): Promise<void> {
		if (ms > 0 && !this.signal.aborted) await Promise.race([sleep(ms), this.stopped]);
		this.throwIfCancelled(itemIndex);
	}

	private throwIfCancelled(itemIndex: number): void {
		if (this.signal.aborted) {
			throw new CancelledError(this.node, 'Execution canceled before the Convertly request finished', {
				itemIndex,
			});
		}
	}

	private async get(path: string, scope: RequestScope, jobId?: string): Promise<unknown> {
		const deadline = scope.deadline ?? Date.now() + RETRY_POLICY.plainRequestBudgetMs;
		for (let attempt = 1; ; attempt++) {
			await this.waitForRateLimitPause(deadline, scope, jobId);
			const result = await this.queue(() => this.send(path, deadline, scope), scope.itemIndex);
			if (result.kind === 'response' && result.statusCode < 300) {
				if (typeof result.body === 'object' && result.body !== null) return result.body;
				throw nonJsonError(this.node, result, scope.itemIndex);
			}
			const delay = retryDelay(result, attempt, scope);
			if (delay === undefined || Date.now() + delay > deadline) {
				throw toApiError(this.node, result, {
					baseUrl: this.baseUrl,
					scope,
					jobId,
					attempts: attempt,
					retryDelay: delay,
				});
			}
			if (result.kind === 'response' && result.statusCode === 429) {
				this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
			} else {
				await this.sleep(delay, scope.itemIndex);
			}
		}
	}

	private async queue<T>(task: () => Promise<T>, itemIndex: number): Promise<T> {
		try {
			return await this.slots.run(task);
		} catch (error) {
			// The semaphore only refuses once stopped; anything else came from the task.
			this.throwIfCancelled(itemIndex);
			throw new NodeOperationError(this.node, error as Error, { itemIndex });
		}
	}

	private async waitForRateLimitPause(deadline: number, scope: RequestScope, jobId?: string) {
		this.throwIfCancelled(scope.itemIndex);
		const wait = this.pausedUntil - Date.now();
		if (wait <= 0) return;
		if (Date.now() + wait > deadline) {
			throw toApiError(
				this.node,
				{ kind: 'response', statusCode: 429, body: {}, headers: {} },
				{ baseUrl: this.baseUrl, scope, jobId, attempts: 0, retryDelay: wait },
			);
		}
		await this.sleep(wait, scope.itemIndex);
	}

	private async send(path: string, deadline: number, scope: RequestScope): Promise<Attempt> {
		this.throwIfCancelled(scope.itemIndex);
		const timeout = Math.max(1_000, Math.min(RETRY_POLICY.requestTimeoutMs, deadline - Date.now()));
		try {
			const response = (await this.context.helpers.httpRequestWithAuthentication.call(
				this.context,
				'convertlyApi',
				{
					method: 'GET',
					url: `${this.baseUrl}${path}`,
					json: true,
					timeout,
					// Statuses are handled here, so n8n's generic errors never carry the request.
					ignoreHttpStatusErrors: true,
					returnFullResponse: true,
				},
			)) as IN8nHttpFullResponse;
			return {
				kind: 'response',
				statusCode: response.statusCode,
				body: response.body,
				headers: (response.headers ?? {}) as IDataObject,
			};
		} catch (error) {
			this.throwIfCancelled(scope.itemIndex);
			// The helper's error holds the request, auth header included: keep only its code.
			const code: unknown = error?.cause?.code ?? error?.code;
			return { kind: 'network', code: typeof code === 'string' ? code : 'unknown' };
		}
	}
}

export function normaliseBaseUrl(baseUrl: string | undefined): string {
	const trimmed = (baseUrl ?? '').trim().replace(/\/+$/, '');
	return trimmed === '' ? DEFAULT_BASE_URL : trimmed;
}

function isJob(body: unknown): body is ConvertlyJob {
	return (
		typeof body === 'object' &&
		body !== null &&
		!Array.isArray(body) &&
		typeof (body as IDataObject).status === 'string'
	);
}

/** Milliseconds to wait before the next attempt, or undefined when the answer is final. */
function retryDelay(result: Attempt, attempt: number, scope: RequestScope): number | undefined {
	if (result.kind === 'network') return backoff(attempt);
	const { statusCode } = result;
	if (statusCode === 429) {
		const requested = parseRetryAfter(result.headers['retry-after']);
		// A floor keeps "Retry-After: 0" from turning into a hot loop.
		if (requested !== undefined) return Math.max(RETRY_POLICY.rateLimitFloorMs, requested);
		return Math.min(RETRY_POLICY.rateLimitCapMs, 1_000 * 2 ** (attempt - 1));
	}
	if (statusCode === 404 && scope.notFoundRetryUntil !== undefined && Date.now() < scope.notFoundRetryUntil) {
		return backoff(attempt);
	}
	if (RETRYABLE_STATUSES.includes(statusCode)) return backoff(attempt);
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

function asJsonObject(body: unknown): JsonObject {
	if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as JsonObject;
	return { response: truncate(String(body ?? '')) };
}

function truncate(text: string, max = 200): string {
	return text.length > max ? `${text.slice(0, max)}…` : text;
}

function nonJsonError(node: INode, result: Attempt & { kind: 'response' }, itemIndex: number) {
	const contentType = String(result.headers['content-type'] ?? 'no content type');
	return new NodeApiError(node, asJsonObject(result.body), {
		message: `Convertly answered with a response that is not JSON (HTTP ${result.statusCode}, ${contentType})`,
		description:
			'Check the Base URL in the Convertly API credential: it must point to the Convertly API (https://convertly.sh), not to a web page or a proxy login page.',
		httpCode: String(result.statusCode),
		itemIndex,
	});
}

interface ErrorDetails {
	baseUrl: string;
	scope: RequestScope;
	jobId?: string;
	attempts: number;
	retryDelay?: number;
}

function toApiError(node: INode, result: Attempt, details: ErrorDetails): NodeApiError {
	const { itemIndex } = details.scope;
	const retried = details.attempts > 1 ? ` The node tried ${details.attempts} times.` : '';
	if (result.kind === 'network') {
		// n8n swaps a message that names a system error code for a generic one, so the code
		// goes in the description.
		return new NodeApiError(
			node,
			{ connection: result.code },
			{
				message: `Could not reach Convertly at ${details.baseUrl}`,
				description: `The connection failed (${result.code}).${retried} Check the Base URL in the Convertly API credential and your network, then try again.`,
				itemIndex,
			},
		);
	}
	const { statusCode } = result;
	const body = asJsonObject(result.body);
	const apiText = typeof body.error === 'string' && body.error.trim() !== '' ? body.error.trim() : undefined;
	const said = apiText ? `: ${apiText}` : '';
	const upgrade = typeof body.upgradeUrl === 'string' ? ` Upgrade or change your plan at ${body.upgradeUrl}` : '';
	let message: string;
	let description: string;
	switch (true) {
		case statusCode === 401:
			message = `Convertly rejected the API key${said}`;
			description =
				'Check the API key in the Convertly API credential (copied in full, not revoked) and that "Send Key As" matches what your Base URL expects.';
			break;
		case statusCode === 402:
			message = `Convertly quota exceeded${said}`;
			description = `The account's monthly quota is used up and overage is not enabled. Enable overage in Convertly under Settings → Usage, or wait for the next billing month.${upgrade}`;
			break;
		case statusCode === 403:
			message = `Convertly refused access${said}`;
			description = `The key is valid but its plan or permissions do not allow this. Use a standard API key (not a WordPress site token) on a plan that includes this feature.${upgrade}`;
			break;
		case statusCode === 404 && details.jobId !== undefined:
			message = `Job "${details.jobId}" was not found${said}`;
			description =
				'No job with this ID exists in the Convertly account that owns the API key. Check the Job ID (or the expression that produces it) and that the key belongs to the same account.';
			break;
		case statusCode === 429: {
			const asked =
				details.retryDelay !== undefined && details.retryDelay > 0
					? ` Convertly asked to wait ${Math.ceil(details.retryDelay / 1000)} s, which is past this node's time limit.`
					: '';
			message = `Convertly rate limit reached${said || ': too many requests'}`;
			description = `Too many requests in the current minute.${asked}${retried} Lower "Max Concurrency", raise the poll interval, or run the workflow later.${upgrade}`;
			break;
		}
		case statusCode >= 500:
			message = `Convertly is unavailable (HTTP ${statusCode})${said}`;
			description = `Convertly could not answer right now.${retried} Try again in a few minutes.`;
			break;
		default:
			message = `Convertly rejected the request (HTTP ${statusCode})${said}`;
			description = 'Check the node parameters, such as the Job ID.';
	}
	return new NodeApiError(node, body, {
		message,
		description,
		httpCode: String(statusCode),
		itemIndex,
	});
}
