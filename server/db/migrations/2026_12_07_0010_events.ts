import { sql, type Kysely } from 'kysely';

// One row per change to registries, collections, linked versions, aliases (`latest` included), tags
// and registry members, written in the change's own transaction. Subjects are kept by value (ids and
// their names at the time, no foreign keys) so a registry's history survives the deletion of what it
// names. Ids only grow, so a delivery worker can claim rows in id order. Replaces collection_actions.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('project_id', 'integer', (c) => c.notNull())
    .addColumn('project_name', 'text', (c) => c.notNull())
    .addColumn('collection_id', 'integer')
    .addColumn('collection_name', 'text')
    .addColumn('membership_id', 'integer')
    .addColumn('version_index', 'integer')
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .execute();
  await db.schema
    .createIndex('events_collection')
    .on('events')
    .columns(['collection_id', 'id desc'])
    .where(sql.ref('collection_id'), 'is not', null)
    .execute();
  await db.schema.createIndex('events_project').on('events').columns(['project_id', 'id desc']).execute();

  // Earlier history, in the new names; `detail` becomes before/after as far as it told them.
  await sql`
    insert into events (created_at, actor_id, action, project_id, project_name, collection_id, collection_name, version_index, before, after)
    select a.created_at, a.user_id,
      case a.action
        when 'LINK' then 'version.linked' when 'UNLINK' then 'version.unlinked'
        when 'ADD_ALIAS' then 'alias.added' when 'MOVE_ALIAS' then 'alias.moved' when 'REMOVE_ALIAS' then 'alias.removed'
        when 'ADD_TAG' then 'collection.tag_added' when 'REMOVE_TAG' then 'collection.tag_removed'
        when 'CREATE' then 'collection.created' else 'collection.updated' end,
      p.id, p.name, c.id, c.name, a.version_index,
      case a.action
        when 'UNLINK' then jsonb_strip_nulls(jsonb_build_object('versionIndex', a.version_index, 'artifactId', a.artifact_id))
        when 'MOVE_ALIAS' then jsonb_build_object('alias', a.alias, 'versionIndex', a.detail->'fromVersionIndex')
        when 'REMOVE_ALIAS' then jsonb_build_object('alias', a.alias, 'versionIndex', a.version_index)
        when 'REMOVE_TAG' then jsonb_build_object('tag', a.detail->'tag')
        when 'UPDATE' then nullif(jsonb_strip_nulls(jsonb_build_object('name', a.detail->'renamedFrom', 'type', a.detail->'typeFrom')), '{}'::jsonb)
        else null end,
      case a.action
        when 'LINK' then jsonb_strip_nulls(jsonb_build_object('versionIndex', a.version_index, 'artifactId', a.artifact_id, 'source', a.detail->'source'))
        when 'ADD_ALIAS' then jsonb_build_object('alias', a.alias, 'versionIndex', a.version_index)
        when 'MOVE_ALIAS' then jsonb_build_object('alias', a.alias, 'versionIndex', a.version_index)
        when 'ADD_TAG' then jsonb_build_object('tag', a.detail->'tag')
        when 'CREATE' then jsonb_strip_nulls(jsonb_build_object('name', c.name, 'type', a.detail->'type'))
        when 'UNLINK' then null when 'REMOVE_ALIAS' then null when 'REMOVE_TAG' then null
        else nullif(a.detail - 'renamedFrom' - 'typeFrom', '{}'::jsonb) end
    from collection_actions a
    join collections c on c.id = a.collection_id
    join projects p on p.id = c.project_id
    order by a.id`.execute(db);
  await db.schema.dropTable('collection_actions').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The history before this migration is not restored: collection_actions comes back empty.
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
  await db.schema.dropTable('events').execute();
}
