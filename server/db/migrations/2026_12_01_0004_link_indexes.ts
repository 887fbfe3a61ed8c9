import { sql, type Kysely } from 'kysely';

// For the registry-wide pages, which list links and collections newest first across thousands of
// collections. Registry collections get an index apart from the teams' sequences. Source memberships (every logged version) far outnumber links, so the links get an
// index of their own; and a version filtered by alias walks the aliases in link order instead of
// reading every version that holds the alias before taking a page. `aliases.linked_at` is its
// membership's `created_at`, copied because an index cannot reach into another table.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('memberships')
    .addColumn('is_link', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await sql`update memberships m set is_link = true from collections c where c.id = m.collection_id and c.kind = 'PORTFOLIO'`.execute(db);
  await db.schema
    .createIndex('memberships_links')
    .on('memberships')
    .columns(['created_at', 'id'])
    .where(sql<boolean>`is_link`)
    .execute();

  await db.schema
    .createIndex('collections_portfolios_created')
    .on('collections')
    .columns(['created_at', 'id'])
    .where(sql<boolean>`kind = 'PORTFOLIO'`)
    .execute();

  // A registry's number of collections, for the registry-wide total, kept by the database itself so
  // that every way a collection comes or goes (a link creating it, a delete, a cascade) counts.
  await db.schema
    .alterTable('projects')
    .addColumn('portfolio_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update projects p set portfolio_count = (select count(*) from collections c where c.project_id = p.id and c.kind = 'PORTFOLIO')`.execute(
    db,
  );
  await sql`
    create function count_portfolios() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' then
        if old.kind = 'PORTFOLIO' then
          update projects set portfolio_count = portfolio_count - 1 where id = old.project_id;
        end if;
      end if;
      if tg_op <> 'DELETE' then
        if new.kind = 'PORTFOLIO' then
          update projects set portfolio_count = portfolio_count + 1 where id = new.project_id;
        end if;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger collections_count_portfolios after insert or delete or update of kind, project_id on collections
    for each row execute function count_portfolios()`.execute(db);

  await db.schema.alterTable('aliases').addColumn('linked_at', 'timestamptz').execute();
  await sql`update aliases a set linked_at = m.created_at from memberships m where m.id = a.membership_id`.execute(db);
  await db.schema
    .alterTable('aliases')
    .alterColumn('linked_at', (c) => c.setNotNull())
    .execute();
  await db.schema.createIndex('aliases_alias_linked').on('aliases').columns(['alias', 'linked_at', 'membership_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('aliases_alias_linked').execute();
  await db.schema.alterTable('aliases').dropColumn('linked_at').execute();
  await sql`drop trigger collections_count_portfolios on collections`.execute(db);
  await sql`drop function count_portfolios()`.execute(db);
  await db.schema.alterTable('projects').dropColumn('portfolio_count').execute();
  await db.schema.dropIndex('collections_portfolios_created').execute();
  await db.schema.dropIndex('memberships_links').execute();
  await db.schema.alterTable('memberships').dropColumn('is_link').execute();
}
