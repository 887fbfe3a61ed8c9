import type { Alias, Artifact, Collection, Entity, Project, RegistryRole } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { byKey, contextLoader, groupByKey, requiredById } from '../../graphql/context-loaders.js';
import { userError } from '../../graphql/errors.js';
import { validateName } from '../collections/names.js';
import { findEntityByName } from '../organization/repository.js';
import { atLeast, canLogInto, canSeeProject, viewerRegistryRole } from '../registries/access.js';
import { REGISTRY_PREFIX } from '../registries/repository.js';
import {
  aliasesOfArtifacts,
  artifactRowsByIds,
  collectionRowsByIds,
  linksOfArtifacts,
  projectsByIds,
  registryProjectsLinking,
  tagsByArtifactIds,
  type VersionLink,
} from './repository.js';

/** Per-request loaders of projects, collections and source versions, shared with the collections module. */
export const projectLoader = (ctx: Context) =>
  contextLoader(ctx, 'artifacts:project', async (ids: readonly number[]) => requiredById(ids, await projectsByIds(ctx.db, ids)));

/** Collections come with their projects and owners, which the other loaders keep (access checks read both). */
export const collectionLoader = (ctx: Context) =>
  contextLoader(ctx, 'artifacts:collection', async (ids: readonly number[]) => {
    const rows = await collectionRowsByIds(ctx.db, ids);
    for (const project of rows.projects) projectLoader(ctx).prime(project.id, project);
    for (const entity of rows.entities) ctx.loaders.entity.prime(entity.id, entity);
    return requiredById(ids, rows.collections);
  });

/**
 * Null when the artifact does not exist (errors are not cached as values). The versions come with
 * their sequences, projects, owners, tags and aliases, which the other loaders keep: a document that
 * reads a version by id and then those costs one statement, not five.
 */
export const artifactLoader = (ctx: Context) =>
  contextLoader(ctx, 'artifacts:artifact', async (ids: readonly number[]): Promise<(Artifact | null)[]> => {
    const rows = await artifactRowsByIds(ctx.db, ids);
    for (const collection of rows.collections) collectionLoader(ctx).prime(collection.id, collection);
    for (const project of rows.projects) projectLoader(ctx).prime(project.id, project);
    for (const entity of rows.entities) ctx.loaders.entity.prime(entity.id, entity);
    const tags = groupByKey(
      rows.artifacts.map((a) => a.id),
      rows.tags,
      (t) => t.artifact_id,
    );
    const aliases = groupByKey(
      rows.artifacts.map((a) => a.id),
      rows.aliases,
      (a) => a.artifactId,
    );
    const links = groupByKey(
      rows.artifacts.map((a) => a.id),
      rows.links,
      (l) => l.artifactId,
    );
    rows.artifacts.forEach((artifact, i) => {
      artifactTagsLoader(ctx).prime(
        artifact.id,
        tags[i]!.map((t) => ({ name: t.tag })),
      );
      artifactAliasesLoader(ctx).prime(
        artifact.id,
        aliases[i]!.map((a) => a.alias),
      );
      artifactLinksLoader(ctx).prime(artifact.id, links[i]!);
    });
    return byKey(ids, rows.artifacts, (a) => a.id).map((a) => a ?? null);
  });

/** A mutation changed the version's tags or aliases: fields read after it must read them again. */
export function forgetArtifactRows(ctx: Context, id: number): void {
  artifactLoader(ctx).clear(id);
  artifactTagsLoader(ctx).clear(id);
  artifactAliasesLoader(ctx).clear(id);
  artifactLinksLoader(ctx).clear(id);
}

// Synchronous when the value is known (primed by a page or loaded before), so lists resolve without promises.
export const loadProject = (ctx: Context, id: number): Project | Promise<Project> => projectLoader(ctx).get(id);

export const loadCollection = (ctx: Context, id: number): Collection | Promise<Collection> => collectionLoader(ctx).get(id);

export const loadArtifact = (ctx: Context, id: number): Artifact | null | Promise<Artifact | null> => artifactLoader(ctx).get(id);

export async function loadEntity(ctx: Context, id: number): Promise<Entity> {
  const entity = await ctx.loaders.entity.load(id);
  if (!entity) throw new Error(`entity ${id} not found`);
  return entity;
}

/** The source project (team project) of a version. */
export async function sourceProject(ctx: Context, artifact: Artifact): Promise<Project> {
  const collection = await loadCollection(ctx, artifact.sequence_id);
  return loadProject(ctx, collection.project_id);
}

/**
 * Where a user may log runs and artifacts: their own entity, a team they belong to, or (org admins)
 * any team. Not the organization entity: it holds the registries.
 */
