import type { INodeProperties } from 'n8n-workflow';

import { resource as file } from './file';
import { resource as folder } from './folder';
import { resource as job } from './job';
import { resource as mediaTool } from './mediaTool';
import { resource as transfer } from './transfer';
import type { OperationModule, ResourceDefinition } from './types';

/**
 * The registry: every resource and its operations. The node's Resource and Operation lists, its
 * parameters, the canvas subtitle and the router's map are all built from it, so adding a
 * resource is one line here plus its folder.
 */
export const RESOURCES: ResourceDefinition[] = [job, mediaTool, file, folder, transfer];

/** The value n8n gives Resource and Operation when the user picks its added "Custom API Call". */
export const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

export function findOperation(resource: string, operation: string): OperationModule | undefined {
	return RESOURCES.find((candidate) => candidate.value === resource)?.operations.find((candidate) => candidate.meta.value === operation);
}

/** Resource, then for each resource its Operation list and its operations' parameters. */
export function nodeProperties(): INodeProperties[] {
	const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
	const firstResource = RESOURCES[0].value;
	return [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: RESOURCES.map(({ name, value }) => ({ name, value })).sort(byName),
			default: firstResource,
		},
		...RESOURCES.flatMap((resource): INodeProperties[] => {
			const defaultOperation = resource.defaultOperation;
			return [
				{
					displayName: 'Operation',
					name: 'operation',
					type: 'options',
					noDataExpression: true,
					displayOptions: { show: { resource: [resource.value] } },
					options: resource.operations.map(({ meta }) => ({ ...meta })).sort(byName),
					default: defaultOperation,
				},
				...resource.operations.flatMap((operation) => operation.description),
			];
		}),
	];
}

/**
 * The canvas subtitle: the resource and operation as the node's fields name them ("Job → Create").
 * n8n names a node added from an action after that action ("Create a job"), so the action's words
 * here would repeat the name; this stays true when the node is renamed. For n8n's added "Custom
 * API Call" a pointer to the HTTP Request node instead of the raw "__CUSTOM_API_CALL__" value.
 */
export function subtitle(): string {
	const names = Object.fromEntries(
		RESOURCES.map((resource) => [
			resource.value,
			Object.fromEntries(resource.operations.map(({ meta }) => [meta.value, `${resource.name} → ${meta.name}`])),
		]),
	);
	// Spaced braces: "}}" inside the expression would end it early.
	const table = JSON.stringify(names).replace(/\{/g, '{ ').replace(/\}/g, ' }');
	const call = `"${CUSTOM_API_CALL}"`;
	return `={{ $parameter["resource"] === ${call} || $parameter["operation"] === ${call} ? "Custom API Call: use the HTTP Request node" : (${table}[$parameter["resource"]] || {})[$parameter["operation"]] || ($parameter["operation"] + ": " + $parameter["resource"]) }}`;
}
