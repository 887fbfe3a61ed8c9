import { sql, type Kysely } from 'kysely';

// Deliveries start at once: the trigger that queues events for automations also sends NOTIFY on
// `automation_events` when it queued something. PostgreSQL sends it on commit (never for a rolled-back
// change, once per transaction however many rows), so the change path sends no extra statement; each
// server LISTENs and runs a delivery pass on it, the poll staying as the safety net.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function automation_queue_events() returns trigger language plpgsql as $$
    begin
      insert into automation_event_queue (event_id)
      select n.id from new_events n
      where exists (select 1 from automations a where a.enabled and a.project_id = n.project_id);
      if found then
        perform pg_notify('automation_events', '');
      end if;
      return null;
    end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function automation_queue_events() returns trigger language plpgsql as $$
    begin
      insert into automation_event_queue (event_id)
      select n.id from new_events n
      where exists (select 1 from automations a where a.enabled and a.project_id = n.project_id);
      return null;
    end $$`.execute(db);
}
