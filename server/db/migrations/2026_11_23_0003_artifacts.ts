import { type Kysely } from 'kysely';

// What the SDK sends at artifact creation but is only applied or shown later: aliases wait for the
// commit (a pending version has no index to hang them on), TTL and history step are echoed back.
// Reference entries of a manifest (`ref`: s3://…, https://…) have no content for us to store.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('artifacts')
    .addColumn('pending_aliases', 'jsonb')
    .addColumn('ttl_duration_seconds', 'bigint')
    .addColumn('history_step', 'bigint')
    .execute();
  await db.schema.alterTable('artifact_files').addColumn('ref', 'text').execute();
  await db.schema.createIndex('artifact_files_blob').on('artifact_files').column('blob').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('artifact_files_blob').execute();
  await db.schema.alterTable('artifact_files').dropColumn('ref').execute();
  await db.schema
    .alterTable('artifacts')
    .dropColumn('pending_aliases')
    .dropColumn('ttl_duration_seconds')
    .dropColumn('history_step')
    .execute();
}
