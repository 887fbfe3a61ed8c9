import { sql, type Kysely } from 'kysely';

// Teams, registry membership, source artifacts and their files, collections (source sequences and
// registry portfolios alike), linked versions, aliases, tags and the action history.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  // Signs download and upload URLs; made once, per installation.
  await sql`insert into settings (key, value) values ('url_signing_secret', md5(random()::text || clock_timestamp()::text) || md5(random()::text))`.execute(
    db,
  );

  await db.schema
    .createTable('team_members')
    .addColumn('team_entity_id', 'integer', (c) => c.notNull().references('entities.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'member')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('team_members_pk', ['team_entity_id', 'user_id'])
    .execute();
  await db.schema.createIndex('team_members_user').on('team_members').column('user_id').execute();

  await db.schema
    .createTable('registry_members')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('team_entity_id', 'integer', (c) => c.references('entities.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'member', 'viewer', 'restricted_viewer')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('registry_members_one_kind', sql`(user_id is null) <> (team_entity_id is null)`)
    .execute();
  await sql`create unique index registry_members_user on registry_members (project_id, user_id) where user_id is not null`.execute(db);
  await sql`create unique index registry_members_team on registry_members (project_id, team_entity_id) where team_entity_id is not null`.execute(
    db,
  );

  await db.schema
    .createTable('protected_aliases')
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('alias', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('protected_aliases_pk', ['project_id', 'alias'])
    .execute();

  await db.schema
    .createTable('runs')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('runs_project_name', ['project_id', 'name'])
    .execute();

  // Source sequences (a team project's "artifact names") and registry portfolios share one table, as
  // they share W&B's ArtifactCollection interface; version numbers come from next_version_index,
  // read and bumped under a row lock.
  await db.schema
    .createTable('collections')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('SEQUENCE', 'PORTFOLIO')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('next_version_index', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('collections_project_name', ['project_id', 'name'])
    .execute();
  await db.schema.createIndex('collections_project_kind').on('collections').columns(['project_id', 'kind', 'id']).execute();

  await db.schema
    .createTable('artifacts')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('sequence_id', 'integer', (c) => c.notNull().references('collections.id').onDelete('restrict'))
    .addColumn('version_index', 'integer')
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('PENDING', 'COMMITTED', 'DELETED')`))
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('metadata', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('size', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('file_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('manifest', 'jsonb')
    .addColumn('manifest_upload_token', 'text')
    .addColumn('client_id', 'text')
    .addColumn('run_id', 'integer', (c) => c.references('runs.id').onDelete('set null'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('committed_at', 'timestamptz')
    .addUniqueConstraint('artifacts_sequence_version', ['sequence_id', 'version_index'])
    .execute();
  await db.schema.createIndex('artifacts_sequence_digest').on('artifacts').columns(['sequence_id', 'digest']).execute();

  await db.schema
    .createTable('artifact_files')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('artifact_id', 'integer', (c) => c.notNull().references('artifacts.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    // Base64 MD5, as the SDK sends it; `blob` is the hex MD5 naming the stored content once uploaded.
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('mimetype', 'text')
    .addColumn('blob', 'text')
    .addColumn('upload_token', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('artifact_files_name', ['artifact_id', 'name'])
    .execute();
  await sql`create unique index artifact_files_upload_token on artifact_files (upload_token) where upload_token is not null`.execute(db);

  await db.schema
    .createTable('artifact_tags')
    .addColumn('artifact_id', 'integer', (c) => c.notNull().references('artifacts.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('artifact_tags_pk', ['artifact_id', 'tag'])
    .execute();

  await db.schema
    .createTable('run_inputs')
    .addColumn('run_id', 'integer', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('artifact_id', 'integer', (c) => c.notNull().references('artifacts.id').onDelete('cascade'))
    .addColumn('used_as', 'text')
    .addPrimaryKeyConstraint('run_inputs_pk', ['run_id', 'artifact_id'])
    .execute();

  // A version inside a collection: the source version in its own sequence, or a linked version in a
  // portfolio, each with its own index. Linking never copies the source.
  await db.schema
    .createTable('memberships')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('collection_id', 'integer', (c) => c.notNull().references('collections.id').onDelete('cascade'))
    .addColumn('artifact_id', 'integer', (c) => c.notNull().references('artifacts.id').onDelete('restrict'))
    .addColumn('version_index', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('memberships_collection_version', ['collection_id', 'version_index'])
    .addUniqueConstraint('memberships_collection_artifact', ['collection_id', 'artifact_id'])
    .execute();
  await db.schema.createIndex('memberships_artifact').on('memberships').column('artifact_id').execute();
  await db.schema.createIndex('memberships_created').on('memberships').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('aliases')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('collection_id', 'integer', (c) => c.notNull().references('collections.id').onDelete('cascade'))
    .addColumn('membership_id', 'integer', (c) => c.notNull().references('memberships.id').onDelete('cascade'))
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('aliases_collection_alias', ['collection_id', 'alias'])
    .execute();
  await db.schema.createIndex('aliases_membership').on('aliases').column('membership_id').execute();

  await db.schema
    .createTable('collection_tags')
    .addColumn('collection_id', 'integer', (c) => c.notNull().references('collections.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('collection_tags_pk', ['collection_id', 'tag'])
    .execute();

  // Who linked, unlinked, added, moved or removed which alias, when. Kept by value (no foreign keys
  // to versions), so history survives an unlink.
  await db.schema
    .createTable('collection_actions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('collection_id', 'integer', (c) => c.notNull().references('collections.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('version_index', 'integer')
    .addColumn('artifact_id', 'integer')
    .addColumn('alias', 'text')
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('collection_actions_collection').on('collection_actions').columns(['collection_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'collection_actions',
    'collection_tags',
    'aliases',
    'memberships',
    'run_inputs',
    'artifact_tags',
    'artifact_files',
    'artifacts',
    'collections',
    'runs',
    'protected_aliases',
    'registry_members',
    'team_members',
    'settings',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
