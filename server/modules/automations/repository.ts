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

// ---- the web app: a webhook's changes, an automation's deliveries

export async function updateIntegration(
  db: DB,
  id: number,
  changes: Partial<Pick<Integration, 'name' | 'url' | 'secret_name' | 'access_token_name'>>,
): Promise<Integration | undefined> {
  return db
    .updateTable('integrations')
    .set(changes)
    .where('id', '=', id)
    .where(({ not, exists, selectFrom }) =>
      // The new name must be free in the team (the unique constraint would abort a PostgreSQL transaction).
      changes.name === undefined
        ? sql<boolean>`true`
        : not(
            exists(
              selectFrom('integrations as other')
                .select('other.id')
                .whereRef('other.entity_id', '=', 'integrations.entity_id')
                .where('other.name', '=', changes.name)
                .where('other.id', '<>', id),
            ),
          ),
    )
    .returningAll()
    .executeTakeFirst();
}

export async function automationCountOfIntegration(db: DB, id: number): Promise<number> {
  const row = await db
    .selectFrom('automations')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('integration_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteIntegration(db: DB, id: number): Promise<void> {
  await db.deleteFrom('integrations').where('id', '=', id).execute();
}

/** A delivery with what its latest attempt found (null before the first). */
export interface DeliveryRow {
  id: number;
  automation_id: number;
  webhook_id: string;
  context: Record<string, unknown>;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  finished_at: Date | null;
  next_attempt_at: Date;
  started_at: Date | null;
  duration_ms: number | null;
  status_code: number | null;
  response_excerpt: string | null;
}

/** An automation's deliveries, newest first, each with its latest attempt; `beforeId` pages. */
export async function deliveriesOfAutomation(db: DB, automationId: number, beforeId: number | null, limit: number): Promise<DeliveryRow[]> {
  const rows = await sql<DeliveryRow>`
    select d.id, d.automation_id, d.webhook_id, d.context, d.status, d.attempts, d.last_error, d.created_at,
      d.finished_at, d.next_attempt_at, a.started_at, a.duration_ms, a.status_code, a.response_excerpt
    from automation_deliveries d
    left join lateral (
      select started_at, duration_ms, status_code, response_excerpt from automation_delivery_attempts
      where delivery_id = d.id order by id desc limit 1
    ) a on true
    where d.automation_id = ${automationId} ${beforeId === null ? sql`` : sql`and d.id < ${beforeId}`}
    order by d.id desc limit ${limit}`.execute(db);
  return rows.rows.map((row) => ({ ...row, id: Number(row.id) }));
}

export async function deliveryById(db: DB, id: number): Promise<Delivery | undefined> {
  return db.selectFrom('automation_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Queues a finished delivery again, due now, keeping its webhook-id; undefined while it is still pending. */
export async function requeueDelivery(db: DB, id: number): Promise<Delivery | undefined> {
  return db
    .updateTable('automation_deliveries')
    .set({ status: 'pending', next_attempt_at: sql`now()`, locked_until: null, finished_at: null, last_error: null })
    .where('id', '=', id)
    .where('status', '<>', 'pending')
    .returningAll()
    .executeTakeFirst();
}

/** The newest event of a project (or of one of its collections) with one of these actions, as the fan-out reads events. */
export async function latestEventOf(
  db: DB,
  projectId: number,
  collectionId: number | null,
  actions: readonly string[],
): Promise<(QueuedEvent & { created_at: Date }) | undefined> {
  const rows = await sql<QueuedEvent & { created_at: Date }>`
    select e.id, e.action, e.project_id, e.project_name, e.collection_id, e.collection_name, e.membership_id,
      e.version_index, e.after, e.before, e.created_at, en.name as entity_name, u.username as author
    from events e
    left join projects p on p.id = e.project_id
    left join entities en on en.id = p.entity_id
    left join users u on u.id = e.actor_id
    where e.project_id = ${projectId} and e.action in (${sql.join(actions)})
      ${collectionId === null ? sql`` : sql`and e.collection_id = ${collectionId}`}
    order by e.id desc limit 1`.execute(db);
  const row = rows.rows[0];
  return row && { ...row, id: Number(row.id) };
}
