import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/** Shown when the Base URL answers the test with something other than Convertly's job list. */
export const NOT_CONVERTLY_MESSAGE =
	'The Base URL does not point to the Convertly API: GET /api/jobs did not answer with a Convertly job list. Use https://convertly.sh unless you run a proxy or the simulator, and leave out any path: if the Base URL ends in /api, drop /api (the node adds /api/… itself).';

export class ConvertlyApi implements ICredentialType {
	name = 'convertlyApi';

	displayName = 'Convertly API';

	icon: Icon = { light: 'file:../icons/convertly.svg', dark: 'file:../icons/convertly.dark.svg' };

	// n8n's credential dialog opens a non-n8n URL unchanged, so the anchor survives.
	documentationUrl = 'https://github.com/convertly-sh/n8n-nodes-convertly#credentials';

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

	/**
	 * Adds exactly one header: "Authorization: Bearer <key>" or "x-api-key: <key>". A function
	 * rather than a generic block, because n8n resolves a generic block's header name and value
	 * as two expressions on every request, which cost more than the rest of the node's own work
	 * per request. n8n's HTTP Request node ("predefined credential type") and the credential test
	 * call it the same way.
	 *
	 * A property, not a class method: n8n copies credential types with an object spread, which
	 * keeps only own properties. As a method it is lost there, and n8n then neither lists the
	 * credential under the HTTP Request node's "Predefined Credential Type" in the editor nor
	 * offers "Custom API Call" on the Convertly node (n8n 2.41, load-nodes-and-credentials).
	 */
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const apiKey = String(credentials.apiKey ?? '');
		requestOptions.headers ??= {};
		if (credentials.authHeader === 'xApiKey') requestOptions.headers['x-api-key'] = apiKey;
		else requestOptions.headers.Authorization = `Bearer ${apiKey}`;
		return requestOptions;
	};

	// Listing one job is the cheapest authenticated read the API documents.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/jobs',
			qs: { limit: 1 },
			method: 'GET',
		},
		// n8n's credential tester reads both kinds from one list: responseCode rules judge a failed
		// request, responseSuccessBody rules a 2xx answer (each fails the test when
		// get(body, key) === value). The typings only allow one kind per list, hence the cast.
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
						'No Convertly API was found at this Base URL. If it ends in /api, drop /api (https://convertly.sh, not https://convertly.sh/api): the node adds /api/… itself. Otherwise use https://convertly.sh unless you run a proxy or the simulator.',
				},
			},
			{
				// A web page (HTML 200) or any JSON without a jobs list is not Convertly.
				type: 'responseSuccessBody',
				properties: { key: 'jobs', value: undefined, message: NOT_CONVERTLY_MESSAGE },
			},
		] as Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> as ICredentialTestRequest['rules'],
	};
}
