import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The signing secret of one Convertly webhook endpoint. Kept apart from the API key: each endpoint
 * has its own secret, rotating one does not touch the key, and a trigger that only receives events
 * needs no API key at all. Tested by the Convertly Trigger node (shape check).
 */
export class ConvertlyWebhookApi implements ICredentialType {
	name = 'convertlyWebhookApi';

	displayName = 'Convertly Webhook API';

	icon: Icon = { light: 'file:../icons/convertly.svg', dark: 'file:../icons/convertly.dark.svg' };

	// n8n's credential dialog opens a non-n8n URL unchanged, so the anchor survives.
	documentationUrl = 'https://github.com/convertly-sh/n8n-nodes-convertly#convertly-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'whsec_...',
			description:
				'Shown once when you add the endpoint in the Convertly dashboard (Settings → Webhooks). For a per-job callback, the callbackSecret you gave the job.',
		},
	];
}
