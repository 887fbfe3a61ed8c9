import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../server/graphql/ids.js';
import { ADMIN_KEY, createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';

import { createUser, type TestUser } from '../support/users.js';
import { createTeam, type SeededTeam } from '../../seed/people.js';
import { createRegistry, grantRegistryRole, type SeededRegistry } from '../../seed/registries.js';
import { sdkDocument } from '../../seed/sdk-operations.js';
import { createSourceVersion, type SourceVersion } from '../../seed/versions.js';

/**
 * "Not found is one answer": every query and mutation that takes a registry, collection or version
 * (by id or by name) answers a caller who may not see it exactly as it answers for one that does not
 * exist, once the identifier the caller typed is taken out of both answers. Nothing changes either way.
 */

type Json = Record<string, unknown>;
let t: TestApp;
let outsider: TestUser;
let keeper: TestUser;
let ml: SeededTeam;
let secret: SeededRegistry;
/** A version of the outsider's team. */
let own: SourceVersion;
/** A version of a team the outsider is not in, linked only into the restricted registry. */
let hiddenSource: SourceVersion;
/** A version of the outsider's team, linked into the restricted registry and into Models. */
let shared: SourceVersion;
let portfolioId: string;

function ok(res: GraphQLResult): Json {
  expect(res.errors).toBeUndefined();
  return res.data as Json;
}

async function collectionIdOf(projectName: string, name: string): Promise<number> {
  const row = await t.db
    .selectFrom('collections')
    .innerJoin('projects', 'projects.id', 'collections.project_id')
    .select('collections.id')
    .where('projects.name', '=', projectName)
    .where('collections.name', '=', name)
    .executeTakeFirstOrThrow();
  return row.id;
}

function linkAsAdmin(artifactID: string, projectName: string, collection: string) {
  return t.gql(sdkDocument('LinkArtifact'), {
    input: { artifactID, artifactPortfolioName: collection, entityName: ORG, projectName, aliases: [] },
  });
}

/** Every row a mutation of these modules could touch, to prove a refused call changed nothing. */
async function snapshot() {
  const tables = [
    'projects',
    'collections',
    'memberships',
    'aliases',
    'collection_tags',
    'registry_members',
    'protected_aliases',
    'artifacts',
    'registry_types',
  ] as const;
  const rows = await Promise.all(tables.map((table) => t.db.selectFrom(table).selectAll().execute()));
  return rows.map((list) => list.map((row) => JSON.stringify(row)).sort());
}

beforeAll(async () => {
  t = await createTestApp();
  outsider = await createUser(t, { username: 'outsider' });
  keeper = await createUser(t, { username: 'keeper' });
  ml = await createTeam(t, { name: 'ml', members: [outsider] });
  await createTeam(t, { name: 'vault', members: [keeper] });
  secret = await createRegistry(t, { name: 'secret', restricted: true, protectedAliases: ['production'] });
  await grantRegistryRole(t, { registry: secret.name, username: keeper.username, role: 'admin' });
  // A member of Models: linking there is allowed, so only the source version decides.
  await grantRegistryRole(t, { registry: 'model', username: outsider.username, role: 'member' });
  own = await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'net', type: 'model' });
  hiddenSource = await createSourceVersion(t, { entity: 'vault', project: 'train', name: 'net', type: 'model' });
  shared = await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'shared', type: 'model' });
  ok(await linkAsAdmin(hiddenSource.id, secret.projectName, 'classifier'));
  ok(await linkAsAdmin(shared.id, secret.projectName, 'classifier'));
  ok(await linkAsAdmin(shared.id, 'wandb-registry-model', 'public-net'));
  ok(
    await t.gql(sdkDocument('AddArtifactCollectionTags'), {
      input: { entityName: ORG, projectName: secret.projectName, artifactCollectionName: 'classifier', tags: [{ tagName: 'prod' }] },
    }),
  );
  portfolioId = encodeId('ArtifactPortfolio', await collectionIdOf(secret.projectName, 'classifier'));
});
afterAll(() => t.close());

