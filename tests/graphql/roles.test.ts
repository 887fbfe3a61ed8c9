import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, createTestApp, ORG, type TestApp } from '../support/app.js';
import { createUser, type TestUser } from '../support/users.js';
import { createTeam, type SeededTeam } from '../../seed/people.js';
import { sdkDocument } from '../../seed/sdk-operations.js';

/**
 * Every registry role against every registry query and mutation of the registries module: what each
 * kind of user may do, and what they get otherwise (FORBIDDEN naming the role, or nothing at all when
 * the registry is invisible to them).
 */

let t: TestApp;
const users: Record<string, TestUser> = {};
let grantees: SeededTeam;
let others: SeededTeam;
let counter = 0;

type Access = 'PRIVATE' | 'RESTRICTED';
interface Registry {
  id: string;
  name: string;
  short: string;
}

/** A fresh registry (created by the org admin) with the standard grants. */
async function freshRegistry(access: Access): Promise<Registry> {
  counter += 1;
  const short = `r${counter}-${access.toLowerCase()}`;
  const res = await t.gql(sdkDocument('UpsertRegistry'), {
    input: { name: `wandb-registry-${short}`, entityName: ORG, access, description: 'd', allowAllArtifactTypesInRegistry: true },
  });
  expect(res.errors).toBeUndefined();
  const id = (res.data?.upsertModel as { project: { id: string } }).project.id;
  const grant = async (role: string, userIds: string[], teamIds: string[] = []) => {
    const r = await t.gql(sdkDocument('CreateRegistryMembers'), { input: { projectId: id, userIds, teamIds, role } });
    expect(r.errors).toBeUndefined();
  };
  await grant('restricted_viewer', [users.rv!.id]);
  await grant('viewer', [users.v!.id, users.target!.id]);
  await grant('member', [users.m!.id], [grantees.id]);
  await grant('admin', [users.a!.id]);
  return { id, name: `wandb-registry-${short}`, short };
}

interface Row {
  who: string;
  user: () => TestUser | { key: string };
  access: Access;
  /** The expected effective role, or null when the registry is invisible. */
  role: 'restricted_viewer' | 'viewer' | 'member' | 'admin' | null;
  source?: string;
}

const ROWS: Row[] = [
  { who: 'restricted_viewer (direct)', user: () => users.rv!, access: 'RESTRICTED', role: 'restricted_viewer', source: 'user' },
  { who: 'viewer (direct)', user: () => users.v!, access: 'RESTRICTED', role: 'viewer', source: 'user' },
  { who: 'member (direct)', user: () => users.m!, access: 'RESTRICTED', role: 'member', source: 'user' },
  { who: 'admin (direct)', user: () => users.a!, access: 'RESTRICTED', role: 'admin', source: 'user' },
  { who: 'member through a team', user: () => users.tm!, access: 'RESTRICTED', role: 'member', source: 'team' },
  { who: 'org admin', user: () => ({ key: ADMIN_KEY }), access: 'RESTRICTED', role: 'admin', source: 'org_admin' },
  { who: 'non-member, organization registry', user: () => users.outsider!, access: 'PRIVATE', role: 'viewer', source: 'organization' },
  { who: 'non-member, restricted registry', user: () => users.outsider!, access: 'RESTRICTED', role: null },
  { who: 'user of another team', user: () => users.other!, access: 'RESTRICTED', role: null },
];

type Outcome = 'allowed' | 'FORBIDDEN' | 'hidden';

/** admin-only actions: allowed for admins, FORBIDDEN (naming admin) for other visible roles, hidden otherwise. */
function adminOnly(row: Row): Outcome {
  if (row.role === null) return 'hidden';
  return row.role === 'admin' ? 'allowed' : 'FORBIDDEN';
}

function expectOutcome(res: { errors?: { message: string; extensions?: { code?: string } }[] }, outcome: Outcome, label: string) {
  if (outcome === 'allowed') {
    expect(res.errors, label).toBeUndefined();
  } else if (outcome === 'FORBIDDEN') {
    expect(res.errors?.[0]?.extensions?.code, label).toBe('FORBIDDEN');
    expect(res.errors?.[0]?.message, label).toMatch(
      /you need the admin role in registry "r\d+-\w+"; yours is (restricted viewer|viewer|member)\./,
    );
  } else {
    // Invisible: a mutation says "not found", exactly as for a registry that does not exist.
    expect(res.errors?.[0]?.extensions?.code, label).toBe('NOT_FOUND');
    expect(res.errors?.[0]?.message, label).toMatch(/not found|No registry has this id/);
  }
}

