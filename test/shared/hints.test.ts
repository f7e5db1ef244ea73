import type { INode } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { Convertly } from '../../nodes/Convertly/Convertly.node';
import { ConvertlyTrigger } from '../../nodes/Convertly/ConvertlyTrigger.node';
import type { RunResult } from '../helpers';
import { getJobParameters, run, useSimulator } from '../helpers';

function hintsOf(result: RunResult): string[] {
	return (result.run.data.resultData.runData.Node?.[0]?.hints ?? []).map((hint) => hint.message);
}

const UUID = 'a755a89a-3a63-4f3e-88ff-7fef50d42d7d';

describe('execution hints', () => {
	const simulator = useSimulator();

	describe('Output "Results" without results', () => {
		it('says why when the job has no results yet', async () => {
			const job = simulator().addJob({ jobId: UUID, pendingMs: 600_000 });
			const result = await run(simulator(), getJobParameters(job.jobId, { options: { output: 'results' } }));
			expect(result.items).toEqual([]);
			expect(hintsOf(result)).toEqual([expect.stringMatching(/gave no item for pending job .*Turn on "Wait for Completion"/)]);
		});

		it('is absent when the job has results', async () => {
			const job = simulator().addJob({ jobId: UUID, processingMs: 0, totalFiles: 2 });
			const result = await run(simulator(), getJobParameters(job.jobId, { options: { output: 'results' } }));
			expect(result.items).toHaveLength(2);
			expect(hintsOf(result)).toEqual([]);
		});
	});

	describe('a wait that used most of its timeout', () => {
		it('suggests a longer timeout or the trigger', async () => {
			const job = simulator().addJob({ jobId: UUID, processingMs: null });
			const result = await run(
				simulator(),
				getJobParameters(job.jobId, { waitForCompletion: true, waitOptions: { timeout: 1, pollInterval: 1, onTimeout: 'output' } }),
			);
			expect(result.status).toBe('success');
			expect(hintsOf(result)).toEqual([expect.stringMatching(/used 100% of the timeout\. Raise "Timeout".*Convertly Trigger/)]);
		});

		it('is absent when the job finished early in the wait', async () => {
			const job = simulator().addJob({ jobId: UUID, processingMs: 0 });
			const result = await run(simulator(), getJobParameters(job.jobId, { waitForCompletion: true }));
			expect(result.items[0].json.status).toBe('completed');
			expect(hintsOf(result)).toEqual([]);
		});
	});

	describe('a 429 that slowed the node down', () => {
		it('suggests a lower Max Concurrency', async () => {
			const job = simulator().addJob({ jobId: UUID, processingMs: 0 });
			simulator().addFault({ path: '/api/jobs/', status: 429, retryAfter: '0.3' });
			const result = await run(simulator(), getJobParameters(job.jobId));
			expect(result.status).toBe('success');
			expect(hintsOf(result)).toEqual([expect.stringMatching(/rate limit slowed this node down \(1 request\(s\) had to wait\)\. Lower "Max Concurrency"/)]);
		});

		it('is absent without a 429', async () => {
			simulator().addJob({ jobId: UUID, processingMs: 0 });
			expect(hintsOf(await run(simulator(), getJobParameters(UUID)))).toEqual([]);
		});
	});

	describe('a Job ID that is not a UUID', () => {
		it('is used as given, with a hint', async () => {
			simulator().addJob({ jobId: '12345', processingMs: 0 });
			const result = await run(simulator(), getJobParameters({ __rl: true, mode: 'id', value: '12345' }));
			expect(result.items[0].json.jobId).toBe('12345');
			expect(hintsOf(result)).toEqual([expect.stringMatching(/Job ID "12345" does not look like a Convertly job ID/)]);
		});
	});

	describe('Get Many', () => {
		it('says so when there are no jobs (with the status asked for)', async () => {
			const result = await run(simulator(), { resource: 'job', operation: 'getAll', filters: { status: 'failed' } });
			expect(hintsOf(result)).toEqual(['Convertly has no failed jobs for this API key, so the node output no items.']);
		});

		it('is quiet when there are jobs', async () => {
			simulator().addJob({ processingMs: 0 });
			expect(hintsOf(await run(simulator(), { resource: 'job', operation: 'getAll' }))).toEqual([]);
		});
	});
});

