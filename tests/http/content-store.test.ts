import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';

import { createUser, type TestUser } from '../support/users.js';
import { createTeam } from '../../seed/people.js';
import { createRegistry, grantRegistryRole } from '../../seed/registries.js';
import { artifactDigest, logArtifact, md5Base64, putTo } from '../../seed/sdk-logging.js';
import { sdkDocument } from '../../seed/sdk-operations.js';

// Stored content is keyed by the SHA-256 the server computes; knowing an MD5 buys nothing, and a
// committed version's bytes never change. Both attacks are replayed with the SDK's own documents.

// Wang and Yu's MD5 collision: two 128-byte blocks, different bytes, one MD5.
const COLLISION_A = Buffer.from(
  'd131dd02c5e6eec4693d9a0698aff95c2fcab58712467eab4004583eb8fb7f8955ad340609f4b30283e488832571415a085125e8f7cdc99fd91dbdf280373c5b' +
    'd8823e3156348f5bae6dacd436c919c6dd53e2b487da03fd02396306d248cda0e99f33420f577ee8ce54b67080a80d1ec69821bcb6a8839396f9652b6ff72a70',
  'hex',
);
const COLLISION_B = Buffer.from(
  'd131dd02c5e6eec4693d9a0698aff95c2fcab50712467eab4004583eb8fb7f8955ad340609f4b30283e4888325f1415a085125e8f7cdc99fd91dbd7280373c5b' +
    'd8823e3156348f5bae6dacd436c919c6dd53e23487da03fd02396306d248cda0e99f33420f577ee8ce54b67080280d1ec69821bcb6a8839396f965ab6ff72a70',
  'hex',
);

let t: TestApp;
let alice: TestUser; // team "vision"
let rv: TestUser; // restricted_viewer of registry "vault"
let vw: TestUser; // viewer of registry "vault"
let outsider: TestUser; // nothing
const secret = randomBytes(4096);
let secretVersion = '';

type Json = Record<string, unknown>;

function ok(step: string, res: GraphQLResult): Json {
  if (res.errors?.length || !res.data) throw new Error(`${step}: ${res.errors?.map((e) => e.message).join('; ')}`);
  return res.data;
}

function link(artifactID: string, registry: string, collection: string) {
  return t.gql(sdkDocument('LinkArtifact'), {
    input: { artifactID, artifactPortfolioName: collection, entityName: ORG, projectName: `wandb-registry-${registry}`, aliases: [] },
  });
}

/** name → { md5, directUrl } of a version's files, as `key` sees them. */
async function filesOf(id: string, key: string): Promise<Record<string, { md5: string | null; directUrl: string | null }>> {
  const res = await t.gql(`query ($id: ID!) { artifact(id: $id) { files { edges { node { name md5 directUrl } } } } }`, { id }, { key });
  const edges =
    (ok('files', res).artifact as { files: { edges: { node: { name: string; md5: string | null; directUrl: string | null } }[] } } | null)
      ?.files.edges ?? [];
  return Object.fromEntries(edges.map(({ node }) => [node.name, { md5: node.md5, directUrl: node.directUrl }]));
}