beforeAll(async () => {
  t = await createTestApp();
  for (const [name, orgRole] of [
    ['rv', 'member'],
    ['v', 'member'],
    ['m', 'member'],
    ['a', 'member'],
    ['tm', 'member'],
    ['outsider', 'member'],
    ['other', 'member'],
    ['target', 'member'],
  ] as const) {
    users[name] = await createUser(t, { username: `user-${name}`, orgRole });
  }
  grantees = await createTeam(t, { name: 'grantees', members: [users.tm!] });
  others = await createTeam(t, { name: 'others', members: [users.other!] });
});
afterAll(() => t.close());

describe.each(ROWS)('$who', (row) => {
  let registry: Registry;
  let key: string;
  beforeAll(async () => {
    registry = await freshRegistry(row.access);
    key = row.user().key;
  });

  it('FetchRegistry: the registry, or null when invisible', async () => {
    const res = await t.gql(sdkDocument('FetchRegistry'), { name: registry.name, entity: ORG }, { key });
    expect(res.errors).toBeUndefined();
    const project = (res.data?.entity as { project: { name: string } | null }).project;
    if (row.role === null) expect(project).toBeNull();
    else expect(project?.name).toBe(registry.name);
  });

  it('FetchRegistries: listed only when visible', async () => {
    const res = await t.gql(
      sdkDocument('FetchRegistries'),
      { organization: ORG, filters: JSON.stringify({ name: registry.name }) },
      { key },
    );
    expect(res.errors).toBeUndefined();
    const edges = (res.data?.organization as { orgEntity: { projects: { edges: unknown[] } } }).orgEntity.projects.edges;
    expect(edges).toHaveLength(row.role === null ? 0 : 1);
  });

  it('viewerRole, readOnly and the member lists follow the effective role', async () => {
    const res = await t.gql(
      `query($p: String!, $e: String!) { project(name: $p, entityName: $e) { readOnly viewerRole { role source } members { username } teamMembers { team { name } } } }`,
      { p: registry.name, e: ORG },
      { key },
    );
    expect(res.errors).toBeUndefined();
    if (row.role === null) {
      expect(res.data?.project).toBeNull();
      const ro = await t.gql(sdkDocument('IsProjectReadOnly'), { entity: ORG, project: registry.name }, { key });
      expect(ro.data?.project).toBeNull();
      return;
    }
    const project = res.data?.project as {
      readOnly: boolean;
      viewerRole: { role: string; source: string };
      members: unknown[];
      teamMembers: unknown[];
    };
    expect(project.viewerRole).toEqual({ role: row.role, source: row.source });
    expect(project.readOnly).toBe(!(row.role === 'member' || row.role === 'admin'));
    expect(project.members.length).toBeGreaterThanOrEqual(5);
    expect(project.teamMembers).toEqual([{ team: { name: 'grantees' } }]);
  });

  it('UpsertRegistry (update): registry admins only', async () => {
    const res = await t.gql(
      sdkDocument('UpsertRegistry'),
      { input: { name: registry.name, entityName: ORG, description: `by ${row.who}` } },
      { key },
    );
    expectOutcome(res, adminOnly(row), 'UpsertRegistry');
    const after = await t.gql(sdkDocument('FetchRegistry'), { name: registry.name, entity: ORG });
    expect((after.data?.entity as { project: { description: string } }).project.description).toBe(
      adminOnly(row) === 'allowed' ? `by ${row.who}` : 'd',
    );
  });

  it('members: add, update (user and team), remove: registry admins only', async () => {
    const outcome = adminOnly(row);
    const projectId = registry.id;
    const steps: [string, Record<string, unknown>][] = [
      ['CreateRegistryMembers', { projectId, teamIds: [others.id] }],
      ['UpdateUserRegistryRole', { projectId, userId: users.target!.id, userProjectRole: 'member' }],
      ['UpdateTeamRegistryRole', { projectId, teamId: grantees.id, teamProjectRole: 'member' }],
      ['DeleteRegistryMembers', { projectId, userIds: [users.target!.id] }],
    ];
    for (const [doc, input] of steps) expectOutcome(await t.gql(sdkDocument(doc), { input }, { key }), outcome, doc);
    const members = await t.gql(sdkDocument('RegistryUserMembers'), { project: registry.name, entity: ORG });
    const names = (members.data?.project as { members: { username: string }[] }).members.map((m) => m.username);
    expect(names.includes('user-target')).toBe(outcome !== 'allowed');
    const teams = await t.gql(sdkDocument('RegistryTeamMembers'), { project: registry.name, entity: ORG });
    const teamNames = (teams.data?.project as { teamMembers: { team: { name: string } }[] }).teamMembers.map((m) => m.team.name);
    expect(teamNames.includes('others')).toBe(outcome === 'allowed');
  });

  it('protected aliases: registry admins only', async () => {
    const outcome = adminOnly(row);
    const input = { projectId: registry.id, aliases: ['production'] };
    const add = await t.gql(
      `mutation($input: RegistryProtectedAliasesInput!) { addRegistryProtectedAliases(input: $input) { project { protectedAliases } } }`,
      { input },
      { key },
    );
    expectOutcome(add, outcome, 'addRegistryProtectedAliases');
    const seen = await t.gql(`query($p: String!, $e: String!) { project(name: $p, entityName: $e) { protectedAliases } }`, {
      p: registry.name,
      e: ORG,
    });
    expect(seen.data?.project).toEqual({ protectedAliases: outcome === 'allowed' ? ['production'] : [] });
    const remove = await t.gql(
      `mutation($input: RegistryProtectedAliasesInput!) { removeRegistryProtectedAliases(input: $input) { project { protectedAliases } } }`,
      { input },
      { key },
    );
    expectOutcome(remove, outcome, 'removeRegistryProtectedAliases');
  });

  it('RenameRegistry: registry admins only', async () => {
    const newName = `${registry.name}-renamed`;
    const res = await t.gql(
      sdkDocument('RenameRegistry'),
      { input: { entityName: ORG, oldProjectName: registry.name, newProjectName: newName } },
      { key },
    );
    expectOutcome(res, adminOnly(row), 'RenameRegistry');
    const renamed = await t.gql(sdkDocument('FetchRegistry'), { name: newName, entity: ORG });
    expect((renamed.data?.entity as { project: unknown }).project !== null).toBe(adminOnly(row) === 'allowed');
    if (adminOnly(row) === 'allowed') {
      await t.gql(sdkDocument('RenameRegistry'), { input: { entityName: ORG, oldProjectName: newName, newProjectName: registry.name } });
    }
  });

  it('DeleteRegistry: registry admins only (last: it deletes the registry)', async () => {
    const res = await t.gql(sdkDocument('DeleteRegistry'), { id: registry.id }, { key });
    expectOutcome(res, adminOnly(row), 'DeleteRegistry');
    const after = await t.gql(sdkDocument('FetchRegistry'), { name: registry.name, entity: ORG });
    expect((after.data?.entity as { project: unknown }).project === null).toBe(adminOnly(row) === 'allowed');
  });
});

