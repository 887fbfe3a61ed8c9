import type { Run } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { loadEntity } from '../organization/loaders.js';
import { loadProject } from '../registries/loaders.js';
import { requireWritableEntity } from '../registries/access.js';

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
