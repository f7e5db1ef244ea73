// Media Tool: what a user can get wrong or meet, through n8n's engine against the simulator.
import { sleep } from 'n8n-workflow';

import { makePng } from '../../simulator';
import type { InputFile, InputItem } from '../../tools/engine';
import { storedBinaryFiles } from '../../tools/engine';
import { run, start, stopNow, until, useSimulator } from '../helpers';

const PHOTO = Buffer.from(makePng(320, 240, { seed: 'err' })).toString('base64');
const photo = (fileName = 'photo.png'): InputFile => ({ base64: PHOTO, fileName, mimeType: 'image/png' });
const item = (binary: Record<string, InputFile>): InputItem => ({ json: {}, binary });
const tool = (operation: string, extra: Record<string, unknown> = {}) => ({ resource: 'mediaTool', operation, ...extra });
type Failure = { message: string; description?: string; httpCode?: string; context?: { itemIndex?: number } };

describe('Media Tool errors', () => {
	const simulator = useSimulator();
	const failure = (result: Awaited<ReturnType<typeof run>>) => {
		expect(result.status).toBe('error');
		return result.error as unknown as Failure;
	};

	it('400: Convertly’s text names the field', async () => {
		const error = failure(await run(simulator(), tool('thumbnail', { options: { quality: 0 } }), { items: [item({ data: photo() })] }));
		expect(error.message).toMatch(/^Convertly rejected the request: .*quality/);
		expect(error.httpCode).toBe('400');
	});

	it('403: a tool locked on the plan, with the upgrade link', async () => {
		simulator().setPlan({ lockedTools: ['remove-background'], upgradeUrl: 'https://convertly.sh/upgrade' });
		const error = failure(await run(simulator(), tool('removeBackground'), { items: [item({ data: photo() })] }));
		expect(error.message).toBe('Convertly refused access: The remove-background tool is not available on your plan.');
		expect(error.description).toContain('https://convertly.sh/upgrade');
	});

	it('413: names the file and its size', async () => {
		simulator().setPlan({ maxFileSizeBytes: 1000 });
		const error = failure(await run(simulator(), tool('thumbnail'), { items: [item({ data: { sizeBytes: 50_000, fileName: 'big.png', mimeType: 'image/png' } })] }));
		expect(error.message).toMatch(/^The file is too large for your Convertly plan \("big.png", 48.8 KB, image\/png\)/);
	});

	it('415: a file the tool cannot use (a PDF to Create GIF) gets Convertly’s answer, naming the file and type', async () => {
		const error = failure(
			await run(simulator(), tool('gif'), { items: [item({ data: { text: '%PDF-1.4', fileName: 'doc.pdf', mimeType: 'application/pdf' } })] }),
		);
		expect(error.message).toMatch(/^Convertly cannot process this type of file \("doc.pdf", 8 B, application\/pdf\): The gif tool does not take/);
	});

	it('a missing binary field lists the fields the item has; a second field on a one-file tool is refused', async () => {
		const missing = failure(await run(simulator(), tool('thumbnail', { binaryPropertyName: 'image' }), { items: [item({ data: photo(), other: photo() })] }));
		expect(missing.message).toBe('The item has no binary field "image"');
		expect(missing.description).toContain('Its binary fields are: data, other.');
		const several = failure(await run(simulator(), tool('thumbnail', { binaryPropertyName: 'data,other' }), { items: [item({ data: photo(), other: photo() })] }));
		expect(several.message).toBe('This tool takes one file, but Input Binary Field names several');
		expect(simulator().mediaRequests()).toEqual([]);
	});

	it('a watermark without text or logo is refused before any request', async () => {
		const error = failure(await run(simulator(), tool('watermark'), { items: [item({ data: photo() })] }));
		expect(error.message).toBe('A watermark needs a text or a logo');
		expect(simulator().mediaRequests()).toEqual([]);
	});

	it('Continue On Fail: the bad item becomes an error item, the others get their files', async () => {
		const result = await run(simulator(), tool('thumbnail'), {
			continueOnFail: true,
			items: [item({ data: photo('a.png') }), { json: {} }, item({ data: photo('c.png') })],
		});
		expect(result.status).toBe('success');
		expect(result.items.map((output) => output.binary?.data?.fileName ?? output.json.error)).toEqual([
			'a-thumbnail.jpg',
			'The item has no binary field "data"',
			'c-thumbnail.jpg',
		]);
		expect(result.items.map((output) => output.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	describe('Stop', () => {
		it('during an upload: ends at once, no request after it', async () => {
			simulator().addFault({ path: '/api/media/trim', method: 'POST', delayMs: 1500 });
			const running = start(simulator(), tool('trim'), {
				items: [item({ data: { sizeBytes: 8 * 1024 * 1024, fileName: 'long.mp4', mimeType: 'video/mp4' } })],
			});
			await until(() => simulator().requests().some((request) => request.method === 'POST'));
			const { result, stoppedAt, tookMs } = await stopNow(running);
			expect(tookMs).toBeLessThan(1000);
			expect(result.status).not.toBe('success');
			await sleep(1700);
			expect(simulator().requests().filter((request) => request.at > stoppedAt)).toEqual([]);
		});

		it('during a download: ends at once, no half-written file', async () => {
			simulator().addFault({ path: '/files/', delayMs: 3000, origin: 'api' });
			const running = start(simulator(), tool('thumbnail'), { items: [item({ data: photo() })] });
			await until(() => simulator().requests().some((request) => request.path.startsWith('/files/')));
			expect(simulator().requests().some((request) => request.path.startsWith('/files/'))).toBe(true);
			const { result, stoppedAt, tookMs } = await stopNow(running);
			expect(tookMs).toBeLessThan(1000);
			expect(result.status).not.toBe('success');
			await sleep(200);
			// The input file is stored under the execution too; nothing half-written beside it.
			expect((await storedBinaryFiles(running.executionId)).filter((file) => file.includes('.tmp'))).toEqual([]);
			expect(simulator().requests().filter((request) => request.at > stoppedAt)).toEqual([]);
		});
	});
});
