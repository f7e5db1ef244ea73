import type { IExecuteFunctions, INode, INodeParameters } from 'n8n-workflow';

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
