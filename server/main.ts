import http from 'node:http';
import path from 'node:path';
import { createServerAdapter } from '@whatwg-node/server';
import { createApp } from './app.js';
import { readConfig } from './config.js';
import { migrateToLatest, openDatabase } from './db/database.js';
import { bootstrap } from './modules/organization/bootstrap.js';

/** Starts the registry: migrations, first-start set-up, then HTTP until SIGINT/SIGTERM. */
export async function main(): Promise<void> {
  const config = readConfig();
  const db = await openDatabase(
    config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: path.join(config.dataDir, 'db') },
  );
  await migrateToLatest(db);
  const setup = await bootstrap(db, {
    orgName: config.orgName,
    adminUser: config.adminUser,
    adminPassword: config.adminPassword,
    adminApiKey: config.adminApiKey,
  });
  if (setup.created) {
    console.log(`Created organization "${config.orgName}", admin "${config.adminUser}", registries "model" and "dataset".`);
    if (setup.generated.password) console.log(`  admin password (shown once): ${setup.generated.password}`);
    if (setup.generated.apiKey) console.log(`  admin API key  (shown once): ${setup.generated.apiKey}`);
  }

  const app = createApp(db, config);
  const server = http.createServer(createServerAdapter(app.fetch));
  await new Promise<void>((resolve) => server.listen(config.port, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`Registry listening on http://localhost:${port} (${config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing open requests, then closing the database.`);
    // Stop accepting, let requests in flight finish, then close the database so nothing is half-written.
    server.close();
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.once('close', resolve));
    await db.destroy();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
