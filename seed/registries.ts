import { data, DEFAULT_ORG, idNumber, registryProject, type SeedClient } from './client.js';
import { userId } from './people.js';

export type RegistryRole = 'restricted_viewer' | 'viewer' | 'member' | 'admin';

export interface SeededRegistry {
  /** The GraphQL Project id. */
  id: string;
  /** The project's integer id. */
  projectId: number;
  name: string;
  /** `wandb-registry-<name>`. */
  projectName: string;
}

/**
 * A custom registry, created by the client's user: organization-visible unless `restricted`,
 * accepting `types` (every type when none are given).
 */
export async function createRegistry(
  seed: SeedClient,
  options: {
    name: string;
    org?: string;
    restricted?: boolean;
    types?: readonly string[];
    description?: string;
    protectedAliases?: readonly string[];
  },
): Promise<SeededRegistry> {
  const created = await data<{ upsertModel: { project: { id: string } } }>(
    seed,
    `mutation SeedCreateRegistry($input: UpsertModelInput!) { upsertModel(input: $input) { project { id } } }`,
    {
      input: {
        name: registryProject(options.name),
        entityName: options.org ?? DEFAULT_ORG,
        description: options.description ?? `The ${options.name} registry`,
        access: options.restricted ? 'RESTRICTED' : 'PRIVATE',
        allowAllArtifactTypesInRegistry: !options.types,
        artifactTypes: options.types?.map((type) => ({ name: type })) ?? [],
        createOnly: true,
      },
    },
  );
  const id = created.upsertModel.project.id;
  if (options.protectedAliases?.length)
    await protectAliases(seed, { registry: options.name, aliases: options.protectedAliases, org: options.org });
  return { id, projectId: idNumber(id), name: options.name, projectName: registryProject(options.name) };
}

/** The GraphQL Project id of a registry (core `model` and `dataset` included). */
export async function registryId(seed: SeedClient, registry: string, org = DEFAULT_ORG): Promise<string> {
  const found = await data<{ project: { id: string } | null }>(
    seed,
    `query SeedRegistry($entity: String!, $name: String!) { project(entityName: $entity, name: $name) { id } }`,
    { entity: org, name: registryProject(registry) },
  );
  if (!found.project) throw new Error(`no registry ${registry}`);
  return found.project.id;
}

/** Gives a user (by username) or a team (by its Entity id) a role in a registry. */
export async function grantRegistryRole(
  seed: SeedClient,
  options: { registry: string; role: RegistryRole; org?: string } & ({ username: string } | { teamId: string }),
): Promise<void> {
  const projectId = await registryId(seed, options.registry, options.org);
  if ('username' in options) {
    await data(seed, `mutation SeedGrantUser($input: CreateProjectMembersInput!) { createProjectMembers(input: $input) { success } }`, {
      input: { projectId, userIds: [await userId(seed, options.username)], role: options.role },
    });
    return;
  }
  await data(seed, `mutation SeedGrantTeam($input: CreateProjectMembersInput!) { createProjectMembers(input: $input) { success } }`, {
    input: { projectId, teamIds: [options.teamId], role: options.role },
  });
}

/** Makes aliases protected in a registry: only its admins may add or remove them. */
export async function protectAliases(
  seed: SeedClient,
  options: { registry: string; aliases: readonly string[]; org?: string },
): Promise<void> {
  await data(
    seed,
    `mutation SeedProtectAliases($input: RegistryProtectedAliasesInput!) { addRegistryProtectedAliases(input: $input) { project { id } } }`,
    { input: { projectId: await registryId(seed, options.registry, options.org), aliases: options.aliases } },
  );
}
