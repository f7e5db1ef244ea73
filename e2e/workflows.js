'use strict';
// Workflow JSON for n8n's REST API, shared by the e2e tiers, the queue benchmark (bench/queue.js)
// and `npm run dev:queue`: n8n's Webhook node, the Convertly node, nodes chained output to input,
// and the Webhook → Convertly Job → Get workflow (answering with, or waiting for, the job POSTed
// as { "jobId": … }) that several of them activate.

/** Job → Get of the job ID in a Webhook node's JSON body. */
const GET_JOB_FROM_WEBHOOK = Object.freeze({ resource: 'job', operation: 'get', jobId: '={{ $json.body.jobId }}' });

/**
 * n8n's Webhook node (v2) for POST {baseUrl}/webhook/{path}. responseMode 'lastNode' answers with
 * the last node's output; 'onReceived' answers at once and the execution goes on.
 */
function webhookNode({ id, webhookId, path, responseMode = 'lastNode', position = [0, 0] }) {
	return {
		id,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position,
		webhookId,
		parameters: { httpMethod: 'POST', path, responseMode, options: {} },
	};
}

/** The Convertly node with `parameters` as they are, using the convertlyApi credential `{ id, name }`. */
function convertlyNode({ id, parameters, credential, name = 'Convertly', position = [220, 0] }) {
	return {
		id,
		name,
		type: 'n8n-nodes-convertly.convertly',
		typeVersion: 1,
		position,
		parameters,
		credentials: { convertlyApi: credential },
	};
}

/** `{ nodes, connections }` with each node's main output connected to the next node's input. */
function chain(...nodes) {
	const connections = {};
	for (let i = 0; i < nodes.length - 1; i++) connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return { nodes, connections };
}

/**
 * Webhook → Convertly Job → Get of the POSTed { jobId }. Node IDs are `${idPrefix}000000000001` and
 * `…002`, the webhook ID `${idPrefix}0000000000aa`.
 * @param {object} options
 * @param {string} options.name the workflow's name
 * @param {string} options.idPrefix the first 24 characters of the UUIDs, e.g. '10000000-0000-4000-8000-'
 * @param {string} options.path the webhook path
 * @param {'lastNode' | 'onReceived'} [options.responseMode] see webhookNode (default 'lastNode')
 * @param {{ id: string, name: string }} options.credential the Convertly API credential
 * @param {object} [options.waitOptions] Wait for Completion with these options (e.g. { pollInterval: 1 }); without it no wait
 */
function webhookGetWorkflow({ name, idPrefix, path, responseMode, credential, waitOptions }) {
	const wait = waitOptions ? { waitForCompletion: true, waitOptions } : {};
	return {
		name,
		...chain(
			webhookNode({ id: `${idPrefix}000000000001`, webhookId: `${idPrefix}0000000000aa`, path, responseMode }),
			convertlyNode({ id: `${idPrefix}000000000002`, credential, parameters: { ...GET_JOB_FROM_WEBHOOK, ...wait } }),
		),
	};
}

module.exports = { GET_JOB_FROM_WEBHOOK, webhookNode, convertlyNode, chain, webhookGetWorkflow };
