import { runConvertly } from '../../tools/engine';
import type { InputItem } from '../../tools/engine';
import { createJobParameters, run, useSimulator } from '../helpers';

const createParameters = createJobParameters;
const file = (text: string, inMemory = false) => ({ text, fileName: `${text}.png`, mimeType: 'image/png', ...(inMemory ? { inMemory } : {}) });
const item = (binary: Record<string, ReturnType<typeof file>>): InputItem => ({ json: {}, binary });

describe('Job → Create: Input Binary Field(s) naming a field twice (issue 18)', () => {
	const simulator = useSimulator();

	it.each([
		['data,data', 'data'],
		['data, data ', 'data'],
		[' attachment ,data,attachment', 'attachment'],
	])('"%s" fails naming the field and uploads nothing', async (fields, duplicate) => {
		const result = await run(simulator(), createParameters({ binaryPropertyName: fields }), {
			items: [item({ data: file('one'), attachment: file('two') })],
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(`Input Binary Field(s) names "${duplicate}" twice`);
		expect(result.error?.description).toMatch(/^List each binary field once/);
		expect(simulator().requests().filter((request) => request.method === 'POST')).toEqual([]);
		expect(simulator().jobsCreated()).toBe(0);
	});

	it('with One Job for All Items too, where the same field in different items is fine', async () => {
		const items = [item({ data: file('one') }), item({ data: file('two') })];
		const twice = await run(simulator(), createParameters({ binaryPropertyName: 'data, data', options: { batching: 'allItems' } }), { items });
		expect(twice.error?.message).toBe('Input Binary Field(s) names "data" twice');
		expect(simulator().requests()).toEqual([]);

		const once = await run(simulator(), createParameters({ options: { batching: 'allItems' } }), { items });
		expect(once.status).toBe('success');
		expect(simulator().createRequests()[0].files.map((part) => part.filename)).toEqual(['one.png', 'two.png']);
	});

	it('with Continue On Fail the item becomes an error item and the others are still sent', async () => {
		const result = await run(simulator(), createParameters({ binaryPropertyName: '={{ $json.fields }}' }), {
			items: [
				{ json: { fields: 'data,data' }, binary: { data: file('twice') } },
				{ json: { fields: 'data' }, binary: { data: file('once') } },
			],
			continueOnFail: true,
		});
		expect(result.items.map((entry) => entry.json.error ?? entry.json.status)).toEqual(['Input Binary Field(s) names "data" twice', 'pending']);
		expect(simulator().createRequests().map((request) => request.files.map((part) => part.filename))).toEqual([['once.png']]);
	});
});

describe('Job → Create: the default Idempotency-Key for files n8n holds in memory (issue 18)', () => {
	const simulator = useSimulator();
	const keys = () => simulator().createRequests().map((request) => request.idempotencyKey);

	it('two executions with the same in-memory bytes make two jobs, as two runs reading a stored file anew do', async () => {
		for (const inMemory of [true, false]) {
			simulator().reset();
			const first = await run(simulator(), createParameters(), { items: [item({ data: file('same bytes', inMemory) })] });
			const second = await run(simulator(), createParameters(), { items: [item({ data: file('same bytes', inMemory) })] });
			expect([first.status, second.status]).toEqual(['success', 'success']);
			// Both uploads carried the whole file.
			expect(simulator().createRequests().map((request) => request.files[0].size)).toEqual([10, 10]);
			expect(keys()).toHaveLength(2);
			expect(keys()[0]).toMatch(/^n8n-[0-9a-f]{64}$/);
			expect(keys()[0]).not.toBe(keys()[1]);
			expect(simulator().jobsCreated()).toBe(2);
			expect(first.items[0].json.jobId).not.toBe(second.items[0].json.jobId);
		}
	});

	it.each([true, false])('in memory: %p — a 503 then success within one execution sends the same key twice and makes one job', async (inMemory) => {
		simulator().addFault({ path: '/api/jobs', method: 'POST', status: 503 });
		const result = await run(simulator(), createParameters(), { items: [item({ data: file('busy once', inMemory) })] });
		expect(result.status).toBe('success');
		const posts = simulator().requests().filter((request) => request.method === 'POST');
		expect(posts.map((request) => request.status)).toEqual([503, 200]);
		expect(new Set(posts.map((request) => request.headers['idempotency-key'])).size).toBe(1);
		expect(simulator().jobsCreated()).toBe(1);
	});

	it('in memory: an answer lost after the job was created is retried with the same key and gets that job back', async () => {
		simulator().addFault({ path: '/api/jobs', method: 'POST', dropAfterUpload: true });
		const result = await run(simulator(), createParameters(), { items: [item({ data: file('lost answer', true) })] });
		expect(result.status).toBe('success');
		const creates = simulator().createRequests();
		expect(creates).toHaveLength(2);
		expect(creates[0].idempotencyKey).toBe(creates[1].idempotencyKey);
		expect(creates[1].reused).toBe(true);
		expect(simulator().jobsCreated()).toBe(1);
	});

	it('in memory: n8n’s Retry On Fail within one execution sends the same key again', async () => {
		// A refused upload is not retried by the node; n8n's Retry On Fail runs the node again.
		simulator().addFault({ path: '/api/jobs', method: 'POST', status: 400, body: { error: 'try again' } });
		const result = await runConvertly({
			parameters: createParameters(),
			credentials: { apiKey: simulator().apiKey, baseUrl: simulator().url },
			items: [item({ data: file('retry on fail', true) })],
			settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 10 },
		}).done;
		expect(result.status).toBe('success');
		const posts = simulator().requests().filter((request) => request.method === 'POST');
		expect(posts.map((request) => request.status)).toEqual([400, 200]);
		expect(posts[0].headers['idempotency-key']).toBe(posts[1].headers['idempotency-key']);
		expect(simulator().jobsCreated()).toBe(1);
	});

	it('in memory: two items with the same bytes in one execution are two jobs (the item position is in the key)', async () => {
		await run(simulator(), createParameters(), { items: [item({ data: file('twin', true) }), item({ data: file('twin', true) })] });
		expect(new Set(keys()).size).toBe(2);
		expect(simulator().jobsCreated()).toBe(2);
	});
});
