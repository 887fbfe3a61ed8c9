import type { Page } from '@playwright/test';
import type { Api } from './api';

/** An empty collection in `wandb-registry-<registry>`, created as the admin (the web app's "Create collection"). */
export async function createCollection(
  api: Api,
  registry: string,
  name: string,
  options: { type?: string; tags?: string[]; description?: string } = {},
): Promise<string> {
  const found = await api.data<{ project: { id: string } | null }>(
    `query ($name: String!) { project(entityName: "acme", name: $name) { id } }`,
    {
      name: `wandb-registry-${registry}`,
    },
  );
  if (!found.project) throw new Error(`registry ${registry} not found`);
  const created = await api.data<{ createArtifactPortfolio: { artifactCollection: { id: string } } }>(
    `mutation ($input: CreateArtifactPortfolioInput!) { createArtifactPortfolio(input: $input) { artifactCollection { id } } }`,
    {
      input: {
        projectId: found.project.id,
        name,
        type: options.type ?? 'model',
        tags: options.tags ?? [],
        description: options.description ?? '',
      },
    },
  );
  return created.createArtifactPortfolio.artifactCollection.id;
}

/** Records the operation names of the GraphQL requests the page sends from now on (GET or POST). */
export function graphqlRequests(page: Page): string[] {
  const requests: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname !== '/graphql') return;
    const body = r.postData();
    const query = body ? (JSON.parse(body) as { query?: string }).query : url.searchParams.get('query');
    requests.push(/(query|mutation)\s+(\w+)/.exec(query ?? '')?.[2] ?? r.url());
  });
  return requests;
}

/** The registry's Project id. */
export async function registryId(api: Api, registry: string): Promise<string> {
  const found = await api.data<{ project: { id: string } | null }>(
    `query ($name: String!) { project(entityName: "acme", name: $name) { id } }`,
    {
      name: `wandb-registry-${registry}`,
    },
  );
  if (!found.project) throw new Error(`registry ${registry} not found`);
  return found.project.id;
}

/** Gives a user a role in a registry (as the admin). */
export async function grantRole(
  api: Api,
  registry: string,
  username: string,
  role: 'restricted_viewer' | 'viewer' | 'member' | 'admin',
): Promise<void> {
  const users = await api.data<{ users: { edges: { node: { id: string; username: string } }[] } }>(
    `query ($q: String) { users(query: $q) { edges { node { id username } } } }`,
    { q: username },
  );
  const user = users.users.edges.find((e) => e.node.username === username);
  if (!user) throw new Error(`user ${username} not found`);
  await api.data(`mutation ($input: CreateProjectMembersInput!) { createProjectMembers(input: $input) { __typename } }`, {
    input: { projectId: await registryId(api, registry), userIds: [user.node.id], role },
  });
}

/** Makes aliases protected in a registry: only its admins may add or remove them. */
export async function protectAliases(api: Api, registry: string, aliases: string[]): Promise<void> {
  await api.data(`mutation ($input: RegistryProtectedAliasesInput!) { addRegistryProtectedAliases(input: $input) { project { id } } }`, {
    input: { projectId: await registryId(api, registry), aliases },
  });
}
