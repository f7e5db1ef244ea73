// Holds the simulator to OUR inferred shapes (test/contract/convertly-inferred.schema.json) for the
// endpoints the official excerpt does not cover. When Convertly publishes those schemas, only that
// file changes, and these tests say which simulator body no longer fits.
import inferredFile from './convertly-inferred.schema.json';
import { inferredSchemaNames, validateGetJobResponse, validateInferred } from './schemas';
import { useSimulator } from '../helpers';

const JOB_TYPES = ['convert', 'compress', 'media_tool', 'transfer'] as const;

describe('the inferred schema file', () => {
	it('is marked inferred and says where every shape comes from', () => {
		expect(inferredFile['x-inferred']).toBe(true);
		const defs = inferredFile.$defs as Record<string, { 'x-source'?: string }>;
		expect(Object.keys(defs)).toEqual(inferredSchemaNames());
		for (const [name, def] of Object.entries(defs)) {
			expect({ name, source: def['x-source'] }).toEqual({ name, source: expect.stringMatching(/^\[(doc|sdk|inferred)\]/) });
		}
	});

	it('reuses the official field types instead of copying them', () => {
		const job = { jobId: 'not-a-uuid', jobType: 'convert', status: 'completed', createdAt: '2026-11-28T10:00:00Z' };
		expect(validateInferred('JobSummary', job).errors).toEqual([expect.objectContaining({ path: '/jobId', keyword: 'format' })]);
		expect(validateInferred('JobSummary', { ...job, jobId: 'a755a89a-3a63-4f3e-88ff-7fef50d42d7d', jobType: 'forma' }).errors).toEqual([
			expect.objectContaining({ path: '/jobType', keyword: 'enum' }),
		]);
	});

	it("accepts the webhook docs' own envelope and headers", () => {
		const envelope = {
			id: 'evt_0f4c7a8e-4b0a-4a57-9b7e-0d7b2c5d1e11',
			type: 'conversion.completed',
			created: 1764324000,
			data: { jobId: 'a755a89a-3a63-4f3e-88ff-7fef50d42d7d', filename: 'photo.webp' },
		};
		expect(validateInferred('WebhookEnvelope', envelope).valid).toBe(true);
		expect(validateInferred('WebhookEnvelope', { ...envelope, type: 'job.done' }).valid).toBe(false);
		const headers = {
			'user-agent': 'Convertly-Webhooks/1.0',
			'convertly-event': 'conversion.completed',
			'convertly-timestamp': '1764324000',
			'convertly-signature': `t=1764324000,v1=${'ab'.repeat(32)}`,
		};
		expect(validateInferred('WebhookHeaders', headers).valid).toBe(true);
		expect(validateInferred('WebhookHeaders', { ...headers, 'convertly-signature': 'sha256=abc' }).valid).toBe(false);
	});
});

describe('simulator list bodies against the inferred schema', () => {
	const simulator = useSimulator();

	const get = async (path: string) => {
		const response = await fetch(`${simulator().url}${path}`, { headers: { 'x-api-key': simulator().apiKey } });
		return { status: response.status, body: (await response.json()) as { jobs: Array<Record<string, unknown>>; pagination?: Record<string, unknown> } };
	};

	const seed = () => {
		const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
		return JOB_TYPES.flatMap((jobType, index) => [
			simulator().addJob({ jobType, pendingMs: 3_600_000, createdAt: ago(index * 1000) }),
			simulator().addJob({ jobType, totalFiles: 4, processingMs: 10_000, createdAt: ago(5_000 + index * 1000) }),
			simulator().addJob({ jobType, totalFiles: 3, failedFiles: 1, processingMs: 0, createdAt: ago(60_000 + index * 1000) }),
			simulator().addJob({ jobType, outcome: 'failed', processingMs: 0, createdAt: ago(120_000 + index * 1000), extra: { updatedAt: ago(0) } }),
		]);
	};

	it.each([
		['/api/jobs'],
		['/api/jobs?limit=1'],
		['/api/jobs?limit=5&offset=3'],
		['/api/jobs?limit=100&offset=15'],
		['/api/jobs?status=pending'],
		['/api/jobs?status=processing'],
		['/api/jobs?status=completed&limit=2'],
		['/api/jobs?status=failed'],
	])('%s is a valid JobListResponse', async (path) => {
		seed();
		const response = await get(path);
		expect(response.status).toBe(200);
		expect(validateInferred('JobListResponse', response.body)).toEqual({ valid: true, errors: [] });
	});

	it('an empty account is a valid JobListResponse', async () => {
		const response = await get('/api/jobs?limit=1');
		expect(response.body.jobs).toEqual([]);
		expect(validateInferred('JobListResponse', response.body)).toEqual({ valid: true, errors: [] });
	});

	it('every list entry agrees with the JobDetail of the same job', async () => {
		seed();
		const { body } = await get('/api/jobs?limit=100');
		expect(body.jobs).toHaveLength(16);
		for (const summary of body.jobs) {
			const response = await fetch(`${simulator().url}/api/jobs/${String(summary.jobId)}`, { headers: { 'x-api-key': simulator().apiKey } });
			const detail = (await response.json()) as Record<string, unknown>;
			expect(validateGetJobResponse(response.status, detail).valid).toBe(true);
			// Processing jobs move on between the two reads; the identity fields never do.
			for (const field of ['jobId', 'jobType', 'totalFiles', 'createdAt']) expect(summary[field]).toEqual(detail[field]);
			if (summary.status !== 'processing') {
				for (const field of Object.keys(summary)) expect({ field, value: summary[field] }).toEqual({ field, value: detail[field] });
			}
		}
	});

	it('a list body without pagination is caught as outside the documented shape', () => {
		expect(validateInferred('JobListResponse', { jobs: [] }).errors).toEqual([
			expect.objectContaining({ path: '/pagination', keyword: 'required' }),
		]);
	});
});
