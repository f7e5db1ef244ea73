import type { IDataObject } from 'n8n-workflow';

/**
 * Remembers which events a trigger has already accepted, so that a redelivered or replayed event
 * starts at most one execution. Only accepted events (of a selected type, about to start an
 * execution) are passed here: events that start nothing must not push accepted ones out. An id is kept until its signed timestamp can no longer pass the
 * tolerance check (timestamp + tolerance): after that the same signed request is refused as
 * stale anyway.
 *
 * Two layers:
 * - a bounded in-process map per workflow and node, checked and updated synchronously, so two
 *   copies arriving at the same moment cannot both pass;
 * - the node's workflow static data (bounded list), which n8n saves with the workflow after an
 *   execution, so the memory survives a restart and is visible to other n8n processes once saved.
 */
export const MAX_REMEMBERED_IN_PROCESS = 10_000;
export const MAX_REMEMBERED_IN_STATIC_DATA = 500;

const memory = new Map<string, Map<string, number>>();

export interface ReplayScope {
	/** `${workflowId}:${nodeId}` */
	key: string;
	staticData: IDataObject;
}

type StoredIds = Array<[string, number]>;

function storedIds(staticData: IDataObject): StoredIds {
	const value = staticData.seenEvents;
	if (!Array.isArray(value)) return [];
	return (value as unknown[]).filter(
		(entry): entry is [string, number] =>
			Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number',
	);
}

/**
 * Returns true when `id` was not seen (and remembers it until `expiresAt`, unix seconds), false
 * when it is a repeat within its window.
 */
export function rememberOnce(scope: ReplayScope, id: string, expiresAt: number, nowSeconds: number): boolean {
	let seen = memory.get(scope.key);
	if (!seen) {
		seen = new Map();
		memory.set(scope.key, seen);
	}
	for (const [knownId, until] of seen) {
		// Insertion order is roughly expiry order; stop at the first one still valid.
		if (until >= nowSeconds) break;
		seen.delete(knownId);
	}
	const stored = storedIds(scope.staticData).filter(([, until]) => until >= nowSeconds);
	const known = (seen.get(id) ?? -1) >= nowSeconds || stored.some(([knownId]) => knownId === id);
	if (known) return false;

	seen.set(id, expiresAt);
	while (seen.size > MAX_REMEMBERED_IN_PROCESS) {
		const oldest = seen.keys().next().value as string;
		seen.delete(oldest);
	}
	stored.push([id, expiresAt]);
	scope.staticData.seenEvents = stored.slice(-MAX_REMEMBERED_IN_STATIC_DATA);
	return true;
}

/** Forgets everything remembered in this process (tests only). */
export function forgetAll(): void {
	memory.clear();
}

/** How many event ids this process remembers for one trigger (`${workflowId}:${nodeId}`; tests only). */
export function rememberedInProcess(key: string): number {
	return memory.get(key)?.size ?? 0;
}
