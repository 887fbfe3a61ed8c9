import type { Transaction } from 'kysely';
import type { DB } from '../../db/database.js';
import type { Database, Event } from '../../db/tables.js';

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

function eventRow(event: EventInput) {
  return {
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
  };
}

/** Writes one change's event; call it inside the change's own transaction, so both commit or neither. */
export async function recordEvent(trx: Trx, event: EventInput): Promise<void> {
  await trx.insertInto('events').values(eventRow(event)).execute();
}

/** Writes a change's events in one statement, in their order (ids follow it); inside the change's transaction. */
export async function recordEvents(trx: Trx, events: readonly EventInput[]): Promise<void> {
  if (events.length > 0) await trx.insertInto('events').values(events.map(eventRow)).execute();
}

/** Which events a history lists: some actions only, and/or one user's (by username). */
export interface EventFilter {
  actions?: readonly EventAction[];
  actorUsername?: string;
}

/**
 * Up to `limit` events newest first, keyset on the id (below `beforeId`); by collection or by registry,
 * narrowed by `filter`. The actor is matched by a subquery, so an unknown username matches nothing
 * and the page stays one statement.
 */
export async function listEvents(
  db: DB,
  of: { collectionId: number } | { projectId: number },
  beforeId: number | undefined,
  limit: number,
  filter: EventFilter = {},
): Promise<Event[]> {
  let query = db.selectFrom('events').selectAll('events');
  query = 'collectionId' in of ? query.where('collection_id', '=', of.collectionId) : query.where('project_id', '=', of.projectId);
  if (beforeId !== undefined) query = query.where('id', '<', beforeId);
  if (filter.actions?.length) query = query.where('action', 'in', filter.actions);
  const username = filter.actorUsername;
  if (username !== undefined) {
    query = query.where('actor_id', '=', (eb) => eb.selectFrom('users').select('users.id').where('users.username', '=', username));
  }
  return query.orderBy('id', 'desc').limit(limit).execute();
}
