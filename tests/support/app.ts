import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../server/app.js';
import type { BlobStore } from '../../server/storage/blobs.js';
import type { DB, QueryListener } from '../../server/db/database.js';
import { bootstrap } from '../../server/modules/organization/bootstrap.js';
import { inProcessClient, type GraphQLResult, type SeedClient } from '../../seed/client.js';
import { freshDatabase } from './db.js';

export const ORG = 'acme';
export const ADMIN = 'admin';
export const ADMIN_PASSWORD = 'correct horse battery';
export const ADMIN_KEY = 'a'.repeat(40);

export type { GraphQLResult };

/** The app's own origin in tests: requests are sent to it in-process. */
export const TEST_ORIGIN = 'http://registry.test';

/** A test app is also a seeding client (as the admin, by default). */
export interface TestApp extends SeedClient {
  app: App;
  db: DB;
  /** Where this app keeps blobs (`<dataDir>/blobs`), a fresh temp dir removed on close. */
  dataDir: string;
  close(): Promise<void>;
}

/**
 * A bootstrapped registry on a fresh database, served in-process; `onQuery` sees every SQL statement.
 * `org` and `adminKey` change the first start's organization and admin key (ORG and ADMIN_KEY by default).
 */
export async function createTestApp(
  options: { onQuery?: QueryListener; org?: string; adminKey?: string; allowPrivateNetworks?: boolean; store?: BlobStore } = {},
): Promise<TestApp> {
  const { db, drop } = await freshDatabase(options.onQuery);
  const adminKey = options.adminKey ?? ADMIN_KEY;
  await bootstrap(db, { orgName: options.org ?? ORG, adminUser: ADMIN, adminPassword: ADMIN_PASSWORD, adminApiKey: adminKey });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-test-'));
  const app = createApp(db, {
    maxBodyBytes: 1024 * 1024,
    webDir: path.resolve(import.meta.dirname, '../../dist'),
    dataDir,
    maxUploadBytes: 1024 * 1024,
    allowPrivateNetworks: options.allowPrivateNetworks,
    store: options.store,
  });
  const client = inProcessClient(app, { key: adminKey, origin: TEST_ORIGIN });
  return {
    app,
    db,
    dataDir,
    origin: client.origin,
    key: client.key,
    request: client.request,
    gql: client.gql,
    async close() {
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
