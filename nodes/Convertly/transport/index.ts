import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	INode,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { ConvertlyJob } from '../helpers/job';
import { Semaphore } from '../helpers/semaphore';
import type { ErrorContext } from './errors';
import { asJsonObject, notConvertlyError, toApiError } from './errors';
import type { Attempt } from './retry';
import { RETRY_POLICY, retryDelay } from './retry';

export { parseRetryAfter, RETRY_POLICY } from './retry';

export const DEFAULT_BASE_URL = 'https://convertly.sh';

/** The n8n contexts the client works in: node execution, webhooks (trigger) and list search. */
export type ConvertlyContext = IExecuteFunctions | IWebhookFunctions | ILoadOptionsFunctions;

export interface RequestScope {
	itemIndex: number;
	/** Epoch ms after which no retry starts. Defaults to now + plainRequestBudgetMs. */
	deadline?: number;
	/** Until this epoch ms, a 404 is retried like a 503 (a job created a moment ago). */
	notFoundRetryUntil?: number;
}

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path under the Base URL, starting with /api/. */
	path: string;
	qs?: IDataObject;
	headers?: IDataObject;
	/** Builds the body afresh for every attempt: a streamed body can be sent only once. */
	body?: () => Promise<unknown>;
	/**
	 * Whether the request may be repeated after an answer that may have been acted on (5xx,
	 * dropped connection): reads always; creations only with an Idempotency-Key.
	 */
	repeatable?: boolean;
	/** Statuses handed back to the caller instead of becoming errors (e.g. 409 on cancel). */
	acceptStatuses?: number[];
	/** The job the request is about, named in a 404 message. */
	jobId?: string;
	/** A file the request is about, named in 413/415 messages. */
	subject?: string;
}

export interface ApiResponse {
	statusCode: number;
	body: IDataObject;
	headers: IDataObject;
}

/** The binary body of a download, as n8n's prepareBinaryData takes it. */
export type DownloadBody = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

export type DownloadResult<T> =
	| { kind: 'ok'; value: T }
	/** 401/403/404/410: a signed URL that expired or was revoked; a fresh one may work. */
	| { kind: 'refused'; statusCode: number };

const MAX_REDIRECTS = 5;

/** Raised when the execution is stopped; never turned into an output item. */
export class CancelledError extends NodeOperationError {}

/**
 * Owns every request the node makes: authentication through n8n's helper, the shared
 * concurrency limit, the shared rate-limit pause, retries with backoff, downloads that never
 * carry the key to another origin, and the mapping of Convertly's answers to errors a no-code
 * user can act on.
 */
export class ConvertlyClient {
	private readonly slots: Semaphore;

	/** Epoch ms until which no request is sent, after a 429 from any item. */
	private pausedUntil = 0;

	/** Settles when the signal aborts: one listener for every sleep and queued request. */
	private readonly stopped: Promise<void>;

	/** How many requests were slowed down by a 429, for the execution hint. */
	rateLimitedRequests = 0;

	private constructor(
		private readonly context: ConvertlyContext,
		readonly baseUrl: string,
		maxConcurrency: number,
		private readonly signal: AbortSignal,
		/**
		 * Handed to n8n's request helper, which otherwise loads and decrypts the credential again
		 * for every request (in n8n: a database read and a decryption each time).
		 */
		private readonly credentials: ICredentialsDecrypted,
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
		context: ConvertlyContext,
		maxConcurrency: number,
		signal: AbortSignal = new AbortController().signal,
	): Promise<ConvertlyClient> {
		const data = await context.getCredentials('convertlyApi');
		const reference = context.getNode().credentials?.convertlyApi;
		const credentials = { id: reference?.id ?? '', name: reference?.name ?? '', type: 'convertlyApi', data };
		const baseUrl = normaliseBaseUrl(typeof data.baseUrl === 'string' ? data.baseUrl : undefined);
		return new ConvertlyClient(context, baseUrl, maxConcurrency, signal, credentials);
	}

	get node(): INode {
		return this.context.getNode();
	}

	/** The origin that may receive the API key; every other origin never does. */
	get apiOrigin(): string {
		return new URL(this.baseUrl).origin;
	}

	async getJob(jobId: string, scope: RequestScope): Promise<ConvertlyJob> {
		// One path segment, whatever the id contains, so no value can reach another endpoint.
		const { body, statusCode, headers } = await this.request(
			{ method: 'GET', path: `/api/jobs/${encodeURIComponent(jobId)}`, jobId },
			scope,
		);
		if (!isJob(body)) {
			throw notConvertlyError(
				this.node,
				{ kind: 'response', statusCode, body, headers },
				{ baseUrl: this.baseUrl, itemIndex: scope.itemIndex },
			);
		}
		return body;
	}

