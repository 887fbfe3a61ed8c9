// Starts the registry as `npm start` does, on an emptied DATA_DIR, so every run begins at first start.
import fs from 'node:fs';

const dataDir = process.env.DATA_DIR;
if (!dataDir || !dataDir.includes('e2e')) throw new Error('DATA_DIR must be set to an e2e directory');
fs.rmSync(dataDir, { recursive: true, force: true });
// eslint-disable-next-line import-x/no-restricted-paths -- the e2e server starts exactly as `npm start` does (build if needed, then serve)
await import('../../scripts/start.js');
