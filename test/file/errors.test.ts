// Storage: Stop, Continue On Fail and what a user gets wrong, through n8n's engine.
import { sleep } from 'n8n-workflow';

import { makePng } from '../../simulator';
import type { InputItem } from '../../tools/engine';
import { storedBinaryFiles } from '../../tools/engine';
import { run, start, stopNow, until, useSimulator } from '../helpers';

const PHOTO = Buffer.from(makePng(40, 30, { seed: 'stop' })).toString('base64');
const item = (fileName: string): InputItem => ({ json: {}, binary: { data: { base64: PHOTO, fileName, mimeType: 'image/png' } } });
const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });

describe('Storage: Stop and failures', () => {
	const simulator = useSimulator();

	it('Stop during a large upload’s PUT: ends at once, nothing stored, no request after it', async () => {
		simulator().addFault({ origin: 'storage', method: 'PUT', delayMs: 2000 });
		const running = start(simulator(), { resource: 'file', operation: 'upload' }, {
			items: [{ json: {}, binary: { data: { sizeBytes: 9 * 1024 * 1024, fileName: 'big.bin', mimeType: 'application/octet-stream' } } }],
		});
		await until(() => simulator().uploadRecords().length > 0);
		await sleep(100);
		const { result, stoppedAt, tookMs } = await stopNow(running);
		expect(tookMs).toBeLessThan(1000);
		expect(result.status).not.toBe('success');
		await sleep(2200);
		expect(simulator().storedFiles()).toEqual([]);
		expect(simulator().uploadRecords()[0].completeCalls).toBe(0);
		expect(simulator().requests().filter((request) => request.at > stoppedAt)).toEqual([]);
	});

	it('Stop during an archive download: no half-written file in n8n’s store', async () => {
		const folder = simulator().seedFolder('Big');
		simulator().seedFiles(3, { folderId: folder.id, sizeBytes: 2 * 1024 * 1024 });
		simulator().addFault({ path: '/api/files/zip', method: 'POST', delayMs: 1500 });
		const running = start(simulator(), { resource: 'file', operation: 'archive', folderId: byId(folder.id) });
		await until(() => simulator().requests().some((request) => request.path === '/api/files/zip'));
		const { result, tookMs } = await stopNow(running);
		expect(tookMs).toBeLessThan(1000);
		expect(result.status).not.toBe('success');
		await sleep(200);
		expect((await storedBinaryFiles(running.executionId)).filter((file) => file.includes('.tmp'))).toEqual([]);
	});

	it('Continue On Fail: a missing file becomes an error item, the others are read', async () => {
		await run(simulator(), { resource: 'file', operation: 'upload' }, { items: [item('a.png')] });
		const [stored] = simulator().storedFiles();
		const result = await run(
			simulator(),
			{ resource: 'file', operation: 'get', fileId: '={{ $json.id }}' },
			{ continueOnFail: true, items: [{ id: stored.id }, { id: '8d2b4c47-0000-4000-8000-00000000dead' }, { id: stored.id }] },
		);
		expect(result.items.map((output) => output.json.filename ?? output.json.error)).toEqual([
			'a.png',
			'File "8d2b4c47-0000-4000-8000-00000000dead" was not found: File not found.',
			'a.png',
		]);
		expect(result.items.map((output) => output.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('an empty File, or File IDs and a Folder together, are refused before any request', async () => {
		const empty = await run(simulator(), { resource: 'file', operation: 'get', fileId: '={{ "" }}' });
		expect(empty.error?.message).toBe('The File is empty');
		const both = await run(simulator(), { resource: 'file', operation: 'archive', fileIds: 'a,b', folderId: byId('f1') });
		expect(both.error?.message).toBe('Give File IDs or a Folder, not both');
		expect(simulator().requests()).toEqual([]);
	});
});
