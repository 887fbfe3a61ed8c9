import { sql, type Kysely } from 'kysely';

// Stored bytes are keyed by a SHA-256 the server computes while receiving them; MD5 (`digest`) stays
// the wire's check only, since MD5 collisions are cheap to make. `sha256` binds a file row to its
// content; `blob` (the old MD5 name) is only read by the start-time backfill that hashes and renames
// the blobs written before this migration (storage/backfill.ts: it needs the files, not just SQL).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('artifact_files').addColumn('sha256', 'text').execute();
  // Reuse looks up committed holders of a declared MD5, newest first.
  await db.schema
    .createIndex('artifact_files_digest_bound')
    .on('artifact_files')
    .columns(['digest', 'artifact_id'])
    .where(sql<boolean>`sha256 is not null`)
    .execute();
  // The binding of a committed version's file to its content never changes, whatever code runs:
  // a pending version may still change its files; the backfill may only fill a missing binding.
  await sql`
    create function artifact_files_bound_forever() returns trigger language plpgsql as $$
    begin
      -- Nested, so the lookup of the version only runs for a change to a bound file.
      if old.sha256 is not null
        and (new.sha256 is distinct from old.sha256 or new.size <> old.size or new.digest <> old.digest or new.name <> old.name) then
        if exists (select 1 from artifacts a where a.id = old.artifact_id and a.state <> 'PENDING') then
          raise exception 'the files of committed version % cannot change', old.artifact_id using errcode = 'check_violation';
        end if;
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger artifact_files_bound_forever before update on artifact_files
    for each row execute function artifact_files_bound_forever()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger artifact_files_bound_forever on artifact_files`.execute(db);
  await sql`drop function artifact_files_bound_forever()`.execute(db);
  await db.schema.dropIndex('artifact_files_digest_bound').execute();
  await db.schema.alterTable('artifact_files').dropColumn('sha256').execute();
}
