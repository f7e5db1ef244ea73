import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { RunContext } from '../helpers/context';

export type { RunContext } from '../helpers/context';

/** An operation as the editor lists it under its resource. */
export interface OperationMeta {
	/** The label in the Operation list ("Get Many"). */
	name: string;
	/** The saved parameter value ("getAll"): never change it, saved workflows hold it. */
	value: string;
	/** What it does, for the editor and for AI agents using the node as a tool. */
	description: string;
	/** The action in the node panel and the canvas subtitle ("Get many jobs"). */
	action: string;
}

/** What an `<operation>.operation.ts` file exports. */
export interface OperationModule {
	meta: OperationMeta;
	/** Its parameters, shown only for its resource and operation. */
	description: INodeProperties[];
	execute(this: IExecuteFunctions, run: RunContext, itemIndex: number): Promise<INodeExecutionData[]>;
	/** How many items to work on at once; by default as many as requests may be in flight. */
	itemsInParallel?(this: IExecuteFunctions, itemCount: number, maxConcurrency: number): number;
	/**
	 * Handles all items in one go when the operation says so (e.g. one job for every item's
	 * files); returns undefined to run item by item.
	 */
	executeAll?(this: IExecuteFunctions, run: RunContext): Promise<INodeExecutionData[] | undefined>;
}

/** A resource as its `index.ts` declares it. */
export interface ResourceDefinition {
	/** The label in the Resource list. */
	name: string;
	/** The saved parameter value. */
	value: string;
	/** The operation a new node starts with. */
	defaultOperation: string;
	/** In the order their parameters appear; the Operation list is sorted by name. */
	operations: OperationModule[];
}
