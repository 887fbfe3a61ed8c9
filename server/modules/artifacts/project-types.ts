import type { ArtifactTypeShape } from '../../graphql/refs.js';
import type { Context } from '../../graphql/builder.js';
import { decodeCursor, encodeCursor, pageSize } from '../../graphql/cursor.js';
import { projectTypeNames } from './repository.js';

/** A team project's artifact types (the distinct types of its collections), a page by name: one statement. */
export async function teamProjectTypesPage(
  ctx: Context,
  projectId: number,
  args: { after?: string | null; first?: number | null },
): Promise<{ hasNextPage: boolean; edges: { cursor: string; node: ArtifactTypeShape }[] }> {
  const first = pageSize(args.first);
  const after = decodeCursor(args.after);
  const rows = await projectTypeNames(ctx.db, projectId, after === undefined ? undefined : String(after.v), first + 1);
  return {
    hasNextPage: rows.length > first,
    edges: rows.slice(0, first).map((row) => ({
      cursor: encodeCursor({ v: row.name, id: 0 }),
      node: { projectId, name: row.name, createdAt: row.createdAt },
    })),
  };
}
