import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectAccess, RegistryRole } from '../../server/db/tables.js';
import { appendVersion, setAlias } from '../../server/modules/collections/repository-versions.js';
import { createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';

import { createUser, type TestUser } from '../support/users.js';
import { createTeam } from '../../seed/people.js';
import { logArtifact, type LoggedArtifact } from '../../seed/sdk-logging.js';
import { sdkDocument } from '../../seed/sdk-operations.js';

let t: TestApp;
let alice: TestUser; // team "nlp"
let bob: TestUser; // no team; restricted viewer of registry "vault"
let carol: TestUser; // no team; viewer of registry "vault"
let model: LoggedArtifact;
let data: LoggedArtifact;

const idNumber = (id: string) => Number(Buffer.from(id, 'base64').toString().split(':')[1]);
const code = (res: GraphQLResult) => res.errors?.[0]?.extensions?.code;

/** A registry with a collection holding the version, made directly (registries are tested elsewhere). */
async function linkIntoRegistry(
  artifactId: string,
  registry: string,
  collection: string,
  options: { access?: ProjectAccess; type?: string; members?: [TestUser, RegistryRole][] } = {},
): Promise<void> {
  const org = await t.db.selectFrom('organizations').select('org_entity_id').executeTakeFirstOrThrow();
  await t.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('projects')
      .values({
        entity_id: org.org_entity_id ?? 0,
        name: `wandb-registry-${registry}`,
        access: options.access ?? 'PRIVATE',
        is_registry: true,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const project = await trx
      .selectFrom('projects')
      .select('id')
      .where('name', '=', `wandb-registry-${registry}`)
      .executeTakeFirstOrThrow();
    for (const [user, role] of options.members ?? []) {
      await trx.insertInto('registry_members').values({ project_id: project.id, user_id: user.userId, role }).execute();
    }
    const portfolio = await trx
      .insertInto('collections')
      .values({ project_id: project.id, kind: 'PORTFOLIO', name: collection, type_name: options.type ?? 'model' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { membership } = await appendVersion(trx, { collectionId: portfolio.id, artifactId: idNumber(artifactId), userId: null });
    await setAlias(trx, { collectionId: portfolio.id, membershipId: membership.id, alias: 'production' });
  });
}

beforeAll(async () => {
  t = await createTestApp();
  alice = await createUser(t, { username: 'alice' });
  bob = await createUser(t, { username: 'bob' });
  carol = await createUser(t, { username: 'carol' });
  await createTeam(t, { name: 'nlp', members: [alice] });
  model = await logArtifact(t, {
    entity: 'nlp',
    project: 'bert',
    name: 'bert-base',
    type: 'model',
    files: { 'weights.bin': 'w'.repeat(1000), 'config/config.json': '{"layers": 12}', 'README.md': '# BERT' },
    metadata: { accuracy: 0.91, layers: 12 },
    description: 'a model',
    aliases: ['best'],
    key: alice.key,
    run: 'train-1',
  });
  data = await logArtifact(t, {
    entity: 'nlp',
    project: 'bert',
    name: 'corpus',
    type: 'dataset',
    files: { 'c.txt': 'corpus' },
    key: alice.key,
    run: 'prep-1',
  });
  await linkIntoRegistry(model.artifactId, 'vault', 'bert-prod', {
    access: 'RESTRICTED',
    members: [
      [bob, 'restricted_viewer'],
      [carol, 'viewer'],
    ],
  });
});
afterAll(() => t.close());

describe('types of a team project', () => {
  it('ProjectArtifactTypes lists the types of its collections', async () => {
    const res = await t.gql(sdkDocument('ProjectArtifactTypes'), { entity: 'nlp', project: 'bert', perPage: 1 }, { key: alice.key });
    expect(res.errors).toBeUndefined();
    const page = (
      res.data?.project as { artifactTypes: { edges: { node: { name: string } }[]; pageInfo: { endCursor: string; hasNextPage: boolean } } }
    ).artifactTypes;
    expect(page.edges.map((e) => e.node)).toMatchObject([{ __typename: 'ArtifactType', name: 'dataset', description: null }]);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const next = await t.gql(
      sdkDocument('ProjectArtifactTypes'),
      { entity: 'nlp', project: 'bert', perPage: 1, cursor: page.pageInfo.endCursor },
      { key: alice.key },
    );
    const nextPage = (next.data?.project as { artifactTypes: { edges: { node: { name: string } }[]; pageInfo: { hasNextPage: boolean } } })
      .artifactTypes;
    expect(nextPage.edges.map((e) => e.node.name)).toEqual(['model']);
    expect(nextPage.pageInfo.hasNextPage).toBe(false);
  });

  it('registries keep their allowed types', async () => {
    const res = await t.gql(sdkDocument('ProjectArtifactTypes'), { entity: ORG, project: 'wandb-registry-model' });
    expect(
      (res.data?.project as { artifactTypes: { edges: { node: { name: string } }[] } }).artifactTypes.edges.map((e) => e.node.name),
    ).toEqual(['model']);
  });

  it('ProjectArtifactType finds one type, null for an unknown one', async () => {
    const res = await t.gql(sdkDocument('ProjectArtifactType'), { entity: 'nlp', project: 'bert', type: 'model' }, { key: alice.key });
    expect(res.data?.project).toMatchObject({ artifactType: { __typename: 'ArtifactType', name: 'model' } });
    const none = await t.gql(sdkDocument('ProjectArtifactType'), { entity: 'nlp', project: 'bert', type: 'nope' }, { key: alice.key });
    expect(none.data).toEqual({ project: { artifactType: null } });
  });

  it('ArtifactType names the type of a version by name', async () => {
    for (const name of ['bert-base:v0', 'bert-base:latest', 'bert-base:best', 'bert-base']) {
      const res = await t.gql(sdkDocument('ArtifactType'), { entity: 'nlp', project: 'bert', name }, { key: alice.key });
      expect(res.data, name).toEqual({ project: { artifact: { artifactType: { name: 'model' } } } });
    }
    const none = await t.gql(sdkDocument('ArtifactType'), { entity: 'nlp', project: 'bert', name: 'bert-base:v9' }, { key: alice.key });
    expect(none.data).toEqual({ project: { artifact: null } });
  });
});

describe('a version and its files', () => {
  it('ArtifactByID returns the SDK fragment', async () => {
    const res = await t.gql(sdkDocument('ArtifactByID'), { id: model.artifactId }, { key: alice.key });
    expect(res.errors).toBeUndefined();
    expect(res.data?.artifact).toMatchObject({
      __typename: 'Artifact',
      id: model.artifactId,
      versionIndex: 0,
      description: 'a model',
      state: 'COMMITTED',
      fileCount: 3,
      size: 1000 + 14 + 6,
      digest: model.digest,
      ttlDurationSeconds: -1,
      ttlIsInherited: true,
      tags: [],
      historyStep: null,
      artifactType: { name: 'model' },
      artifactSequence: { name: 'bert-base', project: { name: 'bert', entity: { name: 'nlp' } } },
    });
    expect(JSON.parse((res.data?.artifact as { metadata: string }).metadata)).toEqual({ accuracy: 0.91, layers: 12 });
  });

  it('ArtifactByID shows registry aliases only to those who see the registry', async () => {
    const aliases = async (key: string) =>
      (
        (await t.gql(sdkDocument('ArtifactByID'), { id: model.artifactId }, { key })).data?.artifact as {
          aliases: { alias: string; artifactCollection: { name: string } }[];
        }
      ).aliases
        .map((a) => `${a.artifactCollection.name}:${a.alias}`)
        .sort();
    expect(await aliases(alice.key)).toEqual(['bert-base:best', 'bert-base:latest']);
    // Through the registry, the link's vN there too (W&B's answer: the SDK reads the linked version from it).
    expect(await aliases(carol.key)).toEqual([
      'bert-base:best',
      'bert-base:latest',
      'bert-prod:latest',
      'bert-prod:production',
      'bert-prod:v0',
    ]);
  });

  it('ArtifactFileURLs pages through the files with signed URLs; ArtifactManifest gives the manifest', async () => {
    const first = await t.gql(sdkDocument('ArtifactFileURLs'), { id: model.artifactId, perPage: 2 }, { key: alice.key });
    expect(first.errors).toBeUndefined();
    const files = (
      first.data?.artifact as {
        files: { edges: { node: { name: string; directUrl: string } }[]; pageInfo: { endCursor: string; hasNextPage: boolean } };
      }
    ).files;
    expect(files.edges.map((e) => e.node.name)).toEqual(['README.md', 'config/config.json']);
    expect(files.pageInfo.hasNextPage).toBe(true);
    const second = await t.gql(
      sdkDocument('ArtifactFileURLs'),
      { id: model.artifactId, perPage: 2, cursor: files.pageInfo.endCursor },
      { key: alice.key },
    );
    const rest = (
      second.data?.artifact as { files: { edges: { node: { name: string; directUrl: string } }[]; pageInfo: { hasNextPage: boolean } } }
    ).files;
    expect(rest.edges.map((e) => e.node.name)).toEqual(['weights.bin']);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect(rest.edges[0]?.node.directUrl).toMatch(/^http:\/\/registry\.test\/files\/artifacts\/\d+\/files\/\d+\?expires=\d+&sig=/);

    const manifest = await t.gql(sdkDocument('ArtifactManifest'), { artifact_id: model.artifactId }, { key: alice.key });
    const url = (manifest.data?.artifact as { currentManifest: { file: { directUrl: string } } }).currentManifest.file.directUrl;
    const body = (await (await t.request(new URL(url).pathname + new URL(url).search)).json()) as { contents: Record<string, unknown> };
    expect(Object.keys(body.contents).sort()).toEqual(['README.md', 'config/config.json', 'weights.bin']);

    const fetched = await t.gql(sdkDocument('FetchArtifactManifest'), { id: model.artifactId }, { key: alice.key });
    expect(fetched.data).toMatchObject({ artifact: { currentManifest: { file: { directUrl: expect.stringContaining('/manifest?') } } } });
  });
});

describe('lineage', () => {
  it('UseArtifact records an input; RunInputArtifacts, RunOutputArtifacts, ArtifactUsedBy and ArtifactCreatedBy read it', async () => {
    const used = await t.gql(
      sdkDocument('UseArtifact'),
      { input: { artifactID: data.artifactId, entityName: 'nlp', projectName: 'bert', runName: 'train-1', usedAs: 'corpus' } },
      { key: alice.key },
    );
    expect(used.errors).toBeUndefined();
    expect(used.data).toEqual({ useArtifact: { artifact: { id: data.artifactId } } });

    const inputs = await t.gql(sdkDocument('RunInputArtifacts'), { entity: 'nlp', project: 'bert', run: 'train-1' }, { key: alice.key });
    expect(inputs.errors).toBeUndefined();
    expect(inputs.data?.project).toMatchObject({
      run: { artifacts: { totalCount: 1, edges: [{ node: { id: data.artifactId, artifactType: { name: 'dataset' } } }] } },
    });

    const outputs = await t.gql(
      sdkDocument('RunOutputArtifacts'),
      { entity: 'nlp', project: 'bert', run: 'train-1', perPage: 10 },
      { key: alice.key },
    );
    expect(outputs.errors).toBeUndefined();
    expect(outputs.data?.project).toMatchObject({
      run: { artifacts: { totalCount: 1, pageInfo: { hasNextPage: false }, edges: [{ node: { id: model.artifactId } }] } },
    });

    const usedBy = await t.gql(sdkDocument('ArtifactUsedBy'), { id: data.artifactId }, { key: alice.key });
    expect(usedBy.data).toMatchObject({
      artifact: {
        usedBy: { edges: [{ node: { __typename: 'Run', name: 'train-1', project: { name: 'bert', entity: { name: 'nlp' } } } }] },
      },
    });

    const createdBy = await t.gql(sdkDocument('ArtifactCreatedBy'), { id: model.artifactId }, { key: alice.key });
    expect(createdBy.data).toMatchObject({ artifact: { createdBy: { __typename: 'Run', name: 'train-1', project: { name: 'bert' } } } });

    const unknownRun = await t.gql(sdkDocument('RunOutputArtifacts'), { entity: 'nlp', project: 'bert', run: 'nope' }, { key: alice.key });
    expect(unknownRun.data).toEqual({ project: { run: null } });
  });

  it('someone outside the team cannot use the version', async () => {
    const res = await t.gql(
      sdkDocument('UseArtifact'),
      { input: { artifactID: data.artifactId, entityName: 'bob', projectName: 'mine', runName: 'r1' } },
      { key: bob.key },
    );
    expect(code(res)).toBe('NOT_FOUND');
  });
});

describe('files of a linked version, through its registry', () => {
  const vars = { entity: ORG, project: 'wandb-registry-vault', collection: 'bert-prod', alias: 'production' };

  it('ArtifactMembershipFiles counts every file, in one page or over several', async () => {
    const total = async (perPage: number, fileNames?: string[]) => {
      const res = await t.gql(sdkDocument('ArtifactMembershipFiles'), { ...vars, perPage, fileNames }, { key: carol.key });
      expect(res.errors).toBeUndefined();
      const files = (
        res.data?.project as { artifactCollection: { artifactMembership: { files: { totalCount: number; edges: unknown[] } } } }
      ).artifactCollection.artifactMembership.files;
      return [files.totalCount, files.edges.length];
    };
    // The whole list in one page is its own count; a cut page is counted.
    expect(await total(50)).toEqual([3, 3]);
    expect(await total(1)).toEqual([3, 1]);
    expect(await total(1, ['README.md'])).toEqual([1, 1]);
  });

  it('ArtifactMembershipFiles lists files with URLs for a registry viewer', async () => {
    const res = await t.gql(
      sdkDocument('ArtifactMembershipFiles'),
      { ...vars, fileNames: ['weights.bin', 'README.md'] },
      { key: carol.key },
    );
    expect(res.errors).toBeUndefined();
    const files = (
      res.data?.project as {
        artifactCollection: { artifactMembership: { files: { totalCount: number; edges: { node: Record<string, unknown> }[] } } };
      }
    ).artifactCollection.artifactMembership.files;
    expect(files.totalCount).toBe(2);
    expect(files.edges.map((e) => e.node)).toMatchObject([
      { __typename: 'File', name: 'README.md', sizeBytes: 6, mimetype: null, directUrl: expect.stringContaining('/files/artifacts/') },
      { name: 'weights.bin', sizeBytes: 1000, md5: expect.any(String), digest: expect.any(String) },
    ]);
  });

  it('a restricted viewer sees the files but gets no download URLs (directUrl: null)', async () => {
    const res = await t.gql(sdkDocument('GetArtifactMembershipFileUrls'), vars, { key: bob.key });
    expect(res.errors).toBeUndefined();
    const edges = (
      res.data?.project as {
        artifactCollection: { artifactMembership: { files: { edges: { node: { name: string; directUrl: string | null } }[] } } };
      }
    ).artifactCollection.artifactMembership.files.edges;
    expect(edges.map((e) => e.node)).toEqual([
      { __typename: 'File', name: 'README.md', directUrl: null },
      { __typename: 'File', name: 'config/config.json', directUrl: null },
      { __typename: 'File', name: 'weights.bin', directUrl: null },
    ]);
    // Nor through the version itself: read access via the registry only.
    const direct = await t.gql(sdkDocument('ArtifactFileURLs'), { id: model.artifactId }, { key: bob.key });
    const nodes = (direct.data?.artifact as { files: { edges: { node: { directUrl: string | null } }[] } }).files.edges.map(
      (e) => e.node.directUrl,
    );
    expect(nodes).toEqual([null, null, null]);
  });

  it('a user outside the restricted registry sees nothing', async () => {
    const outsider = await createUser(t, { username: 'dave' });
    const res = await t.gql(sdkDocument('GetArtifactMembershipFileUrls'), vars, { key: outsider.key });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ project: null });
    expect((await t.gql(sdkDocument('ArtifactByID'), { id: model.artifactId }, { key: outsider.key })).data).toEqual({ artifact: null });
  });
});

describe('editing and deleting a version', () => {
  it('UpdateArtifact changes description, metadata, tags and TTL', async () => {
    const res = await t.gql(
      sdkDocument('UpdateArtifact'),
      {
        input: {
          artifactID: data.artifactId,
          description: 'cleaned corpus',
          metadata: JSON.stringify({ rows: 10 }),
          tagsToAdd: [{ tagName: 'clean' }, { tagName: 'en' }],
          ttlDurationSeconds: 86400,
        },
      },
      { key: alice.key },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.result).toMatchObject({
      artifact: {
        description: 'cleaned corpus',
        metadata: '{"rows":10}',
        ttlDurationSeconds: 86400,
        ttlIsInherited: false,
        tags: [{ name: 'clean' }, { name: 'en' }],
      },
    });
    const removed = await t.gql(
      sdkDocument('UpdateArtifact'),
      { input: { artifactID: data.artifactId, tagsToDelete: [{ tagName: 'en' }] } },
      { key: alice.key },
    );
    expect((removed.data?.result as { artifact: { tags: { name: string }[]; description: string } }).artifact).toMatchObject({
      tags: [{ name: 'clean' }],
      description: 'cleaned corpus',
    });
  });

  it('UpdateArtifact refuses bad input and outsiders', async () => {
    const huge = await t.gql(
      sdkDocument('UpdateArtifact'),
      { input: { artifactID: data.artifactId, metadata: JSON.stringify({ x: 'y'.repeat(300_000) }) } },
      { key: alice.key },
    );
    expect(code(huge)).toBe('BAD_USER_INPUT');
    const badTag = await t.gql(
      sdkDocument('UpdateArtifact'),
      { input: { artifactID: data.artifactId, tagsToAdd: [{ tagName: '<script>' }] } },
      { key: alice.key },
    );
    expect(code(badTag)).toBe('BAD_USER_INPUT');
    const outsider = await t.gql(
      sdkDocument('UpdateArtifact'),
      { input: { artifactID: data.artifactId, description: 'mine now' } },
      { key: bob.key },
    );
    expect(code(outsider)).toBe('NOT_FOUND');
    // A registry viewer can read the linked version but not change it.
    const viewer = await t.gql(
      sdkDocument('UpdateArtifact'),
      { input: { artifactID: model.artifactId, description: 'x' } },
      { key: carol.key },
    );
    expect(code(viewer)).toBe('FORBIDDEN');
    const read = await t.gql(sdkDocument('ArtifactByID'), { id: data.artifactId }, { key: alice.key });
    expect((read.data?.artifact as { description: string }).description).toBe('cleaned corpus');
  });

  it('DeleteArtifact of a linked version is refused with the list of its links (those alice may see)', async () => {
    await linkIntoRegistry(model.artifactId, 'model-zoo', 'bert-all');
    const res = await t.gql(
      sdkDocument('DeleteArtifact'),
      { input: { artifactID: model.artifactId, deleteAliases: true } },
      { key: alice.key },
    );
    expect(code(res)).toBe('CONFLICT');
    expect(res.errors?.[0]?.message).toContain('wandb-registry-model-zoo/bert-all:v0');
    // The restricted registry "vault" (alice is not in it) is counted, never named.
    expect(res.errors?.[0]?.message).toContain('and 1 link in a registry you cannot see');
    expect(res.errors?.[0]?.message).not.toContain('vault');
    expect((await t.gql(sdkDocument('ArtifactByID'), { id: model.artifactId }, { key: alice.key })).data?.artifact).not.toBeNull();
  });

  it('DeleteArtifact of an unlinked version: aliases need deleteAliases, then latest moves back', async () => {
    const v0 = await logArtifact(t, { entity: 'nlp', project: 'bert', name: 'tmp', type: 'model', files: { a: '1' }, key: alice.key });
    const v1 = await logArtifact(t, {
      entity: 'nlp',
      project: 'bert',
      name: 'tmp',
      type: 'model',
      files: { a: '2' },
      aliases: ['candidate'],
      key: alice.key,
    });
    const refused = await t.gql(sdkDocument('DeleteArtifact'), { input: { artifactID: v1.artifactId } }, { key: alice.key });
    expect(code(refused)).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toMatch(/candidate/);
    const res = await t.gql(
      sdkDocument('DeleteArtifact'),
      { input: { artifactID: v1.artifactId, deleteAliases: true } },
      { key: alice.key },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ result: { artifact: { id: v1.artifactId } } });
    expect((await t.gql(sdkDocument('ArtifactByID'), { id: v1.artifactId }, { key: alice.key })).data).toEqual({ artifact: null });
    const latest = await t.gql(
      `query { project(entityName: "nlp", name: "bert") { artifact(name: "tmp:latest") { id } } }`,
      {},
      { key: alice.key },
    );
    expect(latest.data).toEqual({ project: { artifact: { id: v0.artifactId } } });
  });
});
