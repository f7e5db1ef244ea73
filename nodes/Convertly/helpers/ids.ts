import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Reads an ID parameter (a resource locator's value, or plain text): numbers become text and
 * whitespace is trimmed; "." and "..", which URL resolution would turn into another path, are
 * refused. Empty is undefined when the parameter is optional (e.g. a folder: the root).
 */
export function readId(context: IExecuteFunctions, parameter: string, itemIndex: number, label: string, optional = false): string | undefined {
	const value: unknown = context.getNodeParameter(parameter, itemIndex, '', { extractValue: true });
	const id = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (value !== undefined && value !== null && value !== '' && typeof value !== 'string' && typeof value !== 'number') {
		throw new NodeOperationError(context.getNode(), `The ${label} must be text, not ${Array.isArray(value) ? 'a list' : typeof value}`, {
			description: `Map the field that holds the ID itself, for example {{ $json.id }}.`,
			itemIndex,
		});
	}
	if (id === '') {
		if (optional) return undefined;
		throw new NodeOperationError(context.getNode(), `The ${label} is empty`, {
			description: `Pick one from the list, or map its ID with an expression such as {{ $json.id }}.`,
			itemIndex,
		});
	}
	if (id === '.' || id === '..') {
		throw new NodeOperationError(context.getNode(), `"${id}" is not a valid ${label}`, { itemIndex });
	}
	return id;
}
