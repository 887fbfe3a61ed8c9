import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';

import { readRecording } from '../support/replay.js';
import { createUser, type TestUser } from '../support/users.js';
import { createTeam } from '../../seed/people.js';
import { artifactDigest, logArtifact, md5Base64, type LoggedArtifact } from '../../seed/sdk-logging.js';
import { sdkDocument } from '../../seed/sdk-operations.js';

// What the recorded SDK flows need beyond the documents of operations.graphql: 0.20.1's legacy
// CreateArtifact, a registry's Project.artifact with the link's vN in Artifact.aliases, and file pages
// of the size the SDK asks for.

let t: TestApp;
let alice: TestUser; // team "vision"
let bob: TestUser; // no team, no registry
let v0: LoggedArtifact;
let v1: LoggedArtifact;

const code = (res: GraphQLResult) => res.errors?.[0]?.extensions?.code;
const run = readRecording('run-v0.20.1.jsonl');
/** The documents exactly as 0.20.1 sent them. */
const recorded = (operation: string) => {
  const found = run.find((x) => x.operation === operation)?.graphql?.query;
  if (!found) throw new Error(`no recorded ${operation}`);
  return found;
};

beforeAll(async () => {
  t = await createTestApp();
  alice = await createUser(t, { username: 'alice' });
  bob = await createUser(t, { username: 'bob' });
  await createTeam(t, { name: 'vision', members: [alice] });
  v0 = await logArtifact(t, { entity: 'vision', project: 'train', name: 'net', type: 'model', files: { 'w.bin': 'zero' }, key: alice.key });
  v1 = await logArtifact(t, { entity: 'vision', project: 'train', name: 'net', type: 'model', files: { 'w.bin': 'one' }, key: alice.key });
  for (const [version, aliases] of [
    [v0, []],
    [v1, ['production']],
  ] as const) {
    const input = {
      artifactID: version.artifactId,
      artifactPortfolioName: 'classifier',
      entityName: ORG,
      projectName: 'wandb-registry-model',
      aliases: aliases.map((alias) => ({ alias, artifactCollectionName: 'classifier' })),
    };
    const linked = await t.gql(sdkDocument('LinkArtifact'), { input });
    expect(linked.errors).toBeUndefined();
  }
}, 60_000);
afterAll(() => t.close());

