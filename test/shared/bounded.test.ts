// Issue 18: every request bounded in time, memory and origin, and stopped by Stop, against
// servers that misbehave on purpose (tools/hostile.js), through n8n's real execution engine.
import { sleep } from 'n8n-workflow';

import type { Execution, InputItem, RunResult } from '../../tools/engine';
import { runConvertly, storedBinaryFiles } from '../../tools/engine';
import type { Hostile } from '../../tools/hostile';
import {
	HOSTILE_API_KEY as API_KEY,
	JOB_ID,
	completedJob,
	drip,
	gzipBomb,
	readSlowly,
	json,
	peakOpenFilesGrowth,
	peakRssGrowth,
	requestLimits,
	startHostile,
} from '../../tools/hostile';
import { serialise, stopNow } from '../helpers';

// The compiled limits the engine runs with: tests scale the times down here, never with sleeps.
const REQUEST_LIMITS = requestLimits();
const DEFAULT_LIMITS = { ...REQUEST_LIMITS };

type ErrorWithCode = NonNullable<RunResult['error']> & { httpCode?: string; description?: string };

describe('every request bounded (hostile servers)', () => {
	const servers: Hostile[] = [];
	const serve = async (handler: Parameters<typeof startHostile>[0]) => {
		const server = await startHostile(handler);
		servers.push(server);
		return server;
	};
	afterEach(async () => {
		Object.assign(REQUEST_LIMITS, DEFAULT_LIMITS);
		await Promise.all(servers.splice(0).map(async (server) => await server.close()));
	});

	const start = (
		api: Hostile,
		parameters: Record<string, unknown>,
		options: { authHeader?: 'bearer' | 'xApiKey'; baseUrl?: string; items?: Array<Record<string, unknown> | InputItem> } = {},
	): Execution =>
		runConvertly({
			parameters,
			credentials: { apiKey: API_KEY, authHeader: options.authHeader, baseUrl: options.baseUrl ?? api.url },
			items: options.items,
		});
	const run = async (...args: Parameters<typeof start>) => await start(...args).done;
	const getJob = (extra: Record<string, unknown> = {}) => ({ resource: 'job', operation: 'get', jobId: JOB_ID, ...extra });
	const errorOf = (result: RunResult) => {
		expect(result.status).toBe('error');
		return result.error as ErrorWithCode;
	};
	const carriesKey = (request: { headers: Record<string, unknown> }) =>
		JSON.stringify(request.headers).includes(API_KEY);

	describe('2. a total time limit per request, body included', () => {
		it('Get + Wait (Timeout 1 s) against a job answer that drips ends at the timeout with a clear message', async () => {
			const api = await serve((_req, res) => drip(res, ' ', 100));
			const startedAt = Date.now();
			const result = await run(api, getJob({ waitForCompletion: true, waitOptions: { timeout: 1, pollInterval: 1 } }));
			const elapsed = Date.now() - startedAt;
			const error = errorOf(result);
			expect(error.message).toContain('Convertly did not answer in time');
			expect(error.description).toContain('body included');
			// The timeout, plus the one-second floor the last check at the deadline may take.
			expect(elapsed).toBeLessThan(3_000);
		});

		it('a plain Get against an endless dripping body ends within the per-request budget', async () => {
			REQUEST_LIMITS.attemptTimeoutMs = 400;
			REQUEST_LIMITS.plainRequestBudgetMs = 1_500;
			const api = await serve((_req, res) => drip(res, '{', 50));
			const startedAt = Date.now();
			const error = errorOf(await run(api, getJob()));
			expect(error.message).toContain('Convertly did not answer in time');
			expect(Date.now() - startedAt).toBeLessThan(1_500 + 1_000 + 500);
			// Retried like a dropped connection while the budget lasted, never past it.
			expect(api.requests.length).toBeGreaterThanOrEqual(2);
		});

		it('a download that drips is cut off by the minimum-throughput rule, with nothing left in the binary store', async () => {
			REQUEST_LIMITS.downloadWindowMs = 300;
			REQUEST_LIMITS.downloadMinBytesPerWindow = 64 * 1024;
			const storage = await serve((_req, res) => drip(res, 'x', 20, { 'content-type': 'video/mp4' }));
			const api = await serve((_req, res) => json(res, 200, completedJob([{ filename: 'slow.mp4', downloadUrl: `${storage.url}/slow.mp4` }])));
			const startedAt = Date.now();
			const result = await run(api, getJob({ downloadResults: true }));
			const error = errorOf(result);
			expect(error.message).toBe('The download was too slow (result file "slow.mp4")');
			expect(error.description).toContain('less than 0.0625 MiB in 0.3 s');
			expect(Date.now() - startedAt).toBeLessThan(2_000);
			// Final: a slow server is not asked again.
			expect(storage.requests).toHaveLength(1);
			expect(await storedBinaryFiles(result.executionId)).toEqual([]);
		});

		it('a download whose server never starts answering ends after the start timeout', async () => {
			REQUEST_LIMITS.downloadStartTimeoutMs = 300;
			const storage = await serve(() => {
				// Accept the request, never answer.
			});
			const api = await serve((_req, res) => json(res, 200, completedJob([{ filename: 'a.png', downloadUrl: `${storage.url}/a.png` }])));
			const startedAt = Date.now();
			const error = errorOf(await run(api, getJob({ downloadResults: true })));
			expect(error.message).toBe('The download was too slow (result file "a.png")');
			expect(Date.now() - startedAt).toBeLessThan(2_000);
		});
	});

	describe('2. uploads get the time their size needs, at the same minimum rate', () => {
		const upload = { resource: 'job', operation: 'create', jobType: 'convert', binaryPropertyName: 'data', format: 'webp' };
		const file = { json: {}, binary: { data: { sizeBytes: 2 * 1024 * 1024, fileName: 'big.png', mimeType: 'image/png' } } };

		it('a server that takes the file slowly, but fast enough, gets it whole', async () => {
			REQUEST_LIMITS.attemptTimeoutMs = 300;
			REQUEST_LIMITS.plainRequestBudgetMs = 1_000;
			REQUEST_LIMITS.downloadWindowMs = 300;
			REQUEST_LIMITS.downloadMinBytesPerWindow = 256 * 1024;
			let received = 0;
			const api = await serve(async (req, res) => {
				received = await readSlowly(req, 50);
				json(res, 200, { jobId: JOB_ID, status: 'pending' });
			});
			const startedAt = Date.now();
			const result = await run(api, upload, { items: [file] });
			expect(result.error?.message).toBeUndefined();
			// Longer than one attempt may take for an answer, within what the size allows.
			expect(Date.now() - startedAt).toBeGreaterThan(300);
			expect(received).toBeGreaterThan(2 * 1024 * 1024);
		});

		it('a server that never reads the file is cut off once the size’s allowance has passed', async () => {
			REQUEST_LIMITS.attemptTimeoutMs = 300;
			REQUEST_LIMITS.plainRequestBudgetMs = 300;
			REQUEST_LIMITS.downloadWindowMs = 300;
			REQUEST_LIMITS.downloadMinBytesPerWindow = 1024 * 1024;
			const api = await serve((req) => {
				req.pause();
			});
			const startedAt = Date.now();
			const error = errorOf(await run(api, upload, { items: [file] }));
			expect(error.message).toContain('Convertly did not answer in time');
			// 300 ms plus 600 ms for 2 MiB at 1 MiB per 300 ms, and the one-second floor.
			expect(Date.now() - startedAt).toBeLessThan(4_000);
		});
	});

	describe('3. Stop ends downloads from another origin', () => {
		it('within a second, with no request after it and no half-written file', async () => {
			const storage = await serve((_req, res) => drip(res, Buffer.alloc(16 * 1024, 1), 50, { 'content-type': 'video/mp4' }));
			const api = await serve((_req, res) => json(res, 200, completedJob([{ filename: 'movie.mp4', downloadUrl: `${storage.url}/movie.mp4?X-Amz-Signature=abc` }])));
			const running = start(api, getJob({ downloadResults: true }));
			for (let waited = 0; storage.requests.length === 0 && waited < 5_000; waited += 20) await sleep(20);
			await sleep(300);
			const { result, stoppedAt, tookMs } = await stopNow(running);
			expect(tookMs).toBeLessThan(1000);
			expect(result.status).not.toBe('success');
			await sleep(200);
			expect([...api.requests, ...storage.requests].filter((request) => request.at > stoppedAt)).toEqual([]);
			expect(await storedBinaryFiles(running.executionId)).toEqual([]);
		});
	});

	describe('4. the API key never follows a redirect to another origin', () => {
		for (const authHeader of ['bearer', 'xApiKey'] as const) {
			it(`302 from the Base URL to another origin on Get (${authHeader}): not followed, the other origin sees nothing`, async () => {
				const elsewhere = await serve((_req, res) => json(res, 200, completedJob([])));
				const api = await serve((req, res) => {
					res.writeHead(302, { location: `${elsewhere.url}${req.url}` }).end();
				});
				const error = errorOf(await run(api, getJob(), { authHeader }));
				expect(error.message).toBe(`The Base URL redirected the request to another address (${elsewhere.origin})`);
				expect(error.description).toContain('never sent anywhere else');
				expect(elsewhere.requests).toEqual([]);
				// A redirect elsewhere is final: asked once.
				expect(api.requests).toHaveLength(1);
				expect(carriesKey(api.requests[0])).toBe(true);
			});
		}

		it('307 on Cancel (DELETE): no DELETE and no key at the other origin', async () => {
			const elsewhere = await serve((_req, res) => json(res, 200, { jobId: JOB_ID, status: 'cancelled' }));
			const api = await serve((req, res) => {
				res.writeHead(307, { location: `${elsewhere.url}${req.url}` }).end();
			});
			const error = errorOf(await run(api, { resource: 'job', operation: 'cancel', jobId: JOB_ID }, { authHeader: 'xApiKey' }));
			expect(error.message).toContain('redirected the request to another address');
			expect(elsewhere.requests).toEqual([]);
		});

		it('a scheme change (http → https on the same host) counts as another origin', async () => {
			const api = await serve((req, res) => {
				res.writeHead(301, { location: `https://127.0.0.1:1${req.url}` }).end();
			});
			const error = errorOf(await run(api, getJob()));
			expect(error.message).toBe('The Base URL redirected the request to another address (https://127.0.0.1:1)');
		});

		it('a redirect within the Base URL origin is followed, with the key', async () => {
			const api = await serve((req, res) => {
				if (req.url?.startsWith('/api/jobs/')) res.writeHead(308, { location: `/v2${req.url}` }).end();
				else json(res, 200, completedJob([]));
			});
			const result = await run(api, getJob());
			expect(result.status).toBe('success');
			expect(result.items[0].json.jobId).toBe(JOB_ID);
			expect(api.requests.map((request) => request.url)).toEqual([`/api/jobs/${JOB_ID}`, `/v2/api/jobs/${JOB_ID}`]);
			expect(api.requests.every(carriesKey)).toBe(true);
		});

		it('a download link on the API origin that redirects to storage: the key stays behind', async () => {
			const storage = await serve((_req, res) => {
				res.writeHead(200, { 'content-type': 'image/png', 'content-length': 3 }).end('png');
			});
			const api = await serve((req, res) => {
				if (req.url?.startsWith('/files/')) res.writeHead(302, { location: `${storage.url}/signed/a.png` }).end();
				else json(res, 200, completedJob([{ filename: 'a.png', downloadUrl: `${api.url}/files/a.png` }]));
			});
			const result = await run(api, getJob({ downloadResults: true }), { authHeader: 'xApiKey' });
			expect(result.status).toBe('success');
			expect(storage.requests).toHaveLength(1);
			expect(carriesKey(storage.requests[0])).toBe(false);
			expect(carriesKey(api.requests[1])).toBe(true);
		});
	});

	describe('5. answers are bounded in size', () => {
		it('a gzip bomb answering a job GET: refused as too large after 10 MiB, once, in bounded memory', async () => {
			const bomb = gzipBomb(1024 * 1024 * 1024, '{"jobId":"x","status":"pending","pad":"');
			const api = await serve((_req, res) => {
				res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length });
				res.end(bomb);
			});
			const { value: result, growth } = await peakRssGrowth(async () => await run(api, getJob()));
			const error = errorOf(result);
			expect(error.message).toBe("Convertly's answer was too large (more than 10 MiB)");
			expect(error.message).not.toContain('reach');
			expect(api.requests).toHaveLength(1);
			expect(growth).toBeLessThan(100 * 1024 * 1024);
		});

		it('an endless JSON answer (sent as fast as possible) ends at the cap, not in the output', async () => {
			const api = await serve((_req, res) => drip(res, `{"a":"${'x'.repeat(64 * 1024)}",`, 0));
			const error = errorOf(await run(api, getJob()));
			expect(error.message).toBe("Convertly's answer was too large (more than 10 MiB)");
			expect(api.requests).toHaveLength(1);
		});

		it('a job whose data: link is larger than the cap is refused the same way', async () => {
			const big = `data:application/octet-stream;base64,${Buffer.alloc(9 * 1024 * 1024).toString('base64')}`;
			const api = await serve((_req, res) => json(res, 200, completedJob([{ filename: 'big.bin', downloadUrl: big }])));
			const error = errorOf(await run(api, getJob({ downloadResults: true })));
			expect(error.message).toBe("Convertly's answer was too large (more than 10 MiB)");
		});

		it('a gzip-bombed download is stopped where its Content-Length ends; nothing is stored', async () => {
			const bomb = gzipBomb(256 * 1024 * 1024);
			const storage = await serve((_req, res) => {
				res.writeHead(200, { 'content-type': 'video/mp4', 'content-encoding': 'gzip', 'content-length': bomb.length });
				res.end(bomb);
			});
			const api = await serve((_req, res) => json(res, 200, completedJob([{ filename: 'bomb.mp4', downloadUrl: `${storage.url}/bomb.mp4` }])));
			const { value: result, growth } = await peakRssGrowth(async () => await run(api, getJob({ downloadResults: true })));
			const error = errorOf(result);
			expect(error.message).toBe('The downloaded file was larger than its server announced (result file "bomb.mp4")');
			expect(error.description).toContain(`more than ${bomb.length} bytes`);
			expect(storage.requests).toHaveLength(1);
			expect(growth).toBeLessThan(100 * 1024 * 1024);
			expect(await storedBinaryFiles(result.executionId)).toEqual([]);
		});

		it('a chunked compressed download may not inflate past twice the size Convertly gave for the file', async () => {
			const bomb = gzipBomb(64 * 1024 * 1024);
			const storage = await serve((_req, res) => {
				res.writeHead(200, { 'content-type': 'video/mp4', 'content-encoding': 'gzip' });
				res.end(bomb);
			});
			const api = await serve((_req, res) =>
				json(res, 200, completedJob([{ filename: 'v.mp4', finalSize: 1024 * 1024, downloadUrl: `${storage.url}/v.mp4` }])),
			);
			const error = errorOf(await run(api, getJob({ downloadResults: true })));
			expect(error.message).toBe('The downloaded file was larger than its server announced (result file "v.mp4")');
			expect(error.description).toContain(`more than ${2 * 1024 * 1024 + 64 * 1024} bytes`);
		});

		it('results nested thousands deep: a clear message, not a stack overflow', async () => {
			let nested = '{"downloadUrl":"data:,x"}';
			for (let depth = 0; depth < 5_000; depth++) nested = `{"file":${nested}}`;
			const body = `{"jobId":"${JOB_ID}","status":"completed","results":[${nested}]}`;
			const api = await serve((_req, res) => {
				res.writeHead(200, { 'content-type': 'application/json' }).end(body);
			});
			const error = errorOf(await run(api, getJob({ downloadResults: true })));
			expect(error.message).toBe("Convertly's answer is nested too deeply (more than 64 levels)");
			expect(serialise(error)).not.toContain('Maximum call stack');
		});
	});

	describe('6. data: results go through the same bounded queue', () => {
		const dataEntries = (count: number, broken?: number) =>
			Array.from({ length: count }, (_, index) => ({
				filename: `f${index}.txt`,
				mimeType: 'text/plain',
				downloadUrl: index === broken ? 'data:text/plain,%E0%A4%A' : `data:text/plain;base64,${Buffer.from(`file ${index}`).toString('base64')}`,
			}));

		it('3,000 inline files are written a few at a time (open files stay bounded) and all arrive', async () => {
			const api = await serve((_req, res) => json(res, 200, completedJob(dataEntries(3_000))));
			const { value: result, growth } = await peakOpenFilesGrowth(
				async () => await run(api, getJob({ downloadResults: true, options: { maxConcurrency: 3 } })),
			);
			expect(result.status).toBe('success');
			expect(Object.keys(result.items[0].binary ?? {})).toHaveLength(3_000);
			expect(growth).toBeLessThan(40);
		});

		it('a failing inline file stops the rest: no file is started after it and none is written once the node has failed', async () => {
			const api = await serve((_req, res) => json(res, 200, completedJob(dataEntries(2_000, 10))));
			const result = await run(api, getJob({ downloadResults: true, options: { maxConcurrency: 2 } }));
			const error = errorOf(result);
			expect(error.message).toBe('The data: link of "f10.txt" is malformed');
			expect(serialise(error)).not.toContain('URIError');
			const atFailure = (await storedBinaryFiles(result.executionId)).length;
			// Files and their metadata: at most the ten before the broken one and the one beside it.
			expect(atFailure).toBeLessThanOrEqual(2 * 12);
			await sleep(300);
			expect(await storedBinaryFiles(result.executionId)).toHaveLength(atFailure);
		});
	});

	describe('8. file names from the server', () => {
		it('become base names without control characters, capped, and n8n records no directory', async () => {
			const names = ['../../etc/passwd', '/etc/shadow', 'a\u0000b\r\nc.png', `${'n'.repeat(300)}.webp`, '..', 'C:\\temp\\x.gif'];
			const api = await serve((_req, res) =>
				json(res, 200, completedJob(names.map((filename) => ({ filename, mimeType: 'image/png', downloadUrl: 'data:image/png;base64,AAAA' })))),
			);
			const result = await run(api, getJob({ downloadResults: true }));
			expect(result.status).toBe('success');
			const binary = result.items[0].binary ?? {};
			const stored = names.map((_, index) => binary[`data_${index}`]);
			expect(stored.map((file) => file.fileName)).toEqual(['passwd', 'shadow', 'abc.png', `${'n'.repeat(195)}.webp`, 'result-5', 'x.gif']);
			expect(stored.map((file) => file.directory)).toEqual(names.map(() => undefined));
		});

		it('a name from Content-Disposition or the link is sanitised too', async () => {
			const storage = await serve((req, res) => {
				res.writeHead(200, { 'content-type': 'image/png', 'content-disposition': 'attachment; filename="../../../ev\til.png"', 'content-length': 3 });
				res.end('png');
			});
			const api = await serve((_req, res) => json(res, 200, completedJob([{ downloadUrl: `${storage.url}/x` }])));
			const result = await run(api, getJob({ downloadResults: true }));
			expect(result.items[0].binary?.data_0.fileName).toBe('evil.png');
			expect(result.items[0].binary?.data_0.directory).toBeUndefined();
		});
	});

	describe('9. what error texts never carry', () => {
		it('no user:password@ of the Base URL', async () => {
			const error = errorOf(await run(await serve(() => undefined), getJob(), { baseUrl: 'http://admin:hunter2@127.0.0.1:1' }));
			expect(error.message).toBe('Could not reach Convertly at http://127.0.0.1:1');
			expect(serialise(error)).not.toContain('hunter2');
		});

		it('no query of a signed link', async () => {
			const storage = await serve((_req, res) => json(res, 500, { error: 'boom' }));
			const api = await serve((_req, res) =>
				json(res, 200, completedJob([{ filename: 'a.png', downloadUrl: `${storage.url}/a.png?X-Amz-Signature=deadbeefsecret` }])),
			);
			const error = errorOf(await run(api, getJob({ downloadResults: true })));
			expect(error.message).toContain(`HTTP 500 from ${storage.origin}`);
			expect(serialise(error)).not.toContain('deadbeefsecret');
		});

		it('no 10 kB Job ID in full', async () => {
			const api = await serve((_req, res) => json(res, 404, { error: 'Job not found.' }));
			const longId = 'x'.repeat(10_000);
			const error = errorOf(await run(api, getJob({ jobId: longId })));
			expect(error.message.length).toBeLessThan(200);
			expect(error.message).toContain('was not found');
		});

		it('never the API key, even when the server echoes it', async () => {
			const api = await serve((req, res) => json(res, 400, { error: `Bad key ${String(req.headers.authorization)}`, echo: API_KEY }));
			const error = errorOf(await run(api, getJob()));
			expect(error.message).toBe('Convertly rejected the request: Bad key Bearer [redacted]');
			expect(serialise(error)).not.toContain(API_KEY);
		});
	});

	describe('10. smaller', () => {
		for (const authHeader of ['bearer', 'xApiKey'] as const) {
			it(`a link with user:password@ on the Base URL origin: userinfo dropped, exactly our one header (${authHeader})`, async () => {
				const api = await serve((req, res) => {
					if (req.url?.startsWith('/files/')) res.writeHead(200, { 'content-type': 'image/png', 'content-length': 3 }).end('png');
					else json(res, 200, completedJob([{ filename: 'a.png', downloadUrl: `${api.url.replace('//', '//user:pass@')}/files/a.png` }]));
				});
				const result = await run(api, getJob({ downloadResults: true }), { authHeader });
				expect(result.status).toBe('success');
				const download = api.requests[1];
				expect(download.url).toBe('/files/a.png');
				if (authHeader === 'bearer') expect(download.headers.authorization).toBe(`Bearer ${API_KEY}`);
				else {
					expect(download.headers['x-api-key']).toBe(API_KEY);
					expect(download.headers.authorization).toBeUndefined();
				}
			});
		}

		it('a redirect loop is not retried like a 5xx: a few requests, then a clear message', async () => {
			const api = await serve((req, res) => {
				res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' }).end();
			});
			const error = errorOf(await run(api, getJob()));
			expect(error.message).toContain('Too many redirects (more than 5)');
			expect(api.requests.length).toBeLessThanOrEqual(7);
		});
	});
});
