'use strict';
// Compiles Convertly's official OpenAPI schemas (JobDetail, JobStatus, Error) and our own inferred
// shapes (convertly-inferred.schema.json) with Ajv's JSON Schema 2020-12 dialect, the dialect of
// OpenAPI 3.1: `type: [string, 'null']` is a real union type here, nothing is stripped or rewritten.
// Used by the contract tests and by `npm run smoke`. Plain JS because it reads files.

const fs = require('node:fs');
const path = require('node:path');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;
const YAML = require('yaml');

const OPENAPI_FILE = path.join(__dirname, 'openapi-retrieve-a-job.yaml');
const INFERRED_FILE = path.join(__dirname, 'convertly-inferred.schema.json');
// The excerpt has no $id; it is registered under the address Convertly publishes it at, so that
// the inferred file can point into it with ordinary $refs.
const OPENAPI_ID = 'https://docs.convertly.sh/openapi.json';
const INFERRED_ID = 'https://github.com/convertly-sh/n8n-nodes-convertly/test/contract/convertly-inferred.schema.json';

const OFFICIAL = {
	JobDetail: '#/components/schemas/JobDetail',
	JobStatus: '#/components/schemas/JobStatus',
	Error: '#/components/schemas/Error',
};

let cached;

function load() {
	if (cached) return cached;
	const openapi = YAML.parse(fs.readFileSync(OPENAPI_FILE, 'utf8'));
	const inferred = JSON.parse(fs.readFileSync(INFERRED_FILE, 'utf8'));
	if (inferred.$id !== INFERRED_ID) throw new Error(`${INFERRED_FILE} must have $id ${INFERRED_ID}`);

	// strict: unknown keywords, ignored keywords and ambiguous types are errors, so a typo in a
	// schema cannot silently accept everything. Union types are allowed: OpenAPI 3.1 uses them.
	const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
	addFormats(ajv);
	// The OpenAPI document's own top-level keys: not JSON Schema keywords, skipped (their
	// contents are reached only through $refs such as #/components/schemas/JobDetail).
	ajv.addVocabulary(['openapi', 'info', 'servers', 'security', 'paths', 'components']);
	// Annotations of the inferred file: where each shape comes from.
	ajv.addKeyword({ keyword: 'x-inferred', schemaType: 'boolean' });
	ajv.addKeyword({ keyword: 'x-source', schemaType: 'string' });
	ajv.addSchema({ ...openapi, $id: OPENAPI_ID });
	ajv.addSchema(inferred);

	const compile = (ref) => {
		const validate = ajv.getSchema(ref);
		if (!validate) throw new Error(`No schema at ${ref}`);
		return validate;
	};
	const official = Object.fromEntries(Object.entries(OFFICIAL).map(([name, pointer]) => [name, compile(`${OPENAPI_ID}${pointer}`)]));
	// What getJob's documented responses point at, so the path → response → schema wiring is used too.
	const getJobResponses = {};
	for (const [status, response] of Object.entries(openapi.paths['/api/jobs/{id}'].get.responses)) {
		const pointer = response.$ref
			? `${response.$ref}/content/application~1json/schema`
			: `#/paths/~1api~1jobs~1{id}/get/responses/${status}/content/application~1json/schema`;
		getJobResponses[status] = compile(`${OPENAPI_ID}${pointer}`);
	}
	const inferredValidators = Object.fromEntries(
		Object.keys(inferred.$defs).map((name) => [name, compile(`${INFERRED_ID}#/$defs/${name}`)]),
	);
	cached = { ajv, openapi, inferred, official, getJobResponses, inferredValidators };
	return cached;
}

function result(validate, value) {
	const valid = validate(value);
	const errors = valid ? [] : (validate.errors ?? []).map(simplifyError);
	return { valid, errors };
}

function simplifyError(error) {
	let message = error.message ?? 'is invalid';
	if (error.keyword === 'enum') message += ` (${error.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
	if (error.keyword === 'required') return { path: `${error.instancePath}/${error.params.missingProperty}`, keyword: 'required', message: 'is required but absent' };
	if (error.keyword === 'additionalProperties') {
		return { path: `${error.instancePath}/${error.params.additionalProperty}`, keyword: 'additionalProperties', message: 'is not allowed' };
	}
	return { path: error.instancePath || '/', keyword: error.keyword, message };
}

/** Validates against one of the official schemas: 'JobDetail' | 'JobStatus' | 'Error'. */
function validateOfficial(name, value) {
	const validate = load().official[name];
	if (!validate) throw new Error(`Unknown official schema ${name}`);
	return result(validate, value);
}

/**
 * Validates a GET /api/jobs/{id} answer the way the OpenAPI document describes it: 200 → JobDetail;
 * documented errors (401, 404) → the Error response; any other status (429, 5xx, … from the
 * general error list) → the Error schema, which the docs give for every error.
 */
function validateGetJobResponse(status, body) {
	const { getJobResponses, official } = load();
	const validate = getJobResponses[String(status)] ?? (status >= 400 ? official.Error : undefined);
	if (!validate) return { valid: false, errors: [{ path: '/', keyword: 'status', message: `HTTP ${status} is not a documented answer` }] };
	return result(validate, body);
}

/** Validates against one of our inferred shapes (a key of $defs in convertly-inferred.schema.json). */
function validateInferred(name, value) {
	const validate = load().inferredValidators[name];
	if (!validate) throw new Error(`Unknown inferred schema ${name}`);
	return result(validate, value);
}

/** The field names the official JobDetail lists, with whether each is required. */
function jobDetailFields() {
	return officialFields('JobDetail');
}

/** The fields an official schema lists ('JobDetail' | 'Error'), with whether each is required. */
function officialFields(name) {
	return fieldsOf(load().openapi.components.schemas[name], name);
}

/** The fields one of our inferred object shapes lists, with whether each is required. */
function inferredFields(name) {
	return fieldsOf(load().inferred.$defs[name], name);
}

function fieldsOf(schema, name) {
	if (!schema || !schema.properties) throw new Error(`${name} is not an object schema with properties`);
	const required = schema.required ?? [];
	return Object.keys(schema.properties).map((field) => ({ name: field, required: required.includes(field) }));
}

function inferredSchemaNames() {
	return Object.keys(load().inferred.$defs);
}

module.exports = {
	validateOfficial,
	validateGetJobResponse,
	validateInferred,
	jobDetailFields,
	officialFields,
	inferredFields,
	inferredSchemaNames,
	OPENAPI_FILE,
	INFERRED_FILE,
};
