// `npm run smoke` pointed at the simulator (CONVERTLY_BASE_URL + the demo key), run as its own
// process exactly as a user runs it: what it checks, what it sends, what it prints and its exit code.
import { useSimulator } from '../helpers';
import { runSmoke } from './runSmoke';

// Each run is a fresh Node process loading n8n-core (about 1.5 s of CPU); on a loaded machine that
// can take many seconds of wall time, so these tests get a generous timeout (no timing is asserted).
jest.setTimeout(120_000);

describe('npm run smoke against the simulator', () => {
	const simulator = useSimulator();
	const env = (extra: Record<string, string> = {}) => ({
		CONVERTLY_BASE_URL: simulator().url,
		CONVERTLY_API_KEY: simulator().apiKey,
		...extra,
	});
	const line = (stdout: string, title: string) => stdout.split('\n').find((entry) => entry.includes(title)) ?? '';
	/** The lines of one check: its title line up to the next check. */
	const section = (stdout: string, title: string) => {
		const lines = stdout.split('\n');
		const start = lines.findIndex((entry) => entry.includes(title));
		if (start === -1) return '';
		const end = lines.findIndex((entry, index) => index > start && /^\[/.test(entry));
		return lines.slice(start, end === -1 ? undefined : end).join('\n');
	};

	it('without a key: explains how to get one, exits 0 and sends nothing', async () => {
		const result = await runSmoke({ CONVERTLY_BASE_URL: simulator().url });
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('no CONVERTLY_API_KEY set');
		expect(result.stdout).toContain('Settings → API keys');
		expect(result.stdout).toContain('CONVERTLY_SMOKE_WRITE=1');
		expect(simulator().requests()).toHaveLength(0);
	});

	it('read-only: every check matches, both header modes are used, only GETs are sent, the key is never printed', async () => {
		simulator().addJob({ jobType: 'compress', totalFiles: 2, processingMs: 0, createdAt: new Date(Date.now() - 60_000).toISOString() });
		const newest = simulator().addJob({ jobType: 'transfer', processingMs: 0, extra: { updatedAt: '2026-11-28T10:00:00Z' } });
		const result = await runSmoke(env());
		expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
		expect(line(result.stdout, 'Credential test (Authorization: Bearer)')).toContain('[OK');
		expect(line(result.stdout, 'Credential test (x-api-key header)')).toContain('[OK');
		expect(line(result.stdout, 'GET /api/jobs?limit=1')).toContain('[OK');
		expect(line(result.stdout, 'Job → Get Many (limit 1)')).toContain('[OK');
		expect(line(result.stdout, 'Job → Get (Authorization: Bearer)')).toContain('[OK');
		expect(line(result.stdout, 'Job → Get (x-api-key header)')).toContain('[OK');
		expect(line(result.stdout, 'Unknown job → 404')).toContain('[OK');
		expect(line(result.stdout, 'Rejected key → 401')).toContain('[OK');
		expect(line(result.stdout, 'Job → Create')).toContain('[SKIPPED');
		// It read the newest job, field by field, and listed the field the schema does not name.
		expect(result.stdout).toContain(`job ${newest.jobId}`);
		expect(result.stdout).toMatch(/updatedAt +string "2026-11-28T10:00:00Z" +\+ not in the schema/);
		expect(result.stdout).toMatch(/0 failed/);

		const requests = simulator().requests();
		expect(new Set(requests.map((request) => request.method))).toEqual(new Set(['GET']));
		expect(requests.some((request) => request.headers['x-api-key'] === simulator().apiKey)).toBe(true);
		expect(requests.some((request) => request.headers.authorization === `Bearer ${simulator().apiKey}`)).toBe(true);
		expect(requests.filter((request) => request.path === `/api/jobs/${newest.jobId}`)).toHaveLength(2);
		expect(result.stdout).not.toContain(simulator().apiKey);
	});

	it('a body outside the official schema fails the run, naming the field', async () => {
		const job = simulator().addJob({ processingMs: 0 });
		const bad = { ...job, results: 'done', progress: '50%', errorMessage: 3 };
		simulator().addJob({ jobId: job.jobId, processingMs: 0, faults: [{ status: 200, body: bad, times: 2 }] });
		const result = await runSmoke(env({ CONVERTLY_JOB_ID: job.jobId }));
		expect(result.code).toBe(1);
		expect(line(result.stdout, 'Job → Get (Authorization: Bearer)')).toContain('[FAILED');
		const get = section(result.stdout, 'Job → Get (Authorization: Bearer)');
		expect(line(get, 'results ')).toMatch(/string "done" +✗ must be object,array,null/);
		expect(line(get, 'progress ')).toMatch(/✗ must be integer/);
		expect(line(get, 'errorMessage ')).toMatch(/✗ must be string,null/);
		expect(line(get, 'jobType ')).toMatch(/✓$/);
		expect(result.stdout).toMatch(/, 2 failed/);
	});

	it('a list body outside our inferred shape is reported as a difference without failing the run', async () => {
		const job = simulator().addJob({ processingMs: 0 });
		const { jobId, jobType, status, createdAt } = job;
		// The two credential tests and the raw list read (in that order) get a list whose total is text.
		simulator().addFault({
			path: '/api/jobs',
			status: 200,
			body: { jobs: [{ jobId, jobType, status, createdAt }], pagination: { limit: 1, offset: 0, total: '1' } },
			times: 3,
		});
		const result = await runSmoke(env());
		expect(result.code).toBe(0);
		expect(line(result.stdout, 'GET /api/jobs?limit=1')).toContain('[DIFFERS');
		expect(line(section(result.stdout, 'GET /api/jobs?limit=1'), 'total ')).toMatch(/string "1" +✗ must be integer/);
		expect(result.stdout).toMatch(/1 differ from our inferred shapes/);
		expect(result.stdout).toContain('convertly-inferred.schema.json');
	});

	it('with CONVERTLY_SMOKE_WRITE=1 on an empty account: creates one compress job from a generated PNG, waits, downloads it, then reads it; cancels nothing', async () => {
		simulator().configure({ createdJobTiming: { pendingMs: 0, processingMsPerFile: 0 } });
		const result = await runSmoke(env({ CONVERTLY_SMOKE_WRITE: '1' }));
		expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
		expect(line(result.stdout, 'Job → Create')).toContain('[OK');
		const creates = simulator().createRequests();
		expect(creates).toHaveLength(1);
		expect(creates[0].fields).toMatchObject({ jobType: 'compress', format: 'png' });
		expect(creates[0].files).toEqual([expect.objectContaining({ filename: 'convertly-smoke.png', mimeType: 'image/png' })]);
		// A real PNG (8-byte signature, IHDR, IDAT, IEND) of a few hundred bytes.
		expect(creates[0].files[0].size).toBeGreaterThan(100);
		expect(simulator().downloads().filter((download) => download.status === 200)).toHaveLength(1);
		expect(result.stdout).toMatch(/downloaded data\w*: convertly-smoke\.png, image\/png, \d+ bytes/);
		expect(result.stdout).toMatch(/fileDownload +object +\+ added by the node/);
		// The account listed no job, so the two Gets read the one just created.
		const created = String(creates[0].jobId);
		expect(simulator().requests().filter((request) => request.method === 'GET' && request.path === `/api/jobs/${created}`).length).toBeGreaterThanOrEqual(3);
		expect(line(result.stdout, 'Job → Get (x-api-key header)')).toContain('[OK');
		expect(simulator().requests().filter((request) => request.method === 'DELETE')).toHaveLength(0);
		expect(result.stdout).not.toContain(simulator().apiKey);
	});

	it('with CONVERTLY_SMOKE_WRITE=1: a created job still pending after the wait is cancelled, and only that one', async () => {
		simulator().configure({ createdJobTiming: { pendingMs: 3_600_000, processingMsPerFile: 100 } });
		const someoneElses = simulator().addJob({ pendingMs: 3_600_000 });
		const result = await runSmoke(env({ CONVERTLY_SMOKE_WRITE: '1', CONVERTLY_SMOKE_WAIT_SECONDS: '1' }));
		expect(result.code).toBe(1);
		expect(line(result.stdout, 'Job → Create')).toContain('[FAILED');
		expect(result.stdout).toContain('the job ended "pending", not completed');
		const created = simulator().createRequests()[0].jobId;
		const deletes = simulator().requests().filter((request) => request.method === 'DELETE');
		expect(deletes.map((request) => request.jobId)).toEqual([created]);
		expect(line(result.stdout, `the job this run created (${String(created)})`)).toContain('cancelled');
		expect(simulator().getJob(String(created))?.status).toBe('cancelled');
		expect(simulator().getJob(someoneElses.jobId)?.status).toBe('pending');
	});

	it('a rejected key fails the run without ever printing it', async () => {
		const wrong = 'cvly_this_key_is_secret_and_wrong_1234';
		const result = await runSmoke(env({ CONVERTLY_API_KEY: wrong }));
		expect(result.code).toBe(1);
		expect(line(result.stdout, 'Credential test (Authorization: Bearer)')).toContain('[FAILED');
		expect(result.stdout).toContain('Convertly rejected the API key');
		expect(`${result.stdout}${result.stderr}`).not.toContain(wrong);
		expect(`${result.stdout}${result.stderr}`).not.toContain('this_key_is_secret');
		// The simulator did receive it: the masking is in the output, not in what is sent.
		expect(simulator().requests().some((request) => request.headers.authorization === `Bearer ${wrong}`)).toBe(true);
	});
});
