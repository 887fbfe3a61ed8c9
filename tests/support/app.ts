import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../server/app.js';
import type { DB, QueryListener } from '../../server/db/database.js';
import { bootstrap } from '../../server/modules/organization/bootstrap.js';
import type { GraphQLResult } from '../../scripts/lib/sdk-logging.js';
import { freshDatabase } from './db.js';

export const ORG = 'acme';
export const ADMIN = 'admin';
export const ADMIN_PASSWORD = 'correct horse battery';
export const ADMIN_KEY = 'a'.repeat(40);

export type { GraphQLResult };

export interface TestApp {
  app: App;
  db: DB;
  /** Where this app keeps blobs (`<dataDir>/blobs`), a fresh temp dir removed on close. */
  dataDir: string;
  /** Sends a GraphQL request in-process, authenticated with `key` (the admin's by default; null: anonymous). */
  gql(
    query: string,
    variables?: Record<string, unknown>,
    options?: { key?: string | null; operationName?: string },
  ): Promise<GraphQLResult>;
  request(pathname: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A bootstrapped registry on a fresh database, served in-process; `onQuery` sees every SQL statement.
 * `org` and `adminKey` change the first start's organization and admin key (ORG and ADMIN_KEY by default).
 */
export async function createTestApp(options: { onQuery?: QueryListener; org?: string; adminKey?: string } = {}): Promise<TestApp> {
  const { db, drop } = await freshDatabase(options.onQuery);
  const adminKey = options.adminKey ?? ADMIN_KEY;
  await bootstrap(db, { orgName: options.org ?? ORG, adminUser: ADMIN, adminPassword: ADMIN_PASSWORD, adminApiKey: adminKey });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-test-'));
  const app = createApp(db, {
    maxBodyBytes: 1024 * 1024,
    webDir: path.resolve(import.meta.dirname, '../../dist'),
    dataDir,
    maxUploadBytes: 1024 * 1024,
  });
  const request = (pathname: string, init?: RequestInit) => app.fetch(new Request(`http://registry.test${pathname}`, init));
  return {
    app,
    db,
    dataDir,
    request,
    async gql(query, variables, options = {}) {
      const key = options.key === undefined ? adminKey : options.key;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (key !== null) headers.authorization = `Basic ${Buffer.from(`api:${key}`).toString('base64')}`;
      const response = await request('/graphql', {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables, operationName: options.operationName }),
      });
      const body = (await response.json()) as Omit<GraphQLResult, 'status'>;
      return { status: response.status, ...body };
    },
    async close() {
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