interface Case {
  name: string;
  /** The identifier of something the outsider may not see, and one of the same shape that names nothing. */
  ids: () => { hidden: string; missing: string };
  call: (identifier: string) => Promise<GraphQLResult>;
  /** Queries answer null or empty; mutations an error. */
  query?: boolean;
}

const MISSING_ID = 987654;
const asOutsider = (document: string, variables: Json) => t.gql(document, variables, { key: outsider.key });
const registryId = () => ({ hidden: secret.id, missing: encodeId('Project', MISSING_ID) });
const registryName = () => ({ hidden: 'secret', missing: 'absent' });
const collectionIds = () => ({ hidden: portfolioId, missing: encodeId('ArtifactPortfolio', MISSING_ID) });
const hiddenVersion = () => ({ hidden: hiddenSource.id, missing: encodeId('Artifact', MISSING_ID) });

const CASES: Case[] = [
  // ---- queries
  {
    name: 'FetchRegistry',
    ids: registryName,
    query: true,
    call: (n) => asOutsider(sdkDocument('FetchRegistry'), { name: `wandb-registry-${n}`, entity: ORG }),
  },
  {
    name: 'project by name, its collection and version',
    ids: registryName,
    query: true,
    call: (n) =>
      asOutsider(
        `query Q($p: String!, $e: String!) { project(name: $p, entityName: $e) { id artifactCollection(name: "classifier") { id } artifactCollectionMembership(name: "classifier:v0") { id } } }`,
        { p: `wandb-registry-${n}`, e: ORG },
      ),
  },
  {
    name: 'RegistryUserMembers',
    ids: registryName,
    query: true,
    call: (n) => asOutsider(sdkDocument('RegistryUserMembers'), { project: `wandb-registry-${n}`, entity: ORG }),
  },
  {
    name: 'RegistryCollections filtered by registry name',
    ids: registryName,
    query: true,
    call: (n) =>
      asOutsider(sdkDocument('RegistryCollections'), {
        organization: ORG,
        registryFilter: JSON.stringify({ name: `wandb-registry-${n}` }),
        perPage: 10,
      }),
  },
  {
    name: 'RegistryVersions filtered by registry name',
    ids: registryName,
    query: true,
    call: (n) =>
      asOutsider(sdkDocument('RegistryVersions'), {
        organization: ORG,
        registryFilter: JSON.stringify({ name: `wandb-registry-${n}` }),
        perPage: 10,
      }),
  },
  {
    name: 'artifactCollection by id',
    ids: collectionIds,
    query: true,
    call: (id) => asOutsider(`query Q($id: ID!) { artifactCollection(id: $id) { id name } }`, { id }),
  },
  {
    name: 'ArtifactCollectionAliases',
    ids: collectionIds,
    query: true,
    call: (id) => asOutsider(sdkDocument('ArtifactCollectionAliases'), { id }),
  },
  { name: 'ArtifactByID', ids: hiddenVersion, query: true, call: (id) => asOutsider(sdkDocument('ArtifactByID'), { id }) },
  {
    name: 'FetchLinkedArtifacts',
    ids: hiddenVersion,
    query: true,
    call: (id) => asOutsider(sdkDocument('FetchLinkedArtifacts'), { artifactID: id }),
  },
  // ---- registries
  {
    name: 'upsertModel (updateOnly)',
    ids: registryName,
    call: (n) =>
      asOutsider(sdkDocument('UpsertRegistry'), {
        input: { name: `wandb-registry-${n}`, entityName: ORG, description: 'x', updateOnly: true },
      }),
  },
  {
    name: 'renameProject',
    ids: registryName,
    call: (n) =>
      asOutsider(sdkDocument('RenameRegistry'), {
        input: { entityName: ORG, oldProjectName: `wandb-registry-${n}`, newProjectName: 'wandb-registry-renamed' },
      }),
  },
  { name: 'deleteModel', ids: registryId, call: (id) => asOutsider(sdkDocument('DeleteRegistry'), { id }) },
  {
    name: 'createProjectMembers',
    ids: registryId,
    call: (id) => asOutsider(sdkDocument('CreateRegistryMembers'), { input: { projectId: id, userIds: [outsider.id], role: 'admin' } }),
  },
  {
    name: 'deleteProjectMembers',
    ids: registryId,
    call: (id) => asOutsider(sdkDocument('DeleteRegistryMembers'), { input: { projectId: id, userIds: [keeper.id] } }),
  },
  {
    name: 'updateProjectMember',
    ids: registryId,
    call: (id) =>
      asOutsider(sdkDocument('UpdateUserRegistryRole'), { input: { projectId: id, userId: keeper.id, userProjectRole: 'viewer' } }),
  },
  {
    name: 'updateProjectTeamMember',
    ids: registryId,
    call: (id) => asOutsider(sdkDocument('UpdateTeamRegistryRole'), { input: { projectId: id, teamId: ml.id, teamProjectRole: 'admin' } }),
  },
  {
    name: 'addRegistryProtectedAliases',
    ids: registryId,
    call: (id) =>
      asOutsider(`mutation M($id: ID!) { addRegistryProtectedAliases(input: { projectId: $id, aliases: ["gold"] }) { project { id } } }`, {
        id,
      }),
  },
  {
    name: 'removeRegistryProtectedAliases',
    ids: registryId,
    call: (id) =>
      asOutsider(
        `mutation M($id: ID!) { removeRegistryProtectedAliases(input: { projectId: $id, aliases: ["production"] }) { project { id } } }`,
        { id },
      ),
  },
  // ---- collections
  {
    name: 'createArtifactPortfolio',
    ids: registryId,
    call: (id) =>
      asOutsider(
        `mutation M($id: ID!) { createArtifactPortfolio(input: { projectId: $id, name: "new", type: "model" }) { artifactCollection { id } } }`,
        { id },
      ),
  },
  {
    name: 'updateArtifactPortfolio',
    ids: collectionIds,
    call: (id) => asOutsider(sdkDocument('UpdateArtifactPortfolio'), { input: { artifactPortfolioID: id, description: 'changed' } }),
  },
  { name: 'deleteArtifactPortfolio', ids: collectionIds, call: (id) => asOutsider(sdkDocument('DeleteArtifactPortfolio'), { id }) },
  {
    name: 'createArtifactCollectionTagAssignments',
    ids: registryName,
    call: (n) =>
      asOutsider(sdkDocument('AddArtifactCollectionTags'), {
        input: { entityName: ORG, projectName: `wandb-registry-${n}`, artifactCollectionName: 'classifier', tags: [{ tagName: 'x' }] },
      }),
  },
  {
    name: 'deleteArtifactCollectionTagAssignments',
    ids: registryName,
    call: (n) =>
      asOutsider(sdkDocument('DeleteArtifactCollectionTags'), {
        input: { entityName: ORG, projectName: `wandb-registry-${n}`, artifactCollectionName: 'classifier', tags: [{ tagName: 'prod' }] },
      }),
  },
  {
    name: 'updateArtifactSequence (a team project the caller is not in)',
    ids: () => ({ hidden: encodeId('ArtifactSequence', hiddenSource.sequenceId), missing: encodeId('ArtifactSequence', MISSING_ID) }),
    call: (id) => asOutsider(sdkDocument('UpdateArtifactSequence'), { input: { artifactSequenceID: id, description: 'changed' } }),
  },
  {
    name: 'deleteArtifactSequence (a team project the caller is not in)',
    ids: () => ({ hidden: encodeId('ArtifactSequence', hiddenSource.sequenceId), missing: encodeId('ArtifactSequence', MISSING_ID) }),
    call: (id) => asOutsider(sdkDocument('DeleteArtifactSequence'), { id }),
  },
  // ---- links and aliases
  {
    name: 'linkArtifact by collection id',
    ids: collectionIds,
    call: (id) => asOutsider(sdkDocument('LinkArtifact'), { input: { artifactID: own.id, artifactPortfolioID: id, aliases: [] } }),
  },
  {
    name: 'linkArtifact by registry name',
    ids: registryName,
    call: (n) =>
      asOutsider(sdkDocument('LinkArtifact'), {
        input: {
          artifactID: own.id,
          entityName: ORG,
          projectName: `wandb-registry-${n}`,
          artifactPortfolioName: 'classifier',
          aliases: [],
        },
      }),
  },
  {
    name: 'linkArtifact of a version the caller cannot see',
    ids: hiddenVersion,
    call: (id) =>
      asOutsider(sdkDocument('LinkArtifact'), {
        input: { artifactID: id, entityName: ORG, projectName: 'wandb-registry-model', artifactPortfolioName: 'public-net', aliases: [] },
      }),
  },
  {
    name: 'unlinkArtifact',
    ids: collectionIds,
    call: (id) => asOutsider(sdkDocument('UnlinkArtifact'), { input: { artifactID: shared.id, artifactPortfolioID: id } }),
  },
  {
    name: 'addAliases',
    ids: registryName,
    call: (n) =>
      asOutsider(sdkDocument('AddAliases'), {
        input: {
          artifactID: shared.id,
          aliases: [{ alias: 'best', artifactCollectionName: 'classifier', entityName: ORG, projectName: `wandb-registry-${n}` }],
        },
      }),
  },
  {
    name: 'deleteAliases',
    ids: registryName,
    call: (n) =>
      asOutsider(sdkDocument('DeleteAliases'), {
        input: {
          artifactID: shared.id,
          aliases: [{ alias: 'latest-ok', artifactCollectionName: 'classifier', entityName: ORG, projectName: `wandb-registry-${n}` }],
        },
      }),
  },
  // ---- source versions
  {
    name: 'updateArtifact',
    ids: hiddenVersion,
    call: (id) => asOutsider(sdkDocument('UpdateArtifact'), { input: { artifactID: id, description: 'changed' } }),
  },
  {
    name: 'useArtifact',
    ids: hiddenVersion,
    call: (id) =>
      asOutsider(
        `mutation M($id: ID!) { useArtifact(input: { artifactID: $id, entityName: "ml", projectName: "train", runName: "r1" }) { artifact { id } } }`,
        { id },
      ),
  },
  { name: 'deleteArtifact', ids: hiddenVersion, call: (id) => asOutsider(sdkDocument('DeleteArtifact'), { input: { artifactID: id } }) },
];

