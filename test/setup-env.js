// Runs before each test file loads n8n-core: its files go to a temp folder and its logs stay quiet.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'convertly-jest-'));
process.env.N8N_LOG_LEVEL = 'silent';
