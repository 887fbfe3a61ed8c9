import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';
import { createUser, type TestUser } from '../support/users.js';
import { createTeam } from '../../seed/people.js';
import { createRegistry, grantRegistryRole, type SeededRegistry } from '../../seed/registries.js';
import { sdkDocument } from '../../seed/sdk-operations.js';
import { createSourceVersion, type SourceVersion } from '../../seed/versions.js';

// Who may change a linked version's tags through UpdateArtifact: writers of its team project (as
// before), and members of a registry it is linked in, who change its tags only.

type Json = Record<string, unknown>;
let t: TestApp;
const u: Record<'rv' | 'vw' | 'mb' | 'ad' | 'outsider' | 'writer', TestUser> = {} as never;
let prod: SeededRegistry;
let secret: SeededRegistry;
let version: SourceVersion;
let hidden: SourceVersion;

const code = (res: GraphQLResult) => res.errors?.[0]?.extensions?.code;

function ok(res: GraphQLResult): Json {
  expect(res.errors).toBeUndefined();
  return res.data as Json;
}

function update(who: TestUser, input: Json, artifactID = version.id) {
  return t.gql(sdkDocument('UpdateArtifact'), { input: { artifactID, ...input } }, { key: who.key });
}

const tagged = (...names: string[]) => ({ tagsToAdd: names.map((tagName) => ({ tagName })) });
const untagged = (...names: string[]) => ({ tagsToDelete: names.map((tagName) => ({ tagName })) });

async function tagsOf(artifactId: number): Promise<string[]> {
  const rows = await t.db.selectFrom('artifact_tags').select('tag').where('artifact_id', '=', artifactId).orderBy('tag').execute();
  return rows.map((r) => r.tag);
}

async function row(artifactId: number) {
  return t.db
    .selectFrom('artifacts')
    .select(['description', 'metadata', 'ttl_duration_seconds'])
    .where('id', '=', artifactId)
    .executeTakeFirstOrThrow();
}

let mark = 0;
/** The tag events written since the last call, oldest first. */
async function newTagEvents() {
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

beforeAll(async () => {
  t = await createTestApp();
  for (const name of ['rv', 'vw', 'mb', 'ad', 'outsider', 'writer'] as const) {
    u[name] = await createUser(t, { username: name, orgRole: 'member' });
  }
  // Only the writer is in the team: the others reach the version through registries alone.
  await createTeam(t, { name: 'ml', members: [u.writer] });
  prod = await createRegistry(t, { name: 'prod', types: ['model'] });
  secret = await createRegistry(t, { name: 'secret', restricted: true, types: ['model'] });
  await grantRegistryRole(t, { registry: prod.name, username: u.rv.username, role: 'restricted_viewer' });
  await grantRegistryRole(t, { registry: prod.name, username: u.vw.username, role: 'viewer' });
  await grantRegistryRole(t, { registry: prod.name, username: u.mb.username, role: 'member' });
  await grantRegistryRole(t, { registry: prod.name, username: u.ad.username, role: 'admin' });
  version = await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'net', metadata: { accuracy: 0.9, layers: [1, 2] } });
  hidden = await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'net' });
  for (const [artifactID, collection, projectName] of [
    [version.id, 'net', prod.projectName],
    [version.id, 'net-secret', secret.projectName],
    [hidden.id, 'net-secret', secret.projectName],
  ] as const) {
    ok(
      await t.gql(
        sdkDocument('LinkArtifact'),
        { input: { artifactID, artifactPortfolioName: collection, entityName: ORG, projectName } },
        { key: ADMIN_KEY },
      ),
    );
  }
  await newTagEvents();
});
afterAll(() => t.close());

