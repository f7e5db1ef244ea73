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
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { Semaphore } from './semaphore';
import type { ErrorContext, Subject } from './errors';
import { AttemptSources } from './sources';
import { asJsonObject, displayUrl, notConvertlyError, rethrowable, toApiError } from './errors';
import { REQUEST_LIMITS } from './limits';
import type { Attempt, RetryRules } from './retry';
import { retryDelay } from './retry';

export type { Subject } from './errors';
export { REQUEST_LIMITS } from './limits';
export { parseRetryAfter, RETRY_POLICY } from './retry';

export const DEFAULT_BASE_URL = 'https://convertly.sh';

/** The n8n contexts the client works in: node execution, webhooks (trigger) and list search. */
export type ConvertlyContext = IExecuteFunctions | IWebhookFunctions | ILoadOptionsFunctions;

export interface RequestScope {
	itemIndex: number;
	/** Epoch ms by which the request ends, retries included. Defaults to now + plainRequestBudgetMs. */
	deadline?: number;
	/** Until this epoch ms, a 404 is retried like a 503 (something created a moment ago). */
	notFoundRetryUntil?: number;
}

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path under the Base URL, starting with /api/. */
	path: string;
	qs?: IDataObject;
	headers?: IDataObject;
	/**
	 * Builds the body afresh for every attempt: a streamed body can be sent only once. Streams it
	 * opens go into `sources`, which the attempt destroys when it ends.
	 */
	body?: (sources: AttemptSources) => Promise<unknown>;
	/**
	 * Whether the request may be repeated after an answer that may have been acted on (5xx,
	 * dropped connection): reads always; creations only with an Idempotency-Key.
	 */
	repeatable?: boolean;
	/** Statuses handed back to the caller instead of becoming errors (e.g. 409 on cancel). */
	acceptStatuses?: number[];
	/** What the request is about, named in a 404 message. */
	about?: Subject;
	/** The files the request sends, named in 413/415 messages. */
	files?: string;
	/**
	 * How many bytes the body sends. Sending them may take longer than an answer: each attempt,
	 * and the request as a whole, get the time the minimum throughput allows for them on top.
	 */
	bodyBytes?: number;
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

export interface DownloadScope extends RequestScope {
	/** The file, as messages name it: `result file "a.png"`. */
	subject: string;
	/** A JSON body for an endpoint that answers with a file (e.g. an archive); sent with POST. */
	post?: IDataObject;
	/** The size Convertly gave for the file, if any: a compressed answer may not inflate past it. */
	expectedBytes?: number;
}

