import type { IExecuteFunctions, NodeExecutionHint } from 'n8n-workflow';

/**
 * Execution hints gathered while the items run and shown once after the node ran (the text
 * under the output panel), so that one hint is not repeated for every item.
 */
export class ExecutionHints {
	private readonly hints = new Map<string, NodeExecutionHint>();

	/** Adds a hint; a later hint with the same key replaces the earlier one. */
	add(key: string, hint: NodeExecutionHint): void {
		this.hints.set(key, hint);
	}

	has(key: string): boolean {
		return this.hints.has(key);
	}

	show(context: IExecuteFunctions): void {
		if (this.hints.size > 0) context.addExecutionHints(...this.hints.values());
	}
}

/** A wait that used at least this share of its timeout gets the "long wait" hint. */
export const LONG_WAIT_SHARE = 0.75;

/**
 * Adds the hint for a wait that used most of its timeout (or ran out of it and output the last
 * job seen): the next, slightly longer job will time out.
 */
export function addLongWaitHint(hints: ExecutionHints, jobId: string, timeoutUsed: number): void {
	if (!(timeoutUsed >= LONG_WAIT_SHARE)) return;
	const share = Math.min(100, Math.round(timeoutUsed * 100));
	hints.add('longWait', {
		message: `Waiting for job ${jobId} used ${share}% of the timeout. Raise "Timeout" under Wait Options before jobs start timing out, or, for long jobs, use the Convertly Trigger node (webhooks) instead of holding the execution open.`,
		type: 'warning',
		location: 'outputPane',
	});
}
