import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { openDatabase } from '../../server/db/database.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('/healthz and /readyz', () => {
  it('liveness answers JSON without credentials, never cached', async () => {
    const response = await t.request('/healthz');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('readiness checks the database and the blob store', async () => {
    const response = await t.request('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', checks: { database: 'ok', blobs: 'ok' } });
  });

  it('other methods are refused', async () => {
    expect((await t.request('/readyz', { method: 'POST' })).status).toBe(405);
  });

  it('a blob store that cannot be written makes the server unready (503), naming no path', async () => {
    // DATA_DIR pointing at a file: the blobs directory can never be made.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'registry-ready-')), 'not-a-dir');
    fs.writeFileSync(file, '');
    const app = createApp(t.db, { maxBodyBytes: 1024, webDir: 'dist', dataDir: file });
    const response = await app.fetch(new Request('http://registry.test/readyz'));
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ status: 'unavailable', checks: { database: 'ok', blobs: 'unavailable' } });
    expect(text).not.toContain(file);
  });

  it('a database that does not answer makes the server unready (503) while liveness stays up', async () => {
    // A PostgreSQL address where nothing listens: what a load balancer's probe meets when the database is down.
    const db = await openDatabase({ kind: 'postgres', url: 'postgres://registry@127.0.0.1:1/registry' });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-ready-'));
    const app = createApp(db, { maxBodyBytes: 1024, webDir: 'dist', dataDir });
    try {
      const ready = await app.fetch(new Request('http://registry.test/readyz'));
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'unavailable', checks: { database: 'unavailable', blobs: 'ok' } });
      expect((await app.fetch(new Request('http://registry.test/healthz'))).status).toBe(200);
    } finally {
      await db.destroy();
    }
  });
});
