import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { data, httpClient, type SeedClient } from '../../seed/client.js';
import { linkVersion, linkedVersions } from '../../seed/collections.js';
import { createTeam } from '../../seed/people.js';
import { createSourceVersion } from '../../seed/versions.js';
import { freshDatabase, onPostgres } from '../support/db.js';

// Several Registry processes behind a load balancer share one PostgreSQL database and one file store
// and keep nothing of their own: what one does, the other knows at once.

const KEY = 'm'.repeat(40);
const PASSWORD = 'two servers, one database';

interface Server {
  child: ChildProcess;
  base: string;
  api: SeedClient;
}

/** A server process (as `npm start` runs it) on a free port, once it says where it listens. */
function startProcess(databaseUrl: string, dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      REGISTRY_ORG: 'acme',
      REGISTRY_ADMIN_PASSWORD: PASSWORD,
      REGISTRY_ADMIN_API_KEY: KEY,
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
        const base = `http://127.0.0.1:${port}`;
        resolve({ child, base, api: httpClient(base, KEY) });
      }
    });
  });
}

async function stop(server: Server | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

describe.skipIf(!onPostgres)('two server processes on one PostgreSQL database', () => {
  let a: Server | undefined;
  let b: Server | undefined;
  let drop: () => Promise<void> = async () => undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-two-'));

  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    // The first start sets the organization up; the second finds it done.
    a = await startProcess(fresh.url ?? '', dataDir);
    b = await startProcess(fresh.url ?? '', dataDir);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([stop(a), stop(b)]);
    await drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a session made on one is honoured by the other', async () => {
    const login = await fetch(`${a!.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-registry-csrf': '1', origin: a!.base },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const viewer = await fetch(`${b!.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-registry-csrf': '1', origin: b!.base, cookie },
      body: JSON.stringify({ query: '{ viewer { username } }' }),
    });
    expect(await viewer.json()).toEqual({ data: { viewer: { username: 'admin' } } });
  });

  it('a version logged on one is linked on the other and read back on the first at once; its file downloads from either', async () => {
    await createTeam(a!.api, { name: 'vision', members: ['admin'] });
    const source = await createSourceVersion(a!.api, { entity: 'vision', project: 'train', name: 'net', type: 'model' });
    expect(await linkVersion(b!.api, { artifactId: source.id, registry: 'model', collection: 'net', aliases: ['production'] })).toBe(0);
    expect(await linkedVersions(a!.api, { registry: 'model', collection: 'net' })).toEqual([
      { version: 'v0', aliases: ['latest', 'production'] },
    ]);
    const files = await data<{ artifact: { files: { edges: { node: { directUrl: string } }[] } } }>(
      a!.api,
      'query ($id: ID!) { artifact(id: $id) { files { edges { node { directUrl } } } } }',
      { id: source.id },
    );
    for (const { node } of files.artifact.files.edges) {
      const { pathname, search } = new URL(node.directUrl);
      const [fromA, fromB] = await Promise.all([fetch(a!.base + pathname + search), fetch(b!.base + pathname + search)]);
      expect([fromA.status, fromB.status]).toEqual([200, 200]);
      expect(await fromB.text()).toBe(await fromA.text());
    }
  });

  it('200 links racing over both servers into one new collection get v0…v199 exactly', async () => {
    // The project first, alone: then every batch only adds versions to it.
    await createSourceVersion(a!.api, { entity: 'vision', project: 'race', name: 'first', type: 'model' });
    const sources = [];
    for (let i = 0; i < 200; i += 10) {
      sources.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, j) =>
            createSourceVersion(j % 2 ? b!.api : a!.api, { entity: 'vision', project: 'race', name: `m${j}`, type: 'model' }),
          ),
        )),
      );
    }
    const indices = await Promise.all(
      sources.map((s, i) => linkVersion(i % 2 ? b!.api : a!.api, { artifactId: s.id, registry: 'model', collection: 'race' })),
    );
    expect([...indices].sort((x, y) => x - y)).toEqual([...Array(200).keys()]);
    const counted = await data<{ project: { artifactCollection: { artifactMemberships: { totalCount: number } } } }>(
      b!.api,
      '{ project(entityName: "acme", name: "wandb-registry-model") { artifactCollection(name: "race") { artifactMemberships { totalCount } } } }',
    );
    expect(counted.project.artifactCollection.artifactMemberships.totalCount).toBe(200);
  }, 300_000);
});
