import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ExecutionHints } from './hints';

export interface PageRead {
	entries: IDataObject[];
	/** Whether the server says (or the page size suggests) there is more after this page. */
	more: boolean;
}

/**
 * Reads pages until `wanted` entries are collected or the list ends, asking for no more than
 * is wanted (a limit of 30 reads 30, not a page of 100). An entry that moved to the next page
 * while paging (something new arrived) is kept once; a page that adds nothing ends the loop.
 */
export async function collectPages(
	wanted: number,
	pageSize: number,
	idOf: (entry: IDataObject) => unknown,
	readPage: (limit: number, offset: number) => Promise<PageRead>,
): Promise<{ entries: IDataObject[]; moreLeft: boolean }> {
	const entries: IDataObject[] = [];
	const seen = new Set<unknown>();
	let offset = 0;
	let moreLeft = false;
	for (;;) {
		const page = await readPage(Math.min(pageSize, wanted - entries.length), offset);
		let added = 0;
		for (const entry of page.entries) {
			const id = idOf(entry);
			if (id !== undefined && seen.has(id)) continue;
			seen.add(id);
			if (entries.length < wanted) {
				entries.push(entry);
				added++;
			}
		}
		offset += page.entries.length;
		moreLeft = page.more;
		if (!page.more || entries.length >= wanted || added === 0) return { entries, moreLeft };
	}
}

/** How many entries Return All / Limit ask for: `max` with Return All, else a whole Limit ≥ 1. */
export function wantedCount(context: IExecuteFunctions, itemIndex: number, max: number, fallback: number): { wanted: number; returnAll: boolean } {
	const returnAll = context.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const wanted = returnAll ? max : (context.getNodeParameter('limit', itemIndex, fallback) as number);
	if (!Number.isInteger(wanted) || wanted < 1) {
		throw new NodeOperationError(context.getNode(), `Limit must be a whole number of at least 1, not ${wanted}`, { itemIndex });
	}
	return { wanted, returnAll };
}

/** The hint under the output when Return All stopped at its cap with more left. */
export function capHint(hints: ExecutionHints, collected: number, max: number, moreLeft: boolean, noun: string, advice: string): void {
	if (collected < max || !moreLeft) return;
	hints.add('listCapped', {
		message: `Return All stopped at ${max.toLocaleString('en-US')} ${noun}; the account has more. ${advice}`,
		type: 'warning',
		location: 'outputPane',
	});
}
