import type { ResourceDefinition } from '../types';
import * as create from './create.operation';
import * as deleteFolder from './delete.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const resource: ResourceDefinition = {
	name: 'Folder',
	value: 'folder',
	defaultOperation: 'create',
	operations: [create, getAll, update, deleteFolder],
};
