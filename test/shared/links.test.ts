import { ConvertlyApi } from '../../credentials/ConvertlyApi.credentials';
import codex from '../../nodes/Convertly/Convertly.node.json';
import packageJson from '../../package.json';

/**
 * The node panel's Docs link as n8n 2.41's editor builds it (editor-ui, useNodeDocsUrl): the
 * node description's documentationUrl unchanged when it is an http(s) URL, otherwise the first
 * codex primaryDocumentation URL with "?utm_source=…" appended as plain text, so an anchor or
 * a query in that URL breaks the link.
 */
function nodePanelDocsLink(primaryDocumentationUrl: string, nodeTypeName: string): string {
	const utm = new URLSearchParams({
		utm_source: 'n8n_app',
		utm_medium: 'node_settings_modal-credential_link',
		utm_campaign: nodeTypeName,
	});
	return `${primaryDocumentationUrl}?${utm.toString()}`;
}

describe('links in the n8n editor', () => {
	it('the node panel Docs links land on the README sections, used by the editor as they are', async () => {
		const { Convertly } = await import('../../nodes/Convertly/Convertly.node');
		const { ConvertlyTrigger } = await import('../../nodes/Convertly/ConvertlyTrigger.node');
		expect(new Convertly().description.documentationUrl).toBe('https://github.com/convertly-sh/n8n-nodes-convertly#operations');
		expect(new ConvertlyTrigger().description.documentationUrl).toBe('https://github.com/convertly-sh/n8n-nodes-convertly#convertly-trigger');
	});

	const codexUrls = [
		...codex.resources.primaryDocumentation.map(({ url }) => url),
		...codex.resources.credentialDocumentation.map(({ url }) => url),
	];

	it('codex URLs carry no anchor or query, so the query n8n appends keeps them working', () => {
		for (const url of codexUrls) {
			expect(url).toMatch(/^https:\/\//);
			expect(url).not.toMatch(/[#?]/);
		}
	});

	it('the node panel Docs link opens the README with n8n’s tracking query and nothing lost', () => {
		const built = new URL(nodePanelDocsLink(codex.resources.primaryDocumentation[0].url, codex.node));
		expect(`${built.origin}${built.pathname}`).toBe(
			'https://github.com/convertly-sh/n8n-nodes-convertly/blob/main/README.md',
		);
		expect(built.hash).toBe('');
		expect(built.searchParams.get('utm_campaign')).toBe('n8n-nodes-convertly.convertly');
	});

	it('the credential dialog link is opened unchanged (not docs.n8n.io), so its anchor survives', () => {
		const url = new URL(new ConvertlyApi().documentationUrl);
		expect(url.protocol).toBe('https:');
		expect(url.hostname).not.toBe('docs.n8n.io');
		expect(url.hash).toBe('#credentials');
	});

	it('package.json names an issue tracker, which the node details’ "Report issue" opens', () => {
		expect(packageJson.bugs.url).toBe('https://github.com/convertly-sh/n8n-nodes-convertly/issues');
		expect(packageJson.bugs.url.startsWith(`${packageJson.repository.url.replace(/\.git$/, '')}/`)).toBe(true);
	});
});
