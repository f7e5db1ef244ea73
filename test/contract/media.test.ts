// The simulator's media tool, sync convert and sync compress bodies against the schemas: our
// inferred shapes (test/contract/convertly-inferred.schema.json: MediaSyncResponse,
// MediaAsyncResponse, InspectResponse, MediaToolJobResults, …, each naming its source) and the
// official ones where they apply (every media_tool job read with GET /api/jobs/{id} is a JobDetail;
// every error body is an Error).
import { makePng, MEDIA_TOOL_NAMES } from '../../simulator';
import type { MediaToolName, SimulatorSettings } from '../../simulator';
import inferredFile from './convertly-inferred.schema.json';
import { inferredFields, validateGetJobResponse, validateInferred, validateOfficial } from './schemas';
import { useSimulator } from '../helpers';

const PNG = makePng(320, 240, { seed: 'contract' });
const MP4 = Uint8Array.from({ length: 4000 }, (_, index) => (index * 17) & 0xff);
const WAV = Uint8Array.from({ length: 2000 }, (_, index) => (index * 7) & 0xff);
const PDF = new TextEncoder().encode('%PDF-1.4\n%%EOF\n');

interface Part {
	field: string;
	name: string;
	bytes: Uint8Array;
	type: string;
}

const image = (field = 'file', name = 'photo.png'): Part => ({ field, name, bytes: PNG, type: 'image/png' });
const video = (): Part => ({ field: 'file', name: 'clip.mp4', bytes: MP4, type: 'video/mp4' });
const audio = (field: string, name: string): Part => ({ field, name, bytes: WAV, type: 'audio/wav' });

/** A valid call of every tool. */
const CALLS: Record<MediaToolName, { fields: Record<string, string>; parts: Part[] }> = {
	thumbnail: { fields: { width: '64', height: '64' }, parts: [image()] },
	'poster-frame': { fields: { timestamp: '1' }, parts: [video()] },
	storyboard: { fields: { frames: '4', columns: '2', width: '80' }, parts: [video()] },
	gif: { fields: { width: '120' }, parts: [video()] },
	trim: { fields: { start: '0', duration: '1' }, parts: [video()] },
	'extract-audio': { fields: { format: 'm4a' }, parts: [video()] },
	'concat-audio': { fields: {}, parts: [audio('files', 'a.wav'), audio('files', 'b.wav')] },
	convert: { fields: { format: 'mov' }, parts: [video()] },
	watermark: { fields: { text: 'x' }, parts: [image()] },
	'remove-background': { fields: {}, parts: [image()] },
	transform: { fields: { width: '100' }, parts: [image()] },
	adjust: { fields: { contrast: '1.1' }, parts: [image()] },
	'pdf-preview': { fields: { width: '200' }, parts: [{ field: 'file', name: 'doc.pdf', bytes: PDF, type: 'application/pdf' }] },
	'image-to-pdf': { fields: {}, parts: [image('files', 'a.png'), image('files', 'b.png')] },
	'strip-metadata': { fields: {}, parts: [image()] },
	inspect: { fields: {}, parts: [image()] },
};

const ok = { valid: true, errors: [] };