	/**
	 * Sends one API request with retries and returns the answer: any 2xx JSON object, or a
	 * status listed in `acceptStatuses`. Everything else becomes an error naming what to do.
	 */
	async request(request: ApiRequest, scope: RequestScope): Promise<ApiResponse> {
		const deadline = scope.deadline ?? Date.now() + RETRY_POLICY.plainRequestBudgetMs;
		const rules = { repeatable: request.repeatable ?? request.method === 'GET', notFoundRetryUntil: scope.notFoundRetryUntil };
		const errorContext = (attempts: number, delay?: number): ErrorContext => ({
			baseUrl: this.baseUrl,
			itemIndex: scope.itemIndex,
			jobId: request.jobId,
			subject: request.subject,
			attempts,
			retryDelay: delay,
		});
		for (let attempt = 1; ; attempt++) {
			await this.waitForRateLimitPause(deadline, scope.itemIndex, () => errorContext(0, this.pausedUntil - Date.now()));
			const result = await this.queue(async () => await this.sendApiRequest(request, deadline, scope.itemIndex), scope.itemIndex);
			if (result.kind === 'response') {
				const accepted = result.statusCode < 300 || request.acceptStatuses?.includes(result.statusCode);
				if (accepted && isJsonObject(result.body)) {
					return { statusCode: result.statusCode, body: result.body, headers: result.headers };
				}
				if (result.statusCode < 300 || (accepted && result.statusCode === 204)) {
					if (result.statusCode === 204 || result.body === '' || result.body === undefined) {
						return { statusCode: result.statusCode, body: {}, headers: result.headers };
					}
					throw notConvertlyError(this.node, result, errorContext(attempt));
				}
			}
			const delay = retryDelay(result, attempt, rules);
			if (delay === undefined || Date.now() + delay > deadline) {
				throw toApiError(this.node, result, errorContext(attempt, delay));
			}
			if (result.kind === 'response' && result.statusCode === 429) {
				this.rateLimitedRequests++;
				this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
			} else {
				await this.sleep(delay, scope.itemIndex);
			}
		}
	}

	/**
	 * Fetches a file and hands its streamed body to `consume` while holding a request slot, so
	 * downloads obey Max Concurrency. The API key is sent only to the Base URL's origin, also
	 * across redirects, which are followed here rather than by the HTTP library for that reason.
	 */
	async download<T>(
		url: string,
		scope: RequestScope & { subject: string },
		consume: (body: DownloadBody, headers: IDataObject) => Promise<T>,
	): Promise<DownloadResult<T>> {
		const deadline = scope.deadline ?? Date.now() + RETRY_POLICY.plainRequestBudgetMs;
		for (let attempt = 1; ; attempt++) {
			await this.waitForRateLimitPause(deadline, scope.itemIndex, () => ({
				baseUrl: this.baseUrl,
				itemIndex: scope.itemIndex,
				subject: scope.subject,
				attempts: 0,
			}));
			const outcome = await this.queue(async () => {
				const response = await this.followRedirects(url, deadline, scope.itemIndex);
				if (response.kind === 'response' && response.statusCode < 300) {
					try {
						return { response, value: await consume(response.body as DownloadBody, response.headers) };
					} catch (error) {
						// The body broke off (dropped connection, reset): like no answer at all, so retried.
						this.throwIfCancelled(scope.itemIndex);
						const code: unknown = error?.code;
						const broken: Attempt = { kind: 'network', code: typeof code === 'string' ? code : 'interrupted' };
						return { response: broken, value: undefined };
					}
				}
				await discard(response);
				return { response, value: undefined };
			}, scope.itemIndex);
			const { response } = outcome;
			if (response.kind === 'response' && response.statusCode < 300) return { kind: 'ok', value: outcome.value as T };
			if (response.kind === 'response' && [401, 403, 404, 410].includes(response.statusCode)) {
				return { kind: 'refused', statusCode: response.statusCode };
			}
			const delay = retryDelay(response, attempt, { repeatable: true });
			if (delay === undefined || Date.now() + delay > deadline) {
				throw downloadError(this.node, response, { url, itemIndex: scope.itemIndex, subject: scope.subject, attempts: attempt });
			}
			if (response.kind === 'response' && response.statusCode === 429) {
				this.rateLimitedRequests++;
				this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
			} else {
				await this.sleep(delay, scope.itemIndex);
			}
		}
	}

	/** Sleeps unless the execution is stopped first. */
	async sleep(ms: number, itemIndex: number): Promise<void> {
		if (ms > 0 && !this.signal.aborted) await Promise.race([sleep(ms), this.stopped]);
		this.throwIfCancelled(itemIndex);
	}

	throwIfCancelled(itemIndex: number): void {
		if (this.signal.aborted) {
			throw new CancelledError(this.node, 'Execution canceled before the Convertly request finished', {
				itemIndex,
			});
		}
	}

	private async queue<T>(task: () => Promise<T>, itemIndex: number): Promise<T> {
		try {
			return await this.slots.run(task);
		} catch (error) {
			// The semaphore only refuses once stopped; anything else came from the task.
			this.throwIfCancelled(itemIndex);
			if (error instanceof NodeApiError) throw new NodeApiError(this.node, error as unknown as JsonObject);
			throw new NodeOperationError(this.node, error as Error, { itemIndex });
		}
	}

