import type { IHttpRequestOptions } from 'n8n-workflow';

import { ConvertlyApi, NOT_CONVERTLY_MESSAGE } from '../../credentials/ConvertlyApi.credentials';
import { testCredential } from '../../tools/engine';
import { getJobParameters, run, useSimulator } from '../helpers';

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
		const { startSimulator } = await import('../../simulator');
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

	describe('authenticate', () => {
		const credential = new ConvertlyApi();
		const authenticate = async (credentials: Record<string, string>, options: IHttpRequestOptions) => {
			if (typeof credential.authenticate !== 'function') throw new Error('authenticate is not a function');
			return await credential.authenticate(credentials, options);
		};

		it('is a plain function, so n8n resolves no expressions per request', () => {
			expect(typeof credential.authenticate).toBe('function');
		});

		it('is an own property, so it survives the object spread with which n8n copies credential types', () => {
			// Lost as a class method: the editor would then not offer the credential in the HTTP
			// Request node's "Predefined Credential Type" list.
			expect(typeof { ...credential }.authenticate).toBe('function');
		});

		it('adds exactly one header and keeps the request’s own headers and options', async () => {
			const options = { url: 'https://convertly.sh/api/jobs/1', headers: { accept: 'application/json' } };
			const bearer = await authenticate({ apiKey: 'cvly_a', authHeader: 'bearer' }, { ...options, headers: { ...options.headers } });
			expect(bearer).toEqual({ ...options, headers: { accept: 'application/json', Authorization: 'Bearer cvly_a' } });
			const xApiKey = await authenticate({ apiKey: 'cvly_b', authHeader: 'xApiKey' }, { ...options, headers: { ...options.headers } });
			expect(xApiKey).toEqual({ ...options, headers: { accept: 'application/json', 'x-api-key': 'cvly_b' } });
		});

		it('uses Bearer when Send Key As is unset (credentials saved before the field existed)', async () => {
			const result = await authenticate({ apiKey: 'cvly_c' }, { url: 'https://convertly.sh/api/jobs' });
			expect(result.headers).toEqual({ Authorization: 'Bearer cvly_c' });
		});
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

		it('fails when the Base URL answers 200 with a web page (n8n itself, a catch-all site)', async () => {
			simulator().addFault({ path: '/api/jobs', status: 200, nonJson: '<!DOCTYPE html><html><body>n8n</body></html>' });
			const outcome = await testCredential({ apiKey: simulator().apiKey, baseUrl: simulator().url });
			expect(simulator().requests()).toHaveLength(1);
			expect(outcome).toMatchObject({ status: 'Error', statusCode: 200, message: NOT_CONVERTLY_MESSAGE });
			expect(outcome.message).toContain('does not point to the Convertly API');
		});

		it('fails when the Base URL answers 200 with JSON that is not a job list', async () => {
			simulator().addFault({ path: '/api/jobs', status: 200, body: { data: [], ok: true } });
			const outcome = await testCredential({ apiKey: simulator().apiKey, baseUrl: simulator().url });
			expect(outcome).toMatchObject({ status: 'Error', statusCode: 200, message: NOT_CONVERTLY_MESSAGE });
		});

		it('accepts an empty job list (a new account)', async () => {
			simulator().addFault({ path: '/api/jobs', status: 200, body: { jobs: [], total: 0 } });
			const outcome = await testCredential({ apiKey: simulator().apiKey, baseUrl: simulator().url });
			expect(outcome).toMatchObject({ status: 'OK', statusCode: 200 });
		});

		it('explains a base URL that is not a Convertly API', async () => {
			const outcome = await testCredential({ apiKey: simulator().apiKey, baseUrl: `${simulator().url}/not-convertly` });
			expect(outcome.status).toBe('Error');
			expect(outcome.message).toContain('No Convertly API was found at this Base URL');
		});

		it('says to drop /api when the Base URL ends in it (a common paste)', async () => {
			const outcome = await testCredential({ apiKey: simulator().apiKey, baseUrl: `${simulator().url}/api` });
			expect(outcome.status).toBe('Error');
			expect(outcome.message).toContain('If it ends in /api, drop /api');
		});
	});
});
