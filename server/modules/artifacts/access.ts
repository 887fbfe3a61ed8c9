import { type Artifact, type Project } from '../../db/tables.js';
import { type Context } from '../../graphql/builder.js';
import {
  atLeast,
  canSeeProject,
  checkRegistryRole,
  requireWritableEntity,
  viewerRegistryRole,
  type EffectiveRole,
} from '../registries/access.js';
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
  const best = (await bestRegistryRole(ctx, artifact))?.role.role ?? null;
  return { read: best !== null, download: atLeast(best, 'viewer') };
}

/** The registry linking the version in which the viewer's role is highest (undefined: none they can see). */
async function bestRegistryRole(ctx: Context, artifact: Artifact): Promise<{ registry: Project; role: EffectiveRole } | undefined> {
  const links = await contextLoader(ctx, 'artifacts:registries', async (ids: readonly number[]) => {
    const rows = await registryProjectsLinking(ctx.db, ids);
    return groupByKey(ids, rows, (r) => r.artifact_id).map((list) => list.map((r) => r.project));
  }).load(artifact.id);
  const roles = await Promise.all(
    links.map(async (registry) => viewerRegistryRole(ctx, registry, await loadEntity(ctx, registry.entity_id))),
  );
  let best: { registry: Project; role: EffectiveRole } | undefined;
  for (const [i, role] of roles.entries()) {
    if (role && (!best || !atLeast(best.role.role, role.role))) best = { registry: links[i]!, role };
  }
  return best;
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

/**
 * The viewer may change a version's tags (and nothing else) as a member of a registry it is linked in
 * (DESIGN.md §1: members edit tags), or as a writer of its team project. A registry viewer is told the
 * role it takes; one who reads the version only in its team project gets that project's reason.
 */
export async function requireTagChange(ctx: Context, artifact: Artifact): Promise<void> {
  if (await canWriteArtifact(ctx, artifact)) return;
  const best = await bestRegistryRole(ctx, artifact);
  if (!best) return requireArtifactWrite(ctx, artifact);
  checkRegistryRole(best.role, best.registry, 'member', "change this version's tags", () => userError('NOT_FOUND', 'Artifact not found.'));
}

/**
 * Description, metadata and TTL change only by writers of the team project; a registry member who asks
 * learns that tags are what they may change.
 */
export async function requireFieldChange(ctx: Context, artifact: Artifact): Promise<void> {
  if (await canWriteArtifact(ctx, artifact)) return;
  const best = await bestRegistryRole(ctx, artifact);
  if (best && atLeast(best.role.role, 'member')) {
    throw userError(
      'FORBIDDEN',
      "As a registry member you may change this version's tags only: its description, metadata and TTL change by writers of its team project.",
    );
  }
  await requireArtifactWrite(ctx, artifact);
}
