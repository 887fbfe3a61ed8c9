import { sql, type RawBuilder } from 'kysely';
import type { DB } from '../../db/database.js';
import type { Alias, Collection, Entity, Membership, Project } from '../../db/tables.js';
import { aliasFromJson, collectionFromJson, entityFromJson, membershipFromJson, projectFromJson } from '../../db/rows.js';
import { visibleRegistry, type Visibility } from './repository.js';

// The home page's search across an organization's registries: registries, collections, tags, aliases
// and version names, each group limited, in one statement. Only registries the viewer can see take
// part (visibleRegistry, the rule of every registry-wide list).

export interface SearchScope {
  orgEntityId: number;
  visibility: Visibility;
}

export interface SearchTerms {
  /** The text as typed (trimmed), matched as a case-insensitive substring. */
  text: string;
  /** A version name (`v3`, `resnet v3`, `resnet:v3`): its N and the collection name's part, if any. */
  version?: { index: number; collection: string | undefined };
  /** Rows read per group: the caller's limit plus one, to know whether more follow. */
  limit: number;
}

export interface SearchRows {
  registries: Project[];
  collections: Collection[];
  tags: { tag: string; collectionId: number }[];
  aliases: { alias: string; membershipId: number }[];
  versions: number[];
  /** Every collection, version, alias, registry and owner the groups refer to, for the loaders. */
  refs: { collections: Collection[]; memberships: Membership[]; aliases: Alias[]; projects: Project[]; entities: Entity[] };
  /** Each referred collection's tags. */
  collectionTags: { collectionId: number; tags: string[] }[];
}

/** `%`, `_` and `\` stand for themselves: backslash is LIKE's escape character in PostgreSQL by default. */
export function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Exact matches first, then those starting with the text, then the rest. */
function rank(column: RawBuilder<unknown>, text: string): RawBuilder<number> {
  const lowered = text.toLowerCase();
  return sql<number>`(case when lower(${column}) = ${lowered} then 0 when lower(${column}) like ${`${likeEscaped(lowered)}%`} then 1 else 2 end)`;
}

/** `vN` in any collection, or in those whose name holds the part typed before it. */
function versionMatches(terms: SearchTerms): RawBuilder<boolean> {
  if (!terms.version) return sql<boolean>`false`;
  const { index, collection } = terms.version;
  const inCollection = collection === undefined ? sql<boolean>`true` : sql<boolean>`c.name ilike ${`%${likeEscaped(collection)}%`}`;
  return sql<boolean>`(m.version_index = ${index} and ${inCollection})`;
}

type Json = unknown[] | null;

/**
 * Every group, each cut at `limit` rows (ordered: best match, then name), with the rows they refer to:
 * one statement returning one `json` value (see listCollections for why json).
 */
