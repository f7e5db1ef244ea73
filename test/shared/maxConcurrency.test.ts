import { Semaphore } from '../../nodes/Convertly/transport/semaphore';
import { mapInPool } from '../../nodes/Convertly/helpers/pool';
import { createJobParameters, getJobParameters, run, useSimulator } from '../helpers';

const createParameters = createJobParameters;
const photo = { json: {}, binary: { data: { text: 'photo', fileName: 'photo.png', mimeType: 'image/png' } } };

// Issue 18: a Max Concurrency that is not a whole number from 1 to 50 used to give an empty
// success (no worker started) or, with Wait for Completion, an execution that never ended.
describe('Options → Max Concurrency that is not a whole number from 1 to 50', () => {
	const simulator = useSimulator();

	const invalid: Array<[string, unknown, string]> = [
		['text from an expression', '={{ "abc" }}', '"abc"'],
		['undefined from an expression', '={{ $json.missing }}', 'undefined'],
		['an empty expression', '={{ "" }}', '""'],
		['NaN from an expression', '={{ NaN }}', 'NaN'],
		['null from an expression', '={{ null }}', 'null'],
		['0', 0, '0'],
		['51', 51, '51'],
		['2.5', 2.5, '2.5'],
		['2.5 from an expression', '={{ 2.5 }}', '2.5'],
		['a fraction as text', '={{ "2.5" }}', '"2.5"'],
		['a negative number as text', '={{ "-3" }}', '"-3"'],
	];

	it.each(invalid)('Job → Get fails the node naming %s, and sends no request', async (_name, value, shown) => {
		const job = simulator().addJob({ processingMs: 0 });
		const result = await run(simulator(), getJobParameters(job.jobId, { options: { maxConcurrency: value } }), {
			items: [{}, {}],
		});
		expect(result.status).toBe('error');
		expect(result.items).toEqual([]);
		expect(result.error?.message).toBe(`Max Concurrency must be a whole number from 1 to 50, not ${shown}`);
		expect(result.error?.description).toMatch(/Options → Max Concurrency, or the expression behind it/);
		expect(simulator().requests()).toEqual([]);
	});

	it.each(invalid)('Job → Create with Wait for Completion fails fast for %s, and uploads nothing', async (_name, value, shown) => {
		const started = Date.now();
		const result = await run(
			simulator(),
			createParameters({ waitForCompletion: true, waitOptions: { pollInterval: 1, timeout: 30 }, options: { maxConcurrency: value } }),
			{ items: [photo, photo] },
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(`Max Concurrency must be a whole number from 1 to 50, not ${shown}`);
		expect(simulator().requests()).toEqual([]);
		expect(simulator().jobsCreated()).toBe(0);
		expect(Date.now() - started).toBeLessThan(3000);
	});

	it('Job → Get with Wait for Completion fails fast too (it used to wait forever on a NaN capacity)', async () => {
		const job = simulator().addJob({ processingMs: 0 });
		const started = Date.now();
		const result = await run(
			simulator(),
			getJobParameters(job.jobId, { waitForCompletion: true, waitOptions: { pollInterval: 1, timeout: 30 }, options: { maxConcurrency: '={{ "abc" }}' } }),
		);
		expect(result.error?.message).toBe('Max Concurrency must be a whole number from 1 to 50, not "abc"');
		expect(simulator().requests()).toEqual([]);
		expect(Date.now() - started).toBeLessThan(3000);
	});

	it.each<[string, unknown]>([
		['1', 1],
		['50', 50],
		['digits from an expression ("5")', '={{ "5" }}'],
		['a number from an expression', '={{ 3 }}'],
		['the default (option not set)', undefined],
	])('accepts %s', async (_name, value) => {
		const jobs = [1, 2, 3].map(() => simulator().addJob({ processingMs: 0 }));
		const options = value === undefined ? {} : { maxConcurrency: value };
		const result = await run(simulator(), getJobParameters('={{ $json.id }}', { options }), {
			items: jobs.map((job) => ({ id: job.jobId })),
		});
		expect(result.status).toBe('success');
		expect(result.items.map((item) => item.json.jobId)).toEqual(jobs.map((job) => job.jobId));
	});

	describe('second line of defence', () => {
		it.each([NaN, Infinity, -Infinity, 0, -1, undefined as unknown as number])('a Semaphore refuses the capacity %p instead of never granting', (capacity) => {
			expect(() => new Semaphore(capacity)).toThrow(RangeError);
		});

		it('a Semaphore of 2.5 admits two at a time', async () => {
			const semaphore = new Semaphore(2.5);
			let running = 0;
			let most = 0;
			const task = async () => {
				running++;
				most = Math.max(most, running);
				await Promise.resolve();
				await Promise.resolve();
				running--;
			};
			await Promise.all([1, 2, 3, 4, 5].map(async () => await semaphore.run(task)));
			expect(most).toBe(2);
		});

		it.each([NaN, 0, 2.5, Infinity])('mapInPool refuses %p workers instead of returning nothing', async (size) => {
			await expect(mapInPool(3, size, async (index) => index)).rejects.toThrow(RangeError);
		});

		it('mapInPool maps every index in order', async () => {
			await expect(mapInPool(5, 2, async (index) => index * 10)).resolves.toEqual([0, 10, 20, 30, 40]);
		});
	});
});
