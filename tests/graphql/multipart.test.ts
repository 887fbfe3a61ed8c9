import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type GraphQLResult, type TestApp } from '../support/app.js';
import { startS3, type TestS3 } from '../support/s3.js';
import { removeAbandonedUploads } from '../../server/storage/parts.js';
import { createUser, type TestUser } from '../support/users.js';
import { createTeam } from '../../seed/people.js';
import { artifactDigest, manifestJson, md5Base64, putTo } from '../../seed/sdk-logging.js';
import { sdkDocument } from '../../seed/sdk-operations.js';

// Multipart uploads as the SDK does them, on both stores: CreateArtifactFiles with uploadPartsInput
// answers an upload id and a URL per part, each part is PUT, CompleteMultipartUploadArtifact joins
// them, and nothing is committed until the whole file is there with its declared MD5.

const TEAM = 'vision';
const PROJECT = 'multipart';

type Part = { partNumber: number; hexMD5: string };
interface Upload {
  uploadUrl: string | null;
  storagePath: string | null;
  uploadMultipartUrls: { uploadID: string; uploadUrlParts: { partNumber: number; uploadUrl: string }[] } | null;
}

const md5hex = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

function ok(step: string, res: GraphQLResult): Record<string, unknown> {
  if (res.errors?.length || !res.data) throw new Error(`${step}: ${res.errors?.map((e) => e.message).join('; ')}`);
  return res.data;
}

/** Splits bytes into parts of `size` (the last may be shorter), with their declared MD5s. */
function split(bytes: Buffer, size: number): { bodies: Buffer[]; parts: Part[] } {
  const bodies: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) bodies.push(bytes.subarray(at, at + size));
  return { bodies, parts: bodies.map((b, i) => ({ partNumber: i + 1, hexMD5: md5hex(b) })) };
}

async function fetchFrom(t: TestApp, url: string, init?: RequestInit): Promise<Response> {
  const { pathname, search } = new URL(url);
  return pathname.startsWith('/files/') ? t.request(pathname + search, init) : fetch(url, init);
}

const stores = [
  // Parts of a few hundred kB: the test app takes files up to 1 MiB.
  { kind: 'local', partSize: 300 * 1024, size: 700 * 1024 },
  // S3 wants every part but the last to be at least 5 MiB.
  { kind: 's3', partSize: 5 * 1024 * 1024, size: 5 * 1024 * 1024 + 4321 },
] as const;

