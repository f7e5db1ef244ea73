import type { ResourceDefinition } from '../types';
import * as cancel from './cancel.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const resource: ResourceDefinition = {
	name: 'Job',
	value: 'job',
	defaultOperation: 'get',
	operations: [create, get, getAll, cancel],
};
