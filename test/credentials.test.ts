import { testCredential } from '../tools/engine';
import { getJobParameters, run, useSimulator } from './helpers';

describe('Convertly API credential', () => {
	const simulator = useSimulator();

	it('sends only "Authorization: Bearer <key>" by default', async () => {
		const job = simulator().addJob({ processingMs: 0 });
		const result = await run(simulator(), getJobParameters(job.jobId));
		expect(result.status).toBe('success');
		const [request] = simulator().requests();
		expect(request.headers.authorization).toBe(`Bearer ${simulator().apiKey}`);
		expect(request.headers['x-api-key']).toBeUndefined();
	});

	it('sends only "x-api-key: <key>" when chosen', async () => {
		const job = simulator().addJob({ processingMs: 0 });
		const result = await run(simulator(), getJobParameters(job.jobId), {
			credentials: { authHeader: 'xApiKey' },
		});
		expect(result.status).toBe('success');
		const [request] = simulator().requests();
		expect(request.headers['x-api-key']).toBe(simulator().apiKey);
		expect(request.headers.authorization).toBeUndefined();
	});

	it('tolerates a trailing slash and surrounding spaces in the base URL', async () => {
		const job = simulator().addJob({ processingMs: 0 });
		const result = await run(simulator(), getJobParameters(job.jobId), {
			credentials: { baseUrl: ` ${simulator().url}// ` },
		});
		expect(result.status).toBe('success');
		expect(simulator().requests()[0].path).toBe(`/api/jobs/${job.jobId}`);
	});

	it('accepts keys without the cvly_ prefix (the prefix is only a convention)', async () => {
		const { startSimulator } = await import('../simulator');
		const other = await startSimulator({ apiKeys: ['legacy-key-without-prefix'] });
		try {
			const job = other.addJob({ processingMs: 0 });
			const result = await run(other, getJobParameters(job.jobId), {
				credentials: { apiKey: 'legacy-key-without-prefix' },
			});
			expect(result.status).toBe('success');
		} finally {
			await other.close();
		}
	});

	describe('Test button', () => {
		it('reports success for a good key with one cheap list request', async () => {
			const outcome = await testCredential({ apiKey: simulator().apiKey, baseUrl: `${simulator().url}/` });
			expect(outcome).toMatchObject({ status: 'OK', statusCode: 200 });
			const requests = simulator().requests();
			expect(requests).toHaveLength(1);
			expect(requests[0].method).toBe('GET');
			expect(requests[0].path).toBe('/api/jobs?limit=1');
			expect(requests[0].headers.authorization).toBe(`Bearer ${simulator().apiKey}`);
		});

		it('tells a rejected key apart, in both header modes', async () => {
			for (const authHeader of ['bearer', 'xApiKey'] as const) {
				const outcome = await testCredential({ apiKey: 'cvly_revoked', authHeader, baseUrl: simulator().url });
				expect(outcome.status).toBe('Error');
				expect(outcome.statusCode).toBe(401);
				expect(outcome.message).toContain('rejected the API key');
			}
			expect(simulator().requests().map((request) => request.headers['x-api-key'])).toEqual([
				undefined,
				'cvly_revoked',
			]);
		});

		it('explains a base URL that is not a Convertly API', async () => {
			const outcome = await testCredential({ apiKey: simulator().apiKey, baseUrl: `${simulator().url}/not-convertly` });
			expect(outcome.status).toBe('Error');
			expect(outcome.message).toContain('No Convertly API was found at this Base URL');
		});
	});
});
