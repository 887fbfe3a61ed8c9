import { sql, type Kysely } from 'kysely';

// Indexes for the registry-wide pages, which list links and collections newest first across
// thousands of collections. Registry collections get an index apart from the teams' sequences. Source memberships (every logged version) far outnumber links, so the links get an
// index of their own; and a version filtered by alias walks the aliases in link order instead of
// reading every version that holds the alias before taking a page. `aliases.linked_at` is its
// membership's `created_at`, copied because an index cannot reach into another table.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('memberships').addColumn('is_link', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
  await sql`update memberships m set is_link = true from collections c where c.id = m.collection_id and c.kind = 'PORTFOLIO'`.execute(db);
  await db.schema.createIndex('memberships_links').on('memberships').columns(['created_at', 'id']).where(sql<boolean>`is_link`).execute();

  await db.schema
    .createIndex('collections_portfolios_created')
    .on('collections')
    .columns(['created_at', 'id'])
    .where(sql<boolean>`kind = 'PORTFOLIO'`)
    .execute();

  await db.schema.alterTable('aliases').addColumn('linked_at', 'timestamptz').execute();
  await sql`update aliases a set linked_at = m.created_at from memberships m where m.id = a.membership_id`.execute(db);
  await db.schema.alterTable('aliases').alterColumn('linked_at', (c) => c.setNotNull()).execute();
  await db.schema.createIndex('aliases_alias_linked').on('aliases').columns(['alias', 'linked_at', 'membership_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('aliases_alias_linked').execute();
  await db.schema.alterTable('aliases').dropColumn('linked_at').execute();
  await db.schema.dropIndex('collections_portfolios_created').execute();
  await db.schema.dropIndex('memberships_links').execute();
  await db.schema.alterTable('memberships').dropColumn('is_link').execute();
}
