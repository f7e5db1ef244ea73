import { createHash, createHmac, timingSafeEqual } from 'crypto';

/**
 * Verification of Convertly's signed deliveries: the ONE place that knows the signature format,
 * used for account webhooks and for per-job callbacks alike.
 *
 * Account webhooks [documented]: header `convertly-signature: t=<unix seconds>,v1=<hex>`, where
 * `<hex>` is the hex HMAC-SHA256 of `"<t>.<raw body>"` keyed with the endpoint's `whsec_…`
 * secret. Per-job callbacks [assumed]: the docs only say "HMAC-SHA256 of timestamp.body in a
 * Convertly-Signature header", so the same `t=…,v1=…` scheme is assumed. Adjust it here if
 * Convertly documents otherwise.
 */
export const SIGNATURE_HEADER = 'convertly-signature';

/** Longest header accepted: a timestamp and a handful of v1 values fit easily. */
const MAX_HEADER_LENGTH = 2048;
/** More v1 values than this (secret rotation needs two or three) is treated as an attack. */
const MAX_SIGNATURES = 8;

export interface ParsedSignature {
	timestamp: number;
	/** Every v1 value, as 32-byte digests. */
	signatures: Buffer[];
}

export type Rejection =
	| 'missing signature header'
	| 'malformed signature header'
	| 'signature mismatch'
	| 'timestamp outside tolerance';

export type Verification =
	| { ok: true; timestamp: number }
	| { ok: false; reason: Rejection; timestamp?: number };

/**
 * Parses `t=<digits>,v1=<64 hex>[,v1=<64 hex>…]` strictly: exactly one `t` of 1–12 digits, one
 * or more `v1` of exactly 64 hex digits, parts separated by commas (spaces around parts allowed).
 * Parts with other names (e.g. a future `v2`) are ignored, as Stripe-style schemes require; a
 * part without `=`, an empty value or a duplicate `t` makes the whole header malformed.
 */
export function parseSignatureHeader(header: unknown): ParsedSignature | undefined {
	if (typeof header !== 'string' || header.length === 0 || header.length > MAX_HEADER_LENGTH) {
		return undefined;
	}
	let timestamp: number | undefined;
	const signatures: Buffer[] = [];
	for (const rawPart of header.split(',')) {
		const part = rawPart.trim();
		const match = /^([a-z][a-z0-9]*)=(\S+)$/.exec(part);
		if (!match) return undefined;
		const [, key, value] = match;
		if (key === 't') {
			if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) return undefined;
			timestamp = Number(value);
		} else if (key === 'v1') {
			if (!/^[0-9a-fA-F]{64}$/.test(value)) return undefined;
			signatures.push(Buffer.from(value, 'hex'));
			if (signatures.length > MAX_SIGNATURES) return undefined;
		}
	}
	if (timestamp === undefined || signatures.length === 0) return undefined;
	return { timestamp, signatures };
}

/** The hex digest Convertly sends as v1 for this timestamp and these exact body bytes. */
export function expectedSignature(secret: string, timestamp: number, rawBody: Buffer): Buffer {
	return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

/**
 * Checks a delivery: the header's shape, every v1 against the HMAC of the raw body (timing-safe,
 * all values compared so the time taken does not depend on which one matched), then the
 * timestamp against `toleranceSeconds` in both directions. Never throws; never returns the
 * secret, the expected digest or the presented signature.
 */
export function verifyDelivery(options: {
	header: unknown;
	rawBody: Buffer;
	secret: string;
	toleranceSeconds: number;
	nowSeconds: number;
}): Verification {
	if (options.header === undefined || options.header === null || options.header === '') {
		return { ok: false, reason: 'missing signature header' };
	}
	const parsed = parseSignatureHeader(options.header);
	if (!parsed) return { ok: false, reason: 'malformed signature header' };
	const expected = expectedSignature(options.secret, parsed.timestamp, options.rawBody);
	let matched = false;
	for (const signature of parsed.signatures) {
		// Both are 32-byte digests (the parser accepts exactly 64 hex digits).
		if (timingSafeEqual(signature, expected)) matched = true;
	}
	if (!matched) return { ok: false, reason: 'signature mismatch' };
	if (Math.abs(options.nowSeconds - parsed.timestamp) > options.toleranceSeconds) {
		return { ok: false, reason: 'timestamp outside tolerance', timestamp: parsed.timestamp };
	}
	return { ok: true, timestamp: parsed.timestamp };
}

/** A short, non-reversible fingerprint of a body, for deliveries that carry no event id. */
export function bodyFingerprint(rawBody: Buffer): string {
	return createHash('sha256').update(rawBody).digest('hex').slice(0, 32);
}
