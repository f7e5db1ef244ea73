import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ExecutionHints } from '../helpers/hints';
import { configuredNode } from '../helpers/parameters';

/**
 * Reads a Job ID parameter value: numbers become text and whitespace is trimmed. Any other
 * non-empty text is accepted (Convertly's docs show non-UUID ids); only "." and "..", which
 * URL resolution would turn into a different path, are refused.
 */
export function parseJobId(node: INode, value: unknown, itemIndex: number): string {
	let jobId: string;
	if (typeof value === 'number' || typeof value === 'bigint') jobId = String(value);
	else if (typeof value === 'string') jobId = value.trim();
	else if (value === null || value === undefined) jobId = '';
	else {
		throw new NodeOperationError(node, `The Job ID must be text or a number, not ${describe(value)}`, {
			description:
				'Map the field that holds the ID itself, for example {{ $json.jobId }}, not the whole job object.',
			itemIndex,
		});
	}
	if (jobId === '') {
		throw new NodeOperationError(node, 'The Job ID is empty', {
			description:
				'Set Job ID to the ID of a Convertly job, usually with an expression such as {{ $json.jobId }}. If you used an expression, check that the previous node outputs that field for this item.',
			itemIndex,
		});
	}
	if (jobId === '.' || jobId === '..') {
		throw new NodeOperationError(node, `"${jobId}" is not a valid Job ID`, {
			description: 'Set Job ID to the ID of a Convertly job, such as a755a89a-3a63-4f3e-88ff-7fef50d42d7d.',
			itemIndex,
		});
	}
	return jobId;
}

function describe(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	return `a value of type ${typeof value}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether an ID has the shape of Convertly's job IDs (a UUID); others are accepted but hinted at. */
export function looksLikeJobId(jobId: string): boolean {
	return UUID.test(jobId);
}

/**
 * Reads the Job ID parameter of an item: the value of the resource locator (From List or By ID),
 * or the plain text that workflows saved before Job ID became a resource locator hold. An ID
 * that is not UUID-shaped is used as given, with an execution hint.
 */
export function readJobId(context: IExecuteFunctions, itemIndex: number, hints?: ExecutionHints): string {
	const value = context.getNodeParameter('jobId', itemIndex, undefined, { extractValue: true });
	const jobId = parseJobId(configuredNode(context), value, itemIndex);
	if (hints && !looksLikeJobId(jobId)) {
		hints.add('jobIdShape', {
			message: `Job ID "${jobId.length > 60 ? `${jobId.slice(0, 60)}…` : jobId}" does not look like a Convertly job ID (a UUID such as a755a89a-3a63-4f3e-88ff-7fef50d42d7d). It was used as given; if the job was not found, check the field the ID comes from.`,
			type: 'info',
			location: 'outputPane',
		});
	}
	return jobId;
}
