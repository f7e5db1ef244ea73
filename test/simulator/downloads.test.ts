import { checkPattern, deriveResult, patternBytes } from '../../simulator';
import type { SimulatorResultEntry } from '../../simulator';
import { useSimulator } from '../helpers';

function form(name: string, bytes: Uint8Array): FormData {
	const body = new FormData();
	body.append('format', 'png');
	body.append('resize', 'original');
	body.append('saveToStorage', 'true');
	body.append('files', new Blob([Buffer.from(bytes)], { type: 'image/jpeg' }), name);
	return body;
}

const INPUT = Uint8Array.from({ length: 2048 }, (_, i) => (i * 7) & 0xff);

describe('Simulator: result downloads', () => {
	const simulator = useSimulator({ createdJobTiming: { pendingMs: 0, processingMsPerFile: 0 } });
	const key = () => ({ 'x-api-key': simulator().apiKey });

	async function createJob(name = 'photo.jpg', bytes: Uint8Array = INPUT) {
		const response = await fetch(`${simulator().url}/api/jobs`, { method: 'POST', body: form(name, bytes), headers: key() });
		expect(response.status).toBe(200);
		return String(((await response.json()) as { jobId: string }).jobId);
	}

	async function results(jobId: string) {
		const response = await fetch(`${simulator().url}/api/jobs/${jobId}`, { headers: key() });
		const job = (await response.json()) as { status: string; results: SimulatorResultEntry[] };
		expect(job.status).toBe('completed');
		return job.results;
	}

	const expected = () => deriveResult(INPUT, { jobType: 'convert', format: 'png', compression: 82 });

	describe('api mode (default)', () => {
		it('serves the file on the API origin with the key, 401 without it, and records both', async () => {
			const [entry] = await results(await createJob());
			const url = entry.downloadUrl as string;
			expect(url.startsWith(`${simulator().url}/files/`)).toBe(true);

			const refused = await fetch(url);
			expect(refused.status).toBe(401);
			expect(await refused.json()).toEqual({ error: 'Missing API key.' });
			const served = await fetch(url, { headers: { authorization: `Bearer ${simulator().apiKey}` } });
			expect(served.status).toBe(200);
			expect(Buffer.from(await served.arrayBuffer()).equals(expected())).toBe(true);
			expect(served.headers.get('content-disposition')).toBe(`attachment; filename="photo.png"; filename*=UTF-8''photo.png`);

			expect(simulator().downloads().map(({ origin, withKey, status }) => ({ origin, withKey, status }))).toEqual([
				{ origin: 'api', withKey: false, status: 401 },
				{ origin: 'api', withKey: true, status: 200 },
			]);
		});

		it('answers 404 for a wrong index, a wrong name, and a job not completed yet', async () => {
			const jobId = await createJob();
			simulator().configure({ createdJobTiming: { pendingMs: 60_000 } });
			const pending = await createJob();
			for (const path of [`${jobId}/1/photo.png`, `${jobId}/0/other.png`, `${pending}/0/photo.png`]) {
				const response = await fetch(`${simulator().url}/files/${path}`, { headers: key() });
				expect(response.status).toBe(404);
				expect(await response.json()).toEqual({ error: 'Result file not found.' });
			}
		});

		it('makes the default results of added jobs downloadable (synthetic bytes of the advertised size)', async () => {
			const job = simulator().addJob({ totalFiles: 2, processingMs: 0 });
			const entries = job.results as SimulatorResultEntry[];
			const response = await fetch(entries[1].downloadUrl as string, { headers: key() });
			const bytes = Buffer.from(await response.arrayBuffer());
			expect(bytes.length).toBe(entries[1].finalSize);
			expect(checkPattern(bytes)).toBe(-1);
		});

		it('streams resultFiles as the i % 251 pattern with an exact Content-Length', async () => {
			const job = simulator().addJob({
				processingMs: 0,
				resultFiles: [{ filename: 'big.mp4', mimeType: 'video/mp4', sizeBytes: 5_000_003 }],
			});
			const [entry] = job.results as SimulatorResultEntry[];
			expect(entry).toMatchObject({ filename: 'big.mp4', mimeType: 'video/mp4', finalSize: 5_000_003 });
			const response = await fetch(entry.downloadUrl as string, { headers: key() });
			expect(response.headers.get('content-length')).toBe('5000003');
			const bytes = Buffer.from(await response.arrayBuffer());
			expect(bytes.length).toBe(5_000_003);
			expect(checkPattern(bytes)).toBe(-1);
			expect(checkPattern(patternBytes(1000, 10), 1001)).toBe(0);
		});
	});

	describe('storage mode', () => {
		it('gives signed URLs on the other origin that need no key, freshly minted on every read', async () => {
			simulator().configure({ downloadMode: 'storage' });
			const jobId = await createJob();
			const [entry] = await results(jobId);
			const url = new URL(entry.downloadUrl as string);
			expect(url.origin).toBe(simulator().storageUrl);
			expect(url.origin).not.toBe(new URL(simulator().url).origin);
			expect(url.pathname).toBe(`/signed/${jobId}/0/photo.png`);
			expect(Number(url.searchParams.get('expires'))).toBeGreaterThan(simulator().now());

			const response = await fetch(url);
			expect(response.status).toBe(200);
			expect(Buffer.from(await response.arrayBuffer()).equals(expected())).toBe(true);
			expect(simulator().downloads()).toEqual([expect.objectContaining({ origin: 'storage', withKey: false, status: 200, jobId })]);

			simulator().advanceTime(1000);
			const [later] = await results(jobId);
			expect(later.downloadUrl).not.toBe(entry.downloadUrl);
		});

		it('refuses an expired link (403 by default, or the configured status) and a tampered one', async () => {
			simulator().configure({ downloadMode: 'storage', signedUrlTtlMs: 60_000 });
			const [entry] = await results(await createJob());
			const url = entry.downloadUrl as string;
			const tampered = url.replace(/sig=([0-9a-f])/, (_match, digit: string) => `sig=${digit === '0' ? '1' : '0'}`);
			expect((await fetch(tampered)).status).toBe(403);

			simulator().advanceTime(60_001);
			const expired = await fetch(url);
			expect(expired.status).toBe(403);
			expect(await expired.json()).toEqual({ error: 'This download link has expired.' });
			simulator().configure({ signedUrlExpiredStatus: 410 });
			expect((await fetch(url)).status).toBe(410);
		});

		it('records a key sent to the storage origin', async () => {
			simulator().configure({ downloadMode: 'storage' });
			const [entry] = await results(await createJob());
			await (await fetch(entry.downloadUrl as string, { headers: key() })).arrayBuffer();
			expect(simulator().downloads()[0]).toMatchObject({ origin: 'storage', withKey: true });
		});
	});

	describe('redirect mode', () => {
		it('answers the API-origin URL (with the key) by a 302 to a fresh signed storage URL', async () => {
			simulator().configure({ downloadMode: 'redirect' });
			const [entry] = await results(await createJob());
			expect((entry.downloadUrl as string).startsWith(`${simulator().url}/files/`)).toBe(true);
			expect((await fetch(entry.downloadUrl as string, { redirect: 'manual' })).status).toBe(401);

			const redirect = await fetch(entry.downloadUrl as string, { headers: key(), redirect: 'manual' });
			expect(redirect.status).toBe(302);
			const location = redirect.headers.get('location') as string;
			expect(location.startsWith(`${simulator().storageUrl}/signed/`)).toBe(true);
			const followed = await fetch(location);
			expect(Buffer.from(await followed.arrayBuffer()).equals(expected())).toBe(true);
			expect(simulator().downloads().map(({ origin, withKey, status }) => [origin, withKey, status])).toEqual([
				['api', false, 401],
				['api', true, 302],
				['storage', false, 200],
			]);
		});
	});

	describe('data mode', () => {
		it('inlines results as data: URLs', async () => {
			simulator().configure({ downloadMode: 'data' });
			const [entry] = await results(await createJob());
			const match = /^data:image\/png;base64,(.+)$/.exec(entry.downloadUrl as string);
			expect(match).not.toBeNull();
			expect(Buffer.from((match as RegExpExecArray)[1], 'base64').equals(expected())).toBe(true);
		});

		it('refuses results over 1 MiB when the job is created', async () => {
			simulator().configure({ downloadMode: 'data' });
			expect(() => simulator().addJob({ processingMs: 0, resultFiles: [{ sizeBytes: 2 * 1024 * 1024 }] })).toThrow(/1048576 bytes/);
			const response = await fetch(`${simulator().url}/api/jobs`, {
				method: 'POST',
				body: form('large.jpg', new Uint8Array(1_500_000)),
				headers: key(),
			});
			expect(response.status).toBe(413);
			expect(((await response.json()) as { error: string }).error).toContain('large.png');
			expect(simulator().jobsCreated()).toBe(0);
		});

		it('a job spec can choose its own mode', async () => {
			const job = simulator().addJob({ processingMs: 0, downloads: 'data', resultFiles: [{ sizeBytes: 10 }] });
			expect((job.results as SimulatorResultEntry[])[0].downloadUrl).toBe(
				`data:application/octet-stream;base64,${patternBytes(0, 10).toString('base64')}`,
			);
		});
	});

	describe('faults on downloads', () => {
		it('a status fault on a download path answers once, then the file is served', async () => {
			const [entry] = await results(await createJob());
			simulator().addFault({ path: '/files/', method: 'GET', status: 410 });
			expect((await fetch(entry.downloadUrl as string, { headers: key() })).status).toBe(410);
			expect((await fetch(entry.downloadUrl as string, { headers: key() })).status).toBe(200);
		});

		it('faults can target the storage origin only', async () => {
			simulator().configure({ downloadMode: 'storage' });
			const [entry] = await results(await createJob());
			simulator().addFault({ origin: 'storage', path: '/signed/', status: 404 });
			expect((await fetch(`${simulator().url}/api/jobs?limit=1`, { headers: key() })).status).toBe(200);
			expect((await fetch(entry.downloadUrl as string)).status).toBe(404);
			expect((await fetch(entry.downloadUrl as string)).status).toBe(200);
		});

		it('dropAfterBytes sends the headers and that many bytes, then cuts the connection', async () => {
			const job = simulator().addJob({ processingMs: 0, resultFiles: [{ filename: 'r.bin', sizeBytes: 1_000_000 }] });
			const [entry] = job.results as SimulatorResultEntry[];
			simulator().addFault({ path: '/files/', dropAfterBytes: 300_000 });
			const response = await fetch(entry.downloadUrl as string, { headers: key() });
			expect(response.status).toBe(200);
			expect(response.headers.get('content-length')).toBe('1000000');
			await expect(response.arrayBuffer()).rejects.toThrow();
			expect(simulator().downloads()[0]).toMatchObject({ status: 'dropped', bytesSent: 300_000 });
			const again = await fetch(entry.downloadUrl as string, { headers: key() });
			expect((await again.arrayBuffer()).byteLength).toBe(1_000_000);
		});
	});
});
