import { useSimulator } from '../helpers';

describe('Simulator: admin HTTP routes for the new settings', () => {
	const simulator = useSimulator();

	async function admin(method: string, route: string, body?: unknown) {
		const response = await fetch(`${simulator().url}/__simulator${route}`, {
			method,
			body: body === undefined ? undefined : JSON.stringify(body),
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
		});
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	}

	function upload(fields: Record<string, string>, key = simulator().apiKey, idempotencyKey?: string) {
		const body = new FormData();
		for (const [name, value] of Object.entries(fields)) body.append(name, value);
		body.append('files', new Blob([Buffer.from('hello')], { type: 'image/png' }), 'a.png');
		const headers: Record<string, string> = { 'x-api-key': key };
		if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
		return fetch(`${simulator().url}/api/jobs`, { method: 'POST', body, headers });
	}

	it('POST /config sets every new setting, validates them, and GET /config reads them back', async () => {
		const changed = await admin('POST', '/config', {
			downloadMode: 'storage',
			signedUrlTtlMs: 1000,
			signedUrlExpiredStatus: 410,
			createdJobTiming: { pendingMs: 5 },
			cancelResponse: 'ack',
			listPagination: 'hasMore',
		});
		expect(changed.status).toBe(200);
		expect(changed.body).toMatchObject({
			downloadMode: 'storage',
			signedUrlTtlMs: 1000,
			signedUrlExpiredStatus: 410,
			createdJobTiming: { pendingMs: 5, processingMsPerFile: 300, processingMsCycle: null },
			cancelResponse: 'ack',
			listPagination: 'hasMore',
		});
		expect((await admin('GET', '/config')).body).toEqual(changed.body);
		const refused = await admin('POST', '/config', { downloadMode: 'ftp' });
		expect(refused.status).toBe(400);
		expect(refused.body.error).toContain('downloadMode');
		expect((await admin('GET', '/config')).body.downloadMode).toBe('storage');
	});

	it('POST /config advanceMs moves the simulated clock', async () => {
		const job = simulator().addJob({ pendingMs: 3_600_000, processingMs: 0 });
		expect(simulator().getJob(job.jobId)?.status).toBe('pending');
		await admin('POST', '/config', { advanceMs: 3_600_000 });
		expect(simulator().getJob(job.jobId)?.status).toBe('completed');
	});

	it('POST /plan sets the plan limits; POST /jobs accepts resultFiles and downloads', async () => {
		const plan = await admin('POST', '/plan', { lockedFormats: ['avif'], upgradeUrl: 'https://example.test/up' });
		expect(plan.body).toMatchObject({ lockedFormats: ['avif'], maxFilesPerBatch: null, upgradeUrl: 'https://example.test/up' });
		const refused = await upload({ format: 'avif', resize: 'original', saveToStorage: 'true' });
		expect(refused.status).toBe(403);
		expect(await refused.json()).toEqual({ error: 'The avif format is not available on your plan.', upgradeUrl: 'https://example.test/up' });

		const added = await admin('POST', '/jobs', { processingMs: 0, downloads: 'storage', resultFiles: [{ filename: 'x.bin', sizeBytes: 3 }] });
		expect(added.status).toBe(201);
		const [entry] = added.body.results as Array<{ downloadUrl: string }>;
		expect(entry.downloadUrl.startsWith(`${simulator().storageUrl}/signed/`)).toBe(true);
		expect((await admin('POST', '/jobs', { downloads: 'nope' })).status).toBe(400);
	});

	it('GET /stats reports jobsCreated, create requests (without key values) and downloads; GET timeline', async () => {
		simulator().configure({ createdJobTiming: { pendingMs: 0, processingMsPerFile: 0 } });
		const created = (await (await upload({ format: 'png', resize: 'original', saveToStorage: 'true' }, simulator().apiKey, 'idem-1')).json()) as {
			jobId: string;
		};
		await upload({ format: 'png', resize: 'original', saveToStorage: 'true' }, simulator().apiKey, 'idem-1');
		const job = simulator().getJob(created.jobId);
		const [entry] = job?.results as Array<{ downloadUrl: string }>;
		await (await fetch(entry.downloadUrl)).arrayBuffer();

		const stats = await admin('GET', '/stats');
		expect(stats.body.jobsCreated).toBe(1);
		expect(stats.body.createRequests).toEqual([
			expect.objectContaining({ idempotencyKey: 'idem-1', reused: false, jobId: created.jobId, status: 200, auth: 'x-api-key' }),
			expect.objectContaining({ idempotencyKey: 'idem-1', reused: true, jobId: created.jobId, status: 200 }),
		]);
		expect(JSON.stringify(stats.body)).not.toContain(simulator().apiKey);
		expect(stats.body.downloads).toEqual([expect.objectContaining({ origin: 'api', withKey: false, status: 401 })]);

		const timeline = await admin('GET', `/jobs/${created.jobId}/timeline`);
		expect(timeline.body.transitions).toEqual([
			{ status: 'pending', at: expect.any(Number) },
			{ status: 'processing', at: expect.any(Number) },
			{ status: 'completed', at: expect.any(Number) },
		]);
	});
});
