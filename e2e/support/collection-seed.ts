import { Api, unique } from './api';

/** What the collection specs seed: a registry with one collection of linked versions. */
export interface SeededCollection {
  registry: string;
  collection: string;
  team: string;
  /** Source artifact ids of the linked versions, oldest (v0) first. */
  artifactIds: string[];
  path: string;
}

type Role = 'restricted_viewer' | 'viewer' | 'member' | 'admin';

export async function projectId(api: Api, registry: string): Promise<string> {
  const data = await api.data<{ project: { id: string } | null }>(
    `query ($name: String!) { project(entityName: "acme", name: $name) { id } }`,
    {
      name: `wandb-registry-${registry}`,
    },
  );
  if (!data.project) throw new Error(`no registry ${registry}`);
  return data.project.id;
}

/** Gives an organization user a role in a registry. */
export async function addRegistryMember(api: Api, registry: string, username: string, role: Role): Promise<void> {
  const users = await api.data<{ users: { edges: { node: { id: string; username: string } }[] } }>(
    `query ($q: String!) { users(query: $q) { edges { node { id username } } } }`,
    { q: username },
  );
  const user = users.users.edges.find((e) => e.node.username === username);
  if (!user) throw new Error(`no user ${username}`);
  await api.data(`mutation ($input: CreateProjectMembersInput!) { createProjectMembers(input: $input) { success } }`, {
    input: { projectId: await projectId(api, registry), userIds: [user.node.id], role },
  });
}

export async function protectAliases(api: Api, registry: string, aliases: string[]): Promise<void> {
  await api.data(`mutation ($input: RegistryProtectedAliasesInput!) { addRegistryProtectedAliases(input: $input) { project { id } } }`, {
    input: { projectId: await projectId(api, registry), aliases },
  });
}

export async function setModelCard(api: Api, registry: string, collection: string, description: string): Promise<void> {
  const data = await api.data<{ project: { artifactCollection: { id: string } } }>(
    `query ($name: String!, $c: String!) { project(entityName: "acme", name: $name) { artifactCollection(name: $c) { id } } }`,
    { name: `wandb-registry-${registry}`, c: collection },
  );
  await api.data(
    `mutation ($id: ID!, $d: String!) { updateArtifactPortfolio(input: { artifactPortfolioID: $id, description: $d }) { artifactCollection { id } } }`,
    {
      id: data.project.artifactCollection.id,
      d: description,
    },
  );
}

/**
 * A registry (accepting models) with `versions` versions of a team's model linked into one
 * collection; `aliases[i]` go on v{i}. Each source version has a `model.bin` and a `config.json`.
 */
export async function seedCollection(
  api: Api,
  options: {
    versions: number;
    aliases?: string[][];
    protectedAliases?: string[];
    description?: string;
    prefix?: string;
    restricted?: boolean;
  },
): Promise<SeededCollection> {
  const prefix = options.prefix ?? 'c';
  const team = unique(`${prefix}-team`);
  const registry = unique(`${prefix}-reg`);
  const collection = unique(`${prefix}-model`);
  await api.createTeam(team, ['admin']);
  await api.createRegistry(registry, { types: ['model'], restricted: options.restricted });
  if (options.protectedAliases?.length) await protectAliases(api, registry, options.protectedAliases);
  const artifactIds: string[] = [];
  for (let i = 0; i < options.versions; i++) {
    const logged = await api.logVersion({
      entity: team,
      project: 'training',
      name: 'resnet',
      type: 'model',
      files: { 'model.bin': `weights of version ${i}\n`, 'config.json': JSON.stringify({ layers: 50 + i }) },
      metadata: { accuracy: 0.9 + i / 100, epochs: 10 + i, optimizer: { name: 'adam', lr: 0.001 } },
      description: `Trained run ${i}`,
    });
    await api.link(logged.artifactId, registry, collection, options.aliases?.[i] ?? []);
    artifactIds.push(logged.artifactId);
  }
  if (options.description !== undefined) await setModelCard(api, registry, collection, options.description);
  return { registry, collection, team, artifactIds, path: `/registry/${registry}/${collection}` };
}
