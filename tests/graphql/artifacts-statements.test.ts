import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { migrateToLatest, openDatabase } from '../../server/db/database.js';
import { bootstrap } from '../../server/modules/organization/bootstrap.js';
import { ADMIN, ADMIN_KEY, ADMIN_PASSWORD, ORG, type TestApp } from '../support/app.js';
import { onPostgres } from '../support/db.js';
import { logArtifact } from '../support/logging.js';
import { sdkDocument } from '../support/wandb-operations.js';

// Counts SQL statements per request: a page of files or versions must cost the same whatever its size.
let t: TestApp;
let statements = 0;

beforeAll(async () => {
  if (onPostgres) return;
  const db = await openDatabase({ kind: 'pglite', dataDir: undefined }, () => {
    statements += 1;
  });
  await migrateToLatest(db);
  await bootstrap(db, { orgName: ORG, adminUser: ADMIN, adminPassword: ADMIN_PASSWORD, adminApiKey: ADMIN_KEY });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-test-'));
  const app = createApp(db, { maxBodyBytes: 1024 * 1024, webDir: dataDir, dataDir });
  const request = (pathname: string, init?: RequestInit) => app.fetch(new Request(`http://registry.test${pathname}`, init));
  t = {
    app,
    db,
    dataDir,
    request,
    async gql(query, variables, options = {}) {
      const key = options.key === undefined ? ADMIN_KEY : options.key;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (key !== null) headers.authorization = `Bearer ${key}`;
      const response = await request('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      return { status: response.status, ...((await response.json()) as object) };
    },
    async close() {
      await db.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
afterAll(() => t?.close());

async function count(run: () => Promise<unknown>): Promise<number> {
  const before = statements;
  await run();
  return statements - before;
}

describe.skipIf(onPostgres)('statements per request', () => {
  it('ArtifactFileURLs costs the same for 2 and 40 files', async () => {
    const small = await logArtifact(t, { entity: ADMIN, project: 'p', name: 'small', type: 'model', files: { a: 'a', b: 'b' } });
    const files = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}.txt`, `content ${i}`]));
    const large = await logArtifact(t, { entity: ADMIN, project: 'p', name: 'large', type: 'model', files });
    const urls = (id: string) => t.gql(sdkDocument('ArtifactFileURLs'), { id, perPage: 50 });
    await urls(small.artifactId); // warms the signing secret cache
    const a = await count(() => urls(small.artifactId));
    const b = await count(() => urls(large.artifactId));
    expect(b).toBe(a);
    expect(b).toBeLessThanOrEqual(8);
  });

  it('RunOutputArtifacts costs the same for 1 and 6 versions', async () => {
    await logArtifact(t, { entity: ADMIN, project: 'q', name: 'one', type: 'model', files: { a: '1' }, run: 'r1' });
    for (let i = 0; i < 6; i += 1) await logArtifact(t, { entity: ADMIN, project: 'q', name: `many${i}`, type: 'model', files: { a: String(i) }, run: 'r6' });
    const outputs = (run: string) => t.gql(sdkDocument('RunOutputArtifacts'), { entity: ADMIN, project: 'q', run, perPage: 50 });
    const one = await count(() => outputs('r1'));
    const six = await count(() => outputs('r6'));
    expect(six).toBe(one);
  });
});
