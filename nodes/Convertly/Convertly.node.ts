import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as job from './actions/job';
import { router } from './actions/router';

export class Convertly implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Convertly',
		name: 'convertly',
		icon: { light: 'file:../../icons/convertly.svg', dark: 'file:../../icons/convertly.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Convert and compress files with Convertly, get its jobs, wait for them and download the result files',
		defaults: { name: 'Convertly' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'convertlyApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Job', value: 'job' }],
				default: 'job',
			},
			...job.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
