import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';

export { create, get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['job'] } },
		options: [
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
				description: 'Get a job by its ID, optionally waiting until it has completed or failed',
				action: 'Get a job',
			},
		],
		default: 'get',
	},
	...create.description,
	...get.description,
];