/** The response with the identifier the caller typed taken out. */
function normalized(res: GraphQLResult, typed: string): string {
  return JSON.stringify(res).split(typed).join('<typed>');
}

describe('a registry, collection or version the caller may not see answers exactly like one that does not exist', () => {
  it.each(CASES)('$name', async (c) => {
    const ids = c.ids();
    const before = await snapshot();
    const hidden = await c.call(ids.hidden);
    const missing = await c.call(ids.missing);
    if (c.query) expect(hidden.errors).toBeUndefined();
    else expect(hidden.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(normalized(hidden, ids.hidden)).toBe(normalized(missing, ids.missing));
    expect(JSON.stringify(hidden)).not.toMatch(/vault|keeper/);
    expect(await snapshot()).toEqual(before);
  });
});

describe('names the caller cannot see are never named back', () => {
  it('creating a registry whose name a restricted registry holds: CONFLICT naming only what was typed', async () => {
    // Updating it: not there for the caller.
    const update = await asOutsider(sdkDocument('UpsertRegistry'), {
      input: { name: 'wandb-registry-secret', entityName: ORG, description: 'x' },
    });
    expect(update.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(update.errors?.[0]?.message).toBe('Registry "secret" was not found.');
    // Creating it: names are unique, so the name is taken, but it is named as typed, not as stored.
    for (const input of [
      { name: 'wandb-registry-SeCrEt', entityName: ORG, createOnly: true },
      { name: 'wandb-registry-secret', entityName: ORG, createOnly: true },
      { name: 'wandb-registry-SECRET', entityName: ORG },
    ]) {
      const res = await asOutsider(sdkDocument('UpsertRegistry'), { input });
      expect(res.errors?.[0]?.extensions?.code, input.name).toBe('CONFLICT');
      expect(res.errors?.[0]?.message, input.name).toBe(
        `A registry named "${input.name.slice('wandb-registry-'.length)}" already exists (names ignore letter case): choose another name.`,
      );
    }
    const mine = ok(await asOutsider(sdkDocument('UpsertRegistry'), { input: { name: 'wandb-registry-mine', entityName: ORG } }));
    expect(mine.upsertModel).toBeTruthy();
    const rename = await asOutsider(sdkDocument('RenameRegistry'), {
      input: { entityName: ORG, oldProjectName: 'wandb-registry-mine', newProjectName: 'wandb-registry-SECRET' },
    });
    expect(rename.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(rename.errors?.[0]?.message).toBe('A registry named "SECRET" already exists (names ignore letter case): choose another name.');
    expect((await t.db.selectFrom('projects').select('name').where('id', '=', secret.projectId).executeTakeFirstOrThrow()).name).toBe(
      'wandb-registry-secret',
    );
  });

  it('deleting a linked source version lists only the links the caller can see, and counts the others', async () => {
    const before = await snapshot();
    const res = await asOutsider(sdkDocument('DeleteArtifact'), { input: { artifactID: shared.id } });
    expect(res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const message = res.errors?.[0]?.message ?? '';
    expect(message).toContain('wandb-registry-model/public-net:v0');
    expect(message).toContain('and 1 link in a registry you cannot see');
    expect(message).not.toMatch(/secret|classifier/);
    expect(await snapshot()).toEqual(before);
    // An org admin sees every registry: every link is named.
    const admin = await t.gql(sdkDocument('DeleteArtifact'), { input: { artifactID: shared.id } }, { key: ADMIN_KEY });
    expect(admin.errors?.[0]?.message).toContain('wandb-registry-secret/classifier:v1');
    expect(admin.errors?.[0]?.message).not.toContain('cannot see');
  });

  it('deleting or retyping a sequence with linked versions names only the visible links', async () => {
    const id = encodeId('ArtifactSequence', shared.sequenceId);
    const before = await snapshot();
    for (const res of [
      await asOutsider(sdkDocument('DeleteArtifactSequence'), { id }),
      await asOutsider(sdkDocument('UpdateArtifactSequenceType'), {
        input: { artifactSequenceID: id, destinationArtifactTypeName: 'dataset' },
      }),
    ]) {
      expect(res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect(res.errors?.[0]?.message).toContain('wandb-registry-model/public-net:v0');
      expect(res.errors?.[0]?.message).toContain('and 1 link in a registry you cannot see');
      expect(res.errors?.[0]?.message).not.toMatch(/secret|classifier/);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a version linked only where the caller cannot see: the conflict says so without naming it', async () => {
    const only = await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'solo', type: 'model' });
    ok(await linkAsAdmin(only.id, secret.projectName, 'classifier'));
    const res = await asOutsider(sdkDocument('DeleteArtifact'), { input: { artifactID: only.id } });
    expect(res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(res.errors?.[0]?.message).toContain('1 link in a registry you cannot see');
    expect(res.errors?.[0]?.message).not.toMatch(/secret|classifier/);
  });
});
