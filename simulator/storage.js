'use strict';
// Convertly Storage and Transfer in the simulator (issue 21): stored files with real bytes on disk
// (simulator temp folder, `storage/`), folders, search, AI tags, media tools on stored files,
// 3-step large uploads (signed PUT on the storage origin), archives, and POST /api/transfer.
// Everything on the API origin is behind the API key; the storage origin serves signed,
// expiring URLs only (downloads of stored files, and the PUT of a large upload).
//
// =============================================================================================
// API DETAILS: the ONE place that says where each detail comes from. Tags as in
// shared/reference/convertly-api-surface.md: [doc] official docs / OpenAPI, [sdk] an official
// client (JS SDK, MCP, PHP), [inferred] our assumption. Change a line here when Convertly
// documents it; the contract schemas (test/contract/convertly-inferred.schema.json) say the same.
//
// Stored file (StoredFileRecord)
//   { id, filename, mime_type, size_bytes, created_at, folder_id, downloadUrl }          [doc] (OpenAPI examples)
//   + cdn_slug, width, height, duration, metadata, download_url                           [sdk] (StoredFileRecord)
//   + description, tags                                                                   [doc] (PATCH fields; search over them)
//   downloadUrl === download_url: a signed storage-origin URL, fresh on every read,
//   valid settings.signedUrlTtlMs (5 min)                                                 [sdk] MCP "expires in 5 minutes"
//   order of lists: newest first (created_at desc)                                        [inferred]
// Files
//   GET  /api/files ?folderId(uuid|'null'=root; absent=all) limit offset q mimePrefix     [sdk]; folderId=null [doc]
//        → { files, pagination: { limit, offset, total, hasMore } }                       [sdk]
//        limit 1–100 [sdk: PHP clamps; MCP allows 200], default 50 [inferred]; q = filename contains [inferred]
//        unknown folderId → 404 [inferred]; bad limit/offset/folderId → 400 [inferred]
//   POST /api/files  multipart `file` + optional `folderId` → 200 { file }                [sdk]; status 200 [inferred]
//        plan: 413 size, 415 type (as other uploads), 403 { error: 'Storage limit reached.', upgradeUrl } [inferred]
//   GET  /api/files/{id} with Accept: application/json → { file: { …, expiresIn } }       [sdk]; expiresIn seconds [inferred]
//        without Accept: application/json → 302 to the signed URL                         [inferred] (open question 9)
//        unknown → 404 { error: 'File not found.' }                                       [inferred wording]
//   PATCH /api/files/{id} JSON { filename?, description?, tags?, cdnSlug? } → { file }    [sdk]
//        tags ≤ 50 × 80 chars, description ≤ 5000, cdnSlug unique per workspace           [doc]; duplicate → 409 [inferred]
//        tags normalised: trimmed, lower case, spaces collapsed, duplicates dropped       [inferred] ("normalised against the taxonomy" [doc])
//        filename 1–180 chars [inferred, as uploads]; cdnSlug /^[a-z0-9][a-z0-9._-]{0,99}$/ or null [inferred]
//        no known field → 400 [inferred]; no field moves a file (open question 10)
//   DELETE /api/files/{id} → { success: true, message: 'File deleted.' }                  [sdk]; message [inferred]
//   GET  /api/files/search ?q tags tagMode(any|all) orientation(vertical|horizontal|square)
//        folderId mimePrefix facets(tags,orientation,mimeType) locale limit offset        [doc]; limit/offset [sdk]
//        → { files, pagination, facets?: { name: [{ value, count }] }, applied }          [sdk]
//        q over filename, cdn_slug, description, tags [doc]; orientation from width/height, square = equal [inferred];
//        facets counted over every match before paging, most frequent first [inferred];
//        applied = { q, tags, tagMode, orientation, folderId, mimePrefix, locale }, null when not given [inferred]
//   POST /api/files/{id}/ai-tags JSON { maxTags 1–20 (8), merge (true), locale ('en'), prompt? } [doc]
//        → { file: { id, metadata }, tags, addedTags, addedCount, summary, embeddedInFile, usage: { units, operation: 'image.tags' } } [sdk]
//        images only: 415 otherwise [inferred status]; ≤ 25 MB [doc] (413 [inferred]);
//        tags are deterministic (filename words, prompt words, format, 'image', orientation) [inferred simulation];
//        `tags` = the generated tags; merge=false replaces the file's tags [inferred]; metadata.aiTags [inferred];
//        embeddedInFile false, usage.units 1 [inferred]
//   POST /api/files/{id}/tools JSON { tool, params (string values), preview, watermarkLogoDataUrl } [doc]
//        tools: STORED_FILE_TOOLS [doc]; the media tools' fields/outputs from media.js [sdk/inferred there];
//        vectorize → an SVG [inferred]; output stored in the source's folder → { file }     [doc]
//        preview=true → { preview: { dataUrl, mimeType, filename } }, nothing stored       [inferred shape]
//        sync; no job record [doc shows no jobId]; locked tool 403, wrong input kind 415     [inferred]
// Folders (endpoint list [doc]; shapes [sdk])
//   GET  /api/folders ?parentId(uuid|'null'=root) q → { folders: [{ id, name, color, parent_id, created_at }] }
//        no parentId → every folder [inferred] (so a client can build paths from parent_id); no `path`
//        field: a folder's path ("/Clients/Acme") is the client's to compute [inferred]; sorted by name [inferred]
//   POST /api/folders { name, color?, parentId? } → { folder }; empty name 400, unknown parent 404 [inferred]
//   PATCH /api/folders/{id} { name?, parentId?, color? } → { folder }; into its own subtree → 400 [inferred]
//   DELETE /api/folders/{id} → { success: true, message }; a folder with files or subfolders → 409 [inferred]
//        (what happens to contents is undocumented: open question 11)
// Large uploads [doc] (extra fields [sdk])
//   POST /api/uploads { filename 1–180, sizeBytes ≥ 1, contentType ('application/octet-stream'), folderId, resumable (true) }
//        → { upload: { bucket, path, signedUrl, token, expiresInSeconds, method: 'PUT' },
//            complete: { url: '/api/uploads/complete', body: { path, filename, sizeBytes, contentType, folderId } },
//            resumable: { endpoint, chunkSize, headers, metadata } | null }
//        bucket/path/token values, expiresInSeconds 7200 [inferred]; resumable null when resumable=false [inferred];
//        the TUS endpoint is named but NOT simulated (501) [inferred]; plan checks here from sizeBytes [inferred]
//   PUT  <signedUrl> on the storage origin, no API key: body streamed to disk; bytes ≠ sizeBytes → 400;
//        an Authorization / x-api-key header → 400 (and recorded) [inferred: keys never go to storage];
//        after complete → 409 [inferred]; answer 200 { path } [inferred]
//   POST /api/uploads/complete { path, filename, sizeBytes, contentType?, folderId? } → { file } [doc];
//        a repeat → { file, idempotent: true }, same file [doc "already recorded"; sdk `idempotent?`];
//        unknown path 404, no bytes yet 400, sizeBytes differs 400 [inferred]
// Archives [doc]
//   POST /api/files/zip { fileIds? | folderId?, recursive (true), format zip|tar|tgz (zip), saveToFiles (false), targetFolderId? }
//        → bytes (application/zip | application/x-tar | application/gzip, Content-Disposition) or { file }
//        both fileIds and folderId → 400; neither → root-level files [doc]; recursive keeps folder paths [doc];
//        archive name = folder name or 'convertly-files' [inferred]; duplicate names get ' (2)' [inferred];
//        nothing to archive → 400 [inferred]
// Transfer [doc] unless tagged
//   POST /api/transfer { sourceUrl, destination, filename?, contentType? [sdk], async?, extract?, extractOptions? [sdk], targetFolderId? [inferred] }
//        destination 'convertly-storage': 202 { jobId, status: 'pending', mode: 'async' } creating a `transfer` job;
//        async:false → 200 { file } [inferred, "presumably {file}"]; extract → { files } [inferred];
//        job results when completed: { file } or { files } (stored file records with fresh URLs) [inferred];
//        extract/async default: async like single URLs [inferred]; Idempotency-Key → the same job (or, sync,
//        the same files) [inferred, like POST /api/jobs]; destination missing → 'download' [sdk: JS SDK];
//        'download' → 200 application/octet-stream, the fetched bytes [doc];
//        extractOptions { folderName (ZIP's name), targetFolderId, preservePaths (true [doc "preserves paths"]),
//        maxFiles (1000), maxEntryBytes, maxTotalBytes } [sdk names; defaults inferred]; `__MACOSX/` skipped [inferred];
//        a failed extract stores nothing [inferred]; fetch failure: job failed with errorMessage / sync 400 [inferred];
//        cloudSource imports → 501 (not simulated) [inferred]
// Plan: storageLimitBytes → 403 { error: 'Storage limit reached.', upgradeUrl } on every write [inferred]
// =============================================================================================

