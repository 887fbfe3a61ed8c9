import type { Api } from './api';

// Seeding the artifact-browser specs need beyond Api: registry roles and protected aliases.

export async function registryId(api: Api, registry: string): Promise<string> {
  const data = await api.data<{ project: { id: string } | null }>(
    `query ($name: String!) { project(entityName: "acme", name: $name) { id } }`,
    {
      name: `wandb-registry-${registry}`,
    },
  );
  if (!data.project) throw new Error(`registry ${registry} not found`);
  return data.project.id;
}

export async function userId(api: Api, username: string): Promise<string> {
  const data = await api.data<{ users: { edges: { node: { id: string; username: string } }[] } }>(
    `query ($q: String) { users(query: $q) { edges { node { id username } } } }`,
    { q: username },
  );
  const user = data.users.edges.find((e) => e.node.username === username);
  if (!user) throw new Error(`user ${username} not found`);
  return user.node.id;
}

/** Gives a user a role in a registry (as the admin). */
export async function giveRegistryRole(api: Api, registry: string, username: string, role: 'viewer' | 'member' | 'admin'): Promise<void> {
  await api.data(`mutation ($input: CreateProjectMembersInput!) { createProjectMembers(input: $input) { success } }`, {
    input: { projectId: await registryId(api, registry), userIds: [await userId(api, username)], role },
  });
}

export async function protectAliases(api: Api, registry: string, aliases: string[]): Promise<void> {
  await api.data(`mutation ($input: RegistryProtectedAliasesInput!) { addRegistryProtectedAliases(input: $input) { project { id } } }`, {
    input: { projectId: await registryId(api, registry), aliases },
  });
}

/** A linked version as the registry's API reports it: vN and aliases, by collection. */
export async function linkedVersions(api: Api, registry: string, collection: string): Promise<{ version: string; aliases: string[] }[]> {
  const data = await api.data<{
    project: {
      artifactCollection: { artifactMemberships: { edges: { node: { version: string; aliases: { alias: string }[] } }[] } } | null;
    } | null;
  }>(
    `query ($project: String!, $collection: String!) {
      project(entityName: "acme", name: $project) {
        artifactCollection(name: $collection) { artifactMemberships(first: 100) { edges { node { version aliases { alias } } } } }
      }
    }`,
    { project: `wandb-registry-${registry}`, collection },
  );
  return (data.project?.artifactCollection?.artifactMemberships.edges ?? []).map((e) => ({
    version: e.node.version,
    aliases: e.node.aliases.map((a) => a.alias).sort(),
  }));
}
