import { type Artifact, type RegistryRole } from '../../db/tables.js';
import { type Context } from '../../graphql/builder.js';
import { atLeast, canSeeProject, requireWritableEntity, viewerRegistryRole } from '../registries/access.js';
import { contextLoader, groupByKey } from '../../graphql/context-loaders.js';
import { loadEntity } from '../organization/loaders.js';
import { registryProjectsLinking } from './repository.js';
import { userError } from '../../graphql/errors.js';
import { sourceProject } from '../collections/loaders.js';

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