const fs = require('node:fs');
const path = require('node:path');
const { Transform, pipeline } = require('node:stream');
const { createHash, randomUUID } = require('node:crypto');
const { sign, signatureMatches, patternBytes, baseName, extensionOf } = require('./results');
const { openResult, pump, contentDisposition, DATA_URL_MAX_BYTES, safeDecode } = require('./downloads');
const { imageSize } = require('./images');
const { drain, receiveMultipart, fetchSource, idempotencyScope, tooLarge, unsupportedType, HEAD_BYTES } = require('./uploads');
const { MEDIA_TOOLS, describeInput, guessMime, parseFields } = require('./media');
const { ARCHIVE_FORMATS, ARCHIVE_MIME_TYPES, archiveStream, readZipFile, looksLikeZip } = require('./archives');

const LIMITS = {
	listDefault: 50, // [inferred]
	listMax: 100, // [sdk] PHP
	tags: 50, // [doc]
	tagChars: 80, // [doc]
	descriptionChars: 5000, // [doc]
	filenameChars: 180, // [doc] uploads
	folderNameChars: 120, // [inferred]
	uploadUrlTtlSeconds: 7200, // [inferred]
	tusChunkSize: 6 * 1024 * 1024, // [inferred]
	aiTagsMaxBytes: 25 * 1024 * 1024, // [doc]
	aiMaxTags: 20, // [doc]
	aiDefaultTags: 8, // [doc]
	extractMaxFiles: 1000, // [inferred]
	jsonBodyBytes: 1024 * 1024, // [inferred]
};
/** [doc] The tools POST /api/files/{id}/tools takes. */
const STORED_FILE_TOOLS = ['remove-background', 'transform', 'vectorize', 'watermark', 'adjust', 'trim', 'convert', 'extract-audio', 'gif', 'poster-frame', 'storyboard'];
const ORIENTATIONS = ['vertical', 'horizontal', 'square'];
const FACETS = ['tags', 'orientation', 'mimeType'];
const BUCKET = 'convertly-files'; // [inferred]
const STORAGE_FULL = 'Storage limit reached.';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** [inferred] vectorize (only on stored files): an SVG of the image's size. */
const VECTORIZE = {
	inputs: ['image'],
	fields: {},
	output: ({ input }) => {
		const width = input.width ?? 1024;
		const height = input.height ?? 768;
		const hue = parseInt((input.sha256 ?? '0').slice(0, 2), 16) || 0;
		const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="hsl(${hue},60%,50%)"/></svg>\n`;
		const bytes = Buffer.from(svg);
		return [{ filename: `${baseName(input.filename)}.svg`, mimeType: 'image/svg+xml', sizeBytes: bytes.length, originalSize: input.size, source: { kind: 'bytes', bytes }, dimensions: { width, height } }];
	},
};

class ApiError extends Error {
	constructor(status, body) {
		super(body.error);
		this.status = status;
		this.body = body;
	}
}
const fail = (status, error, extra = {}) => {
	throw new ApiError(status, { error, ...extra });
};

/**
 * ctx: { tmpDir, storageUrl(), secret, now(), settings, createJob(spec), currentStatus(job), inFlightKeys }
 */
function createStorage(ctx) {
	const dir = path.join(ctx.tmpDir, 'storage');
	let files = new Map();
	let folders = new Map();
	let uploads = new Map(); // uploadId → record
	let uploadsByPath = new Map();
	let transfers = [];
	let transferKeys = new Map(); // idempotency scope → { jobId } | { fileIds, folderId }
	let usedBytes = 0;
	let seq = 0;
	let ordered; // files newest first (cache)
	let generation = 0; // bumped by reset: background transfers of an older generation are dropped

	const ensureDir = () => fs.mkdirSync(dir, { recursive: true });
	const plan = () => ctx.settings.plan;

	// ---- records ------------------------------------------------------------------------------

	function checkRoom(bytes) {
		const limit = plan().storageLimitBytes;
		if (limit !== null && usedBytes + bytes > limit) fail(403, STORAGE_FULL, { upgradeUrl: plan().upgradeUrl });
	}

	/** Registers a file whose bytes are at `from` (moved into storage) or the synthetic pattern (no `from`). */
	function addFile({ filename, mimeType, sizeBytes, folderId = null, from, sha256, head, origin, createdAt, width, height, tags = [] }) {
		const id = randomUUID();
		let source = { kind: 'pattern' };
		if (from) {
			ensureDir();
			const target = path.join(dir, id);
			fs.renameSync(from, target);
			source = { kind: 'file', path: target };
		}
		const size = head ? imageSize(head) : undefined;
		const file = {
			id,
			seq: seq++,
			filename,
			mimeType: mimeType || guessMime(filename),
			sizeBytes,
			createdAt: createdAt ?? ctx.now(),
			folderId,
			description: null,
			tags,
			cdnSlug: null,
			width: width ?? size?.width ?? null,
			height: height ?? size?.height ?? null,
			metadata: {},
			sha256: sha256 ?? null,
			origin,
			source,
		};
		files.set(id, file);
		usedBytes += sizeBytes;
		ordered = undefined;
		return file;
	}

	function removeFile(file) {
		files.delete(file.id);
		usedBytes -= file.sizeBytes;
		ordered = undefined;
		if (file.source.kind === 'file') fs.rmSync(file.source.path, { force: true });
	}

	function newestFirst() {
		ordered ??= [...files.values()].sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
		return ordered;
	}

	function signedFileUrl(file) {
		const expires = Math.floor(ctx.now() + ctx.settings.signedUrlTtlMs);
		const sig = sign(ctx.secret, `stored:${file.id}`, 'file', file.filename, expires);
		return `${ctx.storageUrl()}/stored/${file.id}/${encodeURIComponent(file.filename)}?expires=${expires}&sig=${sig}`;
	}

	/** The StoredFileRecord (a fresh signed URL on every read). */
	function fileView(file) {
		const downloadUrl = signedFileUrl(file);
		return {
			id: file.id,
			filename: file.filename,
			mime_type: file.mimeType,
			size_bytes: file.sizeBytes,
			created_at: new Date(file.createdAt).toISOString(),
			folder_id: file.folderId,
			description: file.description,
			tags: [...file.tags],
			cdn_slug: file.cdnSlug,
			width: file.width,
			height: file.height,
			duration: null,
			metadata: structuredClone(file.metadata),
			downloadUrl,
			download_url: downloadUrl,
		};
	}

	function fileInfo(file) {
		return {
			id: file.id,
			filename: file.filename,
			mimeType: file.mimeType,
			sizeBytes: file.sizeBytes,
			folderId: file.folderId,
			folderPath: file.folderId ? folderPath(file.folderId) : '/',
			createdAt: new Date(file.createdAt).toISOString(),
			description: file.description,
			tags: [...file.tags],
			cdnSlug: file.cdnSlug,
			width: file.width,
			height: file.height,
			sha256: file.sha256,
			origin: file.origin,
			onDisk: file.source.kind === 'file',
		};
	}

	function getFile(id) {
		const file = files.get(id);
		if (!file) fail(404, 'File not found.');
		return file;
	}

	/** The bytes of a stored file on disk (a seeded file's pattern is written out on first need). */
	function materialise(file) {
		if (file.source.kind === 'file') return file.source.path;
		ensureDir();
		const target = path.join(dir, file.id);
		fs.writeFileSync(target, patternBytes(0, file.sizeBytes));
		file.source = { kind: 'file', path: target };
		return target;
	}

	function headOf(file) {
		if (file.source.kind !== 'file') return patternBytes(0, Math.min(file.sizeBytes, HEAD_BYTES));
		const fd = fs.openSync(file.source.path, 'r');
		try {
			const head = Buffer.alloc(Math.min(file.sizeBytes, HEAD_BYTES));
			fs.readSync(fd, head, 0, head.length, 0);
			return head;
		} finally {
			fs.closeSync(fd);
		}
	}

	function newFolder({ name, color = null, parentId = null }) {
		const folder = { id: randomUUID(), name, color, parentId, createdAt: ctx.now(), seq: seq++ };
		folders.set(folder.id, folder);
		return folder;
	}

	const folderView = (folder) => ({ id: folder.id, name: folder.name, color: folder.color, parent_id: folder.parentId, created_at: new Date(folder.createdAt).toISOString() });

	function folderPath(id) {
		const names = [];
		for (let folder = folders.get(id); folder; folder = folders.get(folder.parentId)) names.unshift(folder.name);
		return `/${names.join('/')}`;
	}

	/** A folder id from a body or query value: undefined (absent), null (root) or an existing folder's id. */
	function folderRef(value, name, { allowNullString = false } = {}) {
		if (value === undefined) return undefined;
		if (value === null || value === '' || (allowNullString && value === 'null')) return null;
		if (typeof value !== 'string' || !UUID.test(value)) fail(400, `${name} must be a folder id (uuid) or null.`);
		if (!folders.has(value)) fail(404, 'Folder not found.');
		return value;
	}

	// ---- files --------------------------------------------------------------------------------

	function pageParams(url) {
		const limit = Number(url.searchParams.get('limit') ?? LIMITS.listDefault);
		const offset = Number(url.searchParams.get('offset') ?? 0);
		if (!Number.isInteger(limit) || limit < 1 || limit > LIMITS.listMax) fail(400, `limit must be an integer from 1 to ${LIMITS.listMax}.`);
		if (!Number.isInteger(offset) || offset < 0) fail(400, 'offset must be a non-negative integer.');
		return { limit, offset };
	}

	function page(matches, { limit, offset }) {
		const slice = matches.slice(offset, offset + limit);
		return { files: slice.map(fileView), pagination: { limit, offset, total: matches.length, hasMore: offset + slice.length < matches.length } };
	}

	function listFiles(url) {
		const paging = pageParams(url);
		const folderId = folderRef(url.searchParams.get('folderId') ?? undefined, 'folderId', { allowNullString: true });
		const q = (url.searchParams.get('q') ?? '').toLowerCase();
		const mimePrefix = (url.searchParams.get('mimePrefix') ?? '').toLowerCase();
		const matches = newestFirst().filter(
			(file) =>
				(folderId === undefined || file.folderId === folderId) &&
				(!q || file.filename.toLowerCase().includes(q)) &&
				(!mimePrefix || file.mimeType.toLowerCase().startsWith(mimePrefix)),
		);
		return page(matches, paging);
	}

	const orientationOf = (file) =>
		file.width && file.height ? (file.width === file.height ? 'square' : file.width > file.height ? 'horizontal' : 'vertical') : null;

	function searchFiles(url) {
		const paging = pageParams(url);
		const get = (name) => url.searchParams.get(name);
		const q = get('q') || null;
		const tags = normaliseTags((get('tags') ?? '').split(',').filter((tag) => tag.trim()));
		const tagMode = get('tagMode') ?? 'any';
		if (!['any', 'all'].includes(tagMode)) fail(400, 'tagMode must be any or all.');
		const orientation = get('orientation') || null;
		if (orientation !== null && !ORIENTATIONS.includes(orientation)) fail(400, `orientation must be one of ${ORIENTATIONS.join(', ')}.`);
		const folderId = folderRef(get('folderId') ?? undefined, 'folderId', { allowNullString: true });
		const mimePrefix = get('mimePrefix') || null;
		const facets = (get('facets') ?? '').split(',').map((facet) => facet.trim()).filter(Boolean);
		const unknownFacet = facets.find((facet) => !FACETS.includes(facet));
		if (unknownFacet) fail(400, `facets must be a comma-separated list of ${FACETS.join(', ')} (got ${unknownFacet}).`);
		const needle = q?.toLowerCase();
		const matches = newestFirst().filter((file) => {
			if (folderId !== undefined && file.folderId !== folderId) return false;
			if (mimePrefix && !file.mimeType.toLowerCase().startsWith(mimePrefix.toLowerCase())) return false;
			if (orientation && orientationOf(file) !== orientation) return false;
			if (tags.length > 0) {
				const hits = tags.filter((tag) => file.tags.includes(tag)).length;
				if (tagMode === 'all' ? hits < tags.length : hits === 0) return false;
			}
			if (needle) {
				const haystack = [file.filename, file.cdnSlug ?? '', file.description ?? '', ...file.tags].join('\n').toLowerCase();
				if (!haystack.includes(needle)) return false;
			}
			return true;
		});
		const answer = page(matches, paging);
		if (facets.length > 0) {
			answer.facets = {};
			const keyOf = { tags: (file) => file.tags, orientation: (file) => [orientationOf(file)].filter(Boolean), mimeType: (file) => [file.mimeType] };
			for (const facet of facets) {
				const counts = new Map();
				for (const file of matches) for (const value of keyOf[facet](file)) counts.set(value, (counts.get(value) ?? 0) + 1);
				answer.facets[facet] = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([value, count]) => ({ value, count }));
			}
		}
		answer.applied = { q, tags, tagMode, orientation, folderId: folderId === undefined ? null : folderId, mimePrefix, locale: get('locale') || null };
		return answer;
	}

	async function uploadFile(req, res) {
		const limit = plan().storageLimitBytes;
		if (limit !== null && usedBytes >= limit) {
			await drain(req);
			fail(403, STORAGE_FULL, { upgradeUrl: plan().upgradeUrl });
		}
		const fields = {};
		const parts = [];
		const received = await receiveMultipart(req, res, {
			tmpDir: ctx.tmpDir,
			plan: plan(),
			fields,
			fieldList: [],
			parts,
			isStored: (name) => name === 'file',
			isCounted: () => false,
		});
		switch (received.outcome) {
			case 'notMultipart':
				fail(400, 'The request body must be multipart/form-data with the file in a file field.');
				break;
			case 'aborted':
				return undefined;
			case 'unreadable':
				fail(400, `The multipart body could not be read: ${received.message}`);
				break;
			case 'decided':
				throw new ApiError(received.status, received.body);
		}
		try {
			const inputs = parts.filter((part) => part.field === 'file');
			if (inputs.length !== 1) fail(400, inputs.length === 0 ? 'file is required: send the file in a file part.' : 'Send one file per request.');
			const folderId = folderRef(fields.folderId, 'folderId', { allowNullString: true }) ?? null;
			const [part] = inputs;
			checkRoom(part.size);
			const mimeType = part.mimeType && part.mimeType !== 'application/octet-stream' ? part.mimeType : guessMime(part.filename);
			const file = addFile({ filename: part.filename || 'file', mimeType, sizeBytes: part.size, folderId, from: part.path, sha256: part.sha256, head: part.head, origin: 'upload' });
			part.path = undefined;
			return { file: fileView(file) };
		} finally {
			received.cleanUp();
		}
	}

	function normaliseTags(list) {
		const out = [];
		for (const raw of list) {
			const tag = String(raw).trim().replace(/\s+/g, ' ').toLowerCase();
			if (tag && !out.includes(tag)) out.push(tag);
		}
		return out;
	}

	function patchFile(file, body) {
		const known = ['filename', 'description', 'tags', 'cdnSlug'].filter((name) => body[name] !== undefined);
		if (known.length === 0) fail(400, 'Nothing to update: send filename, description, tags or cdnSlug.');
		const next = {};
		if (body.filename !== undefined) {
			if (typeof body.filename !== 'string' || !body.filename.trim() || body.filename.length > LIMITS.filenameChars || /[/\\]/.test(body.filename)) {
				fail(400, `filename must be 1 to ${LIMITS.filenameChars} characters without slashes.`);
			}
			next.filename = body.filename.trim();
		}
		if (body.description !== undefined) {
			if (body.description !== null && typeof body.description !== 'string') fail(400, 'description must be a string or null.');
			if (typeof body.description === 'string' && body.description.length > LIMITS.descriptionChars) fail(400, `description may have at most ${LIMITS.descriptionChars} characters.`);
			next.description = body.description;
		}
		if (body.tags !== undefined) {
			if (!Array.isArray(body.tags) || body.tags.some((tag) => typeof tag !== 'string')) fail(400, 'tags must be an array of strings.');
			const tags = normaliseTags(body.tags);
			if (tags.length > LIMITS.tags) fail(400, `A file may have at most ${LIMITS.tags} tags (got ${tags.length}).`);
			const long = tags.find((tag) => tag.length > LIMITS.tagChars);
			if (long) fail(400, `Each tag may have at most ${LIMITS.tagChars} characters ("${long.slice(0, 20)}…" has ${long.length}).`);
			next.tags = tags;
		}
		if (body.cdnSlug !== undefined) {
			if (body.cdnSlug !== null && (typeof body.cdnSlug !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,99}$/.test(body.cdnSlug))) {
				fail(400, 'cdnSlug must be lower-case letters, digits, dots, dashes or underscores (up to 100), or null.');
			}
			if (body.cdnSlug !== null && [...files.values()].some((other) => other !== file && other.cdnSlug === body.cdnSlug)) {
				fail(409, `The CDN slug "${body.cdnSlug}" is already used by another file.`);
			}
			next.cdnSlug = body.cdnSlug;
		}
		Object.assign(file, next);
		return { file: fileView(file) };
	}

	function aiTags(file, body) {
		const maxTags = body.maxTags ?? LIMITS.aiDefaultTags;
		if (!Number.isInteger(maxTags) || maxTags < 1 || maxTags > LIMITS.aiMaxTags) fail(400, `maxTags must be an integer from 1 to ${LIMITS.aiMaxTags}.`);
		const merge = body.merge ?? true;
		if (typeof merge !== 'boolean') fail(400, 'merge must be a boolean.');
		const locale = body.locale ?? 'en';
		if (typeof locale !== 'string' || !locale) fail(400, 'locale must be a string.');
		if (body.prompt !== undefined && body.prompt !== null && typeof body.prompt !== 'string') fail(400, 'prompt must be a string.');
		if (!file.mimeType.startsWith('image/')) fail(415, `AI tags work on images only; "${file.filename}" is ${file.mimeType}.`);
		if (file.sizeBytes > LIMITS.aiTagsMaxBytes) fail(413, `AI tags take images up to ${LIMITS.aiTagsMaxBytes} bytes.`);
		const words = (text) => (text ?? '').toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length >= 3 && !/^\d+$/.test(word));
		const format = extensionOf(file.filename) || file.mimeType.split('/')[1];
		const orientation = { vertical: 'portrait', horizontal: 'landscape', square: 'square' }[orientationOf(file)];
		const generated = normaliseTags([...words(baseName(file.filename)), ...words(body.prompt).slice(0, 3), format, 'image', orientation].filter(Boolean)).slice(0, maxTags);
		const before = file.tags;
		const addedTags = generated.filter((tag) => !before.includes(tag));
		file.tags = (merge ? normaliseTags([...before, ...generated]) : generated).slice(0, LIMITS.tags);
		const summary = `A ${orientation ? `${orientation} ` : ''}${format.toUpperCase()} image${file.width ? ` of ${file.width}×${file.height} pixels` : ''} named "${file.filename}".`;
		file.metadata.aiTags = { tags: generated, summary, locale, prompt: body.prompt ?? null, model: 'convertly-simulator' };
		return {
			file: { id: file.id, metadata: structuredClone(file.metadata) },
			tags: generated,
			addedTags,
			addedCount: addedTags.length,
			summary,
			embeddedInFile: false,
			usage: { units: 1, operation: 'image.tags' },
		};
	}

	async function runTool(file, body) {
		const { tool, params = {}, preview = false, watermarkLogoDataUrl } = body;
		if (!STORED_FILE_TOOLS.includes(tool)) fail(400, `tool must be one of ${STORED_FILE_TOOLS.join(', ')}.`);
		if (params === null || typeof params !== 'object' || Array.isArray(params)) fail(400, 'params must be an object of string values.');
		const notString = Object.entries(params).find(([, value]) => typeof value !== 'string');
		if (notString) fail(400, `params.${notString[0]} must be a string (send form values as strings).`);
		if (typeof preview !== 'boolean') fail(400, 'preview must be a boolean.');
		if (watermarkLogoDataUrl !== undefined && (typeof watermarkLogoDataUrl !== 'string' || !/^data:image\/[\w.+-]+;base64,/.test(watermarkLogoDataUrl))) {
			fail(400, 'watermarkLogoDataUrl must be a data:image/…;base64, URL.');
		}
		if (plan().lockedTools.includes(tool)) fail(403, `The ${tool} tool is not available on your plan.`, { upgradeUrl: plan().upgradeUrl });
		const spec = tool === 'vectorize' ? VECTORIZE : MEDIA_TOOLS[tool];
		const parsed = parseFields(params, spec.fields);
		if (parsed.error) fail(400, `params: ${parsed.error}`);
		const input = describeInput({ filename: file.filename, mimeType: file.mimeType, size: file.sizeBytes, sha256: file.sha256 ?? file.id, path: materialise(file), head: headOf(file) });
		if (spec.inputs && input.kind !== 'other' && !spec.inputs.includes(input.kind)) {
			fail(415, `The ${tool} tool does not take ${input.kind} input ("${file.filename}", ${file.mimeType}); it takes ${spec.inputs.join(' or ')} files.`);
		}
		const problem = spec.check?.({ values: parsed.values, given: parsed.given, input, extra: watermarkLogoDataUrl ? [{ field: 'watermarkLogoDataUrl' }] : [] });
		if (problem) fail(400, problem.replace('a watermarkFile part (the logo)', 'a watermarkLogoDataUrl (the logo)'));
		const [output] = spec.output({ input, inputs: [input], values: parsed.values, given: parsed.given, tool });
		if (preview) {
			if (output.sizeBytes > DATA_URL_MAX_BYTES) fail(413, `The preview would be ${output.sizeBytes} bytes; previews are data: URLs of at most ${DATA_URL_MAX_BYTES} bytes.`);
			const chunks = [];
			for await (const chunk of openResult(output)) chunks.push(chunk);
			return { preview: { dataUrl: `data:${output.mimeType};base64,${Buffer.concat(chunks).toString('base64')}`, mimeType: output.mimeType, filename: output.filename } };
		}
		checkRoom(output.sizeBytes);
		const written = await writeToDisk(openResult(output));
		if (written.error) {
			fs.rmSync(written.path, { force: true });
			throw written.error;
		}
		const stored = addFile({
			filename: output.filename,
			mimeType: output.mimeType,
			sizeBytes: written.size,
			folderId: file.folderId,
			from: written.path,
			sha256: written.sha256,
			head: written.head,
			origin: 'tool',
			width: output.dimensions?.width,
			height: output.dimensions?.height,
		});
		return { file: fileView(stored) };
	}

	/** Streams `source` into a new temp file: { path, size, sha256, head, over, error }. Bytes above maxBytes are counted, not written. */
	function writeToDisk(source, maxBytes) {
		ensureDir();
		const info = { path: path.join(ctx.tmpDir, `storage-${randomUUID()}`), size: 0, sha256: undefined, head: Buffer.alloc(0), over: false, error: undefined };
		const hash = createHash('sha256');
		const counter = new Transform({
			transform(chunk, _encoding, callback) {
				info.size += chunk.length;
				hash.update(chunk);
				if (info.head.length < HEAD_BYTES) info.head = Buffer.concat([info.head, chunk.subarray(0, HEAD_BYTES - info.head.length)]);
				if (maxBytes !== undefined && info.size > maxBytes) info.over = true;
				callback(null, info.over ? undefined : chunk);
			},
			flush(callback) {
				info.sha256 = hash.digest('hex');
				callback();
			},
		});
		return new Promise((resolve) =>
			pipeline(source, counter, fs.createWriteStream(info.path), (error) => {
				info.error = error ?? undefined;
				resolve(info);
			}),
		);
	}

	// ---- folders ------------------------------------------------------------------------------

	function listFolders(url) {
		const parentId = folderRef(url.searchParams.get('parentId') ?? undefined, 'parentId', { allowNullString: true });
		const q = (url.searchParams.get('q') ?? '').toLowerCase();
		const list = [...folders.values()]
			.filter((folder) => (parentId === undefined || folder.parentId === parentId) && (!q || folder.name.toLowerCase().includes(q)))
			.sort((a, b) => a.name.localeCompare(b.name) || a.seq - b.seq);
		return { folders: list.map(folderView) };
	}

	function folderName(value, required) {
		if (value === undefined && !required) return undefined;
		if (typeof value !== 'string' || !value.trim()) fail(400, 'name must be a non-empty string.');
		if (value.trim().length > LIMITS.folderNameChars || /[/\\]/.test(value)) fail(400, `name must be at most ${LIMITS.folderNameChars} characters without slashes.`);
		return value.trim();
	}

	function folderColor(value) {
		if (value === undefined || value === null) return value;
		if (typeof value !== 'string' || value.length > 32) fail(400, 'color must be a string (e.g. #4f46e5) or null.');
		return value;
	}

	function createFolder(body) {
		const name = folderName(body.name, true);
		const color = folderColor(body.color) ?? null;
		let parentId = null;
		if (body.parentId !== undefined && body.parentId !== null) {
			if (typeof body.parentId !== 'string' || !UUID.test(body.parentId)) fail(400, 'parentId must be a folder id (uuid) or null.');
			if (!folders.has(body.parentId)) fail(404, 'Parent folder not found.');
			parentId = body.parentId;
		}
		return { folder: folderView(newFolder({ name, color, parentId })) };
	}

	function patchFolder(folder, body) {
		const name = folderName(body.name, false);
		const color = folderColor(body.color);
		let parentId;
		if (body.parentId !== undefined) {
			if (body.parentId === null) parentId = null;
			else {
				if (typeof body.parentId !== 'string' || !UUID.test(body.parentId)) fail(400, 'parentId must be a folder id (uuid) or null.');
				if (!folders.has(body.parentId)) fail(404, 'Parent folder not found.');
				for (let at = folders.get(body.parentId); at; at = folders.get(at.parentId)) {
					if (at.id === folder.id) fail(400, 'A folder cannot move into itself or one of its subfolders.');
				}
				parentId = body.parentId;
			}
		}
		if (name === undefined && color === undefined && parentId === undefined) fail(400, 'Nothing to update: send name, parentId or color.');
		if (name !== undefined) folder.name = name;
		if (color !== undefined) folder.color = color;
		if (parentId !== undefined) folder.parentId = parentId;
		return { folder: folderView(folder) };
	}

	function deleteFolder(folder) {
		const fileCount = [...files.values()].filter((file) => file.folderId === folder.id).length;
		const folderCount = [...folders.values()].filter((other) => other.parentId === folder.id).length;
		if (fileCount + folderCount > 0) {
			fail(409, `The folder "${folder.name}" is not empty (${fileCount} files, ${folderCount} folders). Move or delete its contents first.`);
		}
		folders.delete(folder.id);
		return { success: true, message: 'Folder deleted.' };
	}

	// ---- large uploads --------------------------------------------------------------------------

	function startUpload(body) {
		const { filename, sizeBytes } = body;
		if (typeof filename !== 'string' || filename.length < 1 || filename.length > LIMITS.filenameChars) fail(400, `filename must be 1 to ${LIMITS.filenameChars} characters.`);
		if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 1) fail(400, 'sizeBytes must be an integer of at least 1.');
		const contentType = body.contentType ?? 'application/octet-stream';
		if (typeof contentType !== 'string') fail(400, 'contentType must be a string.');
		const resumable = body.resumable ?? true;
		if (typeof resumable !== 'boolean') fail(400, 'resumable must be a boolean.');
		const folderId = folderRef(body.folderId, 'folderId') ?? null;
		const limits = plan();
		if (limits.maxFileSizeBytes !== null && sizeBytes > limits.maxFileSizeBytes) {
			const error = tooLarge(filename, limits);
			throw new ApiError(error.status, error.body);
		}
		if (limits.unsupportedMimeTypes.includes(contentType)) {
			const error = unsupportedType(filename, contentType);
			throw new ApiError(error.status, error.body);
		}
		checkRoom(sizeBytes);
		const uploadId = randomUUID();
		const objectPath = `simulator-account/${uploadId}/${filename.replace(/[^\w.-]+/g, '_')}`;
		const expires = Math.floor(ctx.now() + LIMITS.uploadUrlTtlSeconds * 1000);
		const token = sign(ctx.secret, `upload:${uploadId}`, 'put', objectPath, expires);
		const signedUrl = `${ctx.storageUrl()}/upload/${uploadId}?expires=${expires}&token=${token}`;
		const record = {
			uploadId,
			path: objectPath,
			filename,
			sizeBytes,
			contentType,
			folderId,
			resumable,
			signedUrl,
			createdAt: new Date(ctx.now()).toISOString(),
			expires,
			puts: [],
			completeCalls: 0,
			fileId: undefined,
			bytesStored: 0,
			keyAtStorage: false,
		};
		Object.defineProperty(record, 'data', { value: undefined, writable: true, enumerable: false });
		uploads.set(uploadId, record);
		uploadsByPath.set(objectPath, record);
		return {
			upload: { bucket: BUCKET, path: objectPath, signedUrl, token, expiresInSeconds: LIMITS.uploadUrlTtlSeconds, method: 'PUT' },
			complete: { url: '/api/uploads/complete', body: { path: objectPath, filename, sizeBytes, contentType, folderId } },
			resumable: resumable
				? {
						endpoint: `${ctx.storageUrl()}/upload/resumable`,
						chunkSize: LIMITS.tusChunkSize,
						headers: { 'x-upsert': 'false' },
						metadata: { bucketName: BUCKET, objectName: objectPath, contentType },
					}
				: null,
		};
	}

	/** PUT <signedUrl> on the storage origin. */
	async function receivePut(req, url, entry, reply) {
		const uploadId = safeDecode(url.pathname.split('/')[2] ?? '');
		const upload = uploads.get(uploadId);
		const withKey = Boolean(req.headers.authorization || req.headers['x-api-key']);
		const put = { at: Date.now(), withKey, contentType: req.headers['content-type'], contentLength: req.headers['content-length'], bytesReceived: 0, status: undefined };
		const answer = async (status, body) => {
			put.status = status;
			await drain(req);
			return reply(status, body);
		};
		if (!upload) return answer(404, { error: 'Upload not found.' });
		upload.puts.push(put);
		if (withKey) upload.keyAtStorage = true;
		if (req.method !== 'PUT') return answer(405, { error: 'Use PUT to send the bytes to a signed upload URL.' });
		const expires = url.searchParams.get('expires') ?? '';
		if (!/^\d+$/.test(expires) || !signatureMatches(ctx.secret, `upload:${uploadId}`, 'put', upload.path, expires, url.searchParams.get('token'))) {
			return answer(403, { error: 'This upload URL is not valid.' });
		}
		if (Number(expires) < ctx.now()) return answer(ctx.settings.signedUrlExpiredStatus, { error: 'This upload URL has expired.' });
		if (withKey) return answer(400, { error: 'Signed upload URLs take no API key: send the PUT without Authorization or x-api-key.' });
		if (upload.fileId) return answer(409, { error: 'This upload was already completed.' });
		const declared = req.headers['content-length'];
		if (declared !== undefined && Number(declared) !== upload.sizeBytes) {
			return answer(400, { error: `Content-Length is ${declared}; the upload was created for ${upload.sizeBytes} bytes.` });
		}
		const written = await writeToDisk(req, upload.sizeBytes);
		put.bytesReceived = written.size;
		entry.bytesReceived = written.size;
		if (written.error) {
			fs.rmSync(written.path, { force: true });
			put.status = 'aborted';
			entry.status = 'aborted';
			return undefined;
		}
		if (written.size !== upload.sizeBytes) {
			fs.rmSync(written.path, { force: true });
			return answer(400, { error: `The upload has ${written.size} bytes; sizeBytes was ${upload.sizeBytes}.` });
		}
		if (upload.data) fs.rmSync(upload.data.path, { force: true });
		upload.data = written;
		upload.bytesStored = written.size;
		put.sha256 = written.sha256;
		return answer(200, { path: upload.path });
	}

	function completeUpload(body) {
		if (typeof body.path !== 'string' || !body.path) fail(400, 'path is required (send complete.body from POST /api/uploads).');
		if (typeof body.filename !== 'string' || !body.filename) fail(400, 'filename is required.');
		if (!Number.isSafeInteger(body.sizeBytes)) fail(400, 'sizeBytes is required.');
		const upload = uploadsByPath.get(body.path);
		if (!upload) fail(404, 'Upload not found.');
		upload.completeCalls++;
		if (upload.fileId) {
			const file = files.get(upload.fileId);
			if (!file) fail(404, 'File not found.');
			return { file: fileView(file), idempotent: true };
		}
		if (body.sizeBytes !== upload.sizeBytes) fail(400, `sizeBytes is ${body.sizeBytes}; the upload was created for ${upload.sizeBytes} bytes.`);
		if (!upload.data) fail(400, 'No bytes have arrived at the signed upload URL yet: PUT the file first.');
		const folderId = (body.folderId === undefined ? upload.folderId : folderRef(body.folderId, 'folderId')) ?? null;
		checkRoom(upload.sizeBytes);
		const contentType = typeof body.contentType === 'string' && body.contentType ? body.contentType : upload.contentType;
		const mimeType = contentType === 'application/octet-stream' ? guessMime(body.filename) : contentType;
		const file = addFile({
			filename: body.filename,
			mimeType,
			sizeBytes: upload.data.size,
			folderId,
			from: upload.data.path,
			sha256: upload.data.sha256,
			head: upload.data.head,
			origin: 'presigned',
		});
		upload.fileId = file.id;
		upload.data = undefined;
		return { file: fileView(file) };
	}

	// ---- archives -------------------------------------------------------------------------------

	/** The entries of an archive request: [{ name, file }] and the archive's base name. */
	function archiveSelection(body) {
		if (body.fileIds !== undefined && body.folderId !== undefined) fail(400, 'Provide exactly one of fileIds or folderId.');
		const recursive = body.recursive ?? true;
		if (typeof recursive !== 'boolean') fail(400, 'recursive must be a boolean.');
		const picked = [];
		let name = 'convertly-files';
		if (body.fileIds !== undefined) {
			if (!Array.isArray(body.fileIds) || body.fileIds.length === 0) fail(400, 'fileIds must be a non-empty array of file ids.');
			for (const id of body.fileIds) {
				const file = typeof id === 'string' ? files.get(id) : undefined;
				if (!file) fail(404, `File not found: ${String(id)}.`);
				picked.push({ dir: '', file });
			}
		} else {
			const root = folderRef(body.folderId, 'folderId') ?? null;
			if (root) name = folders.get(root).name;
			const walk = (folderId, prefix) => {
				for (const file of [...files.values()].filter((candidate) => candidate.folderId === folderId).sort((a, b) => a.seq - b.seq)) picked.push({ dir: prefix, file });
				if (!recursive) return;
				for (const child of [...folders.values()].filter((folder) => folder.parentId === folderId).sort((a, b) => a.name.localeCompare(b.name))) {
					walk(child.id, `${prefix}${child.name}/`);
				}
			};
			walk(root, '');
		}
		if (picked.length === 0) fail(400, 'There are no files to archive.');
		const used = new Set();
		const entries = picked.map(({ dir: prefix, file }) => {
			let entryName = `${prefix}${file.filename}`;
			for (let n = 2; used.has(entryName); n++) entryName = `${prefix}${baseName(file.filename)} (${n})${extensionOf(file.filename) ? `.${extensionOf(file.filename)}` : ''}`;
			used.add(entryName);
			return { name: entryName, size: file.sizeBytes, mtime: new Date(file.createdAt), open: () => openResult({ source: file.source, sizeBytes: file.sizeBytes }) };
		});
		return { entries, name };
	}

	async function zipFiles(req, res, body, call) {
		const format = body.format ?? 'zip';
		if (!ARCHIVE_FORMATS.includes(format)) fail(400, `format must be one of ${ARCHIVE_FORMATS.join(', ')}.`);
		const saveToFiles = body.saveToFiles ?? false;
		if (typeof saveToFiles !== 'boolean') fail(400, 'saveToFiles must be a boolean.');
		const targetFolderId = folderRef(body.targetFolderId, 'targetFolderId') ?? null;
		const { entries, name } = archiveSelection(body);
		const filename = `${name}.${format}`;
		if (saveToFiles) {
			checkRoom(entries.reduce((sum, entry) => sum + entry.size, 0));
			const written = await writeToDisk(archiveStream(entries, format));
			if (written.error) {
				fs.rmSync(written.path, { force: true });
				throw written.error;
			}
			try {
				checkRoom(written.size);
			} catch (error) {
				fs.rmSync(written.path, { force: true });
				throw error;
			}
			const file = addFile({ filename, mimeType: ARCHIVE_MIME_TYPES[format], sizeBytes: written.size, folderId: targetFolderId, from: written.path, sha256: written.sha256, origin: 'archive' });
			return call.reply(200, { file: fileView(file) });
		}
		call.record.status = 200;
		res.writeHead(200, { 'content-type': ARCHIVE_MIME_TYPES[format], 'content-disposition': contentDisposition(filename) });
		const result = await pump(archiveStream(entries, format), res, call.fault?.dropAfterBytes);
		if (!result.complete) call.record.status = 'dropped';
		return undefined;
	}

	// ---- transfer -------------------------------------------------------------------------------

	/** Fetches and stores; resolves to { fileIds, extract } or throws an ApiError. */
	async function performTransfer(options, record) {
		const fetched = await fetchSource(options.sourceUrl, { tmpDir: ctx.tmpDir, plan: plan(), guessMime });
		if (!fetched.part) {
			record.fetch = { url: options.sourceUrl, status: fetched.body.error };
			throw new ApiError(fetched.status, fetched.body);
		}
		const part = fetched.part;
		record.fetch = { url: options.sourceUrl, status: 'fetched', filename: part.filename, mimeType: part.mimeType, size: part.size, sha256: part.sha256 };
		try {
			if (!options.extract) {
				checkRoom(part.size);
				const filename = options.filename || part.filename;
				const mimeType = options.contentType || (part.mimeType === 'application/octet-stream' ? guessMime(filename) : part.mimeType);
				const file = addFile({ filename, mimeType, sizeBytes: part.size, folderId: options.targetFolderId, from: part.path, sha256: part.sha256, head: part.head, origin: 'transfer' });
				part.path = undefined;
				return { fileIds: [file.id], extract: false };
			}
			return await extractZip(part, options);
		} finally {
			if (part.path) fs.rmSync(part.path, { force: true });
		}
	}

	async function extractZip(part, options) {
		if (!looksLikeZip(part.path)) fail(400, `extract needs a ZIP archive; sourceUrl gave ${part.mimeType} ("${part.filename}").`);
		const extract = options.extractOptions;
		const createdFiles = [];
		const createdFolders = [];
		const folder = newFolder({ name: extract.folderName || baseName(part.filename) || 'import', parentId: extract.targetFolderId ?? options.targetFolderId });
		createdFolders.push(folder);
		const subfolders = new Map(); // 'a/b' → id
		const folderFor = (dirs) => {
			let parentId = folder.id;
			for (let depth = 1; depth <= dirs.length; depth++) {
				const key = dirs.slice(0, depth).join('/');
				if (!subfolders.has(key)) {
					const made = newFolder({ name: dirs[depth - 1], parentId });
					createdFolders.push(made);
					subfolders.set(key, made.id);
				}
				parentId = subfolders.get(key);
			}
			return parentId;
		};
		const maxFiles = extract.maxFiles ?? LIMITS.extractMaxFiles;
		let total = 0;
		try {
			await readZipFile(part.path, async (entry, stream) => {
				const segments = entry.name.split(/[/\\]+/).filter((segment) => segment && segment !== '.' && segment !== '..');
				if (segments.length === 0 || segments[0] === '__MACOSX') {
					stream.resume();
					await new Promise((resolve) => stream.on('end', resolve));
					return;
				}
				if (createdFiles.length >= maxFiles) fail(400, `The archive has more than ${maxFiles} files (extractOptions.maxFiles).`);
				const filename = segments.pop();
				const written = await writeToDisk(stream);
				try {
					if (written.error) throw written.error;
					if (extract.maxEntryBytes !== undefined && written.size > extract.maxEntryBytes) fail(400, `"${entry.name}" is larger than extractOptions.maxEntryBytes (${extract.maxEntryBytes}).`);
					total += written.size;
					if (extract.maxTotalBytes !== undefined && total > extract.maxTotalBytes) fail(400, `The archive's files are larger than extractOptions.maxTotalBytes (${extract.maxTotalBytes}).`);
					const limits = plan();
					if (limits.maxFileSizeBytes !== null && written.size > limits.maxFileSizeBytes) {
						const error = tooLarge(filename, limits);
						throw new ApiError(error.status, error.body);
					}
					checkRoom(written.size);
					const folderId = extract.preservePaths === false ? folder.id : folderFor(segments);
					createdFiles.push(addFile({ filename, mimeType: guessMime(filename), sizeBytes: written.size, folderId, from: written.path, sha256: written.sha256, head: written.head, origin: 'transfer' }));
				} finally {
					fs.rmSync(written.path, { force: true });
				}
			});
		} catch (error) {
			for (const file of createdFiles) removeFile(file);
			for (const made of createdFolders) folders.delete(made.id);
			if (error instanceof ApiError) throw error;
			fail(400, `The ZIP archive could not be read (${error.message}).`);
		}
		return { fileIds: createdFiles.map((file) => file.id), extract: true, folderId: folder.id };
	}

	function transferAnswer(outcome) {
		if (!outcome.extract) {
			const file = files.get(outcome.fileIds[0]);
			return { file: file ? fileView(file) : null };
		}
		return { files: outcome.fileIds.map((id) => files.get(id)).filter(Boolean).map(fileView) };
	}

	function transferOptions(body) {
		if (body.cloudSource !== undefined) {
			if (body.sourceUrl !== undefined) fail(400, 'Use sourceUrl or cloudSource, not both.');
			fail(501, 'cloudSource imports (Google Drive, S3, Dropbox) are not simulated.');
		}
		if (typeof body.sourceUrl !== 'string' || !body.sourceUrl) fail(400, 'sourceUrl is required (a public http or https URL).');
		const destination = body.destination ?? 'download';
		if (!['download', 'convertly-storage'].includes(destination)) fail(400, 'destination must be download or convertly-storage.');
		for (const name of ['filename', 'contentType']) {
			if (body[name] !== undefined && typeof body[name] !== 'string') fail(400, `${name} must be a string.`);
		}
		for (const name of ['async', 'extract']) {
			if (body[name] !== undefined && typeof body[name] !== 'boolean') fail(400, `${name} must be a boolean.`);
		}
		const extractOptions = body.extractOptions ?? {};
		if (typeof extractOptions !== 'object' || extractOptions === null || Array.isArray(extractOptions)) fail(400, 'extractOptions must be an object.');
		if (extractOptions.folderName !== undefined) folderName(extractOptions.folderName, true);
		for (const name of ['maxFiles', 'maxEntryBytes', 'maxTotalBytes']) {
			if (extractOptions[name] !== undefined && (!Number.isSafeInteger(extractOptions[name]) || extractOptions[name] < 1)) fail(400, `extractOptions.${name} must be a positive integer.`);
		}
		if (extractOptions.preservePaths !== undefined && typeof extractOptions.preservePaths !== 'boolean') fail(400, 'extractOptions.preservePaths must be a boolean.');
		return {
			sourceUrl: body.sourceUrl,
			destination,
			filename: body.filename,
			contentType: body.contentType,
			async: body.async ?? true,
			extract: body.extract ?? false,
			targetFolderId: folderRef(body.targetFolderId, 'targetFolderId') ?? null,
			extractOptions: { ...extractOptions, targetFolderId: folderRef(extractOptions.targetFolderId, 'extractOptions.targetFolderId') },
		};
	}

	async function transfer(req, res, body, call) {
		const idempotencyKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
		const record = { at: Date.now(), body: structuredClone(body), idempotencyKey, mode: undefined, status: undefined, jobId: undefined, reused: false, fetch: undefined, fileIds: [] };
		transfers.push(record);
		const done = (status, answer) => {
			record.status = status;
			// The transfer was taken (job created or file stored), then the answer is lost.
			if (call.fault?.dropAfterUpload && status < 300) {
				record.status = 'dropped';
				req.socket.destroy();
				return undefined;
			}
			return call.reply(status, answer);
		};
		try {
			const options = transferOptions(body);
			record.mode = options.destination === 'download' ? 'download' : options.async ? 'async' : 'sync';
			if (options.destination === 'download') return await transferDownload(res, options, record, call);
			const scope = idempotencyScope(call.apiKey, idempotencyKey, 'transfer');
			if (scope) {
				while (ctx.inFlightKeys.has(scope)) await ctx.inFlightKeys.get(scope);
				const earlier = transferKeys.get(scope);
				if (earlier) {
					record.reused = true;
					if (earlier.jobId) {
						const job = ctx.jobs.get(earlier.jobId);
						record.jobId = earlier.jobId;
						call.record.jobId = earlier.jobId;
						return done(202, { jobId: earlier.jobId, status: job ? ctx.currentStatus(job) : 'pending', mode: 'async' });
					}
					record.fileIds = earlier.fileIds;
					return done(200, transferAnswer(earlier));
				}
			}
			if (options.async) return done(202, startTransferJob(options, record, call, scope));
			let release = () => {};
			if (scope) {
				let resolve;
				ctx.inFlightKeys.set(scope, new Promise((settle) => (resolve = settle)));
				release = () => {
					ctx.inFlightKeys.delete(scope);
					resolve();
				};
			}
			try {
				const outcome = await performTransfer(options, record);
				record.fileIds = outcome.fileIds;
				if (scope) transferKeys.set(scope, outcome);
				return done(200, transferAnswer(outcome));
			} finally {
				release();
			}
		} catch (error) {
			if (!(error instanceof ApiError)) throw error;
			return done(error.status, error.body);
		}
	}

	function startTransferJob(options, record, call, scope) {
		const timing = ctx.settings.createdJobTiming;
		const job = ctx.createJob({ jobType: 'transfer', totalFiles: 1, pendingMs: timing.pendingMs, processingMs: null, results: null, idempotencyKey: record.idempotencyKey, viaApi: true });
		if (scope) transferKeys.set(scope, { jobId: job.jobId });
		record.jobId = job.jobId;
		call.record.jobId = job.jobId;
		const started = generation;
		const finish = (outcome, errorMessage) => {
			if (started !== generation || job.cancelledAt !== undefined) {
				for (const id of outcome?.fileIds ?? []) if (files.has(id)) removeFile(files.get(id));
				return;
			}
			const count = Math.max(1, outcome?.fileIds.length ?? 1);
			job.totalFiles = count;
			job.failedFiles = outcome ? 0 : count;
			job.outcome = outcome ? 'completed' : 'failed';
			if (errorMessage) job.errorMessage = errorMessage;
			const elapsed = ctx.now() - job.createdAt - job.pendingMs;
			job.processingMs = Math.max(timing.processingMsPerFile * count, elapsed + 1);
			record.fileIds = outcome?.fileIds ?? [];
			Object.defineProperty(job, 'results', { configurable: true, enumerable: true, get: () => (outcome ? transferAnswer(outcome) : undefined) });
		};
		performTransfer(options, record).then(
			(outcome) => finish(outcome),
			(error) => finish(undefined, error instanceof ApiError ? error.body.error : `The transfer failed (${error.message}).`),
		);
		return { jobId: job.jobId, status: 'pending', mode: 'async' };
	}

	async function transferDownload(res, options, record, call) {
		const fetched = await fetchSource(options.sourceUrl, { tmpDir: ctx.tmpDir, plan: plan(), guessMime });
		if (!fetched.part) {
			record.fetch = { url: options.sourceUrl, status: fetched.body.error };
			record.status = fetched.status;
			return call.reply(fetched.status, fetched.body);
		}
		const part = fetched.part;
		record.fetch = { url: options.sourceUrl, status: 'fetched', filename: part.filename, mimeType: part.mimeType, size: part.size, sha256: part.sha256 };
		try {
			record.status = 200;
			call.record.status = 200;
			res.writeHead(200, {
				'content-type': 'application/octet-stream',
				'content-length': String(part.size),
				'content-disposition': contentDisposition(options.filename || part.filename),
			});
			await pump(fs.createReadStream(part.path), res, call.fault?.dropAfterBytes);
		} finally {
			fs.rmSync(part.path, { force: true });
		}
		return undefined;
	}

	// ---- routing --------------------------------------------------------------------------------

	/**
	 * Routes the storage and transfer endpoints of the API origin (the key was already checked).
	 * call: { apiKey, record, fault, reply(status, body) }. Returns false for other paths.
	 */
	async function handleApi(req, res, url, call) {
		const route = matchRoute(url.pathname);
		if (!route) return false;
		await dispatch(req, res, url, call, route);
		return true;
	}

	async function dispatch(req, res, url, call, route) {
		const allowed = route.methods.includes(req.method);
		try {
			if (!allowed) {
				await drain(req);
				fail(405, `Use ${route.methods.join(' or ')} on ${url.pathname}.`);
			}
			const json = async () => {
				const body = await readJsonBody(req);
				if (body === null || typeof body !== 'object' || Array.isArray(body)) fail(400, 'The body must be a JSON object.');
				return body;
			};
			const reply = (answer) => (answer === undefined ? undefined : call.reply(200, answer));
			switch (route.name) {
				case 'files':
					return req.method === 'GET' ? reply(listFiles(url)) : reply(await uploadFile(req, res));
				case 'search':
					return reply(searchFiles(url));
				case 'zip':
					return await zipFiles(req, res, await json(), call);
				case 'file': {
					if (req.method === 'PATCH') {
						const body = await json();
						return reply(patchFile(getFile(route.id), body));
					}
					const file = getFile(route.id);
					if (req.method === 'DELETE') {
						removeFile(file);
						return reply({ success: true, message: 'File deleted.' });
					}
					if (!/application\/json/i.test(req.headers.accept ?? '')) {
						call.record.status = 302;
						res.writeHead(302, { location: signedFileUrl(file), 'content-length': '0' });
						return res.end();
					}
					return reply({ file: { ...fileView(file), expiresIn: Math.floor(ctx.settings.signedUrlTtlMs / 1000) } });
				}
				case 'ai-tags': {
					const body = await json();
					return reply(aiTags(getFile(route.id), body));
				}
				case 'tools': {
					const body = await json();
					return reply(await runTool(getFile(route.id), body));
				}
				case 'folders':
					return req.method === 'GET' ? reply(listFolders(url)) : reply(createFolder(await json()));
				case 'folder': {
					const body = req.method === 'PATCH' ? await json() : await drain(req);
					const folder = folders.get(route.id);
					if (!folder) fail(404, 'Folder not found.');
					return reply(req.method === 'PATCH' ? patchFolder(folder, body) : deleteFolder(folder));
				}
				case 'uploads':
					return reply(startUpload(await json()));
				case 'complete':
					return reply(completeUpload(await json()));
				case 'resumable':
					return call.reply(501, { error: 'TUS resumable uploads are not simulated; PUT the bytes to upload.signedUrl.' });
				case 'transfer':
					return await transfer(req, res, await json(), call);
			}
		} catch (error) {
			if (!(error instanceof ApiError)) throw error;
			await drain(req);
			return call.reply(error.status, error.body);
		}
		return undefined;
	}

	/**
	 * The storage origin's stored-file downloads (/stored/…) and signed upload URLs (/upload/…).
	 * Returns false for other paths (job result downloads, served by downloads.js).
	 */
	async function handleOrigin(req, res, url, entry, fault, reply) {
		const segments = url.pathname.split('/');
		if (segments[1] === 'upload') {
			if (segments[2] === 'resumable') {
				await drain(req);
				reply(501, { error: 'TUS resumable uploads are not simulated; PUT the bytes to upload.signedUrl.' });
				return true;
			}
			await receivePut(req, url, entry, reply);
			return true;
		}
		if (segments[1] !== 'stored' || segments.length !== 4) return false;
		if (req.method !== 'GET' && req.method !== 'HEAD') {
			await drain(req);
			reply(405, { error: 'Use GET to download a file.' });
			return true;
		}
		const id = safeDecode(segments[2]);
		const name = safeDecode(segments[3]);
		const expires = url.searchParams.get('expires') ?? '';
		if (!/^\d+$/.test(expires) || !signatureMatches(ctx.secret, `stored:${id}`, 'file', name, expires, url.searchParams.get('sig'))) {
			reply(403, { error: 'This download link is not valid.' });
			return true;
		}
		if (Number(expires) < ctx.now()) {
			reply(ctx.settings.signedUrlExpiredStatus, { error: 'This download link has expired.' });
			return true;
		}
		const file = files.get(id);
		if (!file) {
			reply(404, { error: 'File not found.' });
			return true;
		}
		entry.fileId = id;
		entry.status = 200;
		res.writeHead(200, { 'content-type': file.mimeType, 'content-length': String(file.sizeBytes), 'content-disposition': contentDisposition(name) });
		if (req.method === 'HEAD') {
			res.end();
			return true;
		}
		const result = await pump(openResult({ source: file.source, sizeBytes: file.sizeBytes }), res, fault?.dropAfterBytes, (sent) => (entry.bytesSent = sent));
		entry.bytesSent = result.sent;
		if (!result.complete) entry.status = 'dropped';
		return true;
	}

	// ---- hooks ----------------------------------------------------------------------------------

	function seedFiles(count, options = {}) {
		if (!Number.isSafeInteger(count) || count < 0) throw new Error('seedFiles: count must be a non-negative integer');
		const folderId = options.folderId ?? null;
		if (folderId !== null && !folders.has(folderId)) throw new Error(`seedFiles: no folder ${folderId}`);
		const mimeType = options.mimeType ?? 'image/png';
		const extension = extensionOf(`x.${mimeType.split('/')[1] ?? 'bin'}`) || 'bin';
		const sizeBytes = options.sizeBytes ?? 1024;
		const at = ctx.now();
		const made = [];
		for (let index = 0; index < count; index++) {
			const filename = options.filename ? options.filename(index) : `seed-${String(index + 1).padStart(5, '0')}.${extension}`;
			made.push(
				addFile({
					filename,
					mimeType,
					sizeBytes,
					folderId,
					origin: 'seed',
					createdAt: at - (count - index) * 1000,
					width: options.width ?? null,
					height: options.height ?? null,
					tags: normaliseTags(options.tags ?? []),
				}),
			);
		}
		return made.map(fileInfo);
	}

	function seedFolder(name, options = {}) {
		if (options.parentId && !folders.has(options.parentId)) throw new Error(`seedFolder: no folder ${options.parentId}`);
		const folder = newFolder({ name, color: options.color ?? null, parentId: options.parentId ?? null });
		return { ...folderView(folder), path: folderPath(folder.id) };
	}

	function storedFileBytes(id) {
		const file = files.get(id);
		if (!file) return undefined;
		return file.source.kind === 'file' ? fs.readFileSync(file.source.path) : patternBytes(0, file.sizeBytes);
	}

	function reset() {
		generation++;
		for (const file of files.values()) if (file.source.kind === 'file') fs.rmSync(file.source.path, { force: true });
		for (const upload of uploads.values()) if (upload.data) fs.rmSync(upload.data.path, { force: true });
		files = new Map();
		folders = new Map();
		uploads = new Map();
		uploadsByPath = new Map();
		transfers = [];
		transferKeys = new Map();
		usedBytes = 0;
		ordered = undefined;
	}

	return {
		handleApi,
		handleOrigin,
		reset,
		seedFiles,
		seedFolder,
		storedFileBytes,
		storedFiles: () => newestFirst().map(fileInfo),
		folders: () => [...folders.values()].sort((a, b) => a.seq - b.seq).map((folder) => ({ ...folderView(folder), path: folderPath(folder.id) })),
		uploadRecords: () => [...uploads.values()],
		transferRequests: () => transfers,
		storageUsedBytes: () => usedBytes,
	};
}

