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
