#!/usr/bin/env node
'use strict';
// `npm run smoke`: checks the node against the REAL Convertly API, through n8n's own engine
// (tools/engine.js), and validates every answer against Convertly's official OpenAPI excerpt and
// our inferred shapes (test/contract/). Prints a field-by-field report.
//
//   CONVERTLY_API_KEY      required; without it the script explains how to get one and exits 0
//                          without any network access. The key is never printed.
//   CONVERTLY_BASE_URL     optional (default https://convertly.sh), e.g. the local simulator.
//   CONVERTLY_JOB_ID       optional: the job to read (default: the newest one listed).
//   CONVERTLY_SMOKE_WRITE  set to 1 to also create one tiny compress job from a generated PNG,
//                          wait for it and download the result (uses one media API request).
//   CONVERTLY_SMOKE_WAIT_SECONDS  how long Create waits for that job (default 180); a job still
//                          pending then is cancelled (the only job the script ever cancels).
//
// Read-only by default: credential test (both header modes), Job → Get Many (1 job), Job → Get
// of that job (both header modes), and two error answers (unknown job, rejected key).
// Exit code: 0 when everything matched the official schema (differences from our inferred shapes
// are reported as such but do not fail the run), 1 otherwise.

const { randomUUID } = require('node:crypto');
const zlib = require('node:zlib');

const WRITE = process.env.CONVERTLY_SMOKE_WRITE === '1';
const API_KEY = (process.env.CONVERTLY_API_KEY ?? '').trim();
const BASE_URL = (process.env.CONVERTLY_BASE_URL || 'https://convertly.sh').trim().replace(/\/+$/, '');
const OVERALL_TIMEOUT_MS = Number(process.env.CONVERTLY_SMOKE_TIMEOUT_MS) > 0 ? Number(process.env.CONVERTLY_SMOKE_TIMEOUT_MS) : 240_000;
// How long Create waits for its job (seconds).
const WAIT_TIMEOUT_S = Number(process.env.CONVERTLY_SMOKE_WAIT_SECONDS) >= 1 ? Number(process.env.CONVERTLY_SMOKE_WAIT_SECONDS) : 180;
// A key that no account has: used to see the real 401 body. Never the user's key.
const REJECTED_KEY = 'cvly_smoke_check_not_a_real_key';

/** Every line leaves through here, with the key masked should anything ever echo it. */
function out(line = '') {
	let text = String(line);
	if (API_KEY.length >= 4) text = text.split(API_KEY).join('[API key hidden]');
	process.stdout.write(`${text}\n`);
}

function explainMissingKey() {
	out('npm run smoke: no CONVERTLY_API_KEY set, so nothing was checked and no request was sent.');
	out();
	out('To check the node against the real Convertly API:');
	out('  1. Sign in at https://convertly.sh and open the account menu → Settings → API keys.');
	out('  2. Create a key (it starts with cvly_ and is shown only once) and copy it.');
	out('  3. Run:  CONVERTLY_API_KEY=cvly_... npm run smoke');
	out();
	out('Read-only by default (credential test, list one job, read it). Add CONVERTLY_SMOKE_WRITE=1 to also');
	out('create, wait for and download one tiny compress job. CONVERTLY_BASE_URL points it at another host,');
	out('e.g. the local simulator: npm run simulator, then');
	out('  CONVERTLY_BASE_URL=http://127.0.0.1:4010 CONVERTLY_API_KEY=cvly_simulator_demo_key npm run smoke');
}

// ---------------------------------------------------------------------------------------------
// Report

const checks = [];

/** Records and prints one check. outcome: 'ok' | 'differs' (inferred shape only) | 'failed' | 'skipped'. */
function report(title, outcome, lines = []) {
	checks.push({ title, outcome });
	const mark = { ok: 'OK     ', differs: 'DIFFERS', failed: 'FAILED ', skipped: 'SKIPPED' }[outcome];
	out(`[${mark}] ${title}`);
	for (const line of lines) out(`          ${line}`);
}

