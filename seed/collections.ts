import { data, DEFAULT_ORG, registryProject, type SeedClient } from './client.js';
import { registryId } from './registries.js';

/** An empty collection in a registry (the web app's "Create collection"); returns its GraphQL id. */
export async function createCollection(
  seed: SeedClient,
  options: { registry: string; name: string; type?: string; tags?: readonly string[]; description?: string; org?: string },
): Promise<string> {
  const created = await data<{ createArtifactPortfolio: { artifactCollection: { id: string } } }>(
    seed,
    `mutation SeedCreateCollection($input: CreateArtifactPortfolioInput!) { createArtifactPortfolio(input: $input) { artifactCollection { id } } }`,
    {
      input: {
        projectId: await registryId(seed, options.registry, options.org),
        name: options.name,
        type: options.type ?? 'model',
        tags: options.tags ?? [],
        description: options.description ?? '',
      },
    },
  );
  return created.createArtifactPortfolio.artifactCollection.id;
}

/** The GraphQL id of a registry's collection. */
export async function collectionId(seed: SeedClient, options: { registry: string; collection: string; org?: string }): Promise<string> {
  const found = await data<{ project: { artifactCollection: { id: string } | null } | null }>(
    seed,
    `query SeedCollection($entity: String!, $name: String!, $c: String!) { project(entityName: $entity, name: $name) { artifactCollection(name: $c) { id } } }`,
    { entity: options.org ?? DEFAULT_ORG, name: registryProject(options.registry), c: options.collection },
  );
  const id = found.project?.artifactCollection?.id;
  if (!id) throw new Error(`no collection ${options.registry}/${options.collection}`);
  return id;
}

/** Sets a collection's model card (its Markdown description). */
export async function setModelCard(
  seed: SeedClient,
  options: { registry: string; collection: string; description: string; org?: string },
): Promise<void> {
  await data(
    seed,
    `mutation SeedModelCard($id: ID!, $d: String!) { updateArtifactPortfolio(input: { artifactPortfolioID: $id, description: $d }) { artifactCollection { id } } }`,
    { id: await collectionId(seed, options), d: options.description },
  );
}

/** Tags a registry collection. */
export async function addCollectionTags(
  seed: SeedClient,
  options: { registry: string; collection: string; tags: readonly string[]; org?: string },
): Promise<void> {
  await data(
    seed,
    `mutation SeedTags($input: CreateArtifactCollectionTagAssignmentsInput!) { createArtifactCollectionTagAssignments(input: $input) { tags { id } } }`,
    {
      input: {
        entityName: options.org ?? DEFAULT_ORG,
        projectName: registryProject(options.registry),
        artifactCollectionName: options.collection,
        tags: options.tags.map((tagName) => ({ tagName })),
      },
    },
  );
}

/**
 * Links a source version (its GraphQL Artifact id) into `registry/collection`, creating the
 * collection when missing, with aliases; returns its vN there. `key`: link as another user.
 */
export async function linkVersion(
  seed: SeedClient,
  options: { artifactId: string; registry: string; collection: string; aliases?: readonly string[]; key?: string; org?: string },
): Promise<number> {
  const linked = await data<{ linkArtifact: { versionIndex: number } }>(
    seed,
    `mutation SeedLink($input: LinkArtifactInput!) { linkArtifact(input: $input) { versionIndex } }`,
    {
      input: {
        artifactID: options.artifactId,
        artifactPortfolioName: options.collection,
        entityName: options.org ?? DEFAULT_ORG,
        projectName: registryProject(options.registry),
        aliases: (options.aliases ?? []).map((alias) => ({ alias, artifactCollectionName: options.collection })),
      },
    },
    options.key === undefined ? {} : { key: options.key },
  );
  return linked.linkArtifact.versionIndex;
}

/** Adds aliases to a linked version (by its source version's Artifact id) in a registry collection. */
export async function addAliases(
  seed: SeedClient,
  options: { artifactId: string; registry: string; collection: string; aliases: readonly string[]; org?: string },
): Promise<void> {
  await data(seed, `mutation SeedAliases($input: AddAliasesInput!) { addAliases(input: $input) { success } }`, {
    input: {
      artifactID: options.artifactId,
      aliases: options.aliases.map((alias) => ({
        alias,
        artifactCollectionName: options.collection,
        entityName: options.org ?? DEFAULT_ORG,
        projectName: registryProject(options.registry),
      })),
    },
  });
}

/** A collection's linked versions as the API reports them: vN and sorted aliases. */
export async function linkedVersions(
  seed: SeedClient,
  options: { registry: string; collection: string; org?: string },
): Promise<{ version: string; aliases: string[] }[]> {
  const found = await data<{
    project: {
      artifactCollection: { artifactMemberships: { edges: { node: { version: string; aliases: { alias: string }[] } }[] } } | null;
    } | null;
  }>(
    seed,
    `query SeedLinkedVersions($entity: String!, $project: String!, $collection: String!) {
      project(entityName: $entity, name: $project) {
        artifactCollection(name: $collection) { artifactMemberships(first: 100) { edges { node { version aliases { alias } } } } }
      }
    }`,
    { entity: options.org ?? DEFAULT_ORG, project: registryProject(options.registry), collection: options.collection },
  );
  return (found.project?.artifactCollection?.artifactMemberships.edges ?? []).map((e) => ({
    version: e.node.version,
    aliases: e.node.aliases.map((a) => a.alias).sort(),
  }));
}
