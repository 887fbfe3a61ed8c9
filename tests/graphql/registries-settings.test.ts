import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ORG, type TestApp } from '../support/app.js';
import { createUser, type TestUser } from '../support/users.js';
import { createTeam, type SeededTeam } from '../../seed/people.js';
import { sdkDocument } from '../../seed/sdk-operations.js';

let t: TestApp;
let alice: TestUser; // org member, creates registries
let bob: TestUser; // org member
let vera: TestUser; // org viewer
let vision: SeededTeam;

interface Registry {
  id: string;
  name: string;
  description: string | null;
  access: string;
  allowAllArtifactTypes: boolean;
  updatedAt: string;
  artifactTypes: { edges: { node: { name: string } }[] };
}

async function upsert(input: Record<string, unknown>, key?: string) {
  return t.gql(sdkDocument('UpsertRegistry'), { input: { entityName: ORG, ...input } }, { key });
}

async function fetchRegistry(name: string, key?: string): Promise<Registry | null> {
  const res = await t.gql(sdkDocument('FetchRegistry'), { name: `wandb-registry-${name}`, entity: ORG }, { key });
  expect(res.errors).toBeUndefined();
  return (res.data?.entity as { project: Registry | null }).project;
}

async function create(name: string, key: string, extra: Record<string, unknown> = {}): Promise<Registry> {
  const res = await upsert(
    { name: `wandb-registry-${name}`, description: '', access: 'PRIVATE', allowAllArtifactTypesInRegistry: true, ...extra },
    key,
  );
  expect(res.errors).toBeUndefined();
  return (res.data?.upsertModel as { project: Registry }).project;
}

function typeNames(r: Registry | null): string[] {
  return r?.artifactTypes.edges.map((e) => e.node.name) ?? [];
}

beforeAll(async () => {
  t = await createTestApp();
  alice = await createUser(t, { username: 'alice', orgRole: 'member' });
  bob = await createUser(t, { username: 'bob', orgRole: 'member' });
  vera = await createUser(t, { username: 'vera', orgRole: 'viewer' });
  vision = await createTeam(t, { name: 'vision', members: [bob] });
});
afterAll(() => t.close());