export async function searchRegistries(db: DB, scope: SearchScope, terms: SearchTerms): Promise<SearchRows> {
  const pattern = `%${likeEscaped(terms.text)}%`;
  const shortName = sql`substr(p.name, ${'wandb-registry-'.length + 1})`;
  const result = await sql<{ r: [Json, Json, Json, Json, Json, Json, Json, Json, Json, Json, Json] }>`
    with visible as (
        select projects.* from projects
        where projects.entity_id = ${scope.orgEntityId} and projects.is_registry and ${visibleRegistry(scope.visibility)}),
      reg as (
        select p.*, row_number() over (order by ${rank(shortName, terms.text)}, p.name) as rn from visible p
        where ${shortName} ilike ${pattern} or p.display_name ilike ${pattern} or p.description ilike ${pattern}
        order by rn limit ${terms.limit}),
      col as (
        select c.*, row_number() over (order by ${rank(sql`c.name`, terms.text)}, c.name, c.id) as rn from collections c
        where c.project_id in (select id from visible) and c.kind = 'PORTFOLIO'
          and (c.name ilike ${pattern} or c.description ilike ${pattern})
        order by rn limit ${terms.limit}),
      tag as (
        select ct.tag, ct.collection_id, row_number() over (order by ${rank(sql`ct.tag`, terms.text)}, ct.tag, c.name, c.id) as rn
        from collection_tags ct join collections c on c.id = ct.collection_id
        where c.project_id in (select id from visible) and c.kind = 'PORTFOLIO' and ct.tag ilike ${pattern}
        order by rn limit ${terms.limit}),
      ali as (
        select a.alias, a.membership_id,
          row_number() over (order by ${rank(sql`a.alias`, terms.text)}, a.alias, c.name, a.linked_at desc, a.id) as rn
        from aliases a join collections c on c.id = a.collection_id
        where c.project_id in (select id from visible) and c.kind = 'PORTFOLIO' and a.alias ilike ${pattern}
        order by rn limit ${terms.limit}),
      ver as (
        select m.id, row_number() over (order by c.name, c.id) as rn
        from memberships m join collections c on c.id = m.collection_id
        where c.project_id in (select id from visible) and c.kind = 'PORTFOLIO' and ${versionMatches(terms)}
        order by rn limit ${terms.limit}),
      ref_memberships as (select * from memberships where id in (select membership_id from ali union select id from ver)),
      ref_collections as (
        select * from collections
        where id in (select id from col union select collection_id from tag union select collection_id from ref_memberships)),
      ref_projects as (select * from visible where id in (select project_id from ref_collections union select id from reg))
    select json_build_array(
      (select json_agg(to_jsonb(reg) - 'rn' order by reg.rn) from reg),
      (select json_agg(to_jsonb(col) - 'rn' order by col.rn) from col),
      (select json_agg(json_build_array(tag.tag, tag.collection_id) order by tag.rn) from tag),
      (select json_agg(json_build_array(ali.alias, ali.membership_id) order by ali.rn) from ali),
      (select json_agg(ver.id order by ver.rn) from ver),
      (select json_agg(row_to_json(ref_collections)) from ref_collections),
      (select json_agg(row_to_json(ref_memberships)) from ref_memberships),
      (select json_agg(row_to_json(a)) from aliases a where a.membership_id in (select id from ref_memberships)),
      (select json_agg(row_to_json(ref_projects)) from ref_projects),
      (select json_agg(row_to_json(e)) from entities e where e.id = ${scope.orgEntityId}),
      (select json_agg(json_build_array(ct.collection_id, ct.tag) order by ct.tag) from collection_tags ct
        where ct.collection_id in (select id from ref_collections))) as r`.execute(db);
  const [registries, collections, tags, aliases, versions, refCollections, memberships, refAliases, projects, entities, collectionTags] =
    result.rows[0]!.r;
  return {
    registries: (registries ?? []).map(projectFromJson),
    collections: (collections ?? []).map(collectionFromJson),
    tags: ((tags ?? []) as [string, number][]).map(([tag, collectionId]) => ({ tag, collectionId })),
    aliases: ((aliases ?? []) as [string, number][]).map(([alias, membershipId]) => ({ alias, membershipId })),
    versions: (versions ?? []) as number[],
    refs: {
      collections: (refCollections ?? []).map(collectionFromJson),
      memberships: (memberships ?? []).map(membershipFromJson),
      aliases: (refAliases ?? []).map(aliasFromJson),
      projects: (projects ?? []).map(projectFromJson),
      entities: (entities ?? []).map(entityFromJson),
    },
    collectionTags: groupTags((collectionTags ?? []) as [number, string][]),
  };
}

function groupTags(rows: [number, string][]): { collectionId: number; tags: string[] }[] {
  const byCollection = new Map<number, string[]>();
  for (const [collectionId, tag] of rows) byCollection.set(collectionId, [...(byCollection.get(collectionId) ?? []), tag]);
  return [...byCollection].map(([collectionId, tags]) => ({ collectionId, tags }));
}
