// The simulator's account webhook deliveries against the webhook envelope and headers the docs
// describe (kept in test/contract/convertly-inferred.schema.json: prose, not OpenAPI).
import type { InProcessRequest } from '../../simulator/webhooks';
import { validateInferred } from './schemas';
import { useSimulator } from '../helpers';

describe('simulator webhook deliveries against the documented envelope', () => {
	const simulator = useSimulator();

	const collect = () => {
		const received: InProcessRequest[] = [];
		simulator().webhooks.addEndpoint({
			secret: 'whsec_contract_check',
			handler: async (request) => {
				received.push(request);
				return { status: 200 };
			},
		});
		return received;
	};

	const expectValid = (request: InProcessRequest) => {
		const envelope = JSON.parse(request.body.toString('utf8')) as { type: string; data: Record<string, unknown> };
		expect(validateInferred('WebhookEnvelope', envelope)).toEqual({ valid: true, errors: [] });
		expect(validateInferred('WebhookHeaders', request.headers)).toEqual({ valid: true, errors: [] });
		expect(request.headers['convertly-event']).toBe(envelope.type);
		// The signature's t= is the timestamp header (both documented as the same unix seconds).
		expect(request.headers['convertly-signature']).toMatch(new RegExp(`^t=${request.headers['convertly-timestamp']},`));
		return envelope;
	};

	it('every delivery of jobs of each type, finishing or failing, fits the envelope and headers', async () => {
		const received = collect();
		for (const jobType of ['convert', 'compress', 'media_tool', 'transfer'] as const) {
			simulator().addJob({ jobType, totalFiles: 2, processingMs: 0 });
			simulator().addJob({ jobType, totalFiles: 2, outcome: 'failed', processingMs: 0 });
		}
		await simulator().webhooks.idle();
		expect(received.length).toBeGreaterThan(0);
		const types = new Set(received.map((request) => expectValid(request).type));
		expect([...types].some((type) => type.endsWith('.completed'))).toBe(true);
		expect([...types].some((type) => type.endsWith('.failed'))).toBe(true);
	});

	it('the test event fits the envelope and headers', async () => {
		const received = collect();
		simulator().webhooks.sendTestEvent();
		await simulator().webhooks.idle();
		expect(received).toHaveLength(1);
		expectValid(received[0]);
	});
});
