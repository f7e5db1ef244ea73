import { createHmac, randomBytes } from 'crypto';

import type { Delivery, DeliveryRequest, Trigger, TriggerOptions } from '../../tools/webhook';
import { createTrigger } from '../../tools/webhook';

/** Fresh signing secrets for every run, shaped like the dashboard's. */
export const SECRET = `whsec_${randomBytes(24).toString('base64url')}`;
export const OTHER_SECRET = `whsec_${randomBytes(24).toString('base64url')}`;

export function nowSeconds(): number {
	return Math.floor(Date.now() / 1000);
}

/** The documented scheme, written independently of the node and the simulator. */
export function sign(secret: string, body: string | Buffer, timestamp: number): string {
	return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

let counter = 0;

export function envelope(type = 'conversion.completed', data: Record<string, unknown> = {}, id?: string) {
	counter++;
	return {
		id: id ?? `evt_test_${counter}_${Date.now()}`,
		type,
		created: nowSeconds(),
		data: { jobId: 'a755a89a-3a63-4f3e-88ff-7fef50d42d7d', filename: 'photo-1.webp', ...data },
	};
}

/** A delivery signed like Convertly signs it. */
export function signed(
	event: unknown,
	{ secret = SECRET, timestamp = nowSeconds(), body }: { secret?: string; timestamp?: number; body?: string } = {},
): DeliveryRequest & { body: string; signature: string } {
	const raw = body ?? JSON.stringify(event);
	const signature = sign(secret, raw, timestamp);
	return {
		body: raw,
		signature,
		headers: {
			'content-type': 'application/json',
			'user-agent': 'Convertly-Webhooks/1.0',
			'convertly-event': String((event as { type?: string })?.type ?? ''),
			'convertly-timestamp': String(timestamp),
			'convertly-signature': `t=${timestamp},v1=${signature}`,
		},
	};
}

export function withSignature(request: DeliveryRequest, header: string | undefined): DeliveryRequest {
	const headers = { ...(request.headers ?? {}) };
	if (header === undefined) delete headers['convertly-signature'];
	else headers['convertly-signature'] = header;
	return { ...request, headers };
}

/** Every trigger made through this helper, to search all their logs, answers and items at the end. */
export const everything: Array<{ trigger: Trigger; deliveries: Delivery[] }> = [];

export function trigger(options: Partial<TriggerOptions> = {}) {
	const instance = createTrigger({ webhookCredentials: { signingSecret: SECRET }, ...options });
	const record = { trigger: instance, deliveries: [] as Delivery[] };
	everything.push(record);
	return {
		...instance,
		async deliver(request: DeliveryRequest): Promise<Delivery> {
			const delivery = await instance.deliver(request);
			record.deliveries.push(delivery);
			return delivery;
		},
	};
}
