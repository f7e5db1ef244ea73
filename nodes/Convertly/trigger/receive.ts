import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { rememberOnce } from './replay';
import type { Rejection } from './signature';
import { SIGNATURE_HEADER, bodyFingerprint, verifyDelivery } from './signature';

/** Convertly's events are a few hundred bytes; per-job callbacks may carry a whole job. */
export const MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_TOLERANCE_SECONDS = 300;
export const MIN_TOLERANCE_SECONDS = 10;
export const MAX_TOLERANCE_SECONDS = 3600;

type Refusal =
	| Rejection
	| 'body too large'
	| 'body is not a JSON object'
	| 'no signing secret'
	| 'invalid timestamp tolerance setting';

const ANSWERS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 413: 'Payload Too Large' };

interface RequestLike {
	headers: Record<string, string | string[] | undefined>;
	rawBody?: unknown;
	on?(event: string, listener: (...args: unknown[]) => void): unknown;
	removeListener?(event: string, listener: (...args: unknown[]) => void): unknown;
	pause?(): unknown;
	readableEnded?: boolean;
}

/**
 * Verifies one delivery and decides what it does: refuse it (401/400/413, no execution), accept
 * and ignore it (200, no execution: an event type not selected, or an event already received),
 * or start one execution with the event. Reasons are logged for the owner without the secret or
 * the signature; the caller gets no detail that would help forge a request.
 */
export async function handleDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject() as unknown as RequestLike;
	const node = this.getNode();
	const workflowId = this.getWorkflow().id ?? '';

	const refuse = (status: 400 | 401 | 413, reason: Refusal, extra: IDataObject = {}): IWebhookResponseData => {
		this.logger.warn(`Convertly Trigger refused a delivery (HTTP ${status}): ${reason}`, {
			workflowId,
			nodeName: node.name,
			...extra,
		});
		const res = this.getResponseObject();
		res.status(status);
		if (status === 413) res.setHeader('connection', 'close');
		res.send(ANSWERS[status]).end();
		return { noWebhookResponse: true };
	};

	const declared = Number(header(req, 'content-length'));
	if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
		return refuse(413, 'body too large', { declaredBytes: declared });
	}
	const rawBody = await readBody(req, MAX_BODY_BYTES);
	if (!rawBody) return refuse(413, 'body too large');

	let secret = '';
	try {
		const credentials = await this.getCredentials<{ signingSecret?: string }>('convertlyWebhookApi');
		secret = typeof credentials.signingSecret === 'string' ? credentials.signingSecret.trim() : '';
	} catch (error) {
		// Without a credential nothing can be verified: refuse, and tell the owner why.
		return refuse(401, 'no signing secret', { credentialError: (error as Error).message });
	}
	if (secret === '') return refuse(401, 'no signing secret');

	const tolerance = readTolerance(this.getNodeParameter('options.toleranceSeconds', DEFAULT_TOLERANCE_SECONDS));
	if (tolerance.invalid !== undefined) {
		// Without a usable tolerance neither staleness nor replays can be judged: fail closed.
		return refuse(401, 'invalid timestamp tolerance setting', { toleranceSeconds: tolerance.invalid });
	}
	const toleranceSeconds = tolerance.seconds;
	const nowSeconds = Math.floor(Date.now() / 1000);
	const verification = verifyDelivery({
		header: header(req, SIGNATURE_HEADER),
		rawBody,
		secret,
		toleranceSeconds,
		nowSeconds,
	});
	if (!verification.ok) {
		return refuse(
			401,
			verification.reason,
			verification.timestamp === undefined ? {} : { signedAt: verification.timestamp, serverTime: nowSeconds },
		);
	}

	const event = toEvent(rawBody, header(req, 'convertly-event'), verification.timestamp);
	if (!event) return refuse(400, 'body is not a JSON object');

	// Checked before the replay memory: only events that start an execution are remembered, so
	// that a flood of other (verified) events cannot push an accepted one out of it.
	const selected = this.getNodeParameter('events', []) as string[];
	if (!selected.includes(String(event.type))) {
		this.logger.debug('Convertly Trigger ignored an event type that is not selected', {
			workflowId,
			nodeName: node.name,
			eventType: String(event.type),
		});
		return { webhookResponse: { received: true } };
	}

	const replayKey = typeof event.id === 'string' && event.id !== '' ? event.id : `body:${bodyFingerprint(rawBody)}`;
	const fresh = rememberOnce(
		{ key: `${workflowId}:${node.id}`, staticData: this.getWorkflowStaticData('node') },
		replayKey,
		verification.timestamp + toleranceSeconds,
		nowSeconds,
	);
	if (!fresh) {
		this.logger.info('Convertly Trigger ignored an event it had already received', {
			workflowId,
			nodeName: node.name,
			eventId: replayKey,
		});
		return { webhookResponse: { received: true } };
	}
	return { workflowData: [[{ json: event }]] };
}

