import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ExecutionHints } from '../helpers/hints';
import type { ConvertlyClient } from '../transport';

/** What every operation gets besides the item: the shared client and the hints to show. */
export interface RunContext {
	client: ConvertlyClient;
	hints: ExecutionHints;
}

export interface ItemOperation {
	execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]>;
	/** How many items to work on at once; by default as many as requests may be in flight. */
	itemsInParallel?(this: IExecuteFunctions, itemCount: number, maxConcurrency: number): number;
	/**
	 * Handles all items in one go when the operation says so (e.g. one job for every item's
	 * files); returns undefined to run item by item.
	 */
	executeAll?(this: IExecuteFunctions, run: RunContext): Promise<INodeExecutionData[] | undefined>;
}
