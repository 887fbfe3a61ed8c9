import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';
import { createTeam } from '../../seed/people.js';
import { createRegistry, type SeededRegistry } from '../../seed/registries.js';
import { createSourceVersion, type SourceVersion } from '../../seed/versions.js';

// The alias, unlink and tag mutations answer with what they changed, so a client cache updates
// itself without refetching the page (the SDK keeps reading `success`).

type Json = Record<string, unknown>;
let t: TestApp;
let registry: SeededRegistry;
const versions: SourceVersion[] = [];
let portfolioId = '';

function ok(res: GraphQLResult): Json {
  expect(res.errors).toBeUndefined();
  return res.data as Json;
}

const MEMBERSHIPS = `artifactMemberships { version aliases { alias } }`;

function aliasInput(artifactID: string, alias: string) {
  return { input: { artifactID, aliases: [{ alias, artifactCollectionName: 'net', entityName: ORG, projectName: registry.projectName }] } };
}

beforeAll(async () => {
  t = await createTestApp();
  registry = await createRegistry(t, { name: 'cards', types: ['model'] });
  await createTeam(t, { name: 'ml', members: [] });
  for (let i = 0; i < 3; i++) versions.push(await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'net' }));
  for (const v of versions) {
    const res = ok(
      await t.gql(
        `mutation ($input: LinkArtifactInput!) { linkArtifact(input: $input) { artifactMembership { artifactCollection { id } } } }`,
        { input: { artifactID: v.id, artifactPortfolioName: 'net', entityName: ORG, projectName: registry.projectName } },
        { key: ADMIN_KEY },
      ),
    );
    portfolioId = (res.linkArtifact as { artifactMembership: { artifactCollection: { id: string } } }).artifactMembership.artifactCollection
      .id;
  }
});

afterAll(() => t.close());

describe('payloads name the changed versions', () => {
  it('addAliases returns the version that got the alias and the one it moved from', async () => {
    ok(
      await t.gql(
        `mutation ($input: AddAliasesInput!) { addAliases(input: $input) { success } }`,
        aliasInput(versions[0]!.id, 'production'),
      ),
    );
    const moved = ok(
      await t.gql(
        `mutation ($input: AddAliasesInput!) { addAliases(input: $input) { success ${MEMBERSHIPS} } }`,
        aliasInput(versions[1]!.id, 'production'),
      ),
    );
    expect(moved.addAliases).toEqual({
      success: true,
      artifactMemberships: [
        { version: 'v1', aliases: [{ alias: 'production' }] },
        { version: 'v0', aliases: [] },
      ],
    });
  });

  it('deleteAliases returns the version without the alias', async () => {
    const res = ok(
      await t.gql(
        `mutation ($input: DeleteAliasesInput!) { deleteAliases(input: $input) { success ${MEMBERSHIPS} } }`,
        aliasInput(versions[1]!.id, 'production'),
      ),
    );
    expect(res.deleteAliases).toEqual({ success: true, artifactMemberships: [{ version: 'v1', aliases: [] }] });
  });

  it('unlinkArtifact returns the version `latest` moved to', async () => {
    const res = ok(
      await t.gql(`mutation ($input: UnlinkArtifactInput!) { unlinkArtifact(input: $input) { success ${MEMBERSHIPS} } }`, {
        input: { artifactID: versions[2]!.id, artifactPortfolioID: portfolioId },
      }),
    );
    expect(res.unlinkArtifact).toEqual({ success: true, artifactMemberships: [{ version: 'v1', aliases: [{ alias: 'latest' }] }] });
  });

  it('tag assignments return the collection with its tags', async () => {
    const target = { artifactCollectionName: 'net', entityName: ORG, projectName: registry.projectName };
    const added = ok(
      await t.gql(
        `mutation ($input: CreateArtifactCollectionTagAssignmentsInput!) { createArtifactCollectionTagAssignments(input: $input) { tags { name } artifactCollection { tags { edges { node { name } } } } } }`,
        { input: { ...target, tags: [{ tagName: 'vision' }, { tagName: 'resnet' }] } },
      ),
    );
    expect(added.createArtifactCollectionTagAssignments).toMatchObject({
      artifactCollection: {
        tags: { edges: expect.arrayContaining([{ node: { name: 'vision' } }, { node: { name: 'resnet' } }]) as unknown },
      },
    });
    const removed = ok(
      await t.gql(
        `mutation ($input: DeleteArtifactCollectionTagAssignmentsInput!) { deleteArtifactCollectionTagAssignments(input: $input) { success artifactCollection { tags { edges { node { name } } } } } }`,
        { input: { ...target, tags: [{ tagName: 'vision' }] } },
      ),
    );
    expect(removed.deleteArtifactCollectionTagAssignments).toEqual({
      success: true,
      artifactCollection: { tags: { edges: [{ node: { name: 'resnet' } }] } },
    });
  });
});

describe('names a registry page takes', () => {
  it('"settings" and "history" are refused for a new collection, by link, create and rename, and nothing is made', async () => {
    const message = (name: string) => `"${name}" is the address of a page of every registry; choose another collection name.`;
    const registryId = registry.id;
    for (const name of ['settings', 'history']) {
      const linked = await t.gql(
        `mutation ($input: LinkArtifactInput!) { linkArtifact(input: $input) { versionIndex } }`,
        { input: { artifactID: versions[0]!.id, artifactPortfolioName: name, entityName: ORG, projectName: registry.projectName } },
        { key: ADMIN_KEY },
      );
      expect(linked.errors?.[0]).toMatchObject({ message: message(name), extensions: { code: 'BAD_USER_INPUT' } });
      const created = await t.gql(
        `mutation ($input: CreateArtifactPortfolioInput!) { createArtifactPortfolio(input: $input) { artifactCollection { id } } }`,
        { input: { projectId: registryId, name, type: 'model' } },
        { key: ADMIN_KEY },
      );
      expect(created.errors?.[0]?.message).toBe(message(name));
      const renamed = await t.gql(
        `mutation ($input: UpdateArtifactPortfolioInput!) { updateArtifactPortfolio(input: $input) { artifactCollection { name } } }`,
        { input: { artifactPortfolioID: portfolioId, name } },
        { key: ADMIN_KEY },
      );
      expect(renamed.errors?.[0]?.message).toBe(message(name));
    }
    const left = ok(
      await t.gql(`query ($p: String!) { project(entityName: "${ORG}", name: $p) { artifactCollections { edges { node { name } } } } }`, {
        p: registry.projectName,
      }),
    );
    expect(
      (left.project as { artifactCollections: { edges: { node: { name: string } }[] } }).artifactCollections.edges.map((e) => e.node.name),
    ).toEqual(['net']);
  });
});
