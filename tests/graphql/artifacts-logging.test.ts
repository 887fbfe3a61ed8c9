import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type GraphQLResult, type TestApp } from '../support/app.js';

import { createUser, type TestUser } from '../support/users.js';
import { createTeam } from '../../seed/people.js';
import { artifactDigest, logArtifact, manifestJson, md5Base64, putTo } from '../../seed/sdk-logging.js';
import { sdkDocument } from '../../seed/sdk-operations.js';

let t: TestApp;
let alice: TestUser; // member of team "vision"
let bob: TestUser; // in no team

beforeAll(async () => {
  t = await createTestApp();
  alice = await createUser(t, { username: 'alice' });
  bob = await createUser(t, { username: 'bob' });
  await createTeam(t, { name: 'vision', members: [alice] });
});
afterAll(() => t.close());

function code(res: GraphQLResult): string | undefined {
  return res.errors?.[0]?.extensions?.code;
}

/** The CreateArtifact input the SDK sends, with overrides. */
function createInput(overrides: Record<string, unknown> = {}) {
  return {
    entityName: 'vision',
    projectName: 'detect',
    runName: 'run1',
    artifactTypeName: 'model',
    artifactCollectionName: 'yolo',
    artifactCollectionNames: ['yolo'],
    digest: artifactDigest({ 'w.bin': md5Base64('weights') }),
    digestAlgorithm: 'MANIFEST_MD5',
    description: null,
    labels: null,
    metadata: '{"epochs": 3}',
    aliases: [],
    clientID: 'client-1',
    sequenceClientID: 'seq-1',
    enableDigestDeduplication: false,
    historyStep: null,
    distributedID: null,
    ttlDurationSeconds: null,
    ...overrides,
  };
}