describe.each(stores)('multipart uploads on the $kind store', ({ kind, partSize, size }) => {
  let t: TestApp;
  let s3: TestS3 | undefined;
  let bob: TestUser;

  beforeAll(async () => {
    s3 = kind === 's3' ? await startS3() : undefined;
    t = await createTestApp(s3 ? { store: s3.store() } : {});
    await createTeam(t, { name: TEAM });
    bob = await createUser(t, { username: 'bob' });
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await s3?.close();
  });

  /** Creates a pending version of one file, declared in parts; its manifest is uploaded. */
  async function pending(name: string, bytes: Buffer, parts: Part[]) {
    const md5 = md5Base64(bytes);
    const created = ok(
      'CreateArtifact',
      await t.gql(sdkDocument('CreateArtifact'), {
        input: {
          entityName: TEAM,
          projectName: PROJECT,
          artifactTypeName: 'model',
          artifactCollectionName: name,
          digest: artifactDigest({ 'big.bin': md5 }),
          clientID: randomBytes(8).toString('hex'),
          sequenceClientID: randomBytes(8).toString('hex'),
          enableDigestDeduplication: false,
        },
      }),
    ).createArtifact as { artifact: { id: string } };
    const id = created.artifact.id;
    const declare = async () => {
      const declared = ok(
        'CreateArtifactFiles',
        await t.gql(sdkDocument('CreateArtifactFiles'), {
          storageLayout: 'V2',
          artifactFiles: [{ artifactID: id, name: 'big.bin', md5, uploadPartsInput: parts }],
        }),
      ).createArtifactFiles as { files: { edges: { node: Upload }[] } };
      const upload = declared.files.edges[0]?.node;
      if (!upload?.uploadMultipartUrls || !upload.storagePath) throw new Error('no multipart upload');
      return { ...upload, multipart: upload.uploadMultipartUrls, storagePath: upload.storagePath };
    };
    // Declared before the manifest goes up, as the SDK does: the manifest gives the file its size.
    const upload = await declare();
    const manifest = ok(
      'CreateArtifactManifest',
      await t.gql(sdkDocument('CreateArtifactManifest'), {
        artifactID: id,
        name: 'wandb_manifest.json',
        digest: '',
        entityName: TEAM,
        projectName: PROJECT,
        runName: 'r',
        manifestType: 'FULL',
        includeUpload: true,
      }),
    ).createArtifactManifest as { artifactManifest: { file: { uploadUrl: string } } };
    expect((await putTo(t, manifest.artifactManifest.file.uploadUrl, manifestJson({ 'big.bin': bytes }))).status).toBe(200);
    return { id, upload, declare };
  }

  const complete = (id: string, storagePath: string, uploadID: string, completedParts: Part[], key?: string) =>
    t.gql(
      sdkDocument('CompleteMultipartUploadArtifact'),
      { completeMultipartAction: 'Complete', completedParts, artifactID: id, storagePath, uploadID },
      key ? { key } : {},
    );
  const commit = (id: string) => t.gql(sdkDocument('CommitArtifact'), { artifactID: id });
  const stateOf = async (id: string) =>
    (ok('state', await t.gql(`query ($id: ID!) { artifact(id: $id) { state } }`, { id })).artifact as { state: string }).state;

  async function downloaded(id: string): Promise<Buffer> {
    const res = await t.gql(`query ($id: ID!) { artifact(id: $id) { files { edges { node { name directUrl } } } } }`, { id });
    const files = (ok('files', res).artifact as { files: { edges: { node: { directUrl: string } }[] } }).files.edges;
    const got = await fetchFrom(t, files[0]?.node.directUrl ?? '');
    expect(got.status).toBe(200);
    return Buffer.from(await got.arrayBuffer());
  }

  it('uploads a file in parts (in any order, a part sent twice), joins them with the ETags the PUTs answered, and commits the same bytes', async () => {
    const bytes = randomBytes(size);
    const { bodies, parts } = split(bytes, partSize);
    expect(parts.length).toBeGreaterThan(1);
    const { id, upload } = await pending('joined', bytes, parts);
    expect(upload.multipart.uploadUrlParts.map((p) => p.partNumber)).toEqual(parts.map((p) => p.partNumber));
    const etags = new Map<number, string>();
    for (const i of [...bodies.keys()].reverse().concat([0])) {
      const res = await fetchFrom(t, upload.multipart.uploadUrlParts[i]?.uploadUrl ?? '', {
        method: 'PUT',
        body: new Uint8Array(bodies[i] ?? []),
        // As the web app sends each part: with its Content-MD5, which the presigned URL need not sign.
        headers: { 'content-md5': md5Base64(bodies[i] ?? Buffer.alloc(0)) },
      });
      expect(res.status).toBe(200);
      etags.set(i + 1, res.headers.get('etag') ?? '');
    }
    // As the SDK sends them: the ETags, quotes and all.
    const completedParts = parts.map((p) => ({ partNumber: p.partNumber, hexMD5: etags.get(p.partNumber) ?? '' }));
    expect(ok('complete', await complete(id, upload.storagePath, upload.multipart.uploadID, completedParts))).toEqual({
      completeMultipartUploadArtifact: { digest: md5Base64(bytes) },
    });
    ok('commit', await commit(id));
    expect(md5hex(await downloaded(id))).toBe(md5hex(bytes));
  });

  it('refuses to complete while a part is missing, and commits nothing; the missing part then completes it', async () => {
    const bytes = randomBytes(size);
    const { bodies, parts } = split(bytes, partSize);
    const { id, upload } = await pending('missing-part', bytes, parts);
    const urls = upload.multipart.uploadUrlParts;
    expect((await fetchFrom(t, urls[0]?.uploadUrl ?? '', { method: 'PUT', body: new Uint8Array(bodies[0] ?? []) })).status).toBe(200);
    // s3rver fails on a completion with a part missing (S3 answers InvalidPart, which the server
    // turns into BAD_USER_INPUT); there, the commit's refusal below is what is held.
    if (kind === 'local') {
      const refused = await complete(id, upload.storagePath, upload.multipart.uploadID, parts);
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(refused.errors?.[0]?.message).toMatch(/Part\(s\) 2, 3 of "big\.bin" are not uploaded/);
    }
    const early = await commit(id);
    expect(early.errors?.[0]?.message).toMatch(/not uploaded yet: "big\.bin"/);
    expect(await stateOf(id)).toBe('PENDING');
    for (const [i, url] of urls.entries()) {
      if (i === 0) continue;
      expect((await fetchFrom(t, url.uploadUrl, { method: 'PUT', body: new Uint8Array(bodies[i] ?? []) })).status).toBe(200);
    }
    ok('complete', await complete(id, upload.storagePath, upload.multipart.uploadID, parts));
    ok('commit', await commit(id));
    expect(md5hex(await downloaded(id))).toBe(md5hex(bytes));
  });

  it('refuses an unknown upload id and a storagePath of another version; nothing is committed', async () => {
    const bytes = randomBytes(size);
    const { bodies, parts } = split(bytes, partSize);
    const a = await pending('attack-a', bytes, parts);
    const b = await pending('attack-b', bytes, parts);
    for (const [i, url] of a.upload.multipart.uploadUrlParts.entries()) {
      expect((await fetchFrom(t, url.uploadUrl, { method: 'PUT', body: new Uint8Array(bodies[i] ?? []) })).status).toBe(200);
    }
    const unknown = await complete(a.id, a.upload.storagePath, `${'0'.repeat(31)}1`, parts);
    expect(unknown.errors?.[0]?.extensions?.code).toBe(kind === 'local' ? 'NOT_FOUND' : 'BAD_USER_INPUT');
    // The other version's upload, completed through this one.
    const crossed = await complete(b.id, a.upload.storagePath, a.upload.multipart.uploadID, parts);
    expect(crossed.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(crossed.errors?.[0]?.message).toMatch(/No upload of this version has this storagePath/);
    expect(await stateOf(a.id)).toBe('PENDING');
    expect(await stateOf(b.id)).toBe('PENDING');
    expect((await commit(b.id)).errors?.[0]?.message).toMatch(/not uploaded yet/);
  });

  it('answers a user who may not write the version as if it did not exist', async () => {
    const bytes = randomBytes(size);
    const { parts } = split(bytes, partSize);
    const { id, upload } = await pending('not-yours', bytes, parts);
    const res = await complete(id, upload.storagePath, upload.multipart.uploadID, parts, bob.key);
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(res.errors?.[0]?.message).toBe('Artifact not found.');
  });

  if (kind !== 'local') return;

  describe('the local store’s part URLs', () => {
    it('refuse a part number out of range, bytes that are not the declared part, and a Content-MD5 that is not it', async () => {
      const bytes = randomBytes(size);
      const { bodies, parts } = split(bytes, partSize);
      const { upload } = await pending('part-checks', bytes, parts);
      const url = upload.multipart.uploadUrlParts[0]?.uploadUrl ?? '';
      const beyond = url.replace(/\/1$/, `/${parts.length + 1}`);
      const out = await fetchFrom(t, beyond, { method: 'PUT', body: new Uint8Array(bodies[0] ?? []) });
      expect(out.status).toBe(400);
      expect(await out.text()).toMatch(new RegExp(`has no part ${parts.length + 1}`));
      const zero = await fetchFrom(t, url.replace(/\/1$/, '/0'), { method: 'PUT', body: new Uint8Array(bodies[0] ?? []) });
      expect(zero.status).toBe(400);
      const wrong = await fetchFrom(t, url, { method: 'PUT', body: new Uint8Array(bodies[1] ?? []) });
      expect(wrong.status).toBe(400);
      expect(((await wrong.json()) as { errors: { message: string }[] }).errors[0]?.message).toMatch(
        /Part 1 of "big\.bin" has MD5 .* but .* was declared/,
      );
      const header = await fetchFrom(t, url, {
        method: 'PUT',
        body: new Uint8Array(bodies[0] ?? []),
        headers: { 'content-md5': md5Base64(bodies[1] ?? Buffer.alloc(0)) },
      });
      expect(header.status).toBe(400);
      const right = await fetchFrom(t, url, {
        method: 'PUT',
        body: new Uint8Array(bodies[0] ?? []),
        headers: { 'content-md5': md5Base64(bodies[0] ?? Buffer.alloc(0)) },
      });
      expect(right.status).toBe(200);
      expect(right.headers.get('etag')).toBe(`"${parts[0]?.hexMD5}"`);
    });

    it('refuse a part URL made of another file’s token or another upload, and one of a file declared again', async () => {
      const bytes = randomBytes(size);
      const { bodies, parts } = split(bytes, partSize);
      const a = await pending('cross-a', bytes, parts);
      const b = await pending('cross-b', bytes, parts);
      const urlA = a.upload.multipart.uploadUrlParts[0]?.uploadUrl ?? '';
      // b's token with a's upload id.
      const tokenB = (b.upload.uploadUrl ?? '').split('/').at(-1) ?? '';
      const mixed = urlA.replace(/upload-part\/[^/]+\//, `upload-part/${tokenB}/`);
      const res = await fetchFrom(t, mixed, { method: 'PUT', body: new Uint8Array(bodies[0] ?? []) });
      expect(res.status).toBe(404);
      // Declared again: the earlier URLs are dead, and its parts are gone.
      const again = await a.declare();
      expect(again.multipart.uploadID).not.toBe(a.upload.multipart.uploadID);
      expect((await fetchFrom(t, urlA, { method: 'PUT', body: new Uint8Array(bodies[0] ?? []) })).status).toBe(404);
      const old = await complete(a.id, a.upload.storagePath, a.upload.multipart.uploadID, parts);
      expect(old.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });

    it('refuse parts that together exceed the largest file accepted', async () => {
      // 1 MiB is the test app's limit: two parts of 600 kB are more.
      const bytes = randomBytes(1200 * 1024);
      const { bodies, parts } = split(bytes, 600 * 1024);
      const { upload } = await pending('too-large', bytes, parts);
      const [first, second] = upload.multipart.uploadUrlParts;
      expect((await fetchFrom(t, first?.uploadUrl ?? '', { method: 'PUT', body: new Uint8Array(bodies[0] ?? []) })).status).toBe(200);
      expect((await fetchFrom(t, second?.uploadUrl ?? '', { method: 'PUT', body: new Uint8Array(bodies[1] ?? []) })).status).toBe(413);
    });

    it('refuse joined parts that are not the declared file, storing nothing', async () => {
      const bytes = randomBytes(size);
      const other = randomBytes(size);
      const { bodies, parts } = split(other, partSize);
      // The file is declared with the MD5 of `bytes`, its parts with those of `other`.
      const { id, upload } = await pending('wrong-whole', bytes, parts);
      for (const [i, url] of upload.multipart.uploadUrlParts.entries()) {
        expect((await fetchFrom(t, url.uploadUrl, { method: 'PUT', body: new Uint8Array(bodies[i] ?? []) })).status).toBe(200);
      }
      const res = await complete(id, upload.storagePath, upload.multipart.uploadID, parts);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toMatch(/joined parts of "big\.bin" have MD5 .* but .* was declared/);
      expect((await commit(id)).errors?.[0]?.message).toMatch(/not uploaded yet/);
    });

    it('are cleaned when the version is committed: its part files are gone and its part URLs refused', async () => {
      const bytes = randomBytes(size);
      const { bodies, parts } = split(bytes, partSize);
      const { id, upload } = await pending('cleaned', bytes, parts);
      const first = upload.multipart.uploadUrlParts[0]?.uploadUrl ?? '';
      expect((await fetchFrom(t, first, { method: 'PUT', body: new Uint8Array(bodies[0] ?? []) })).status).toBe(200);
      const versionDir = path.join(t.dataDir, 'blobs', 'multipart', String(artifactNumber(upload.storagePath)));
      expect(fs.readdirSync(versionDir)).toHaveLength(1);
      // The file comes whole after all: the unfinished upload is dropped with the commit.
      expect((await putTo(t, upload.uploadUrl ?? '', new Uint8Array(bytes))).status).toBe(200);
      ok('commit', await commit(id));
      expect(fs.existsSync(versionDir)).toBe(false);
      expect((await fetchFrom(t, first, { method: 'PUT', body: new Uint8Array(bodies[0] ?? []) })).status).toBe(404);
    });

    it('of a version left pending are removed at start once untouched for a week, not before', async () => {
      const bytes = randomBytes(size);
      const { bodies, parts } = split(bytes, partSize);
      const { upload } = await pending('abandoned', bytes, parts);
      const first = upload.multipart.uploadUrlParts[0]?.uploadUrl ?? '';
      expect((await fetchFrom(t, first, { method: 'PUT', body: new Uint8Array(bodies[0] ?? []) })).status).toBe(200);
      const uploadDir = path.join(t.dataDir, 'blobs', 'multipart', String(artifactNumber(upload.storagePath)), upload.multipart.uploadID);
      expect(await removeAbandonedUploads(t.dataDir)).toBe(0);
      expect(fs.existsSync(uploadDir)).toBe(true);
      // A week on: nothing was written since.
      expect(await removeAbandonedUploads(t.dataDir, new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(1);
      expect(fs.existsSync(uploadDir)).toBe(false);
      expect((await fetchFrom(t, first, { method: 'PUT', body: new Uint8Array(bodies[0] ?? []) })).status).toBe(404);
    });
  });
});

/** The version's number in an upload key `uploads/<n>/<token>`. */
function artifactNumber(storagePath: string): number {
  return Number(storagePath.split('/')[1]);
}