/**
 * Timestamp Tolerance as seconds from 10 to 3600. An expression may give it as text of digits
 * (n8n variables are text); anything else (NaN, text, empty, out of range) is returned as
 * `invalid`, shown for the owner's log, so that the delivery is refused rather than checked
 * against no window at all.
 */
export function readTolerance(value: unknown): { seconds: number; invalid?: undefined } | { invalid: string } {
	const seconds = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= MIN_TOLERANCE_SECONDS && seconds <= MAX_TOLERANCE_SECONDS) {
		return { seconds };
	}
	const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value === 'object' && value !== null ? '[object]' : String(value);
	return { invalid: shown };
}

function header(req: RequestLike, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value.join(',') : value;
}

/**
 * The raw body exactly as received. n8n has usually read it already (JSON bodies, up to its own
 * N8N_PAYLOAD_SIZE_MAX); otherwise it is read here, and reading stops as soon as it passes `limit`.
 */
async function readBody(req: RequestLike, limit: number): Promise<Buffer | undefined> {
	if (Buffer.isBuffer(req.rawBody)) return req.rawBody.length > limit ? undefined : req.rawBody;
	if (typeof req.rawBody === 'string') {
		const buffer = Buffer.from(req.rawBody);
		return buffer.length > limit ? undefined : buffer;
	}
	if (!req.on || !req.removeListener || req.readableEnded) return Buffer.alloc(0);
	const on = req.on.bind(req);
	const off = req.removeListener.bind(req);
	return await new Promise<Buffer | undefined>((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const cleanup = () => {
			off('data', onData);
			off('end', onEnd);
			off('error', onError);
		};
		const onData = (chunk: unknown) => {
			const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
			size += buffer.length;
			if (size > limit) {
				cleanup();
				req.pause?.();
				resolve(undefined);
				return;
			}
			chunks.push(buffer);
		};
		const onEnd = () => {
			cleanup();
			resolve(Buffer.concat(chunks));
		};
		const onError = (error: unknown) => {
			cleanup();
			reject(error);
		};
		on('data', onData);
		on('end', onEnd);
		on('error', onError);
	});
}

/**
 * The event as output. An account webhook's envelope `{ id, type, created, data }` is passed through
 * (unknown fields kept). A per-job callback's body is undocumented [assumed]: a JSON object without
 * `type` is wrapped as `{ id: null, type, created, data: <body> }`, its type taken from the
 * `convertly-event` header or, failing that, from the job's status.
 */
function toEvent(rawBody: Buffer, eventHeader: string | undefined, timestamp: number): IDataObject | undefined {
	let body: unknown;
	try {
		body = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return undefined;
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
	const object = body as IDataObject;
	if (typeof object.type === 'string') return object;
	const status = typeof object.status === 'string' ? object.status : undefined;
	const type =
		eventHeader && /^[a-z]+(\.[a-z]+)+$/.test(eventHeader)
			? eventHeader
			: status === 'completed'
				? 'conversion.completed'
				: status === 'failed'
					? 'conversion.failed'
					: 'job.callback';
	return { id: null, type, created: timestamp, data: object };
}
