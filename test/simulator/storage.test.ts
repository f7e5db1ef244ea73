// The simulator's Convertly Storage and Transfer (simulator/storage.js, issue 21): stored files with
// their bytes, list/get/patch/delete, search, AI tags, media tools on stored files, folders, the
// 3-step upload (no key at the storage origin, idempotent complete), archives read back entry by
// entry, transfers (async job, sync, ZIP extract, Idempotency-Key) and the plan's limits.
import { sleep } from 'n8n-workflow';

import { imageSize, makePng, makeZip, readArchive } from '../../simulator';
import type { SimulatorJob, StoredFileRecord } from '../../simulator';
import { startFileServer } from '../../tools/fileserver';
import type { FileServer } from '../../tools/fileserver';
import { useSimulator } from '../helpers';

type Body = Record<string, unknown>;

const WIDE = makePng(300, 200, { seed: 'wide' });
const TALL = makePng(100, 160, { seed: 'tall' });
const SQUARE = makePng(64, 64, { seed: 'square' });
const TEXT = new TextEncoder().encode('hello storage\n');

function bytesOf(length: number, seed = 3): Uint8Array {
	const out = new Uint8Array(length);
	for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
	return out;
}

describe('Simulator: Convertly Storage and Transfer', () => {
	const simulator = useSimulator();
	const key = () => ({ authorization: `Bearer ${simulator().apiKey}` });

	async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
		const response = await fetch(`${simulator().url}${path}`, {
			method,
			headers: { ...key(), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Body, headers: response.headers };
	}
	const get = async (path: string) => await call('GET', path, undefined, { accept: 'application/json' });

	async function upload(name: string, bytes: Uint8Array, type: string, folderId?: string) {
		const body = new FormData();
		body.append('file', new Blob([Buffer.from(bytes)], { type }), name);
		if (folderId !== undefined) body.append('folderId', folderId);
		const response = await fetch(`${simulator().url}/api/files`, { method: 'POST', headers: key(), body });
		return { status: response.status, body: (await response.json()) as Body };
	}
	async function stored(name: string, bytes: Uint8Array, type: string, folderId?: string): Promise<StoredFileRecord> {
		const response = await upload(name, bytes, type, folderId);
		expect(response.status).toBe(200);
		return response.body.file as StoredFileRecord;
	}
	async function folder(name: string, parentId?: string | null): Promise<string> {
		const response = await call('POST', '/api/folders', { name, parentId });
		expect(response.status).toBe(200);
		return (response.body.folder as { id: string }).id;
	}
	/** Downloads without any key (the storage origin needs none). */
	async function fetchBytes(url: string) {
		const response = await fetch(url);
		return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
	}
	async function waitForJob(jobId: unknown): Promise<SimulatorJob> {
		for (let waited = 0; waited < 5000; waited += 20) {
			const job = (await get(`/api/jobs/${String(jobId)}`)).body as unknown as SimulatorJob;
			if (job.status === 'completed' || job.status === 'failed') return job;
			await sleep(20);
		}
		throw new Error(`job ${String(jobId)} did not finish`);
	}
	const fast = () => simulator().configure({ createdJobTiming: { pendingMs: 10, processingMsPerFile: 10 } });

	describe('files', () => {
		it('POST /api/files stores the bytes; the record has every field and a signed storage-origin URL served without a key', async () => {
			const file = await stored('Wide Photo.png', WIDE, 'image/png');
			expect(file).toEqual({
				id: expect.stringMatching(/^[0-9a-f-]{36}$/),
				filename: 'Wide Photo.png',
				mime_type: 'image/png',
				size_bytes: WIDE.length,
				created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
				folder_id: null,
				description: null,
				tags: [],
				cdn_slug: null,
				width: 300,
				height: 200,
				duration: null,
				metadata: {},
				downloadUrl: expect.stringMatching(new RegExp(`^${simulator().storageUrl}/stored/${file.id}/Wide%20Photo\\.png\\?expires=\\d+&sig=[0-9a-f]{64}$`)),
				download_url: file.downloadUrl,
			});
			const got = await fetchBytes(file.downloadUrl);
			expect(got.status).toBe(200);
			expect(got.bytes.equals(Buffer.from(WIDE))).toBe(true);
			expect(got.headers.get('content-type')).toBe('image/png');
			expect(got.headers.get('content-length')).toBe(String(WIDE.length));
			expect(got.headers.get('content-disposition')).toContain('filename="Wide Photo.png"');
			expect(simulator().downloads().at(-1)).toMatchObject({ origin: 'storage', withKey: false, fileId: file.id, status: 200, bytesSent: WIDE.length });
			expect(simulator().storedFiles()).toEqual([expect.objectContaining({ id: file.id, origin: 'upload', onDisk: true, folderPath: '/' })]);
			expect(simulator().storedFileBytes(file.id)?.equals(Buffer.from(WIDE))).toBe(true);
		});

		it('GET /api/files/{id} gives expiresIn and a fresh URL on every read; without Accept: application/json it redirects; 404 when unknown', async () => {
			const file = await stored('a.txt', TEXT, 'text/plain');
			const first = await get(`/api/files/${file.id}`);
			simulator().advanceTime(1000);
			const second = await get(`/api/files/${file.id}`);
			expect(first.status).toBe(200);
			expect(first.body.file).toMatchObject({ id: file.id, expiresIn: 300 });
			const [a, b] = [first.body.file, second.body.file] as StoredFileRecord[];
			expect(a.downloadUrl).not.toBe(b.downloadUrl);
			expect(b.download_url).toBe(b.downloadUrl);
			const redirect = await fetch(`${simulator().url}/api/files/${file.id}`, { headers: key(), redirect: 'manual' });
			expect(redirect.status).toBe(302);
			expect(redirect.headers.get('location')).toContain(`${simulator().storageUrl}/stored/${file.id}/`);
			expect(await get('/api/files/00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 404, body: { error: 'File not found.' } });
		});

		it('signed URLs expire with the simulated clock and refuse a changed signature', async () => {
			const file = await stored('a.txt', TEXT, 'text/plain');
			expect((await fetchBytes(file.downloadUrl.replace(/sig=[0-9a-f]+/, `sig=${'x'.repeat(64)}`))).status).toBe(403);
			simulator().advanceTime(5 * 60 * 1000 + 1);
			const expired = await fetchBytes(file.downloadUrl);
			expect(expired.status).toBe(403);
			expect(JSON.parse(expired.bytes.toString())).toEqual({ error: 'This download link has expired.' });
		});

		it('every storage endpoint needs the API key', async () => {
			for (const path of ['/api/files', '/api/files/search', '/api/folders']) {
				const response = await fetch(`${simulator().url}${path}`);
				expect(response.status).toBe(401);
				await response.arrayBuffer();
			}
			const transfer = await fetch(`${simulator().url}/api/transfer`, { method: 'POST', body: '{}' });
			expect(transfer.status).toBe(401);
			await transfer.arrayBuffer();
		});

		it('GET /api/files pages newest first and filters by folder (uuid or null = root), q and mimePrefix', async () => {
			const clients = await folder('Clients');
			const one = await stored('one.png', SQUARE, 'image/png');
			const two = await stored('two.txt', TEXT, 'text/plain');
			const three = await stored('three.png', TALL, 'image/png', clients);
			const page1 = await get('/api/files?limit=2');
			expect(page1.body.pagination).toEqual({ limit: 2, offset: 0, total: 3, hasMore: true });
			expect((page1.body.files as StoredFileRecord[]).map((file) => file.id)).toEqual([three.id, two.id]);
			const page2 = await get('/api/files?limit=2&offset=2');
			expect(page2.body).toMatchObject({ files: [{ id: one.id }], pagination: { limit: 2, offset: 2, total: 3, hasMore: false } });
			const ids = async (query: string) => ((await get(`/api/files?${query}`)).body.files as StoredFileRecord[]).map((file) => file.id);
			expect(await ids('folderId=null')).toEqual([two.id, one.id]);
			expect(await ids(`folderId=${clients}`)).toEqual([three.id]);
			expect(await ids('q=T')).toEqual([three.id, two.id]);
			expect(await ids('mimePrefix=image/')).toEqual([three.id, one.id]);
			expect((await get('/api/files?limit=0')).status).toBe(400);
			expect((await get('/api/files?limit=101')).status).toBe(400);
			expect((await get('/api/files?offset=-1')).status).toBe(400);
			expect((await get('/api/files?folderId=nope')).status).toBe(400);
			expect(await get('/api/files?folderId=00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 404, body: { error: 'Folder not found.' } });
		});

		it('PATCH renames, describes, tags (normalised) and sets a CDN slug, with the documented limits', async () => {
			const file = await stored('a.png', SQUARE, 'image/png');
			const other = await stored('b.png', SQUARE, 'image/png');
			const patched = await call('PATCH', `/api/files/${file.id}`, { filename: 'logo.png', description: 'Our logo', tags: [' Brand ', 'brand', 'Dark  Mode'], cdnSlug: 'logo' });
			expect(patched.status).toBe(200);
			expect(patched.body.file).toMatchObject({ id: file.id, filename: 'logo.png', description: 'Our logo', tags: ['brand', 'dark mode'], cdn_slug: 'logo' });
			expect((patched.body.file as StoredFileRecord).downloadUrl).toContain('/logo.png?');
			const refused = async (body: Body, status = 400) => expect((await call('PATCH', `/api/files/${other.id}`, body)).status).toBe(status);
			await refused({ cdnSlug: 'logo' }, 409);
			await refused({ tags: Array.from({ length: 51 }, (_, index) => `tag${index}`) });
			await refused({ tags: ['x'.repeat(81)] });
			await refused({ tags: 'brand' });
			await refused({ description: 'x'.repeat(5001) });
			await refused({ filename: '' });
			await refused({ cdnSlug: 'Has Spaces' });
			await refused({});
			expect((await call('PATCH', `/api/files/${other.id}`, { tags: Array.from({ length: 50 }, (_, index) => `t${index}`), description: 'x'.repeat(5000) })).status).toBe(200);
			expect((await call('PATCH', '/api/files/00000000-0000-4000-8000-000000000000', { filename: 'x' })).status).toBe(404);
		});

		it('DELETE removes the file and its bytes; a second DELETE is 404', async () => {
			const file = await stored('a.txt', TEXT, 'text/plain');
			expect(await call('DELETE', `/api/files/${file.id}`)).toMatchObject({ status: 200, body: { success: true, message: 'File deleted.' } });
			expect(await call('DELETE', `/api/files/${file.id}`)).toMatchObject({ status: 404, body: { error: 'File not found.' } });
			expect(simulator().storedFiles()).toEqual([]);
			expect(simulator().storageUsedBytes()).toBe(0);
			expect((await fetchBytes(file.downloadUrl)).status).toBe(404);
		});

		it('a wrong method is 405; a body that is not JSON is 400', async () => {
			expect((await call('PUT', '/api/files')).status).toBe(405);
			const response = await fetch(`${simulator().url}/api/folders`, { method: 'POST', headers: { ...key(), 'content-type': 'application/json' }, body: '{nope' });
			expect(response.status).toBe(400);
			expect(await response.json()).toEqual({ error: 'The body must be JSON.' });
		});
	});

	describe('search', () => {
		it('matches q over filename, slug, description and tags; tags any/all; orientation; folder; mimePrefix; facets; applied', async () => {
			const album = await folder('Album');
			const wide = await stored('beach.png', WIDE, 'image/png', album);
			const tall = await stored('tower.png', TALL, 'image/png');
			const square = await stored('icon.png', SQUARE, 'image/png');
			const text = await stored('notes.txt', TEXT, 'text/plain');
			await call('PATCH', `/api/files/${wide.id}`, { tags: ['summer', 'sea'], description: 'A sunny day' });
			await call('PATCH', `/api/files/${tall.id}`, { tags: ['summer', 'city'], cdnSlug: 'tall-tower' });
			await call('PATCH', `/api/files/${square.id}`, { tags: ['city'] });
			const ids = async (query: string) => ((await get(`/api/files/search?${query}`)).body.files as StoredFileRecord[]).map((file) => file.id);
			expect(await ids('q=sunny')).toEqual([wide.id]);
			expect(await ids('q=tall-tower')).toEqual([tall.id]);
			expect(await ids('q=SEA')).toEqual([wide.id]);
			expect(await ids('tags=summer,city')).toEqual([square.id, tall.id, wide.id]);
			expect(await ids('tags=summer,city&tagMode=all')).toEqual([tall.id]);
			expect(await ids('orientation=horizontal')).toEqual([wide.id]);
			expect(await ids('orientation=vertical')).toEqual([tall.id]);
			expect(await ids('orientation=square')).toEqual([square.id]);
			expect(await ids(`folderId=${album}`)).toEqual([wide.id]);
			expect(await ids('folderId=null&mimePrefix=text/')).toEqual([text.id]);

			const faceted = await get('/api/files/search?mimePrefix=image/&facets=tags,orientation,mimeType&limit=1');
			expect(faceted.status).toBe(200);
			expect(faceted.body).toEqual({
				files: [expect.objectContaining({ id: square.id })],
				pagination: { limit: 1, offset: 0, total: 3, hasMore: true },
				facets: {
					tags: [
						{ value: 'city', count: 2 },
						{ value: 'summer', count: 2 },
						{ value: 'sea', count: 1 },
					],
					orientation: [
						{ value: 'horizontal', count: 1 },
						{ value: 'square', count: 1 },
						{ value: 'vertical', count: 1 },
					],
					mimeType: [{ value: 'image/png', count: 3 }],
				},
				applied: { q: null, tags: [], tagMode: 'any', orientation: null, folderId: null, mimePrefix: 'image/', locale: null },
			});
			expect((await get('/api/files/search?q=x')).body.facets).toBeUndefined();
			expect((await get('/api/files/search?tagMode=some')).status).toBe(400);
			expect((await get('/api/files/search?orientation=round')).status).toBe(400);
			expect((await get('/api/files/search?facets=colour')).status).toBe(400);
		});
	});

	describe('AI tags', () => {
		it('tags an image deterministically, merges by default, replaces with merge=false; maxTags 1–20; images only', async () => {
			const file = await stored('red-sports_car 2024.png', WIDE, 'image/png');
			await call('PATCH', `/api/files/${file.id}`, { tags: ['garage', 'car'] });
			const tagged = await call('POST', `/api/files/${file.id}/ai-tags`, {});
			expect(tagged.status).toBe(200);
			expect(tagged.body).toEqual({
				file: { id: file.id, metadata: { aiTags: expect.objectContaining({ tags: ['red', 'sports', 'car', 'png', 'image', 'landscape'], locale: 'en' }) } },
				tags: ['red', 'sports', 'car', 'png', 'image', 'landscape'],
				addedTags: ['red', 'sports', 'png', 'image', 'landscape'],
				addedCount: 5,
				summary: 'A landscape PNG image of 300×200 pixels named "red-sports_car 2024.png".',
				embeddedInFile: false,
				usage: { units: 1, operation: 'image.tags' },
			});
			expect((await get(`/api/files/${file.id}`)).body.file).toMatchObject({ tags: ['garage', 'car', 'red', 'sports', 'png', 'image', 'landscape'] });
			const replaced = await call('POST', `/api/files/${file.id}/ai-tags`, { maxTags: 2, merge: false, prompt: 'vintage' });
			expect(replaced.body).toMatchObject({ tags: ['red', 'sports'], addedTags: [], addedCount: 0 });
			expect((await get(`/api/files/${file.id}`)).body.file).toMatchObject({ tags: ['red', 'sports'] });
			expect((await call('POST', `/api/files/${file.id}/ai-tags`, { maxTags: 21 })).status).toBe(400);
			expect((await call('POST', `/api/files/${file.id}/ai-tags`, { maxTags: 0 })).status).toBe(400);
			const text = await stored('notes.txt', TEXT, 'text/plain');
			expect((await call('POST', `/api/files/${text.id}/ai-tags`, {})).status).toBe(415);
		});
	});

	describe('media tools on stored files', () => {
		it('runs the tool on the stored bytes and stores the output in the same folder; preview answers a data: URL and stores nothing', async () => {
			const album = await folder('Album');
			const file = await stored('photo.png', WIDE, 'image/png', album);
			const made = await call('POST', `/api/files/${file.id}/tools`, { tool: 'transform', params: { width: '150', format: 'png' } });
			expect(made.status).toBe(200);
			const output = made.body.file as StoredFileRecord;
			expect(output).toMatchObject({ filename: 'photo-transformed.png', mime_type: 'image/png', folder_id: album, width: 150, height: 100 });
			const got = await fetchBytes(output.downloadUrl);
			expect(imageSize(got.bytes)).toEqual({ format: 'png', width: 150, height: 100 });
			expect(simulator().storedFiles().find((info) => info.id === output.id)).toMatchObject({ origin: 'tool', sizeBytes: got.bytes.length });

			const preview = await call('POST', `/api/files/${file.id}/tools`, { tool: 'remove-background', params: {}, preview: true });
			expect(preview.body).toEqual({ preview: { dataUrl: expect.stringMatching(/^data:image\/png;base64,/), mimeType: 'image/png', filename: 'photo-no-bg.png' } });
			const bytes = Buffer.from(String((preview.body.preview as Body).dataUrl).split(',')[1], 'base64');
			expect(imageSize(bytes)).toEqual({ format: 'png', width: 300, height: 200 });
			expect(simulator().storedFiles()).toHaveLength(2);

			const svg = await call('POST', `/api/files/${file.id}/tools`, { tool: 'vectorize' });
			expect(svg.body.file).toMatchObject({ filename: 'photo.svg', mime_type: 'image/svg+xml' });
		});

		it('refuses unknown tools, non-string params, bad fields, the wrong input kind, a watermark without text or logo, and tools not on the plan', async () => {
			const file = await stored('photo.png', WIDE, 'image/png');
			const tool = async (body: Body) => await call('POST', `/api/files/${file.id}/tools`, body);
			expect((await tool({ tool: 'thumbnail' })).status).toBe(400);
			expect((await tool({ tool: 'transform', params: { width: 150 } })).body).toEqual({ error: 'params.width must be a string (send form values as strings).' });
			expect((await tool({ tool: 'transform', params: { width: 'wide' } })).status).toBe(400);
			expect((await tool({ tool: 'gif' })).status).toBe(415);
			expect((await tool({ tool: 'watermark' })).body).toEqual({ error: 'watermark needs a text field or a watermarkLogoDataUrl (the logo).' });
			expect((await tool({ tool: 'watermark', watermarkLogoDataUrl: `data:image/png;base64,${Buffer.from(SQUARE).toString('base64')}` })).status).toBe(200);
			simulator().setPlan({ lockedTools: ['transform'] });
			expect((await tool({ tool: 'transform' })).body).toEqual({ error: 'The transform tool is not available on your plan.', upgradeUrl: 'https://convertly.sh/pricing' });
			expect((await call('POST', '/api/files/00000000-0000-4000-8000-000000000000/tools', { tool: 'transform' })).status).toBe(404);
		});
	});

	describe('folders', () => {
		it('creates, lists (all, by parent, root, q), renames, moves, and refuses a move into its own subtree', async () => {
			const clients = await folder('Clients');
			const acme = await folder('Acme', clients);
			const logos = await folder('Logos', acme);
			const archive = await folder('Archive');
			const created = await call('POST', '/api/folders', { name: 'Blue', color: '#0000ff' });
			expect(created.body.folder).toEqual({ id: expect.any(String), name: 'Blue', color: '#0000ff', parent_id: null, created_at: expect.any(String) });
			const names = async (query: string) => ((await get(`/api/folders${query}`)).body.folders as Array<{ name: string }>).map((entry) => entry.name);
			expect(await names('')).toEqual(['Acme', 'Archive', 'Blue', 'Clients', 'Logos']);
			expect(await names('?parentId=null')).toEqual(['Archive', 'Blue', 'Clients']);
			expect(await names(`?parentId=${clients}`)).toEqual(['Acme']);
			expect(await names('?q=LO')).toEqual(['Logos']);
			expect(simulator().folders().find((entry) => entry.id === logos)?.path).toBe('/Clients/Acme/Logos');

			expect((await call('PATCH', `/api/folders/${acme}`, { name: 'Acme Inc', parentId: archive })).body.folder).toMatchObject({ name: 'Acme Inc', parent_id: archive });
			expect(simulator().folders().find((entry) => entry.id === logos)?.path).toBe('/Archive/Acme Inc/Logos');
			expect(await call('PATCH', `/api/folders/${archive}`, { parentId: logos })).toMatchObject({ status: 400, body: { error: 'A folder cannot move into itself or one of its subfolders.' } });
			expect((await call('PATCH', `/api/folders/${archive}`, { parentId: archive })).status).toBe(400);
			expect((await call('PATCH', `/api/folders/${acme}`, { parentId: null })).body.folder).toMatchObject({ parent_id: null });
			expect((await call('PATCH', `/api/folders/${acme}`, { name: '  ' })).status).toBe(400);
			expect((await call('PATCH', `/api/folders/${acme}`, { parentId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
		});

		it('refuses an empty name (400) and an unknown parent (404); deletes only empty folders (409 otherwise)', async () => {
			expect(await call('POST', '/api/folders', { name: ' ' })).toMatchObject({ status: 400, body: { error: 'name must be a non-empty string.' } });
			expect(await call('POST', '/api/folders', { name: 'x', parentId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ status: 404, body: { error: 'Parent folder not found.' } });
			const parent = await folder('Parent');
			const child = await folder('Child', parent);
			const file = await stored('a.txt', TEXT, 'text/plain', child);
			expect((await call('DELETE', `/api/folders/${parent}`)).status).toBe(409);
			const full = await call('DELETE', `/api/folders/${child}`);
			expect(full).toMatchObject({ status: 409, body: { error: 'The folder "Child" is not empty (1 files, 0 folders). Move or delete its contents first.' } });
			await call('DELETE', `/api/files/${file.id}`);
			expect(await call('DELETE', `/api/folders/${child}`)).toMatchObject({ status: 200, body: { success: true, message: 'Folder deleted.' } });
			expect((await call('DELETE', `/api/folders/${parent}`)).status).toBe(200);
			expect((await call('DELETE', `/api/folders/${parent}`)).status).toBe(404);
			expect(simulator().folders()).toEqual([]);
		});
	});

	describe('3-step uploads', () => {
		async function start(body: Body) {
			return await call('POST', '/api/uploads', body);
		}

		it('POST /api/uploads → PUT the bytes to the signed storage URL without a key → complete gives the file; a repeat is idempotent', async () => {
			const target = await folder('Big');
			const bytes = bytesOf(3 * 1024 * 1024 + 17);
			const started = await start({ filename: 'video.mp4', sizeBytes: bytes.length, contentType: 'video/mp4', folderId: target });
			expect(started.status).toBe(200);
			const { upload, complete, resumable } = started.body as { upload: Body; complete: { url: string; body: Body }; resumable: Body };
			expect(upload).toEqual({
				bucket: 'convertly-files',
				path: expect.stringMatching(/video\.mp4$/),
				signedUrl: expect.stringMatching(new RegExp(`^${simulator().storageUrl}/upload/`)),
				token: expect.stringMatching(/^[0-9a-f]{64}$/),
				expiresInSeconds: 7200,
				method: 'PUT',
			});
			expect(complete).toEqual({ url: '/api/uploads/complete', body: { path: upload.path, filename: 'video.mp4', sizeBytes: bytes.length, contentType: 'video/mp4', folderId: target } });
			expect(resumable).toMatchObject({ endpoint: expect.any(String), chunkSize: expect.any(Number), headers: expect.any(Object), metadata: expect.any(Object) });

			const tooEarly = await call('POST', complete.url, complete.body);
			expect(tooEarly).toMatchObject({ status: 400, body: { error: 'No bytes have arrived at the signed upload URL yet: PUT the file first.' } });

			const put = await fetch(String(upload.signedUrl), { method: 'PUT', headers: { 'content-type': 'video/mp4' }, body: Buffer.from(bytes) });
			expect(put.status).toBe(200);
			await put.arrayBuffer();

			const done = await call('POST', complete.url, complete.body);
			expect(done.status).toBe(200);
			const file = done.body.file as StoredFileRecord;
			expect(done.body.idempotent).toBeUndefined();
			expect(file).toMatchObject({ filename: 'video.mp4', mime_type: 'video/mp4', size_bytes: bytes.length, folder_id: target });
			const again = await call('POST', complete.url, complete.body);
			expect(again.body).toMatchObject({ idempotent: true, file: { id: file.id } });

			expect(simulator().storedFiles()).toHaveLength(1);
			expect(simulator().storedFileBytes(file.id)?.equals(Buffer.from(bytes))).toBe(true);
			const [record] = simulator().uploadRecords();
			expect(record).toMatchObject({ fileId: file.id, completeCalls: 3, keyAtStorage: false, bytesStored: bytes.length });
			expect(record.puts).toEqual([expect.objectContaining({ withKey: false, bytesReceived: bytes.length, status: 200 })]);
			// No request to the API origin carried the bytes; the storage origin never saw a key.
			expect(simulator().downloads().filter((entry) => entry.origin === 'storage').every((entry) => !entry.withKey)).toBe(true);
			expect(simulator().requests().every((request) => !String(request.path).startsWith('/upload/'))).toBe(true);
			// A PUT after completion is refused.
			const late = await fetch(String(upload.signedUrl), { method: 'PUT', body: Buffer.from(bytes) });
			expect(late.status).toBe(409);
			await late.arrayBuffer();
		});

		it('a PUT carrying the API key is refused and recorded; a wrong byte count is 400; a bad or expired URL is 403', async () => {
			const started = await start({ filename: 'a.bin', sizeBytes: 10 });
			const { upload, complete } = started.body as { upload: { signedUrl: string }; complete: { body: Body } };
			const put = async (body: Uint8Array, headers: Record<string, string> = {}, url = upload.signedUrl) => {
				const response = await fetch(url, { method: 'PUT', headers, body: Buffer.from(body) });
				return { status: response.status, body: (await response.json()) as Body };
			};
			expect(await put(bytesOf(10), key())).toMatchObject({ status: 400, body: { error: 'Signed upload URLs take no API key: send the PUT without Authorization or x-api-key.' } });
			expect(await put(bytesOf(10), { 'x-api-key': simulator().apiKey })).toMatchObject({ status: 400 });
			expect(await put(bytesOf(9))).toMatchObject({ status: 400, body: { error: 'Content-Length is 9; the upload was created for 10 bytes.' } });
			// Streamed without Content-Length: counted as it arrives.
			const chunked = await fetch(upload.signedUrl, {
				method: 'PUT',
				body: new ReadableStream({
					start(controller) {
						controller.enqueue(bytesOf(6));
						controller.enqueue(bytesOf(5));
						controller.close();
					},
				}),
				duplex: 'half',
			} as RequestInit);
			expect({ status: chunked.status, body: await chunked.json() }).toEqual({ status: 400, body: { error: 'The upload has 11 bytes; sizeBytes was 10.' } });
			expect(await put(bytesOf(10), {}, upload.signedUrl.replace(/token=[0-9a-f]+/, `token=${'x'.repeat(64)}`))).toMatchObject({ status: 403 });
			const record = simulator().uploadRecords()[0];
			expect(record.keyAtStorage).toBe(true);
			expect(record.puts.map((entry) => [entry.withKey, entry.status])).toEqual([
				[true, 400],
				[true, 400],
				[false, 400],
				[false, 400],
				[false, 403],
			]);
			expect((await call('POST', '/api/uploads/complete', complete.body)).status).toBe(400);
			simulator().advanceTime(7200 * 1000 + 1);
			expect(await put(bytesOf(10))).toMatchObject({ status: 403, body: { error: 'This upload URL has expired.' } });
			expect(simulator().storedFiles()).toEqual([]);
		});

		it('validates step 1 and complete; plan limits apply at step 1 (413, 415, 403 storage full)', async () => {
			expect((await start({ filename: '', sizeBytes: 1 })).status).toBe(400);
			expect((await start({ filename: 'x'.repeat(181), sizeBytes: 1 })).status).toBe(400);
			expect((await start({ filename: 'a', sizeBytes: 0 })).status).toBe(400);
			expect((await start({ filename: 'a', sizeBytes: 1, folderId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
			expect((await start({ filename: 'a', sizeBytes: 1, resumable: false })).body.resumable).toBeNull();
			expect((await call('POST', '/api/uploads/complete', { path: 'nope', filename: 'a', sizeBytes: 1 })).status).toBe(404);
			expect((await call('POST', '/api/uploads/complete', { filename: 'a', sizeBytes: 1 })).status).toBe(400);
			simulator().setPlan({ maxFileSizeBytes: 100, unsupportedMimeTypes: ['application/x-msdownload'], storageLimitBytes: 50 });
			expect((await start({ filename: 'a', sizeBytes: 101 })).status).toBe(413);
			expect((await start({ filename: 'a.exe', sizeBytes: 1, contentType: 'application/x-msdownload' })).status).toBe(415);
			expect(await start({ filename: 'a', sizeBytes: 60 })).toMatchObject({ status: 403, body: { error: 'Storage limit reached.', upgradeUrl: 'https://convertly.sh/pricing' } });
		});
	});

	describe('archives', () => {
		async function archive(body: Body) {
			const response = await fetch(`${simulator().url}/api/files/zip`, { method: 'POST', headers: { ...key(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
			return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
		}

		it.each([
			['zip', 'application/zip'],
			['tar', 'application/x-tar'],
			['tgz', 'application/gzip'],
		] as const)('POST /api/files/zip format %s streams a real archive of a folder, recursive with paths', async (format, type) => {
			const clients = await folder('Clients');
			const acme = await folder('Acme', clients);
			await stored('readme.txt', TEXT, 'text/plain', clients);
			await stored('logo.png', SQUARE, 'image/png', acme);
			await stored('root.txt', TEXT, 'text/plain');
			const got = await archive({ folderId: clients, format });
			expect(got.status).toBe(200);
			expect(got.headers.get('content-type')).toBe(type);
			expect(got.headers.get('content-disposition')).toContain(`filename="Clients.${format}"`);
			const entries = await readArchive(got.bytes, format);
			expect(entries.map((entry) => entry.name)).toEqual(['readme.txt', 'Acme/logo.png']);
			expect(entries[0].bytes.equals(Buffer.from(TEXT))).toBe(true);
			expect(entries[1].bytes.equals(Buffer.from(SQUARE))).toBe(true);
		});

		it('takes fileIds (duplicate names numbered), recursive=false, the root by default; saveToFiles stores it; refuses both selectors and nothing to archive', async () => {
			const sub = await folder('Sub');
			const a = await stored('same.txt', TEXT, 'text/plain');
			const b = await stored('same.txt', SQUARE, 'text/plain', sub);
			expect((await readArchive((await archive({ fileIds: [a.id, b.id] })).bytes)).map((entry) => entry.name)).toEqual(['same.txt', 'same (2).txt']);
			expect((await readArchive((await archive({ recursive: false })).bytes)).map((entry) => entry.name)).toEqual(['same.txt']);
			expect((await readArchive((await archive({})).bytes)).map((entry) => entry.name)).toEqual(['same.txt', 'Sub/same.txt']);

			const saved = await call('POST', '/api/files/zip', { folderId: sub, saveToFiles: true, targetFolderId: sub, format: 'tgz' });
			expect(saved.status).toBe(200);
			const file = saved.body.file as StoredFileRecord;
			expect(file).toMatchObject({ filename: 'Sub.tgz', mime_type: 'application/gzip', folder_id: sub });
			const entries = await readArchive((await fetchBytes(file.downloadUrl)).bytes, 'tgz');
			expect(entries.map((entry) => entry.name)).toEqual(['same.txt']);

			expect((await archive({ fileIds: [a.id], folderId: sub })).status).toBe(400);
			expect((await archive({ fileIds: ['00000000-0000-4000-8000-000000000000'] })).status).toBe(404);
			expect((await archive({ format: 'rar' })).status).toBe(400);
			const empty = await folder('Empty');
			expect(JSON.parse((await archive({ folderId: empty })).bytes.toString())).toEqual({ error: 'There are no files to archive.' });
		});

		it('archives seeded files (synthetic bytes) without writing them to disk', async () => {
			simulator().seedFiles(3, { mimeType: 'application/octet-stream', sizeBytes: 300 });
			const entries = await readArchive((await archive({})).bytes);
			expect(entries.map((entry) => [entry.name, entry.bytes.length])).toEqual([
				['seed-00001.octet-stream', 300],
				['seed-00002.octet-stream', 300],
				['seed-00003.octet-stream', 300],
			]);
			expect(simulator().storedFiles().every((info) => !info.onDisk)).toBe(true);
		});
	});

	describe('transfer', () => {
		let server: FileServer;
		beforeEach(async () => {
			server = await startFileServer({
				'/photo.png': { body: WIDE, type: 'image/png' },
				'/data': { body: TEXT, type: 'application/octet-stream' },
			});
		});
		afterEach(async () => await server.close());

		it('async by default: 202 { jobId, status: pending, mode: async }; the transfer job completes with { file }', async () => {
			fast();
			const target = await folder('Imports');
			const answer = await call('POST', '/api/transfer', { sourceUrl: `${server.url}/photo.png`, destination: 'convertly-storage', targetFolderId: target });
			expect(answer).toMatchObject({ status: 202, body: { jobId: expect.any(String), status: 'pending', mode: 'async' } });
			const job = await waitForJob(answer.body.jobId);
			expect(job).toMatchObject({ jobType: 'transfer', status: 'completed', totalFiles: 1, completedFiles: 1, failedFiles: 0, errorMessage: null });
			const { file } = job.results as { file: StoredFileRecord };
			expect(file).toMatchObject({ filename: 'photo.png', mime_type: 'image/png', size_bytes: WIDE.length, folder_id: target, width: 300, height: 200 });
			expect((await fetchBytes(file.downloadUrl)).bytes.equals(Buffer.from(WIDE))).toBe(true);
			expect(simulator().transferRequests()).toEqual([expect.objectContaining({ mode: 'async', status: 202, jobId: answer.body.jobId, fileIds: [file.id], fetch: expect.objectContaining({ status: 'fetched', size: WIDE.length }) })]);
			expect(simulator().jobsCreated()).toBe(1);
		});

		it('async: false answers 200 { file }, with filename and contentType overrides', async () => {
			const answer = await call('POST', '/api/transfer', { sourceUrl: `${server.url}/data`, destination: 'convertly-storage', async: false, filename: 'notes.txt', contentType: 'text/plain' });
			expect(answer.status).toBe(200);
			expect(answer.body.file).toMatchObject({ filename: 'notes.txt', mime_type: 'text/plain', size_bytes: TEXT.length, folder_id: null });
			expect(simulator().jobsCreated()).toBe(0);
		});

		it("destination download (the default) answers the fetched bytes", async () => {
			const response = await fetch(`${simulator().url}/api/transfer`, { method: 'POST', headers: { ...key(), 'content-type': 'application/json' }, body: JSON.stringify({ sourceUrl: `${server.url}/photo.png` }) });
			expect(response.status).toBe(200);
			expect(response.headers.get('content-type')).toBe('application/octet-stream');
			expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(WIDE))).toBe(true);
			expect(simulator().storedFiles()).toEqual([]);
		});

		it('extract: each ZIP entry is stored in a folder named after the ZIP (or folderName), paths as subfolders unless preservePaths is false', async () => {
			const zip = await makeZip([
				{ name: 'docs/readme.txt', bytes: TEXT },
				{ name: 'docs/img/a.png', bytes: SQUARE },
				{ name: 'top.png', bytes: TALL },
				{ name: '__MACOSX/._top.png', bytes: TEXT },
			]);
			server.serve('/bundle.zip', { body: zip, type: 'application/zip' });
			const parent = await folder('Parent');
			const sync = await call('POST', '/api/transfer', { sourceUrl: `${server.url}/bundle.zip`, destination: 'convertly-storage', async: false, extract: true, targetFolderId: parent });
			expect(sync.status).toBe(200);
			const files = sync.body.files as StoredFileRecord[];
			expect(files.map((file) => file.filename)).toEqual(['readme.txt', 'a.png', 'top.png']);
			const paths = Object.fromEntries(simulator().storedFiles().map((info) => [info.filename, info.folderPath]));
			expect(paths).toEqual({ 'readme.txt': '/Parent/bundle/docs', 'a.png': '/Parent/bundle/docs/img', 'top.png': '/Parent/bundle' });
			expect(simulator().storedFileBytes(files[1].id)?.equals(Buffer.from(SQUARE))).toBe(true);
			expect(files[1]).toMatchObject({ mime_type: 'image/png', width: 64, height: 64 });

			fast();
			const flat = await call('POST', '/api/transfer', { sourceUrl: `${server.url}/bundle.zip`, destination: 'convertly-storage', extract: true, extractOptions: { folderName: 'Flat', preservePaths: false } });
			expect(flat.status).toBe(202);
			const job = await waitForJob(flat.body.jobId);
			expect(job).toMatchObject({ status: 'completed', totalFiles: 3, completedFiles: 3 });
			const flatFiles = (job.results as { files: StoredFileRecord[] }).files;
			expect(new Set(flatFiles.map((file) => simulator().storedFiles().find((info) => info.id === file.id)?.folderPath))).toEqual(new Set(['/Flat']));

			server.serve('/not.zip', { body: TEXT, type: 'application/zip' });
			const notZip = await call('POST', '/api/transfer', { sourceUrl: `${server.url}/not.zip`, destination: 'convertly-storage', async: false, extract: true });
			expect(notZip.status).toBe(400);
			const limited = await call('POST', '/api/transfer', { sourceUrl: `${server.url}/bundle.zip`, destination: 'convertly-storage', async: false, extract: true, extractOptions: { maxFiles: 2 } });
			expect(limited).toMatchObject({ status: 400, body: { error: 'The archive has more than 2 files (extractOptions.maxFiles).' } });
			expect(simulator().storedFiles()).toHaveLength(6);
		});

		it('Idempotency-Key: the same key gives the same job (async) or the same file (sync), fetched once', async () => {
			fast();
			const body = { sourceUrl: `${server.url}/photo.png`, destination: 'convertly-storage' };
			const first = await call('POST', '/api/transfer', body, { 'idempotency-key': 'k1' });
			const second = await call('POST', '/api/transfer', body, { 'idempotency-key': 'k1' });
			expect(second).toMatchObject({ status: 202, body: { jobId: first.body.jobId, mode: 'async' } });
			await waitForJob(first.body.jobId);
			const third = await call('POST', '/api/transfer', body, { 'idempotency-key': 'k1' });
			expect(third.body).toEqual({ jobId: first.body.jobId, status: 'completed', mode: 'async' });
			const sync = { ...body, async: false };
			const a = await call('POST', '/api/transfer', sync, { 'idempotency-key': 'k2' });
			const b = await call('POST', '/api/transfer', sync, { 'idempotency-key': 'k2' });
			expect((b.body.file as StoredFileRecord).id).toBe((a.body.file as StoredFileRecord).id);
			expect(simulator().storedFiles()).toHaveLength(2);
			expect(server.requests.filter((request) => request.path === '/photo.png')).toHaveLength(2);
			expect(simulator().transferRequests().map((record) => record.reused)).toEqual([false, true, true, false, true]);
			expect(simulator().jobsCreated()).toBe(1);
		});

		it('a fetch failure fails the job with an errorMessage (async) or answers 400 naming sourceUrl (sync); bad bodies are 400', async () => {
			fast();
			const failed = await call('POST', '/api/transfer', { sourceUrl: `${server.url}/missing`, destination: 'convertly-storage' });
			expect(failed.status).toBe(202);
			const job = await waitForJob(failed.body.jobId);
			expect(job).toMatchObject({ status: 'failed', failedFiles: 1, errorMessage: 'Could not fetch sourceUrl (HTTP 404).', results: null });
			expect(await call('POST', '/api/transfer', { sourceUrl: `${server.url}/missing`, destination: 'convertly-storage', async: false })).toMatchObject({
				status: 400,
				body: { error: 'Could not fetch sourceUrl (HTTP 404).' },
			});
			expect((await call('POST', '/api/transfer', { destination: 'convertly-storage' })).status).toBe(400);
			expect((await call('POST', '/api/transfer', { sourceUrl: 'ftp://x', destination: 'convertly-storage', async: false })).status).toBe(400);
			expect((await call('POST', '/api/transfer', { sourceUrl: `${server.url}/data`, destination: 'dropbox' })).status).toBe(400);
			expect((await call('POST', '/api/transfer', { sourceUrl: `${server.url}/data`, destination: 'convertly-storage', targetFolderId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
			expect((await call('POST', '/api/transfer', { cloudSource: { provider: 's3' }, destination: 'convertly-storage' })).status).toBe(501);
		});

		it('plan limits: storage full is 403 (sync) or a failed job (async); the file size limit applies to the fetch', async () => {
			fast();
			simulator().setPlan({ storageLimitBytes: 100 });
			expect(await call('POST', '/api/transfer', { sourceUrl: `${server.url}/photo.png`, destination: 'convertly-storage', async: false })).toMatchObject({
				status: 403,
				body: { error: 'Storage limit reached.', upgradeUrl: 'https://convertly.sh/pricing' },
			});
			const queued = await call('POST', '/api/transfer', { sourceUrl: `${server.url}/photo.png`, destination: 'convertly-storage' });
			expect(await waitForJob(queued.body.jobId)).toMatchObject({ status: 'failed', errorMessage: 'Storage limit reached.' });
			simulator().setPlan({ maxFileSizeBytes: 10 });
			expect((await call('POST', '/api/transfer', { sourceUrl: `${server.url}/photo.png`, destination: 'convertly-storage', async: false })).status).toBe(413);
			expect(simulator().storedFiles()).toEqual([]);
		});
	});

	describe('plan limits on POST /api/files', () => {
		it('413 over the file size limit, 415 for a refused type, 403 storage full with upgradeUrl', async () => {
			simulator().setPlan({ maxFileSizeBytes: 1000, unsupportedMimeTypes: ['application/x-msdownload'], storageLimitBytes: WIDE.length + 10 });
			expect((await upload('big.bin', bytesOf(1001), 'application/octet-stream')).status).toBe(413);
			expect((await upload('setup.exe', bytesOf(10), 'application/x-msdownload')).status).toBe(415);
			simulator().setPlan({ storageLimitBytes: WIDE.length + 10 });
			await stored('photo.png', WIDE, 'image/png');
			expect(await upload('more.png', SQUARE, 'image/png')).toEqual({ status: 403, body: { error: 'Storage limit reached.', upgradeUrl: 'https://convertly.sh/pricing' } });
			expect(simulator().storedFiles()).toHaveLength(1);
			expect((await upload('folder.txt', TEXT, 'text/plain', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
		});
	});

	describe('hooks', () => {
		it('seedFiles adds 10,000 files fast; GET /api/files pages through them; reset() empties storage and its folder', async () => {
			const target = simulator().seedFolder('Bulk');
			const started = Date.now();
			simulator().seedFiles(10000, { folderId: target.id, mimeType: 'image/jpeg', width: 40, height: 30 });
			expect(Date.now() - started).toBeLessThan(2000);
			const first = await get(`/api/files?folderId=${target.id}&limit=100`);
			expect(first.body.pagination).toEqual({ limit: 100, offset: 0, total: 10000, hasMore: true });
			expect((first.body.files as StoredFileRecord[])[0]).toMatchObject({ filename: 'seed-10000.jpeg', mime_type: 'image/jpeg', folder_id: target.id });
			const last = await get(`/api/files?folderId=${target.id}&limit=100&offset=9900`);
			expect(last.body.pagination).toEqual({ limit: 100, offset: 9900, total: 10000, hasMore: false });
			expect((last.body.files as StoredFileRecord[]).at(-1)).toMatchObject({ filename: 'seed-00001.jpeg' });
			await stored('real.txt', TEXT, 'text/plain');
			expect(simulator().storageUsedBytes()).toBe(10000 * 1024 + TEXT.length);
			simulator().reset();
			expect(simulator().storedFiles()).toEqual([]);
			expect(simulator().folders()).toEqual([]);
			expect(simulator().uploadRecords()).toEqual([]);
			expect(simulator().storageUsedBytes()).toBe(0);
			expect(simulator().storedUploads()).toEqual([]);
		});
	});
});
