import type { ConvertlyClient } from '../transport';
import type { ExecutionHints } from './hints';

/** What every operation gets besides the item: the shared client and the hints to show. */
export interface RunContext {
	client: ConvertlyClient;
	hints: ExecutionHints;
}
