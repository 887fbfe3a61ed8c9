import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServerAdapter } from '@whatwg-node/server';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPath } from '../../server/modules/artifacts/signing.js';
import { createTestApp, type TestApp } from '../support/app.js';

import { createUser, type TestUser } from '../support/users.js';
import { logArtifact, md5Base64, putTo, type LoggedArtifact } from '../../seed/sdk-logging.js';
import { sdkDocument } from '../../seed/sdk-operations.js';

let t: TestApp;
let owner: TestUser;
let stranger: TestUser;
let logged: LoggedArtifact;
const binary = new Uint8Array(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
const files = { 'model/weights.bin': binary, 'notes/ünïcode name.txt': 'héllo wörld' };

async function urls(id: string, key: string): Promise<Record<string, string | null>> {
  const res = await t.gql(sdkDocument('ArtifactFileURLs'), { id, perPage: 100 }, { key });
  const edges =
    (res.data?.artifact as { files: { edges: { node: { name: string; directUrl: string | null } }[] } } | null)?.files.edges ?? [];
  return Object.fromEntries(edges.map((e) => [e.node.name, e.node.directUrl]));
}

const get = (url: string, init?: RequestInit) => {
  const { pathname, search } = new URL(url);
  return t.request(pathname + search, init);
};

beforeAll(async () => {
  t = await createTestApp();
  owner = await createUser(t, { username: 'owner' });
  stranger = await createUser(t, { username: 'stranger' });
  logged = await logArtifact(t, { entity: 'owner', project: 'p', name: 'blobs', type: 'dataset', files, key: owner.key });
});
afterAll(() => t.close());

describe('downloads through directUrl', () => {
  it('returns exactly the uploaded bytes, without credentials', async () => {
    const byName = await urls(logged.artifactId, owner.key);
    const weights = await get(String(byName['model/weights.bin']));
    expect(weights.status).toBe(200);
    expect(weights.headers.get('content-length')).toBe(String(binary.byteLength));
    expect(new Uint8Array(await weights.arrayBuffer())).toEqual(binary);
    const text = await get(String(byName['notes/ünïcode name.txt']));
    expect(await text.text()).toBe('héllo wörld');
    expect(text.headers.get('content-disposition')).toContain("filename*=UTF-8''%C3%BCn%C3%AFcode%20name.txt");
    const head = await get(String(byName['model/weights.bin']), { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('stores each content once, under DATA_DIR/blobs/<aa>/<sha256>', async () => {
    const hex = createHash('sha256').update(binary).digest('hex');
    expect(fs.existsSync(path.join(t.dataDir, 'blobs', hex.slice(0, 2), hex))).toBe(true);
    expect(fs.readdirSync(path.join(t.dataDir, 'blobs', 'tmp'))).toEqual([]);
  });

  it('refuses tampered, foreign or expired signatures with 403', async () => {
    const url = new URL(String((await urls(logged.artifactId, owner.key))['model/weights.bin']));
    const otherFile = new URL(url);
    otherFile.pathname = url.pathname.replace(/\/files\/(\d+)$/, (_m, id: string) => `/files/${Number(id) + 1}`);
    const longer = new URL(url);
    longer.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    const unsigned = new URL(url);
    unsigned.search = '';
    for (const bad of [otherFile, longer, unsigned]) {
      const res = await get(bad.toString());
      expect(res.status, bad.toString()).toBe(403);
    }
    const expired = await signPath(t.db, url.pathname, Date.now() - 2 * 3600 * 1000);
    const res = await t.request(expired);
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/expired/);
  });

  it('someone who cannot read the project gets no URLs', async () => {
    expect(await urls(logged.artifactId, stranger.key)).toEqual({});
  });
});

describe('uploads', () => {
  async function pendingFile(content: string | Uint8Array, name = 'f.bin'): Promise<string> {
    const created = await t.gql(
      sdkDocument('CreateArtifact'),
      {
        input: {
          entityName: 'owner',
          projectName: 'p',
          artifactTypeName: 'dataset',
          artifactCollectionName: `up-${Math.random().toString(36).slice(2)}`,
          digest: 'f'.repeat(32),
          clientID: 'c',
          sequenceClientID: 's',
          enableDigestDeduplication: false,
        },
      },
      { key: owner.key },
    );
    const id = (created.data?.createArtifact as { artifact: { id: string } }).artifact.id;
    const res = await t.gql(
      sdkDocument('CreateArtifactFiles'),
      { storageLayout: 'V2', artifactFiles: [{ artifactID: id, name, md5: md5Base64(content) }] },
      { key: owner.key },
    );
    return String(
      (res.data?.createArtifactFiles as { files: { edges: { node: { uploadUrl: string } }[] } }).files.edges[0]?.node.uploadUrl,
    );
  }

  it('a file over the size limit is refused with 413 and leaves nothing behind', async () => {
    const big = new Uint8Array(1024 * 1024 + 1);
    const url = await pendingFile(big);
    const res = await putTo(t, url, big);
    expect(res.status).toBe(413);
    const hex = createHash('sha256').update(big).digest('hex');
    expect(fs.existsSync(path.join(t.dataDir, 'blobs', hex.slice(0, 2), hex))).toBe(false);
    expect(fs.readdirSync(path.join(t.dataDir, 'blobs', 'tmp'))).toEqual([]);
  });

  it('a wrong body is refused (400), the right one then accepted, and the URL is used up', async () => {
    const url = await pendingFile('right');
    const wrong = await putTo(t, url, 'wrong');
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
    const hex = createHash('sha256').update('wrong').digest('hex');
    expect(fs.existsSync(path.join(t.dataDir, 'blobs', hex.slice(0, 2), hex))).toBe(false);
    expect((await putTo(t, url, 'right')).status).toBe(200);
    expect((await putTo(t, url, 'right')).status).toBe(404);
  });

  it('unknown routes and methods are 404, never 500', async () => {
    expect((await t.request('/files/nothing')).status).toBe(404);
    expect((await t.request('/files/upload/short', { method: 'PUT', body: 'x' })).status).toBe(404);
    expect((await t.request('/files/manifest-upload/' + 'z'.repeat(40), { method: 'PUT', body: '{}' })).status).toBe(404);
    expect((await t.request('/files/artifacts/abc/files/1?expires=1&sig=x')).status).toBe(403);
  });

  it('streams uploads and downloads over a real node:http server (as main.ts serves them)', async () => {
    const server = http.createServer(createServerAdapter(t.app.fetch));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const content = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);
      const url = new URL(await pendingFile(content, 'streamed.bin'));
      const put = await fetch(base + url.pathname, { method: 'PUT', body: content });
      expect(put.status).toBe(200);
      const hex = createHash('sha256').update(content).digest('hex');
      expect(fs.readFileSync(path.join(t.dataDir, 'blobs', hex.slice(0, 2), hex))).toEqual(Buffer.from(content));
    } finally {
      server.close();
    }
  });
});
