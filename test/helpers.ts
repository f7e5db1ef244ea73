import { sleep } from 'n8n-workflow';

import type { Simulator, SimulatorOptions } from '../simulator';
import { startSimulator } from '../simulator';
import type { CredentialData, Execution, InputItem, RunResult } from '../tools/engine';
import { runConvertly } from '../tools/engine';

export type { RunResult, Simulator };

/** One simulator for the test file, emptied before each test. */
export function useSimulator(options?: SimulatorOptions): () => Simulator {
	let simulator: Simulator | undefined;
	beforeAll(async () => {
		simulator = await startSimulator(options);
	});
	afterAll(async () => await simulator?.close());
	beforeEach(() => {
		simulator?.reset();
		simulator?.setLatency(options?.latencyMs ?? 0);
		simulator?.setRateLimit(null);
	});
	return () => {
		if (!simulator) throw new Error('simulator not started');
		return simulator;
	};
}

/** Job → Create converting the item's `data` file to WebP, plus `extra`. */
export function createJobParameters(extra: Record<string, unknown> = {}) {
	return { resource: 'job', operation: 'create', jobType: 'convert', binaryPropertyName: 'data', format: 'webp', ...extra };
}

/** Resolves once `condition` holds (checked every 20 ms), or after 5 s. */
export async function until(condition: () => boolean): Promise<void> {
	for (let waited = 0; !condition() && waited < 5000; waited += 20) await sleep(20);
}

/** What n8n's Stop button does to a running execution: returns how long the node took to end. */
export async function stopNow(execution: Execution): Promise<{ result: RunResult; stoppedAt: number; tookMs: number }> {
	const stoppedAt = Date.now();
	execution.execution.cancel();
	const result = await execution.done;
	return { result, stoppedAt, tookMs: Date.now() - stoppedAt };
}

export function getJobParameters(jobId: unknown, extra: Record<string, unknown> = {}) {
	return { resource: 'job', operation: 'get', jobId, ...extra };
}

export interface StartOptions {
	items?: Array<Record<string, unknown> | InputItem>;
	credentials?: Partial<CredentialData>;
	continueOnFail?: boolean;
	/** n8n's On Error setting; continueOnFail: true is 'continueRegularOutput'. */
	onError?: 'continueRegularOutput' | 'continueErrorOutput' | 'stopWorkflow';
	/** The node's version as saved in the workflow (1 unless given). */
	typeVersion?: number;
}

/** Starts the Convertly node in n8n's engine against the simulator. */
export function start(
	simulator: Simulator,
	parameters: Record<string, unknown>,
	options: StartOptions = {},
): Execution {
	return runConvertly({
		parameters,
		credentials: { apiKey: simulator.apiKey, baseUrl: simulator.url, ...options.credentials },
		items: options.items,
		settings: {
			...(options.onError ? { onError: options.onError } : options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
			...(options.typeVersion !== undefined ? { typeVersion: options.typeVersion } : {}),
		},
	});
}

export async function run(
	simulator: Simulator,
	parameters: Record<string, unknown>,
	options: StartOptions = {},
): Promise<RunResult> {
	return await start(simulator, parameters, options).done;
}

/** The run data as n8n would store it, to search for secrets. */
export function serialise(value: unknown): string {
	const seen = new WeakSet<object>();
	return JSON.stringify(value, (_key, entry: unknown) => {
		if (typeof entry === 'object' && entry !== null) {
			if (seen.has(entry)) return '[circular]';
			seen.add(entry);
			if (entry instanceof Error) {
				const copy: Record<string, unknown> = { message: entry.message, stack: entry.stack };
				for (const name of Object.getOwnPropertyNames(entry)) copy[name] = (entry as unknown as Record<string, unknown>)[name];
				copy.cause = (entry as { cause?: unknown }).cause;
				return copy;
			}
		}
		return entry;
	});
}