describe('the SDK logging sequence, step by step with the verbatim documents', () => {
  let artifactId = '';
  let manifestId = '';

  it('UpsertBucket creates the run and its team project, then updates it', async () => {
    const vars = { name: 'run1', project: 'detect', entity: 'vision', jobType: 'train', displayName: 'first run' };
    const res = await t.gql(sdkDocument('UpsertBucket'), vars, { key: alice.key });
    expect(res.errors).toBeUndefined();
    expect(res.data?.upsertBucket).toMatchObject({
      inserted: true,
      bucket: { name: 'run1', displayName: 'first run', project: { name: 'detect', entity: { name: 'vision' } } },
    });
    const again = await t.gql(sdkDocument('UpsertBucket'), vars, { key: alice.key });
    expect(again.data?.upsertBucket).toMatchObject({ inserted: false, bucket: { name: 'run1' } });
  });

  it('CreateArtifact starts a PENDING version with no latest yet', async () => {
    const res = await t.gql(
      sdkDocument('CreateArtifact'),
      { input: createInput({ aliases: [{ alias: 'best', artifactCollectionName: 'yolo' }] }) },
      { key: alice.key },
    );
    expect(res.errors).toBeUndefined();
    const artifact = (res.data?.createArtifact as { artifact: { id: string; state: string; artifactSequence: unknown } }).artifact;
    expect(artifact.state).toBe('PENDING');
    expect(artifact.artifactSequence).toEqual({ latestArtifact: null });
    artifactId = artifact.id;
  });

  it('CreateArtifactManifest hands out a manifest id (upload URL only when asked)', async () => {
    const res = await t.gql(
      sdkDocument('CreateArtifactManifest'),
      {
        artifactID: artifactId,
        baseArtifactID: null,
        name: 'wandb_manifest.json',
        digest: 'x',
        entityName: 'vision',
        projectName: 'detect',
        runName: 'run1',
        manifestType: 'FULL',
        includeUpload: false,
      },
      { key: alice.key },
    );
    expect(res.errors).toBeUndefined();
    const manifest = (res.data?.createArtifactManifest as { artifactManifest: { id: string; file: Record<string, unknown> } })
      .artifactManifest;
    expect(manifest.file).not.toHaveProperty('uploadUrl');
    manifestId = manifest.id;
  });

  it('commit before the manifest is uploaded is refused', async () => {
    const res = await t.gql(sdkDocument('CommitArtifact'), { artifactID: artifactId }, { key: alice.key });
    expect(code(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/manifest/);
  });

  let uploadUrl = '';
  it('CreateArtifactFiles gives an upload URL per file not yet stored', async () => {
    const res = await t.gql(
      sdkDocument('CreateArtifactFiles'),
      {
        storageLayout: 'V2',
        artifactFiles: [
          {
            artifactID: artifactId,
            artifactManifestID: manifestId,
            name: 'w.bin',
            md5: md5Base64('weights'),
            mimetype: null,
            uploadPartsInput: null,
          },
        ],
      },
      { key: alice.key },
    );
    expect(res.errors).toBeUndefined();
    const node = (res.data?.createArtifactFiles as { files: { edges: { node: Record<string, unknown> }[] } }).files.edges[0]?.node;
    expect(node).toMatchObject({ uploadHeaders: [], uploadMultipartUrls: null, artifact: { id: artifactId } });
    uploadUrl = String(node?.uploadUrl);
    expect(uploadUrl).toMatch(/^http:\/\/registry\.test\/files\/upload\/[A-Za-z0-9_-]{30,}$/);
  });

  it('a PUT whose MD5 differs from the declared one is refused with 400 and stores nothing', async () => {
    const res = await putTo(t, uploadUrl, 'not the weights');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { message: string }[] };
    expect(body.errors[0]?.message).toMatch(/MD5.*declared.*Nothing was stored/);
    const row = await t.db
      .selectFrom('artifact_files')
      .select(['sha256', 'upload_token'])
      .where('name', '=', 'w.bin')
      .executeTakeFirstOrThrow();
    expect(row.sha256).toBeNull();
    expect(row.upload_token).not.toBeNull();
  });

  it('the manifest PUT (after UpdateArtifactManifest) is validated and stored', async () => {
    const res = await t.gql(
      sdkDocument('UpdateArtifactManifest'),
      { artifactManifestID: manifestId, digest: 'y', baseArtifactID: null, includeUpload: true },
      { key: alice.key },
    );
    expect(res.errors).toBeUndefined();
    const url = (res.data?.updateArtifactManifest as { artifactManifest: { file: { uploadUrl: string; uploadHeaders: string[] } } })
      .artifactManifest.file.uploadUrl;
    // A manifest that does not describe the declared digest is refused.
    const wrong = await putTo(t, url, manifestJson({ 'other.bin': 'x' }));
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toMatch(/digest/);
    const traversal = await putTo(t, url, JSON.stringify({ version: 1, contents: { '../x': { digest: md5Base64('x'), size: 1 } } }));
    expect(traversal.status).toBe(400);
    const notJson = await putTo(t, url, '{"version": 1, "contents": ');
    expect(notJson.status).toBe(400);
    const ok = await putTo(t, url, manifestJson({ 'w.bin': 'weights' }));
    expect(ok.status).toBe(200);
  });

  it('commit with a file not uploaded is refused, listing it', async () => {
    const res = await t.gql(sdkDocument('CommitArtifact'), { artifactID: artifactId }, { key: alice.key });
    expect(code(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/1 file\(s\) are not uploaded yet: "w\.bin"/);
  });

  it('CompleteMultipartUploadArtifact of a path that is no upload of the version is not found', async () => {
    const res = await t.gql(
      sdkDocument('CompleteMultipartUploadArtifact'),
      {
        completeMultipartAction: 'Complete',
        completedParts: [{ hexMD5: 'ab', partNumber: 1 }],
        artifactID: artifactId,
        storagePath: 'x',
        uploadID: 'y',
      },
      { key: alice.key },
    );
    expect(code(res)).toBe('NOT_FOUND');
    expect(res.errors?.[0]?.message).toMatch(/No upload of this version has this storagePath/);
  });

  it('after the right PUT the commit succeeds: v0, latest, aliases from creation', async () => {
    expect((await putTo(t, uploadUrl, 'weights')).status).toBe(200);
    const res = await t.gql(sdkDocument('CommitArtifact'), { artifactID: artifactId }, { key: alice.key });
    expect(res.errors).toBeUndefined();
    expect(res.data?.commitArtifact).toEqual({ artifact: { id: artifactId, digest: createInput().digest } });
    const read = await t.gql(sdkDocument('ArtifactByID'), { id: artifactId }, { key: alice.key });
    expect(read.errors).toBeUndefined();
    const artifact = read.data?.artifact as { aliases: { alias: string }[] } & Record<string, unknown>;
    expect(artifact).toMatchObject({
      __typename: 'Artifact',
      state: 'COMMITTED',
      versionIndex: 0,
      fileCount: 1,
      size: 7,
      metadata: '{"epochs":3}',
      artifactType: { name: 'model' },
      artifactSequence: { __typename: 'ArtifactSequence', name: 'yolo', project: { name: 'detect', entity: { name: 'vision' } } },
    });
    expect(artifact.aliases.map((a) => a.alias).sort()).toEqual(['best', 'latest']);
    // Committed is final: the same commit again is harmless, new files are refused.
    expect((await t.gql(sdkDocument('CommitArtifact'), { artifactID: artifactId }, { key: alice.key })).errors).toBeUndefined();
    const late = await t.gql(
      sdkDocument('CreateArtifactFiles'),
      { storageLayout: 'V2', artifactFiles: [{ artifactID: artifactId, name: 'late.txt', md5: md5Base64('late') }] },
      { key: alice.key },
    );
    expect(code(late)).toBe('BAD_USER_INPUT');
  });

  it('ClientIDMapping finds the version by the client id the SDK gave it', async () => {
    const res = await t.gql(sdkDocument('ClientIDMapping'), { clientID: 'client-1' }, { key: alice.key });
    expect(res.data).toEqual({ clientIDMapping: { serverID: artifactId } });
    const other = await t.gql(sdkDocument('ClientIDMapping'), { clientID: 'client-1' }, { key: bob.key });
    expect(other.data).toEqual({ clientIDMapping: null });
  });

  it('content already stored needs no upload: uploadUrl is null', async () => {
    const res = await t.gql(
      sdkDocument('CreateArtifact'),
      { input: createInput({ artifactCollectionName: 'yolo-copy', clientID: 'c2' }) },
      { key: alice.key },
    );
    const id = (res.data?.createArtifact as { artifact: { id: string } }).artifact.id;
    const files = await t.gql(
      sdkDocument('CreateArtifactFiles'),
      { storageLayout: 'V2', artifactFiles: [{ artifactID: id, name: 'w.bin', md5: md5Base64('weights') }] },
      { key: alice.key },
    );
    expect(files.errors).toBeUndefined();
    expect(
      (files.data?.createArtifactFiles as { files: { edges: { node: { uploadUrl: string | null } }[] } }).files.edges[0]?.node.uploadUrl,
    ).toBeNull();
  });
});

describe('reference entries', () => {
  it('a manifest entry with a "ref" needs no upload and gets no download URL', async () => {
    const entries = { 'local.txt': md5Base64('local'), 'remote.csv': 'etag-123' };
    const input = createInput({
      projectName: 'refs',
      artifactCollectionName: 'with-ref',
      digest: artifactDigest(entries),
      clientID: 'ref',
    });
    const created = await t.gql(sdkDocument('CreateArtifact'), { input }, { key: alice.key });
    const id = (created.data?.createArtifact as { artifact: { id: string } }).artifact.id;
    const files = await t.gql(
      sdkDocument('CreateArtifactFiles'),
      { storageLayout: 'V2', artifactFiles: [{ artifactID: id, name: 'local.txt', md5: md5Base64('local') }] },
      { key: alice.key },
    );
    const url =
      (files.data?.createArtifactFiles as { files: { edges: { node: { uploadUrl: string } }[] } }).files.edges[0]?.node.uploadUrl ?? '';
    expect((await putTo(t, url, 'local')).status).toBe(200);
    const manifest = await t.gql(
      sdkDocument('CreateArtifactManifest'),
      {
        artifactID: id,
        name: 'wandb_manifest.json',
        digest: 'd',
        entityName: 'vision',
        projectName: 'refs',
        runName: 'run1',
        manifestType: 'FULL',
        includeUpload: true,
      },
      { key: alice.key },
    );
    const manifestUrl = (manifest.data?.createArtifactManifest as { artifactManifest: { file: { uploadUrl: string } } }).artifactManifest
      .file.uploadUrl;
    const body = {
      version: 1,
      storagePolicy: 'wandb-storage-policy-v1',
      storagePolicyConfig: {},
      contents: {
        'local.txt': { digest: md5Base64('local'), size: 5 },
        'remote.csv': { digest: 'etag-123', ref: 's3://bucket/remote.csv', size: 10 },
      },
    };
    expect((await putTo(t, manifestUrl, JSON.stringify(body))).status).toBe(200);
    const commit = await t.gql(sdkDocument('CommitArtifact'), { artifactID: id }, { key: alice.key });
    expect(commit.errors).toBeUndefined();
    const urls = await t.gql(sdkDocument('ArtifactFileURLs'), { id }, { key: alice.key });
    const nodes = (urls.data?.artifact as { files: { edges: { node: { name: string; directUrl: string | null } }[] } }).files.edges.map(
      (e) => e.node,
    );
    expect(nodes[0]).toMatchObject({ name: 'local.txt', directUrl: expect.stringContaining('/files/artifacts/') });
    expect(nodes[1]).toEqual({ name: 'remote.csv', directUrl: null });
  });
});

describe('versions, latest and deduplication', () => {
  it('numbers versions 0, 1, 2 in a sequence and moves latest', async () => {
    const key = alice.key;
    const v0 = await logArtifact(t, { entity: 'vision', project: 'seq', name: 'data', type: 'dataset', files: { 'a.txt': 'one' }, key });
    const v1 = await logArtifact(t, { entity: 'vision', project: 'seq', name: 'data', type: 'dataset', files: { 'a.txt': 'two' }, key });
    const v2 = await logArtifact(t, {
      entity: 'vision',
      project: 'seq',
      name: 'data',
      type: 'dataset',
      files: { 'a.txt': 'three', 'dir/b.txt': 'b' },
      key,
    });
    expect([v0.versionIndex, v1.versionIndex, v2.versionIndex]).toEqual([0, 1, 2]);
    const latest = await t.gql(
      `query { project(entityName: "vision", name: "seq") { artifact(name: "data:latest") { id versionIndex } v1: artifact(name: "data:v1") { id } } }`,
      {},
      { key },
    );
    expect(latest.data?.project).toEqual({ artifact: { id: v2.artifactId, versionIndex: 2 }, v1: { id: v1.artifactId } });
    // CreateArtifact's payload shows the sequence's latest version.
    const next = await t.gql(
      sdkDocument('CreateArtifact'),
      { input: createInput({ projectName: 'seq', artifactCollectionName: 'data', artifactTypeName: 'dataset', clientID: 'c3' }) },
      { key },
    );
    expect(next.data?.createArtifact).toMatchObject({
      artifact: { state: 'PENDING', artifactSequence: { latestArtifact: { id: v2.artifactId } } },
    });
  });

  it('with enableDigestDeduplication the same files return the committed version', async () => {
    const key = alice.key;
    const files = { 'm.txt': 'same content' };
    const first = await logArtifact(t, { entity: 'vision', project: 'dedup', name: 'm', type: 'model', files, key, dedupe: true });
    const second = await logArtifact(t, { entity: 'vision', project: 'dedup', name: 'm', type: 'model', files, key, dedupe: true });
    expect(second.artifactId).toBe(first.artifactId);
    expect(second.versionIndex).toBe(0);
    // Without deduplication a new version is made.
    const third = await logArtifact(t, { entity: 'vision', project: 'dedup', name: 'm', type: 'model', files, key });
    expect(third.versionIndex).toBe(1);
  });

  it("a type different from the collection's is refused", async () => {
    await logArtifact(t, { entity: 'vision', project: 'types', name: 'thing', type: 'model', files: { a: 'a' }, key: alice.key });
    const res = await t.gql(
      sdkDocument('CreateArtifact'),
      { input: createInput({ projectName: 'types', artifactCollectionName: 'thing', artifactTypeName: 'dataset' }) },
      { key: alice.key },
    );
    expect(code(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/holds type "model", not "dataset"/);
  });
});

describe('who may log', () => {
  it('a user cannot upsert a run in a team they are not in: FORBIDDEN', async () => {
    const res = await t.gql(sdkDocument('UpsertBucket'), { name: 'r', project: 'detect', entity: 'vision' }, { key: bob.key });
    expect(code(res)).toBe('FORBIDDEN');
    expect(res.errors?.[0]?.message).toMatch(/team you are a member of/);
    const create = await t.gql(sdkDocument('CreateArtifact'), { input: createInput({ clientID: 'x' }) }, { key: bob.key });
    expect(code(create)).toBe('FORBIDDEN');
  });

  it('users log into their own entity; org admins into any team', async () => {
    const own = await logArtifact(t, { entity: 'bob', project: 'mine', name: 'n', type: 'model', files: { f: 'f' }, key: bob.key });
    expect(own.versionIndex).toBe(0);
    const admin = await logArtifact(t, { entity: 'vision', project: 'admin-proj', name: 'n', type: 'model', files: { f: 'f' } });
    expect(admin.versionIndex).toBe(0);
    const other = await t.gql(sdkDocument('UpsertBucket'), { name: 'r', project: 'p', entity: 'alice' }, { key: bob.key });
    expect(code(other)).toBe('FORBIDDEN');
  });

  it('a teammate may continue a pending version (upload URLs too); an outsider may not touch it', async () => {
    const erin = await createUser(t, { username: 'erin' });
    await t.gql(`mutation { addTeamMember(input: { teamName: "vision", username: "erin" }) { success } }`);
    const created = await t.gql(
      sdkDocument('CreateArtifact'),
      { input: createInput({ artifactCollectionName: 'shared', clientID: 'sh' }) },
      { key: alice.key },
    );
    const id = (created.data?.createArtifact as { artifact: { id: string } }).artifact.id;
    const spec = { storageLayout: 'V2', artifactFiles: [{ artifactID: id, name: 'new.txt', md5: md5Base64('brand new content') }] };
    const res = await t.gql(sdkDocument('CreateArtifactFiles'), spec, { key: erin.key });
    expect(res.errors).toBeUndefined();
    expect(
      (res.data?.createArtifactFiles as { files: { edges: { node: { uploadUrl: string | null } }[] } }).files.edges[0]?.node.uploadUrl,
    ).toMatch(/\/files\/upload\//);
    const outsider = await t.gql(sdkDocument('CreateArtifactFiles'), spec, { key: bob.key });
    expect(code(outsider)).toBe('NOT_FOUND');
    expect(code(await t.gql(sdkDocument('CommitArtifact'), { artifactID: id }, { key: bob.key }))).toBe('NOT_FOUND');
  });

  it('Project.readOnly and createArtifact agree for every kind of user: an org viewer in a team may do neither', async () => {
    const olga = await createUser(t, { username: 'olga', orgRole: 'viewer' });
    await t.gql(`mutation { addTeamMember(input: { teamName: "vision", username: "olga" }) { success } }`);
    // Projects that exist, so readOnly answers for them: the team's and each user's own.
    await logArtifact(t, { entity: 'vision', project: 'agree', name: 'seed', type: 'model', files: { a: 'a' } });
    await logArtifact(t, { entity: 'olga', project: 'agree', name: 'seed', type: 'model', files: { a: 'a' } });
    await logArtifact(t, { entity: 'alice', project: 'agree', name: 'seed', type: 'model', files: { a: 'a' } });
    const cases = [
      { who: 'alice (team member)', key: alice.key, entity: 'vision', writes: true },
      { who: 'alice (own entity)', key: alice.key, entity: 'alice', writes: true },
      { who: 'admin', key: undefined, entity: 'vision', writes: true },
      { who: 'olga (org viewer in the team)', key: olga.key, entity: 'vision', writes: false },
      { who: 'olga (org viewer, own entity)', key: olga.key, entity: 'olga', writes: false },
    ];
    for (const [i, c] of cases.entries()) {
      const key = c.key === undefined ? {} : { key: c.key };
      const readOnly = await t.gql(sdkDocument('IsProjectReadOnly'), { entity: c.entity, project: 'agree' }, key);
      expect(readOnly.data?.project, c.who).toEqual({ readOnly: !c.writes });
      const input = createInput({
        entityName: c.entity,
        projectName: 'agree',
        runName: null,
        artifactCollectionName: `agree-${i}`,
        clientID: `agree-${i}`,
      });
      const created = await t.gql(sdkDocument('CreateArtifact'), { input }, key);
      expect(code(created) ?? 'OK', c.who).toBe(c.writes ? 'OK' : 'FORBIDDEN');
      const run = await t.gql(sdkDocument('UpsertBucket'), { name: `agree-${i}`, project: 'agree', entity: c.entity }, key);
      expect(code(run) ?? 'OK', c.who).toBe(c.writes ? 'OK' : 'FORBIDDEN');
    }
    const refused = await t.gql(sdkDocument('CreateArtifact'), { input: createInput({ clientID: 'olga-x' }) }, { key: olga.key });
    expect(refused.errors?.[0]?.message).toMatch(/viewer/);
    // Nothing was created for the refused calls.
    const names = await t.db.selectFrom('collections').select('name').where('name', 'in', ['agree-3', 'agree-4']).execute();
    expect(names).toEqual([]);
  });

  it('a user outside the team cannot read its artifacts (null), a member can', async () => {
    const logged = await logArtifact(t, {
      entity: 'vision',
      project: 'private',
      name: 'secret',
      type: 'model',
      files: { s: 's' },
      key: alice.key,
    });
    expect((await t.gql(sdkDocument('ArtifactByID'), { id: logged.artifactId }, { key: bob.key })).data).toEqual({ artifact: null });
    expect(
      (await t.gql(sdkDocument('ArtifactType'), { entity: 'vision', project: 'private', name: 'secret:v0' }, { key: bob.key })).data,
    ).toEqual({ project: null });
    expect((await t.gql(sdkDocument('ProjectArtifactTypes'), { entity: 'vision', project: 'private' }, { key: bob.key })).data).toEqual({
      project: null,
    });
    expect((await t.gql(sdkDocument('FetchArtifactManifest'), { id: logged.artifactId }, { key: bob.key })).data).toEqual({
      artifact: null,
    });
    expect((await t.gql(sdkDocument('ArtifactByID'), { id: logged.artifactId }, { key: alice.key })).data?.artifact).toMatchObject({
      id: logged.artifactId,
    });
    const anonymous = await t.gql(sdkDocument('ArtifactByID'), { id: logged.artifactId }, { key: null });
    expect(anonymous.data).toEqual({ artifact: null });
  });
});

describe('hostile inputs change nothing', () => {
  async function artifactCount(): Promise<number> {
    const row = await t.db
      .selectFrom('artifacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it.each([
    ['a collection name with "/"', { artifactCollectionName: 'a/b' }],
    ['a collection name with ":"', { artifactCollectionName: 'a:b' }],
    ['a type name with "/"', { artifactTypeName: 'mo/del' }],
    ['a project name with "/"', { projectName: 'x/y' }],
    ['a registry as project', { projectName: 'wandb-registry-model' }],
    ['a digest that is no MD5', { digest: "'; drop table artifacts; --" }],
    ['metadata that is not JSON', { metadata: '{nope' }],
    ['metadata that is a list', { metadata: '[1, 2]' }],
    ['metadata over 256 KiB', { metadata: JSON.stringify({ blob: 'x'.repeat(300 * 1024) }) }],
    ['an alias with ":"', { aliases: [{ alias: 'a:b', artifactCollectionName: 'yolo' }] }],
    ['an alias like a version', { aliases: [{ alias: 'v3', artifactCollectionName: 'yolo' }] }],
    ['a tag with "/"', { tags: [{ tagName: 'a/b' }] }],
    ['a negative TTL', { ttlDurationSeconds: -5 }],
  ])('CreateArtifact with %s is BAD_USER_INPUT', async (_what, overrides) => {
    const before = await artifactCount();
    const res = await t.gql(
      sdkDocument('CreateArtifact'),
      { input: createInput({ ...overrides, clientID: 'hostile' }) },
      { key: alice.key },
    );
    expect(code(res)).toBe('BAD_USER_INPUT');
    expect(await artifactCount()).toBe(before);
  });

  it.each([
    ['a project name with "/"', { project: 'a/b' }],
    ['a project name with ":"', { project: 'a:b' }],
    ['a run name with a path', { name: '../x' }],
    ['an SQL string as entity', { entity: "x'; drop table runs; --" }],
  ])('UpsertBucket with %s is refused and creates nothing', async (_what, overrides) => {
    const projects = await t.db.selectFrom('projects').select('id').execute();
    const res = await t.gql(sdkDocument('UpsertBucket'), { name: 'r', project: 'p', entity: 'vision', ...overrides }, { key: alice.key });
    expect(['BAD_USER_INPUT', 'NOT_FOUND']).toContain(code(res));
    expect(await t.db.selectFrom('projects').select('id').execute()).toHaveLength(projects.length);
  });

  it('metadata over the 1 MiB request limit is refused with 413 and a clear message', async () => {
    const before = await artifactCount();
    const res = await t.gql(
      sdkDocument('CreateArtifact'),
      { input: createInput({ metadata: JSON.stringify({ blob: 'x'.repeat(1024 * 1024 + 10) }) }) },
      { key: alice.key },
    );
    expect(res.status).toBe(413);
    expect(res.errors?.[0]?.message).toMatch(/larger than/);
    expect(await artifactCount()).toBe(before);
  });

  it('file names with path traversal, absolute paths or bad MD5s are BAD_USER_INPUT', async () => {
    const created = await t.gql(
      sdkDocument('CreateArtifact'),
      { input: createInput({ clientID: 'h2', artifactCollectionName: 'hostile-files' }) },
      { key: alice.key },
    );
    const id = (created.data?.createArtifact as { artifact: { id: string } }).artifact.id;
    for (const [name, md5] of [
      ['../x', md5Base64('x')],
      ['a/../../etc/passwd', md5Base64('x')],
      ['/abs', md5Base64('x')],
      ['a//b', md5Base64('x')],
      ['ok.txt', 'not-an-md5'],
    ] as const) {
      const res = await t.gql(
        sdkDocument('CreateArtifactFiles'),
        { storageLayout: 'V2', artifactFiles: [{ artifactID: id, name, md5 }] },
        { key: alice.key },
      );
      expect(code(res), name).toBe('BAD_USER_INPUT');
    }
    const rows = await t.db
      .selectFrom('artifact_files')
      .select('id')
      .where('artifact_id', '=', Number(Buffer.from(id, 'base64').toString().split(':')[1]))
      .execute();
    expect(rows).toEqual([]);
  });

  it('bad ids are BAD_USER_INPUT or null, never a 500', async () => {
    for (const id of [
      'nope',
      Buffer.from('Project:1').toString('base64'),
      Buffer.from('Artifact:99999').toString('base64'),
      'x'.repeat(500),
    ]) {
      const res = await t.gql(sdkDocument('ArtifactByID'), { id });
      expect(res.status).toBe(200);
      if (res.errors) expect(code(res)).toBe('BAD_USER_INPUT');
      else expect(res.data).toEqual({ artifact: null });
    }
    const commit = await t.gql(sdkDocument('CommitArtifact'), { artifactID: 'garbage' });
    expect(code(commit)).toBe('BAD_USER_INPUT');
    // The URL parser resolves the dots, so this never reaches the files route: refused either way.
    const upload = await t.request('/files/upload/../../etc/passwd', { method: 'PUT', body: 'x' });
    expect([400, 404, 405]).toContain(upload.status);
    const unknown = await t.request(`/files/upload/${'a'.repeat(32)}`, { method: 'PUT', body: 'x' });
    expect(unknown.status).toBe(404);
  });
});
