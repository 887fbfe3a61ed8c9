import type { Collection, Entity, Membership, Project } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { userError } from '../../graphql/errors.js';
import { prime } from './loaders.js';
import type { Visibility } from './repository.js';
import { searchRegistries, type SearchRows, type SearchTerms } from './repository-search.js';

// The rules of the home page's search: who takes part, how long a query may be, how many results a
// group shows, and how a version's name is read.

export const MAX_SEARCH_LENGTH = 200;
export const DEFAULT_GROUP_SIZE = 10;
export const MAX_GROUP_SIZE = 50;

export interface SearchGroup<T> {
  nodes: T[];
  /** More rows matched than the group shows. */
  hasMore: boolean;
}

export interface RegistrySearch {
  query: string;
  registries: SearchGroup<Project>;
  collections: SearchGroup<Collection>;
  /** Collections by one of their tags. */
  tags: SearchGroup<{ tag: string; collection: Collection }>;
  /** Linked versions by one of their aliases. */
  aliases: SearchGroup<{ alias: string; version: Membership }>;
  /** Linked versions by their name (`v3`, `resnet v3`). */
  versions: SearchGroup<Membership>;
}

const empty = <T>(): SearchGroup<T> => ({ nodes: [], hasMore: false });

/** Org admins see every registry; others the organization-visible ones and those they are members of. */
function visibilityOf(ctx: Context, entity: Entity): Visibility | null {
  const viewer = ctx.viewer;
  if (!viewer || entity.kind !== 'ORGANIZATION' || viewer.organization_id !== entity.organization_id) return null;
  return viewer.org_role === 'admin' ? 'everyone' : { userId: viewer.id };
}

function groupSize(first: number | null | undefined): number {
  if (first == null) return DEFAULT_GROUP_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_GROUP_SIZE) {
    throw userError('BAD_USER_INPUT', `"first" must be between 1 and ${MAX_GROUP_SIZE}, got ${first}.`);
  }
  return first;
}

/** `v3` alone, or after part of a collection's name (`resnet v3`, `resnet:v3`, `resnet/v3`). */
export function versionTerms(text: string): SearchTerms['version'] {
  const match = /^(?:(.*?)[\s:/]+)?v(\d{1,9})$/i.exec(text);
  if (!match) return undefined;
  return { index: Number(match[2]), collection: match[1] || undefined };
}

function cut<T>(rows: T[], size: number): SearchGroup<T> {
  return { nodes: rows.slice(0, size), hasMore: rows.length > size };
}

/** Keeps what the groups refer to in the request's loaders: their fields read no row again. */
function primeRows(ctx: Context, rows: SearchRows): void {
  const tags = new Map(rows.collectionTags.map((t) => [t.collectionId, t.tags]));
  const aliases = new Map<number, typeof rows.refs.aliases>();
  for (const alias of rows.refs.aliases) aliases.set(alias.membership_id, [...(aliases.get(alias.membership_id) ?? []), alias]);
  prime(ctx, [
    ...rows.refs.entities.map((entity) => ({ entity })),
    ...rows.refs.projects.map((project) => ({ project })),
    ...rows.refs.collections.map((collection) => ({ collection, tags: tags.get(collection.id) ?? [] })),
    ...rows.refs.memberships.map((membership) => ({ membership, aliases: aliases.get(membership.id) ?? [] })),
  ]);
}

function required<T>(map: Map<number, T>, id: number, what: string): T {
  const value = map.get(id);
  if (value === undefined) throw new Error(`${what} ${id} missing from the search's rows`);
  return value;
}

/**
 * Searches the registries of an organization entity the viewer can see: registries by name or
 * description, collections by name or model card, collections by tag, linked versions by alias and by
 * name, each a case-insensitive substring. Null for anything but the viewer's organization entity.
 */
export async function searchRegistry(
  ctx: Context,
  entity: Entity,
  input: { query: string; first?: number | null },
): Promise<RegistrySearch | null> {
  if (input.query.length > MAX_SEARCH_LENGTH) {
    throw userError('BAD_USER_INPUT', `A search is at most ${MAX_SEARCH_LENGTH} characters long; this one has ${input.query.length}.`);
  }
  const size = groupSize(input.first);
  const visibility = visibilityOf(ctx, entity);
  if (!visibility) return null;
  const text = input.query.trim();
  if (text === '') return { query: text, registries: empty(), collections: empty(), tags: empty(), aliases: empty(), versions: empty() };

  const rows = await searchRegistries(
    ctx.db,
    { orgEntityId: entity.id, visibility },
    { text, version: versionTerms(text), limit: size + 1 },
  );
  primeRows(ctx, rows);
  const collections = new Map(rows.refs.collections.map((c) => [c.id, c]));
  const memberships = new Map(rows.refs.memberships.map((m) => [m.id, m]));
  return {
    query: text,
    registries: cut(rows.registries, size),
    collections: cut(rows.collections, size),
    tags: cut(
      rows.tags.map((t) => ({ tag: t.tag, collection: required(collections, t.collectionId, 'collection') })),
      size,
    ),
    aliases: cut(
      rows.aliases.map((a) => ({ alias: a.alias, version: required(memberships, a.membershipId, 'version') })),
      size,
    ),
    versions: cut(
      rows.versions.map((id) => required(memberships, id, 'version')),
      size,
    ),
  };
}
