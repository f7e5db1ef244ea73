import type { IDataObject } from 'n8n-workflow';

import {
	MAX_REMEMBERED_IN_PROCESS,
	MAX_REMEMBERED_IN_STATIC_DATA,
	rememberOnce,
} from '../../nodes/Convertly/trigger/replay';
import { ConvertlyWebhookApi } from '../../credentials/ConvertlyWebhookApi.credentials';
import codex from '../../nodes/Convertly/ConvertlyTrigger.node.json';
import { checkSecretShape } from '../../nodes/Convertly/trigger/secret';
import { parseSignatureHeader } from '../../nodes/Convertly/trigger/signature';
import { serialise } from '../helpers';
import {
	OTHER_SECRET,
	SECRET,
	envelope,
	everything,
	nowSeconds,
	sign,
	signed,
	trigger,
	withSignature,
} from './helpers';

/** Every signature sent in this file, to check none of them comes back anywhere. */
const signatures: string[] = [];
function track<T extends { signature: string }>(request: T): T {
	signatures.push(request.signature);
	return request;
}

describe('Convertly Trigger: verification (engine level)', () => {
	it('a valid delivery starts one execution whose item is the event', async () => {
		const node = trigger();
		const event = envelope('conversion.completed', { filename: 'photo-1.webp' });
		const delivery = await node.deliver(track(signed(event)));
		expect(delivery.response.status).toBe(200);
		expect(delivery.started).toBe(true);
		expect(delivery.run?.status).toBe('success');
		expect(delivery.run?.items).toHaveLength(1);
		expect(delivery.run?.items[0].json).toEqual(event);
		expect(node.runs).toHaveLength(1);
	});

	it('the default events are the four job outcomes; other events are acknowledged and start nothing', async () => {
		const node = trigger();
		const started: string[] = [];
		for (const type of [
			'conversion.completed',
			'conversion.failed',
			'media.tool.completed',
			'media.tool.failed',
			'conversion.started',
			'conversion.progress',
			'file.uploaded',
			'workflow.completed',
			'not.a.documented.event',
		]) {
			const delivery = await node.deliver(track(signed(envelope(type))));
			expect(delivery.response.status).toBe(200);
			if (delivery.started) started.push(type);
		}
		expect(started).toEqual(['conversion.completed', 'conversion.failed', 'media.tool.completed', 'media.tool.failed']);
		expect(node.runs).toHaveLength(4);
	});

	it('only the selected events start executions', async () => {
		const node = trigger({ parameters: { events: ['conversion.progress', 'video.stream.ready'] } });
		const results: Record<string, boolean> = {};
		for (const type of ['conversion.progress', 'video.stream.ready', 'conversion.completed', 'media.tool.failed']) {
			results[type] = (await node.deliver(track(signed(envelope(type))))).started;
		}
		expect(results).toEqual({
			'conversion.progress': true,
			'video.stream.ready': true,
			'conversion.completed': false,
			'media.tool.failed': false,
		});
	});

	it('with no event selected nothing starts', async () => {
		const node = trigger({ parameters: { events: [] } });
		const delivery = await node.deliver(track(signed(envelope())));
		expect(delivery.response.status).toBe(200);
		expect(delivery.started).toBe(false);
	});

	describe('refuses, with 401 and no execution', () => {
		const event = () => envelope();

		it('a delivery without a signature header', async () => {
			const node = trigger();
			const delivery = await node.deliver(withSignature(track(signed(event())), undefined));
			expect(delivery.response).toMatchObject({ status: 401, body: 'Unauthorized' });
			expect(delivery.started).toBe(false);
			expect(node.logs.at(-1)?.message).toMatch(/missing signature header/);
		});

		it.each([
			['empty', ''],
			['no v1', 't=TS'],
			['no t', 'v1=SIG'],
			['two t', 't=TS,t=TS,v1=SIG'],
			['t not digits', 't=12a4,v1=SIG'],
			['negative t', 't=-TS,v1=SIG'],
			['t in milliseconds beyond 12 digits', 't=1234567890123,v1=SIG'],
			['v1 too short', 't=TS,v1=SHORT'],
			['v1 too long', 't=TS,v1=SIG0'],
			['v1 not hex', 't=TS,v1=NOTHEX'],
			['a part without =', 't=TS,v1=SIG,junk'],
			['empty part', 't=TS,,v1=SIG'],
			['semicolons', 't=TS;v1=SIG'],
			['nine v1 values', 't=TS' + ',v1=SIG'.repeat(9)],
			['an oversized header', 't=TS,v1=SIG,x=' + 'a'.repeat(3000)],
		])('a malformed signature header (%s)', async (_name, template) => {
			const node = trigger();
			const request = track(signed(event()));
			const ts = request.headers?.['convertly-timestamp'] ?? '';
			const header = template
				.replace(/TS/g, ts)
				.replace(/SHORT/g, request.signature.slice(0, 63))
				.replace(/NOTHEX/g, 'z'.repeat(64))
				.replace(/SIG/g, request.signature);
			const delivery = await node.deliver(withSignature(request, header));
			expect(delivery.response.status).toBe(401);
			expect(delivery.started).toBe(false);
			expect(node.logs.at(-1)?.message).toMatch(/(malformed|missing) signature header/);
		});

		it('a delivery signed with another secret', async () => {
			const node = trigger();
			const delivery = await node.deliver(track(signed(event(), { secret: OTHER_SECRET })));
			expect(delivery.response.status).toBe(401);
			expect(delivery.started).toBe(false);
			expect(node.logs.at(-1)?.message).toMatch(/signature mismatch/);
		});

		it('a body altered by one byte after signing', async () => {
			const node = trigger();
			const request = track(signed(event()));
			const bytes = Buffer.from(request.body);
			bytes[bytes.length - 3] ^= 0x01;
			const delivery = await node.deliver({ ...request, body: bytes });
			expect(delivery.response.status).toBe(401);
			expect(delivery.started).toBe(false);
		});

		it('the same JSON re-serialised (same data, different bytes)', async () => {
			const node = trigger();
			const request = track(signed(event()));
			const reserialised = JSON.stringify(JSON.parse(request.body), null, 2);
			expect(JSON.parse(reserialised)).toEqual(JSON.parse(request.body));
			const delivery = await node.deliver({ ...request, body: reserialised });
			expect(delivery.response.status).toBe(401);
			expect(delivery.started).toBe(false);
		});

		it.each([
			['too old', -301],
			['too far in the future', 301],
		])('a correctly signed delivery whose timestamp is %s (default tolerance 300 s)', async (_name, offset) => {
			const node = trigger();
			const delivery = await node.deliver(track(signed(event(), { timestamp: nowSeconds() + offset })));
			expect(delivery.response.status).toBe(401);
			expect(delivery.started).toBe(false);
			expect(node.logs.at(-1)?.message).toMatch(/timestamp outside tolerance/);
		});

		it('a timestamp outside a custom tolerance, while one inside it passes', async () => {
			const node = trigger({ parameters: { options: { toleranceSeconds: 30 } } });
			const outside = await node.deliver(track(signed(event(), { timestamp: nowSeconds() - 90 })));
			const inside = await node.deliver(track(signed(event(), { timestamp: nowSeconds() - 10 })));
			expect([outside.response.status, inside.response.status]).toEqual([401, 200]);
			expect([outside.started, inside.started]).toEqual([false, true]);
		});
	});

	it('a body that is not a JSON object answers 400 (after the signature) and starts nothing', async () => {
		const node = trigger();
		for (const body of ['{"id": "evt_x", "type": ', '[1,2,3]', '"text"', 'null']) {
			const delivery = await node.deliver(track(signed(undefined, { body })));
			expect(delivery.response).toMatchObject({ status: 400, body: 'Bad Request' });
			expect(delivery.started).toBe(false);
		}
		// Unsigned garbage is refused as unauthorised, not parsed.
		const unsigned = await node.deliver({ headers: { 'content-type': 'application/json' }, body: '{' });
		expect(unsigned.response.status).toBe(401);
	});

	it('the same event delivered twice starts one execution, also when Convertly re-signs it', async () => {
		const node = trigger();
		const event = envelope();
		const first = track(signed(event));
		const copies = [first, first, track(signed(event, { timestamp: nowSeconds() - 5 })), track(signed(event, { timestamp: nowSeconds() + 2 }))];
		const deliveries = [];
		for (const request of copies) deliveries.push(await node.deliver(request));
		expect(deliveries.map((delivery) => delivery.response.status)).toEqual([200, 200, 200, 200]);
		expect(deliveries.map((delivery) => delivery.started)).toEqual([true, false, false, false]);
		expect(node.runs).toHaveLength(1);
		expect(node.staticData().seenEvents).toEqual([[event.id, expect.any(Number)]]);
	});

	it('two copies arriving at the same moment start one execution', async () => {
		const node = trigger();
		const request = track(signed(envelope()));
		const deliveries = await Promise.all([node.deliver(request), node.deliver(request), node.deliver(request)]);
		expect(deliveries.filter((delivery) => delivery.started)).toHaveLength(1);
	});

	it('remembers events in the saved static data: a replay after an n8n restart starts nothing', async () => {
		const before = trigger({ workflowId: 'wf-restart' });
		const request = track(signed(envelope()));
		expect((await before.deliver(request)).started).toBe(true);
		const saved = JSON.parse(JSON.stringify(before.staticData()));
		// Another process (or n8n after a restart) has no in-memory history, only the saved data.
		const after = trigger({ workflowId: 'wf-restart-other-process' });
		Object.assign(after.staticData(), saved);
		expect((await after.deliver(request)).started).toBe(false);
	});

	it('different events with the same body but different ids both start', async () => {
		const node = trigger();
		const a = await node.deliver(track(signed(envelope('conversion.completed', {}, 'evt_a'))));
		const b = await node.deliver(track(signed(envelope('conversion.completed', {}, 'evt_b'))));
		expect([a.started, b.started]).toEqual([true, true]);
	});

	it('accepts a header with several v1 values when one is right (secret rotation), in any position', async () => {
		const node = trigger();
		for (const position of ['first', 'last']) {
			const request = track(signed(envelope()));
			const ts = request.headers?.['convertly-timestamp'];
			const old = sign(OTHER_SECRET, request.body, Number(ts));
			const values = position === 'first' ? [request.signature, old] : [old, request.signature];
			const header = `t=${ts}, ${values.map((value) => `v1=${value}`).join(', ')}, v0=ignored`;
			const delivery = await node.deliver(withSignature(request, header));
			expect(delivery.started).toBe(true);
		}
		// …and refuses a header whose v1 values are all wrong.
		const request = track(signed(envelope()));
		const ts = Number(request.headers?.['convertly-timestamp']);
		const wrong = [sign(OTHER_SECRET, request.body, ts), sign(`${OTHER_SECRET}x`, request.body, ts)];
		const delivery = await node.deliver(withSignature(request, `t=${ts},v1=${wrong[0]},v1=${wrong[1]}`));
		expect(delivery.response.status).toBe(401);
	});

	it('accepts an upper-case hex signature', async () => {
		const node = trigger();
		const request = track(signed(envelope()));
		const ts = request.headers?.['convertly-timestamp'];
		const delivery = await node.deliver(withSignature(request, `t=${ts},v1=${request.signature.toUpperCase()}`));
		expect(delivery.started).toBe(true);
	});

	describe('a huge body is refused with 413 without being read into memory', () => {
		async function* endless(totalBytes: number, chunkBytes = 64 * 1024) {
			const chunk = Buffer.alloc(chunkBytes, 0x20);
			for (let sent = 0; sent < totalBytes; sent += chunkBytes) yield chunk;
		}

		it('declared by Content-Length: nothing is read', async () => {
			const node = trigger();
			const delivery = await node.deliver({
				headers: { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024), 'convertly-signature': 't=1,v1=' + 'a'.repeat(64) },
				chunks: endless(50 * 1024 * 1024),
			});
			expect(delivery.response.status).toBe(413);
			expect(delivery.bytesRead).toBe(0);
			expect(delivery.started).toBe(false);
		});

		it('sent without a length: reading stops just past 1 MiB', async () => {
			const node = trigger();
			const delivery = await node.deliver({
				headers: { 'content-type': 'application/octet-stream', 'convertly-signature': 't=1,v1=' + 'a'.repeat(64) },
				chunks: endless(50 * 1024 * 1024),
			});
			expect(delivery.response.status).toBe(413);
			expect(delivery.bytesRead).toBeLessThanOrEqual(1024 * 1024 + 3 * 64 * 1024);
			expect(delivery.started).toBe(false);
		});

		it('already read by n8n (JSON up to its own limit) but over 1 MiB, even when correctly signed', async () => {
			const node = trigger();
			const event = envelope('conversion.completed', { padding: 'x'.repeat(1024 * 1024) });
			const request = track(signed(event));
			const delivery = await node.deliver({ ...request, headers: { ...request.headers, 'content-length': '' } });
			expect(delivery.response.status).toBe(413);
			expect(delivery.started).toBe(false);
		});

		it('a body n8n did not read is read here and verified', async () => {
			const node = trigger();
			const request = track(signed(envelope()));
			const delivery = await node.deliver({ ...request, preRead: false });
			expect(delivery.started).toBe(true);
		});
	});

	it('"Listen for test event" (manual mode) verifies the same way', async () => {
		const node = trigger({ mode: 'manual' });
		const good = await node.deliver(track(signed(envelope())));
		const bad = await node.deliver(track(signed(envelope(), { secret: OTHER_SECRET })));
		expect([good.started, bad.started]).toEqual([true, false]);
		expect(good.run?.status).toBe('success');
	});

	describe('per-job callbacks (assumed to use the same t=…,v1=… scheme)', () => {
		const job = { jobId: '7d0c4b8e-1111-4222-8333-444455556666', status: 'completed', totalFiles: 1, results: [] };

		it('a signed job body becomes an event typed by its convertly-event header or its status', async () => {
			const node = trigger();
			const withHeader = track(signed(job));
			withHeader.headers = { ...withHeader.headers, 'convertly-event': 'conversion.failed' };
			const byHeader = await node.deliver(withHeader);
			expect(byHeader.run?.items[0].json).toMatchObject({ id: null, type: 'conversion.failed', data: job });

			const other = { ...job, jobId: '7d0c4b8e-1111-4222-8333-444455556667' };
			const byStatus = track(signed(other));
			delete byStatus.headers?.['convertly-event'];
			const delivery = await node.deliver(byStatus);
			expect(delivery.run?.items[0].json).toMatchObject({ type: 'conversion.completed', data: other });
			expect(typeof delivery.run?.items[0].json.created).toBe('number');
		});

		it('the same callback body twice starts one execution (no event id: the body is the key)', async () => {
			const node = trigger();
			const first = await node.deliver(track(signed(job)));
			const again = await node.deliver(track(signed(job, { timestamp: nowSeconds() - 1 })));
			expect([first.started, again.started]).toEqual([true, false]);
		});
	});

	it('a credential without a secret refuses everything', async () => {
		const node = trigger({ webhookCredentials: { signingSecret: '' } });
		const delivery = await node.deliver(track(signed(envelope(), { secret: '' })));
		expect(delivery.response.status).toBe(401);
		expect(delivery.started).toBe(false);
	});

	it('the memory of seen events is bounded and forgets ids once their signature can no longer pass', () => {
		const staticData: IDataObject = {};
		const scope = { key: `bounded-${Date.now()}`, staticData };
		const now = 1_000_000;
		for (let i = 0; i <= MAX_REMEMBERED_IN_PROCESS; i++) expect(rememberOnce(scope, `evt_${i}`, now + 300, now)).toBe(true);
		expect((staticData.seenEvents as unknown[]).length).toBe(MAX_REMEMBERED_IN_STATIC_DATA);
		// The newest ids are refused as repeats; the oldest, pushed out of both memories, would pass
		// again, but by then its timestamp is long stale (the window is far shorter than 10,000 events).
		expect(rememberOnce(scope, `evt_${MAX_REMEMBERED_IN_PROCESS}`, now + 300, now)).toBe(false);
		expect(rememberOnce(scope, 'evt_0', now + 300, now)).toBe(true);
		// After its window an id is forgotten everywhere.
		const later = { key: `expiry-${Date.now()}`, staticData: {} as IDataObject };
		expect(rememberOnce(later, 'evt_once', now + 300, now)).toBe(true);
		expect(rememberOnce(later, 'evt_once', now + 300, now + 300)).toBe(false);
		expect(rememberOnce(later, 'evt_once', now + 601, now + 301)).toBe(true);
		expect(later.staticData.seenEvents).toEqual([['evt_once', now + 601]]);
	});

	it('documentation links survive how n8n builds them (codex without anchors; the credential’s opened unchanged)', () => {
		expect(codex.node).toBe('n8n-nodes-convertly.convertlyTrigger');
		for (const { url } of [...codex.resources.primaryDocumentation, ...codex.resources.credentialDocumentation]) {
			expect(url).toMatch(/^https:\/\/[^#?]+$/);
		}
		expect(new URL(new ConvertlyWebhookApi().documentationUrl).hash).toBe('#convertly-trigger');
	});

	it('the credential test checks the secret’s shape without repeating it', () => {
		expect(checkSecretShape(SECRET)).toEqual({ status: 'OK', message: 'The signing secret has the expected shape' });
		const cases: Array<[unknown, RegExp]> = [
			['', /empty/],
			[undefined, /empty/],
			[` ${SECRET}`, /spaces/],
			[`${SECRET}\n`, /spaces/],
			['cvly_live_0123456789abcdefghijkl', /start with "whsec_"/],
			['whsec_short', /too short/],
		];
		for (const [value, message] of cases) {
			const result = checkSecretShape(value);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(message);
			if (typeof value === 'string' && value.trim() !== '') expect(result.message).not.toContain(value.trim());
		}
	});

	it('parses the signature header strictly', () => {
		const sig = 'ab'.repeat(32);
		expect(parseSignatureHeader(`t=1700000000,v1=${sig}`)).toEqual({ timestamp: 1700000000, signatures: [Buffer.from(sig, 'hex')] });
		expect(parseSignatureHeader(` t=1 , v1=${sig} ,v0=x, v1=${sig.toUpperCase()}`)?.signatures).toHaveLength(2);
		for (const header of [undefined, 42, `t=1,v1=${sig},`, `t=1.5,v1=${sig}`, `T=1,v1=${sig}`, `t=1,v1=${sig} extra`, `t=,v1=${sig}`]) {
			expect(parseSignatureHeader(header)).toBeUndefined();
		}
	});

	it('no secret or signature appears in any answer, log line, item or run data of this file', () => {
		expect(everything.length).toBeGreaterThan(10);
		expect(signatures.length).toBeGreaterThan(20);
		const haystack = serialise(
			everything.map(({ trigger: node, deliveries }) => ({
				logs: node.logs,
				deliveries: deliveries.map(({ response, run, webhookResult }) => ({ response, run, webhookResult })),
			})),
		).toLowerCase();
		for (const secret of [SECRET, OTHER_SECRET]) expect(haystack).not.toContain(secret.toLowerCase());
		for (const signature of signatures) expect(haystack).not.toContain(signature);
		// The refusals were logged, with their reasons.
		expect(haystack).toContain('signature mismatch');
		expect(haystack).toContain('timestamp outside tolerance');
	});
});