function typeOf(value) {
	if (value === null) return 'null';
	if (Array.isArray(value)) return `array(${value.length})`;
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

function preview(value) {
	if (value === undefined || value === null) return '';
	if (typeof value === 'object' && value !== null) return '';
	const text = JSON.stringify(value);
	return text.length > 48 ? `${text.slice(0, 45)}…"` : text;
}

/**
 * One line per field the schema names (present or absent, type, verdict) and one per field the
 * body has beyond the schema: the field-by-field comparison the report shows.
 */
function fieldLines(body, fields, errors, addedByNode = []) {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return [`body is ${typeOf(body)}, expected an object`, ...errors.map((e) => `${e.path} ${e.message}`)];
	}
	const width = Math.max(12, ...fields.map((f) => f.name.length), ...Object.keys(body).map((k) => k.length));
	const lines = [];
	const errorsFor = (name) => errors.filter((e) => e.path === `/${name}` || e.path.startsWith(`/${name}/`));
	for (const { name, required } of fields) {
		const fieldErrors = errorsFor(name);
		const present = Object.prototype.hasOwnProperty.call(body, name);
		const shown = present ? `${typeOf(body[name])} ${preview(body[name])}`.trim() : required ? 'ABSENT' : 'absent (optional)';
		const verdict = fieldErrors.length ? `✗ ${fieldErrors.map((e) => e.message).join('; ')}` : '✓';
		lines.push(`${name.padEnd(width)}  ${shown.padEnd(40)} ${verdict}`);
	}
	const known = new Set(fields.map((f) => f.name));
	for (const name of Object.keys(body).filter((key) => !known.has(key))) {
		const note = addedByNode.includes(name) ? '+ added by the node' : '+ not in the schema (allowed)';
		lines.push(`${name.padEnd(width)}  ${`${typeOf(body[name])} ${preview(body[name])}`.trim().padEnd(40)} ${note}`);
	}
	for (const error of errors.filter((e) => e.path === '/' || !fields.some((f) => e.path === `/${f.name}` || e.path.startsWith(`/${f.name}/`)))) {
		lines.push(`${error.path} ${error.message}`);
	}
	return lines;
}

// ---------------------------------------------------------------------------------------------
// Checks

async function rawGet(path, headers) {
	const response = await fetch(`${BASE_URL}${path}`, { headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(30_000) });
	const text = await response.text();
	let body;
	try {
		body = JSON.parse(text);
	} catch {
		body = undefined;
	}
	return { status: response.status, contentType: response.headers.get('content-type') ?? '', body, text };
}

function nodeErrorLines(result) {
	const error = result.error;
	if (!error) return [`run status ${result.status}`];
	const lines = [`${error.name ?? 'Error'}: ${error.message}`];
	if (error.description) lines.push(String(error.description));
	if (error.httpCode) lines.push(`HTTP ${error.httpCode}`);
	return lines;
}