const ROUTES = [
	{ name: 'files', pattern: /^\/api\/files$/, methods: ['GET', 'POST'] },
	{ name: 'search', pattern: /^\/api\/files\/search$/, methods: ['GET'] },
	{ name: 'zip', pattern: /^\/api\/files\/zip$/, methods: ['POST'] },
	{ name: 'ai-tags', pattern: /^\/api\/files\/([^/]+)\/ai-tags$/, methods: ['POST'] },
	{ name: 'tools', pattern: /^\/api\/files\/([^/]+)\/tools$/, methods: ['POST'] },
	{ name: 'file', pattern: /^\/api\/files\/([^/]+)$/, methods: ['GET', 'PATCH', 'DELETE'] },
	{ name: 'folders', pattern: /^\/api\/folders$/, methods: ['GET', 'POST'] },
	{ name: 'folder', pattern: /^\/api\/folders\/([^/]+)$/, methods: ['PATCH', 'DELETE'] },
	{ name: 'uploads', pattern: /^\/api\/uploads$/, methods: ['POST'] },
	{ name: 'complete', pattern: /^\/api\/uploads\/complete$/, methods: ['POST'] },
	{ name: 'resumable', pattern: /^\/api\/uploads\/resumable$/, methods: ['POST', 'PATCH', 'HEAD'] },
	{ name: 'transfer', pattern: /^\/api\/transfer$/, methods: ['POST'] },
];

function matchRoute(pathname) {
	for (const route of ROUTES) {
		const match = route.pattern.exec(pathname);
		if (match) return { name: route.name, methods: route.methods, id: match[1] === undefined ? undefined : safeDecode(match[1]) };
	}
	return undefined;
}

/** A JSON request body (at most LIMITS.jsonBodyBytes); an ApiError 400 when it is not JSON. */
function readJsonBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		let tooBig = false;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > LIMITS.jsonBodyBytes) tooBig = true;
			else chunks.push(chunk);
		});
		req.on('end', () => {
			if (tooBig) return reject(new ApiError(413, { error: `The JSON body may be at most ${LIMITS.jsonBodyBytes} bytes.` }));
			const raw = Buffer.concat(chunks).toString('utf8');
			try {
				resolve(raw ? JSON.parse(raw) : {});
			} catch {
				reject(new ApiError(400, { error: 'The body must be JSON.' }));
			}
		});
		req.on('error', reject);
	});
}

module.exports = { createStorage, STORED_FILE_TOOLS, LIMITS };
