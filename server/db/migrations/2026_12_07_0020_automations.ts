import { sql, type Kysely } from 'kysely';

// Automations: team secrets (encrypted at rest), webhook integrations, automations on a registry or
// collection, and deliveries made from the event rows. A statement trigger on `events` queues the rows
// of projects that have an enabled automation, so the changes that write events send no extra
// statement; the delivery worker matches queued events against automations and delivers them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('team_secrets')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('entity_id', 'integer', (c) => c.notNull().references('entities.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    // base64 of nonce, AES-256-GCM tag and ciphertext, under the server's SECRETS_KEY.
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('team_secrets_entity_name', ['entity_id', 'name'])
    .execute();
  await db.schema
    .createTable('integrations')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('entity_id', 'integer', (c) => c.notNull().references('entities.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    // Names of the team's secrets, read at delivery time (a secret replaced later is used from then on).
    .addColumn('secret_name', 'text')
    .addColumn('access_token_name', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('integrations_entity_name', ['entity_id', 'name'])
    .execute();
  await db.schema
    .createTable('automations')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    // Set for ARTIFACT_COLLECTION scope; null for the whole project (PROJECT scope).
    .addColumn('collection_id', 'integer', (c) => c.references('collections.id').onDelete('cascade'))
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('event_filter', 'text', (c) => c.notNull())
    .addColumn('action_type', 'text', (c) => c.notNull())
    .addColumn('integration_id', 'integer', (c) => c.references('integrations.id').onDelete('restrict'))
    .addColumn('request_payload', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('automations_project').on('automations').columns(['project_id']).execute();

  await db.schema
    .createTable('automation_event_queue')
    .addColumn('event_id', 'bigint', (c) => c.primaryKey())
    .execute();
  await db.schema
    .createTable('automation_deliveries')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('automation_id', 'integer', (c) => c.notNull().references('automations.id').onDelete('cascade'))
    .addColumn('event_id', 'bigint', (c) => c.notNull())
    // The Standard Webhooks id: the same on every attempt, so a receiver can drop repeats.
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    // What the payload template is filled with (no secrets: those are read at delivery time).
    .addColumn('context', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // A claim's lease: a worker that dies mid-delivery leaves it to expire, and the delivery is tried again.
    .addColumn('locked_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addUniqueConstraint('automation_deliveries_once', ['automation_id', 'event_id'])
    .execute();
  await sql`create index automation_deliveries_due on automation_deliveries (next_attempt_at, id) where status = 'pending'`.execute(db);
  await db.schema
    .createTable('automation_delivery_attempts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('delivery_id', 'bigint', (c) => c.notNull().references('automation_deliveries.id').onDelete('cascade'))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('response_excerpt', 'text')
    .execute();
  await db.schema
    .createIndex('automation_delivery_attempts_delivery')
    .on('automation_delivery_attempts')
    .columns(['delivery_id'])
    .execute();

  await sql`
    create function automation_queue_events() returns trigger language plpgsql as $$
    begin
      insert into automation_event_queue (event_id)
      select n.id from new_events n
      where exists (select 1 from automations a where a.enabled and a.project_id = n.project_id);
      return null;
    end $$`.execute(db);
  await sql`
    create trigger events_queue_automations after insert on events
    referencing new table as new_events for each statement execute function automation_queue_events()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger events_queue_automations on events`.execute(db);
  await sql`drop function automation_queue_events()`.execute(db);
  for (const table of [
    'automation_delivery_attempts',
    'automation_deliveries',
    'automation_event_queue',
    'automations',
    'integrations',
    'team_secrets',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
