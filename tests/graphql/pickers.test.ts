import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createTestApp, type TestApp } from '../support/app.js';
import { createTeam } from '../../seed/people.js';
import { createSourceVersion } from '../../seed/versions.js';
import { linkVersion } from '../../seed/collections.js';
import { createRegistry } from '../../seed/registries.js';

// The searchable pickers of the link flows ask the server with the typed text: team projects and
// source collections by name, versions by vN or alias, registry collections by name, any letter case.
let t: TestApp;
const sources: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  await createTeam(t, { name: 'perception', members: [ADMIN] });
  for (const project of ['Training-Runs', 'evaluation']) await createSourceVersion(t, { entity: 'perception', project, name: 'resnet' });
  for (let i = 0; i < 12; i += 1)
    sources.push((await createSourceVersion(t, { entity: 'perception', project: 'training', name: 'detector' })).id);
  await createRegistry(t, { name: 'vision' });
  for (const [i, collection] of ['Alpha-Net', 'beta-net', 'gamma'].entries())
    await linkVersion(t, { artifactId: sources[i] as string, registry: 'vision', collection, aliases: i === 0 ? ['Champion'] : [] });
});
afterAll(() => t.close());

const contains = (text: string) => ({ $regex: `(?i)${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` });

async function names(
  query: string,
  variables: Record<string, unknown>,
  pick: (data: Record<string, unknown>) => { edges: { node: { name?: string; version?: string } }[] },
) {
  const res = await t.gql(query, variables);
  expect(res.errors).toBeUndefined();
  return pick(res.data as Record<string, unknown>).edges.map((e) => e.node.name ?? e.node.version);
}

describe('picker searches', () => {
  it("filters a team's projects by their whole name (no registry prefix cut off), in any letter case", async () => {
    const query = `query ($filters: JSONString) { entity(name: "perception") { projects(first: 20, order: "+name", filters: $filters) { edges { node { name } } } } }`;
    const pick = (d: Record<string, unknown>) => (d.entity as { projects: { edges: { node: { name: string } }[] } }).projects;
    expect(await names(query, { filters: JSON.stringify({ name: contains('TRAIN') }) }, pick)).toEqual(['Training-Runs', 'training']);
    expect(await names(query, { filters: JSON.stringify({ name: 'evaluation' }) }, pick)).toEqual(['evaluation']);
  });

  it('finds versions by vN exactly or by contained text, and by alias', async () => {
    const query = `query ($filters: JSONString) { project(entityName: "perception", name: "training") { artifactCollection(name: "detector") { artifactMemberships(first: 20, filters: $filters) { edges { node { version } } } } } }`;
    const pick = (d: Record<string, unknown>) =>
      (d.project as { artifactCollection: { artifactMemberships: { edges: { node: { version: string } }[] } } }).artifactCollection
        .artifactMemberships;
    expect(await names(query, { filters: JSON.stringify({ $or: [{ version: 'v1' }, { alias: 'v1' }] }) }, pick)).toEqual(['v1']);
    expect(
      await names(query, { filters: JSON.stringify({ $or: [{ version: contains('V1') }, { alias: contains('V1') }] }) }, pick),
    ).toEqual(['v11', 'v10', 'v1']);
    expect(
      await names(query, { filters: JSON.stringify({ $or: [{ version: contains('latest') }, { alias: contains('LATE') }] }) }, pick),
    ).toEqual(['v11']);
  });

  it('finds registry collections by name among the registries given', async () => {
    const query = `query ($filters: JSONString, $projectFilters: JSONString) { viewer { organizations { orgEntity { artifactCollections(first: 20, order: "+name", collectionTypes: [PORTFOLIO], filters: $filters, projectFilters: $projectFilters) { edges { node { name } } } } } } }`;
    const pick = (d: Record<string, unknown>) =>
      (d.viewer as { organizations: { orgEntity: { artifactCollections: { edges: { node: { name: string } }[] } } }[] }).organizations[0]!
        .orgEntity.artifactCollections;
    const inVision = JSON.stringify({ name: { $in: ['wandb-registry-vision'] } });
    expect(
      await names(query, { filters: JSON.stringify({ type: 'model', name: contains('NET') }), projectFilters: inVision }, pick),
    ).toEqual(['Alpha-Net', 'beta-net']);
    const elsewhere = JSON.stringify({ name: { $in: ['wandb-registry-model'] } });
    expect(await names(query, { filters: JSON.stringify({ name: contains('net') }), projectFilters: elsewhere }, pick)).toEqual([]);
  });
});