async function download(url: string | null | undefined): Promise<Buffer> {
  if (!url) throw new Error('no download URL');
  const { pathname, search } = new URL(url);
  const res = await t.request(pathname + search);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/**
 * The SDK's steps for a pending version of one file known only by its MD5 and size: create, declare
 * the file (its uploadUrl is returned), PUT the manifest. No file bytes are sent.
 */
async function declare(key: string, entity: string, project: string, name: string, md5: string, size: number) {
  const digest = artifactDigest({ 'x.bin': md5 });
  const created = ok(
    'CreateArtifact',
    await t.gql(
      sdkDocument('CreateArtifact'),
      {
        input: {
          entityName: entity,
          projectName: project,
          artifactTypeName: 'model',
          artifactCollectionName: name,
          digest,
          clientID: randomBytes(8).toString('hex'),
          sequenceClientID: randomBytes(8).toString('hex'),
          enableDigestDeduplication: false,
        },
      },
      { key },
    ),
  ).createArtifact as { artifact: { id: string } };
  const id = created.artifact.id;
  const files = ok(
    'CreateArtifactFiles',
    await t.gql(
      sdkDocument('CreateArtifactFiles'),
      { storageLayout: 'V2', artifactFiles: [{ artifactID: id, name: 'x.bin', md5 }] },
      { key },
    ),
  ).createArtifactFiles as { files: { edges: { node: { uploadUrl: string | null } }[] } };
  const uploadUrl = files.files.edges[0]?.node.uploadUrl ?? null;
  const manifest = ok(
    'CreateArtifactManifest',
    await t.gql(
      sdkDocument('CreateArtifactManifest'),
      {
        artifactID: id,
        name: 'wandb_manifest.json',
        digest: '',
        entityName: entity,
        projectName: project,
        runName: 'r',
        manifestType: 'FULL',
        includeUpload: true,
      },
      { key },
    ),
  ).createArtifactManifest as { artifactManifest: { file: { uploadUrl: string } } };
  const body = JSON.stringify({
    version: 1,
    storagePolicy: 'wandb-storage-policy-v1',
    storagePolicyConfig: {},
    contents: { 'x.bin': { digest: md5, size } },
  });
  expect((await putTo(t, manifest.artifactManifest.file.uploadUrl, body)).status).toBe(200);
  return { id, uploadUrl, commit: () => t.gql(sdkDocument('CommitArtifact'), { artifactID: id }, { key }) };
}

beforeAll(async () => {
  t = await createTestApp();
  alice = await createUser(t, { username: 'alice' });
  rv = await createUser(t, { username: 'rv' });
  vw = await createUser(t, { username: 'vw' });
  outsider = await createUser(t, { username: 'outsider' });
  await createTeam(t, { name: 'vision', members: [alice] });
  const vault = await createRegistry(t, { name: 'vault', restricted: true, types: ['model'] });
  await grantRegistryRole(t, { registry: vault.name, username: rv.username, role: 'restricted_viewer' });
  await grantRegistryRole(t, { registry: vault.name, username: vw.username, role: 'viewer' });
  secretVersion = (
    await logArtifact(t, {
      entity: 'vision',
      project: 'private',
      name: 'weights',
      type: 'model',
      files: { 'x.bin': secret },
      key: alice.key,
    })
  ).artifactId;
  ok('link', await link(secretVersion, 'vault', 'weights'));
});
afterAll(() => t.close());

describe('knowing an MD5 is not enough to get the bytes', () => {
  it('a restricted viewer who read the MD5 gets an upload URL, cannot commit without the bytes, and downloads nothing', async () => {
    const seen = (await filesOf(secretVersion, rv.key))['x.bin'];
    expect(seen).toEqual({ md5: md5Base64(secret), directUrl: null });
    const claim = await declare(rv.key, 'rv', 'mine', 'stolen', String(seen?.md5), secret.byteLength);
    expect(claim.uploadUrl).toMatch(/\/files\/upload\//);
    const commit = await claim.commit();
    expect(commit.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(commit.errors?.[0]?.message).toMatch(/not uploaded yet: "x\.bin"/);
    expect((await filesOf(claim.id, rv.key))['x.bin']?.directUrl).toBeNull();
  });

  it('someone who cannot see the version at all gets an upload URL too', async () => {
    const claim = await declare(outsider.key, 'outsider', 'mine', 'guess', md5Base64(secret), secret.byteLength);
    expect(claim.uploadUrl).toMatch(/\/files\/upload\//);
    expect((await claim.commit()).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a registry viewer, who may download the version, reuses its bytes without uploading them', async () => {
    expect(await download((await filesOf(secretVersion, vw.key))['x.bin']?.directUrl)).toEqual(secret);
    const copy = await declare(vw.key, 'vw', 'mine', 'copy', md5Base64(secret), secret.byteLength);
    expect(copy.uploadUrl).toBeNull();
    expect((await copy.commit()).errors).toBeUndefined();
    expect(await download((await filesOf(copy.id, vw.key))['x.bin']?.directUrl)).toEqual(secret);
  });

  it('a manifest declaring another size than the reused content is not bound to it', async () => {
    const wrongSize = await declare(vw.key, 'vw', 'mine', 'resized', md5Base64(secret), secret.byteLength + 1);
    expect(wrongSize.uploadUrl).toBeNull();
    expect((await wrongSize.commit()).errors?.[0]?.message).toMatch(/not uploaded yet: "x\.bin"/);
  });
});

describe('a committed version keeps its bytes', () => {
  it('the collision pair: two contents, one MD5', () => {
    expect(md5Base64(COLLISION_A)).toBe(md5Base64(COLLISION_B));
    expect(COLLISION_A.equals(COLLISION_B)).toBe(false);
  });

  it('a colliding file PUT to a second pending version does not replace the linked version’s bytes', async () => {
    const md5 = md5Base64(COLLISION_A);
    const first = await declare(alice.key, 'vision', 'collide', 'pair', md5, COLLISION_A.byteLength);
    const second = await declare(alice.key, 'vision', 'collide', 'pair', md5, COLLISION_B.byteLength);
    expect(first.uploadUrl).toMatch(/\/files\/upload\//);
    expect(second.uploadUrl).toMatch(/\/files\/upload\//);

    expect((await putTo(t, String(first.uploadUrl), COLLISION_A)).status).toBe(200);
    expect((await first.commit()).errors).toBeUndefined();
    ok('link', await link(first.id, 'model', 'pair'));
    const linked = await t.gql(sdkDocument('ArtifactMembershipByName'), {
      entity: ORG,
      project: 'wandb-registry-model',
      name: 'pair:v0',
      includeAliases: false,
    });
    const linkedId = (ok('linked', linked).project as { artifactCollectionMembership: { artifact: { id: string } } })
      .artifactCollectionMembership.artifact.id;
    expect(linkedId).toBe(first.id);

    // The second version's own URL still takes its own file, which is stored beside the first.
    expect((await putTo(t, String(second.uploadUrl), COLLISION_B)).status).toBe(200);
    expect(await download((await filesOf(first.id, alice.key))['x.bin']?.directUrl)).toEqual(COLLISION_A);
    expect((await second.commit()).errors).toBeUndefined();
    expect(await download((await filesOf(second.id, alice.key))['x.bin']?.directUrl)).toEqual(COLLISION_B);

    // Used URLs never work again, before or after commit; nothing changes.
    for (const [url, body] of [
      [first.uploadUrl, COLLISION_B],
      [second.uploadUrl, COLLISION_A],
    ] as const) {
      const again = await putTo(t, String(url), body);
      expect(again.status).toBe(404);
      expect(await again.text()).toMatch(/unknown, already used, or its version is committed/);
    }
    expect(await download((await filesOf(first.id, alice.key))['x.bin']?.directUrl)).toEqual(COLLISION_A);
    expect(await download((await filesOf(second.id, alice.key))['x.bin']?.directUrl)).toEqual(COLLISION_B);
  });

  it('an upload URL never used before its version was committed does not work after it', async () => {
    const content = randomBytes(100);
    const md5 = md5Base64(content);
    const waiting = await declare(alice.key, 'vision', 'late', 'a', md5, content.byteLength);
    expect(waiting.uploadUrl).toMatch(/\/files\/upload\//);
    // Another version of the same uploader stores the content; the commit of the first reuses it.
    await logArtifact(t, { entity: 'vision', project: 'late', name: 'b', type: 'model', files: { 'x.bin': content }, key: alice.key });
    expect((await waiting.commit()).errors).toBeUndefined();
    const late = await putTo(t, String(waiting.uploadUrl), content);
    expect(late.status).toBe(404);
    expect(await download((await filesOf(waiting.id, alice.key))['x.bin']?.directUrl)).toEqual(content);
  });

  it('an upload still streaming when its version is committed is refused (409) and changes nothing', async () => {
    const content = randomBytes(200);
    const md5 = md5Base64(content);
    const racing = await declare(alice.key, 'vision', 'race', 'a', md5, content.byteLength);
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(content.subarray(0, 100));
        await gate;
        controller.enqueue(content.subarray(100));
        controller.close();
      },
    });
    const { pathname } = new URL(String(racing.uploadUrl));
    const put = t.request(pathname, { method: 'PUT', body, duplex: 'half' } as RequestInit);
    // Meanwhile the same bytes arrive through another version, and the racing one commits by reusing them.
    await logArtifact(t, { entity: 'vision', project: 'race', name: 'b', type: 'model', files: { 'x.bin': content }, key: alice.key });
    expect((await racing.commit()).errors).toBeUndefined();
    release();
    const res = await put;
    expect(res.status).toBe(409);
    expect(await res.text()).toMatch(/committed/);
    expect(await download((await filesOf(racing.id, alice.key))['x.bin']?.directUrl)).toEqual(content);
  });

  it('the database refuses to rebind a committed file to other content', async () => {
    const file = await t.db
      .selectFrom('artifact_files as f')
      .innerJoin('artifacts as a', 'a.id', 'f.artifact_id')
      .select(['f.id', 'f.sha256'])
      .where('a.state', '=', 'COMMITTED')
      .where('f.sha256', 'is not', null)
      .executeTakeFirstOrThrow();
    const other = createHash('sha256').update('other').digest('hex');
    await expect(t.db.updateTable('artifact_files').set({ sha256: other }).where('id', '=', file.id).execute()).rejects.toThrow(
      /cannot change/,
    );
    const after = await t.db.selectFrom('artifact_files').select('sha256').where('id', '=', file.id).executeTakeFirstOrThrow();
    expect(after.sha256).toBe(file.sha256);
  });

  it('uploads land under DATA_DIR/blobs/<aa>/<sha256>', async () => {
    for (const content of [COLLISION_A, COLLISION_B, secret]) {
      const hex = createHash('sha256').update(content).digest('hex');
      expect(fs.readFileSync(path.join(t.dataDir, 'blobs', hex.slice(0, 2), hex))).toEqual(content);
    }
  });
});
