import { MAX_REMEMBERED_IN_PROCESS } from '../../nodes/Convertly/trigger/replay';
import { serialise } from '../helpers';
import { SECRET, envelope, everything, nowSeconds, signed, trigger } from './helpers';

const signatures: string[] = [];
function track<T extends { signature: string }>(request: T): T {
	signatures.push(request.signature);
	return request;
}

const ELEVEN_DAYS = 11 * 24 * 60 * 60;

describe('Convertly Trigger: Timestamp Tolerance that is not a number from 10 to 3600 (issue 18)', () => {
	it.each<[string, unknown, string]>([
		['NaN from an expression', '={{ NaN }}', 'NaN'],
		['text from an expression', '={{ "abc" }}', '"abc"'],
		['empty text from an expression', '={{ "" }}', '""'],
		['undefined from an expression', '={{ undefined }}', 'undefined'],
		['5 (below 10)', 5, '5'],
		['99999 (above 3600)', 99999, '99999'],
		['Infinity from an expression', '={{ Infinity }}', 'Infinity'],
	])('%s: a fresh, correctly signed event is refused with 401 and starts nothing; the owner is told why', async (_name, value, shown) => {
		const node = trigger({ parameters: { options: { toleranceSeconds: value } } });
		const delivery = await node.deliver(track(signed(envelope())));
		expect(delivery.response).toMatchObject({ status: 401, body: 'Unauthorized' });
		expect(delivery.started).toBe(false);
		expect(node.runs).toHaveLength(0);
		const warning = node.logs.find((entry) => entry.level === 'warn');
		expect(warning?.message).toBe('Convertly Trigger refused a delivery (HTTP 401): invalid timestamp tolerance setting');
		expect(warning?.metadata.toleranceSeconds).toBe(shown);
		// Nothing was remembered either.
		expect(node.staticData().seenEvents).toBeUndefined();
	});

	it('an 11-day-old correctly signed event is refused, once and again, whatever the tolerance says', async () => {
		const old = () => track(signed(envelope('conversion.completed', {}, 'evt_eleven_days'), { timestamp: nowSeconds() - ELEVEN_DAYS }));
		for (const value of ['={{ NaN }}', '={{ "abc" }}', 99999, 3600, undefined]) {
			const node = trigger({ parameters: value === undefined ? {} : { options: { toleranceSeconds: value } } });
			const deliveries = [await node.deliver(old()), await node.deliver(old())];
			expect(deliveries.map((delivery) => [delivery.response.status, delivery.started])).toEqual([
				[401, false],
				[401, false],
			]);
			expect(node.runs).toHaveLength(0);
		}
	});

	it.each<[string, unknown]>([
		['10', 10],
		['3600', 3600],
		['digits as text from an expression (n8n variables are text)', '={{ "600" }}'],
		['the default (option not set)', undefined],
	])('accepts %s', async (_name, value) => {
		const node = trigger({ parameters: value === undefined ? {} : { options: { toleranceSeconds: value } } });
		const delivery = await node.deliver(track(signed(envelope())));
		expect([delivery.response.status, delivery.started]).toEqual([200, true]);
	});

	it('digits as text are the tolerance: "30" refuses an event signed 90 s ago and accepts one signed 10 s ago', async () => {
		const node = trigger({ parameters: { options: { toleranceSeconds: '={{ "30" }}' } } });
		const outside = await node.deliver(track(signed(envelope(), { timestamp: nowSeconds() - 90 })));
		const inside = await node.deliver(track(signed(envelope(), { timestamp: nowSeconds() - 10 })));
		expect([outside.response.status, inside.response.status]).toEqual([401, 200]);
		expect(node.logs.find((entry) => entry.level === 'warn')?.message).toMatch(/timestamp outside tolerance/);
	});
});

describe('Convertly Trigger: only accepted events are remembered (issue 18)', () => {
	it('unselected events are answered 200 and leave the replay memory untouched', async () => {
		const node = trigger({ parameters: { events: ['conversion.completed'] } });
		const accepted = track(signed(envelope('conversion.completed')));
		expect((await node.deliver(accepted)).started).toBe(true);
		const remembered = JSON.parse(JSON.stringify(node.staticData().seenEvents));
		expect(remembered).toHaveLength(1);
		expect(node.rememberedInProcess()).toBe(1);

		// More than the saved memory holds (500), each a distinct, correctly signed event.
		for (let i = 0; i < 600; i++) {
			const delivery = await node.deliver(signed(envelope(i % 2 ? 'conversion.progress' : 'file.uploaded', {}, `evt_other_${i}`)));
			expect([delivery.response.status, delivery.started]).toEqual([200, false]);
		}
		expect(node.staticData().seenEvents).toEqual(remembered);
		expect(node.rememberedInProcess()).toBe(1);

		// The accepted event replayed (same bytes and headers) is still ignored.
		const replay = await node.deliver(accepted);
		expect([replay.response.status, replay.started]).toEqual([200, false]);
		expect(node.runs).toHaveLength(1);
	});

	it(`a replay after ${MAX_REMEMBERED_IN_PROCESS + 1} unselected events still starts no second execution`, async () => {
		const node = trigger({ parameters: { events: ['conversion.completed'] } });
		const accepted = track(signed(envelope('conversion.completed')));
		expect((await node.deliver(accepted)).started).toBe(true);
		// The same body, signature and headers for every flooding event but a fresh id: cheap to
		// verify, and each one distinct to the replay memory (as they used to be).
		const timestamp = nowSeconds();
		for (let i = 0; i <= MAX_REMEMBERED_IN_PROCESS; i++) {
			await node.deliver(signed({ id: `evt_flood_${i}`, type: 'conversion.progress', created: timestamp, data: {} }, { timestamp }));
		}
		const replay = await node.deliver(accepted);
		expect(replay.started).toBe(false);
		expect(node.runs).toHaveLength(1);
	});

	it('no secret or signature appears in any answer, log line, item or run data of this file', () => {
		expect(signatures.length).toBeGreaterThan(10);
		const haystack = serialise(
			everything.map(({ trigger: node, deliveries }) => ({
				logs: node.logs,
				deliveries: deliveries.map(({ response, run, webhookResult }) => ({ response, run, webhookResult })),
			})),
		).toLowerCase();
		expect(haystack).not.toContain(SECRET.toLowerCase());
		for (const signature of signatures) expect(haystack).not.toContain(signature);
		expect(haystack).toContain('invalid timestamp tolerance setting');
	});
});
