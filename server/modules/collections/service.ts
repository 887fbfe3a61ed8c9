import type { Event } from '../../db/tables.js';
import type { Context, Page } from '../../graphql/builder.js';
import { decodeCursor, encodeCursor, pageSize } from '../../graphql/cursor.js';
import { listEvents } from '../events/repository.js';

/** A page of a registry's or a collection's action history, newest first. */
export async function eventPage(
  ctx: Context,
  of: { collectionId: number } | { projectId: number },
  args: { after?: string | null; first?: number | null },
): Promise<Page<Event>> {
  const first = pageSize(args.first);
  const rows = await listEvents(ctx.db, of, decodeCursor(args.after)?.id, first + 1);
  return {
    hasNextPage: rows.length > first,
    edges: rows.slice(0, first).map((node) => ({ node, cursor: encodeCursor({ v: null, id: node.id }) })),
  };
}
