import { sql, type Kysely } from 'kysely';

// A manifest's text is kept as uploaded, in parts of a few hundred KB written one statement each:
// a 50 000-file manifest stored as one jsonb value held PGlite's only connection for seconds, and
// every read of the version loaded it. `artifacts.manifest` keeps only the manifest without its
// contents (version, storage policy), which also says that the manifest was uploaded.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('artifact_manifest_parts')
    .addColumn('artifact_id', 'integer', (c) => c.notNull().references('artifacts.id').onDelete('cascade'))
    .addColumn('part', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('artifact_manifest_parts_pkey', ['artifact_id', 'part'])
    .execute();
  await sql`insert into artifact_manifest_parts (artifact_id, part, body)
    select id, 0, manifest::text from artifacts where manifest is not null`.execute(db);
  await sql`update artifacts set manifest = manifest - 'contents' where manifest is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update artifacts a set manifest = (select string_agg(p.body, '' order by p.part) from artifact_manifest_parts p where p.artifact_id = a.id)::jsonb
    where a.manifest is not null`.execute(db);
  await db.schema.dropTable('artifact_manifest_parts').execute();
}
