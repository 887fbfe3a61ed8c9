import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { httpClient, type SeedClient } from '../../seed/client.js';
import { linkVersion } from '../../seed/collections.js';
import { createSourceVersion } from '../../seed/versions.js';
import { freshDatabase, onPostgres } from '../support/db.js';
import { setUpLinkAutomation, startReceiver } from '../support/webhooks.js';

// Webhook delivery across real server processes: a server killed (SIGKILL) while a delivery is in
// flight delivers it after its restart, with the same webhook-id; two servers on one PostgreSQL
// database deliver each event once between them.

const KEY = 'w'.repeat(40);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-webhooks-'));

interface Server {
  child: ChildProcess;
  api: SeedClient;
}

const running = new Set<Server>();

/** A server process (as `npm start` runs it) with short delivery settings, once it says where it listens. */
function startProcess(target: { databaseUrl?: string; dataDir: string }): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      PORT: '0',
      DATA_DIR: target.dataDir,
      DATABASE_URL: target.databaseUrl ?? '',
      REGISTRY_ORG: 'acme',
      REGISTRY_ADMIN_API_KEY: KEY,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_POLL_MS: '200',
      WEBHOOK_TIMEOUT_MS: '3000',
      WEBHOOK_BACKOFF_MS: '100',
      WEBHOOK_LEASE_MARGIN_MS: '200',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    let buffered: string | null = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      // Read on (a full pipe would stall the server), but only the lines before it listens matter.
      if (buffered === null) return;
      buffered += chunk.toString();
      const port = /listening on http:\/\/localhost:(\d+)/.exec(buffered)?.[1];
      if (port) {
        buffered = null;
        const server = { child, api: httpClient(`http://127.0.0.1:${port}`, KEY) };
        running.add(server);
        resolve(server);
      }
    });
  });
}

async function end(server: Server, signal: NodeJS.Signals): Promise<void> {
  running.delete(server);
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill(signal);
  await exited;
}

const drops: (() => Promise<void>)[] = [];

/** A database for one test: a new PostgreSQL database on the suite's server, or an embedded one in a new DATA_DIR. */
async function target(): Promise<{ databaseUrl?: string; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(scratch, 'data-'));
  if (!onPostgres) return { dataDir };
  const fresh = await freshDatabase();
  // The server processes migrate and use it; this process only drops it at the end.
  await fresh.db.destroy();
  drops.push(fresh.drop);
  return { databaseUrl: fresh.url, dataDir };
}

afterEach(async () => {
  await Promise.all([...running].map((server) => end(server, 'SIGTERM')));
});
afterAll(async () => {
  for (const drop of drops) await drop().catch(() => undefined);
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('webhook delivery across server processes', () => {
  it('a server killed (kill -9) while a delivery is in flight delivers it after restart, with the same webhook-id', async () => {
    const receiver = await startReceiver();
    try {
      const where = await target();
      const first = await startProcess(where);
      await setUpLinkAutomation(first.api, receiver.url);
      const source = await createSourceVersion(first.api, { entity: 'ml', project: 'train', name: 'net', type: 'model' });
      receiver.state.mode = 'hold';
      await linkVersion(first.api, { artifactId: source.id, registry: 'model', collection: 'net' });
      // The request is in flight, held open by the receiver, when the server dies.
      await expect.poll(() => receiver.received.length, { timeout: 10_000, interval: 10 }).toBe(1);
      await end(first, 'SIGKILL');
      receiver.state.mode = 'ok';
      await startProcess(where);
      await expect.poll(() => receiver.delivered().length, { timeout: 20_000, interval: 50 }).toBe(1);
      expect(receiver.received).toHaveLength(2);
      const [held, delivered] = receiver.received;
      expect(held?.answered).toBe(0);
      expect(delivered?.webhookId).toBe(held?.webhookId);
      expect(delivered?.body).toBe(held?.body);
      expect(receiver.received.every((r) => r.signed)).toBe(true);
    } finally {
      await receiver.close();
    }
  }, 60_000);

  it.skipIf(!onPostgres)(
    'two servers on one PostgreSQL database deliver each event exactly once between them',
    async () => {
      const receiver = await startReceiver();
      try {
        const where = await target();
        const a = await startProcess(where);
        const b = await startProcess(where);
        await setUpLinkAutomation(a.api, receiver.url);
        const sources = [];
        for (let i = 0; i < 60; i++)
          sources.push(await createSourceVersion(i % 2 ? b.api : a.api, { entity: 'ml', project: 'train', name: 'net', type: 'model' }));
        // Links on both servers at once: both are woken by every commit and race for the same rows.
        await Promise.all(
          sources.map((s, i) => linkVersion(i % 2 ? b.api : a.api, { artifactId: s.id, registry: 'model', collection: 'net' })),
        );
        await expect.poll(() => receiver.delivered().length, { timeout: 20_000, interval: 50 }).toBe(60);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        expect(receiver.received).toHaveLength(60);
        expect(new Set(receiver.received.map((r) => r.webhookId)).size).toBe(60);
        expect(receiver.received.every((r) => r.signed)).toBe(true);
      } finally {
        await receiver.close();
      }
    },
    60_000,
  );
});