async function main() {
	if (!API_KEY) {
		explainMissingKey();
		return 0;
	}
	const watchdog = setTimeout(() => {
		out(`npm run smoke: gave up after ${OVERALL_TIMEOUT_MS / 1000} s.`);
		process.exit(1);
	}, OVERALL_TIMEOUT_MS);
	watchdog.unref();

	// Loaded only now: without a key nothing below runs.
	const schemas = require('../test/contract/schemas');
	const { runConvertly, testCredential, readBinary } = require('../tools/engine');
	const credentials = (authHeader) => ({ apiKey: API_KEY, authHeader, baseUrl: BASE_URL });
	const official = schemas.jobDetailFields();
	const fieldsOf = (name) => schemas.inferredFields(name);

	out(`Convertly smoke check against ${BASE_URL} (${WRITE ? 'read and write' : 'read-only'}), key ${maskedKey()}`);
	out(`Schemas: official ${relative(schemas.OPENAPI_FILE)}, inferred ${relative(schemas.INFERRED_FILE)}`);
	out();

	// 1. Credential test, as n8n's "Test" button runs it, in both header modes.
	for (const authHeader of ['bearer', 'xApiKey']) {
		const title = `Credential test (${headerLabel(authHeader)})`;
		try {
			const verdict = await testCredential(credentials(authHeader));
			report(title, verdict.status === 'OK' ? 'ok' : 'failed', [`${verdict.message} (HTTP ${verdict.statusCode})`]);
		} catch (error) {
			report(title, 'failed', [String(error.message ?? error)]);
		}
	}

	// 2. The list body itself (the node outputs its jobs, not the envelope).
	let listedJobId;
	{
		const title = 'GET /api/jobs?limit=1: body against the inferred JobListResponse';
		try {
			const response = await rawGet('/api/jobs?limit=1', { authorization: `Bearer ${API_KEY}` });
			if (response.status !== 200) {
				const verdict = schemas.validateGetJobResponse(response.status, response.body);
				report(title, 'failed', [`HTTP ${response.status}: ${response.body?.error ?? response.text.slice(0, 120)}`, ...(verdict.valid ? [] : ['(and the body is not the official Error shape)'])]);
			} else {
				const verdict = schemas.validateInferred('JobListResponse', response.body);
				const lines = fieldLines(response.body, fieldsOf('JobListResponse'), verdict.errors);
				if (response.body && typeof response.body.pagination === 'object' && response.body.pagination !== null) {
					lines.push('pagination:', ...fieldLines(response.body.pagination, fieldsOf('Pagination'), schemas.validateInferred('Pagination', response.body.pagination).errors).map((l) => `  ${l}`));
				}
				report(title, verdict.valid ? 'ok' : 'differs', lines);
				listedJobId = response.body?.jobs?.[0]?.jobId;
			}
		} catch (error) {
			report(title, 'failed', [String(error.message ?? error)]);
		}
	}

	// 3. Job → Get Many with a limit of 1, through the node.
	let jobId = process.env.CONVERTLY_JOB_ID?.trim() || undefined;
	{
		const title = 'Job → Get Many (limit 1): each item against the inferred JobSummary';
		const result = await runConvertly({
			parameters: { resource: 'job', operation: 'getAll', returnAll: false, limit: 1, filters: {} },
			credentials: credentials('bearer'),
		}).done;
		if (result.status !== 'success') {
			report(title, 'failed', nodeErrorLines(result));
		} else if (result.items.length > 1) {
			report(title, 'failed', [`${result.items.length} items for a limit of 1`]);
		} else if (result.items.length === 0) {
			report(title, 'ok', ['no items: the account has no jobs yet']);
		} else {
			const item = result.items[0].json;
			const verdict = schemas.validateInferred('JobSummary', item);
			report(title, verdict.valid ? 'ok' : 'differs', fieldLines(item, fieldsOf('JobSummary'), verdict.errors));
			jobId ??= item.jobId;
		}
	}
	jobId ??= listedJobId;

	// 4. Optional: one tiny compress job, created, waited for and downloaded through the node
	// (before the reads, so that an account without jobs has one to read).
	if (WRITE) {
		const createdJobId = await writeCheck({ runConvertly, readBinary, schemas, credentials, official });
		jobId ??= createdJobId;
	} else {
		report('Job → Create (compress a generated PNG)', 'skipped', ['read-only run; set CONVERTLY_SMOKE_WRITE=1 to create one tiny job']);
	}

	// 5. Job → Get of that job, in both header modes, against the official JobDetail.
	const seen = {};
	for (const authHeader of ['bearer', 'xApiKey']) {
		const title = `Job → Get (${headerLabel(authHeader)}): output against the official JobDetail`;
		if (!jobId) {
			report(title, 'skipped', ['no job to read: the account lists none (set CONVERTLY_JOB_ID, or CONVERTLY_SMOKE_WRITE=1 to create one)']);
			continue;
		}
		const result = await runConvertly({
			parameters: { resource: 'job', operation: 'get', jobId: byId(jobId) },
			credentials: credentials(authHeader),
		}).done;
		if (result.status !== 'success') {
			report(title, 'failed', nodeErrorLines(result));
			continue;
		}
		const job = result.items[0]?.json;
		seen[authHeader] = job;
		const verdict = schemas.validateOfficial('JobDetail', job);
		report(title, verdict.valid ? 'ok' : 'failed', [`job ${jobId}`, ...fieldLines(job, official, verdict.errors)]);
	}
	if (seen.bearer && seen.xApiKey) {
		const stable = ['jobId', 'jobType', 'totalFiles', 'createdAt'];
		const different = stable.filter((field) => JSON.stringify(seen.bearer[field]) !== JSON.stringify(seen.xApiKey[field]));
		report('Both header modes read the same job', different.length ? 'failed' : 'ok', different.map((field) => `${field} differs`));
	}

	// 6. Error answers: their bodies against the official Error schema.
	for (const [title, path, headers, expected] of [
		['Unknown job → 404 with the official Error body', `/api/jobs/${randomUUID()}`, { authorization: `Bearer ${API_KEY}` }, 404],
		['Rejected key → 401 with the official Error body', '/api/jobs?limit=1', { authorization: `Bearer ${REJECTED_KEY}` }, 401],
	]) {
		try {
			const response = await rawGet(path, headers);
			const verdict = schemas.validateGetJobResponse(response.status, response.body);
			const lines = [`HTTP ${response.status}, ${response.contentType || 'no content-type'}`];
			if (response.body === undefined) lines.push(`not JSON: ${response.text.slice(0, 80)}`);
			else lines.push(...fieldLines(response.body, schemas.officialFields('Error'), verdict.errors));
			const ok = response.status === expected && verdict.valid;
			report(title, ok ? 'ok' : 'failed', lines);
		} catch (error) {
			report(title, 'failed', [String(error.message ?? error)]);
		}
	}

	out();
	const count = (outcome) => checks.filter((check) => check.outcome === outcome).length;
	out(`${count('ok')} matched, ${count('differs')} differ from our inferred shapes, ${count('failed')} failed, ${count('skipped')} skipped.`);
	if (count('differs')) out('Differences from inferred shapes: update test/contract/convertly-inferred.schema.json and the simulator to match.');
	if (count('failed')) out('Failures: the node or the official schema disagree with this API. See the lines above.');
	clearTimeout(watchdog);
	return count('failed') ? 1 : 0;
}

