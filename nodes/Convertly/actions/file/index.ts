import type { ResourceDefinition } from '../types';
import * as archive from './archive.operation';
import * as deleteFile from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as runTool from './runTool.operation';
import * as search from './search.operation';
import * as tagWithAi from './tagWithAi.operation';
import * as update from './update.operation';
import * as upload from './upload.operation';

export const resource: ResourceDefinition = {
	name: 'File',
	value: 'file',
	defaultOperation: 'upload',
	operations: [upload, get, getAll, search, update, deleteFile, runTool, tagWithAi, archive],
};
