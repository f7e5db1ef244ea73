import type { IExecuteFunctions, INode, INodeParameters } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

interface ExecutionState {
	node: INode;
	/** Values of parameters that hold no expression: the same for every item. */
	fixed: Map<string, unknown>;
}

/** n8n gives every run of a node a context of its own, so state keyed by it lasts one execution. */
const executions = new WeakMap<IExecuteFunctions, ExecutionState>();

function executionState(context: IExecuteFunctions): ExecutionState {
	let state = executions.get(context);
	if (!state) {
		// getNode() returns a deep copy on every call: take it once per execution.
		state = { node: context.getNode(), fixed: new Map() };
		executions.set(context, state);
	}
	return state;
}

/** The node as configured, copied once per execution (for error messages; do not modify). */
export function configuredNode(context: IExecuteFunctions): INode {
	return executionState(context).node;
}

/**
 * getNodeParameter for one item. A parameter without an expression has the same value for every
 * item, so it is read (resolved and copied by n8n) once per execution instead of once per item;
 * one that holds an expression anywhere is read for every item. Treat the value as read-only.
 */
export function itemParameter<T>(context: IExecuteFunctions, name: string, itemIndex: number, fallback: T): T {
	const state = executionState(context);
	if (state.fixed.has(name)) return state.fixed.get(name) as T;
	const value = context.getNodeParameter(name, itemIndex, fallback) as T;
	if (!holdsExpression(configured(state.node.parameters, name))) state.fixed.set(name, value);
	return value;
}

/** The parameter as configured ("options.output" is parameters.options.output). */
function configured(parameters: INodeParameters, name: string): unknown {
	let value: unknown = parameters;
	for (const key of name.split('.')) {
		if (typeof value !== 'object' || value === null) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (typeof value !== 'object' || value === null) return false;
	return Object.values(value).some(holdsExpression);
}

export const MAX_CONCURRENCY_LIMIT = 50;

/**
 * Options → Max Concurrency as a whole number from 1 to 50. An expression may give it as text
 * of digits ("5"); anything else (text, empty, undefined, NaN, a fraction, out of range) fails
 * the node before any request, so that it can neither run nothing nor wait forever.
 */
export function readMaxConcurrency(context: IExecuteFunctions): number {
	const value: unknown = context.getNodeParameter('options.maxConcurrency', 0, 5);
	const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	if (typeof number === 'number' && Number.isInteger(number) && number >= 1 && number <= MAX_CONCURRENCY_LIMIT) {
		return number;
	}
	throw new NodeOperationError(
		context.getNode(),
		`Max Concurrency must be a whole number from 1 to ${MAX_CONCURRENCY_LIMIT}, not ${describeValue(value)}`,
		{
			description: `Change Options → Max Concurrency, or the expression behind it, to a whole number from 1 to ${MAX_CONCURRENCY_LIMIT} (the default is 5). No request was sent.`,
		},
	);
}

/** A parameter value as it reads in a message: text in quotes, anything else as JavaScript shows it. */
function describeValue(value: unknown): string {
	if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
	if (typeof value === 'object' && value !== null) {
		const json = JSON.stringify(value) ?? String(value);
		return json.length > 40 ? `${json.slice(0, 40)}…` : json;
	}
	return String(value);
}