	private async waitForRateLimitPause(deadline: number, itemIndex: number, context: () => ErrorContext) {
		this.throwIfCancelled(itemIndex);
		const wait = this.pausedUntil - Date.now();
		if (wait <= 0) return;
		if (Date.now() + wait > deadline) {
			throw toApiError(this.node, { kind: 'response', statusCode: 429, body: {}, headers: {} }, context());
		}
		await this.sleep(wait, itemIndex);
	}

	private async sendApiRequest(request: ApiRequest, deadline: number, itemIndex: number): Promise<Attempt> {
		const body = request.body ? await request.body() : undefined;
		return await this.send(
			{
				method: request.method,
				url: `${this.baseUrl}${request.path}`,
				qs: request.qs,
				headers: request.headers,
				body: body as IHttpRequestOptions['body'],
				json: true,
				// A streamed body must not be buffered for a possible redirect.
				disableFollowRedirect: body !== undefined,
			},
			{ deadline, itemIndex, authenticated: true },
		);
	}

	/** GETs a download URL, following up to MAX_REDIRECTS redirects with the key only on the API origin. */
	private async followRedirects(url: string, deadline: number, itemIndex: number): Promise<Attempt> {
		let current = url;
		for (let hop = 0; ; hop++) {
			const response = await this.send(
				{ method: 'GET', url: current, encoding: 'stream', disableFollowRedirect: true },
				{ deadline, itemIndex, authenticated: new URL(current).origin === this.apiOrigin },
			);
			if (response.kind !== 'response' || response.statusCode < 300 || response.statusCode >= 400) return response;
			const location = response.headers.location;
			await discard(response);
			if (typeof location !== 'string' || hop >= MAX_REDIRECTS) {
				return { kind: 'response', statusCode: 502, body: { error: `Too many or invalid redirects for ${current}` }, headers: {} };
			}
			const next = new URL(location, current);
			if (next.protocol !== 'https:' && next.protocol !== 'http:') {
				return { kind: 'response', statusCode: 502, body: { error: `Redirect to an unsupported address (${next.protocol})` }, headers: {} };
			}
			current = next.toString();
		}
	}

	private async send(
		options: IHttpRequestOptions,
		{ deadline, itemIndex, authenticated }: { deadline: number; itemIndex: number; authenticated: boolean },
	): Promise<Attempt> {
		this.throwIfCancelled(itemIndex);
		const timeout = Math.max(1_000, Math.min(RETRY_POLICY.requestTimeoutMs, deadline - Date.now()));
		const requestOptions: IHttpRequestOptions = {
			...options,
			timeout,
			// Statuses are handled here, so n8n's generic errors never carry the request.
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
		};
		try {
			const response = (
				authenticated
					? await this.context.helpers.httpRequestWithAuthentication.call(this.context, 'convertlyApi', requestOptions, {
							credentialsDecrypted: this.credentials,
						})
					: await this.context.helpers.httpRequest(requestOptions)
			) as IN8nHttpFullResponse;
			return {
				kind: 'response',
				statusCode: response.statusCode,
				body: response.body,
				headers: (response.headers ?? {}) as IDataObject,
			};
		} catch (error) {
			this.throwIfCancelled(itemIndex);
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

function isJsonObject(body: unknown): body is IDataObject {
	return typeof body === 'object' && body !== null && !Array.isArray(body) && !isStream(body);
}

function isJob(body: unknown): body is ConvertlyJob {
	return isJsonObject(body) && typeof body.status === 'string';
}

function isStream(body: unknown): body is { resume(): void; destroy(): void; pipe: unknown } {
	return typeof body === 'object' && body !== null && typeof (body as { pipe?: unknown }).pipe === 'function';
}

/** Drains an unused streamed answer so its connection is released. */
async function discard(result: Attempt): Promise<void> {
	if (result.kind === 'response' && isStream(result.body)) result.body.destroy();
}

function downloadError(
	node: INode,
	result: Attempt,
	context: { url: string; itemIndex: number; subject: string; attempts: number },
): NodeApiError {
	const origin = new URL(context.url).origin;
	const retried = context.attempts > 1 ? ` The node tried ${context.attempts} times.` : '';
	if (result.kind === 'network') {
		return new NodeApiError(node, { connection: result.code }, {
			message: `Could not download the result file ${context.subject} from ${origin}`,
			description: `The connection failed (${result.code}).${retried} Run the node again; if it keeps failing, check that n8n can reach ${origin}.`,
			itemIndex: context.itemIndex,
		});
	}
	const reason = isJsonObject(result.body) && typeof result.body.error === 'string' ? `: ${result.body.error}` : '';
	return new NodeApiError(node, asJsonObject(isJsonObject(result.body) ? result.body : {}), {
		message: `Could not download the result file ${context.subject} (HTTP ${result.statusCode} from ${origin})${reason}`,
		description: `The file's download link did not work.${retried} Run the node again to get fresh links; if it keeps failing, the file may no longer be stored by Convertly.`,
		httpCode: String(result.statusCode),
		itemIndex: context.itemIndex,
	});
}
