import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { EVENT_OPTIONS } from './trigger/events';
import { enrichEvents } from './trigger/enrich';
import { checkSecretShape } from './trigger/secret';
import { handleDelivery } from './trigger/receive';

export class ConvertlyTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Convertly Trigger',
		name: 'convertlyTrigger',
		icon: { light: 'file:../../icons/convertly.svg', dark: 'file:../../icons/convertly.dark.svg' },
		group: ['trigger'],
		version: 1,
		documentationUrl: 'https://github.com/convertly-sh/n8n-nodes-convertly#convertly-trigger',
		subtitle: '={{$parameter["events"].length === 1 ? $parameter["events"][0] : $parameter["events"].length + " events"}}',
		// n8n's node creator shows one "Convertly" entry for both nodes, with this description (it
		// replaces the action node's there), so it speaks for both.
		description: 'Convert, compress and store media with Convertly, and start workflows on its job events',
		defaults: { name: 'Convertly Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'convertlyWebhookApi', required: true, testedBy: 'convertlyWebhookSecretShape' },
			{ name: 'convertlyApi', required: true, displayOptions: { show: { fetchJob: [true] } } },
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// Answer 200 as soon as the delivery is verified, before the workflow runs, so that
				// Convertly does not retry deliveries n8n has accepted.
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		triggerPanel: {
			header: 'Convertly calls this URL when a job event happens',
			executionsHelp: {
				inactive:
					'Add the <b>Test URL</b> as an endpoint in the Convertly dashboard (Settings → Webhooks), then click "Listen for test event" and send a test event from Convertly. Once it works, publish the workflow and change the endpoint to the <b>Production URL</b>.',
				active:
					'The workflow is published: every signed Convertly event sent to the <b>Production URL</b> starts an execution. Executions are listed under Executions.',
			},
			activationHint:
				'Publish the workflow and point your Convertly webhook endpoint at the Production URL to run it on every event.',
		},
		properties: [
			{
				displayName:
					'Convertly endpoints are set up in the dashboard, not through the API. Copy the webhook URL above, then in Convertly open <b>Settings → Webhooks → Add endpoint</b>, paste the URL, choose the same events as below and save. Copy the signing secret (whsec_…) it shows once into the <b>Convertly Webhook API</b> credential. Convertly must be able to reach the URL: it has to be a public address (not localhost); when n8n runs behind a reverse proxy, set n8n’s WEBHOOK_URL to the public address so that the URL shown is the one to paste.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: EVENT_OPTIONS,
				default: ['conversion.completed', 'conversion.failed', 'media.tool.completed', 'media.tool.failed'],
				description:
					'Events that start the workflow. Other events are acknowledged and ignored. Select the same events for the endpoint in the Convertly dashboard.',
			},
			{
				displayName: 'Fetch Job',
				name: 'fetchJob',
				type: 'boolean',
				default: false,
				description:
					'Whether to read the full job (GET /api/jobs/{data.jobId}) with a Convertly API credential and add it as "job". The dashboard’s test event (job ID all zeros) is output with "job": null and a note instead.',
			},
			{
				displayName: 'Download Results',
				name: 'downloadResults',
				type: 'boolean',
				default: false,
				displayOptions: { show: { fetchJob: [true] } },
				description:
					'Whether to download the result files of a completed job into n8n binary data (fields data_0, data_1, …), so that later nodes can use the files',
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyOutput',
				type: 'string',
				default: 'data',
				required: true,
				hint: 'The files go to data_0, data_1, … (one per result file, same order)',
				description: 'The name prefix of the binary fields for the downloaded files',
				displayOptions: { show: { fetchJob: [true], downloadResults: [true] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Timestamp Tolerance (Seconds)',
						name: 'toleranceSeconds',
						type: 'number',
						typeOptions: { minValue: 10, maxValue: 3600 },
						default: 300,
						description:
							'How far the signed timestamp may be from this server’s clock, in either direction, before a delivery is refused as stale. Also how long event IDs are remembered to refuse replays.',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			async convertlyWebhookSecretShape(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return checkSecretShape(credential.data?.signingSecret);
			},
		},
	};

	// Convertly has no API to create endpoints: nothing is registered remotely, so these only
	// satisfy n8n's webhook lifecycle.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery.call(this);
	}

	/**
	 * Runs after n8n has answered Convertly: the webhook's items come in here, and the job and its
	 * files are fetched only when asked for.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const fetchJob = this.getNodeParameter('fetchJob', 0, false) as boolean;
		if (!fetchJob) {
			return [items.map((item, index) => ({ ...item, pairedItem: { item: index } }))];
		}
		const downloadResults = this.getNodeParameter('downloadResults', 0, false) as boolean;
		return [await enrichEvents.call(this, items as Array<INodeExecutionData & { json: IDataObject }>, downloadResults)];
	}
}
