// The simulator's Convertly Storage and Transfer bodies against the schemas: our inferred shapes
// (test/contract/convertly-inferred.schema.json: StoredFileRecord, FileListResponse,
// FileSearchResponse, AiTagsResponse, Folder…, UploadStartResponse, TransferAsyncResponse,
// TransferJob, StorageLimitError, each naming its source) and the official ones where they apply
// (every transfer job read with GET /api/jobs/{id} is a JobDetail; every error body is an Error).
import { sleep } from 'n8n-workflow';

import { makePng, makeZip } from '../../simulator';
import inferredFile from './convertly-inferred.schema.json';
import { validateGetJobResponse, validateInferred, validateOfficial } from './schemas';
import { startFileServer } from '../../tools/fileserver';
import { useSimulator } from '../helpers';

type Body = Record<string, unknown>;

const PNG = makePng(120, 80, { seed: 'contract-storage' });
const TEXT = new TextEncoder().encode('contract\n');
const ok = { valid: true, errors: [] };

describe('simulator storage and transfer bodies against the schemas', () => {
	const simulator = useSimulator();
	const key = () => ({ authorization: `Bearer ${simulator().apiKey}` });

	async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
		const response = await fetch(`${simulator().url}${path}`, {
			method,
			headers: { ...key(), accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: response.status, body: (await response.json()) as Body };
	}
	async function upload(name: string, bytes: Uint8Array, type: string) {
		const form = new FormData();
		form.append('file', new Blob([Buffer.from(bytes)], { type }), name);
		const response = await fetch(`${simulator().url}/api/files`, { method: 'POST', headers: key(), body: form });
		return { status: response.status, body: (await response.json()) as Body };
	}
	const fileId = (body: Body) => (body.file as { id: string }).id;
	const expectError = (response: { status: number; body: Body }, status: number) => {
		expect(response.status).toBe(status);
		expect(validateOfficial('Error', response.body)).toEqual(ok);
	};
	async function readJob(jobId: unknown) {
		for (let waited = 0; waited < 5000; waited += 20) {
			const response = await call('GET', `/api/jobs/${String(jobId)}`);
			expect(validateGetJobResponse(response.status, response.body)).toEqual(ok);
			expect(validateInferred('TransferJob', response.body)).toEqual(ok);
			if (response.body.status === 'completed' || response.body.status === 'failed') return response.body;
			await sleep(20);
		}
		throw new Error('the transfer job did not finish');
	}

	it('files: upload, list, get, patch, search with facets, ai-tags, tools (file and preview), delete', async () => {
		const created = await upload('photo.png', PNG, 'image/png');
		expect(validateInferred('StoredFileResponse', created.body)).toEqual(ok);
		const id = fileId(created.body);
		const download = await fetch((created.body.file as { downloadUrl: string }).downloadUrl);
		await download.arrayBuffer();
		expect(validateInferred('DownloadHeaders', Object.fromEntries(download.headers.entries()))).toEqual(ok);

		expect(validateInferred('FileListResponse', (await call('GET', '/api/files?limit=10')).body)).toEqual(ok);
		expect(validateInferred('StoredFileGetResponse', (await call('GET', `/api/files/${id}`)).body)).toEqual(ok);
		const patched = await call('PATCH', `/api/files/${id}`, { tags: ['a', 'b'], description: 'd', cdnSlug: 'photo', filename: 'p.png' });
		expect(validateInferred('StoredFileResponse', patched.body)).toEqual(ok);
		const search = await call('GET', '/api/files/search?q=p&tags=a&facets=tags,orientation,mimeType');
		expect(validateInferred('FileSearchResponse', search.body)).toEqual(ok);
		expect(validateInferred('FileSearchResponse', (await call('GET', '/api/files/search')).body)).toEqual(ok);
		expect(validateInferred('AiTagsResponse', (await call('POST', `/api/files/${id}/ai-tags`, { maxTags: 3 })).body)).toEqual(ok);
		expect(validateInferred('StoredFileResponse', (await call('POST', `/api/files/${id}/tools`, { tool: 'adjust', params: { grayscale: 'true' } })).body)).toEqual(ok);
		expect(validateInferred('FileToolPreviewResponse', (await call('POST', `/api/files/${id}/tools`, { tool: 'transform', params: { width: '10' }, preview: true })).body)).toEqual(ok);
		expect(validateInferred('SuccessMessage', (await call('DELETE', `/api/files/${id}`)).body)).toEqual(ok);

		expectError(await call('GET', `/api/files/${id}`), 404);
		expectError(await call('PATCH', `/api/files/${fileId(patched.body)}`, {}), 404);
		expectError(await call('GET', '/api/files?limit=1000'), 400);
	});

	it("the tools endpoint takes exactly the schema's StoredFileToolName values", async () => {
		const id = fileId((await upload('photo.png', PNG, 'image/png')).body);
		for (const tool of inferredFile.$defs.StoredFileToolName.enum) {
			const response = await call('POST', `/api/files/${id}/tools`, { tool, params: tool === 'watermark' ? { text: 'x' } : {} });
			expect({ tool, accepted: !String(response.body.error ?? '').startsWith('tool must be one of') }).toEqual({ tool, accepted: true });
		}
		expectError(await call('POST', `/api/files/${id}/tools`, { tool: 'thumbnail' }), 400);
	});

	it('folders: create, list, patch, delete, and their errors', async () => {
		const parent = await call('POST', '/api/folders', { name: 'Clients', color: '#112233' });
		expect(validateInferred('FolderResponse', parent.body)).toEqual(ok);
		const parentId = (parent.body.folder as { id: string }).id;
		const child = await call('POST', '/api/folders', { name: 'Acme', parentId });
		expect(validateInferred('FolderResponse', child.body)).toEqual(ok);
		expect(validateInferred('FolderListResponse', (await call('GET', '/api/folders')).body)).toEqual(ok);
		expect(validateInferred('FolderListResponse', (await call('GET', `/api/folders?parentId=${parentId}`)).body)).toEqual(ok);
		const childId = (child.body.folder as { id: string }).id;
		expect(validateInferred('FolderResponse', (await call('PATCH', `/api/folders/${childId}`, { name: 'Acme Inc', parentId: null })).body)).toEqual(ok);
		expectError(await call('PATCH', `/api/folders/${parentId}`, { parentId }), 400);
		expectError(await call('POST', '/api/folders', { name: '' }), 400);
		await call('PATCH', `/api/folders/${childId}`, { parentId });
		expectError(await call('DELETE', `/api/folders/${parentId}`), 409);
		expect(validateInferred('SuccessMessage', (await call('DELETE', `/api/folders/${childId}`)).body)).toEqual(ok);
	});

	it('3-step upload: start, complete, idempotent repeat; the storage origin answers errors as Error', async () => {
		const started = await call('POST', '/api/uploads', { filename: 'big.bin', sizeBytes: TEXT.length });
		expect(started.status).toBe(200);
		expect(validateInferred('UploadStartResponse', started.body)).toEqual(ok);
		expect(validateInferred('UploadStartResponse', (await call('POST', '/api/uploads', { filename: 'x', sizeBytes: 1, resumable: false })).body)).toEqual(ok);
		const { upload: target, complete } = started.body as { upload: { signedUrl: string }; complete: { body: Body } };
		const refused = await fetch(target.signedUrl, { method: 'PUT', headers: key(), body: Buffer.from(TEXT) });
		expect(validateOfficial('Error', await refused.json())).toEqual(ok);
		const put = await fetch(target.signedUrl, { method: 'PUT', body: Buffer.from(TEXT) });
		expect(put.status).toBe(200);
		await put.arrayBuffer();
		expect(validateInferred('StoredFileResponse', (await call('POST', '/api/uploads/complete', complete.body)).body)).toEqual(ok);
		expect(validateInferred('UploadCompleteIdempotentResponse', (await call('POST', '/api/uploads/complete', complete.body)).body)).toEqual(ok);
		expectError(await call('POST', '/api/uploads', { filename: '', sizeBytes: 1 }), 400);
	});

	it.each(['zip', 'tar', 'tgz'])('archives (%s): ArchiveHeaders when streamed, StoredFileResponse when saved', async (format) => {
		await upload('a.txt', TEXT, 'text/plain');
		const response = await fetch(`${simulator().url}/api/files/zip`, { method: 'POST', headers: { ...key(), 'content-type': 'application/json' }, body: JSON.stringify({ format }) });
		await response.arrayBuffer();
		expect(validateInferred('ArchiveHeaders', Object.fromEntries(response.headers.entries()))).toEqual(ok);
		expect(validateInferred('StoredFileResponse', (await call('POST', '/api/files/zip', { format, saveToFiles: true })).body)).toEqual(ok);
		expectError(await call('POST', '/api/files/zip', { fileIds: [], format }), 400);
	});

	it('transfer: async answer and transfer jobs (official JobDetail), sync and extract answers, idempotent repeat, failures', async () => {
		simulator().configure({ createdJobTiming: { pendingMs: 10, processingMsPerFile: 10 } });
		const server = await startFileServer({
			'/photo.png': { body: PNG, type: 'image/png' },
			'/bundle.zip': { body: await makeZip([{ name: 'd/a.txt', bytes: TEXT }, { name: 'b.png', bytes: PNG }]), type: 'application/zip' },
		});
		try {
			const body = { sourceUrl: `${server.url}/photo.png`, destination: 'convertly-storage' };
			const queued = await call('POST', '/api/transfer', body, { 'idempotency-key': 'contract-transfer' });
			expect(queued.status).toBe(202);
			expect(validateInferred('TransferAsyncResponse', queued.body)).toEqual(ok);
			const done = await readJob(queued.body.jobId);
			expect(done).toMatchObject({ status: 'completed' });
			expect(validateInferred('TransferStorageResponse', done.results)).toEqual(ok);
			const repeat = await call('POST', '/api/transfer', body, { 'idempotency-key': 'contract-transfer' });
			expect(validateInferred('TransferIdempotentResponse', repeat.body)).toEqual(ok);

			const sync = await call('POST', '/api/transfer', { ...body, async: false });
			expect(validateInferred('TransferStorageResponse', sync.body)).toEqual(ok);
			expect(validateInferred('StoredFileResponse', sync.body)).toEqual(ok);
			const extracted = await call('POST', '/api/transfer', { ...body, sourceUrl: `${server.url}/bundle.zip`, async: false, extract: true });
			expect(validateInferred('TransferStorageResponse', extracted.body)).toEqual(ok);
			const extractJob = await call('POST', '/api/transfer', { ...body, sourceUrl: `${server.url}/bundle.zip`, extract: true });
			expect(validateInferred('TransferStorageResponse', (await readJob(extractJob.body.jobId)).results)).toEqual(ok);

			const failing = await call('POST', '/api/transfer', { ...body, sourceUrl: `${server.url}/missing` });
			const failed = await readJob(failing.body.jobId);
			expect(failed).toMatchObject({ status: 'failed', results: null, errorMessage: expect.any(String) });
			expectError(await call('POST', '/api/transfer', { ...body, sourceUrl: `${server.url}/missing`, async: false }), 400);

			simulator().setPlan({ storageLimitBytes: 1 });
			const full = await call('POST', '/api/transfer', { ...body, async: false });
			expectError(full, 403);
			expect(validateInferred('StorageLimitError', full.body)).toEqual(ok);
			const fullUpload = await upload('b.txt', TEXT, 'text/plain');
			expectError(fullUpload, 403);
			expect(validateInferred('StorageLimitError', fullUpload.body)).toEqual(ok);
		} finally {
			await server.close();
		}
	});
});
