import type { INodeCredentialTestResult } from 'n8n-workflow';

/**
 * The credential test for the signing secret. Nothing can be asked of Convertly about a secret, so
 * this checks its shape: what the dashboard shows is `whsec_` followed by random characters.
 * The messages never repeat the secret.
 */
export function checkSecretShape(secret: unknown): INodeCredentialTestResult {
	if (typeof secret !== 'string' || secret === '') {
		return { status: 'Error', message: 'The signing secret is empty. Copy it from the webhook endpoint in the Convertly dashboard.' };
	}
	if (secret.trim() !== secret || /\s/.test(secret)) {
		return {
			status: 'Error',
			message: 'The signing secret contains spaces or line breaks. Copy it again without surrounding whitespace.',
		};
	}
	if (!secret.startsWith('whsec_')) {
		return {
			status: 'Error',
			message:
				'This does not look like a Convertly signing secret: those start with "whsec_". Use the secret of the webhook endpoint (Settings → Webhooks), not an API key.',
		};
	}
	if (secret.length < 6 + 16) {
		return { status: 'Error', message: 'The signing secret is too short. Copy it again in full.' };
	}
	return { status: 'OK', message: 'The signing secret has the expected shape' };
}
