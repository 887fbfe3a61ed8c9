import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeId, encodeId } from '../../server/graphql/ids.js';
import { createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';
import { createUser, type TestUser } from '../support/users.js';
import { createTeam } from '../../seed/people.js';
import { grantRegistryRole } from '../../seed/registries.js';
import { logArtifact, type LoggedArtifact } from '../../seed/sdk-logging.js';
import { sdkDocument } from '../../seed/sdk-operations.js';
import { createSourceVersion, type SourceVersion } from '../../seed/versions.js';

// Every change writes exactly one event per changed thing, in its own transaction, with who did it
// and what it was before and after; a refused change writes none.

let t: TestApp;
let alice: TestUser;
let vera: TestUser;
let adminId: number;
const versions: SourceVersion[] = [];
const REGISTRY = 'wandb-registry-model';

type Json = Record<string, unknown>;

function ok(res: GraphQLResult): Json {
  expect(res.errors).toBeUndefined();
  return res.data as Json;
}

const code = (res: GraphQLResult) => res.errors?.[0]?.extensions?.code;

let mark = 0;
/** The events written since the last call, oldest first, as the fields the tests compare. */
async function newEvents() {
  const rows = await t.db.selectFrom('events').selectAll().where('id', '>', mark).orderBy('id').execute();
  if (rows.length > 0) mark = rows.at(-1)!.id;
  return rows.map((r) => ({
    action: r.action,
    actor: r.actor_id,
    project: r.project_name,
    collection: r.collection_name,
    version: r.version_index,
    before: r.before,
    after: r.after,
  }));
}

function link(user: TestUser | null, artifactID: string, collection: string, aliases: string[] = []) {
  return t.gql(
    sdkDocument('LinkArtifact'),
    {
      input: {
        artifactID,
        artifactPortfolioName: collection,
        entityName: ORG,
        projectName: REGISTRY,
        aliases: aliases.map((alias) => ({ alias, artifactCollectionName: collection })),
      },
    },
    { key: user?.key },
  );
}

const aliasInput = (version: SourceVersion, alias: string, collection = 'resnet') => ({
  input: { artifactID: version.id, aliases: [{ alias, artifactCollectionName: collection, entityName: ORG, projectName: REGISTRY }] },
});
const tagInput = (tags: string[]) => ({
  input: { entityName: ORG, projectName: REGISTRY, artifactCollectionName: 'resnet', tags: tags.map((tagName) => ({ tagName })) },
});

async function portfolioId(name: string) {
  const row = await t.db
    .selectFrom('collections')
    .select('id')
    .where('name', '=', name)
    .where('kind', '=', 'PORTFOLIO')
    .executeTakeFirstOrThrow();
  return { id: row.id, gid: encodeId('ArtifactCollection', row.id) };
}

beforeAll(async () => {
  t = await createTestApp();
  alice = await createUser(t, { username: 'alice', orgRole: 'member' });
  vera = await createUser(t, { username: 'vera', orgRole: 'viewer' });
  await createTeam(t, { name: 'ml', members: [alice, vera] });
  await grantRegistryRole(t, { registry: 'model', username: alice.username, role: 'member' });
  for (let i = 0; i < 3; i++)
    versions.push(await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'resnet', type: 'model' }));
  adminId = (await t.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
  await newEvents();
});
afterAll(() => t?.close());

