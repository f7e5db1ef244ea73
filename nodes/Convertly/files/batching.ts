import type { IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import { errorItem, rethrowable } from '../helpers/errors';
import type { InputFile } from './upload';
import { readInputFiles } from './upload';

export interface BatchFiles {
	/** Every readable item's files, in item order. */
	files: InputFile[];
	/** The items whose files are in the batch. */
	included: number[];
	/** Error items for items without usable files, when the node continues on fail. */
	failed: INodeExecutionData[];
}

/**
 * Reads every item's files for one request that carries them all ("One … for All Items"). An
 * item without a usable file stops the node, or, when the node continues on fail, becomes an
 * error item while the others are sent.
 */
export async function readAllItemsFiles(context: IExecuteFunctions, fieldParameter: string): Promise<BatchFiles> {
	const batch: BatchFiles = { files: [], included: [], failed: [] };
	const itemCount = context.getInputData().length;
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			batch.files.push(...(await readInputFiles(context, itemIndex, context.getNodeParameter(fieldParameter, itemIndex))));
			batch.included.push(itemIndex);
		} catch (error) {
			if (!context.continueOnFail()) throw rethrowable(context.getNode(), error as Error, itemIndex);
			batch.failed.push(errorItem(error as Error, { item: itemIndex }));
		}
	}
	return batch;
}

/**
 * Pairs the output of a batched request: one output item per file (in upload order) is paired to
 * the item its file came from; any other output to every item of the batch. Error items follow.
 */
export function pairBatchOutput(batch: BatchFiles, output: INodeExecutionData[], perFile: boolean): INodeExecutionData[] {
	const pairedToAll: IPairedItemData[] = batch.included.map((item) => ({ item }));
	const byFile = perFile && output.length === batch.files.length;
	const paired = output.map((item, index) => ({ ...item, pairedItem: byFile ? { item: batch.files[index].itemIndex } : pairedToAll }));
	return [...paired, ...batch.failed];
}
