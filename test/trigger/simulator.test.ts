import { sleep } from 'n8n-workflow';

import type { InProcessRequest } from '../../simulator/webhooks';
import { deriveResult } from '../../simulator';
import { readBinary } from '../../tools/engine';
import type { Delivery } from '../../tools/webhook';
import { run, serialise, useSimulator } from '../helpers';
import { SECRET, envelope, everything, signed, trigger } from './helpers';

type TriggerNode = ReturnType<typeof trigger>;

/** Routes the simulator's deliveries into the trigger, as HTTP would to n8n's webhook URL. */
function into(node: TriggerNode, seen: Delivery[] = []) {
	return async (request: InProcessRequest) => {
		const delivery = await node.deliver({ headers: request.headers, body: request.body });
		seen.push(delivery);
		return { status: delivery.response.status, body: delivery.response.body };
	};
}

async function until(condition: () => boolean, timeoutMs = 10_000) {
	const deadline = Date.now() + timeoutMs;
	while (!condition() && Date.now() < deadline) await sleep(10);
}

describe('Convertly Trigger with the simulator’s account webhooks', () => {
	const simulator = useSimulator();

	it('a job’s signed events reach the trigger; the completed one starts one execution with the fetched job', async () => {
		const node = trigger({
			parameters: { fetchJob: true },
			apiCredentials: { apiKey: simulator().apiKey, baseUrl: simulator().url },
		});
		simulator().webhooks.addEndpoint({ handler: into(node), secret: SECRET });
		const job = simulator().addJob({ totalFiles: 2, pendingMs: 30, processingMs: 120 });
		await simulator().webhooks.idle();
		await until(() => node.runs.length >= 1);

		const deliveries = simulator().webhooks.deliveries();
		expect(deliveries.map((delivery) => delivery.eventType)).toEqual([
			'conversion.started',
			'conversion.progress',
			'conversion.progress',
			'conversion.completed',
		]);
		expect(deliveries.every((delivery) => delivery.status === 'succeeded' && delivery.attemptCount === 1)).toBe(true);
		expect(node.runs).toHaveLength(1);
		const run = node.runs[0];
		expect(run.status).toBe('success');
		const item = run.items[0];
		expect(item.json).toMatchObject({ type: 'conversion.completed', data: { jobId: job.jobId } });
		expect(item.json.id).toMatch(/^evt_/);
		expect(item.json.job).toMatchObject({ jobId: job.jobId, status: 'completed', totalFiles: 2 });
		expect((item.json.job as { results: unknown[] }).results).toHaveLength(2);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(simulator().requests().map((request) => request.path)).toEqual([`/api/jobs/${job.jobId}`]);
	});

	it('sends conversion.failed and media.tool.* for the matching jobs', async () => {
		const node = trigger();
		simulator().webhooks.addEndpoint({ handler: into(node), secret: SECRET });
		simulator().addJob({ outcome: 'failed', processingMs: 20 });
		simulator().addJob({ jobType: 'media_tool', processingMs: 20 });
		simulator().addJob({ jobType: 'media_tool', outcome: 'failed', processingMs: 20 });
		simulator().addJob({ jobType: 'transfer', processingMs: 20 });
		await simulator().webhooks.idle();
		await until(() => node.runs.length >= 3);
		expect(node.runs.map((run) => run.items[0].json.type).sort()).toEqual([
			'conversion.failed',
			'media.tool.completed',
			'media.tool.failed',
		]);
		// No event is documented for transfers.
		expect(simulator().webhooks.deliveries().some((delivery) => delivery.eventType.startsWith('transfer'))).toBe(false);
	});

	it('only sends an endpoint the event types it subscribed to', async () => {
		const received: string[] = [];
		simulator().webhooks.addEndpoint({
			eventTypes: ['conversion.completed'],
			handler: async (request) => {
				received.push(String(request.headers['convertly-event']));
				return { status: 200 };
			},
		});
		simulator().addJob({ totalFiles: 3, processingMs: 30 });
		await simulator().webhooks.idle();
		expect(received).toEqual(['conversion.completed']);
	});

	it('sends nothing for jobs that had ended before they were added, and each transition once however often a job is reported', async () => {
		const received: string[] = [];
		simulator().webhooks.addEndpoint({
			handler: async (request) => {
				received.push(String(request.headers['convertly-event']));
				return { status: 200 };
			},
		});
		simulator().addJob({ createdAt: '2026-11-01T10:00:00.000Z', processingMs: 5000 });
		const job = simulator().addJob({ processingMs: 20 });
		simulator().webhooks.track(job.jobId);
		simulator().webhooks.track(job.jobId);
		await simulator().webhooks.idle();
		simulator().webhooks.track(job.jobId);
		await simulator().webhooks.idle();
		expect(received).toEqual(['conversion.started', 'conversion.progress', 'conversion.completed']);
	});

	it('retries an unacknowledged delivery after about 5 s and 25 s (scaled by speed), then marks it failed', async () => {
		simulator().setSpeed(100);
		const times: number[] = [];
		simulator().webhooks.addEndpoint({
			eventTypes: ['conversion.completed'],
			handler: async () => {
				times.push(Date.now());
				return { status: 500, body: 'oops' };
			},
		});
		simulator().addJob({ processingMs: 0 });
		await simulator().webhooks.idle();
		simulator().setSpeed(1);
		const [delivery] = simulator().webhooks.deliveries();
		expect(delivery.status).toBe('failed');
		expect(delivery.attempts.map((attempt) => attempt.httpStatus)).toEqual([500, 500, 500]);
		// Lower bounds only: timers never fire much early, but a busy machine may fire them late.
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(40);
		expect(times[2] - times[1]).toBeGreaterThanOrEqual(160);
	});

	it('a delivery retried after a dropped answer, and Convertly’s manual retry, start no second execution', async () => {
		simulator().setSpeed(100);
		const node = trigger();
		const seen: Delivery[] = [];
		const forward = into(node, seen);
		let calls = 0;
		simulator().webhooks.addEndpoint({
			secret: SECRET,
			eventTypes: ['conversion.completed'],
			handler: async (request) => {
				calls++;
				const answer = await forward(request);
				// n8n accepted the first one, but the answer never reached Convertly.
				if (calls === 1) throw new Error('socket hang up');
				return answer;
			},
		});
		simulator().addJob({ processingMs: 0 });
		await simulator().webhooks.idle();
		simulator().setSpeed(1);
		const [delivery] = simulator().webhooks.deliveries();
		expect(delivery.status).toBe('succeeded');
		expect(delivery.attemptCount).toBe(2);
		const retried = simulator().webhooks.redeliver(delivery.id);
		expect(retried).toBeDefined();
		await simulator().webhooks.idle();
		expect(seen.map((entry) => [entry.response.status, entry.started])).toEqual([
			[200, true],
			[200, false],
			[200, false],
		]);
		expect(node.runs).toHaveLength(1);
	});

	it.each([
		['tampered', 401],
		['reserialised', 401],
		['wrong-secret', 401],
		['stale', 401],
		['future', 401],
		['no-signature', 401],
		['malformed-signature', 401],
		['oversized', 413],
	] as const)('a forged delivery (%s) is refused with %i and starts nothing', async (kind, status) => {
		const node = trigger();
		const endpoint = simulator().webhooks.addEndpoint({ handler: into(node), secret: SECRET });
		const delivery = await simulator().webhooks.sendForged({ endpointId: endpoint.id, kind });
		expect(delivery.lastHttpStatus).toBe(status);
		expect(delivery.attemptCount).toBe(1);
		expect(node.runs).toHaveLength(0);
	});

	it('a replayed delivery (same bytes and headers) is refused as a repeat: one execution', async () => {
		const node = trigger();
		const endpoint = simulator().webhooks.addEndpoint({ handler: into(node), secret: SECRET, eventTypes: ['conversion.completed'] });
		simulator().addJob({ processingMs: 0 });
		await simulator().webhooks.idle();
		const replay = await simulator().webhooks.sendForged({ endpointId: endpoint.id, kind: 'replay' });
		expect(replay.lastHttpStatus).toBe(200);
		expect(node.runs).toHaveLength(1);
	});

	it('the dashboard’s test event starts one execution', async () => {
		const node = trigger();
		simulator().webhooks.addEndpoint({ handler: into(node), secret: SECRET });
		simulator().webhooks.sendTestEvent();
		await simulator().webhooks.idle();
		expect(node.runs).toHaveLength(1);
		expect(node.runs[0].items[0].json).toMatchObject({ type: 'conversion.completed', data: { test: true } });
	});

	it('with Fetch Job, the dashboard’s test event (job ID all zeros) is output with a note, not failed', async () => {
		const node = trigger({
			parameters: { fetchJob: true, downloadResults: true },
			apiCredentials: { apiKey: simulator().apiKey, baseUrl: simulator().url },
		});
		simulator().webhooks.addEndpoint({ handler: into(node), secret: SECRET });
		simulator().webhooks.sendTestEvent();
		await simulator().webhooks.idle();
		await until(() => node.runs.length >= 1);
		expect(node.runs[0].status).toBe('success');
		expect(node.runs[0].items[0].json).toMatchObject({
			type: 'conversion.completed',
			data: { jobId: '00000000-0000-0000-0000-000000000000', test: true },
			job: null,
			note: expect.stringContaining('test event'),
		});
		// No request for the job that does not exist.
		expect(simulator().requests()).toEqual([]);
	});

	it('Convertly’s delivery history API lists the attempts', async () => {
		simulator().webhooks.addEndpoint({ url: 'http://127.0.0.1:9/unreachable', eventTypes: ['conversion.completed'] });
		simulator().webhooks.emit('conversion.completed', { jobId: 'x', filename: 'y' });
		await until(() => simulator().webhooks.deliveries()[0]?.attemptCount === 1);
		const response = await fetch(`${simulator().url}/api/webhooks/deliveries?limit=25`, {
			headers: { authorization: `Bearer ${simulator().apiKey}` },
		});
		expect(response.status).toBe(200);
		const body = (await response.json()) as { deliveries: Array<Record<string, unknown>> };
		expect(body.deliveries[0]).toMatchObject({
			endpoint: 'http://127.0.0.1:9/unreachable',
			eventType: 'conversion.completed',
			httpStatus: 0,
			attemptCount: 1,
		});
		simulator().webhooks.reset();
	});

	describe('Download Results', () => {
		const bytes = [Buffer.from('first result file'), Buffer.from([0, 1, 2, 250, 251, 252])];

		it('attaches the job’s result files as binary data_0, data_1 …', async () => {
			const job = simulator().addJob({
				processingMs: 0,
				totalFiles: 2,
				results: [
					{ filename: 'a.txt', mimeType: 'text/plain', downloadUrl: `data:text/plain;base64,${bytes[0].toString('base64')}` },
					{ filename: 'b.bin', mimeType: 'application/octet-stream', downloadUrl: `data:application/octet-stream;base64,${bytes[1].toString('base64')}` },
				],
			});
			const node = trigger({
				parameters: { fetchJob: true, downloadResults: true },
				apiCredentials: { apiKey: simulator().apiKey, baseUrl: simulator().url },
			});
			const delivery = await node.deliver(signed(envelope('conversion.completed', { jobId: job.jobId })));
			expect(delivery.run?.status).toBe('success');
			const item = delivery.run?.items[0];
			expect(Object.keys(item?.binary ?? {})).toEqual(['data_0', 'data_1']);
			expect(item?.binary?.data_0).toMatchObject({ fileName: 'a.txt', mimeType: 'text/plain' });
			expect(await readBinary(item!.binary!.data_0)).toEqual(bytes[0]);
			expect(await readBinary(item!.binary!.data_1)).toEqual(bytes[1]);
			expect(item?.json.fileDownload).toEqual({ downloaded: 2 });
			expect(item?.json.job).toMatchObject({ jobId: job.jobId, status: 'completed' });
		});

		it('a failed job has nothing to download and says why', async () => {
			const job = simulator().addJob({ processingMs: 0, outcome: 'failed' });
			const node = trigger({
				parameters: { fetchJob: true, downloadResults: true },
				apiCredentials: { apiKey: simulator().apiKey, baseUrl: simulator().url },
			});
			const delivery = await node.deliver(signed(envelope('conversion.failed', { jobId: job.jobId })));
			expect(delivery.run?.status).toBe('success');
			expect(delivery.run?.items[0].binary ?? {}).toEqual({});
			expect(delivery.run?.items[0].json.fileDownload).toMatchObject({ downloaded: 0, note: expect.stringContaining('failed') });
		});
	});

	it('a per-job callback from Job → Create starts the trigger, which fetches the job and downloads its files', async () => {
		const node = trigger({
			parameters: { fetchJob: true, downloadResults: true },
			apiCredentials: { apiKey: simulator().apiKey, baseUrl: simulator().url },
		});
		const seen: Delivery[] = [];
		simulator().webhooks.routeCallbacks(into(node, seen));
		const created = await run(
			simulator(),
			{
				resource: 'job',
				operation: 'create',
				jobType: 'convert',
				binaryPropertyName: 'data',
				format: 'webp',
				options: { callbackUrl: 'https://n8n.example/webhook/convertly-callback', callbackSecret: SECRET },
			},
			{ items: [{ json: {}, binary: { data: { text: 'callback photo', fileName: 'photo.png', mimeType: 'image/png' } } }] },
		);
		expect(created.status).toBe('success');
		const jobId = String(created.items[0].json.jobId);
		await until(() => node.runs.length === 1);
		await simulator().webhooks.idle();

		const [callback] = simulator().webhooks.deliveries();
		expect(callback).toMatchObject({ kind: 'callback', eventType: 'conversion.completed', status: 'succeeded', attemptCount: 1 });
		expect(seen.map((delivery) => delivery.response.status)).toEqual([200]);
		const item = node.runs[0].items[0];
		expect(item.json).toMatchObject({ id: null, type: 'conversion.completed', data: { jobId, status: 'completed' } });
		expect(item.json.job).toMatchObject({ jobId, status: 'completed' });
		expect(await readBinary(item.binary!.data_0)).toEqual(deriveResult(Buffer.from('callback photo'), { jobType: 'convert', format: 'webp', compression: 82 }));
	});

	describe('Fetch Job errors', () => {
		it('an event without data.jobId fails the execution, after the delivery was acknowledged', async () => {
			const node = trigger({
				parameters: { fetchJob: true, events: ['workflow.completed'] },
				apiCredentials: { apiKey: simulator().apiKey, baseUrl: simulator().url },
			});
			const delivery = await node.deliver(signed({ id: 'evt_wf_1', type: 'workflow.completed', created: 1, data: { runId: 'r1' } }));
			expect(delivery.response.status).toBe(200);
			expect(delivery.run?.status).toBe('error');
			expect(delivery.run?.error?.message).toMatch(/has no data.jobId/);
		});

		it('an unknown job fails with the Convertly node’s message; with Continue On Fail it becomes an error item', async () => {
			const parameters = { fetchJob: true };
			const apiCredentials = { apiKey: simulator().apiKey, baseUrl: simulator().url };
			const failing = trigger({ parameters, apiCredentials });
			const failed = await failing.deliver(signed(envelope('conversion.completed', { jobId: 'no-such-job' })));
			expect(failed.run?.status).toBe('error');
			expect(failed.run?.error?.message).toMatch(/Job "no-such-job" was not found/);

			const tolerant = trigger({ parameters, apiCredentials, settings: { onError: 'continueRegularOutput' } });
			const continued = await tolerant.deliver(signed(envelope('conversion.completed', { jobId: 'no-such-job' })));
			expect(continued.run?.status).toBe('success');
			expect(continued.run?.items[0].json).toEqual({
				error: expect.stringMatching(/not found/),
				details: expect.objectContaining({ eventType: 'conversion.completed', jobId: 'no-such-job', httpCode: '404' }),
			});
			expect(continued.run?.items[0].pairedItem).toEqual({ item: 0 });

			const routed = trigger({ parameters, apiCredentials, settings: { onError: 'continueErrorOutput' } });
			const toErrorOutput = await routed.deliver(signed(envelope('conversion.completed', { jobId: 'no-such-job' })));
			expect(toErrorOutput.run?.status).toBe('success');
			expect(toErrorOutput.run?.outputs[0]).toEqual([]);
			// A trigger has no input item for n8n to merge in, so the event's facts are in details.
			expect(toErrorOutput.run?.outputs[1]?.[0].json).toEqual({
				error: expect.stringMatching(/not found/),
				details: expect.objectContaining({ eventId: expect.stringMatching(/^evt_/), eventType: 'conversion.completed', jobId: 'no-such-job' }),
			});
		});
	});

	it('neither the signing secret nor the API key appears in any answer, log line or item', () => {
		const haystack = serialise(
			everything.map(({ trigger: node, deliveries }) => ({
				logs: node.logs,
				deliveries: deliveries.map(({ response, run, webhookResult }) => ({ response, run, webhookResult })),
			})),
		);
		expect(haystack).not.toContain(SECRET);
		expect(haystack).not.toContain(simulator().apiKey);
	});
});
