import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth } from '../../seed/client.js';
import { createApp } from '../../server/app.js';
import { readConfig } from '../../server/config.js';
import { startServer } from '../../server/main.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser, type TestUser } from '../support/users.js';

let t: TestApp;
let member: TestUser;
const TOKEN = 'scrape-token-0123456789';
let withToken: ReturnType<typeof createApp>;

beforeAll(async () => {
  t = await createTestApp();
  member = await createUser(t, { username: 'mona' });
  withToken = createApp(t.db, { maxBodyBytes: 1024 * 1024, webDir: 'dist', dataDir: t.dataDir, metricsToken: TOKEN });
});
afterAll(() => t.close());

const scrape = (app: ReturnType<typeof createApp>, authorization?: string) =>
  app.fetch(new Request('http://registry.test/metrics', { headers: authorization ? { authorization } : {} }));

/** The value of one sample line of the exposition text, or undefined. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('request ids', () => {
  it('every answer carries one; a well-formed id from a proxy is kept, anything else replaced', async () => {
    const fresh = await t.request('/healthz');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await t.request('/healthz', { headers: { 'x-request-id': 'lb-7f3a:42' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-7f3a:42');
    for (const hostile of ['a b', 'x'.repeat(129), '<script>', 'id\u00e9']) {
      const replaced = await t.request('/graphql?query=%7B__typename%7D', { headers: { 'x-request-id': hostile } });
      expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('/metrics', () => {
  it('is refused to anonymous callers, members and wrong tokens with what to send; served to org admins and the token', async () => {
    for (const authorization of [undefined, basicAuth(member.key), 'Bearer wrong-token-0123456789', 'Bearer ']) {
      const refused = await scrape(withToken, authorization);
      expect(refused.status).toBe(401);
      expect(await refused.text()).toContain('METRICS_TOKEN');
    }
    const admin = await scrape(t.app, basicAuth(t.key));
    expect(admin.status).toBe(200);
    expect(admin.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await admin.text()).toContain('registry_process_cpu_seconds_total');
    expect((await scrape(withToken, `Bearer ${TOKEN}`)).status).toBe(200);
    // Without a token configured, no bearer value opens it.
    expect((await scrape(t.app, `Bearer ${TOKEN}`)).status).toBe(401);
  });

  it('counts GraphQL requests by operation name and outcome, and HTTP requests by route and status', async () => {
    const before = await (await scrape(withToken, `Bearer ${TOKEN}`)).text();
    const ok = 'registry_graphql_operation_duration_seconds_count{operation="ProbeViewer",outcome="ok"}';
    const failed = 'registry_graphql_operation_duration_seconds_count{operation="ProbeMissing",outcome="error"}';
    const req = (query: string, operationName: string) =>
      withToken.fetch(
        new Request('http://registry.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: basicAuth(t.key) },
          body: JSON.stringify({ query, operationName }),
        }),
      );
    for (let i = 0; i < 3; i++) await req('query ProbeViewer { viewer { username } }', 'ProbeViewer');
    await req('query ProbeMissing { nope }', 'ProbeMissing');
    const after = await (await scrape(withToken, `Bearer ${TOKEN}`)).text();
    expect((sample(after, ok) ?? 0) - (sample(before, ok) ?? 0)).toBe(3);
    expect((sample(after, failed) ?? 0) - (sample(before, failed) ?? 0)).toBe(1);
    expect(
      sample(after, 'registry_http_request_duration_seconds_count{route="graphql",method="POST",status="200"}'),
    ).toBeGreaterThanOrEqual(3);
    expect(after).toContain('registry_db_pool_connections');
  });

  it('operation names are the client\'s: odd ones and more than 300 distinct ones count as "other", so labels stay bounded', async () => {
    const app = createApp(t.db, { maxBodyBytes: 1024 * 1024, webDir: 'dist', dataDir: t.dataDir, metricsToken: TOKEN });
    const send = (name: string) =>
      app.fetch(
        new Request('http://registry.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: `query ${name} { __typename }`, operationName: name }),
        }),
      );
    for (let i = 0; i < 320; i++) await send(`Flood${i}`);
    const text = await (await scrape(app, `Bearer ${TOKEN}`)).text();
    const names = new Set([...text.matchAll(/registry_graphql_operation_duration_seconds_count\{operation="(\w+)"/g)].map((m) => m[1]));
    expect(names.size).toBeLessThanOrEqual(301);
    expect(sample(text, 'registry_graphql_operation_duration_seconds_count{operation="other",outcome="ok"}')).toBe(20);
  });
});

describe('the running server', () => {
  it('logs one JSON line per request with its id, path (never the query string), status and operation', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-log-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, LOG_LEVEL: 'info', PORT: '0', DATA_DIR: dataDir, DATABASE_URL: '', REGISTRY_ORG: 'acme' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const lines: Record<string, unknown>[] = [];
      let buffered = '';
      const port = await new Promise<number>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
        child.stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const complete = buffered.split('\n');
          buffered = complete.pop() ?? '';
          for (const line of complete) {
            const entry = JSON.parse(line) as Record<string, unknown>;
            lines.push(entry);
            const listening = /listening on http:\/\/localhost:(\d+)/.exec(String(entry.msg));
            if (listening) resolve(Number(listening[1]));
          }
        });
      });
      const response = await fetch(`http://127.0.0.1:${port}/graphql?query=query%20Ping%20%7B__typename%7D&secret=s3cr3t`, {
        headers: { 'x-request-id': 'trace-me-1' },
      });
      expect(response.status).toBe(200);
      await expect.poll(() => lines.find((l) => l.requestId === 'trace-me-1'), { timeout: 5000 }).toBeDefined();
      const line = lines.find((l) => l.requestId === 'trace-me-1');
      expect(line).toMatchObject({ level: 30, msg: 'request', method: 'GET', path: '/graphql', status: 200, operation: 'Ping' });
      expect(typeof line?.ms).toBe('number');
      expect(JSON.stringify(lines)).not.toContain('s3cr3t');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    // A whole server process starts on a fresh embedded database: migrations and the first admin.
  }, 120_000);

  it('shutting down finishes a request under way, refuses new connections, then closes the database', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-stop-'));
    const server = await startServer({ ...readConfig({ DATA_DIR: dataDir, PORT: '0' }), databaseUrl: undefined });
    try {
      const body = JSON.stringify({ query: '{ __typename }' });
      // A request whose body is still arriving when the shutdown starts (a slow upload, say).
      const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const request = http.request(
          {
            host: '127.0.0.1',
            port: server.port,
            path: '/graphql',
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': body.length },
          },
          (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => (text += chunk.toString()));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
          },
        );
        request.on('error', reject);
        request.write(body.slice(0, 5));
        setTimeout(() => request.end(body.slice(5)), 400);
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const stopped = server.stop();
      await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
      expect(await answer).toEqual({ status: 200, text: '{"data":{"__typename":"Query"}}' });
      await stopped;
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
