import type { Entity, Run, User } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { userError } from '../../graphql/errors.js';
import { loadEntity } from '../organization/loaders.js';
import { loadProject } from '../registries/loaders.js';
import { canSeeProject, requireWritableEntity } from '../registries/access.js';
import { findRunByPath } from './repository.js';

/**
 * Whether the viewer may write to the run (log to it, upload its files): the same right as logging
 * an artifact into its project. Reading follows the project: whoever reached the run may read it.
 */
export async function canWrite(ctx: Context, run: Run): Promise<boolean> {
  if (!ctx.viewer) return false;
  const project = await loadProject(ctx, run.project_id);
  const entity = await loadEntity(ctx, project.entity_id);
  try {
    await requireWritableEntity(ctx, entity.name);
    return true;
  } catch {
    return false;
  }
}

/** A viewer and the entity they may log runs into. */
export interface RunWriter {
  viewer: User;
  entity: Entity;
}

/** The viewer as a writer of runs into an entity (their own when none is named): createArtifact's rule. */
export async function requireRunWriter(ctx: Context, entityName: string | null | undefined): Promise<RunWriter> {
  const entity = await requireWritableEntity(ctx, entityName);
  if (!ctx.viewer) throw userError('UNAUTHENTICATED', 'Sign in to log runs.');
  return { viewer: ctx.viewer, entity };
}

/**
 * The run a writer logs to, by its path. Runs the caller cannot see answer like missing ones;
 * seen but not writable is FORBIDDEN.
 */
export async function requireWritableRun(ctx: Context, entityName: string, projectName: string, runName: string): Promise<Run> {
  const found =
    entityName.length <= 128 && projectName.length <= 128 && runName.length <= 128
      ? await findRunByPath(ctx.db, entityName, projectName, runName)
      : undefined;
  if (!found || found.project.is_registry || !(await canSeeProject(ctx, found.project, found.entity))) {
    throw userError(
      'NOT_FOUND',
      `Run "${entityName.slice(0, 128)}/${projectName.slice(0, 128)}/${runName.slice(0, 128)}" was not found: create it with upsertBucket first.`,
    );
  }
  await requireWritableEntity(ctx, found.entity.name);
  return found.run;
}
