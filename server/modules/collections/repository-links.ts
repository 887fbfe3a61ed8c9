import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/database.js';
import { collectionFromJson, entityFromJson } from '../../db/rows.js';
import type { Alias, Collection, Database, Entity, Membership, Project } from '../../db/tables.js';

// The statements of a link (and of the changes beside it: unlink, aliases): each reads what the
// rules need in one statement, so a link costs the same whichever client sends it.

type Trx = Transaction<Database>;

/** A registry as a link sees it: its owner, the types it accepts and its protected aliases. */
export interface LinkRegistry {
  project: Project;
  entity: Entity;
  types: string[];
  protectedAliases: Set<string>;
  /** The collection, when the target was given by its id. */
  collection?: Collection;
}

function registryQuery(db: DB) {
  return db
    .selectFrom('projects')
    .innerJoin('entities', 'entities.id', 'projects.entity_id')
    .selectAll('projects')
    .select([
      sql<Entity>`to_jsonb(entities)`.as('entity_json'),
      sql<string[]>`array(select type_name from registry_types t where t.project_id = projects.id order by type_name)`.as('types'),
      sql<string[]>`array(select alias from protected_aliases p where p.project_id = projects.id)`.as('protected'),
    ]);
}

function toRegistry(row: Project & { entity_json: Entity; types: string[]; protected: string[] }): LinkRegistry {
  const { entity_json, types, protected: protectedAliases, ...project } = row;
  return { project, entity: entityFromJson(entity_json), types, protectedAliases: new Set(protectedAliases) };
}

/** A project by its owner's name and its own, with what a link checks: one statement. */
export async function findLinkRegistry(db: DB, entityName: string, projectName: string): Promise<LinkRegistry | undefined> {
  const row = await registryQuery(db).where('entities.name', '=', entityName).where('projects.name', '=', projectName).executeTakeFirst();
  return row && toRegistry(row);
}

/** A collection by id with its project and what a link checks: one statement. */
export async function findLinkCollection(db: DB, collectionId: number): Promise<LinkRegistry | undefined> {
  const row = await registryQuery(db)
    .innerJoin('collections', 'collections.project_id', 'projects.id')
    .select(sql<Collection>`to_jsonb(collections)`.as('collection_json'))
    .where('collections.id', '=', collectionId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { collection_json, ...rest } = row;
  return { ...toRegistry(rest), collection: collectionFromJson(collection_json) };
}

/** The collection, locked for this transaction, or undefined when there is none. */
export async function lockCollectionByName(trx: Trx, projectId: number, name: string): Promise<Collection | undefined> {
  return trx
    .selectFrom('collections')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('name', '=', name)
    .forUpdate()
    .executeTakeFirst();
}

/** A new registry collection (locked by its insert), or undefined when another link created it meanwhile. */
export async function insertPortfolio(
  trx: Trx,
  input: { projectId: number; name: string; typeName: string; userId: number },
): Promise<Collection | undefined> {
  return trx
    .insertInto('collections')
    .values({
      project_id: input.projectId,
      kind: 'PORTFOLIO',
      name: input.name,
      type_name: input.typeName,
      description: '',
      created_by: input.userId,
    })
    .onConflict((oc) => oc.columns(['project_id', 'name']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/**
 * Links a version into a collection locked by the caller: its membership (found, or inserted with the
 * collection's next index, which moves on), in one statement.
 */
export async function appendLink(
  trx: Trx,
  collection: Collection,
  artifactId: number,
  userId: number,
  now: Date,
): Promise<{ membership: Membership; created: boolean }> {
  const { rows } = await sql<Membership & { created: boolean }>`
    with existing as (select * from memberships where collection_id = ${collection.id} and artifact_id = ${artifactId}),
    inserted as (
      insert into memberships (collection_id, artifact_id, version_index, created_by, is_link)
      select ${collection.id}, ${artifactId}, ${collection.next_version_index}, ${userId}, ${collection.kind === 'PORTFOLIO'}
      where not exists (select 1 from existing)
      returning *
    ),
    moved_on as (
      update collections set next_version_index = ${collection.next_version_index + 1}, updated_at = ${now}
      where id = ${collection.id} and exists (select 1 from inserted)
    )
    select *, true as created from inserted
    union all
    select *, false as created from existing`.execute(trx);
  const [row] = rows;
  if (!row) throw new Error(`no membership of artifact ${artifactId} in collection ${collection.id}`);
  const { created, ...membership } = row;
  return { membership, created };
}

/** An alias a link put on its version; `movedFrom` is the version that held it before (null when new). */
export interface AliasPut {
  alias: Alias;
  movedFrom: { id: number; version_index: number } | null;
}

/**
 * Puts aliases on a version in one statement; an alias is unique in its collection, so each moves from
 * whichever version held it. Returns the aliases that changed (one already on the version is not).
 */
export async function putAliases(trx: Trx, collectionId: number, membershipId: number, aliases: readonly string[]): Promise<AliasPut[]> {
  if (aliases.length === 0) return [];
  const { rows } = await sql<Alias & { moved_from: number | null; moved_from_index: number | null }>`
    with wanted as (select unnest(${[...aliases]}::text[]) as alias),
    old as (
      select a.alias, a.membership_id, m.version_index from aliases a join memberships m on m.id = a.membership_id
      where a.collection_id = ${collectionId} and a.alias = any(${[...aliases]}::text[])
    ),
    put as (
      insert into aliases (collection_id, membership_id, alias, linked_at)
      select ${collectionId}, ${membershipId}, alias, (select created_at from memberships where id = ${membershipId}) from wanted
      on conflict (collection_id, alias) do update
        set membership_id = excluded.membership_id, created_at = ${new Date()}, linked_at = excluded.linked_at
        where aliases.membership_id <> excluded.membership_id
      returning *
    )
    select put.*, old.membership_id as moved_from, old.version_index as moved_from_index from put left join old on old.alias = put.alias`.execute(
    trx,
  );
  const byAlias = new Map(rows.map((row) => [row.alias, row]));
  return aliases.flatMap((name) => {
    const row = byAlias.get(name);
    if (!row) return [];
    const { moved_from, moved_from_index, ...alias } = row;
    return [
      { alias, movedFrom: moved_from === null || moved_from_index === null ? null : { id: moved_from, version_index: moved_from_index } },
    ];
  });
}
