import { sql, type Kysely } from 'kysely';

// Runs become first-class: what the SDK's upsertBucket sends (config, state, summary), the lines its
// file_stream appends (history rows, system events, console output) and the files it uploads.
// Lines are keyed by their offset in their file, so a chunk the SDK sends again is not stored twice.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('runs')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('running'))
    .addColumn('config', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('host', 'text')
    .addColumn('program', 'text')
    .addColumn('job_type', 'text')
    .addColumn('notes', 'text')
    .addColumn('exitcode', 'integer')
    .addColumn('history_line_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('events_line_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('output_line_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('heartbeat_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('run_lines')
    .addColumn('run_id', 'integer', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_lines_pk', ['run_id', 'stream', 'line'])
    .execute();

  await db.schema
    .createTable('run_files')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('run_id', 'integer', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('md5', 'text')
    .addColumn('blob', 'text')
    .addColumn('upload_token', 'text', (c) => c.unique())
    .addColumn('updated_at', 'timestamptz')
    .addUniqueConstraint('run_files_run_name', ['run_id', 'name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('run_files').execute();
  await db.schema.dropTable('run_lines').execute();
  await db.schema
    .alterTable('runs')
    .dropColumn('state')
    .dropColumn('config')
    .dropColumn('summary')
    .dropColumn('host')
    .dropColumn('program')
    .dropColumn('job_type')
    .dropColumn('notes')
    .dropColumn('exitcode')
    .dropColumn('history_line_count')
    .dropColumn('events_line_count')
    .dropColumn('output_line_count')
    .dropColumn('heartbeat_at')
    .dropColumn('updated_at')
    .execute();
}