async function writeCheck({ runConvertly, readBinary, schemas, credentials, official }) {
	const title = 'Job → Create (compress a generated PNG, wait, download): output against the official JobDetail';
	const png = tinyPng(16, 16);
	const result = await runConvertly({
		parameters: {
			resource: 'job',
			operation: 'create',
			jobType: 'compress',
			binaryPropertyName: 'data',
			format: 'png',
			waitForCompletion: true,
			// A failed or unfinished job is reported with its body rather than as a node error.
			waitOptions: { pollInterval: 2, timeout: WAIT_TIMEOUT_S, onFailure: 'output', onTimeout: 'output' },
			downloadResults: true,
		},
		credentials: credentials('bearer'),
		items: [{ json: { smoke: true }, binary: { data: { base64: png.toString('base64'), fileName: 'convertly-smoke.png', mimeType: 'image/png' } } }],
	}).done;
	if (result.status !== 'success') {
		// The job's id is unknown here (no output item), so nothing is cancelled.
		report(title, 'failed', nodeErrorLines(result));
		return undefined;
	}
	const item = result.items[0];
	const job = item?.json ?? {};
	const verdict = schemas.validateOfficial('JobDetail', job);
	// fileDownload (what was downloaded) and waitDetails are the node's, not Convertly's.
	const lines = [`created job ${job.jobId} from a ${png.length}-byte PNG`, ...fieldLines(job, official, verdict.errors, ['fileDownload', 'waitDetails'])];
	const files = Object.entries(item?.binary ?? {});
	let ok = verdict.valid && job.status === 'completed';
	if (job.status !== 'completed') lines.push(`the job ended "${job.status}", not completed`);
	if (files.length === 0) {
		ok = false;
		lines.push('no result file was downloaded (no binary data on the output item)');
	}
	for (const [property, binary] of files) {
		// Read through n8n's binary data service, as the next node of a workflow would.
		const bytes = readBinary ? await readBinary(binary) : Buffer.from(binary.data ?? '', 'base64');
		const kind = bytes.subarray(0, 8).equals(png.subarray(0, 8)) ? 'a PNG' : 'not a PNG';
		if (bytes.length === 0) ok = false;
		lines.push(`downloaded ${property}: ${binary.fileName ?? '(no name)'}, ${binary.mimeType ?? '(no type)'}, ${bytes.length} bytes, ${kind}`);
	}
	report(title, ok ? 'ok' : 'failed', lines);
	if (job.status === 'pending' && job.jobId) await cancelCreatedJob(runConvertly, credentials, job.jobId);
	return typeof job.jobId === 'string' ? job.jobId : undefined;
}

/** Cancels the job this run created, if it is still pending (never any other job). */
async function cancelCreatedJob(runConvertly, credentials, jobId) {
	const cancel = await runConvertly({
		parameters: { resource: 'job', operation: 'cancel', jobId: byId(jobId), options: { onNotCancellable: 'output' } },
		credentials: credentials('bearer'),
	}).done;
	const json = cancel.items[0]?.json ?? {};
	const outcome =
		cancel.status !== 'success'
			? `not cancelled: ${cancel.error?.message}`
			: json.cancelled === false
				? `not cancellable any more (${json.status})`
				: 'cancelled';
	out(`          the job this run created (${jobId}) was still pending: ${outcome}`);
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** The Job ID parameter as the editor saves it (resource locator, "By ID" mode). */
function byId(jobId) {
	return { __rl: true, mode: 'id', value: jobId };
}

function headerLabel(authHeader) {
	return authHeader === 'xApiKey' ? 'x-api-key header' : 'Authorization: Bearer';
}

/** Only the documented public prefix and the length: enough to tell two keys apart, nothing secret. */
function maskedKey() {
	const prefix = /^cvly_(pub_)?/.exec(API_KEY)?.[0] ?? '';
	return `${prefix}… (${API_KEY.length} characters)`;
}

function relative(file) {
	return require('node:path').relative(process.cwd(), file) || file;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(buffer) {
	let crc = 0xffffffff;
	for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typed));
	return Buffer.concat([length, typed, crc]);
}

/** A valid RGB PNG of width × height pixels (a colour gradient), built with node:zlib. */
function tinyPng(width, height) {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8; // bit depth
	header[9] = 2; // colour type: RGB
	const rows = [];
	for (let y = 0; y < height; y++) {
		const row = Buffer.alloc(1 + width * 3); // filter byte 0, then RGB triples
		for (let x = 0; x < width; x++) row.set([(x * 255) / (width - 1), (y * 255) / (height - 1), 128], 1 + x * 3);
		rows.push(row);
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

module.exports = { tinyPng };

if (require.main === module) {
	main().then(
		(code) => {
			process.exitCode = code;
		},
		(error) => {
			out(`npm run smoke failed: ${error.stack ?? error}`);
			process.exitCode = 1;
		},
	);
}
