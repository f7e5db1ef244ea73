// Types for the smoke-script runner (plain JS so that it may start a process).

export interface SmokeRun {
	code: number | null;
	signal: string | null;
	stdout: string;
	stderr: string;
	timedOut: boolean;
}

/** Runs scripts/smoke.js in a child process with these CONVERTLY_* variables (others dropped). */
export function runSmoke(env: Record<string, string>, options?: { timeoutMs?: number }): Promise<SmokeRun>;
export const SCRIPT: string;
