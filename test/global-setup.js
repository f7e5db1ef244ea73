// One n8n user folder for the whole jest run (workers inherit the variable); removed at the end.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = async () => {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'convertly-jest-'));
};