describe('UpsertRegistry (create and update)', () => {
  it('creates a registry (inserted: true) as the SDK does: FetchRegistry null, then upsert', async () => {
    expect(await fetchRegistry('foo', alice.key)).toBeNull();
    const res = await upsert(
      {
        name: 'wandb-registry-foo',
        description: 'Our models',
        access: 'RESTRICTED',
        allowAllArtifactTypesInRegistry: false,
        artifactTypes: [{ name: 'model' }, { name: 'onnx-model' }],
      },
      alice.key,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.upsertModel).toMatchObject({
      inserted: true,
      project: {
        __typename: 'Project',
        name: 'wandb-registry-foo',
        description: 'Our models',
        access: 'RESTRICTED',
        allowAllArtifactTypes: false,
        entity: { name: ORG, organization: { name: ORG } },
      },
    });
    expect(typeNames(await fetchRegistry('foo', alice.key))).toEqual(['model', 'onnx-model']);
    // The creator of a restricted registry is its admin; others do not see it.
    const members = await t.gql(sdkDocument('RegistryUserMembers'), { project: 'wandb-registry-foo', entity: ORG }, { key: alice.key });
    expect(members.data?.project).toEqual({ members: [expect.objectContaining({ username: 'alice', role: { name: 'admin' } })] });
    expect(await fetchRegistry('foo', bob.key)).toBeNull();
  });

  it('a second upsert of the same name updates it (inserted: false): description, add-only types, bumped updatedAt', async () => {
    const before = await fetchRegistry('foo', alice.key);
    await new Promise((r) => setTimeout(r, 5));
    const res = await upsert(
      { name: 'wandb-registry-foo', description: 'Changed', artifactTypes: [{ name: 'dataset' }, { name: 'model' }] },
      alice.key,
    );
    expect(res.errors).toBeUndefined();
    const project = res.data?.upsertModel as { inserted: boolean; project: Registry };
    expect(project.inserted).toBe(false);
    expect(project.project.description).toBe('Changed');
    expect(typeNames(project.project)).toEqual(['dataset', 'model', 'onnx-model']);
    expect(new Date(project.project.updatedAt).getTime()).toBeGreaterThan(new Date(before?.updatedAt ?? 0).getTime());
    // Saving without types removes nothing.
    await upsert({ name: 'wandb-registry-foo', artifactTypes: [] }, alice.key);
    expect(typeNames(await fetchRegistry('foo', alice.key))).toEqual(['dataset', 'model', 'onnx-model']);
    const allowAll = await upsert({ name: 'wandb-registry-foo', allowAllArtifactTypesInRegistry: true }, alice.key);
    expect(allowAll.data?.upsertModel).toMatchObject({ project: { allowAllArtifactTypes: true } });
  });

  it('createOnly refuses an existing name (any letter case) with CONFLICT', async () => {
    for (const name of ['wandb-registry-foo', 'wandb-registry-FOO']) {
      const res = await upsert({ name, createOnly: true }, alice.key);
      expect(res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect(res.errors?.[0]?.message).toMatch(/already exists/);
    }
    const clash = await upsert({ name: 'wandb-registry-Foo' }, bob.key);
    expect(clash.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const fresh = await upsert({ name: 'wandb-registry-fresh', createOnly: true }, alice.key);
    expect(fresh.data?.upsertModel).toMatchObject({ inserted: true });
  });

  it('a name people would read as another registry\'s ("Models" beside the core `model`) is CONFLICT, by create and by rename', async () => {
    const before = await t.gql('{ entity(name: "acme") { projects { edges { node { name } } } } }', {}, { key: alice.key });
    for (const name of ['wandb-registry-Models', 'wandb-registry-datasets']) {
      const res = await upsert({ name, createOnly: true }, alice.key);
      expect(res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect(res.errors?.[0]?.message).toMatch(/^A registry shown as "(Models|Datasets)" already exists: choose another name\.$/);
      // The SDK's path (no createOnly) is refused the same way.
      expect((await upsert({ name }, alice.key)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    }
    await create('lookalike', alice.key);
    const rename = await t.gql(
      sdkDocument('RenameRegistry'),
      { input: { entityName: ORG, oldProjectName: 'wandb-registry-lookalike', newProjectName: 'wandb-registry-MODELS' } },
      { key: alice.key },
    );
    expect(rename.errors?.[0]?.message).toBe('A registry shown as "Models" already exists: choose another name.');
    const after = await t.gql('{ entity(name: "acme") { projects { edges { node { name } } } } }', {}, { key: alice.key });
    const names = (r: typeof before) =>
      (r.data?.entity as { projects: { edges: { node: { name: string } }[] } }).projects.edges.map((e) => e.node.name);
    expect(names(after).sort()).toEqual([...names(before), 'wandb-registry-lookalike'].sort());
  });

  it('updateOnly refuses a registry that does not exist (deleted meanwhile) with NOT_FOUND, and creates nothing', async () => {
    const res = await upsert({ name: 'wandb-registry-gone', description: 'Saved from an open settings page', updateOnly: true }, alice.key);
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(res.errors?.[0]?.message).toMatch(/not found: it may have been deleted/);
    expect(await fetchRegistry('gone', alice.key)).toBeNull();
    const update = await upsert({ name: 'wandb-registry-foo', description: 'Still here', updateOnly: true }, alice.key);
    expect(update.data?.upsertModel).toMatchObject({ inserted: false, project: { description: 'Still here' } });
  });

  it('simultaneous creates of one name: one registry, the rest CONFLICT (no 500)', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => upsert({ name: 'wandb-registry-race', createOnly: true, access: 'RESTRICTED' }, alice.key)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(results.filter((r) => (r.data?.upsertModel as { inserted?: boolean } | null)?.inserted === true)).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(5);
    const users = await t.gql(sdkDocument('RegistryUserMembers'), { project: 'wandb-registry-race', entity: ORG }, { key: alice.key });
    expect((users.data?.project as { members: unknown[] }).members).toHaveLength(1);
  });

  it('visibility only goes organization → restricted', async () => {
    await create('vis', alice.key);
    const restricted = await upsert({ name: 'wandb-registry-vis', access: 'RESTRICTED' }, alice.key);
    expect(restricted.data?.upsertModel).toMatchObject({ project: { access: 'RESTRICTED' } });
    const back = await upsert({ name: 'wandb-registry-vis', access: 'PRIVATE' }, alice.key);
    expect(back.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(back.errors?.[0]?.message).toMatch(/only go from organization .* to restricted/);
    expect((await fetchRegistry('vis', alice.key))?.access).toBe('RESTRICTED');
    const core = await upsert({ name: 'wandb-registry-model', access: 'RESTRICTED' });
    expect(core.errors?.[0]?.message).toMatch(/Core registries stay visible/);
  });

  it('creating needs org role member or admin; updating needs registry admin', async () => {
    const denied = await upsert({ name: 'wandb-registry-vera' }, vera.key);
    expect(denied.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(denied.errors?.[0]?.message).toMatch(/organization member or admin role/);
    expect(await fetchRegistry('vera')).toBeNull();
    await create('open', alice.key);
    const update = await upsert({ name: 'wandb-registry-open', description: 'bob was here' }, bob.key);
    expect(update.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(update.errors?.[0]?.message).toMatch(/admin role in registry "open"; yours is viewer/);
    const hidden = await upsert({ name: 'wandb-registry-foo', description: 'x' }, bob.key);
    expect(hidden.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await fetchRegistry('open'))?.description).toBe('');
  });

  it('rejects bad names, types and access with BAD_USER_INPUT and creates nothing', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: 'wandb-registry-a/b' }, /Registry name "a\/b" is not valid/],
      [{ name: 'wandb-registry-a:b' }, /is not valid/],
      [{ name: 'wandb-registry-' }, /is not valid/],
      [{ name: 'no-prefix' }, /start with "wandb-registry-"/],
      [{ name: `wandb-registry-${'x'.repeat(114)}` }, /at most 128 characters/],
      [{ name: "wandb-registry-x'; drop table projects; --" }, /is not valid/],
      [{ name: 'wandb-registry-<script>alert(1)</script>' }, /is not valid/],
      [{ name: 'wandb-registry-ok', access: 'PUBLIC' }, /access "PUBLIC" is not valid/],
      [{ name: 'wandb-registry-ok', artifactTypes: [{ name: 'a/b' }] }, /Artifact type name "a\/b" is not valid/],
      [{ name: 'wandb-registry-ok', entityName: 'alice' }, /belong to the organization entity/],
    ];
    for (const [input, message] of cases) {
      const res = await upsert(input, alice.key);
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toMatch(message);
    }
    // 113 characters of name make exactly 128: allowed.
    const longest = await upsert({ name: `wandb-registry-${'x'.repeat(113)}` }, alice.key);
    expect(longest.errors).toBeUndefined();
    const res = await t.gql(sdkDocument('FetchRegistries'), { organization: ORG, filters: JSON.stringify({ name: 'wandb-registry-ok' }) });
    expect((res.data?.organization as { orgEntity: { projects: { edges: unknown[] } } }).orgEntity.projects.edges).toEqual([]);
  });
});

describe('RenameRegistry and DeleteRegistry', () => {
  it('renames (registry admin); names are validated and unique; core registries keep their names', async () => {
    await create('old-name', alice.key);
    const rename = (oldName: string, newName: string, key?: string) =>
      t.gql(sdkDocument('RenameRegistry'), { input: { entityName: ORG, oldProjectName: oldName, newProjectName: newName } }, { key });
    const res = await rename('wandb-registry-old-name', 'wandb-registry-new-name', alice.key);
    expect(res.errors).toBeUndefined();
    expect(res.data?.renameProject).toMatchObject({ inserted: false, project: { name: 'wandb-registry-new-name' } });
    expect(await fetchRegistry('old-name', alice.key)).toBeNull();
    expect((await rename('wandb-registry-new-name', 'wandb-registry-open', alice.key)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await rename('wandb-registry-new-name', 'wandb-registry-a/b', alice.key)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await rename('wandb-registry-new-name', 'wandb-registry-x', bob.key)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await rename('wandb-registry-nope', 'wandb-registry-x', alice.key)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const core = await rename('wandb-registry-model', 'wandb-registry-models');
    expect(core.errors?.[0]?.message).toMatch(/core registries cannot be renamed/);
  });

  it('deletes a registry with its collections, links and aliases, never the source versions', async () => {
    const registry = await create('doomed', alice.key);
    const projectId = Number(Buffer.from(registry.id, 'base64').toString().split(':')[1]);
    // A source version in a team project, linked into a collection of the registry (set up in SQL).
    const teamEntity = await t.db.selectFrom('entities').select('id').where('name', '=', vision.name).executeTakeFirstOrThrow();
    const source = await t.db
      .insertInto('projects')
      .values({ entity_id: teamEntity.id, name: 'training', access: 'PRIVATE' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const sequence = await t.db
      .insertInto('collections')
      .values({ project_id: source.id, kind: 'SEQUENCE', name: 'resnet', type_name: 'model' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const artifact = await t.db
      .insertInto('artifacts')
      .values({ sequence_id: sequence.id, version_index: 0, state: 'COMMITTED', digest: 'd', metadata: '{}', manifest: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const portfolio = await t.db
      .insertInto('collections')
      .values({ project_id: projectId, kind: 'PORTFOLIO', name: 'resnet', type_name: 'model' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const membership = await t.db
      .insertInto('memberships')
      .values({ collection_id: portfolio.id, artifact_id: artifact.id, version_index: 0, is_link: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('aliases')
      .values({ collection_id: portfolio.id, membership_id: membership.id, alias: 'production', linked_at: new Date() })
      .execute();
    await t.db.insertInto('protected_aliases').values({ project_id: projectId, alias: 'production' }).execute();

    const denied = await t.gql(sdkDocument('DeleteRegistry'), { id: registry.id }, { key: bob.key });
    expect(denied.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(denied.errors?.[0]?.message).toMatch(/admin role/);
    const res = await t.gql(sdkDocument('DeleteRegistry'), { id: registry.id }, { key: alice.key });
    expect(res.errors).toBeUndefined();
    expect(res.data?.deleteModel).toEqual({ success: true });
    expect(await fetchRegistry('doomed', alice.key)).toBeNull();
    expect(await t.db.selectFrom('collections').select('id').where('project_id', '=', projectId).execute()).toEqual([]);
    expect(await t.db.selectFrom('memberships').select('id').where('id', '=', membership.id).execute()).toEqual([]);
    expect(await t.db.selectFrom('artifacts').select('id').where('id', '=', artifact.id).execute()).toHaveLength(1);
    // The source's own membership row (if any) and collection remain.
    expect(await t.db.selectFrom('collections').select('id').where('id', '=', sequence.id).execute()).toHaveLength(1);
  });

  it('refuses core registries, bad and unknown ids', async () => {
    const model = await fetchRegistry('model');
    const core = await t.gql(sdkDocument('DeleteRegistry'), { id: model?.id });
    expect(core.errors?.[0]?.message).toMatch(/core registries cannot be deleted/);
    expect(await fetchRegistry('model')).not.toBeNull();
    for (const id of ['garbage', Buffer.from('User:1').toString('base64'), "'; drop table projects; --"]) {
      const res = await t.gql(sdkDocument('DeleteRegistry'), { id });
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const unknown = await t.gql(sdkDocument('DeleteRegistry'), { id: Buffer.from('Project:99999').toString('base64') });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('members', () => {
  it('adds users and teams (viewer by default), lists them in the SDK shape with effective roles, updates and removes', async () => {
    const registry = await create('team-space', alice.key, { access: 'RESTRICTED' });
    const projectId = registry.id;
    const add = await t.gql(
      sdkDocument('CreateRegistryMembers'),
      { input: { projectId, userIds: [vera.id], teamIds: [vision.id] } },
      { key: alice.key },
    );
    expect(add.errors).toBeUndefined();
    expect(add.data?.result).toEqual({ success: true });
    const users = await t.gql(
      sdkDocument('RegistryUserMembers'),
      { project: 'wandb-registry-team-space', entity: ORG },
      { key: alice.key },
    );
    expect(users.errors).toBeUndefined();
    // alice administers the registry, not the organization: she reads her own email only.
    expect(users.data?.project).toEqual({
      members: [
        { id: alice.id, name: 'alice', username: 'alice', email: 'alice@example.com', role: { name: 'admin' } },
        { id: vera.id, name: 'vera', username: 'vera', email: null, role: { name: 'viewer' } },
      ],
    });
    const teams = await t.gql(
      sdkDocument('RegistryTeamMembers'),
      { project: 'wandb-registry-team-space', entity: ORG },
      { key: alice.key },
    );
    expect(teams.errors).toBeUndefined();
    expect(teams.data?.project).toMatchObject({
      teamMembers: [
        {
          team: { __typename: 'Entity', id: vision.id, name: 'vision', isTeam: true, members: [{ username: 'bob' }] },
          role: { name: 'viewer' },
        },
      ],
    });

    const promote = await t.gql(
      sdkDocument('UpdateTeamRegistryRole'),
      { input: { projectId, teamId: vision.id, teamProjectRole: 'member' } },
      { key: alice.key },
    );
    expect(promote.data?.result).toEqual({ success: true });
    // bob is not a direct member but gets member through his team; the viewer role says so.
    await t.gql(sdkDocument('CreateRegistryMembers'), { input: { projectId, userIds: [bob.id] } }, { key: alice.key });
    const detailed = await t.gql(
      `query($p: String!, $e: String!) { project(name: $p, entityName: $e) { viewerRole { role source teamName } members { username effectiveRole { role source teamName } } } }`,
      { p: 'wandb-registry-team-space', e: ORG },
      { key: bob.key },
    );
    expect(detailed.errors).toBeUndefined();
    expect(detailed.data?.project).toEqual({
      viewerRole: { role: 'member', source: 'team', teamName: 'vision' },
      members: [
        { username: 'alice', effectiveRole: { role: 'admin', source: 'user', teamName: null } },
        { username: 'bob', effectiveRole: { role: 'member', source: 'team', teamName: 'vision' } },
        { username: 'vera', effectiveRole: { role: 'viewer', source: 'user', teamName: null } },
      ],
    });
    const readOnly = await t.gql(sdkDocument('IsProjectReadOnly'), { entity: ORG, project: 'wandb-registry-team-space' }, { key: bob.key });
    expect(readOnly.data?.project).toEqual({ readOnly: false });
    const veraReadOnly = await t.gql(
      sdkDocument('IsProjectReadOnly'),
      { entity: ORG, project: 'wandb-registry-team-space' },
      { key: vera.key },
    );
    expect(veraReadOnly.data?.project).toEqual({ readOnly: true });

    const update = await t.gql(
      sdkDocument('UpdateUserRegistryRole'),
      { input: { projectId, userId: vera.id, userProjectRole: 'restricted_viewer' } },
      { key: alice.key },
    );
    expect(update.data?.result).toEqual({ success: true });
    const bad = await t.gql(
      sdkDocument('UpdateUserRegistryRole'),
      { input: { projectId, userId: vera.id, userProjectRole: 'owner' } },
      { key: alice.key },
    );
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(bad.errors?.[0]?.message).toMatch(/use one of restricted_viewer, viewer, member, admin/);

    const remove = await t.gql(
      sdkDocument('DeleteRegistryMembers'),
      { input: { projectId, userIds: [vera.id], teamIds: [vision.id] } },
      { key: alice.key },
    );
    expect(remove.data?.result).toEqual({ success: true });
    const after = await t.gql(
      sdkDocument('RegistryUserMembers'),
      { project: 'wandb-registry-team-space', entity: ORG },
      { key: alice.key },
    );
    expect((after.data?.project as { members: { username: string }[] }).members.map((m) => m.username)).toEqual(['alice', 'bob']);
    expect(await fetchRegistry('team-space', vera.key)).toBeNull();
  });

  it('refuses unknown users and teams, wrong id types and non-members', async () => {
    const registry = await create('strict', alice.key);
    const projectId = registry.id;
    const cases: [string, Record<string, unknown>, string][] = [
      ['CreateRegistryMembers', { projectId, userIds: [Buffer.from('User:9999').toString('base64')] }, 'NOT_FOUND'],
      ['CreateRegistryMembers', { projectId, teamIds: [alice.id] }, 'BAD_USER_INPUT'],
      ['CreateRegistryMembers', { projectId, userIds: ['nonsense'] }, 'BAD_USER_INPUT'],
      ['CreateRegistryMembers', { projectId: alice.id, userIds: [bob.id] }, 'BAD_USER_INPUT'],
      ['UpdateUserRegistryRole', { projectId, userId: bob.id, userProjectRole: 'member' }, 'NOT_FOUND'],
      ['UpdateTeamRegistryRole', { projectId, teamId: vision.id, teamProjectRole: 'member' }, 'NOT_FOUND'],
    ];
    for (const [doc, input, code] of cases) {
      const res = await t.gql(sdkDocument(doc), { input }, { key: alice.key });
      expect(res.errors?.[0]?.extensions?.code, `${doc} ${JSON.stringify(input)}`).toBe(code);
    }
    const users = await t.gql(sdkDocument('RegistryUserMembers'), { project: 'wandb-registry-strict', entity: ORG }, { key: alice.key });
    expect((users.data?.project as { members: unknown[] }).members).toHaveLength(1);
  });
});

describe('member mutations return the registry', () => {
  const PROJECT = `project { id viewerRole { role source } members { username role { name } effectiveRole { role source teamName } } teamMembers { team { name } role { name } } }`;

  it('each returns the registry with its members, effective roles and the viewer role as they are after the change', async () => {
    const registry = await create('returned', alice.key, { access: 'RESTRICTED' });
    const projectId = registry.id;
    const run = async (field: string, input: Record<string, unknown>) => {
      const res = await t.gql(
        `mutation($input: ${field[0]?.toUpperCase()}${field.slice(1)}Input!) { ${field}(input: $input) { success ${PROJECT} } }`,
        { input },
        { key: alice.key },
      );
      expect(res.errors, field).toBeUndefined();
      return res.data?.[field] as { success: boolean; project: Record<string, unknown> };
    };

    const added = await run('createProjectMembers', { projectId, userIds: [bob.id], teamIds: [vision.id], role: 'viewer' });
    expect(added.success).toBe(true);
    expect(added.project).toMatchObject({
      id: projectId,
      members: [
        { username: 'alice', role: { name: 'admin' } },
        { username: 'bob', role: { name: 'viewer' }, effectiveRole: { role: 'viewer' } },
      ],
      teamMembers: [{ team: { name: 'vision' }, role: { name: 'viewer' } }],
    });

    // bob's team now gives more than his own grant: his effective role says where it comes from.
    const team = await run('updateProjectTeamMember', { projectId, teamId: vision.id, teamProjectRole: 'member' });
    expect(team.project).toMatchObject({
      members: [
        { username: 'alice' },
        { username: 'bob', role: { name: 'viewer' }, effectiveRole: { role: 'member', source: 'team', teamName: 'vision' } },
      ],
      teamMembers: [{ role: { name: 'member' } }],
    });

    const user = await run('updateProjectMember', { projectId, userId: bob.id, userProjectRole: 'admin' });
    expect(user.project).toMatchObject({
      members: [{ username: 'alice' }, { username: 'bob', effectiveRole: { role: 'admin', source: 'user' } }],
    });

    // An admin lowering their own role sees their new role in the same answer.
    const self = await run('updateProjectMember', { projectId, userId: alice.id, userProjectRole: 'member' });
    expect(self.project).toMatchObject({ viewerRole: { role: 'member', source: 'user' } });
    const back = await t.gql(
      `mutation($input: UpdateProjectMemberInput!) { updateProjectMember(input: $input) { success } }`,
      { input: { projectId, userId: alice.id, userProjectRole: 'admin' } },
      { key: bob.key },
    );
    expect(back.errors).toBeUndefined();

    const removed = await run('deleteProjectMembers', { projectId, userIds: [bob.id], teamIds: [vision.id] });
    expect(removed.project).toMatchObject({ members: [{ username: 'alice' }], teamMembers: [] });
  });
});

describe('protected aliases', () => {
  const ADD = `mutation($input: RegistryProtectedAliasesInput!) { addRegistryProtectedAliases(input: $input) { project { protectedAliases } } }`;
  const REMOVE = `mutation($input: RegistryProtectedAliasesInput!) { removeRegistryProtectedAliases(input: $input) { project { protectedAliases } } }`;

  it('registry admins add and remove them; others are refused; bad aliases are BAD_USER_INPUT', async () => {
    const registry = await create('guarded', alice.key);
    const projectId = registry.id;
    const add = await t.gql(ADD, { input: { projectId, aliases: ['production', 'staging', 'production'] } }, { key: alice.key });
    expect(add.errors).toBeUndefined();
    expect(add.data?.addRegistryProtectedAliases).toEqual({ project: { protectedAliases: ['production', 'staging'] } });
    const denied = await t.gql(ADD, { input: { projectId, aliases: ['x'] } }, { key: bob.key });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(denied.errors?.[0]?.message).toMatch(/admin role/);
    for (const aliases of [['a/b'], ['a:b'], ['latest'], ['v3'], [''], ['x'.repeat(129)], []]) {
      const res = await t.gql(ADD, { input: { projectId, aliases } }, { key: alice.key });
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(aliases)).toBe('BAD_USER_INPUT');
    }
    const removed = await t.gql(REMOVE, { input: { projectId, aliases: ['staging'] } }, { key: alice.key });
    expect(removed.data?.removeRegistryProtectedAliases).toEqual({ project: { protectedAliases: ['production'] } });
    const seen = await t.gql(
      `query($e: String!) { entity(name: $e) { project(name: "wandb-registry-guarded") { protectedAliases } } }`,
      { e: ORG },
      { key: bob.key },
    );
    expect(seen.data?.entity).toEqual({ project: { protectedAliases: ['production'] } });
  });
});
