import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type GraphQLResult, type TestApp } from '../support/app.js';
import { startS3, type TestS3 } from '../support/s3.js';
import { createTeam } from '../../seed/people.js';
import { artifactDigest, manifestJson, md5Base64, putTo } from '../../seed/sdk-logging.js';
import { sdkDocument } from '../../seed/sdk-operations.js';

// The SDK may declare a file again (createArtifactFiles for the same path) after the manifest went up,
// e.g. when it retries a batch. The file's size is the manifest's: declaring the same bytes again must
// not lose it, on either store (with S3 the bytes are only checked, against that size, at commit).

const TEAM = 'vision';
const PROJECT = 'again';

interface Declared {
  uploadUrl: string | null;
  uploadHeaders: string[];
}

function ok(step: string, res: GraphQLResult): Record<string, unknown> {
  if (res.errors?.length || !res.data) throw new Error(`${step}: ${res.errors?.map((e) => e.message).join('; ')}`);
  return res.data;
}

describe.each(['local', 's3'] as const)('a file declared again after the manifest, on the %s store', (kind) => {
  let t: TestApp;
  let s3: TestS3 | undefined;

  beforeAll(async () => {
    s3 = kind === 's3' ? await startS3() : undefined;
    t = await createTestApp(s3 ? { store: s3.store() } : {});
    await createTeam(t, { name: TEAM });
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await s3?.close();
  });

  const declare = async (artifactID: string, name: string, bytes: Uint8Array): Promise<Declared> => {
    const declared = ok(
      'CreateArtifactFiles',
      await t.gql(sdkDocument('CreateArtifactFiles'), {
        storageLayout: 'V2',
        artifactFiles: [{ artifactID, name, md5: md5Base64(bytes) }],
      }),
    ).createArtifactFiles as { files: { edges: { node: Declared }[] } };
    const node = declared.files.edges[0]?.node;
    if (!node) throw new Error('no file declared');
    return node;
  };

  /** PUTs the bytes where the declaration says, as the SDK does: only when it got an upload URL. */
  const upload = async (declared: Declared, bytes: Uint8Array) => {
    if (declared.uploadUrl) expect((await putTo(t, declared.uploadUrl, bytes, declared.uploadHeaders)).status).toBe(200);
  };

  const files = async (id: string) =>
    (
      ok('files', await t.gql(`query ($id: ID!) { artifact(id: $id) { files { edges { node { name sizeBytes directUrl } } } } }`, { id }))
        .artifact as { files: { edges: { node: { name: string; sizeBytes: number; directUrl: string | null } }[] } }
    ).files.edges.map((e) => e.node);

  it('keeps the size the manifest gave, commits, and serves the same bytes', async () => {
    const bytes = new Uint8Array(randomBytes(4321));
    const created = ok(
      'CreateArtifact',
      await t.gql(sdkDocument('CreateArtifact'), {
        input: {
          entityName: TEAM,
          projectName: PROJECT,
          artifactTypeName: 'model',
          artifactCollectionName: 'weights',
          digest: artifactDigest({ 'w.bin': md5Base64(bytes) }),
          clientID: randomBytes(8).toString('hex'),
          sequenceClientID: randomBytes(8).toString('hex'),
          enableDigestDeduplication: false,
        },
      }),
    ).createArtifact as { artifact: { id: string } };
    const id = created.artifact.id;

    await upload(await declare(id, 'w.bin', bytes), bytes);
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
    expect((await putTo(t, manifest.artifactManifest.file.uploadUrl, manifestJson({ 'w.bin': bytes }))).status).toBe(200);
    expect((await files(id)).map((f) => [f.name, f.sizeBytes])).toEqual([['w.bin', bytes.byteLength]]);

    // Declared again, the same bytes: the file still has the manifest's size.
    const again = await declare(id, 'w.bin', bytes);
    expect((await files(id)).map((f) => [f.name, f.sizeBytes])).toEqual([['w.bin', bytes.byteLength]]);
    await upload(again, bytes);

    ok('CommitArtifact', await t.gql(sdkDocument('CommitArtifact'), { artifactID: id }));
    const [file] = await files(id);
    expect(file?.sizeBytes).toBe(bytes.byteLength);
    const url = new URL(file?.directUrl ?? '');
    const got = url.pathname.startsWith('/files/') ? await t.request(url.pathname + url.search) : await fetch(url);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  });
});