describe('legacy CreateArtifact (0.20.1 sends artifactCollectionNames only)', () => {
  const variables = (names: string[], digest: string) => ({
    entityName: 'vision',
    projectName: 'legacy',
    runName: 'r1',
    artifactTypeName: 'model',
    artifactCollectionNames: names,
    clientID: null,
    sequenceClientID: null,
    digest,
    description: null,
    aliases: [],
    tags: [],
    metadata: '{}',
    ttlDurationSeconds: null,
    distributedID: '',
    historyStep: 0,
  });
  const countSequences = async () =>
    (
      await t.db
        .selectFrom('collections')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', 'SEQUENCE')
        .executeTakeFirstOrThrow()
    ).n;

  it('takes the one name of the list', async () => {
    const res = await t.gql(recorded('CreateArtifact'), variables(['legacy-model'], artifactDigest({ 'a.txt': md5Base64('a') })), {
      key: alice.key,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data).toMatchObject({ createArtifact: { artifact: { state: 'PENDING', artifactSequence: { latestArtifact: null } } } });
    const named = await t.gql(
      `query { project(entityName: "vision", name: "legacy") { artifactCollection(name: "legacy-model") { name } } }`,
      undefined,
      { key: alice.key },
    );
    expect(named.data).toEqual({ project: { artifactCollection: { name: 'legacy-model' } } });
  });

  it('refuses two names, or none, saying what to send, and creates nothing', async () => {
    const before = await countSequences();
    const two = await t.gql(recorded('CreateArtifact'), variables(['one', 'two'], artifactDigest({})), { key: alice.key });
    expect(code(two)).toBe('BAD_USER_INPUT');
    expect(two.errors?.[0]?.message).toBe(
      'A version goes to exactly one artifact, got 2 names in artifactCollectionNames ("one", "two"): send one.',
    );
    const none = await t.gql(recorded('CreateArtifact'), variables([], artifactDigest({})), { key: alice.key });
    expect(code(none)).toBe('BAD_USER_INPUT');
    expect(none.errors?.[0]?.message).toMatch(/give artifactCollectionName/);
    expect(await countSequences()).toBe(before);
  });
});

describe('ArtifactByName on a registry (link_artifact, use_artifact)', () => {
  const byName = (name: string, key?: string) =>
    t.gql(recorded('ArtifactByName'), { entityName: ORG, projectName: 'wandb-registry-model', name }, key === undefined ? {} : { key });
  type Found = {
    id: string;
    versionIndex: number;
    aliases: { alias: string; artifactCollection: { name: string; project: { entityName: string; name: string } } }[];
  };
  const found = (res: GraphQLResult) => (res.data as { project: { artifact: Found | null } }).project.artifact;

  it('resolves "coll", "coll:latest", "coll:vN" and "coll:alias" to the source version linked there', async () => {
    for (const [name, source] of [
      ['classifier', v1],
      ['classifier:latest', v1],
      ['classifier:v1', v1],
      ['classifier:production', v1],
      ['classifier:v0', v0],
    ] as const) {
      const res = await byName(name, alice.key);
      expect(res.errors).toBeUndefined();
      expect(found(res)?.id, name).toBe(source.artifactId);
    }
    expect(found(await byName('classifier:v7', alice.key))).toBeNull();
    expect(found(await byName('no-such', alice.key))).toBeNull();
  });

  it("gives the link's vN in that collection among Artifact.aliases, where 0.20.1 reads the linked version", async () => {
    const res = await byName('classifier:v0', alice.key);
    const registry = found(res)
      ?.aliases.filter((a) => a.artifactCollection.project.name === 'wandb-registry-model')
      .map((a) => `${a.artifactCollection.name}:${a.alias}`);
    expect(registry).toEqual(['classifier:v0']);
    const latest = found(await byName('classifier', alice.key))?.aliases.filter(
      (a) => a.artifactCollection.project.name === 'wandb-registry-model',
    );
    expect(latest?.map((a) => a.alias).sort()).toEqual(['latest', 'production', 'v1']);
    // The source versions's own sequence shows only its stored aliases.
    expect(
      found(res)
        ?.aliases.filter((a) => a.artifactCollection.name === 'net')
        .map((a) => a.alias),
    ).toEqual([]);
  });

  it('a restricted registry stays invisible to outsiders: no project, no version', async () => {
    const restricted = await t.gql(sdkDocument('UpsertRegistry'), {
      input: {
        name: 'wandb-registry-vault',
        entityName: ORG,
        access: 'RESTRICTED',
        allowAllArtifactTypesInRegistry: true,
        description: '',
      },
    });
    expect(restricted.errors).toBeUndefined();
    const input = {
      artifactID: v0.artifactId,
      artifactPortfolioName: 'kept',
      entityName: ORG,
      projectName: 'wandb-registry-vault',
      aliases: [],
    };
    expect((await t.gql(sdkDocument('LinkArtifact'), { input })).errors).toBeUndefined();
    const outsider = await t.gql(
      recorded('ArtifactByName'),
      { entityName: ORG, projectName: 'wandb-registry-vault', name: 'kept:v0' },
      { key: bob.key },
    );
    expect(outsider.errors).toBeUndefined();
    expect(outsider.data).toEqual({ project: null });
    // Nor does the version read by id show that registry's aliases to a team member outside it.
    const own = await t.gql(recorded('ArtifactByIDShort'), { id: v0.artifactId }, { key: alice.key });
    const collections = (own.data as { artifact: Found }).artifact.aliases.map((a) => a.artifactCollection.project.name);
    expect(collections).not.toContain('wandb-registry-vault');
  });
});

describe('file pages of the size the SDK asks for', () => {
  it('refuses more than 10 000 files a page, saying the bounds', async () => {
    const res = await t.gql(sdkDocument('ArtifactFileURLs'), { id: v0.artifactId, perPage: 10_001 }, { key: alice.key });
    expect(code(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toBe('"first" must be between 0 and 10000, got 10001.');
  });

  it('a version of 20 000 files downloads through pages of 5 000, each file once, with working URLs', async () => {
    // The same bytes under every name: stored once (by the first version), so no 20 000 uploads.
    await logArtifact(t, { entity: 'vision', project: 'big', name: 'seed', type: 'dataset', files: { 'x.bin': 'x' }, key: alice.key });
    const files = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`d/${String(i).padStart(5, '0')}.bin`, 'x']));
    const big = await logArtifact(t, { entity: 'vision', project: 'big', name: 'shards', type: 'dataset', files, key: alice.key });
    const names: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    for (;;) {
      const res = await t.gql(recorded('ArtifactFileURLs'), { id: big.artifactId, cursor, perPage: 5000 }, { key: alice.key });
      expect(res.errors).toBeUndefined();
      type Page = { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { name: string; directUrl: string } }[] };
      const page = (res.data as { artifact: { files: Page } }).artifact.files;
      pages += 1;
      expect(page.edges.length).toBe(5000);
      expect(page.edges.every((e) => e.node.directUrl.includes('?expires='))).toBe(true);
      names.push(...page.edges.map((e) => e.node.name));
      if (pages === 4) {
        const url = new URL(page.edges.at(-1)?.node.directUrl ?? '');
        const download = await t.request(url.pathname + url.search);
        expect(await download.text()).toBe('x');
      }
      if (!page.pageInfo.hasNextPage) break;
      cursor = page.pageInfo.endCursor;
    }
    expect(pages).toBe(4);
    expect(new Set(names).size).toBe(20_000);
    expect(names).toEqual(Object.keys(files).sort());
  }, 120_000);
});