describe('simulator media bodies against the schemas', () => {
	const simulator = useSimulator();
	const auth = () => ({ authorization: `Bearer ${simulator().apiKey}` });

	async function post(path: string, fields: Record<string, string>, parts: Part[], headers: Record<string, string> = {}) {
		const body = new FormData();
		for (const [name, value] of Object.entries(fields)) body.append(name, value);
		for (const part of parts) body.append(part.field, new Blob([Buffer.from(part.bytes)], { type: part.type }), part.name);
		const response = await fetch(`${simulator().url}${path}`, { method: 'POST', body, headers: { ...auth(), ...headers } });
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	}
	const call = async (tool: MediaToolName, extra: Record<string, string> = {}, headers: Record<string, string> = {}) =>
		await post(`/api/media/${tool}`, { ...CALLS[tool].fields, ...extra }, CALLS[tool].parts, headers);

	async function readJob(jobId: unknown) {
		const response = await fetch(`${simulator().url}/api/jobs/${String(jobId)}`, { headers: auth() });
		const body = (await response.json()) as Record<string, unknown>;
		expect(validateGetJobResponse(response.status, body)).toEqual(ok);
		expect(validateInferred('MediaToolJob', body)).toEqual(ok);
		return body;
	}

	async function downloadHeaders(url: string) {
		const response = await fetch(url, { headers: auth() });
		const headers = Object.fromEntries(response.headers.entries());
		await response.arrayBuffer();
		return { status: response.status, headers };
	}

	it("the schema's MediaToolName lists exactly the simulator's tools", () => {
		expect(inferredFile.$defs.MediaToolName.enum).toEqual(MEDIA_TOOL_NAMES);
		expect(validateInferred('MediaToolName', 'vectorize').valid).toBe(false);
	});

	describe.each<[SimulatorSettings['downloadMode']]>([['api'], ['storage'], ['data']])('sync answers (downloadMode %s)', (downloadMode) => {
		it.each(MEDIA_TOOL_NAMES.filter((tool) => tool !== 'inspect'))('%s: a MediaSyncResponse whose downloads are file answers', async (tool) => {
			simulator().configure({ downloadMode });
			const response = await call(tool);
			expect(response.status).toBe(200);
			expect(validateInferred('MediaSyncResponse', response.body)).toEqual(ok);
			for (const file of response.body.files as Array<{ downloadUrl: string }>) {
				if (file.downloadUrl.startsWith('data:')) continue;
				const got = await downloadHeaders(file.downloadUrl);
				expect(got.status).toBe(200);
				expect(validateInferred('DownloadHeaders', got.headers)).toEqual(ok);
			}
		});
	});

	it('inspect: an InspectResponse carrying every field the OpenAPI lists; the files variant holds the same JSON', async () => {
		for (const parts of [[image()], [video()], [audio('file', 'a.wav')], [{ field: 'file', name: 'notes.txt', bytes: PDF, type: 'text/plain' }]]) {
			const response = await post('/api/media/inspect', {}, parts);
			expect(response.status).toBe(200);
			expect(validateInferred('InspectResponse', response.body)).toEqual(ok);
			const media = response.body.media as Record<string, unknown>;
			for (const { name } of inferredFields('InspectMedia')) expect({ name, present: name in media }).toEqual({ name, present: true });
		}
		simulator().configure({ inspectResponse: 'files' });
		const variant = await call('inspect');
		expect(validateInferred('MediaSyncResponse', variant.body)).toEqual(ok);
		const [file] = variant.body.files as Array<{ downloadUrl: string }>;
		const downloaded = (await (await fetch(file.downloadUrl, { headers: auth() })).json()) as unknown;
		expect(validateInferred('InspectResponse', downloaded)).toEqual(ok);
	});

	it.each(MEDIA_TOOL_NAMES)('%s async: a MediaAsyncResponse, then official JobDetails of a media_tool job whose results fit MediaToolJobResults', async (tool) => {
		simulator().configure({ createdJobTiming: { pendingMs: 1000, processingMsPerFile: 1000 } });
		const response = await call(tool, { async: 'true' });
		expect(response.status).toBe(200);
		expect(validateInferred('MediaAsyncResponse', response.body)).toEqual(ok);
		expect(await readJob(response.body.jobId)).toMatchObject({ status: 'pending', results: null });
		simulator().advanceTime(1500);
		expect(await readJob(response.body.jobId)).toMatchObject({ status: 'processing', results: null });
		simulator().advanceTime(5000);
		const done = await readJob(response.body.jobId);
		expect(done).toMatchObject({ jobType: 'media_tool', status: 'completed' });
		expect(validateInferred('MediaToolJobResults', done.results)).toEqual(ok);
		expect(done.results).toMatchObject({ tool });
	});

	it('a failed media_tool job and an idempotent repeat fit their shapes', async () => {
		simulator().configure({ createdJobTiming: { pendingMs: 0, processingMsPerFile: 0 } });
		const failing = await post('/api/media/thumbnail', { async: 'true' }, [image('file', 'fail.png')]);
		expect(await readJob(failing.body.jobId)).toMatchObject({ status: 'failed', results: null, errorMessage: expect.any(String) });

		const first = await call('gif', { background: 'true' }, { 'idempotency-key': 'contract-media' });
		const repeat = await call('gif', { background: 'true' }, { 'idempotency-key': 'contract-media' });
		expect(repeat.body.jobId).toBe(first.body.jobId);
		expect(validateInferred('MediaIdempotentResponse', repeat.body)).toEqual(ok);
		// Only the first answer is the documented "status: pending" one.
		expect(validateInferred('MediaAsyncResponse', repeat.body).errors).toEqual([expect.objectContaining({ path: '/status', keyword: 'const' })]);
	});

	it('sync convert and compress answers fit SyncConvertResponse / SyncCompressResponse', async () => {
		const parts = [image('files', 'a.png'), image('files', 'b.png')];
		const convertFields: Array<Record<string, string>> = [
			{ format: 'webp', resize: 'original' },
			{ format: 'avif', resize: 'original', saveToStorage: 'true' },
		];
		for (const fields of convertFields) {
			const converted = await post('/api/convert', fields, parts);
			expect(converted.status).toBe(200);
			expect(validateInferred('SyncConvertResponse', converted.body)).toEqual(ok);
		}
		const compressFields: Array<Record<string, string>> = [{}, { mode: 'target-size', targetBytes: '1000' }];
		for (const fields of compressFields) {
			const compressed = await post('/api/compress', fields, parts);
			expect(compressed.status).toBe(200);
			expect(validateInferred('SyncCompressResponse', compressed.body)).toEqual(ok);
		}
		simulator().configure({ downloadMode: 'data' });
		expect(validateInferred('SyncConvertResponse', (await post('/api/convert', { format: 'png', resize: 'original' }, parts)).body)).toEqual(ok);
	});

	it.each<[string, () => Promise<{ status: number; body: Record<string, unknown> }>, number, SimulatorSettings['plan']]>([
		['an unknown enum value', async () => await call('thumbnail', { format: 'bmp' }), 400, null],
		['a missing required field', async () => await post('/api/media/convert', {}, [video()]), 400, null],
		['neither file nor sourceUrl', async () => await post('/api/media/gif', {}, []), 400, null],
		['an unfetchable sourceUrl', async () => await post('/api/media/gif', { sourceUrl: 'http://127.0.0.1:9/x.mp4' }, []), 400, null],
		['an unknown tool', async () => await post('/api/media/vectorize', {}, [image()]), 404, null],
		['a locked tool', async () => await call('remove-background'), 403, { lockedTools: ['remove-background'] }],
		['a file over the size limit', async () => await call('thumbnail'), 413, { maxFileSizeBytes: 10 }],
		['an unsupported type', async () => await call('thumbnail'), 415, { unsupportedMimeTypes: ['image/png'] }],
		['an input of the wrong kind', async () => await post('/api/media/pdf-preview', {}, [image()]), 415, null],
		['sync convert without resize', async () => await post('/api/convert', { format: 'png' }, [image('files')]), 400, null],
	])('%s: an official Error body', async (_case, send, status, plan) => {
		if (plan) simulator().setPlan(plan);
		const response = await send();
		expect(response.status).toBe(status);
		expect(validateOfficial('Error', response.body)).toEqual(ok);
		if (status === 403) expect(response.body.upgradeUrl).toEqual(expect.any(String));
	});

	it('catches bodies outside the shapes', () => {
		const file = { filename: 'a.jpg', mimeType: 'image/jpeg', originalSize: 10, finalSize: 5, downloadUrl: 'https://convertly.sh/f/a.jpg' };
		expect(validateInferred('MediaSyncResponse', { files: [file] })).toEqual(ok);
		expect(validateInferred('MediaSyncResponse', { files: [] }).valid).toBe(false);
		expect(validateInferred('MediaSyncResponse', { files: [{ ...file, downloadUrl: 'ftp://x' }] }).valid).toBe(false);
		expect(validateInferred('MediaAsyncResponse', { jobId: '65f3a673-0c3e-4b8e-9a55-1c7b0b3f6d21', status: 'pending', tool: 'poster-frame' })).toEqual(ok);
		expect(validateInferred('MediaAsyncResponse', { jobId: 'job_1', status: 'pending', tool: 'poster-frame' }).valid).toBe(false);
		expect(validateInferred('MediaToolJobResults', { files: [file] }).valid).toBe(false);
		expect(validateInferred('MediaToolJobResults', { tool: 'thumbnail', media: {} }).valid).toBe(false);
		expect(validateInferred('InspectResponse', { files: [file] }).valid).toBe(false);
	});
});
