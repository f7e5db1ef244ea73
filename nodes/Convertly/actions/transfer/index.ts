import type { ResourceDefinition } from '../types';
import * as create from './create.operation';

export const resource: ResourceDefinition = {
	name: 'Transfer',
	value: 'transfer',
	defaultOperation: 'create',
	operations: [create],
};
