import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { REQUEST_LIMITS } from './limits';
import type { Attempt } from './retry';

/** What the failed request was about, so that the message can name it. */
export interface ErrorContext {
	baseUrl: string;
	itemIndex: number;
	/** What the request was about: a 404 then says that this was not found, in the resource's words. */
	about?: Subject;
	/** The files the request sent, named in 413/415 messages. */
	files?: string;
	attempts: number;
	retryDelay?: number;
}

/**
 * The thing a request is about, as its resource names it: `{ label: 'Job', id }` makes a 404 read
 * `Job "…" was not found`, followed by the resource's own advice.
 */
export interface Subject {
	label: string;
	id: string;
	/** What to check when it was not found. */
	notFoundHint: string;
}

/** Convertly's error body: `{ error, upgradeUrl? }` (official schema). */
export function convertlyErrorText(body: unknown): string | undefined {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
	const text = (body as IDataObject).error;
	return typeof text === 'string' && text.trim() !== '' ? truncate(text.trim(), 500) : undefined;
}

/**
 * What an error keeps of an answer: its top-level plain fields, long texts cut, so that a huge or
 * deeply nested answer never travels with the error into n8n's execution data.
 */
export function asJsonObject(body: unknown): JsonObject {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return { response: truncate(String(body ?? '')) };
	const kept: JsonObject = {};
	for (const [key, value] of Object.entries(body as IDataObject).slice(0, 20)) {
		if (typeof value === 'string') kept[key] = truncate(value, 1000);
		else if (typeof value === 'number' || typeof value === 'boolean' || value === null) kept[key] = value;
	}
	return kept;
}

function truncate(text: string, max = 200): string {
	return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A value from the user or a server as a message quotes it: in quotes, at most `max` characters. */
export function quote(value: unknown, max = 80): string {
	return `"${truncate(String(value), max)}"`;
}

/** A URL as messages may show it: without user:password@, query or fragment (signed links). */
export function displayUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.origin}${parsed.pathname === '/' ? '' : parsed.pathname}`;
	} catch {
		return 'an invalid address';
	}
}

function contentTypeOf(headers: IDataObject): string {
	const value = headers['content-type'];
	return typeof value === 'string' && value !== '' ? value.split(';')[0].trim() : 'no content type';
}

/**
 * Advice when the Base URL carries a path: the node adds `/api/…` itself, so a pasted
 * `https://convertly.sh/api` calls `/api/api/jobs`. Empty when the Base URL is just an address.
 */
const ENDS_IN_API = 'The Base URL ends in /api';

export function basePathAdvice(baseUrl: string): string {
	let parsed: URL;
	try {
		parsed = new URL(baseUrl);
	} catch {
		return '';
	}
	const path = parsed.pathname.replace(/\/+$/, '');
	if (path === '') return '';
	if (/\/api$/i.test(path)) {
		return `${ENDS_IN_API}: drop /api (use ${parsed.origin}${path.slice(0, -4)}), because the node adds /api/… to it itself.`;
	}
	return `The Base URL has a path (${path}): unless a proxy serves Convertly there, use just the address, such as https://convertly.sh; the node adds /api/… to it itself.`;
}

/**
 * An answer that is not Convertly's JSON (an HTML page, plain text, a JSON body without
 * Convertly's fields): the Base URL points somewhere else, whatever the status says.
 */
export function notConvertlyError(
	node: INode,
	result: Attempt & { kind: 'response' },
	context: Pick<ErrorContext, 'baseUrl' | 'itemIndex'>,
): NodeApiError {
	return new NodeApiError(node, asJsonObject(result.body), {
		message: `The Base URL does not look like the Convertly API (HTTP ${result.statusCode}, ${contentTypeOf(result.headers)})`,
		description: withAdvice(
			basePathAdvice(context.baseUrl),
			`${displayUrl(context.baseUrl)} answered with something that is not a Convertly API response. Set the Base URL in the Convertly API credential to https://convertly.sh (or to your proxy or the simulator), not to a web page, a proxy login page or another service.`,
		),
		httpCode: String(result.statusCode),
		itemIndex: context.itemIndex,
	});
}