/** A download cut off by the node's own bounds (size, speed): final, never retried. */
class DownloadBoundError extends Error {}

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

	/** How many requests may be in flight at once (Max Concurrency). */
	readonly maxConcurrency: number;

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
		this.maxConcurrency = maxConcurrency;
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

	/**
	 * Sends one API request with retries and returns the answer: any 2xx JSON object, or a
	 * status listed in `acceptStatuses`. Everything else becomes an error naming what to do.
	 */
	async request(request: ApiRequest, scope: RequestScope): Promise<ApiResponse> {
		const context = (attempts: number, delay?: number): ErrorContext => ({
			baseUrl: this.baseUrl,
			itemIndex: scope.itemIndex,
			about: request.about,
			files: request.files,
			attempts,
			retryDelay: delay,
		});
		const sending = transferAllowanceMs(request.bodyBytes);
		return await this.retrying<Attempt, ApiResponse>({
			scope: { ...scope, deadline: (scope.deadline ?? Date.now() + REQUEST_LIMITS.plainRequestBudgetMs) + sending },
			rules: { repeatable: request.repeatable ?? request.method === 'GET', notFoundRetryUntil: scope.notFoundRetryUntil },
			attempt: async (deadline) => {
				const result = await this.sendApiRequest(request, deadline, scope.itemIndex, sending);
				return { result, value: result };
			},
			settle: (result, attempts) => {
				if (result.kind !== 'response') return undefined;
				const accepted = result.statusCode < 300 || request.acceptStatuses?.includes(result.statusCode);
				if (accepted && isJsonObject(result.body)) {
					return { statusCode: result.statusCode, body: result.body, headers: result.headers };
				}
				if (result.statusCode < 300 || (accepted && result.statusCode === 204)) {
					if (result.statusCode === 204 || result.body === '' || result.body === undefined) {
						return { statusCode: result.statusCode, body: {}, headers: result.headers };
					}
					throw notConvertlyError(this.node, result, context(attempts));
				}
				return undefined;
			},
			fail: (result, attempts, delay) => toApiError(this.node, result, context(attempts, delay)),
			pauseContext: () => context(0, this.pausedUntil - Date.now()),
		});
	}

	/**
	 * Fetches a file and hands its streamed body to `consume` while holding a request slot, so
	 * downloads obey Max Concurrency. The API key is sent only to the Base URL's origin, also
	 * across redirects, which are followed here rather than by the HTTP library for that reason.
	 * The body is bounded: it must keep arriving (REQUEST_LIMITS.downloadMinBytesPerWindow per
	 * window), may not pass maxDownloadBytes, and a compressed answer may not inflate past what
	 * the server announced or Convertly said the file's size is.
	 */
	async download<T>(
		url: string,
		scope: DownloadScope,
		consume: (body: DownloadBody, headers: IDataObject) => Promise<T>,
	): Promise<DownloadResult<T>> {
		return await this.retrying<T | undefined, DownloadResult<T>>({
			scope,
			rules: { repeatable: true },
			attempt: async () => await this.downloadOnce(url, scope, consume),
			settle: (result, _attempts, value) => {
				if (result.kind !== 'response') return undefined;
				if (result.statusCode < 300) return { kind: 'ok', value: value as T };
				// A signed URL that expired or was revoked: a fresh one may work.
				if ([401, 403, 404, 410].includes(result.statusCode)) return { kind: 'refused', statusCode: result.statusCode };
				return undefined;
			},
			fail: (result, attempts) => transferError(this.node, result, { url, itemIndex: scope.itemIndex, subject: scope.subject, attempts }, 'download'),
			pauseContext: () => ({ baseUrl: this.baseUrl, itemIndex: scope.itemIndex, attempts: 0 }),
		});
	}

	/**
	 * PUTs a file's bytes to a signed upload URL (another origin, e.g. Convertly's storage): never
	 * with the API key, whatever the origin; redirects not followed (the body would be held in
	 * memory). The same bytes to the same signed path twice store one object, so the PUT is
	 * repeated after a 5xx or a broken connection, the file opened afresh each time. It may take the
	 * time its size needs at the minimum throughput.
	 */
	async putFile(
		url: string,
		file: { open: () => Promise<unknown>; size: number; contentType: string },
		scope: RequestScope & { subject: string },
	): Promise<ApiResponse> {
		const sending = transferAllowanceMs(file.size);
		return await this.retrying<Attempt, ApiResponse>({
			scope: { ...scope, deadline: (scope.deadline ?? Date.now() + REQUEST_LIMITS.plainRequestBudgetMs) + sending },
			rules: { repeatable: true },
			attempt: async (deadline) => {
				const timer = timeLimit(Math.max(1_000, Math.min(REQUEST_LIMITS.attemptTimeoutMs + sending, deadline - Date.now())));
				const signal = AbortSignal.any([this.signal, timer.signal]);
				const sources = new AttemptSources();
				try {
					const response = await this.send(
						{
							method: 'PUT',
							url: withoutUserInfo(new URL(url)).toString(),
							headers: { 'content-type': file.contentType, 'content-length': String(file.size) },
							body: sources.add(await file.open()) as IHttpRequestOptions['body'],
						},
						{ itemIndex: scope.itemIndex, authenticated: false, signal },
					);
					const result = await this.readAnswer(response, signal, scope.itemIndex);
					return { result, value: result };
				} finally {
					timer.clear();
					sources.close();
				}
			},
			settle: (result) =>
				result.kind === 'response' && result.statusCode < 300
					? { statusCode: result.statusCode, body: isJsonObject(result.body) ? result.body : {}, headers: result.headers }
					: undefined,
			fail: (result, attempts) => transferError(this.node, result, { url, itemIndex: scope.itemIndex, subject: scope.subject, attempts }, 'upload'),
			pauseContext: () => ({ baseUrl: this.baseUrl, itemIndex: scope.itemIndex, attempts: 0 }),
		});
	}

	/**
	 * Runs work that is not a request (decoding a data: link into n8n's binary store) in a request
	 * slot, so that it too stays within Max Concurrency and stops with the execution.
	 */
	async inSlot<T>(itemIndex: number, task: () => Promise<T>): Promise<T> {
		this.throwIfCancelled(itemIndex);
		return await this.queue(task, itemIndex);
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

	/**
	 * The one retry loop: waits out a shared 429 pause, makes an attempt in a request slot, and
	 * either settles it, retries it after the policy's delay, or fails it when the policy says it
	 * is final or the deadline would pass.
	 */
	private async retrying<V, T>(loop: {
		scope: RequestScope;
		rules: RetryRules;
		attempt: (deadline: number) => Promise<{ result: Attempt; value?: V }>;
		/** The outcome for an answer that ends the loop, or undefined to retry it if the rules allow. */
		settle: (result: Attempt, attempts: number, value?: V) => T | undefined;
		fail: (result: Attempt, attempts: number, delay?: number) => Error;
		pauseContext: () => ErrorContext;
	}): Promise<T> {
		const { itemIndex } = loop.scope;
		const deadline = loop.scope.deadline ?? Date.now() + REQUEST_LIMITS.plainRequestBudgetMs;
		for (let attempts = 1; ; attempts++) {
			await this.waitForRateLimitPause(deadline, itemIndex, loop.pauseContext);
			const { result, value } = await this.queue(async () => await loop.attempt(deadline), itemIndex);
			const settled = loop.settle(result, attempts, value);
			if (settled !== undefined) return settled;
			const delay = retryDelay(result, attempts, loop.rules);
			if (delay === undefined || Date.now() + delay > deadline) throw loop.fail(result, attempts, delay);
			await this.pauseBeforeRetry(result, delay, itemIndex);
		}
	}

	/** Before the next attempt: a 429 pauses every request of the node, anything else this one. */
	private async pauseBeforeRetry(result: Attempt, delay: number, itemIndex: number): Promise<void> {
		if (result.kind === 'response' && result.statusCode === 429) {
			this.rateLimitedRequests++;
			this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
		} else {
			await this.sleep(delay, itemIndex);
		}
	}

	private async queue<T>(task: () => Promise<T>, itemIndex: number): Promise<T> {
		try {
			return await this.slots.run(task);
		} catch (error) {
			// The semaphore only refuses once stopped; anything else came from the task.
			this.throwIfCancelled(itemIndex);
			if (error instanceof NodeApiError || error instanceof NodeOperationError) throw rethrowable(this.node, error, itemIndex);
			// A system error's message can name n8n's internal paths: keep its code or kind only.
			const code: unknown = error?.code ?? error?.name;
			throw new NodeOperationError(this.node, 'The node could not handle Convertly\'s answer or store its file in n8n', {
				description: `It failed with ${typeof code === 'string' ? code : 'an unknown error'}. If that is a file system error (ENOSPC, EMFILE), check the disk space and open-file limit of the n8n host; then run the node again.`,
				itemIndex,
			});
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

	/**
	 * One attempt at an API request within its time limit (the attempt timeout, or what is left
	 * before the deadline, body included). Redirects are followed only within the Base URL's
	 * origin, and only for requests without a body: the key never leaves that origin.
	 */
	private async sendApiRequest(request: ApiRequest, deadline: number, itemIndex: number, sendingMs: number): Promise<Attempt> {
		// One second at least, so that the last check of a wait at its deadline can still be made.
		const budget = Math.max(1_000, Math.min(REQUEST_LIMITS.attemptTimeoutMs + sendingMs, deadline - Date.now()));
		const timer = timeLimit(budget);
		const signal = AbortSignal.any([this.signal, timer.signal]);
		const sources = new AttemptSources();
		try {
			const body = request.body ? await request.body(sources) : undefined;
			let url = `${this.baseUrl}${request.path}`;
			let qs = request.qs;
			for (let hop = 0; ; hop++) {
				const response = await this.send(
					{ method: request.method, url, qs, headers: request.headers, body: body as IHttpRequestOptions['body'], json: true },
					{ itemIndex, authenticated: true, signal },
				);
				const redirect = redirectTarget(response, url);
				if (!redirect) return await this.readAnswer(response, signal, itemIndex);
				await discard(response);
				const refusal = this.refuseApiRedirect(redirect, hop, body !== undefined);
				if (refusal) return refusal;
				url = redirect.toString();
				// The redirect's own query replaces the original one.
				qs = undefined;
			}
		} finally {
			timer.clear();
			sources.close();
		}
	}

	/** Why an API redirect is not followed, or undefined when it may be (same origin, no body). */
	private refuseApiRedirect(target: URL, hop: number, hasBody: boolean): Attempt | undefined {
		if (target.origin !== this.apiOrigin) {
			return {
				kind: 'refused',
				message: `The Base URL redirected the request to another address (${target.origin})`,
				description: `The node does not follow redirects away from the Base URL's origin (${this.apiOrigin}), so that the API key is never sent anywhere else. If Convertly or your proxy has moved, set the Base URL in the Convertly API credential to the new address.`,
			};
		}
		if (hasBody) {
			return {
				kind: 'refused',
				message: `The Base URL answered with a redirect (to ${displayUrl(target.toString())})`,
				description: 'Requests that send files or data are never redirected, because the body would have to be held in memory to be sent again. Set the Base URL in the Convertly API credential to the address the redirect names.',
			};
		}
		if (hop >= REQUEST_LIMITS.maxRedirects) return redirectLoop(displayUrl(target.toString()));
		return undefined;
	}

	/** Reads an API answer's body into memory within maxJsonBytes and parses it as JSON when it is. */
	private async readAnswer(response: Attempt, signal: AbortSignal, itemIndex: number): Promise<Attempt> {
		if (response.kind !== 'response') return response;
		let text: string | undefined;
		try {
			text = await readCapped(response.body, REQUEST_LIMITS.maxJsonBytes);
		} catch (error) {
			return this.interrupted(error, signal, itemIndex);
		}
		if (text === undefined) {
			return {
				kind: 'refused',
				message: `Convertly's answer was too large (more than ${REQUEST_LIMITS.maxJsonBytes / 1024 / 1024} MiB)`,
				description: 'The node reads API answers up to this size, far above any real Convertly answer, so that a faulty or hostile server cannot exhaust n8n\'s memory. Check the Base URL in the Convertly API credential.',
			};
		}
		const body = parseJson(this.redact(text));
		if (nestingDepth(body) > REQUEST_LIMITS.maxJsonDepth) {
			return {
				kind: 'refused',
				message: `Convertly's answer is nested too deeply (more than ${REQUEST_LIMITS.maxJsonDepth} levels)`,
				description: 'Real Convertly answers are a few levels deep. Check the Base URL in the Convertly API credential.',
			};
		}
		return { ...response, body };
	}

	/** One download attempt: follow redirects, then hand the bounded body to `consume`. */
	private async downloadOnce<T>(
		url: string,
		scope: DownloadScope,
		consume: (body: DownloadBody, headers: IDataObject) => Promise<T>,
	): Promise<{ result: Attempt; value?: T }> {
		const stop = new AbortController();
		const signal = AbortSignal.any([this.signal, stop.signal]);
		const starting = timeLimit(REQUEST_LIMITS.downloadStartTimeoutMs, () => stop.abort(new DownloadBoundError('start')));
		let response: Attempt;
		try {
			response = await this.followDownloadRedirects(url, signal, scope.itemIndex, scope.post);
		} finally {
			starting.clear();
		}
		if (response.kind !== 'response' || response.statusCode >= 300) {
			await discard(response);
			return { result: response };
		}
		const bounded = boundBody(response.body, response.headers, scope.expectedBytes, stop);
		try {
			return { result: response, value: await consume(bounded.body as DownloadBody, response.headers) };
		} catch (error) {
			this.throwIfCancelled(scope.itemIndex);
			// The caller's own verdict on the body (e.g. not what it expected) is final.
			if (error instanceof NodeApiError || error instanceof NodeOperationError) throw rethrowable(this.node, error, scope.itemIndex);
			const reason = bounded.reason();
			if (reason) return { result: reason };
			// The body broke off (dropped connection, reset): like no answer at all, so retried.
			const code: unknown = error?.code;
			return { result: { kind: 'network', code: typeof code === 'string' ? code : 'interrupted' } };
		} finally {
			bounded.done();
			await discard(response);
		}
	}

	/** GETs a download URL, following redirects with the key only on the API origin. */
	private async followDownloadRedirects(url: string, signal: AbortSignal, itemIndex: number, post?: IDataObject): Promise<Attempt> {
		let current = withoutUserInfo(new URL(url));
		for (let hop = 0; ; hop++) {
			const response = await this.send(
				post
					? { method: 'POST', url: current.toString(), headers: { 'accept-encoding': 'identity' }, body: post, json: true }
					: { method: 'GET', url: current.toString(), headers: { 'accept-encoding': 'identity' } },
				{ itemIndex, authenticated: current.origin === this.apiOrigin, signal },
			);
			const redirect = redirectTarget(response, current.toString());
			if (!redirect) return response;
			await discard(response);
			if (post) return this.refuseApiRedirect(redirect, hop, true) ?? redirectLoop(displayUrl(current.toString()));
			if (hop >= REQUEST_LIMITS.maxRedirects) return redirectLoop(displayUrl(current.toString()));
			if (redirect.protocol !== 'https:' && redirect.protocol !== 'http:') {
				return {
					kind: 'refused',
					message: `A download link redirected to an unsupported address (${redirect.protocol})`,
					description: 'Only https: and http: addresses are downloaded. Report this to Convertly support if it comes from Convertly.',
				};
			}
			current = withoutUserInfo(redirect);
		}
	}

	/** Sends one HTTP request through n8n's helper; the body always comes back as a stream. */
	private async send(
		options: IHttpRequestOptions,
		{ itemIndex, authenticated, signal }: { itemIndex: number; authenticated: boolean; signal: AbortSignal },
	): Promise<Attempt> {
		this.throwIfCancelled(itemIndex);
		const requestOptions: IHttpRequestOptions = {
			...options,
			// Bodies are read by the node, within its size limits (the helper would buffer any size).
			encoding: 'stream',
			// Redirects are followed by the node, which decides where the key may go.
			disableFollowRedirect: true,
			// Statuses are handled here, so n8n's generic errors never carry the request.
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
		};
		// n8n's authenticated helper replaces abortSignal with the execution's own, which would drop
		// the request's time limit. `signal` already includes the execution's, so it is kept as is.
		Object.defineProperty(requestOptions, 'abortSignal', { enumerable: true, get: () => signal, set: () => {} });
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
			return this.interrupted(error, signal, itemIndex);
		}
	}

	/** What a request that threw was: stopped (thrown on), out of time, or a broken connection. */
	private interrupted(error: unknown, signal: AbortSignal, itemIndex: number): Attempt {
		this.throwIfCancelled(itemIndex);
		if (signal.aborted) {
			const reason: unknown = signal.reason;
			if (reason instanceof DownloadBoundError) return slowDownload();
			return { kind: 'network', code: 'TIMEOUT' };
		}
		// The helper's error holds the request, auth header included: keep only its code.
		const failure = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
		const code: unknown = failure?.cause?.code ?? failure?.code;
		return { kind: 'network', code: typeof code === 'string' ? code : 'unknown' };
	}

	/** The answer's text with every occurrence of the API key replaced, should a server echo it. */
	private redact(text: string): string {
		const key = String(this.credentials.data?.apiKey ?? '');
		return key.length >= 8 && text.includes(key) ? text.split(key).join('[redacted]') : text;
	}
}

export function normaliseBaseUrl(baseUrl: string | undefined): string {
	const trimmed = (baseUrl ?? '').trim().replace(/\/+$/, '');
	return trimmed === '' ? DEFAULT_BASE_URL : trimmed;
}

export function isJsonObject(body: unknown): body is IDataObject {
	return typeof body === 'object' && body !== null && !Array.isArray(body) && !isStream(body);
}

interface StreamLike extends AsyncIterable<Buffer> {
	destroy(error?: Error): void;
	pipe: unknown;
	map(fn: (chunk: Buffer) => Buffer): StreamLike;
}

function isStream(body: unknown): body is StreamLike {
	return typeof body === 'object' && body !== null && typeof (body as { pipe?: unknown }).pipe === 'function';
}

/** Closes an unused streamed answer so its connection is released. */
async function discard(result: Attempt): Promise<void> {
	if (result.kind === 'response' && isStream(result.body)) result.body.destroy();
}

/** Where a 3xx answer points, resolved against the request's URL; undefined for any other answer. */
function redirectTarget(response: Attempt, from: string): URL | undefined {
	if (response.kind !== 'response' || response.statusCode < 300 || response.statusCode >= 400) return undefined;
	const location = response.headers.location;
	if (typeof location !== 'string' || location === '') return undefined;
	try {
		return new URL(location, from);
	} catch {
		return undefined;
	}
}

function redirectLoop(where: string): Attempt {
	return {
		kind: 'refused',
		message: `Too many redirects (more than ${REQUEST_LIMITS.maxRedirects}) starting at ${where}`,
		description: 'The server keeps redirecting; the node gave up instead of trying again, since a redirect loop does not go away by itself. Check the Base URL and any proxy in between.',
	};
}

/** user:password@ in a link would become Basic authentication: it is dropped, never sent. */
function withoutUserInfo(url: URL): URL {
	const copy = new URL(url.toString());
	copy.username = '';
	copy.password = '';
	return copy;
}

/** The body as text, or undefined when it passes `maxBytes` (reading stops there). */
async function readCapped(body: unknown, maxBytes: number): Promise<string | undefined> {
	if (!isStream(body)) return typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of body) {
		size += chunk.length;
		if (size > maxBytes) {
			body.destroy();
			return undefined;
		}
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** JSON when the text is JSON, else the text itself (an HTML page, plain text), as n8n's helper did. */
function parseJson(text: string): unknown {
	const trimmed = text.trim();
	if (trimmed === '') return '';
	if (trimmed[0] !== '{' && trimmed[0] !== '[') return text;
	try {
		return JSON.parse(trimmed) as unknown;
	} catch {
		return text;
	}
}

/** How deeply objects and arrays nest in a value (without recursion, whatever the depth). */
function nestingDepth(value: unknown): number {
	let deepest = 0;
	const pending: Array<[unknown, number]> = [[value, 0]];
	while (pending.length > 0) {
		const [current, depth] = pending.pop() as [unknown, number];
		if (typeof current !== 'object' || current === null) continue;
		deepest = Math.max(deepest, depth + 1);
		if (deepest > REQUEST_LIMITS.maxJsonDepth) return deepest;
		for (const child of Object.values(current)) pending.push([child, depth + 1]);
	}
	return deepest;
}

/**
 * Time allowed for sending `bytes` at the minimum throughput every transfer must keep (1 MiB per
 * 30 s): known before sending, from the files themselves, never from anything a server says.
 */
export function transferAllowanceMs(bytes = 0): number {
	return Math.ceil((bytes * REQUEST_LIMITS.downloadWindowMs) / REQUEST_LIMITS.downloadMinBytesPerWindow);
}

/**
 * A signal that aborts after `ms` (and calls `onExpiry`), without a timer call, which n8n’s rules
 * forbid in node code. The listener is what keeps Node from collecting the timeout signal before
 * it fires; `clear()` removes it once the work is done, so finished requests hold nothing.
 */
function timeLimit(ms: number, onExpiry: () => void = () => {}): { signal: AbortSignal; clear(): void } {
	const signal = AbortSignal.timeout(ms);
	signal.addEventListener('abort', onExpiry, { once: true });
	return { signal, clear: () => signal.removeEventListener('abort', onExpiry) };
}

function slowDownload(): Attempt {
	return {
		kind: 'refused',
		message: 'The download was too slow',
		description: `The file server sent less than ${REQUEST_LIMITS.downloadMinBytesPerWindow / 1024 / 1024} MiB in ${REQUEST_LIMITS.downloadWindowMs / 1000} s (or took longer than that to start). Run the node again; if it keeps happening, check the network between n8n and the file's host.`,
	};
}

/**
 * The download body within its bounds: bytes counted as they pass, the stream ended when it
 * passes its size limit or stops bringing enough bytes per window. `reason()` tells afterwards
 * why it was ended, if it was.
 */
function boundBody(
	body: unknown,
	headers: IDataObject,
	expectedBytes: number | undefined,
	stop: AbortController,
): { body: unknown; reason(): Attempt | undefined; done(): void } {
	if (!isStream(body)) return { body, reason: () => undefined, done: () => {} };
	const announced = Number(headers['content-length']);
	// Without compression the HTTP parser reads no more than Content-Length; a compressed answer
	// may not inflate past it either, nor past twice the size Convertly gave for the file.
	const limits = [REQUEST_LIMITS.maxDownloadBytes];
	if (Number.isFinite(announced) && announced >= 0 && headers['content-length'] !== '') limits.push(announced);
	if (expectedBytes !== undefined && expectedBytes > 0) limits.push(expectedBytes * 2 + 64 * 1024);
	const maxBytes = Math.min(...limits);
	let received = 0;
	let tooLarge = false;
	let finished = false;
	const bounded = body.map((chunk: Buffer) => {
		received += chunk.length;
		if (received > maxBytes) {
			tooLarge = true;
			throw new DownloadBoundError('size');
		}
		return chunk;
	});
	const onStop = () => bounded.destroy(new DownloadBoundError('speed'));
	stop.signal.addEventListener('abort', onStop, { once: true });
	// One timer per window, chained: n8n's rules allow no timer calls in node code.
	let window = { clear: () => {} };
	const watch = (from: number) => {
		window = timeLimit(REQUEST_LIMITS.downloadWindowMs, () => {
			if (finished || stop.signal.aborted) return;
			if (received - from < REQUEST_LIMITS.downloadMinBytesPerWindow) stop.abort(new DownloadBoundError('speed'));
			else watch(received);
		});
	};
	watch(0);
	return {
		body: bounded,
		reason: () => {
			if (tooLarge) {
				return {
					kind: 'refused',
					message: 'The downloaded file was larger than its server announced',
					description: `The server sent more than ${maxBytes} bytes (its Content-Length, twice the size Convertly gave for the file, or the node's limit of ${REQUEST_LIMITS.maxDownloadBytes / 1024 ** 3} GiB). The download was stopped and nothing was kept. Run the node again; if it keeps happening, report it to Convertly support.`,
				};
			}
			return stop.signal.aborted ? slowDownload() : undefined;
		},
		done: () => {
			finished = true;
			window.clear();
			stop.signal.removeEventListener('abort', onStop);
		},
	};
}

/** A download or an upload to a file host that failed: what happened, with the host but never the link. */
function transferError(
	node: INode,
	result: Attempt,
	context: { url: string; itemIndex: number; subject: string; attempts: number },
	verb: 'download' | 'upload',
): NodeApiError {
	const origin = new URL(context.url).origin;
	const retried = context.attempts > 1 ? ` The node tried ${context.attempts} times.` : '';
	if (result.kind === 'refused') {
		return new NodeApiError(node, {}, {
			message: `${result.message} (${context.subject})`,
			description: result.description,
			itemIndex: context.itemIndex,
		});
	}
	if (result.kind === 'network') {
		return new NodeApiError(node, { connection: result.code }, {
			message: `Could not ${verb} the ${context.subject} ${verb === 'download' ? 'from' : 'to'} ${origin}`,
			description: `The connection failed (${result.code}).${retried} Run the node again; if it keeps failing, check that n8n can reach ${origin}.`,
			itemIndex: context.itemIndex,
		});
	}
	const reason = isJsonObject(result.body) && typeof result.body.error === 'string' ? `: ${result.body.error}` : '';
	return new NodeApiError(node, asJsonObject(isJsonObject(result.body) ? result.body : {}), {
		message: `Could not ${verb} the ${context.subject} (HTTP ${result.statusCode} from ${origin})${reason}`,
		description:
			verb === 'download'
				? `The file's download link did not work.${retried} Run the node again to get fresh links; if it keeps failing, the file may no longer be stored by Convertly.`
				: `The upload link did not take the file.${retried} Run the node again: it asks Convertly for a new link.`,
		httpCode: String(result.statusCode),
		itemIndex: context.itemIndex,
	});
}
