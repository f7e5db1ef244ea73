import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeProperties, subtitle } from './actions';
import { router } from './actions/router';
import { searchCancellableJobs, searchFiles, searchFolders, searchJobs } from './methods';

export class Convertly implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Convertly',
		name: 'convertly',
		icon: { light: 'file:../../icons/convertly.svg', dark: 'file:../../icons/convertly.dark.svg' },
		group: ['transform'],
		// 1.1: Download Result Files with Output "Job" puts the first file in the named field (1: <field>_0).
		version: [1, 1.1],
		// The editor's Docs link uses this as it is (the codex URL gets a query appended, which would end an anchor).
		documentationUrl: 'https://github.com/convertly-sh/n8n-nodes-convertly#operations',
		subtitle: subtitle(),
		description:
			'Convert and compress files, run media tools, and keep files in Convertly storage; get, wait for and download jobs',
		defaults: { name: 'Convertly' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'convertlyApi', required: true }],
		properties: nodeProperties(),
	};

	methods = {
		listSearch: { searchCancellableJobs, searchFiles, searchFolders, searchJobs },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