describe('a registry member changes the tags of a version linked in the registry', () => {
  it('adds tags without write access to the team project; every collection holding the version records it', async () => {
    const res = ok(await update(u.mb, tagged('approved', 'vision')));
    expect(res.result).toMatchObject({ artifact: { tags: [{ name: 'approved' }, { name: 'vision' }] } });
    expect(await tagsOf(version.artifactId)).toEqual(['approved', 'vision']);
    const events = await newTagEvents();
    const where = events.map((e) => `${e.project}/${e.collection}:v${e.version} ${e.action} ${JSON.stringify(e.after)}`).sort();
    expect(where).toEqual(
      [
        'train/net:v0 version.tag_added {"tag":"approved"}',
        'train/net:v0 version.tag_added {"tag":"vision"}',
        'wandb-registry-prod/net:v0 version.tag_added {"tag":"approved"}',
        'wandb-registry-prod/net:v0 version.tag_added {"tag":"vision"}',
        // Tags belong to the version: the restricted registry the member cannot see records the change too.
        'wandb-registry-secret/net-secret:v0 version.tag_added {"tag":"approved"}',
        'wandb-registry-secret/net-secret:v0 version.tag_added {"tag":"vision"}',
      ].sort(),
    );
    expect(new Set(events.map((e) => e.actor))).toEqual(new Set([u.mb.userId]));
  });

  it('removes a tag, recorded as removed wherever the version is', async () => {
    ok(await update(u.mb, untagged('vision')));
    expect(await tagsOf(version.artifactId)).toEqual(['approved']);
    const events = await newTagEvents();
    expect(events).toHaveLength(3);
    for (const e of events) expect(e).toMatchObject({ action: 'version.tag_removed', before: { tag: 'vision' }, actor: u.mb.userId });
  });

  it('as the SDK saves it: description and metadata sent unchanged next to the tags are no change', async () => {
    const before = await row(version.artifactId);
    const res = await update(u.mb, {
      description: before.description,
      // Another key order, the same object.
      metadata: JSON.stringify({ layers: [1, 2], accuracy: 0.9 }),
      ...tagged('sdk'),
      ...untagged('approved'),
    });
    ok(res);
    expect(await tagsOf(version.artifactId)).toEqual(['sdk']);
    expect(await row(version.artifactId)).toEqual(before);
    expect((await newTagEvents()).map((e) => e.action).sort()).toEqual([
      ...Array<string>(3).fill('version.tag_added'),
      ...Array<string>(3).fill('version.tag_removed'),
    ]);
  });

  it('a member through a team, and a member of a restricted registry, change tags of the versions linked there', async () => {
    const viaTeam = await createUser(t, { username: 'via-team', orgRole: 'member' });
    const reviewers = await createTeam(t, { name: 'reviewers', members: [viaTeam] });
    await grantRegistryRole(t, { registry: prod.name, teamId: reviewers.id, role: 'member' });
    ok(await update(viaTeam, tagged('team-made')));
    ok(await update(viaTeam, untagged('team-made')));
    const insider = await createUser(t, { username: 'insider', orgRole: 'member' });
    await grantRegistryRole(t, { registry: secret.name, username: insider.username, role: 'member' });
    ok(await update(insider, tagged('secret-ok'), hidden.id));
    expect(await tagsOf(hidden.artifactId)).toEqual(['secret-ok']);
    ok(await update(insider, untagged('secret-ok'), hidden.id));
    expect(await tagsOf(version.artifactId)).toEqual(['sdk']);
    await newTagEvents();
  });

  it('admins of the registry change tags too', async () => {
    ok(await update(u.ad, tagged('by-admin')));
    expect(await tagsOf(version.artifactId)).toEqual(['by-admin', 'sdk']);
    await newTagEvents();
  });

  it('a member may not change the description, metadata or TTL: FORBIDDEN, and the tags sent with it are not added', async () => {
    const before = await row(version.artifactId);
    for (const input of [{ description: 'mine' }, { metadata: JSON.stringify({ accuracy: 1 }) }, { ttlDurationSeconds: 3600 }]) {
      const res = await update(u.mb, { ...input, ...tagged('sneaky') });
      expect(code(res)).toBe('FORBIDDEN');
      expect(res.errors?.[0]?.message).toContain('tags only');
    }
    expect(await row(version.artifactId)).toEqual(before);
    expect(await tagsOf(version.artifactId)).toEqual(['by-admin', 'sdk']);
    expect(await newTagEvents()).toEqual([]);
  });

  it('a bad tag name is refused with the naming rule, and nothing changes (the good ones sent with it neither)', async () => {
    for (const bad of ['', ' lead', 'a/b', 'x'.repeat(129), '<script>']) {
      const res = await update(u.mb, tagged('fine', bad));
      expect(code(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toMatch(/^Tag ".*" is not valid: use 1-128 letters, digits/);
    }
    expect(code(await update(u.mb, untagged('no/slash')))).toBe('BAD_USER_INPUT');
    expect(await tagsOf(version.artifactId)).toEqual(['by-admin', 'sdk']);
    expect(await newTagEvents()).toEqual([]);
  });
});

describe('who may not', () => {
  it('viewers and restricted viewers of the registry: FORBIDDEN naming the member role', async () => {
    for (const who of [u.vw, u.rv]) {
      const res = await update(who, tagged('mine'));
      expect(code(res)).toBe('FORBIDDEN');
      expect(res.errors?.[0]?.message).toMatch(/you need the member role in registry "prod"; yours is (restricted )?viewer/);
    }
    expect(await tagsOf(version.artifactId)).toEqual(['by-admin', 'sdk']);
    expect(await newTagEvents()).toEqual([]);
  });

  it('an org user without a grant is a viewer of an organization registry: FORBIDDEN', async () => {
    const res = await update(u.outsider, untagged('sdk'));
    expect(code(res)).toBe('FORBIDDEN');
    expect(await tagsOf(version.artifactId)).toEqual(['by-admin', 'sdk']);
  });

  it('a version linked only where the caller cannot see answers exactly as one that does not exist', async () => {
    const invisible = await update(u.mb, tagged('mine'), hidden.id);
    const missing = await update(u.mb, tagged('mine'), Buffer.from('Artifact:999999').toString('base64'));
    expect(code(invisible)).toBe('NOT_FOUND');
    expect(invisible.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);
    expect(code(missing)).toBe('NOT_FOUND');
    expect(await tagsOf(hidden.artifactId)).toEqual([]);
    expect(await newTagEvents()).toEqual([]);
  });

  it('without a key: not found either', async () => {
    const res = await t.gql(sdkDocument('UpdateArtifact'), { input: { artifactID: version.id, ...tagged('anon') } }, { key: null });
    expect(code(res)).toBe('NOT_FOUND');
  });
});

describe('writers of the team project', () => {
  it('still change anything, tags and description at once', async () => {
    const res = ok(await update(u.writer, { description: 'team notes', ...untagged('by-admin') }));
    expect(res.result).toMatchObject({ artifact: { description: 'team notes', tags: [{ name: 'sdk' }] } });
    expect((await newTagEvents()).map((e) => e.action)).toEqual(Array<string>(3).fill('version.tag_removed'));
  });
});
