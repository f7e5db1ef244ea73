import { deriveResult, imageSize, makePng, MEDIA_TOOL_NAMES } from '../../simulator';
import type { InspectedMedia, MediaFileResult, MediaToolName, SimulatorJob } from '../../simulator';
import { startFileServer } from '../../tools/fileserver';
import { useSimulator } from '../helpers';

interface Upload {
	name: string;
	bytes: Uint8Array;
	type: string;
	field?: string;
}

function bytesOf(length: number, seed = 7): Uint8Array {
	const out = new Uint8Array(length);
	for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
	return out;
}

/** A mono 16-bit PCM WAV of `seconds` at `rate` Hz (a header inspect can read). */
function wav(seconds: number, rate = 8000, seed = 3): Uint8Array {
	const dataBytes = seconds * rate * 2;
	const out = new Uint8Array(44 + dataBytes);
	const view = new DataView(out.buffer);
	const ascii = (at: number, text: string) => {
		for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
	};
	ascii(0, 'RIFF');
	view.setUint32(4, 36 + dataBytes, true);
	ascii(8, 'WAVE');
	ascii(12, 'fmt ');
	view.setUint32(16, 16, true);
	view.setUint16(20, 1, true);
	view.setUint16(22, 1, true);
	view.setUint32(24, rate, true);
	view.setUint32(28, rate * 2, true);
	view.setUint16(32, 2, true);
	view.setUint16(34, 16, true);
	ascii(36, 'data');
	view.setUint32(40, dataBytes, true);
	for (let i = 44; i < out.length; i++) out[i] = (i * 13 + seed) & 0xff;
	return out;
}

async function sha256(bytes: Uint8Array): Promise<string> {
	return Buffer.from(await crypto.subtle.digest('SHA-256', bytes)).toString('hex');
}

const PHOTO = makePng(800, 600, { seed: 'photo' });
const CLIP = bytesOf(6000, 5);
const SONG_A = wav(1);
const SONG_B = wav(2, 8000, 9);
const DOC = new TextEncoder().encode('%PDF-1.4\n% a document the simulator does not parse\n%%EOF\n');

const photo = (field = 'file', name = 'photo.png'): Upload => ({ name, bytes: PHOTO, type: 'image/png', field });
const clip = (field = 'file'): Upload => ({ name: 'clip.mp4', bytes: CLIP, type: 'video/mp4', field });
const songA = (field = 'files'): Upload => ({ name: 'a.wav', bytes: SONG_A, type: 'audio/wav', field });
const songB = (field = 'files'): Upload => ({ name: 'b.wav', bytes: SONG_B, type: 'audio/wav', field });
const doc = (): Upload => ({ name: 'doc.pdf', bytes: DOC, type: 'application/pdf', field: 'file' });

function form(fields: Record<string, string>, files: Upload[]): FormData {
	const body = new FormData();
	for (const [name, value] of Object.entries(fields)) body.append(name, value);
	for (const file of files) body.append(file.field ?? 'file', new Blob([Buffer.from(file.bytes)], { type: file.type }), file.name);
	return body;
}

function concat(...parts: Uint8Array[]): Uint8Array {
	return Buffer.concat(parts.map((part) => Buffer.from(part)));
}

/** The expected output of each tool for the inputs above: name, type, and pixels or derived bytes. */
interface ToolCase {
	fields: Record<string, string>;
	files: Upload[];
	filename: string;
	mimeType: string;
	/** Image outputs: the generated PNG's size. */
	pixels?: [number, number];
	/** Audio/video outputs: the deriveResult() they must equal. */
	derived?: { input: Uint8Array; format: string; compression: number };
	/** Other outputs: a check of the downloaded bytes. */
	bytes?: (bytes: Buffer) => void;
}

const TOOL_CASES: Record<MediaToolName, ToolCase | null> = {
	thumbnail: { fields: { format: 'jpg', width: '640', height: '360' }, files: [photo()], filename: 'photo-thumbnail.jpg', mimeType: 'image/jpeg', pixels: [640, 360] },
	'poster-frame': { fields: { timestamp: '4', format: 'png', width: '640' }, files: [clip()], filename: 'clip-poster.png', mimeType: 'image/png', pixels: [640, 360] },
	storyboard: {
		fields: { frames: '6', columns: '3', width: '160', format: 'webp' },
		files: [clip()],
		filename: 'clip-storyboard.webp',
		mimeType: 'image/webp',
		pixels: [480, 180],
	},
	gif: { fields: { width: '320', fps: '10', start: '1', duration: '2.5' }, files: [clip()], filename: 'clip.gif', mimeType: 'image/gif', pixels: [320, 180] },
	trim: { fields: { start: '2', duration: '5' }, files: [clip()], filename: 'clip-trimmed.mp4', mimeType: 'video/mp4', derived: { input: CLIP, format: 'mp4', compression: 50 } },
	'extract-audio': {
		fields: { format: 'mp3', bitrateKbps: '128' },
		files: [clip()],
		filename: 'clip.mp3',
		mimeType: 'audio/mpeg',
		derived: { input: CLIP, format: 'mp3', compression: 40 },
	},
	'concat-audio': {
		fields: {},
		files: [songA(), songB()],
		filename: 'a-concat.wav',
		mimeType: 'audio/wav',
		derived: { input: concat(SONG_A, SONG_B), format: 'wav', compression: 100 },
	},
	convert: { fields: { format: 'webm', compressionLevel: '60' }, files: [clip()], filename: 'clip.webm', mimeType: 'video/webm', derived: { input: CLIP, format: 'webm', compression: 60 } },
	watermark: { fields: { text: '© Convertly', position: 'center', opacity: '0.5' }, files: [photo()], filename: 'photo-watermarked.png', mimeType: 'image/png', pixels: [800, 600] },
	'remove-background': { fields: { model: 'small', trim: 'true' }, files: [photo()], filename: 'photo-no-bg.png', mimeType: 'image/png', pixels: [800, 600] },
	transform: { fields: { format: 'avif', width: '400', flip: 'true' }, files: [photo()], filename: 'photo-transformed.avif', mimeType: 'image/avif', pixels: [400, 300] },
	adjust: { fields: { brightness: '1.2', grayscale: 'true' }, files: [photo()], filename: 'photo-adjusted.png', mimeType: 'image/png', pixels: [800, 600] },
	'pdf-preview': { fields: { format: 'png', page: '2', width: '595' }, files: [doc()], filename: 'doc-page-2.png', mimeType: 'image/png', pixels: [595, 842] },
	'image-to-pdf': {
		fields: { pageSize: 'letter' },
		files: [photo('files', 'one.png'), photo('files', 'two.png')],
		filename: 'one.pdf',
		mimeType: 'application/pdf',
		bytes: (bytes) => {
			const text = bytes.toString('latin1');
			expect(text.startsWith('%PDF-1.4')).toBe(true);
			expect(text).toContain('/Count 2');
			expect(text.match(/\/MediaBox \[0 0 612 792\]/g)).toHaveLength(2);
			// Every xref offset points at its object.
			const xref = Number(/startxref\n(\d+)/.exec(text)?.[1]);
			const offsets = [...text.slice(xref).matchAll(/(\d{10}) 00000 n/g)].map((match) => Number(match[1]));
			offsets.forEach((offset, index) => expect(text.startsWith(`${index + 1} 0 obj`, offset)).toBe(true));
		},
	},
	'strip-metadata': { fields: {}, files: [photo()], filename: 'photo.png', mimeType: 'image/png', bytes: (bytes) => expect(bytes.equals(Buffer.from(PHOTO))).toBe(true) },
	inspect: null,
};