describe('creating registries by org role', () => {
  it.each([
    ['admin', 'allowed'],
    ['member', 'allowed'],
    ['viewer', 'FORBIDDEN'],
  ] as const)('org %s: %s', async (orgRole, outcome) => {
    const user = await createUser(t, { username: `creator-${orgRole}`, orgRole });
    const res = await t.gql(
      sdkDocument('UpsertRegistry'),
      { input: { name: `wandb-registry-by-${orgRole}`, entityName: ORG, access: 'RESTRICTED' } },
      { key: user.key },
    );
    if (outcome === 'allowed') {
      expect(res.data?.upsertModel).toMatchObject({ inserted: true });
      // The creator is the restricted registry's admin.
      const role = await t.gql(
        `query($p: String!, $e: String!) { project(name: $p, entityName: $e) { viewerRole { role source } } }`,
        { p: `wandb-registry-by-${orgRole}`, e: ORG },
        { key: user.key },
      );
      expect((role.data?.project as { viewerRole: { role: string } }).viewerRole.role).toBe('admin');
    } else {
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(res.errors?.[0]?.message).toMatch(/organization member or admin role; yours is viewer/);
    }
  });
});

describe('hostile inputs: clear BAD_USER_INPUT, nothing changed', () => {
  it('names, aliases, roles and ids', async () => {
    const registry = await freshRegistry('PRIVATE');
    const snapshot = async () => {
      const list = await t.gql(sdkDocument('FetchRegistries'), { organization: ORG, perPage: 1000 });
      const members = await t.gql(sdkDocument('RegistryUserMembers'), { project: registry.name, entity: ORG });
      const aliases = await t.gql(
        `query($p: String!, $e: String!) { project(name: $p, entityName: $e) { protectedAliases description updatedAt } }`,
        { p: registry.name, e: ORG },
      );
      return JSON.stringify([list.data, members.data, aliases.data]);
    };
    const before = await snapshot();
    const hostile = ['a/b', 'a:b', 'x'.repeat(129), "x'; drop table projects; --", '<script>alert(1)</script>', '', ' padded '];
    const cases: [string, Record<string, unknown>][] = [];
    for (const bad of hostile) {
      cases.push(['UpsertRegistry', { input: { name: `wandb-registry-${bad}`, entityName: ORG } }]);
      cases.push(['UpsertRegistry', { input: { name: registry.name, entityName: ORG, artifactTypes: [{ name: bad }] } }]);
      cases.push([
        'RenameRegistry',
        { input: { entityName: ORG, oldProjectName: registry.name, newProjectName: `wandb-registry-${bad}` } },
      ]);
    }
    cases.push(['UpsertRegistry', { input: { name: registry.name, entityName: ORG, access: "PRIVATE' OR 1=1" } }]);
    for (const id of [
      '',
      'not base64!',
      Buffer.from('Project:abc').toString('base64'),
      Buffer.from('Project:99999999999').toString('base64'),
      Buffer.from('Artifact:1').toString('base64'),
      'x'.repeat(300),
    ]) {
      cases.push(['DeleteRegistry', { id }]);
      cases.push(['CreateRegistryMembers', { input: { projectId: id, userIds: [users.target!.id] } }]);
      cases.push(['CreateRegistryMembers', { input: { projectId: registry.id, userIds: [id] } }]);
      cases.push(['UpdateUserRegistryRole', { input: { projectId: registry.id, userId: id, userProjectRole: 'viewer' } }]);
      cases.push(['UpdateTeamRegistryRole', { input: { projectId: registry.id, teamId: id, teamProjectRole: 'viewer' } }]);
    }
    for (const role of ['owner', 'ADMIN', "admin'; --", '']) {
      cases.push(['UpdateUserRegistryRole', { input: { projectId: registry.id, userId: users.target!.id, userProjectRole: role } }]);
      cases.push(['UpdateTeamRegistryRole', { input: { projectId: registry.id, teamId: grantees.id, teamProjectRole: role } }]);
    }
    for (const [doc, variables] of cases) {
      const res = await t.gql(sdkDocument(doc), variables);
      expect(res.status, doc).toBe(200);
      expect(res.errors?.[0]?.extensions?.code, `${doc} ${JSON.stringify(variables).slice(0, 200)}`).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message.length).toBeLessThan(400);
    }
    for (const aliases of [['a/b'], ['a:b'], ['x'.repeat(129)], [' padded'], ['latest'], ['v1']]) {
      const res = await t.gql(
        `mutation($input: RegistryProtectedAliasesInput!) { addRegistryProtectedAliases(input: $input) { project { id } } }`,
        { input: { projectId: registry.id, aliases } },
      );
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(aliases)).toBe('BAD_USER_INPUT');
    }
    const roleError = await t.gql(sdkDocument('UpdateUserRegistryRole'), {
      input: { projectId: registry.id, userId: users.target!.id, userProjectRole: 'owner' },
    });
    expect(roleError.errors?.[0]?.message).toBe('Role "owner" is not valid: use one of restricted_viewer, viewer, member, admin.');
    expect(await snapshot()).toBe(before);
  });
});
