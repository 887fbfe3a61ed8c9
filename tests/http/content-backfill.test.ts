import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readConfig } from '../../server/config.js';
import { openDatabase, type DB } from '../../server/db/database.js';
import { migrations } from '../../server/db/migrations/index.js';
import { startServer, type RunningServer } from '../../server/main.js';
import { bootstrap } from '../../server/modules/organization/bootstrap.js';
import { ADMIN, ADMIN_KEY, ADMIN_PASSWORD, ORG } from '../support/app.js';
import { freshDatabase, onPostgres } from '../support/db.js';

// Content stored before SHA-256 keys lives under its MD5 name; the first start after the upgrade
// hashes it, renames it and binds its files, and every later start finds nothing left to do.

const BEFORE = '2026_12_01_0004_link_indexes';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-backfill-'));
let databaseUrl: string | undefined;
let dropDatabase: () => Promise<void> = async () => {};
let artifactId = 0;

const A = Buffer.from('weights written by an earlier release');
const B = Buffer.from('a config written by an earlier release');
const C = Buffer.from('content whose blob file was lost');
const md5 = (b: Buffer) => createHash('md5').update(b).digest();
const sha256hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const legacyPath = (b: Buffer) => path.join(dataDir, 'blobs', md5(b).toString('hex').slice(0, 2), md5(b).toString('hex'));
const newPath = (b: Buffer) => path.join(dataDir, 'blobs', sha256hex(b).slice(0, 2), sha256hex(b));

/** Writes a committed version the way the release before SHA-256 keys did: rows with `blob` = hex MD5, files under that name. */
async function seedTheOldWay(db: DB): Promise<void> {
  await bootstrap(db, { orgName: ORG, adminUser: ADMIN, adminPassword: ADMIN_PASSWORD, adminApiKey: ADMIN_KEY });
  const entity = await db.selectFrom('entities').select('id').where('name', '=', ADMIN).executeTakeFirstOrThrow();
  const project = await db
    .insertInto('projects')
    .values({ entity_id: entity.id, name: 'old', access: 'PRIVATE' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const sequence = await db
    .insertInto('collections')
    .values({ project_id: project.id, kind: 'SEQUENCE', name: 'net', type_name: 'model' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const artifact = await db
    .insertInto('artifacts')
    .values({
      sequence_id: sequence.id,
      version_index: 0,
      state: 'COMMITTED',
      digest: 'd'.repeat(32),
      metadata: '{}',
      committed_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  artifactId = artifact.id;
  await db.insertInto('memberships').values({ collection_id: sequence.id, artifact_id: artifact.id, version_index: 0 }).execute();
  const files: [string, Buffer][] = [
    ['a.bin', A],
    ['copy/a.bin', A],
    ['b.json', B],
    ['lost.bin', C],
  ];
  await db
    .insertInto('artifact_files')
    .values(
      files.map(([name, content]) => ({
        artifact_id: artifact.id,
        name,
        digest: md5(content).toString('base64'),
        size: content.byteLength,
        mimetype: null,
        blob: md5(content).toString('hex'),
        upload_token: null,
      })),
    )
    .execute();
  for (const content of [A, B]) {
    fs.mkdirSync(path.dirname(legacyPath(content)), { recursive: true });
    fs.writeFileSync(legacyPath(content), content);
  }
  // B as an interrupted first start left it: already linked under its SHA-256, rows not yet bound.
  fs.mkdirSync(path.dirname(newPath(B)), { recursive: true });
  fs.linkSync(legacyPath(B), newPath(B));
}

beforeAll(async () => {
  if (onPostgres) {
    const fresh = await freshDatabase(undefined, BEFORE);
    databaseUrl = fresh.url;
    dropDatabase = fresh.drop;
    await seedTheOldWay(fresh.db);
  } else {
    const db = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
    const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(BEFORE);
    if (error) throw error;
    await seedTheOldWay(db);
    await db.destroy();
  }
});
afterAll(async () => {
  await dropDatabase();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function start(): Promise<RunningServer> {
  const env = {
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REGISTRY_ORG: ORG,
    REGISTRY_ADMIN_USER: ADMIN,
    REGISTRY_ADMIN_API_KEY: ADMIN_KEY,
  };
  return startServer(readConfig(env));
}

async function downloads(server: RunningServer): Promise<Record<string, string | null>> {
  const base = `http://127.0.0.1:${server.port}`;
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({
      query: 'query ($id: ID!) { artifact(id: $id) { files { edges { node { name directUrl } } } } }',
      variables: { id: Buffer.from(`Artifact:${artifactId}`).toString('base64') },
    }),
  });
  const body = (await res.json()) as { data: { artifact: { files: { edges: { node: { name: string; directUrl: string | null } }[] } } } };
  const result: Record<string, string | null> = {};
  for (const { node } of body.data.artifact.files.edges) {
    if (!node.directUrl) {
      result[node.name] = null;
      continue;
    }
    const { pathname, search } = new URL(node.directUrl);
    const file = await fetch(base + pathname + search);
    result[node.name] = file.status === 200 ? Buffer.from(await file.arrayBuffer()).toString() : `HTTP ${file.status}`;
  }
  return result;
}

it('the first start renames old blobs to their SHA-256 and binds their files; later starts change nothing', async () => {
  const expected = { 'a.bin': A.toString(), 'b.json': B.toString(), 'copy/a.bin': A.toString(), 'lost.bin': null };
  const first = await start();
  try {
    expect(await downloads(first)).toEqual(expected);
    const rows = await first.db.selectFrom('artifact_files').select(['name', 'blob', 'sha256', 'size']).orderBy('name').execute();
    expect(rows).toEqual([
      { name: 'a.bin', blob: null, sha256: sha256hex(A), size: A.byteLength },
      { name: 'b.json', blob: null, sha256: sha256hex(B), size: B.byteLength },
      { name: 'copy/a.bin', blob: null, sha256: sha256hex(A), size: A.byteLength },
      // Its bytes are gone: it keeps its old name, so a restored blob is picked up by a later start.
      { name: 'lost.bin', blob: md5(C).toString('hex'), sha256: null, size: C.byteLength },
    ]);
    for (const content of [A, B]) {
      expect(fs.readFileSync(newPath(content))).toEqual(content);
      expect(fs.existsSync(legacyPath(content))).toBe(false);
    }
  } finally {
    await first.stop();
  }
  const second = await start();
  try {
    expect(await downloads(second)).toEqual(expected);
  } finally {
    await second.stop();
  }
});
