import type { Transaction } from 'kysely';
import type { DB } from '../../db/database.js';
import type { Database, Event } from '../../db/tables.js';
import { encodeCursor, type CursorValue } from '../../graphql/cursor.js';

type Trx = Transaction<Database>;

/**
 * Every kind of change that writes an event (docs/events.md says what each one's before/after hold).
 * A closed set: automations filter on these names, so a name never changes once released.
 */
export const EVENT_ACTIONS = [
  'registry.created',
  'registry.updated',
  'registry.renamed',
  'registry.deleted',
  'registry.member_added',
  'registry.member_role_changed',
  'registry.member_removed',
  'collection.created',
  'collection.updated',
  'collection.deleted',
  'collection.tag_added',
  'collection.tag_removed',
  'version.linked',
  'version.unlinked',
  'version.created',
  'version.deleted',
  'version.tag_added',
  'version.tag_removed',
  'alias.added',
  'alias.moved',
  'alias.removed',
] as const;
export type EventAction = (typeof EVENT_ACTIONS)[number];

export interface EventInput {
  action: EventAction;
  /** null for the system. */
  actorId: number | null;
  project: { id: number; name: string };
  collection?: { id: number; name: string };
  version?: { id: number; version_index: number };
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Writes one change's event; call it inside the change's own transaction, so both commit or neither. */
export async function recordEvent(trx: Trx, event: EventInput): Promise<void> {
  await trx
    .insertInto('events')
    .values({
      actor_id: event.actorId,
      action: event.action,
      project_id: event.project.id,
      project_name: event.project.name,
      collection_id: event.collection?.id ?? null,
      collection_name: event.collection?.name ?? null,
      membership_id: event.version?.id ?? null,
      version_index: event.version?.version_index ?? null,
      before: event.before ? JSON.stringify(event.before) : null,
      after: event.after ? JSON.stringify(event.after) : null,
    })
    .execute();
}

/** A page of events newest first, keyset on the id; by collection or by registry. */
export async function listEvents(
  db: DB,
  of: { collectionId: number } | { projectId: number },
  after: CursorValue | undefined,
  first: number,
) {
  let query = db.selectFrom('events').selectAll();
  query = 'collectionId' in of ? query.where('collection_id', '=', of.collectionId) : query.where('project_id', '=', of.projectId);
  if (after) query = query.where('id', '<', after.id);
  const rows: Event[] = await query
    .orderBy('id', 'desc')
    .limit(first + 1)
    .execute();
  return {
    hasNextPage: rows.length > first,
    edges: rows.slice(0, first).map((node) => ({ node, cursor: encodeCursor({ v: null, id: node.id }) })),
  };
}
