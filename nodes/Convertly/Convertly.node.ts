import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as job from './actions/job';
import { router } from './actions/router';
import { searchJobs } from './methods';

export class Convertly implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Convertly',
		name: 'convertly',
		icon: { light: 'file:../../icons/convertly.svg', dark: 'file:../../icons/convertly.dark.svg' },
		group: ['transform'],
		version: 1,
		// The chosen action in words ("Get many jobs"); for n8n's added "Custom API Call" a pointer to
		// the HTTP Request node instead of the raw "__CUSTOM_API_CALL__" value.
		// The editor's Docs link uses this as it is (the codex URL gets a query appended, which would end an anchor).
		documentationUrl: 'https://github.com/convertly-sh/n8n-nodes-convertly#operations',
		subtitle:
			'={{ $parameter["resource"] === "__CUSTOM_API_CALL__" || $parameter["operation"] === "__CUSTOM_API_CALL__" ? "Custom API Call: use the HTTP Request node" : ({ "job": { "get": "Get a job", "getAll": "Get many jobs", "cancel": "Cancel a job", "create": "Create a job" } }[$parameter["resource"]] || {})[$parameter["operation"]] || ($parameter["operation"] + ": " + $parameter["resource"]) }}',
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

	methods = {
		listSearch: { searchJobs },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