describe('Simulator: media tools (POST /api/media/{tool}) and sync convert/compress', () => {
	const simulator = useSimulator({ apiKeys: ['cvly_simulator_demo_key', 'cvly_simulator_other_key'] });
	const auth = (apiKey = simulator().apiKey) => ({ authorization: `Bearer ${apiKey}` });

	async function post(path: string, fields: Record<string, string>, files: Upload[], headers: Record<string, string> = auth()) {
		const response = await fetch(`${simulator().url}${path}`, { method: 'POST', body: form(fields, files), headers });
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	}
	const tool = async (name: string, fields: Record<string, string>, files: Upload[], headers?: Record<string, string>) =>
		await post(`/api/media/${name}`, fields, files, headers);

	async function download(url: string) {
		if (url.startsWith('data:')) {
			const response = await fetch(url);
			return { status: response.status, type: response.headers.get('content-type'), length: null, bytes: Buffer.from(await response.arrayBuffer()) };
		}
		const response = await fetch(url, { headers: { 'x-api-key': simulator().apiKey } });
		return {
			status: response.status,
			type: response.headers.get('content-type'),
			length: response.headers.get('content-length'),
			bytes: Buffer.from(await response.arrayBuffer()),
		};
	}

	async function getJob(jobId: unknown) {
		const response = await fetch(`${simulator().url}/api/jobs/${String(jobId)}`, { headers: { 'x-api-key': simulator().apiKey } });
		return (await response.json()) as SimulatorJob;
	}

	it('knows all 16 tools of the reference', () => {
		expect([...MEDIA_TOOL_NAMES].sort()).toEqual(Object.keys(TOOL_CASES).sort());
		expect(MEDIA_TOOL_NAMES).toHaveLength(16);
	});

	describe('every tool, sync', () => {
		it.each(Object.entries(TOOL_CASES).filter((entry): entry is [MediaToolName, ToolCase] => entry[1] !== null))(
			'%s answers 200 { files } with a downloadable output of the right name, type and bytes',
			async (name, spec) => {
				const response = await tool(name, spec.fields, spec.files);
				expect(response.status).toBe(200);
				const files = response.body.files as MediaFileResult[];
				const originalSize = spec.files.reduce((sum, file) => sum + file.bytes.length, 0);
				expect(response.body).toEqual({
					files: [
						{ filename: spec.filename, mimeType: spec.mimeType, originalSize, finalSize: expect.any(Number), downloadUrl: expect.stringContaining(simulator().url) },
					],
				});
				const got = await download(files[0].downloadUrl);
				expect(got.status).toBe(200);
				expect(got.type).toBe(spec.mimeType);
				expect(got.length).toBe(String(files[0].finalSize));
				expect(got.bytes.length).toBe(files[0].finalSize);
				if (spec.pixels) expect(imageSize(got.bytes)).toEqual({ format: 'png', width: spec.pixels[0], height: spec.pixels[1] });
				if (spec.derived) {
					const { input, format, compression } = spec.derived;
					expect(got.bytes.equals(deriveResult(input, { jobType: name, format, compression }))).toBe(true);
				}
				spec.bytes?.(got.bytes);

				const [record] = simulator().mediaRequests();
				expect(record).toMatchObject({ endpoint: `/api/media/${name}`, tool: name, fields: spec.fields, unknownFields: [], async: false, status: 200 });
				expect(record.outputs).toEqual([expect.objectContaining({ filename: spec.filename, mimeType: spec.mimeType, sizeBytes: files[0].finalSize })]);
				expect(simulator().jobsCreated()).toBe(0);
			},
		);

		it('inspect answers { media } read from the input: PNG size, WAV duration, kinds from the MIME type', async () => {
			const image = await tool('inspect', {}, [photo()]);
			expect(image).toEqual({
				status: 200,
				body: {
					media: {
						filename: 'photo.png',
						mimeType: 'image/png',
						sizeBytes: PHOTO.length,
						kind: 'image',
						format: 'png',
						width: 800,
						height: 600,
						duration: null,
						bitrateKbps: null,
						streams: [{ index: 0, type: 'image', codec: 'png', width: 800, height: 600 }],
					},
				},
			});
			const audio = (await tool('inspect', {}, [songB('file')])).body.media as InspectedMedia;
			expect(audio).toMatchObject({ kind: 'audio', format: 'wav', duration: 2, bitrateKbps: 128, width: null, streams: [{ type: 'audio', codec: 'wav' }] });
			const video = (await tool('inspect', {}, [clip()])).body.media as InspectedMedia;
			expect(video).toMatchObject({ kind: 'video', format: 'mp4', mimeType: 'video/mp4', sizeBytes: CLIP.length, width: null, duration: null });
			const pdf = (await tool('inspect', {}, [doc()])).body.media as InspectedMedia;
			expect(pdf).toMatchObject({ kind: 'document', format: 'pdf', streams: [] });
			// A PNG sent as application/octet-stream is still recognised from its bytes.
			const unnamed = (await tool('inspect', {}, [{ name: 'blob', bytes: PHOTO, type: 'application/octet-stream' }])).body.media as InspectedMedia;
			expect(unnamed).toMatchObject({ kind: 'image', format: 'png', width: 800, height: 600 });
			// Nothing is kept of an inspected upload.
			expect(simulator().storedUploads()).toEqual([]);
		});

		it("inspectResponse 'files' answers { files: [<name>-inspect.json] } whose download is the same { media } JSON", async () => {
			const direct = (await tool('inspect', {}, [photo()])).body;
			simulator().configure({ inspectResponse: 'files' });
			const response = await tool('inspect', {}, [photo()]);
			expect(response.status).toBe(200);
			const [file] = response.body.files as MediaFileResult[];
			expect(file).toEqual({
				filename: 'photo-inspect.json',
				mimeType: 'application/json',
				originalSize: PHOTO.length,
				finalSize: expect.any(Number),
				downloadUrl: expect.any(String),
			});
			const got = await download(file.downloadUrl);
			expect(got.type).toBe('application/json');
			expect(JSON.parse(got.bytes.toString('utf8'))).toEqual(direct);
		});

		it('thumbnail fit contain / inside keep the aspect ratio; inside never enlarges', async () => {
			const dimensions = async (fields: Record<string, string>) => {
				await tool('thumbnail', fields, [photo()]);
				return simulator().mediaRequests().at(-1)?.outputs[0].dimensions;
			};
			expect(await dimensions({ width: '640', height: '360', fit: 'contain' })).toEqual({ width: 480, height: 360 });
			expect(await dimensions({ width: '1600', height: '1600', fit: 'contain' })).toEqual({ width: 1600, height: 1200 });
			expect(await dimensions({ width: '1600', height: '1600', fit: 'inside' })).toEqual({ width: 800, height: 600 });
			expect(await dimensions({})).toEqual({ width: 512, height: 512 });
		});

		it('transform: presets, crops and quarter turns set the size', async () => {
			const dimensions = async (fields: Record<string, string>) => {
				expect((await tool('transform', fields, [photo()])).status).toBe(200);
				return simulator().mediaRequests().at(-1)?.outputs[0].dimensions;
			};
			expect(await dimensions({ preset: 'social-preview' })).toEqual({ width: 1200, height: 630 });
			expect(await dimensions({ cropLeft: '100', cropTop: '50', cropWidth: '300', cropHeight: '200' })).toEqual({ width: 300, height: 200 });
			expect(await dimensions({ rotate: '90' })).toEqual({ width: 600, height: 800 });
			expect(await dimensions({ width: '400', height: '400', fit: 'contain' })).toEqual({ width: 400, height: 300 });
			expect(await dimensions({ width: '400', height: '400', fit: 'outside' })).toEqual({ width: 533, height: 400 });
		});

		it('watermark takes a logo in a watermarkFile part, and a video input gives an mp4', async () => {
			const logo: Upload = { name: 'logo.png', bytes: makePng(64, 64, { seed: 'logo' }), type: 'image/png', field: 'watermarkFile' };
			const image = await tool('watermark', { position: 'top-left' }, [photo(), logo]);
			expect(image.status).toBe(200);
			expect(simulator().mediaRequests()[0].files.map((part) => [part.field, part.filename, part.mimeType, part.size])).toEqual([
				['file', 'photo.png', 'image/png', PHOTO.length],
				['watermarkFile', 'logo.png', 'image/png', logo.bytes.length],
			]);
			const video = await tool('watermark', { text: 'hi' }, [clip()]);
			const [file] = video.body.files as MediaFileResult[];
			expect(file).toMatchObject({ filename: 'clip-watermarked.mp4', mimeType: 'video/mp4' });
			expect((await download(file.downloadUrl)).bytes.equals(deriveResult(CLIP, { jobType: 'watermark', format: 'mp4', compression: 100 }))).toBe(true);
		});

		it('adjust keeps an audio input audio, and image-to-pdf also takes a single file part', async () => {
			const audio = await tool('adjust', { volume: '0.5', fadeIn: '1' }, [songA('file')]);
			expect((audio.body.files as MediaFileResult[])[0]).toMatchObject({ filename: 'a-adjusted.wav', mimeType: 'audio/wav' });
			const single = await tool('image-to-pdf', {}, [photo('file')]);
			expect(single.status).toBe(200);
			expect((single.body.files as MediaFileResult[])[0].filename).toBe('photo.pdf');
		});

		it('serves the outputs on the storage origin, through redirects or as data: URLs, per downloadMode', async () => {
			simulator().configure({ downloadMode: 'storage' });
			const signed = ((await tool('thumbnail', {}, [photo()])).body.files as MediaFileResult[])[0];
			expect(signed.downloadUrl.startsWith(`${simulator().storageUrl}/signed/`)).toBe(true);
			const fromStorage = await fetch(signed.downloadUrl);
			expect(fromStorage.status).toBe(200);
			expect(imageSize(Buffer.from(await fromStorage.arrayBuffer()))).toMatchObject({ width: 512, height: 512 });

			simulator().configure({ downloadMode: 'redirect' });
			const redirected = ((await tool('gif', {}, [clip()])).body.files as MediaFileResult[])[0];
			const first = await fetch(redirected.downloadUrl, { headers: { 'x-api-key': simulator().apiKey }, redirect: 'manual' });
			expect(first.status).toBe(302);
			expect(first.headers.get('location')?.startsWith(`${simulator().storageUrl}/signed/`)).toBe(true);

			simulator().configure({ downloadMode: 'data' });
			const inline = ((await tool('extract-audio', {}, [clip()])).body.files as MediaFileResult[])[0];
			expect(inline.downloadUrl.startsWith('data:audio/mpeg;base64,')).toBe(true);
			expect((await download(inline.downloadUrl)).bytes.equals(deriveResult(CLIP, { jobType: 'extract-audio', format: 'mp3', compression: 60 }))).toBe(true);
			// Downloads of sync outputs are recorded against the call's outputId.
			const { outputId } = simulator().mediaRequests()[0];
			expect(simulator().downloads().filter((entry) => entry.jobId === outputId).map((entry) => entry.origin)).toEqual(['storage']);
		});
	});

	describe('what the node sent', () => {
		it('records every field in order, unknown field names, and each file part with its sha256', async () => {
			await tool('trim', { start: '1', end: '3', async: 'false', saveToStorage: 'false' }, [clip()], {
				...auth(),
				'idempotency-key': 'trim-1',
			});
			const [record] = simulator().mediaRequests();
			expect(record.fieldList).toEqual([
				['start', '1'],
				['end', '3'],
				['async', 'false'],
				['saveToStorage', 'false'],
			]);
			expect(record.unknownFields).toEqual(['end']);
			expect(record.files).toEqual([
				expect.objectContaining({ field: 'file', filename: 'clip.mp4', mimeType: 'video/mp4', size: CLIP.length, sha256: await sha256(CLIP) }),
			]);
			expect(record.idempotencyKey).toBe('trim-1');
			expect(record.headers.authorization).toBe(`Bearer ${simulator().apiKey}`);
			// The admin stats carry the same records without headers.
			const [summary] = simulator().stats().mediaRequests;
			expect(summary).toMatchObject({ endpoint: '/api/media/trim', auth: 'bearer', unknownFields: ['end'] });
			expect(summary).not.toHaveProperty('headers');
		});

		it("takes the MCP's file + files pair on a single-file tool, reading `file` and recording both", async () => {
			const response = await tool('thumbnail', {}, [photo('files'), photo('file')]);
			expect(response.status).toBe(200);
			expect(simulator().mediaRequests()[0].files.map((part) => part.field)).toEqual(['files', 'file']);
		});
	});

	describe('sourceUrl', () => {
		it('fetches the input from an http URL, records the fetch, and answers like an upload', async () => {
			const server = await startFileServer({ '/media/photo%20one.png': { body: PHOTO, type: 'image/png' } });
			try {
				const sourceUrl = `${server.url}/media/photo%20one.png`;
				const response = await tool('thumbnail', { sourceUrl, width: '100', height: '100' }, []);
				expect(response.status).toBe(200);
				expect((response.body.files as MediaFileResult[])[0]).toMatchObject({ filename: 'photo one-thumbnail.jpg', originalSize: PHOTO.length });
				expect(server.requests.map((request) => [request.method, request.path])).toEqual([['GET', '/media/photo%20one.png']]);
				expect(simulator().mediaRequests()[0].sourceUrl).toEqual({
					url: sourceUrl,
					status: 'fetched',
					filename: 'photo one.png',
					mimeType: 'image/png',
					size: PHOTO.length,
					sha256: await sha256(PHOTO),
				});
				const inspected = await tool('inspect', { sourceUrl }, []);
				expect(inspected.body.media).toMatchObject({ filename: 'photo one.png', width: 800, height: 600 });
				// The type comes from the extension when the server says octet-stream.
				server.serve('/clip.mp4', { body: CLIP });
				const audio = await tool('extract-audio', { sourceUrl: `${server.url}/clip.mp4`, format: 'wav' }, []);
				expect((audio.body.files as MediaFileResult[])[0]).toMatchObject({ filename: 'clip.wav', mimeType: 'audio/wav' });
				// Batch endpoints take it too [sdk].
				const compressed = await post('/api/compress', { sourceUrl }, []);
				expect((compressed.body.files as Array<Record<string, unknown>>)[0]).toMatchObject({ filename: 'photo one.png', mimeType: 'image/png' });
			} finally {
				await server.close();
			}
		});

		it('answers 400 naming sourceUrl when it cannot be fetched, and 413/415 under the plan', async () => {
			const server = await startFileServer({ '/big.png': { body: PHOTO, type: 'image/png' }, '/setup.exe': { body: 'MZ', type: 'application/x-msdownload' } });
			try {
				expect(await tool('thumbnail', { sourceUrl: `${server.url}/missing.png` }, [])).toEqual({
					status: 400,
					body: { error: 'Could not fetch sourceUrl (HTTP 404).' },
				});
				simulator().setPlan({ maxFileSizeBytes: 1000, unsupportedMimeTypes: ['application/x-msdownload'] });
				const large = await tool('thumbnail', { sourceUrl: `${server.url}/big.png` }, []);
				expect(large.status).toBe(413);
				expect(large.body.error).toEqual(expect.stringContaining('big.png'));
				const refused = await tool('strip-metadata', { sourceUrl: `${server.url}/setup.exe` }, []);
				expect(refused.status).toBe(415);
				expect(refused.body.error).toEqual(expect.stringContaining('application/x-msdownload'));
			} finally {
				await server.close();
			}
			const gone = await tool('thumbnail', { sourceUrl: `${server.url}/big.png` }, []);
			expect(gone.status).toBe(400);
			expect(gone.body.error).toMatch(/^Could not fetch sourceUrl \(/);
			expect(simulator().mediaRequests().at(-1)?.sourceUrl?.status).toBe(gone.body.error);
			expect(simulator().storedUploads()).toEqual([]);
		});

		it.each([
			['ftp://example.test/a.png'],
			['file:///etc/passwd'],
			['not a url'],
		])('refuses %s: only http and https', async (sourceUrl) => {
			const response = await tool('thumbnail', { sourceUrl }, []);
			expect(response.status).toBe(400);
			expect(response.body.error).toEqual(expect.stringContaining('sourceUrl must be an http or https URL'));
		});

		it('refuses both a file and a sourceUrl, and neither', async () => {
			const both = await tool('thumbnail', { sourceUrl: 'http://127.0.0.1:9/a.png' }, [photo()]);
			expect(both).toEqual({ status: 400, body: { error: 'Send either a file part or a sourceUrl, not both.' } });
			const neither = await tool('thumbnail', { format: 'png' }, []);
			expect(neither).toEqual({ status: 400, body: { error: 'file is required: send the input in a file part or give a sourceUrl.' } });
			const multi = await tool('image-to-pdf', {}, []);
			expect(multi.body.error).toEqual(expect.stringMatching(/^files is required/));
			expect(simulator().storedUploads()).toEqual([]);
		});
	});

	describe('validation', () => {
		it.each<[string, string, Record<string, string>, Upload[], string]>([
			['an unknown format', 'thumbnail', { format: 'bmp' }, [photo()], 'format must be one of jpg, png, webp, avif (got "bmp").'],
			['a width of 0', 'thumbnail', { width: '0' }, [photo()], 'width must be an integer of at least 1 (got "0").'],
			['a fractional width', 'thumbnail', { width: '1.5' }, [photo()], 'width must be an integer of at least 1 (got "1.5").'],
			['a quality of 101', 'thumbnail', { quality: '101' }, [photo()], 'quality must be an integer from 1 to 100 (got "101").'],
			['an unknown fit', 'thumbnail', { fit: 'stretch' }, [photo()], 'fit must be one of cover, contain, inside (got "stretch").'],
			['a negative timestamp', 'poster-frame', { timestamp: '-1' }, [clip()], 'timestamp must be a number of at least 0 (got "-1").'],
			['a bitrate under 32', 'extract-audio', { bitrateKbps: '16' }, [clip()], 'bitrateKbps must be an integer of at least 32 (got "16").'],
			['convert without format', 'convert', {}, [clip()], 'format is required.'],
			['convert to an image format', 'convert', { format: 'png' }, [clip()], 'format must be one of mp4, webm, mov, mp3, m4a, wav, ogg, flac (got "png").'],
			['compressionLevel 0', 'convert', { format: 'mp4', compressionLevel: '0' }, [clip()], 'compressionLevel must be an integer from 1 to 100 (got "0").'],
			['an unknown resize', 'convert', { format: 'mp4', resize: 'huge' }, [clip()], 'resize must be one of original, website, email, instagram, linkedin, ecommerce, square, width, height (got "huge").'],
			['opacity over 1', 'watermark', { text: 'x', opacity: '1.5' }, [photo()], 'opacity must be a number from 0 to 1 (got "1.5").'],
			['watermark with neither text nor logo', 'watermark', {}, [photo()], 'watermark needs a text field or a watermarkFile part (the logo).'],
			['a boolean written TRUE', 'remove-background', { trim: 'TRUE' }, [photo()], "trim must be 'true' or 'false' (got \"TRUE\")."],
			['async written 1', 'thumbnail', { async: '1' }, [photo()], "async must be 'true' or 'false' (got \"1\")."],
			['an unknown preset', 'transform', { preset: 'banner' }, [photo()], 'preset must be one of ecommerce, avatar, blog-hero, social-preview (got "banner").'],
			['a rotate that is not a number', 'transform', { rotate: 'left' }, [photo()], 'rotate must be an integer (got "left").'],
			['a duration under 0.1', 'trim', { duration: '0' }, [clip()], 'duration must be a number of at least 0.1 (got "0").'],
			['a trim format of another kind', 'trim', { format: 'gif' }, [clip()], 'format must be one of mp4, webm, mov, mp3, m4a, wav (got "gif").'],
			['page 0', 'pdf-preview', { page: '0' }, [doc()], 'page must be an integer of at least 1 (got "0").'],
			['an unknown pageSize', 'image-to-pdf', { pageSize: 'a3' }, [photo('files')], 'pageSize must be one of auto, letter, a4 (got "a3").'],
			['an adjust format of another kind', 'adjust', { format: 'mp3' }, [photo()], 'format mp3 does not fit the image input.'],
			['two file parts', 'thumbnail', {}, [photo(), photo()], 'file: this tool takes one file (got 2 file parts).'],
			['a files part on a single-file tool', 'gif', {}, [clip('files')], 'file is required: send the input in a file part or give a sourceUrl (got a files part, which this endpoint does not read).'],
		])('answers 400 naming the field for %s', async (_case, name, fields, files, error) => {
			expect(await tool(name, fields, files)).toEqual({ status: 400, body: { error } });
			expect(simulator().jobsCreated()).toBe(0);
			expect(simulator().storedUploads()).toEqual([]);
			expect(simulator().mediaRequests()[0].status).toBe(400);
		});

		it('answers 404 for an unknown tool and 400 for a body that is not multipart', async () => {
			const unknown = await tool('vectorize', {}, [photo()]);
			expect(unknown.status).toBe(404);
			expect(unknown.body.error).toEqual(expect.stringContaining('Unknown media tool "vectorize"'));
			const json = await fetch(`${simulator().url}/api/media/thumbnail`, {
				method: 'POST',
				body: JSON.stringify({ width: 10 }),
				headers: { ...auth(), 'content-type': 'application/json' },
			});
			expect(json.status).toBe(400);
			expect(((await json.json()) as { error: string }).error).toEqual(expect.stringContaining('multipart/form-data'));
		});

		it('answers 401 without a key and records nothing', async () => {
			expect((await tool('thumbnail', {}, [photo()], {})).status).toBe(401);
			expect(simulator().mediaRequests()).toEqual([]);
		});
	});

	describe('plan limits', () => {
		it('a locked tool answers 403 with upgradeUrl before reading the upload; other tools still work', async () => {
			simulator().setPlan({ lockedTools: ['remove-background'], upgradeUrl: 'https://convertly.sh/upgrade' });
			expect(await tool('remove-background', {}, [photo()])).toEqual({
				status: 403,
				body: { error: 'The remove-background tool is not available on your plan.', upgradeUrl: 'https://convertly.sh/upgrade' },
			});
			expect(simulator().mediaRequests()[0].files).toEqual([]);
			expect((await tool('thumbnail', {}, [photo()])).status).toBe(200);
		});

		it('a locked format answers 403; too many files 403; a file too large 413; an unsupported type 415', async () => {
			simulator().setPlan({ lockedFormats: ['avif'] });
			expect((await tool('transform', { format: 'avif' }, [photo()])).body).toEqual({
				error: 'The avif format is not available on your plan.',
				upgradeUrl: 'https://convertly.sh/pricing',
			});
			simulator().setPlan({ maxFilesPerBatch: 2 });
			const three = await tool('image-to-pdf', {}, [photo('files', 'a.png'), photo('files', 'b.png'), photo('files', 'c.png')]);
			expect(three).toEqual({ status: 403, body: { error: 'Your plan allows 2 files per batch.', upgradeUrl: 'https://convertly.sh/pricing' } });
			simulator().setPlan({ maxFileSizeBytes: 1000 });
			const large = await tool('thumbnail', {}, [photo()]);
			expect(large.status).toBe(413);
			expect(large.body.error).toEqual(expect.stringContaining('"photo.png" is larger than your plan\'s file size limit of 1000 bytes'));
			const largeLogo = await tool('watermark', {}, [{ name: 'x.png', bytes: bytesOf(10), type: 'image/png' }, { ...photo('watermarkFile'), name: 'logo.png' }]);
			expect(largeLogo.status).toBe(413);
			simulator().setPlan({ unsupportedMimeTypes: ['video/x-msvideo'] });
			const avi = await tool('gif', {}, [{ name: 'old.avi', bytes: bytesOf(10), type: 'video/x-msvideo' }]);
			expect(avi).toEqual({ status: 415, body: { error: 'The file "old.avi" has an unsupported type (video/x-msvideo).' } });
			expect(simulator().storedUploads()).toEqual([]);
			expect(simulator().jobsCreated()).toBe(0);
		});

		it('an input of a kind the tool does not take answers 415', async () => {
			const response = await tool('extract-audio', {}, [photo()]);
			expect(response).toEqual({
				status: 415,
				body: { error: 'The extract-audio tool does not take image input ("photo.png", image/png); it takes video files.' },
			});
			// A file whose kind cannot be told is let through.
			expect((await tool('gif', {}, [{ name: 'blob', bytes: bytesOf(100), type: 'application/octet-stream' }])).status).toBe(200);
		});

		it('setPlan and POST /__simulator/plan refuse an unknown tool in lockedTools', async () => {
			expect(() => simulator().setPlan({ lockedTools: ['thumbnails' as MediaToolName] })).toThrow('unknown media tool "thumbnails"');
			const response = await fetch(`${simulator().url}/__simulator/plan`, { method: 'POST', body: JSON.stringify({ lockedTools: ['gif', 'nope'] }) });
			expect(response.status).toBe(400);
			const accepted = await fetch(`${simulator().url}/__simulator/plan`, { method: 'POST', body: JSON.stringify({ lockedTools: ['gif'] }) });
			expect(await accepted.json()).toMatchObject({ lockedTools: ['gif'] });
			expect(simulator().settings().plan).toMatchObject({ lockedTools: ['gif'] });
		});
	});

	describe('async', () => {
		it.each([['async'], ['background']])('%s=true answers 200 { jobId, status: pending, tool } and a media_tool job runs to completion', async (flag) => {
			simulator().configure({ createdJobTiming: { pendingMs: 1000, processingMsPerFile: 2000 } });
			const response = await tool('extract-audio', { [flag]: 'true', format: 'flac' }, [clip()]);
			expect(response).toEqual({ status: 200, body: { jobId: expect.any(String), status: 'pending', tool: 'extract-audio' } });
			expect(simulator().jobsCreated()).toBe(1);
			expect(simulator().mediaRequests()[0]).toMatchObject({ async: true, jobId: response.body.jobId, status: 200 });

			expect(await getJob(response.body.jobId)).toMatchObject({ jobType: 'media_tool', status: 'pending', totalFiles: 1, results: null });
			simulator().advanceTime(1000);
			expect(await getJob(response.body.jobId)).toMatchObject({ status: 'processing' });
			simulator().advanceTime(2000);
			const done = await getJob(response.body.jobId);
			expect(done).toMatchObject({ status: 'completed', completedFiles: 1, progress: 100 });
			expect(done).not.toHaveProperty('tool');
			expect(done.results).toEqual({
				tool: 'extract-audio',
				files: [{ filename: 'clip.flac', mimeType: 'audio/flac', originalSize: CLIP.length, finalSize: expect.any(Number), downloadUrl: expect.any(String) }],
			});
			const [file] = (done.results as { files: MediaFileResult[] }).files;
			expect((await download(file.downloadUrl)).bytes.equals(deriveResult(CLIP, { jobType: 'extract-audio', format: 'flac', compression: 60 }))).toBe(true);
			expect(simulator().timeline(String(response.body.jobId))?.transitions.map((step) => step.status)).toEqual(['pending', 'processing', 'completed']);
		});

		it('an async inspect completes with { tool, media }; image-to-pdf counts its inputs; a "fail" input fails the job', async () => {
			simulator().configure({ createdJobTiming: { pendingMs: 0, processingMsPerFile: 0 } });
			const inspect = await tool('inspect', { async: 'true' }, [photo()]);
			expect((await getJob(inspect.body.jobId)).results).toEqual({ tool: 'inspect', media: expect.objectContaining({ width: 800, height: 600, kind: 'image' }) });
			const pdf = await tool('image-to-pdf', { background: 'true' }, [photo('files', 'a.png'), photo('files', 'b.png')]);
			expect(await getJob(pdf.body.jobId)).toMatchObject({ totalFiles: 2, completedFiles: 2, results: { tool: 'image-to-pdf', files: [expect.objectContaining({ filename: 'a.pdf' })] } });
			const failing = await tool('thumbnail', { async: 'true' }, [photo('file', 'will-fail.png')]);
			expect(await getJob(failing.body.jobId)).toMatchObject({
				status: 'failed',
				failedFiles: 1,
				errorMessage: 'The media tool could not process the file.',
				results: null,
			});
		});

		it('Idempotency-Key: the same key returns the same job with its current status, and creates no second job', async () => {
			simulator().configure({ createdJobTiming: { pendingMs: 0, processingMsPerFile: 0 } });
			const headers = { ...auth(), 'idempotency-key': 'media-1' };
			const first = await tool('poster-frame', { async: 'true' }, [clip()], headers);
			const again = await tool('poster-frame', { async: 'true' }, [clip()], headers);
			expect(again).toEqual({ status: 200, body: { jobId: first.body.jobId, status: 'completed', tool: 'poster-frame' } });
			expect(simulator().jobsCreated()).toBe(1);
			expect(simulator().mediaRequests().map((record) => [record.idempotencyKey, record.reused, record.jobId])).toEqual([
				['media-1', false, first.body.jobId],
				['media-1', true, first.body.jobId],
			]);
			// Another key, another API key, or the same key on POST /api/jobs: new work.
			const other = await tool('poster-frame', { async: 'true' }, [clip()], { ...auth(), 'idempotency-key': 'media-2' });
			const otherAccount = await tool('poster-frame', { async: 'true' }, [clip()], { ...auth('cvly_simulator_other_key'), 'idempotency-key': 'media-1' });
			expect(new Set([first.body.jobId, other.body.jobId, otherAccount.body.jobId]).size).toBe(3);
			expect(simulator().jobsCreated()).toBe(3);
		});

		it('Idempotency-Key: two requests with the same key at once make one job; a refused first request leaves the key free', async () => {
			const headers = { ...auth(), 'idempotency-key': 'together' };
			const big = { name: 'big.mp4', bytes: bytesOf(300_000), type: 'video/mp4' };
			const [a, b] = await Promise.all([tool('gif', { async: 'true' }, [big], headers), tool('gif', { async: 'true' }, [big], headers)]);
			expect(a.body.jobId).toBe(b.body.jobId);
			expect(simulator().jobsCreated()).toBe(1);

			const refusedHeaders = { ...auth(), 'idempotency-key': 'refused' };
			expect((await tool('gif', { async: 'true', fps: '0' }, [clip()], refusedHeaders)).status).toBe(400);
			expect((await tool('gif', { async: 'true' }, [clip()], refusedHeaders)).status).toBe(200);
			expect(simulator().jobsCreated()).toBe(2);
		});

		it('async jobs send media.tool.completed / media.tool.failed webhooks naming the tool and the first output', async () => {
			simulator().configure({ createdJobTiming: { pendingMs: 0, processingMsPerFile: 0 } });
			const events: Array<{ type: string; data: Record<string, unknown> }> = [];
			simulator().webhooks.addEndpoint({
				eventTypes: ['media.tool.completed', 'media.tool.failed'],
				handler: async (request) => {
					events.push(JSON.parse(request.body.toString('utf8')) as { type: string; data: Record<string, unknown> });
					return { status: 200 };
				},
			});
			const done = await tool('storyboard', { async: 'true' }, [clip()]);
			const failed = await tool('trim', { async: 'true' }, [{ ...clip(), name: 'fail.mp4' }]);
			await simulator().webhooks.idle();
			expect(events.map((event) => [event.type, event.data.jobId, event.data.tool, event.data.filename])).toEqual(
				expect.arrayContaining([
					['media.tool.completed', done.body.jobId, 'storyboard', 'clip-storyboard.jpg'],
					['media.tool.failed', failed.body.jobId, 'trim', null],
				]),
			);
			expect(events).toHaveLength(2);
		});

		it('a sync call ignores Idempotency-Key: each call works again', async () => {
			const headers = { ...auth(), 'idempotency-key': 'sync' };
			await tool('thumbnail', {}, [photo()], headers);
			await tool('thumbnail', {}, [photo()], headers);
			expect(simulator().mediaRequests().map((record) => record.reused)).toEqual([false, false]);
			expect(simulator().jobsCreated()).toBe(0);
		});
	});

	describe('sync POST /api/convert and /api/compress', () => {
		it('convert answers { files, storage } with one derived output per file, like POST /api/jobs', async () => {
			const first = bytesOf(5000, 1);
			const second = bytesOf(300, 2);
			const response = await post('/api/convert', { format: 'webp', resize: 'original', compression: '60' }, [
				{ name: 'a.png', bytes: first, type: 'image/png', field: 'files' },
				{ name: 'b.jpg', bytes: second, type: 'image/jpeg', field: 'files' },
			]);
			expect(response.status).toBe(200);
			const files = response.body.files as Array<Record<string, unknown>>;
			expect(files.map((file) => [file.filename, file.mimeType, file.originalSize, file.appliedQuality])).toEqual([
				['a.webp', 'image/webp', 5000, 60],
				['b.webp', 'image/webp', 300, 60],
			]);
			expect(files[0]).not.toHaveProperty('storedFileId');
			expect(response.body.storage).toEqual({ saved: false, notice: expect.stringContaining('saveToStorage=true') });
			for (const [index, input] of [first, second].entries()) {
				const expected = deriveResult(input, { jobType: 'convert', format: 'webp', compression: 60 });
				expect(files[index].finalSize).toBe(expected.length);
				expect(files[index].savedPercent).toBe(Math.round(((input.length - expected.length) / input.length) * 100));
				expect((await download(String(files[index].downloadUrl))).bytes.equals(expected)).toBe(true);
			}
			const stored = await post('/api/convert', { format: 'png', resize: 'width', resizeWidth: '320', saveToStorage: 'true' }, [photo('files')]);
			expect(stored.status).toBe(200);
			expect((stored.body.files as Array<Record<string, unknown>>)[0].storedFileId).toEqual(expect.any(String));
			expect(stored.body.storage).toEqual({ saved: true, notice: expect.any(String) });
			expect(simulator().jobsCreated()).toBe(0);
		});

		it('compress keeps each name and type; target-size picks the highest quality that fits', async () => {
			const input = bytesOf(10_000, 4);
			const quality = await post('/api/compress', { quality: '30' }, [{ name: 'scan.jpg', bytes: input, type: 'image/jpeg', field: 'files' }]);
			const [file] = quality.body.files as Array<Record<string, unknown>>;
			expect(file).toMatchObject({ filename: 'scan.jpg', mimeType: 'image/jpeg', appliedQuality: 30 });
			expect((await download(String(file.downloadUrl))).bytes.equals(deriveResult(input, { jobType: 'compress', format: 'jpg', compression: 30 }))).toBe(true);
			const target = await post('/api/compress', { mode: 'target-size', targetBytes: '5000' }, [{ name: 'scan.jpg', bytes: input, type: 'image/jpeg', field: 'files' }]);
			const [fitted] = target.body.files as Array<Record<string, unknown>>;
			expect(fitted.finalSize).toBeLessThanOrEqual(5000);
			expect(fitted.appliedQuality).toBe(49);
		});

		it.each<[string, string, Record<string, string>, Upload[], string]>([
			['convert without format', '/api/convert', { resize: 'original' }, [photo('files')], 'format is required.'],
			['convert without resize', '/api/convert', { format: 'png' }, [photo('files')], 'resize is required.'],
			['convert resize=width without a width', '/api/convert', { format: 'png', resize: 'width' }, [photo('files')], 'resizeWidths'],
			['convert with a file part', '/api/convert', { format: 'png', resize: 'original' }, [photo('file')], 'files is required'],
			['convert saveToStorage yes', '/api/convert', { format: 'png', resize: 'original', saveToStorage: 'yes' }, [photo('files')], 'saveToStorage'],
			['compress with an unknown mode', '/api/compress', { mode: 'smallest' }, [photo('files')], 'mode must be one of quality, target-size'],
			['compress target-size without targetBytes', '/api/compress', { mode: 'target-size' }, [photo('files')], 'targetBytes is required'],
			['compress quality 0', '/api/compress', { quality: '0' }, [photo('files')], 'quality must be an integer from 1 to 100'],
		])('answers 400 for %s', async (_case, path, fields, files, error) => {
			const response = await post(path, fields, files);
			expect(response.status).toBe(400);
			expect(response.body.error).toEqual(expect.stringContaining(error));
		});
	});

	describe('settings', () => {
		it('mediaProcessingMs delays each sync answer (divided by speed); async answers are not delayed', async () => {
			simulator().configure({ mediaProcessingMs: 300 });
			let started = Date.now();
			expect((await tool('thumbnail', {}, [photo()])).status).toBe(200);
			expect(Date.now() - started).toBeGreaterThanOrEqual(290);
			started = Date.now();
			expect((await tool('thumbnail', { async: 'true' }, [photo()])).status).toBe(200);
			expect(Date.now() - started).toBeLessThan(290);
			simulator().setSpeed(10);
			try {
				started = Date.now();
				await tool('thumbnail', {}, [photo()]);
				expect(Date.now() - started).toBeLessThan(290);
			} finally {
				simulator().setSpeed(1);
			}
		});

		it('POST /__simulator/config sets and validates mediaProcessingMs and inspectResponse', async () => {
			const admin = async (body: unknown) => {
				const response = await fetch(`${simulator().url}/__simulator/config`, { method: 'POST', body: JSON.stringify(body) });
				return { status: response.status, body: (await response.json()) as Record<string, unknown> };
			};
			expect((await admin({ mediaProcessingMs: 5, inspectResponse: 'files' })).body).toMatchObject({ mediaProcessingMs: 5, inspectResponse: 'files' });
			expect((await admin({ inspectResponse: 'json' })).body.error).toEqual(expect.stringContaining('inspectResponse'));
			expect((await admin({ mediaProcessingMs: -1 })).body.error).toEqual(expect.stringContaining('mediaProcessingMs'));
			simulator().reset();
			expect(simulator().settings()).toMatchObject({ mediaProcessingMs: 0, inspectResponse: 'media', plan: { lockedTools: [] } });
		});

		it('reset forgets sync outputs and removes every kept input', async () => {
			const response = await tool('convert', { format: 'mp3' }, [clip()]);
			expect(simulator().storedUploads()).toHaveLength(1);
			simulator().reset();
			expect(simulator().storedUploads()).toEqual([]);
			expect((await download((response.body.files as MediaFileResult[])[0].downloadUrl)).status).toBe(404);
		});
	});
});
