import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/database.js';
import type { Automation, Database, Delivery, Event, Integration, TeamSecret } from '../../db/tables.js';

type Trx = Transaction<Database>;

// ---- team secrets

export async function upsertSecret(db: DB, entityId: number, name: string, sealed: string): Promise<void> {
  await db
    .insertInto('team_secrets')
    .values({ entity_id: entityId, name, sealed })
    .onConflict((oc) => oc.columns(['entity_id', 'name']).doUpdateSet({ sealed, updated_at: sql`now()` }))
    .execute();
}

export async function deleteSecret(db: DB, entityId: number, name: string): Promise<boolean> {
  const result = await db.deleteFrom('team_secrets').where('entity_id', '=', entityId).where('name', '=', name).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function secretsOfEntity(db: DB, entityId: number): Promise<Omit<TeamSecret, 'sealed'>[]> {
  return db
    .selectFrom('team_secrets')
    .select(['id', 'entity_id', 'name', 'created_at', 'updated_at'])
    .where('entity_id', '=', entityId)
    .orderBy('name')
    .execute();
}

export async function secretsByName(db: DB, entityId: number, names: readonly string[]): Promise<TeamSecret[]> {
  if (names.length === 0) return [];
  return db.selectFrom('team_secrets').selectAll().where('entity_id', '=', entityId).where('name', 'in', names).execute();
}

// ---- integrations

export interface NewIntegration {
  entity_id: number;
  name: string;
  url: string;
  secret_name: string | null;
  access_token_name: string | null;
  created_by: number;
}

export async function insertIntegration(db: DB, row: NewIntegration): Promise<Integration | undefined> {
  return db
    .insertInto('integrations')
    .values(row)
    .onConflict((oc) => oc.columns(['entity_id', 'name']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function integrationById(db: DB, id: number): Promise<Integration | undefined> {
  return db.selectFrom('integrations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function integrationsByIds(db: DB, ids: readonly number[]): Promise<Integration[]> {
  return db.selectFrom('integrations').selectAll().where('id', 'in', ids).execute();
}

export async function integrationsOfEntity(db: DB, entityId: number, afterId: number, limit: number): Promise<Integration[]> {
  return db
    .selectFrom('integrations')
    .selectAll()
    .where('entity_id', '=', entityId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

// ---- automations

export type AutomationFields = Omit<Automation, 'id' | 'created_at' | 'updated_at'>;

export async function insertAutomation(db: DB, row: AutomationFields): Promise<Automation> {
  return db.insertInto('automations').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateAutomation(db: DB, id: number, row: Partial<AutomationFields>): Promise<Automation> {
  return db
    .updateTable('automations')
    .set({ ...row, updated_at: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteAutomation(db: DB, id: number): Promise<void> {
  await db.deleteFrom('automations').where('id', '=', id).execute();
}

export async function automationById(db: DB, id: number): Promise<Automation | undefined> {
  return db.selectFrom('automations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function automationsOfProjects(db: DB, projectIds: readonly number[]): Promise<Automation[]> {
  if (projectIds.length === 0) return [];
  return db.selectFrom('automations').selectAll().where('project_id', 'in', projectIds).orderBy('id').execute();
}

/** Automations in the projects of an organization (or of one entity), by id after `afterId`. */
export async function automationsIn(
  db: DB,
  of: { organizationId: number } | { entityId: number },
  afterId: number,
  limit: number,
): Promise<Automation[]> {
  let query = db
    .selectFrom('automations')
    .innerJoin('projects', 'projects.id', 'automations.project_id')
    .innerJoin('entities', 'entities.id', 'projects.entity_id')
    .selectAll('automations');
  query =
    'organizationId' in of ? query.where('entities.organization_id', '=', of.organizationId) : query.where('entities.id', '=', of.entityId);
  return query.where('automations.id', '>', afterId).orderBy('automations.id').limit(limit).execute();
}

// ---- fan-out: queued events to deliveries

/** An event row waiting to be matched, with its owner's name and its author's username. */
export type QueuedEvent = Pick<
  Event,
  | 'id'
  | 'action'
  | 'project_id'
  | 'project_name'
  | 'collection_id'
  | 'collection_name'
  | 'membership_id'
  | 'version_index'
  | 'after'
  | 'before'
> & { entity_name: string; author: string | null };

/** Claims up to `limit` queued events, oldest first, skipping those another worker holds. */
export async function claimQueuedEvents(trx: Trx, limit: number): Promise<QueuedEvent[]> {
  const rows = await sql<QueuedEvent>`
    with claimed as (
      select event_id from automation_event_queue order by event_id limit ${limit} for update skip locked
    )
    select e.id, e.action, e.project_id, e.project_name, e.collection_id, e.collection_name, e.membership_id,
      e.version_index, e.after, e.before, en.name as entity_name, u.username as author
    from claimed q
    join events e on e.id = q.event_id
    left join projects p on p.id = e.project_id
    left join entities en on en.id = p.entity_id
    left join users u on u.id = e.actor_id
    order by e.id`.execute(trx);
  return rows.rows.map((row) => ({ ...row, id: Number(row.id) }));
}

export async function dequeueEvents(trx: Trx, eventIds: readonly number[]): Promise<void> {
  if (eventIds.length > 0) await trx.deleteFrom('automation_event_queue').where('event_id', 'in', eventIds).execute();
}

export async function enabledAutomationsOfProjects(trx: Trx, projectIds: readonly number[]): Promise<Automation[]> {
  if (projectIds.length === 0) return [];
  return trx.selectFrom('automations').selectAll().where('project_id', 'in', projectIds).where('enabled', '=', true).execute();
}

export interface NewDelivery {
  automation_id: number;
  event_id: number;
  webhook_id: string;
  context: string;
}

/** One delivery per automation and event, however often the event is fanned out. */
export async function insertDeliveries(trx: Trx, rows: readonly NewDelivery[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('automation_deliveries')
    .values([...rows])
    .onConflict((oc) => oc.columns(['automation_id', 'event_id']).doNothing())
    .execute();
}

// ---- delivery

export interface ClaimedDelivery extends Delivery {
  action_type: string;
  request_payload: string | null;
  integration_id: number | null;
}

/**
 * Claims due deliveries for `leaseMs`: pending, due by `now`, and not held under another worker's
 * lease. A worker that dies mid-delivery lets its lease lapse; the delivery is then claimed again.
 */
export async function claimDueDeliveries(db: DB, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
  return db.transaction().execute(async (trx) => {
    const due = await sql<{ id: number }>`
      select id from automation_deliveries
      where status = 'pending' and next_attempt_at <= ${now} and (locked_until is null or locked_until <= ${now})
      order by next_attempt_at, id limit ${limit} for update skip locked`.execute(trx);
    const ids = due.rows.map((row) => Number(row.id));
    if (ids.length === 0) return [];
    const rows = await trx
      .updateTable('automation_deliveries')
      .from('automations')
      .set({ locked_until: leaseUntil, attempts: sql`automation_deliveries.attempts + 1` })
      .whereRef('automations.id', '=', 'automation_deliveries.automation_id')
      .where('automation_deliveries.id', 'in', ids)
      .returningAll('automation_deliveries')
      .returning(['automations.action_type', 'automations.request_payload', 'automations.integration_id'])
      .execute();
    return rows.map((row) => ({ ...row, id: Number(row.id), event_id: Number(row.event_id) })).sort((a, b) => a.id - b.id);
  });
}

export interface AttemptRecord {
  started_at: Date;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_excerpt: string | null;
}

export type DeliveryOutcome =
  { status: 'delivered' | 'failed'; error: string | null } | { status: 'pending'; error: string | null; nextAttemptAt: Date };

/** Records an attempt and what follows it, in one transaction. */
export async function finishAttempt(db: DB, deliveryId: number, attempt: AttemptRecord, outcome: DeliveryOutcome): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('automation_delivery_attempts')
      .values({ delivery_id: deliveryId, ...attempt })
      .execute();
    await trx
      .updateTable('automation_deliveries')
      .set({
        status: outcome.status,
        last_error: outcome.error,
        locked_until: null,
        ...(outcome.status === 'pending' ? { next_attempt_at: outcome.nextAttemptAt } : { finished_at: sql`now()` }),
      })
      .where('id', '=', deliveryId)
      .execute();
  });
}
