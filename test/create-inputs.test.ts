import type { InputItem } from '../tools/engine';
import { run, useSimulator } from './helpers';

const createParameters = (extra: Record<string, unknown> = {}) => ({
	resource: 'job',
	operation: 'create',
	jobType: 'convert',
	binaryPropertyName: 'data',
	format: 'webp',
	...extra,
});
const file = (text: string) => ({ text, fileName: `${text}.png`, mimeType: 'image/png' });
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
