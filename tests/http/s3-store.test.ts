import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';
import { createUser } from '../support/users.js';
import { createRegistry, grantRegistryRole } from '../../seed/registries.js';
import { startS3, type TestS3 } from '../support/s3.js';
import { readConfig } from '../../server/config.js';
import { bucketOrigin, checkS3Access } from '../../server/storage/s3.js';
import { createTeam } from '../../seed/people.js';
import { CREATE_RUN_FILES } from '../../seed/runs.js';
import { artifactDigest, logArtifact, manifestJson, md5Base64, putTo } from '../../seed/sdk-logging.js';
import { sdkDocument } from '../../seed/sdk-operations.js';

// Files in S3-compatible storage (s3rver, started here): the SDK's uploads and downloads go straight
// to the bucket with presigned URLs; the commit checks every upload and keeps a copy no URL can write.

let s3: TestS3;
let t: TestApp;
const TEAM = 'vision';
const PROJECT = 'bucket-files';

type Json = Record<string, unknown>;

function ok(step: string, res: GraphQLResult): Json {
  if (res.errors?.length || !res.data) throw new Error(`${step}: ${res.errors?.map((e) => e.message).join('; ')}`);
  return res.data;
}

interface Upload {
  name: string;
  uploadUrl: string | null;
  uploadHeaders: string[];
  storagePath: string | null;
  uploadMultipartUrls: { uploadID: string; uploadUrlParts: { partNumber: number; uploadUrl: string }[] } | null;
}

interface Pending {
  id: string;
  uploads: Record<string, Upload>;
  /** PUTs the manifest (through the server, as always) and commits. */
  commit(): Promise<GraphQLResult>;
}

/**
 * The SDK's steps up to the file uploads: create the version, declare its files (with their parts
 * where given), upload the manifest. The files' bytes are left to the test.
 */
