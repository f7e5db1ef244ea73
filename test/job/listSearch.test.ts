import { jobLabel } from '../../nodes/Convertly/methods/listSearch/jobs';
import { Convertly } from '../../nodes/Convertly/Convertly.node';
import { listSearch } from '../../tools/engine';
import type { Simulator } from '../helpers';
import { useSimulator } from '../helpers';
import { listQueries, seedJobs } from './jobList';

/** The Job ID picker's list, through the same n8n-core path the editor's request takes. */
async function search(simulator: Simulator, filter?: string, paginationToken?: string, apiKey = simulator.apiKey, method = 'searchJobs') {
	return await listSearch({
		method,
		filter,
		paginationToken,
		parameters: { resource: 'job', operation: 'get', jobId: { __rl: true, mode: 'list', value: '' } },
		credentials: { apiKey, baseUrl: simulator.url },
	});
}

describe('Job ID → From List (listSearch "searchJobs")', () => {
	const simulator = useSimulator();

	it('names each job by type, status, files and creation time, with its ID as the value', async () => {
		const job = simulator().addJob({ jobType: 'compress', totalFiles: 3, processingMs: 0, createdAt: '2026-11-28T13:34:56.000Z' });
		simulator().addJob({ jobType: 'media_tool', tool: 'thumbnail', totalFiles: 1, processingMs: null, createdAt: '2026-11-28T09:05:00.000Z' });
		const { results, paginationToken } = await search(simulator());
		expect(results).toEqual([
			{ name: 'compress · completed · 3 files · 2026-11-28 13:34 UTC', value: job.jobId, description: job.jobId },
			// The list's job summaries carry no tool name; the type alone names it.
			expect.objectContaining({ name: 'media tool · processing · 1 file · 2026-11-28 09:05 UTC' }),
		]);
		expect(paginationToken).toBeUndefined();
	});

	it('pages through the account with a text token, newest first, each job once', async () => {
		const ids = seedJobs(simulator(), 120);
		const first = await search(simulator());
		expect(first.results.map((result) => result.value)).toEqual(ids.slice(0, 50));
		expect(first.paginationToken).toBe('50');
		const second = await search(simulator(), undefined, first.paginationToken as string);
		expect(second.results.map((result) => result.value)).toEqual(ids.slice(50, 100));
		const third = await search(simulator(), undefined, second.paginationToken as string);
		expect(third.results.map((result) => result.value)).toEqual(ids.slice(100));
		expect(third.paginationToken).toBeUndefined();
		expect(listQueries(simulator())).toEqual([
			{ limit: '50', offset: '0' },
			{ limit: '50', offset: '50' },
			{ limit: '50', offset: '100' },
		]);
	});

	it('a status as search text is sent to Convertly as the status filter', async () => {
		seedJobs(simulator(), 4);
		const failed = seedJobs(simulator(), 2, { outcome: 'failed', offsetMinutes: 30 });
		const { results } = await search(simulator(), ' Failed ');
		expect(results.map((result) => result.value)).toEqual(failed);
		expect(listQueries(simulator())).toEqual([{ limit: '50', offset: '0', status: 'failed' }]);
	});

	it('other text keeps jobs whose ID starts with it or whose type contains it', async () => {
		const converts = seedJobs(simulator(), 3);
		const compress = simulator().addJob({ jobId: 'ffff0000-1111-4222-8333-444455556666', jobType: 'compress', processingMs: 0, createdAt: '2026-11-27T00:00:00.000Z' });
		expect((await search(simulator(), 'compr')).results.map((result) => result.value)).toEqual([compress.jobId]);
		expect((await search(simulator(), 'FFFF00')).results.map((result) => result.value)).toEqual([compress.jobId]);
		expect((await search(simulator(), converts[1].slice(0, 8))).results.map((result) => result.value)).toEqual([converts[1]]);
		expect((await search(simulator(), 'no-such-job')).results).toEqual([]);
	});

	it('a search reads several pages to find enough matches, then hands out a token for the rest', async () => {
		// 250 convert jobs, with a compress job every 10th: 25 matches spread over three pages.
		const compress: string[] = [];
		for (let index = 0; index < 250; index++) {
			const job = simulator().addJob({
				jobType: index % 10 === 0 ? 'compress' : 'convert',
				processingMs: 0,
				createdAt: new Date(Date.parse('2026-11-28T12:00:00.000Z') - index * 60_000).toISOString(),
			});
			if (index % 10 === 0) compress.push(job.jobId);
		}
		const first = await search(simulator(), 'compress');
		// Pages of 100 until at least 20 match: pages 1 and 2 give 20.
		expect(first.results.map((result) => result.value)).toEqual(compress.slice(0, 20));
		expect(first.paginationToken).toBe('200');
		const rest = await search(simulator(), 'compress', first.paginationToken as string);
		expect(rest.results.map((result) => result.value)).toEqual(compress.slice(20));
		expect(rest.paginationToken).toBeUndefined();
		expect(listQueries(simulator()).map((query) => query.offset)).toEqual(['0', '100', '200']);
	});

	it('a rejected key fails with the node’s own message, which the picker shows', async () => {
		await expect(search(simulator(), undefined, undefined, 'cvly_wrong_key')).rejects.toThrow(/Convertly rejected the API key/);
	});

	describe('labels', () => {
		it('add the first file’s name where the listed job carries one, cut to 40 characters', () => {
			const base = { jobId: 'a755a89a-3a63-4f3e-88ff-7fef50d42d7d', jobType: 'convert', status: 'completed', totalFiles: 2, createdAt: '2026-11-28T13:34:56.000Z' };
			expect(jobLabel({ ...base, results: [{ filename: 'photo.webp' }, { filename: 'b.webp' }] })).toBe('convert · completed · 2 files · photo.webp · 2026-11-28 13:34 UTC');
			expect(jobLabel({ ...base, filename: `${'x'.repeat(50)}.png` })).toBe(`convert · completed · 2 files · ${'x'.repeat(39)}… · 2026-11-28 13:34 UTC`);
			// Convertly's list summaries carry no file names: nothing is made up.
			expect(jobLabel(base)).toBe('convert · completed · 2 files · 2026-11-28 13:34 UTC');
			expect(jobLabel({ ...base, jobType: 'media_tool', tool: 'thumbnail' })).toBe('media tool (thumbnail) · completed · 2 files · 2026-11-28 13:34 UTC');
		});
	});

	describe('Job → Cancel’s picker (listSearch "searchCancellableJobs")', () => {
		it('is the Cancel Job ID’s list method; Get keeps searchJobs', () => {
			const locators = new Convertly().description.properties.filter((property) => property.name === 'jobId');
			const methodOf = (operation: string) =>
				locators.find((property) => property.displayOptions?.show?.operation?.includes(operation))?.modes?.[0].typeOptions?.searchListMethod;
			expect(methodOf('cancel')).toBe('searchCancellableJobs');
			expect(methodOf('get')).toBe('searchJobs');
		});

		it('lists only pending jobs, asked of Convertly with the status filter, and searches among them', async () => {
			simulator().addJob({ jobType: 'convert', processingMs: 0, ageMs: 2000 });
			const pending = simulator().addJob({ jobType: 'compress', pendingMs: 600_000, ageMs: 1000 });
			const pendingConvert = simulator().addJob({ jobType: 'convert', pendingMs: 600_000, ageMs: 3000 });
			const all = await search(simulator(), undefined, undefined, simulator().apiKey, 'searchCancellableJobs');
			expect(all.results.map((result) => result.value)).toEqual([pending.jobId, pendingConvert.jobId]);
			expect(all.results[0].name).toMatch(/^compress · pending · 1 file · \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
			const compress = await search(simulator(), 'compr', undefined, simulator().apiKey, 'searchCancellableJobs');
			expect(compress.results.map((result) => result.value)).toEqual([pending.jobId]);
			expect(listQueries(simulator()).every((query) => query.status === 'pending')).toBe(true);
		});
	});
});