describe('collections, versions, aliases and tags', () => {
  it('a first link creates the collection, links v0 and adds latest and its aliases', async () => {
    ok(await link(alice, versions[0]!.id, 'resnet', ['staging']));
    const scope = { actor: alice.userId, project: REGISTRY, collection: 'resnet' };
    expect(await newEvents()).toEqual([
      { ...scope, action: 'collection.created', version: null, before: null, after: { name: 'resnet', type: 'model' } },
      {
        ...scope,
        action: 'version.linked',
        version: 0,
        before: null,
        after: { versionIndex: 0, artifactId: versions[0]!.artifactId, source: 'ml/train/resnet:v0' },
      },
      { ...scope, action: 'alias.added', version: 0, before: null, after: { alias: 'latest', versionIndex: 0 } },
      { ...scope, action: 'alias.added', version: 0, before: null, after: { alias: 'staging', versionIndex: 0 } },
    ]);
  });

  it('the next link moves latest; linking the same version again records only its new aliases', async () => {
    ok(await link(null, versions[1]!.id, 'resnet'));
    const scope = { actor: adminId, project: REGISTRY, collection: 'resnet' };
    expect(await newEvents()).toEqual([
      {
        ...scope,
        action: 'version.linked',
        version: 1,
        before: null,
        after: { versionIndex: 1, artifactId: versions[1]!.artifactId, source: 'ml/train/resnet:v1' },
      },
      {
        ...scope,
        action: 'alias.moved',
        version: 1,
        before: { alias: 'latest', versionIndex: 0 },
        after: { alias: 'latest', versionIndex: 1 },
      },
    ]);
    ok(await link(null, versions[0]!.id, 'resnet', ['staging', 'candidate']));
    expect(await newEvents()).toEqual([
      { ...scope, action: 'alias.added', version: 0, before: null, after: { alias: 'candidate', versionIndex: 0 } },
    ]);
    ok(await link(null, versions[0]!.id, 'resnet', ['staging']));
    expect(await newEvents()).toEqual([]);
  });

  it('adding an alias another version holds moves it; removing it records the removal', async () => {
    const scope = { actor: alice.userId, project: REGISTRY, collection: 'resnet' };
    ok(await t.gql(sdkDocument('AddAliases'), aliasInput(versions[1]!, 'staging'), { key: alice.key }));
    expect(await newEvents()).toEqual([
      {
        ...scope,
        action: 'alias.moved',
        version: 1,
        before: { alias: 'staging', versionIndex: 0 },
        after: { alias: 'staging', versionIndex: 1 },
      },
    ]);
    ok(await t.gql(sdkDocument('AddAliases'), aliasInput(versions[1]!, 'staging'), { key: alice.key }));
    expect(await newEvents()).toEqual([]);
    ok(await t.gql(sdkDocument('DeleteAliases'), aliasInput(versions[1]!, 'staging'), { key: alice.key }));
    expect(await newEvents()).toEqual([
      { ...scope, action: 'alias.removed', version: 1, before: { alias: 'staging', versionIndex: 1 }, after: null },
    ]);
  });

  it('tags: one event per tag added or removed, none for a tag already there', async () => {
    const scope = { actor: alice.userId, project: REGISTRY, collection: 'resnet', version: null };
    ok(await t.gql(sdkDocument('AddArtifactCollectionTags'), tagInput(['vision', 'baseline']), { key: alice.key }));
    expect(await newEvents()).toEqual([
      { ...scope, action: 'collection.tag_added', before: null, after: { tag: 'vision' } },
      { ...scope, action: 'collection.tag_added', before: null, after: { tag: 'baseline' } },
    ]);
    ok(await t.gql(sdkDocument('AddArtifactCollectionTags'), tagInput(['vision']), { key: alice.key }));
    expect(await newEvents()).toEqual([]);
    ok(await t.gql(sdkDocument('DeleteArtifactCollectionTags'), tagInput(['vision']), { key: alice.key }));
    expect(await newEvents()).toEqual([{ ...scope, action: 'collection.tag_removed', before: { tag: 'vision' }, after: null }]);
  });

  it('editing the model card records the description before and after', async () => {
    const { gid } = await portfolioId('resnet');
    ok(
      await t.gql(
        sdkDocument('UpdateArtifactPortfolio'),
        { input: { artifactPortfolioID: gid, description: '# ResNet' } },
        { key: alice.key },
      ),
    );
    expect(await newEvents()).toEqual([
      {
        actor: alice.userId,
        project: REGISTRY,
        collection: 'resnet',
        version: null,
        action: 'collection.updated',
        before: { description: '' },
        after: { description: '# ResNet' },
      },
    ]);
  });

  it('unlinking the newest version records the unlink, latest moving back and its other aliases going', async () => {
    ok(await t.gql(sdkDocument('AddAliases'), aliasInput(versions[1]!, 'staging')));
    await newEvents();
    const { gid } = await portfolioId('resnet');
    ok(
      await t.gql(sdkDocument('UnlinkArtifact'), { input: { artifactID: versions[1]!.id, artifactPortfolioID: gid } }, { key: alice.key }),
    );
    const scope = { actor: alice.userId, project: REGISTRY, collection: 'resnet' };
    expect(await newEvents()).toEqual([
      { ...scope, action: 'version.unlinked', version: 1, before: { versionIndex: 1, artifactId: versions[1]!.artifactId }, after: null },
      {
        ...scope,
        action: 'alias.moved',
        version: 0,
        before: { alias: 'latest', versionIndex: 1 },
        after: { alias: 'latest', versionIndex: 0 },
      },
      { ...scope, action: 'alias.removed', version: 1, before: { alias: 'staging', versionIndex: 1 }, after: null },
    ]);
  });

  it('a refused change writes no event', async () => {
    const { gid } = await portfolioId('resnet');
    expect(code(await link(alice, versions[2]!.id, 'resnet', ['a/b']))).toBe('BAD_USER_INPUT');
    expect(code(await link(vera, versions[2]!.id, 'resnet'))).toBe('FORBIDDEN');
    expect(code(await t.gql(sdkDocument('AddAliases'), aliasInput(versions[0]!, 'latest')))).toBe('BAD_USER_INPUT');
    expect(code(await t.gql(sdkDocument('AddAliases'), aliasInput(versions[0]!, 'prod'), { key: vera.key }))).toBe('FORBIDDEN');
    expect(code(await t.gql(sdkDocument('UnlinkArtifact'), { input: { artifactID: versions[2]!.id, artifactPortfolioID: gid } }))).toBe(
      'NOT_FOUND',
    );
    expect(code(await t.gql(sdkDocument('AddArtifactCollectionTags'), tagInput(['a/b'])))).toBe('BAD_USER_INPUT');
    expect(
      code(
        await t.gql(sdkDocument('UpdateArtifactPortfolio'), { input: { artifactPortfolioID: gid, description: 'x' } }, { key: vera.key }),
      ),
    ).toBe('FORBIDDEN');
    expect(code(await t.gql(sdkDocument('DeleteArtifactPortfolio'), { id: gid }, { key: vera.key }))).toBe('FORBIDDEN');
    expect(await newEvents()).toEqual([]);
  });

  it('the action history reads the events newest first, paged', async () => {
    const { gid } = await portfolioId('resnet');
    const page = async (after?: string) => {
      const res = await t.gql(
        `query($id: ID!, $after: String) { artifactCollection(id: $id) { artifactCollectionActions(first: 3, after: $after) {
          pageInfo { hasNextPage endCursor } edges { node { actionType alias versionIndex collectionName projectName before after user { username } } } } } }`,
        { id: gid, after },
      );
      return (ok(res).artifactCollection as Json).artifactCollectionActions as {
        pageInfo: { hasNextPage: boolean; endCursor: string };
        edges: { node: Json }[];
      };
    };
    const first = await page();
    expect(first.edges.map((e) => e.node)).toEqual([
      {
        actionType: 'alias.removed',
        alias: 'staging',
        versionIndex: 1,
        collectionName: 'resnet',
        projectName: REGISTRY,
        before: { alias: 'staging', versionIndex: 1 },
        after: null,
        user: { username: 'alice' },
      },
      {
        actionType: 'alias.moved',
        alias: 'latest',
        versionIndex: 0,
        collectionName: 'resnet',
        projectName: REGISTRY,
        before: { alias: 'latest', versionIndex: 1 },
        after: { alias: 'latest', versionIndex: 0 },
        user: { username: 'alice' },
      },
      {
        actionType: 'version.unlinked',
        alias: null,
        versionIndex: 1,
        collectionName: 'resnet',
        projectName: REGISTRY,
        before: { versionIndex: 1, artifactId: versions[1]!.artifactId },
        after: null,
        user: { username: 'alice' },
      },
    ]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await page(first.pageInfo.endCursor);
    expect(second.edges[0]?.node).toMatchObject({
      actionType: 'alias.added',
      alias: 'staging',
      versionIndex: 1,
      user: { username: 'admin' },
    });
  });

  it('deleting a collection records what it was; its history stays', async () => {
    const { id, gid } = await portfolioId('resnet');
    ok(await t.gql(sdkDocument('DeleteArtifactPortfolio'), { id: gid }, { key: alice.key }));
    expect(await newEvents()).toEqual([
      {
        actor: alice.userId,
        project: REGISTRY,
        collection: 'resnet',
        version: null,
        action: 'collection.deleted',
        before: { name: 'resnet', type: 'model', description: '# ResNet' },
        after: null,
      },
    ]);
    const kept = await t.db.selectFrom('events').select('action').where('collection_id', '=', id).execute();
    expect(kept.length).toBeGreaterThan(10);
  });
});

describe('registries and their members', () => {
  const NAME = 'wandb-registry-vision';
  let projectId: number;
  let gid: string;
  let otto: TestUser;
  const scope = () => ({ collection: null, version: null });

  it('creating a registry records it and its creator becoming admin', async () => {
    ok(
      await t.gql(
        sdkDocument('UpsertRegistry'),
        { input: { name: NAME, entityName: ORG, description: 'Eyes', artifactTypes: [{ name: 'model' }] } },
        { key: alice.key },
      ),
    );
    projectId = (await t.db.selectFrom('projects').select('id').where('name', '=', NAME).executeTakeFirstOrThrow()).id;
    gid = encodeId('Project', projectId);
    expect(await newEvents()).toEqual([
      {
        ...scope(),
        actor: alice.userId,
        project: NAME,
        action: 'registry.created',
        before: null,
        after: { name: NAME, description: 'Eyes', visibility: 'PRIVATE', allowAllTypes: false, types: ['model'] },
      },
      {
        ...scope(),
        actor: alice.userId,
        project: NAME,
        action: 'registry.member_added',
        before: null,
        after: { userId: alice.userId, role: 'admin' },
      },
    ]);
  });

  it('an update records only what changed; one that changes nothing records nothing', async () => {
    const upsert = (input: Json) =>
      t.gql(sdkDocument('UpsertRegistry'), { input: { name: NAME, entityName: ORG, ...input } }, { key: alice.key });
    ok(await upsert({ description: 'Eyes and ears', access: 'RESTRICTED', artifactTypes: [{ name: 'model' }, { name: 'dataset' }] }));
    expect(await newEvents()).toEqual([
      {
        ...scope(),
        actor: alice.userId,
        project: NAME,
        action: 'registry.updated',
        before: { description: 'Eyes', visibility: 'PRIVATE', types: ['model'] },
        after: { description: 'Eyes and ears', visibility: 'RESTRICTED', types: ['dataset', 'model'] },
      },
    ]);
    ok(await upsert({ description: 'Eyes and ears', artifactTypes: [{ name: 'model' }] }));
    expect(await newEvents()).toEqual([]);
    const protect = (verb: 'add' | 'remove', aliases: string[]) =>
      t.gql(
        `mutation M($id: ID!, $aliases: [String!]!) { ${verb}RegistryProtectedAliases(input: { projectId: $id, aliases: $aliases }) { project { id } } }`,
        { id: gid, aliases },
        { key: alice.key },
      );
    ok(await protect('add', ['production', 'gold']));
    ok(await protect('add', ['gold']));
    ok(await protect('remove', ['gold']));
    expect(await newEvents()).toEqual([
      {
        ...scope(),
        actor: alice.userId,
        project: NAME,
        action: 'registry.updated',
        before: { protectedAliases: [] },
        after: { protectedAliases: ['gold', 'production'] },
      },
      {
        ...scope(),
        actor: alice.userId,
        project: NAME,
        action: 'registry.updated',
        before: { protectedAliases: ['gold', 'production'] },
        after: { protectedAliases: ['production'] },
      },
    ]);
  });

  it('members added, their role changed and removed: one event each, none for no change', async () => {
    const ev = (action: string, before: Json | null, after: Json | null) => ({
      ...scope(),
      actor: alice.userId,
      project: NAME,
      action,
      before,
      after,
    });
    const team = (await t.db.selectFrom('entities').select('id').where('name', '=', 'ml').executeTakeFirstOrThrow()).id;
    ok(
      await t.gql(
        sdkDocument('CreateRegistryMembers'),
        { input: { projectId: gid, userIds: [vera.id, alice.id], role: 'member' } },
        { key: alice.key },
      ),
    );
    expect(await newEvents()).toEqual([ev('registry.member_added', null, { userId: vera.userId, role: 'member' })]);
    ok(
      await t.gql(
        sdkDocument('UpdateUserRegistryRole'),
        { input: { projectId: gid, userId: vera.id, userProjectRole: 'admin' } },
        { key: alice.key },
      ),
    );
    ok(
      await t.gql(
        sdkDocument('UpdateUserRegistryRole'),
        { input: { projectId: gid, userId: vera.id, userProjectRole: 'admin' } },
        { key: alice.key },
      ),
    );
    expect(await newEvents()).toEqual([
      ev('registry.member_role_changed', { userId: vera.userId, role: 'member' }, { userId: vera.userId, role: 'admin' }),
    ]);
    ok(
      await t.gql(
        `mutation M($id: ID!, $team: ID!) { createProjectMembers(input: { projectId: $id, teamIds: [$team], role: "viewer" }) { __typename } }`,
        { id: gid, team: encodeId('Entity', team) },
        { key: alice.key },
      ),
    );
    ok(await t.gql(sdkDocument('DeleteRegistryMembers'), { input: { projectId: gid, userIds: [vera.id] } }, { key: alice.key }));
    expect(await newEvents()).toEqual([
      ev('registry.member_added', null, { teamId: team, role: 'viewer' }),
      ev('registry.member_removed', { userId: vera.userId, role: 'admin' }, null),
    ]);
  });

  it('a refused registry change writes no event', async () => {
    otto = await createUser(t, { username: 'otto', orgRole: 'member' });
    await newEvents();
    const upsert = (input: Json, key?: string) => t.gql(sdkDocument('UpsertRegistry'), { input: { entityName: ORG, ...input } }, { key });
    expect(code(await upsert({ name: NAME, access: 'PRIVATE' }, alice.key))).toBe('BAD_USER_INPUT');
    expect(code(await upsert({ name: 'wandb-registry-a/b' }))).toBe('BAD_USER_INPUT');
    expect(code(await upsert({ name: 'wandb-registry-new' }, vera.key))).toBe('FORBIDDEN');
    expect(code(await upsert({ name: 'wandb-registry-VISION', createOnly: true }))).toBe('CONFLICT');
    expect(
      code(
        await t.gql(
          sdkDocument('RenameRegistry'),
          { input: { entityName: ORG, oldProjectName: NAME, newProjectName: 'wandb-registry-x' } },
          { key: otto.key },
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(
      code(
        await t.gql(
          sdkDocument('UpdateUserRegistryRole'),
          { input: { projectId: gid, userId: vera.id, userProjectRole: 'admin' } },
          { key: alice.key },
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(code(await t.gql(sdkDocument('DeleteRegistry'), { id: gid }, { key: otto.key }))).toBe('NOT_FOUND');
    expect(await newEvents()).toEqual([]);
  });

  it("the registry's history: newest first, for those who can see it only", async () => {
    const history = async (key?: string) => {
      const res = await t.gql(
        `query($e: String!, $p: String!) { project(entityName: $e, name: $p) { events(first: 2) { edges { node { actionType user { username } } } } } }`,
        { e: ORG, p: NAME },
        { key },
      );
      return (ok(res).project as { events: { edges: { node: Json }[] } } | null)?.events.edges.map((e) => e.node) ?? null;
    };
    expect(await history(alice.key)).toEqual([
      { actionType: 'registry.member_removed', user: { username: 'alice' } },
      { actionType: 'registry.member_added', user: { username: 'alice' } },
    ]);
    // Restricted, and otto is not a member.
    expect(await history(otto.key)).toBeNull();
  });

  it('renaming and deleting record the names; the history stays after the delete', async () => {
    ok(
      await t.gql(
        sdkDocument('RenameRegistry'),
        { input: { entityName: ORG, oldProjectName: NAME, newProjectName: 'wandb-registry-sight' } },
        { key: alice.key },
      ),
    );
    ok(await t.gql(sdkDocument('DeleteRegistry'), { id: gid }, { key: alice.key }));
    expect(await newEvents()).toEqual([
      {
        ...scope(),
        actor: alice.userId,
        project: 'wandb-registry-sight',
        action: 'registry.renamed',
        before: { name: NAME },
        after: { name: 'wandb-registry-sight' },
      },
      {
        ...scope(),
        actor: alice.userId,
        project: 'wandb-registry-sight',
        action: 'registry.deleted',
        before: {
          name: 'wandb-registry-sight',
          description: 'Eyes and ears',
          visibility: 'RESTRICTED',
          allowAllTypes: false,
          types: ['dataset', 'model'],
        },
        after: null,
      },
    ]);
    const kept = await t.db.selectFrom('events').select('action').where('project_id', '=', projectId).execute();
    expect(kept).toHaveLength(11);
  });
});

describe('renames and team project collections', () => {
  it('renaming a collection records both names', async () => {
    ok(await link(null, versions[2]!.id, 'vit'));
    await newEvents();
    const { gid } = await portfolioId('vit');
    ok(await t.gql(sdkDocument('UpdateArtifactPortfolio'), { input: { artifactPortfolioID: gid, name: 'vit-b' } }));
    expect(await newEvents()).toEqual([
      {
        actor: adminId,
        project: REGISTRY,
        collection: 'vit-b',
        version: null,
        action: 'collection.updated',
        before: { name: 'vit' },
        after: { name: 'vit-b' },
      },
    ]);
  });

  it("a team project collection's type change and delete are recorded in its project", async () => {
    const source = await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'scratch', type: 'model' });
    await newEvents(); // logging it wrote its own events
    const id = encodeId('ArtifactSequence', source.sequenceId);
    ok(
      await t.gql(
        sdkDocument('UpdateArtifactSequenceType'),
        { input: { artifactSequenceID: id, destinationArtifactTypeName: 'checkpoint' } },
        { key: alice.key },
      ),
    );
    ok(await t.gql(sdkDocument('DeleteArtifactSequence'), { id }, { key: alice.key }));
    const scope = { actor: alice.userId, project: 'train', collection: 'scratch', version: null };
    expect(await newEvents()).toEqual([
      { ...scope, action: 'collection.updated', before: { type: 'model' }, after: { type: 'checkpoint' } },
      { ...scope, action: 'collection.deleted', before: { name: 'scratch', type: 'checkpoint', description: '' }, after: null },
    ]);
  });
});

describe('team projects: versions logged, aliased, tagged and deleted through the SDK', () => {
  const scope = () => ({ actor: alice.userId, project: 'logs', collection: 'bert' });
  const logged: LoggedArtifact[] = [];
  const idOf = (i: number) => decodeId(logged[i]!.artifactId, 'Artifact');
  const log = (content: string, options: { aliases?: string[]; tags?: string[]; dedupe?: boolean } = {}) =>
    logArtifact(t, { entity: 'ml', project: 'logs', name: 'bert', type: 'model', files: { 'w.bin': content }, key: alice.key, ...options });
  const teamAlias = (i: number, alias: string) => ({
    input: {
      artifactID: logged[i]!.artifactId,
      aliases: [{ alias, artifactCollectionName: 'bert', entityName: 'ml', projectName: 'logs' }],
    },
  });
  const updateTags = (i: number, tags: { tagsToAdd?: string[]; tagsToDelete?: string[] }, key = alice.key) =>
    t.gql(
      sdkDocument('UpdateArtifact'),
      {
        input: {
          artifactID: logged[i]!.artifactId,
          tagsToAdd: (tags.tagsToAdd ?? []).map((tagName) => ({ tagName })),
          tagsToDelete: (tags.tagsToDelete ?? []).map((tagName) => ({ tagName })),
        },
      },
      { key },
    );

  it('the first commit records its new collection, the version, latest, its aliases and its tags', async () => {
    await newEvents();
    logged.push(await log('first weights', { aliases: ['best'], tags: ['nlp'] }));
    expect(await newEvents()).toEqual([
      { ...scope(), action: 'collection.created', version: null, before: null, after: { name: 'bert', type: 'model' } },
      {
        ...scope(),
        action: 'version.created',
        version: 0,
        before: null,
        after: { versionIndex: 0, artifactId: idOf(0), digest: logged[0]!.digest },
      },
      { ...scope(), action: 'alias.added', version: 0, before: null, after: { alias: 'latest', versionIndex: 0 } },
      { ...scope(), action: 'alias.added', version: 0, before: null, after: { alias: 'best', versionIndex: 0 } },
      { ...scope(), action: 'version.tag_added', version: 0, before: null, after: { tag: 'nlp' } },
    ]);
  });

  it('the next commit moves latest and the aliases it names; a deduplicated log records nothing', async () => {
    logged.push(await log('second weights', { aliases: ['best'] }));
    expect(await newEvents()).toEqual([
      {
        ...scope(),
        action: 'version.created',
        version: 1,
        before: null,
        after: { versionIndex: 1, artifactId: idOf(1), digest: logged[1]!.digest },
      },
      {
        ...scope(),
        action: 'alias.moved',
        version: 1,
        before: { alias: 'latest', versionIndex: 0 },
        after: { alias: 'latest', versionIndex: 1 },
      },
      {
        ...scope(),
        action: 'alias.moved',
        version: 1,
        before: { alias: 'best', versionIndex: 0 },
        after: { alias: 'best', versionIndex: 1 },
      },
    ]);
    expect((await log('second weights', { dedupe: true })).versionIndex).toBe(1);
    expect(await newEvents()).toEqual([]);
  });

  it('aliases added and removed in a team project are recorded there', async () => {
    ok(await t.gql(sdkDocument('AddAliases'), teamAlias(0, 'prod'), { key: alice.key }));
    ok(await t.gql(sdkDocument('AddAliases'), teamAlias(0, 'prod'), { key: alice.key }));
    ok(await t.gql(sdkDocument('DeleteAliases'), teamAlias(0, 'prod'), { key: alice.key }));
    expect(await newEvents()).toEqual([
      { ...scope(), action: 'alias.added', version: 0, before: null, after: { alias: 'prod', versionIndex: 0 } },
      { ...scope(), action: 'alias.removed', version: 0, before: { alias: 'prod', versionIndex: 0 }, after: null },
    ]);
  });

  it("a version's tags: one event per tag really added or removed; a refused change records nothing", async () => {
    ok(await updateTags(0, { tagsToAdd: ['nlp', 'base'] }));
    ok(await updateTags(0, { tagsToDelete: ['nlp', 'never-set'] }));
    expect(await newEvents()).toEqual([
      { ...scope(), action: 'version.tag_added', version: 0, before: null, after: { tag: 'base' } },
      { ...scope(), action: 'version.tag_removed', version: 0, before: { tag: 'nlp' }, after: null },
    ]);
    expect(code(await updateTags(0, { tagsToAdd: ['a/b'] }))).toBe('BAD_USER_INPUT');
    const bob = await createUser(t, { username: 'bob-events' });
    expect(code(await updateTags(0, { tagsToAdd: ['mine'] }, bob.key))).toBe('NOT_FOUND');
    expect(await newEvents()).toEqual([]);
  });

  it('deleting the newest version records the delete, latest moving back and its other aliases going; a pending one records nothing', async () => {
    const del = (i: number, deleteAliases: boolean) =>
      t.gql(sdkDocument('DeleteArtifact'), { input: { artifactID: logged[i]!.artifactId, deleteAliases } }, { key: alice.key });
    expect(code(await del(1, false))).toBe('CONFLICT');
    expect(await newEvents()).toEqual([]);
    ok(await del(1, true));
    expect(await newEvents()).toEqual([
      {
        ...scope(),
        action: 'version.deleted',
        version: 1,
        before: { versionIndex: 1, artifactId: idOf(1), digest: logged[1]!.digest },
        after: null,
      },
      { ...scope(), action: 'alias.removed', version: 1, before: { alias: 'best', versionIndex: 1 }, after: null },
      {
        ...scope(),
        action: 'alias.moved',
        version: 0,
        before: { alias: 'latest', versionIndex: 1 },
        after: { alias: 'latest', versionIndex: 0 },
      },
    ]);
    const pending = await createSourceVersion(t, { entity: 'ml', project: 'logs', name: 'bert', state: 'PENDING' });
    ok(await t.gql(sdkDocument('DeleteArtifact'), { input: { artifactID: pending.id } }, { key: alice.key }));
    expect(await newEvents()).toEqual([]);
  });
});

describe('end to end: every change to a registry, read back as its whole history', () => {
  const REG = 'wandb-registry-flow';
  const sources: LoggedArtifact[] = [];
  const idOf = (i: number) => decodeId(sources[i]!.artifactId, 'Artifact');

  /** All events of a project, oldest first, read from its history (newest first) a few at a time. */
  async function history(entityName: string, name: string) {
    const nodes: Json[] = [];
    for (let after: string | null = null; ;) {
      const res = await t.gql(
        `query($e: String!, $p: String!, $after: String) { project(entityName: $e, name: $p) { events(first: 4, after: $after) {
          pageInfo { hasNextPage endCursor } edges { node { actionType projectName collectionName versionIndex before after user { username } } } } } }`,
        { e: entityName, p: name, after },
        { key: alice.key },
      );
      const events = (ok(res).project as { events: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: Json }[] } })
        .events;
      nodes.push(...events.edges.map((e) => e.node));
      if (!events.pageInfo.hasNextPage) break;
      after = events.pageInfo.endCursor;
    }
    return nodes.reverse();
  }

  it('links, moves aliases (latest too), tags a version and the collection, unlinks and deletes: one event each, in order', async () => {
    ok(
      await t.gql(
        sdkDocument('UpsertRegistry'),
        { input: { name: REG, entityName: ORG, description: 'Flow', artifactTypes: [{ name: 'model' }] } },
        { key: alice.key },
      ),
    );
    for (const content of ['flow v0', 'flow v1']) {
      sources.push(
        await logArtifact(t, { entity: 'ml', project: 'flow-src', name: 'lm', type: 'model', files: { 'w.bin': content }, key: alice.key }),
      );
    }
    const asAlice = { key: alice.key };
    const aliasOn = (i: number, alias: string) => ({
      input: {
        artifactID: sources[i]!.artifactId,
        aliases: [{ alias, artifactCollectionName: 'lm-prod', entityName: ORG, projectName: REG }],
      },
    });
    const tags = (input: Json) =>
      t.gql(sdkDocument('UpdateArtifact'), { input: { artifactID: sources[1]!.artifactId, ...input } }, asAlice);
    const linkTo = (i: number, aliases: string[]) =>
      t.gql(
        sdkDocument('LinkArtifact'),
        {
          input: {
            artifactID: sources[i]!.artifactId,
            artifactPortfolioName: 'lm-prod',
            entityName: ORG,
            projectName: REG,
            aliases: aliases.map((alias) => ({ alias, artifactCollectionName: 'lm-prod' })),
          },
        },
        asAlice,
      );

    ok(await linkTo(0, ['staging']));
    ok(await linkTo(1, []));
    ok(await t.gql(sdkDocument('AddAliases'), aliasOn(1, 'staging'), asAlice));
    ok(await tags({ tagsToAdd: [{ tagName: 'approved' }] }));
    ok(
      await t.gql(
        sdkDocument('AddArtifactCollectionTags'),
        { input: { entityName: ORG, projectName: REG, artifactCollectionName: 'lm-prod', tags: [{ tagName: 'nlp' }] } },
        asAlice,
      ),
    );
    ok(await tags({ tagsToDelete: [{ tagName: 'approved' }] }));
    // Refused while linked: no event.
    expect(code(await t.gql(sdkDocument('DeleteArtifact'), { input: { artifactID: sources[1]!.artifactId } }, asAlice))).toBe('CONFLICT');
    const { gid } = await portfolioId('lm-prod');
    ok(await t.gql(sdkDocument('UnlinkArtifact'), { input: { artifactID: sources[1]!.artifactId, artifactPortfolioID: gid } }, asAlice));
    ok(await t.gql(sdkDocument('DeleteArtifactPortfolio'), { id: gid }, asAlice));
    ok(await t.gql(sdkDocument('DeleteArtifact'), { input: { artifactID: sources[1]!.artifactId } }, asAlice));

    const ev = (
      project: string,
      collection: string | null,
      action: string,
      versionIndex: number | null,
      before: Json | null,
      after: Json | null,
    ) => ({
      actionType: action,
      projectName: project,
      collectionName: collection,
      versionIndex,
      before,
      after,
      user: { username: 'alice' },
    });
    const reg = (action: string, versionIndex: number | null, before: Json | null, after: Json | null) =>
      ev(REG, action.startsWith('registry.') ? null : 'lm-prod', action, versionIndex, before, after);
    const alias = (alias: string, versionIndex: number) => ({ alias, versionIndex });
    expect(await history(ORG, REG)).toEqual([
      reg('registry.created', null, null, {
        name: REG,
        description: 'Flow',
        visibility: 'PRIVATE',
        allowAllTypes: false,
        types: ['model'],
      }),
      reg('registry.member_added', null, null, { userId: alice.userId, role: 'admin' }),
      reg('collection.created', null, null, { name: 'lm-prod', type: 'model' }),
      reg('version.linked', 0, null, { versionIndex: 0, artifactId: idOf(0), source: 'ml/flow-src/lm:v0' }),
      reg('alias.added', 0, null, alias('latest', 0)),
      reg('alias.added', 0, null, alias('staging', 0)),
      reg('version.linked', 1, null, { versionIndex: 1, artifactId: idOf(1), source: 'ml/flow-src/lm:v1' }),
      reg('alias.moved', 1, alias('latest', 0), alias('latest', 1)),
      reg('alias.moved', 1, alias('staging', 0), alias('staging', 1)),
      reg('version.tag_added', 1, null, { tag: 'approved' }),
      reg('collection.tag_added', null, null, { tag: 'nlp' }),
      reg('version.tag_removed', 1, { tag: 'approved' }, null),
      reg('version.unlinked', 1, { versionIndex: 1, artifactId: idOf(1) }, null),
      reg('alias.moved', 0, alias('latest', 1), alias('latest', 0)),
      reg('alias.removed', 1, alias('staging', 1), null),
      reg('collection.deleted', null, { name: 'lm-prod', type: 'model', description: '' }, null),
    ]);
    // The source versions' own history: logged, tagged (the same tag changes, in their collection) and deleted.
    const src = (action: string, versionIndex: number | null, before: Json | null, after: Json | null) =>
      ev('flow-src', 'lm', action, versionIndex, before, after);
    expect(await history('ml', 'flow-src')).toEqual([
      src('collection.created', null, null, { name: 'lm', type: 'model' }),
      src('version.created', 0, null, { versionIndex: 0, artifactId: idOf(0), digest: sources[0]!.digest }),
      src('alias.added', 0, null, alias('latest', 0)),
      src('version.created', 1, null, { versionIndex: 1, artifactId: idOf(1), digest: sources[1]!.digest }),
      src('alias.moved', 1, alias('latest', 0), alias('latest', 1)),
      src('version.tag_added', 1, null, { tag: 'approved' }),
      src('version.tag_removed', 1, { tag: 'approved' }, null),
      src('version.deleted', 1, { versionIndex: 1, artifactId: idOf(1), digest: sources[1]!.digest }, null),
      src('alias.moved', 0, alias('latest', 1), alias('latest', 0)),
    ]);
  });
});
