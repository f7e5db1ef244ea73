import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class ConvertlyApi implements ICredentialType {
	name = 'convertlyApi';

	displayName = 'Convertly API';

	icon: Icon = { light: 'file:../icons/convertly.svg', dark: 'file:../icons/convertly.dark.svg' };

	documentationUrl = 'https://docs.convertly.sh/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'cvly_...',
			description:
				'Create a key in the Convertly dashboard under Settings → API keys. Keys currently start with cvly_.',
		},
		{
			displayName: 'Send Key As',
			name: 'authHeader',
			type: 'options',
			options: [
				{
					name: 'Authorization: Bearer (Recommended)',
					value: 'bearer',
					description: 'Sends Authorization: Bearer <key>, as Convertly’s own SDKs do',
				},
				{
					name: 'X-API-Key Header',
					value: 'xApiKey',
					description:
						'Sends x-api-key: <key>, for proxies or gateways that reserve the Authorization header',
				},
			],
			default: 'bearer',
			description: 'Which HTTP header carries the key. Convertly accepts both.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://convertly.sh',
			placeholder: 'https://convertly.sh',
			description:
				'Change only to use a proxy, a staging server or the local Convertly simulator (npm run simulator)',
		},
	];

	// n8n resolves both the header name and its value as expressions, so one entry sends exactly
	// one of the two headers.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'={{$credentials.authHeader === "xApiKey" ? "x-api-key" : "Authorization"}}':
					'={{$credentials.authHeader === "xApiKey" ? $credentials.apiKey : "Bearer " + $credentials.apiKey}}',
			},
		},
	};

	// Listing one job is the cheapest authenticated read the API documents.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/jobs',
			qs: { limit: 1 },
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Convertly rejected the API key. Check that it is copied in full and has not been revoked, and that "Send Key As" matches what your Base URL expects.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The key was recognised but is not allowed to list jobs. Use a standard API key (not a WordPress site token or a publishable cvly_pub_ key).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No Convertly API was found at this Base URL. Use https://convertly.sh unless you run a proxy or the simulator.',
				},
			},
		],
	};
}