/** Maps a final failed attempt to an error a no-code user can act on. */
export function toApiError(node: INode, result: Attempt, context: ErrorContext): NodeApiError {
	const { itemIndex } = context;
	const retried = context.attempts > 1 ? ` The node tried ${context.attempts} times.` : '';
	if (result.kind === 'refused') {
		return new NodeApiError(node, {}, { message: result.message, description: result.description, itemIndex });
	}
	if (result.kind === 'network' && result.code === 'TIMEOUT') {
		return new NodeApiError(
			node,
			{ connection: result.code },
			{
				message: `Convertly did not answer in time (${displayUrl(context.baseUrl)})`,
				description: `No complete answer arrived within the node's time limit (each attempt may take at most ${Math.round(REQUEST_LIMITS.attemptTimeoutMs / 1000)} s, body included).${retried} Try again; if it keeps happening, check the Base URL and any proxy in between.`,
				itemIndex,
			},
		);
	}
	if (result.kind === 'network') {
		// n8n swaps a message that names a system error code for a generic one, so the code
		// goes in the description.
		return new NodeApiError(
			node,
			{ connection: result.code },
			{
				message: `Could not reach Convertly at ${displayUrl(context.baseUrl)}`,
				description: `The connection failed (${result.code}).${retried} Check the Base URL in the Convertly API credential and your network, then try again.`,
				itemIndex,
			},
		);
	}
	const { statusCode } = result;
	const apiText = convertlyErrorText(result.body);
	// Every Convertly error carries `error`; a 4xx without it came from something else.
	if (apiText === undefined && statusCode !== 429 && statusCode < 500) {
		return notConvertlyError(node, result, context);
	}
	const body = asJsonObject(result.body);
	const said = apiText ? `: ${apiText}` : '';
	const upgrade = typeof body.upgradeUrl === 'string' ? ` Upgrade or change your plan at ${body.upgradeUrl}` : '';
	const file = context.files ? ` (${context.files})` : '';
	let message: string;
	let description: string;
	switch (true) {
		case statusCode === 400:
			message = `Convertly rejected the request${said}`;
			description = 'A setting of the node is not valid for Convertly: the message above names it. Change that setting and run the node again.';
			break;
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
			description = `The key is valid but its plan or permissions do not allow this (for example a locked format, too many files in one job, or a WordPress site token instead of a standard API key).${upgrade}`;
			break;
		case statusCode === 404 && basePathAdvice(context.baseUrl).startsWith(ENDS_IN_API):
			// The node called {Base URL}/api/…, so this is /api/api/…: no such endpoint.
			message = `Convertly has no such address: the Base URL ends in /api${said}`;
			description = basePathAdvice(context.baseUrl);
			break;
		case statusCode === 404 && context.about !== undefined:
			message = `${context.about.label} ${quote(context.about.id)} was not found${said}`;
			description = withAdvice(basePathAdvice(context.baseUrl), context.about.notFoundHint);
			break;
		case statusCode === 404:
			message = `Convertly found nothing at this address (HTTP 404)${said}`;
			description = withAdvice(
				basePathAdvice(context.baseUrl),
				'The request went to an address Convertly does not know. Check the Base URL in the Convertly API credential (https://convertly.sh, or your proxy or the simulator).',
			);
			break;
		case statusCode === 413:
			message = `The file is too large for your Convertly plan${file}${said}`;
			description = `Convertly limits the size of each file by plan.${upgrade || ' Use a smaller file or upgrade your plan.'}`;
			break;
		case statusCode === 415:
			message = `Convertly cannot process this type of file${file}${said}`;
			description = 'Check that the input file is what its name and MIME type say, and that Convertly supports converting it to the chosen format.';
			break;
		case statusCode === 429: {
			const asked =
				context.retryDelay !== undefined && context.retryDelay > 0
					? ` Convertly asked to wait ${Math.ceil(context.retryDelay / 1000)} s, which is past this node's time limit.`
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
			description = 'Check the node parameters: the message above says what Convertly did not accept.';
	}
	return new NodeApiError(node, body, { message, description, httpCode: String(statusCode), itemIndex });
}

/** The Base URL advice first (it is the likelier cause), then the usual description. */
function withAdvice(advice: string, description: string): string {
	return advice === '' ? description : `${advice} ${description}`;
}

/** Re-creates a caught error with its own class, which is what n8n's lint rules ask for. */
export function rethrowable(node: INode, error: Error, itemIndex?: number): Error {
	if (error instanceof NodeApiError) return new NodeApiError(node, error as unknown as JsonObject);
	return new NodeOperationError(node, error, itemIndex === undefined ? {} : { itemIndex });
}
