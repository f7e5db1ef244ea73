// File, Folder and Transfer through n8n's engine against the simulator's Convertly Storage.
import type { IBinaryData } from 'n8n-workflow';

import { makePng } from '../../simulator';
import { startFileServer } from '../../tools/fileserver';
import type { InputFile, InputItem } from '../../tools/engine';
import { listSearch, readBinary } from '../../tools/engine';
import { run, useSimulator } from '../helpers';

const PHOTO = Buffer.from(makePng(120, 80, { seed: 'stored' }));
const photo = (fileName = 'photo.png'): InputFile => ({ base64: PHOTO.toString('base64'), fileName, mimeType: 'image/png' });
const item = (binary: Record<string, InputFile>): InputItem => ({ json: {}, binary });
const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
const file = (operation: string, extra: Record<string, unknown> = {}) => ({ resource: 'file', operation, ...extra });

describe('File', () => {
	const simulator = useSimulator();

	describe('upload', () => {
		it('a small file: one multipart request into the folder picked, the stored record out', async () => {
			const folder = simulator().seedFolder('Clients');
			const result = await run(simulator(), file('upload', { folderId: byId(folder.id) }), { items: [item({ data: photo() })] });
			expect(result.error?.message).toBeUndefined();
			const [stored] = simulator().storedFiles();
			expect(stored).toMatchObject({ filename: 'photo.png', folderId: folder.id, origin: 'upload', sizeBytes: PHOTO.length });
			expect(result.items[0].json).toMatchObject({ id: stored.id, filename: 'photo.png', folder_id: folder.id });
			expect(simulator().storedFileBytes(stored.id)).toEqual(PHOTO);
		});

		it('a large file: three steps, the bytes at the storage origin without the key, one stored file', async () => {
			const size = 9 * 1024 * 1024;
			const result = await run(simulator(), file('upload'), { items: [item({ data: { sizeBytes: size, fileName: 'big.mov', mimeType: 'video/quicktime' } })] });
			expect(result.error?.message).toBeUndefined();
			const [upload] = simulator().uploadRecords();
			expect(upload.puts).toHaveLength(1);
			expect(upload.puts[0]).toMatchObject({ withKey: false, bytesReceived: size });
			expect(upload.keyAtStorage).toBe(false);
			expect(upload.completeCalls).toBe(1);
			expect(simulator().storedFiles()).toHaveLength(1);
			expect(result.items[0].json).toMatchObject({ id: upload.fileId, filename: 'big.mov', size_bytes: size });
		});

		it('a lost answer on complete is repeated and still gives one file', async () => {
			simulator().addFault({ path: '/api/uploads/complete', method: 'POST', status: 503 });
			const result = await run(simulator(), file('upload'), { items: [item({ data: { sizeBytes: 9 * 1024 * 1024, fileName: 'big.bin', mimeType: 'application/octet-stream' } })] });
			expect(result.error?.message).toBeUndefined();
			expect(simulator().storedFiles()).toHaveLength(1);
		});

		it('413 names the file and its size', async () => {
			simulator().setPlan({ maxFileSizeBytes: 100 });
			const result = await run(simulator(), file('upload'), { items: [item({ data: photo('huge.png') })] });
			expect(result.error?.message).toMatch(/^The file is too large for your Convertly plan \("huge.png", /);
		});

		it('a full storage: 403 with the upgrade link', async () => {
			simulator().setPlan({ storageLimitBytes: 10, upgradeUrl: 'https://convertly.sh/upgrade' });
			const result = await run(simulator(), file('upload'), { items: [item({ data: photo() })] });
			expect(result.error?.message).toBe('Convertly refused access: Storage limit reached.');
			expect((result.error as unknown as { description: string }).description).toContain('https://convertly.sh/upgrade');
		});
	});

	describe('get', () => {
		it('the record, and with Download the bytes in data (through a signed link, no key there)', async () => {
			const [stored] = simulator().seedFiles(1);
			await run(simulator(), file('upload'), { items: [item({ data: photo('real.png') })] });
			const real = simulator().storedFiles().find((entry) => entry.filename === 'real.png') ?? stored;
			const result = await run(simulator(), file('get', { fileId: byId(real.id), download: true }));
			expect(result.items[0].json).toMatchObject({ id: real.id, filename: 'real.png' });
			const binary = result.items[0].binary?.data as IBinaryData;
			expect(binary).toMatchObject({ fileName: 'real.png', mimeType: 'image/png' });
			expect(await readBinary(binary)).toEqual(PHOTO);
		});

		it('404 names the file', async () => {
			const result = await run(simulator(), file('get', { fileId: byId('8d2b4c47-0000-4000-8000-000000000000') }));
			expect(result.error?.message).toBe('File "8d2b4c47-0000-4000-8000-000000000000" was not found: File not found.');
		});
	});

	describe('get many and search', () => {
		it('Return All pages through 250 files in 3 requests, one item per file as listed', async () => {
			simulator().seedFiles(250);
			const result = await run(simulator(), file('getAll', { returnAll: true }));
			expect(result.items).toHaveLength(250);
			const lists = simulator().requests().filter((request) => request.path.startsWith('/api/files'));
			expect(lists).toHaveLength(3);
			expect(result.items[0].json).toHaveProperty('mime_type');
		});

		it('a Limit asks for no more than that, with the folder and filters as sent', async () => {
			const folder = simulator().seedFolder('Shots');
			simulator().seedFiles(40, { folderId: folder.id });
			const result = await run(simulator(), file('getAll', { limit: 30, folderId: byId(folder.id), filters: { mimePrefix: 'image/' } }));
			expect(result.items).toHaveLength(30);
			const [request] = simulator().requests().filter((entry) => entry.path.startsWith('/api/files'));
			const query = new URL(`http://x${request.path}`).searchParams;
			expect(Object.fromEntries(query)).toEqual({ folderId: folder.id, mimePrefix: 'image/', limit: '30', offset: '0' });
		});

		it('search by text and tags; Facets add one more item with the counts', async () => {
			await run(simulator(), file('upload'), { items: [item({ data: photo('red-shoe.png') }), item({ data: photo('blue-hat.png') })] });
			const [shoe] = simulator().storedFiles().filter((entry) => entry.filename === 'red-shoe.png');
			await run(simulator(), file('update', { fileId: byId(shoe.id), updateFields: { tags: ['shoe', 'red'] } }));
			const result = await run(simulator(), file('search', { q: 'shoe', filters: { tags: 'red, shoe', tagMode: 'all' }, options: { facets: ['tags'] } }));
			expect(result.items.map((output) => output.json.filename ?? 'facets')).toEqual(['red-shoe.png', 'facets']);
			expect(result.items[1].json).toMatchObject({ total: 1, facets: { tags: expect.any(Array) } });
		});
	});

	describe('update, delete', () => {
		it('only the fields set are sent', async () => {
			await run(simulator(), file('upload'), { items: [item({ data: photo() })] });
			const [stored] = simulator().storedFiles();
			const result = await run(simulator(), file('update', { fileId: byId(stored.id), updateFields: { description: 'Hero shot' } }));
			expect(result.items[0].json).toMatchObject({ id: stored.id, description: 'Hero shot', filename: 'photo.png' });
			expect(simulator().storedFiles()[0]).toMatchObject({ description: 'Hero shot', tags: [] });
		});

		it('a duplicate CDN slug: Convertly’s 409 reaches the user', async () => {
			await run(simulator(), file('upload'), { items: [item({ data: photo('a.png') }), item({ data: photo('b.png') })] });
			const [first, second] = simulator().storedFiles();
			await run(simulator(), file('update', { fileId: byId(first.id), updateFields: { cdnSlug: 'hero' } }));
			const result = await run(simulator(), file('update', { fileId: byId(second.id), updateFields: { cdnSlug: 'hero' } }));
			expect(result.error?.message).toMatch(/^Convertly rejected the request \(HTTP 409\)/);
		});

		it('delete; a file already gone fails saying so, or counts as deleted when asked', async () => {
			await run(simulator(), file('upload'), { items: [item({ data: photo() })] });
			const [stored] = simulator().storedFiles();
			const deleted = await run(simulator(), file('delete', { fileId: byId(stored.id) }));
			expect(deleted.items[0].json).toMatchObject({ id: stored.id, deleted: true });
			expect(simulator().storedFiles()).toEqual([]);
			const again = await run(simulator(), file('delete', { fileId: byId(stored.id) }));
			expect(again.error?.message).toMatch(/^File ".*" was not found: it may already be deleted/);
			const tolerated = await run(simulator(), file('delete', { fileId: byId(stored.id), options: { ifAlreadyDeleted: 'output' } }));
			expect(tolerated.items[0].json).toEqual({ id: stored.id, deleted: true, alreadyDeleted: true });
		});
	});

	describe('run tool, AI tags, archive', () => {
		it('a media tool on a stored file: the new stored file, and its bytes with Download Result', async () => {
			await run(simulator(), file('upload'), { items: [item({ data: photo() })] });
			const [stored] = simulator().storedFiles();
			const result = await run(simulator(), file('runTool', { fileId: byId(stored.id), tool: 'transform', params: { width: 60, format: 'png' }, options: { download: true } }));
			expect(result.error?.message).toBeUndefined();
			const created = simulator().storedFiles().find((entry) => entry.origin === 'tool');
			expect(created).toBeDefined();
			expect(result.items[0].json).toMatchObject({ file: { id: created?.id } });
			expect(result.items[0].binary?.data.mimeType).toBe('image/png');
		});

		it('AI tags: only the options set are sent, Convertly’s answer out', async () => {
			await run(simulator(), file('upload'), { items: [item({ data: photo('red-shoe.png') })] });
			const [stored] = simulator().storedFiles();
			const result = await run(simulator(), file('tagWithAi', { fileId: byId(stored.id), options: { maxTags: 3 } }));
			expect(result.items[0].json).toMatchObject({ tags: expect.any(Array), addedCount: expect.any(Number) });
			expect((result.items[0].json.tags as string[]).length).toBeLessThanOrEqual(3);
		});

		it('archive a folder: the ZIP streamed into data; with Save to Library the stored record', async () => {
			const folder = simulator().seedFolder('Pack');
			await run(simulator(), file('upload', { folderId: byId(folder.id) }), { items: [item({ data: photo('a.png') }), item({ data: photo('b.png') })] });
			const zipped = await run(simulator(), file('archive', { folderId: byId(folder.id), format: 'zip' }));
			expect(zipped.error?.message).toBeUndefined();
			const archive = zipped.items[0].binary?.data as IBinaryData;
			expect(archive.mimeType).toBe('application/zip');
			const bytes = await readBinary(archive);
			expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
			expect(bytes.includes(Buffer.from('a.png'))).toBe(true);
			const saved = await run(simulator(), file('archive', { folderId: byId(folder.id), format: 'tgz', saveToFiles: true }));
			expect(saved.items[0].json).toMatchObject({ mime_type: 'application/gzip' });
			expect(simulator().storedFiles().some((entry) => entry.origin === 'archive')).toBe(true);
		});
	});

	it('the file picker lists files with their type, size and folder, searched by Convertly', async () => {
		await run(simulator(), file('upload'), { items: [item({ data: photo('alpha.png') }), item({ data: photo('beta.png') })] });
		const found = await listSearch({ method: 'searchFiles', filter: 'alp', credentials: { apiKey: simulator().apiKey, baseUrl: simulator().url } });
		expect(found.results.map((entry) => entry.name)).toEqual([expect.stringMatching(/^alpha\.png · image\/png · \d+(\.\d)? (B|KB) · at the root$/)]);
	});
});

describe('Folder', () => {
	const simulator = useSimulator();
	const folder = (operation: string, extra: Record<string, unknown> = {}) => ({ resource: 'folder', operation, ...extra });

	it('create at the root and inside another; list a level; rename and move; delete', async () => {
		const made = await run(simulator(), folder('create', { name: 'Clients' }));
		const clients = made.items[0].json as { id: string };
		const inside = await run(simulator(), folder('create', { name: 'Acme', parentId: byId(clients.id), options: { color: '#ff0000' } }));
		expect(inside.items[0].json).toMatchObject({ name: 'Acme', parent_id: clients.id, color: '#ff0000' });
		const listed = await run(simulator(), folder('getAll', { parentId: byId(clients.id) }));
		expect(listed.items.map((output) => output.json.name)).toEqual(['Acme']);
		const acme = inside.items[0].json as { id: string };
		const moved = await run(simulator(), folder('update', { folderId: byId(acme.id), name: 'Acme Inc', options: { moveToRoot: true } }));
		expect(moved.items[0].json).toMatchObject({ name: 'Acme Inc', parent_id: null });
		const removed = await run(simulator(), folder('delete', { folderId: byId(acme.id) }));
		expect(removed.items[0].json).toMatchObject({ id: acme.id, deleted: true });
		expect(simulator().folders().map((entry) => entry.name)).toEqual(['Clients']);
	});

	it('the folder picker shows every folder by its path', async () => {
		const clients = simulator().seedFolder('Clients');
		simulator().seedFolder('Acme', { parentId: clients.id });
		simulator().seedFolder('Archive');
		const found = await listSearch({ method: 'searchFolders', credentials: { apiKey: simulator().apiKey, baseUrl: simulator().url } });
		expect(found.results.map((entry) => entry.name)).toEqual(['/Archive', '/Clients', '/Clients/Acme']);
		const filtered = await listSearch({ method: 'searchFolders', filter: 'acme', credentials: { apiKey: simulator().apiKey, baseUrl: simulator().url } });
		expect(filtered.results.map((entry) => entry.name)).toEqual(['/Clients/Acme']);
	});

	it('an empty name is refused before any request', async () => {
		const result = await run(simulator(), folder('create', { name: '  ' }));
		expect(result.error?.message).toBe('The folder Name is empty');
		expect(simulator().requests()).toEqual([]);
	});
});

describe('Transfer', () => {
	const simulator = useSimulator({ createdJobTiming: { pendingMs: 50, processingMsPerFile: 100 } });

	it('import from a URL, wait, and download the stored file into data; one transfer for a retried request', async () => {
		const files = await startFileServer({ '/catalogue.png': { body: PHOTO, type: 'image/png' } });
		try {
			simulator().addFault({ path: '/api/transfer', method: 'POST', dropAfterUpload: true });
			const result = await run(simulator(), {
				resource: 'transfer',
				operation: 'create',
				sourceUrl: `${files.url}/catalogue.png`,
				waitForCompletion: true,
				waitOptions: { pollInterval: 1, timeout: 30 },
				downloadResults: true,
			});
			expect(result.error?.message).toBeUndefined();
			const transfers = simulator().transferRequests();
			expect(transfers.length).toBe(2);
			expect(transfers[1].idempotencyKey).toBe(transfers[0].idempotencyKey);
			expect(transfers[0].body).toMatchObject({ sourceUrl: `${files.url}/catalogue.png`, destination: 'convertly-storage' });
			expect(simulator().storedFiles()).toHaveLength(1);
			expect(result.items[0].json).toMatchObject({ jobType: 'transfer', status: 'completed' });
			expect(await readBinary(result.items[0].binary?.data as IBinaryData)).toEqual(PHOTO);
		} finally {
			await files.close();
		}
	});

	it('without waiting: Convertly’s { jobId, status, mode }', async () => {
		const files = await startFileServer({ '/a.png': { body: PHOTO, type: 'image/png' } });
		try {
			const result = await run(simulator(), { resource: 'transfer', operation: 'create', sourceUrl: `${files.url}/a.png` });
			expect(result.items[0].json).toMatchObject({ status: 'pending', mode: 'async', jobId: expect.any(String) });
		} finally {
			await files.close();
		}
	});
});
