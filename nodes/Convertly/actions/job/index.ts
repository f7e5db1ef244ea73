import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { cancel, create, get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['job'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				description: 'Cancel a job that is still pending, by its ID; jobs already processing cannot be cancelled',
				action: 'Cancel a job',
			},
			{
				name: 'Create',
				value: 'create',
				description:
					'Send the files of the input items to Convertly to convert or compress them, optionally waiting for the result files',
				action: 'Create a job',
			},
			{
				name: 'Get',
				value: 'get',
				description:
					'Get one job by its ID (status, progress, file counts, results with download URLs), optionally waiting until it has completed or failed',
				action: 'Get a job',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the account\'s jobs, newest first, optionally only those with one status',
				action: 'Get many jobs',
			},
		],
		default: 'get',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...cancel.description,
];
