// Runs before each test file loads n8n-core: keep its logs quiet (its files go to the folder
// made by global-setup.js).
process.env.N8N_LOG_LEVEL = 'silent';