export async function requireWritableEntity(ctx: Context, entityName: string | null | undefined): Promise<Entity> {
  const viewer = ctx.viewer;
  if (!viewer) throw userError('UNAUTHENTICATED', 'Sign in or send an API key to log runs and artifacts.');
  const entity = entityName ? await findEntityByName(ctx.db, entityName) : await ctx.loaders.entity.load(viewer.entity_id);
  if (!entity || entity.organization_id !== viewer.organization_id) {
    throw userError('NOT_FOUND', `Entity "${String(entityName).slice(0, 140)}" was not found.`);
  }
  if (entity.kind === 'ORGANIZATION') {
    throw userError(
      'BAD_USER_INPUT',
      `"${entity.name}" is the organization entity, which holds registries: log into a team or your own entity.`,
    );
  }
  if (await canLogInto(ctx, entity)) return entity;
  if (viewer.org_role === 'viewer') {
    throw userError(
      'FORBIDDEN',
      'Your organization role is viewer, which cannot log runs or artifacts: ask an org admin for the member role.',
    );
  }
  throw userError(
    'FORBIDDEN',
    `You cannot write to "${entity.name}": log into your own entity or a team you are a member of (ask a team admin to add you).`,
  );
}

export function isRegistryName(name: string): boolean {
  return name.startsWith(REGISTRY_PREFIX);
}

/** Runs and artifacts are logged into team projects, never into a registry's project. */
export function checkProjectName(name: string): string {
  validateName('Project', name);
  if (isRegistryName(name)) {
    throw userError('BAD_USER_INPUT', `"${name}" is a registry: log into a team project, then link the version into the registry.`);
  }
  return name;
}

export function checkRunName(name: string): string {
  if (name.length < 1 || name.length > 128 || !/^[-\w.]+$/.test(name)) {
    throw userError('BAD_USER_INPUT', `Run name "${name.slice(0, 140)}" is not valid: use 1-128 letters, digits, "-", "_" or ".".`);
  }
  return name;
}

export interface ArtifactAccess {
  read: boolean;
  download: boolean;
}

/**
 * What the viewer may do with a version: everything when they can see its team project; through a
 * registry that links it, read with any role and download from `viewer` up (restricted viewers see
 * metadata only).
 */
export async function artifactAccess(ctx: Context, artifact: Artifact): Promise<ArtifactAccess> {
  const project = await sourceProject(ctx, artifact);
  if (await canSeeProject(ctx, project, await loadEntity(ctx, project.entity_id))) return { read: true, download: true };
  const links = await contextLoader(ctx, 'artifacts:registries', async (ids: readonly number[]) => {
    const rows = await registryProjectsLinking(ctx.db, ids);
    return groupByKey(ids, rows, (r) => r.artifact_id).map((list) => list.map((r) => r.project));
  }).load(artifact.id);
  const roles = await Promise.all(
    links.map(async (registry) => viewerRegistryRole(ctx, registry, await loadEntity(ctx, registry.entity_id))),
  );
  let best: RegistryRole | null = null;
  for (const role of roles) if (role && (!best || atLeast(role.role, best))) best = role.role;
  return { read: best !== null, download: atLeast(best, 'viewer') };
}

/** Whether the viewer may write to the version's entity (without throwing). */
export async function canWriteArtifact(ctx: Context, artifact: Artifact): Promise<boolean> {
  try {
    await requireArtifactWrite(ctx, artifact);
    return true;
  } catch {
    return false;
  }
}

/** The viewer may change a version (description, metadata, tags, delete) when they may write to its entity. */
export async function requireArtifactWrite(ctx: Context, artifact: Artifact): Promise<void> {
  const project = await sourceProject(ctx, artifact);
  const entity = await loadEntity(ctx, project.entity_id);
  if (!(await artifactAccess(ctx, artifact)).read) throw userError('NOT_FOUND', 'Artifact not found.');
  await requireWritableEntity(ctx, entity.name);
}

/** Tags of source versions, per request; list queries that already fetched them prime it. */
export const artifactTagsLoader = (ctx: Context) =>
  contextLoader(ctx, 'artifacts:tags', async (ids: readonly number[]) => {
    const rows = await tagsByArtifactIds(ctx.db, ids);
    return groupByKey(ids, rows, (r) => r.artifact_id).map((list) => list.map((r) => ({ name: r.tag })));
  });

/** Every alias a source version holds, in any collection, per request; list queries prime it. */
export const artifactAliasesLoader = (ctx: Context) =>
  contextLoader(ctx, 'artifacts:aliases', async (ids: readonly number[]): Promise<Alias[][]> => {
    const rows = await aliasesOfArtifacts(ctx.db, ids);
    return groupByKey(ids, rows, (r) => r.artifact_id).map((list) => list.map(({ artifact_id: _ignored, ...alias }) => alias));
  });

/** The registry links of source versions, per request; a version read by id comes with them. */
export const artifactLinksLoader = (ctx: Context) =>
  contextLoader(ctx, 'artifacts:links', async (ids: readonly number[]): Promise<VersionLink[][]> =>
    groupByKey(ids, await linksOfArtifacts(ctx.db, ids), (l) => l.artifactId),
  );
