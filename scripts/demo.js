#!/usr/bin/env node
'use strict';
// `npm run demo`: the main job. Runs a small workflow (Input → Convertly: Job → Get, Wait for
// Completion) through n8n's real engine and prints the items it outputs.
//   - By default against the embedded Convertly simulator: no account, no network.
//   - With CONVERTLY_API_KEY set, against the real API (CONVERTLY_BASE_URL to override the
//     host; CONVERTLY_JOB_ID to pick a job, otherwise the most recent job of the account).

const { request } = require('undici');
const { startSimulator } = require('../simulator');
const { runConvertly } = require('../tools/engine');

const out = (line = '') => process.stdout.write(`${line}\n`);

async function latestJobId(baseUrl, apiKey) {
	const response = await request(`${baseUrl}/api/jobs?limit=1`, {
		headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' },
	});
	const body = await response.body.json().catch(() => ({}));
	if (response.statusCode !== 200) {
		throw new Error(`Listing jobs failed with HTTP ${response.statusCode}: ${body.error ?? 'no error text'}`);
	}
	const jobId = body.jobs?.[0]?.jobId;
	if (!jobId) throw new Error('The account has no jobs yet: create one in Convertly or set CONVERTLY_JOB_ID.');
	return jobId;
}

async function prepare() {
	const apiKey = process.env.CONVERTLY_API_KEY;
	if (apiKey) {
		const baseUrl = (process.env.CONVERTLY_BASE_URL ?? 'https://convertly.sh').replace(/\/+$/, '');
		const jobId = process.env.CONVERTLY_JOB_ID ?? (await latestJobId(baseUrl, apiKey));
		return { target: `the Convertly API at ${baseUrl}`, credentials: { apiKey, baseUrl }, jobIds: [jobId], close: async () => {} };
	}
	const simulator = await startSimulator();
	// A finished transfer, a conversion that takes three seconds, and a media tool that fails.
	const jobs = [
		simulator.addJob({ jobType: 'transfer', processingMs: 0 }),
		simulator.addJob({ jobType: 'convert', totalFiles: 3, pendingMs: 500, processingMs: 2500 }),
		simulator.addJob({ jobType: 'media_tool', tool: 'trim', outcome: 'failed', errorMessage: 'The video has no audio track to trim.', processingMs: 1000 }),
	];
	return {
		target: `the embedded Convertly simulator at ${simulator.url}`,
		credentials: { apiKey: simulator.apiKey, baseUrl: simulator.url },
		jobIds: jobs.map((job) => job.jobId),
		close: () => simulator.close(),
	};
}

async function main() {
	const { target, credentials, jobIds, close } = await prepare();
	out(`Running Input → Convertly (Job → Get, Wait for Completion) in n8n's engine against ${target}`);
	out(`Jobs: ${jobIds.join(', ')}`);
	const startedAt = Date.now();
	try {
		const { done } = runConvertly({
			parameters: {
				resource: 'job',
				operation: 'get',
				jobId: '={{ $json.jobId }}',
				waitForCompletion: true,
				waitOptions: { pollInterval: 1, timeout: 120, onFailure: 'output', includeWaitDetails: true },
			},
			credentials,
			items: jobIds.map((jobId) => ({ jobId })),
		});
		const result = await done;
		if (result.status !== 'success') {
			out(`The node failed: ${result.error?.message}`);
			if (result.error?.description) out(result.error.description);
			process.exitCode = 1;
			return;
		}
		out();
		for (const [index, item] of result.items.entries()) {
			out(`Item ${index} (from input item ${item.pairedItem?.item}):`);
			out(JSON.stringify(item.json, null, 2));
		}
		out();
		out(`${result.items.length} items in ${((Date.now() - startedAt) / 1000).toFixed(1)} s:`);
		for (const { json } of result.items) {
			out(`  ${json.jobId}  ${json.jobType}  ${json.status}  ${json.completedFiles}/${json.totalFiles} files  ${json.waitDetails.polls} checks`);
		}
	} finally {
		await close();
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