async function pending(
  app: TestApp,
  name: string,
  files: Record<string, Uint8Array>,
  parts: Record<string, { hexMD5: string; partNumber: number }[]> = {},
): Promise<Pending> {
  const digests = Object.fromEntries(Object.entries(files).map(([p, c]) => [p, md5Base64(c)]));
  const created = ok(
    'CreateArtifact',
    await app.gql(sdkDocument('CreateArtifact'), {
      input: {
        entityName: TEAM,
        projectName: PROJECT,
        artifactTypeName: 'model',
        artifactCollectionName: name,
        digest: artifactDigest(digests),
        clientID: randomBytes(8).toString('hex'),
        sequenceClientID: randomBytes(8).toString('hex'),
        enableDigestDeduplication: false,
      },
    }),
  ).createArtifact as { artifact: { id: string } };
  const id = created.artifact.id;
  const declared = ok(
    'CreateArtifactFiles',
    await app.gql(sdkDocument('CreateArtifactFiles'), {
      storageLayout: 'V2',
      artifactFiles: Object.keys(files).map((path) => ({
        artifactID: id,
        name: path,
        md5: digests[path],
        uploadPartsInput: parts[path] ?? null,
      })),
    }),
  ).createArtifactFiles as { files: { edges: { node: Omit<Upload, 'name'> }[] } };
  const uploads = Object.fromEntries(
    Object.keys(files).map((path, i) => [path, { name: path, ...(declared.files.edges[i]?.node as Omit<Upload, 'name'>) }]),
  );
  return {
    id,
    uploads,
    async commit() {
      const manifest = ok(
        'CreateArtifactManifest',
        await app.gql(sdkDocument('CreateArtifactManifest'), {
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
      expect((await putTo(app, manifest.artifactManifest.file.uploadUrl, manifestJson(files))).status).toBe(200);
      return app.gql(sdkDocument('CommitArtifact'), { artifactID: id });
    },
  };
}

async function put(upload: Upload | undefined, body: Uint8Array): Promise<Response> {
  if (!upload?.uploadUrl) throw new Error('no upload URL');
  return putTo(t, upload.uploadUrl, body, upload.uploadHeaders);
}

/** name → directUrl of a version's files. */
async function directUrls(app: TestApp, id: string): Promise<Record<string, string | null>> {
  const res = await app.gql(`query ($id: ID!) { artifact(id: $id) { state files { edges { node { name directUrl } } } } }`, { id });
  const artifact = ok('files', res).artifact as { files: { edges: { node: { name: string; directUrl: string | null } }[] } };
  return Object.fromEntries(artifact.files.edges.map(({ node }) => [node.name, node.directUrl]));
}

async function stateOf(id: string): Promise<string> {
  return (ok('state', await t.gql(`query ($id: ID!) { artifact(id: $id) { state } }`, { id })).artifact as { state: string }).state;
}

async function fetchBytes(url: string | null | undefined): Promise<{ status: number; body: Buffer; headers: Headers }> {
  if (!url) throw new Error('no URL');
  const res = await fetch(url);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

const md5hex = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

beforeAll(async () => {
  s3 = await startS3();
  t = await createTestApp({ store: s3.store() });
  await createTeam(t, { name: TEAM });
}, 60_000);
afterAll(async () => {
  await t.close();
  await s3.close();
});

describe('files in S3: presigned uploads and downloads', () => {
  it('logs a version with the SDK steps: each file PUT to the bucket with its signed MD5, downloaded from the bucket as an attachment', async () => {
    const weights = randomBytes(64 * 1024);
    const logged = await logArtifact(t, {
      entity: TEAM,
      project: PROJECT,
      name: 'direct',
      type: 'model',
      files: { 'weights.bin': weights, 'page.html': '<script>alert(1)</script>' },
      mimetypes: { 'page.html': 'text/html' },
    });
    const urls = await directUrls(t, logged.artifactId);
    expect(urls['weights.bin']?.startsWith(`${s3.endpoint}/registry-test/blobs/`)).toBe(true);
    const got = await fetchBytes(urls['weights.bin']);
    expect(got.status).toBe(200);
    expect(md5hex(got.body)).toBe(md5hex(weights));
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''weights.bin`);
    // Same rule as the server's own downloads: what a browser could run is plain bytes.
    const page = await fetchBytes(urls['page.html']);
    expect(page.headers.get('content-type')).toBe('application/octet-stream');
    expect(page.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''page.html`);
  });

  it('hands out an upload URL of the bucket, unique to the file, with Content-MD5 among the signed headers', async () => {
    const a = new Uint8Array(Buffer.from('same bytes'));
    const p = await pending(t, 'headers', { 'a.txt': a, 'b.txt': a });
    const ua = p.uploads['a.txt'];
    const ub = p.uploads['b.txt'];
    expect(ua?.uploadUrl?.startsWith(`${s3.endpoint}/registry-test/uploads/`)).toBe(true);
    expect(ua?.uploadUrl).not.toBe(ub?.uploadUrl);
    expect(ua?.uploadHeaders).toEqual([`Content-MD5:${md5Base64(a)}`]);
    expect(new URL(ua?.uploadUrl ?? '').searchParams.get('X-Amz-SignedHeaders')).toContain('content-md5');
    expect(ua?.storagePath).toMatch(/^uploads\/\d+\//);
    expect(ua?.uploadMultipartUrls).toBeNull();
    // One upload serves both files of the same content.
    expect((await put(ua, a)).status).toBe(200);
    ok('commit', await p.commit());
    const urls = await directUrls(t, p.id);
    expect((await fetchBytes(urls['b.txt'])).body.toString()).toBe('same bytes');
  });

  it('refuses the commit when an upload is not the declared bytes, naming the file; the right bytes then commit', async () => {
    const right = new Uint8Array(randomBytes(1000));
    const p = await pending(t, 'wrong-md5', { 'model.bin': right });
    // s3rver takes any body (real S3 would refuse it for the signed Content-MD5); the commit does not.
    expect((await put(p.uploads['model.bin'], new Uint8Array(randomBytes(1000)))).status).toBe(200);
    const refused = await p.commit();
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.message).toMatch(/"model\.bin" has MD5 .* but .* was declared/);
    expect(await stateOf(p.id)).toBe('PENDING');
    expect((await put(p.uploads['model.bin'], right)).status).toBe(200);
    ok('commit', await t.gql(sdkDocument('CommitArtifact'), { artifactID: p.id }));
    expect(await stateOf(p.id)).toBe('COMMITTED');
  });

  it('refuses the commit while a file is missing, naming it', async () => {
    const a = new Uint8Array(Buffer.from('present'));
    const b = new Uint8Array(Buffer.from('missing'));
    const p = await pending(t, 'missing', { 'a.txt': a, 'b.txt': b });
    expect((await put(p.uploads['a.txt'], a)).status).toBe(200);
    const refused = await p.commit();
    expect(refused.errors?.[0]?.message).toMatch(/1 file\(s\) are not uploaded yet: "b\.txt"/);
    expect(await stateOf(p.id)).toBe('PENDING');
    expect((await put(p.uploads['b.txt'], b)).status).toBe(200);
    ok('commit', await t.gql(sdkDocument('CommitArtifact'), { artifactID: p.id }));
    const urls = await directUrls(t, p.id);
    expect((await fetchBytes(urls['a.txt'])).body.toString()).toBe('present');
    expect((await fetchBytes(urls['b.txt'])).body.toString()).toBe('missing');
  });

  it('keeps committed bytes: a PUT to the old upload URL only writes an orphan', async () => {
    const original = new Uint8Array(Buffer.from('original bytes'));
    const p = await pending(t, 'immutable', { 'f.txt': original });
    expect((await put(p.uploads['f.txt'], original)).status).toBe(200);
    ok('commit', await p.commit());
    // Still within its lifetime, the URL works at the bucket; it writes to the upload key, which nothing serves.
    expect((await put(p.uploads['f.txt'], new Uint8Array(Buffer.from('replaced!!!!!!')))).status).toBe(200);
    const urls = await directUrls(t, p.id);
    expect((await fetchBytes(urls['f.txt'])).body.toString()).toBe('original bytes');
    // The version no longer hands out upload URLs.
    const again = ok(
      'files',
      await t.gql(`query ($id: ID!) { artifact(id: $id) { files { edges { node { uploadUrl uploadHeaders } } } } }`, { id: p.id }),
    ).artifact as { files: { edges: { node: { uploadUrl: string | null; uploadHeaders: string[] } }[] } };
    expect(again.files.edges[0]?.node).toEqual({ uploadUrl: null, uploadHeaders: [] });
  });

  it('reuses committed bytes for the same content without an upload', async () => {
    const bytes = new Uint8Array(randomBytes(2048));
    await logArtifact(t, { entity: TEAM, project: PROJECT, name: 'reuse', type: 'model', files: { 'w.bin': bytes } });
    const p = await pending(t, 'reuse', { 'w.bin': bytes });
    expect(p.uploads['w.bin']?.uploadUrl).toBeNull();
    ok('commit', await p.commit());
    expect(md5hex((await fetchBytes((await directUrls(t, p.id))['w.bin'])).body)).toBe(md5hex(bytes));
  });

  it('uploads a file in two parts straight to the bucket (CreateArtifactFiles with uploadPartsInput, CompleteMultipartUploadArtifact)', async () => {
    const first = randomBytes(5 * 1024 * 1024);
    const second = randomBytes(1234);
    const whole = new Uint8Array(Buffer.concat([first, second]));
    const parts = [
      { partNumber: 1, hexMD5: md5hex(first) },
      { partNumber: 2, hexMD5: md5hex(second) },
    ];
    const p = await pending(t, 'multipart', { 'big.bin': whole }, { 'big.bin': parts });
    const upload = p.uploads['big.bin'];
    const multipart = upload?.uploadMultipartUrls;
    expect(multipart?.uploadUrlParts.map((u) => u.partNumber)).toEqual([1, 2]);
    const etags: string[] = [];
    for (const [i, body] of [first, second].entries()) {
      const res = await fetch(multipart?.uploadUrlParts[i]?.uploadUrl ?? '', { method: 'PUT', body: new Uint8Array(body) });
      expect(res.status).toBe(200);
      etags.push(res.headers.get('etag') ?? '');
    }
    const completed = await t.gql(sdkDocument('CompleteMultipartUploadArtifact'), {
      completeMultipartAction: 'Complete',
      // As the SDK sends them: the ETags the parts' PUTs answered.
      completedParts: etags.map((hexMD5, i) => ({ hexMD5, partNumber: i + 1 })),
      artifactID: p.id,
      storagePath: upload?.storagePath,
      uploadID: multipart?.uploadID,
    });
    expect(ok('complete', completed).completeMultipartUploadArtifact).toEqual({ digest: md5Base64(whole) });
    ok('commit', await p.commit());
    const got = await fetchBytes((await directUrls(t, p.id))['big.bin']);
    expect(got.body.byteLength).toBe(whole.byteLength);
    expect(md5hex(got.body)).toBe(md5hex(whole));
  });

  it('refuses to complete a multipart upload of a path that is not one of the version’s uploads', async () => {
    const p = await pending(t, 'multipart-bad', { 'x.bin': new Uint8Array([1]) });
    const res = await t.gql(sdkDocument('CompleteMultipartUploadArtifact'), {
      completeMultipartAction: 'Complete',
      completedParts: [{ hexMD5: md5hex(new Uint8Array([1])), partNumber: 1 }],
      artifactID: p.id,
      storagePath: 'uploads/1/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      uploadID: 'nope',
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses parts that are not numbered 1 to n with an MD5 each', async () => {
    const bytes = new Uint8Array([1, 2]);
    await expect(pending(t, 'parts-bad', { 'x.bin': bytes }, { 'x.bin': [{ partNumber: 2, hexMD5: md5hex(bytes) }] })).rejects.toThrow(
      /The parts of "x\.bin" must be numbered 1 to n/,
    );
  });

  it('keeps what comes through the server in the bucket too: run files, and a PUT to the server’s own upload route', async () => {
    ok('UpsertBucket', await t.gql(sdkDocument('UpsertBucket'), { name: 'r1', project: PROJECT, entity: TEAM, jobType: 'train' }));
    const urls = await t.gql(CREATE_RUN_FILES, { entity: TEAM, project: PROJECT, run: 'r1', files: ['config.yaml'] });
    const file = (urls.data?.createRunFiles as { files: { uploadUrl: string }[] }).files[0];
    expect((await putTo(t, file?.uploadUrl ?? '', 'lr: 0.1')).status).toBe(200);
    const read = await t.gql(
      `{ project(name: "${PROJECT}", entityName: "${TEAM}") { run(name: "r1") { files { edges { node { url } } } } } }`,
    );
    const runFileUrl = new URL(
      (read.data?.project as { run: { files: { edges: { node: { url: string } }[] } } }).run.files.edges[0]?.node.url ?? '',
    );
    expect(await (await t.request(runFileUrl.pathname + runFileUrl.search)).text()).toBe('lr: 0.1');

    const bytes = new Uint8Array(Buffer.from('through the server'));
    const p = await pending(t, 'through-server', { 't.bin': bytes });
    const token = p.uploads['t.bin']?.storagePath?.split('/').at(-1);
    expect((await t.request(`/files/upload/${token}`, { method: 'PUT', body: bytes })).status).toBe(200);
    ok('commit', await p.commit());
    expect((await fetchBytes((await directUrls(t, p.id))['t.bin'])).body.toString()).toBe('through the server');
  });

  it('signs bucket downloads only for those who may download: a registry’s restricted viewer gets none', async () => {
    const rv = await createUser(t, { username: 'rv' });
    const vw = await createUser(t, { username: 'vw' });
    await createRegistry(t, { name: 'vault', restricted: true, types: ['model'] });
    await grantRegistryRole(t, { registry: 'vault', username: rv.username, role: 'restricted_viewer' });
    await grantRegistryRole(t, { registry: 'vault', username: vw.username, role: 'viewer' });
    const bytes = new Uint8Array(randomBytes(100));
    const logged = await logArtifact(t, { entity: TEAM, project: PROJECT, name: 'vaulted', type: 'model', files: { 'v.bin': bytes } });
    ok(
      'link',
      await t.gql(sdkDocument('LinkArtifact'), {
        input: {
          artifactID: logged.artifactId,
          artifactPortfolioName: 'vaulted',
          entityName: ORG,
          projectName: 'wandb-registry-vault',
          aliases: [],
        },
      }),
    );
    const query = `{ project(name: "wandb-registry-vault", entityName: "${ORG}") { artifactCollectionMembership(name: "vaulted:v0") { files { edges { node { directUrl } } } } } }`;
    const urlFor = async (key: string) =>
      (
        ok('files', await t.gql(query, {}, { key })).project as {
          artifactCollectionMembership: { files: { edges: { node: { directUrl: string | null } }[] } };
        }
      ).artifactCollectionMembership.files.edges[0]?.node.directUrl;
    expect(await urlFor(rv.key)).toBeNull();
    const url = await urlFor(vw.key);
    expect(url?.startsWith(`${s3.endpoint}/registry-test/blobs/`)).toBe(true);
    expect(md5hex((await fetchBytes(url)).body)).toBe(md5hex(bytes));
  });

  it('is ready while the bucket answers (/readyz checks it with HeadBucket)', async () => {
    const res = await t.request('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ checks: { blobs: 'ok' } });
  });
});

describe('files in S3: expiry and readiness', () => {
  let short: TestApp;
  beforeAll(async () => {
    short = await createTestApp({ store: s3.store({ uploadTtlSeconds: 3, downloadTtlSeconds: 3 }) });
    await createTeam(short, { name: TEAM });
  }, 60_000);
  afterAll(() => short.close());

  it('refuses an expired upload URL and an expired download URL', async () => {
    const bytes = new Uint8Array(Buffer.from('soon gone'));
    const p = await pending(short, 'expiring', { 'e.txt': bytes });
    const upload = p.uploads['e.txt'];
    expect((await putTo(short, upload?.uploadUrl ?? '', bytes, upload?.uploadHeaders)).status).toBe(200);
    ok('commit', await p.commit());
    const url = (await directUrls(short, p.id))['e.txt'];
    expect((await fetchBytes(url)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect((await putTo(short, upload?.uploadUrl ?? '', bytes, upload?.uploadHeaders)).status).toBe(403);
    expect((await fetchBytes(url)).status).toBe(403);
  });

  it('is not ready when the bucket does not answer', async () => {
    const missing = await createTestApp({ store: s3.store({ bucket: 'no-such-bucket' }) });
    try {
      const res = await missing.request('/readyz');
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ checks: { blobs: 'unavailable' } });
    } finally {
      await missing.close();
    }
  });
});

describe('S3 configuration', () => {
  it('reads S3_BUCKET, S3_ENDPOINT, S3_REGION and S3_FORCE_PATH_STYLE, and is off without S3_BUCKET', () => {
    expect(readConfig({}).s3).toBeUndefined();
    expect(readConfig({ S3_BUCKET: 'models' }).s3).toEqual({
      bucket: 'models',
      endpoint: undefined,
      region: 'us-east-1',
      forcePathStyle: false,
    });
    expect(
      readConfig({ S3_BUCKET: 'models', S3_ENDPOINT: 'http://minio:9000', S3_REGION: 'eu-west-3', S3_FORCE_PATH_STYLE: 'TRUE' }).s3,
    ).toEqual({ bucket: 'models', endpoint: 'http://minio:9000', region: 'eu-west-3', forcePathStyle: true });
  });

  it('refuses settings that cannot work, saying what to write', () => {
    expect(() => readConfig({ S3_ENDPOINT: 'http://minio:9000' })).toThrow(/S3_ENDPOINT set without S3_BUCKET/);
    expect(() => readConfig({ S3_BUCKET: 'My_Bucket' })).toThrow(/S3_BUCKET must be a bucket name/);
    expect(() => readConfig({ S3_BUCKET: 'models', S3_ENDPOINT: 'minio:9000/x' })).toThrow(/S3_ENDPOINT must be the service's URL/);
    expect(() => readConfig({ S3_BUCKET: 'models', S3_ENDPOINT: 'http://minio:9000/bucket' })).toThrow(/no path/);
    expect(() => readConfig({ S3_BUCKET: 'models', S3_FORCE_PATH_STYLE: 'yes' })).toThrow(/"true" or "false"/);
    expect(() => readConfig({ S3_BUCKET: 'models', S3_REGION: 'Europe West' })).toThrow(/S3_REGION/);
  });

  it('checks at start that the bucket exists and the credentials may use it', async () => {
    const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
    await expect(checkS3Access(s3.config, { credentials })).resolves.toBeNull();
    await expect(checkS3Access({ ...s3.config, bucket: 'no-such-bucket' }, { credentials })).rejects.toThrow(/does not exist/);
    await expect(checkS3Access(s3.config, { credentials: { accessKeyId: 'NOBODY', secretAccessKey: 'wrong' } })).rejects.toThrow(
      /may not use/,
    );
    // Nothing answering is no configuration error: the server starts, /readyz says unavailable.
    await expect(checkS3Access({ ...s3.config, endpoint: 'http://127.0.0.1:9' }, { credentials })).resolves.toMatch(/did not answer/);
  });
});

describe('S3 from the browser', () => {
  it('lets the app’s pages connect to the bucket, where presigned URLs point, and nowhere else', async () => {
    const csp = (await t.request('/')).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' ${s3.endpoint};`);
    expect(bucketOrigin({ bucket: 'models', endpoint: undefined, region: 'eu-west-3', forcePathStyle: false })).toBe(
      'https://models.s3.eu-west-3.amazonaws.com',
    );
    expect(bucketOrigin({ bucket: 'models', endpoint: 'https://minio.example.com:9000', region: 'us-east-1', forcePathStyle: true })).toBe(
      'https://minio.example.com:9000',
    );
    const store = s3.store({ bucket: 'models' }).direct;
    const url = new URL((await store?.uploadUrl('uploads/1/x', md5Base64('x')))?.url ?? '');
    expect(url.origin).toBe(store?.origin);
  });
});