describe('Job ID values', () => {
	const simulator = useSimulator();

	it.each([
		['From List', { __rl: true, mode: 'list', value: UUID, cachedResultName: 'convert · completed · 3 files · 2026-11-28 13:34 UTC' }],
		['By ID', { __rl: true, mode: 'id', value: UUID }],
		['By ID with an expression', { __rl: true, mode: 'id', value: '={{ $json.id }}' }],
		['a plain text value (workflows saved before the picker)', UUID],
		['a plain expression (workflows saved before the picker)', '={{ $json.id }}'],
	])('%s', async (_label, jobId) => {
		simulator().addJob({ jobId: UUID, processingMs: 0 });
		const result = await run(simulator(), getJobParameters(jobId), { items: [{ id: UUID }] });
		expect(result.status).toBe('success');
		expect(result.items[0].json.jobId).toBe(UUID);
		expect(simulator().requests().map((request) => request.path)).toEqual([`/api/jobs/${UUID}`]);
		expect(hintsOf(result)).toEqual([]);
	});

	it('an empty picker stops the run before the node sends anything, as n8n does for any required field', async () => {
		await expect(run(simulator(), getJobParameters({ __rl: true, mode: 'list', value: '' }))).rejects.toThrow(
			/Parameter "Job ID" is required/,
		);
		expect(simulator().requests()).toHaveLength(0);
	});
});

describe('Custom API Call', () => {
	const simulator = useSimulator();

	it.each([
		[{ resource: '__CUSTOM_API_CALL__' }],
		[{ resource: 'job', operation: '__CUSTOM_API_CALL__' }],
	])('%j points the user to the HTTP Request node with the Convertly credential', async (parameters) => {
		const result = await run(simulator(), parameters);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Custom API calls to Convertly are made with the HTTP Request node');
		expect(result.error?.description).toMatch(/HTTP Request node, set Authentication to "Predefined Credential Type", Credential Type to "Convertly API"/);
		expect(simulator().requests()).toHaveLength(0);
	});
});

describe('subtitle', () => {
	const nodeType = new Convertly();
	const subtitle = (parameters: Record<string, string>): unknown => {
		const node: INode = {
			id: '1',
			name: 'Convertly',
			type: 'n8n-nodes-convertly.convertly',
			typeVersion: 1,
			position: [0, 0],
			parameters,
		};
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) },
		});
		// What the editor does to draw the line under the node's name.
		return workflow.expression.getSimpleParameterValue(node, nodeType.description.subtitle as string, 'internal', {});
	};

	it.each([
		['get', 'Job → Get'],
		['getAll', 'Job → Get Many'],
		['cancel', 'Job → Cancel'],
		['create', 'Job → Create'],
	])('operation %s reads "%s"', (operation, expected) => {
		expect(subtitle({ resource: 'job', operation })).toBe(expected);
	});

	it('does not repeat the name n8n gives a node added from an action ("Create a job")', () => {
		for (const [resource, operation] of [['job', 'create'], ['folder', 'create'], ['file', 'upload']]) {
			const name = NodeHelpers.makeNodeName({ resource, operation }, nodeType.description);
			expect(subtitle({ resource, operation })).not.toBe(name);
			expect(String(subtitle({ resource, operation }))).not.toContain(name);
		}
	});

	it.each([[{ resource: '__CUSTOM_API_CALL__', operation: 'get' }], [{ resource: 'job', operation: '__CUSTOM_API_CALL__' }]])(
		'Custom API Call (%j) reads as a pointer, never the raw value',
		(parameters) => {
			expect(subtitle(parameters)).toBe('Custom API Call: use the HTTP Request node');
		},
	);

	it('an operation it does not know falls back to "operation: resource"', () => {
		expect(subtitle({ resource: 'job', operation: 'archive' })).toBe('archive: job');
	});

	it('every operation in the node has its own wording', () => {
		const operations = nodeType.description.properties.find((property) => property.name === 'operation')?.options ?? [];
		for (const option of operations as Array<{ value: string }>) {
			expect(subtitle({ resource: 'job', operation: option.value })).not.toMatch(/: job$/);
		}
	});
});

describe('node creator', () => {
	it('the trigger’s description, which n8n shows for the merged "Convertly" entry, speaks for both nodes', () => {
		const description = new ConvertlyTrigger().description.description;
		expect(description).toMatch(/convert/i);
		expect(description).toMatch(/event/i);
	});
});
