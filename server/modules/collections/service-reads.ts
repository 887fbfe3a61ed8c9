import type { Alias, Artifact, Collection, Entity, Membership, Project } from '../../db/tables.js';
import type { Context, Page } from '../../graphql/builder.js';
import type { ArtifactTypeShape } from '../../graphql/refs.js';
import { decodeCursor, encodeCursor, pageSize } from '../../graphql/cursor.js';
import { parseFilter, parseOrder, takeEquality, type Order } from '../../graphql/filters.js';
import { registryField } from '../registries/repository.js';
import { registryTypesLoader } from '../registries/loaders.js';
import {
  COLLECTION_ORDER_COLUMNS,
  MEMBERSHIP_ORDER_COLUMNS,
  collectionField,
  countCollections,
  countMemberships,
  findCollection,
  findMembership,
  findMembershipRowByName,
  listAliases,
  listCollections,
  listMemberships,
  versionField,
  type CollectionListQuery,
  type MembershipListQuery,
  type Visibility,
} from './repository.js';
import { projectTypeNames } from './repository-artifacts.js';
import {
  artifactAliasesLoader,
  artifactMembershipsLoader,
  canSeeCollection,
  collectionLoader,
  membershipAliasesLoader,
  prime,
} from './loaders.js';

// Reading collections and their versions: pages, lookups by name, and the registry-wide searches.
// Each page is one statement whose joined rows are primed into the request's loaders, so the
// fields below it read nothing more.

/** The arguments of every list: a filter (JSON), an order ("-field"), a cursor and a page size. */
export interface PageArgs {
  filters?: string | null;
  order?: string | null;
  after?: string | null;
  first?: number | null;
}

/** Which collections a page lists, besides its filter, order and cursor. */
export type CollectionScope = Omit<CollectionListQuery, 'where' | 'order' | 'after' | 'first'>;

/** Which versions a page lists: a collection's, or those of every registry of an org the viewer can see. */
export type VersionScope = MembershipListQuery['scope'];

/** What the document selects, so a page joins only what is shown. */
export interface Selection {
  /** totalCount is selected: counted in the page's statement. */
  withTotal: boolean;
  /** The source versions' aliases (in every collection) are selected. */
  withArtifactAliases?: boolean;
}

/** Lists collections with the SDK's arguments; a page (with tags, and totalCount when selected) is one statement. */
export async function collectionPage(ctx: Context, base: CollectionScope, args: PageArgs, selection: Selection): Promise<Page<Collection>> {
  const where = parseFilter(args.filters, collectionField);
  const order = parseOrder(args.order, Object.keys(COLLECTION_ORDER_COLUMNS), { field: 'created_at', direction: 'desc' });
  const after = decodeCursor(args.after);
  const first = pageSize(args.first);
  const q = { ...base, where };
  const page = await listCollections(ctx.db, { ...q, order, after, first, withTotal: selection.withTotal });
  prime(ctx, page.rows);
  const total = page.totalCount;
  return {
    hasNextPage: page.hasNextPage,
    edges: page.rows.map((r) => ({ cursor: r.cursor, node: r.collection })),
    totalCount: () => (total !== undefined ? Promise.resolve(total) : countCollections(ctx.db, q)),
  };
}

/** A page of versions: one statement for the rows with what they show (and totalCount when selected). */
export async function versionPage(
  ctx: Context,
  scope: VersionScope,
  args: PageArgs,
  selection: Selection,
  fallback: Order = { field: 'version', direction: 'desc' },
): Promise<Page<Membership>> {
  // An alias is joined rather than tested per version, so the page can walk that alias's index.
  const alias = takeEquality(args.filters, 'alias');
  const where = parseFilter(alias ? alias.rest : args.filters, versionField);
  const order = parseOrder(args.order, Object.keys(MEMBERSHIP_ORDER_COLUMNS), fallback);
  const after = decodeCursor(args.after);
  const first = pageSize(args.first);
  const { withTotal, withArtifactAliases } = selection;
  const page = await listMemberships(ctx.db, { scope, where, alias: alias?.value, order, after, first, withTotal, withArtifactAliases });
  prime(ctx, page.rows);
  const total = page.totalCount;
  return {
    hasNextPage: page.hasNextPage,
    edges: page.rows.map((r) => ({ cursor: r.cursor, node: r.membership })),
    totalCount: () => (total !== undefined ? Promise.resolve(total) : countMemberships(ctx.db, { scope, where, alias: alias?.value })),
  };
}

/** Who may search an organization's registries: its members, each over the registries they can see. */
function registryVisibility(ctx: Context, entity: Entity): Visibility | null {
  const viewer = ctx.viewer;
  if (!viewer || entity.kind !== 'ORGANIZATION' || viewer.organization_id !== entity.organization_id) return null;
  return viewer.org_role === 'admin' ? 'everyone' : { userId: viewer.id };
}

/** Collections of every registry of the organization the viewer can see (the SDK's RegistryCollections); null for others. */
export async function registryCollectionPage(
  ctx: Context,
  entity: Entity,
  args: PageArgs & { projectFilters?: string | null; collectionTypes?: readonly Collection['kind'][] | null },
  selection: Selection,
): Promise<Page<Collection> | null> {
  const projectWhere = parseFilter(args.projectFilters, registryField);
  const visibility = registryVisibility(ctx, entity);
  if (!visibility) return null;
  const scope = { orgEntityId: entity.id, visibility, projectWhere };
  return collectionPage(ctx, { scope, kinds: args.collectionTypes ?? ['PORTFOLIO'] }, args, selection);
}

/** Linked versions in every registry of the organization the viewer can see (the SDK's RegistryVersions); null for others. */
export async function registryVersionPage(
  ctx: Context,
  entity: Entity,
  args: PageArgs & { projectFilters?: string | null; collectionFilters?: string | null },
  selection: Selection,
): Promise<Page<Membership> | null> {
  const projectWhere = parseFilter(args.projectFilters, registryField);
  const collectionWhere = parseFilter(args.collectionFilters, collectionField);
  const visibility = registryVisibility(ctx, entity);
  if (!visibility) return null;
  const scope = { orgEntityId: entity.id, visibility, projectWhere, collectionWhere };
  return versionPage(ctx, scope, args, selection, { field: 'created_at', direction: 'desc' });
}

/** A page of a collection's aliases. */
export function aliasPage(
  ctx: Context,
  collectionId: number,
  args: { after?: string | null; first?: number | null },
): Promise<Page<Alias>> {
  return listAliases(ctx.db, collectionId, decodeCursor(args.after), pageSize(args.first));
}

/** A collection's version by "vN" or by alias ("latest" included); a name too long to be either is none. */
export async function versionByAlias(ctx: Context, collectionId: number, aliasName: string): Promise<Membership | undefined> {
  if (aliasName.length > 200) return undefined;
  return findMembership(ctx.db, collectionId, aliasName);
}

/** A project's collection by name (of the given type, when one is given). */
export async function collectionByName(ctx: Context, projectId: number, name: string, typeName?: string): Promise<Collection | undefined> {
  const collection = await findCollection(ctx.db, projectId, name);
  if (!collection || (typeName !== undefined && collection.type_name !== typeName)) return undefined;
  // Its versions' fields read it by id: known now.
  collectionLoader(ctx).prime(collection.id, collection);
  return collection;
}

/**
 * A project's version addressed as "collection:vN", "collection:alias" or "collection" (its latest),
 * read with what its fields show (aliases, collection, source version and their owners).
 */
export async function versionByName(
  ctx: Context,
  projectId: number,
  name: string,
  options: { withArtifactAliases: boolean },
): Promise<Membership | undefined> {
  if (name.length > 300) return undefined;
  // "collection" alone means its latest version, as in the SDK's artifact names.
  const at = name.lastIndexOf(':');
  const [collectionName, version] = at < 0 ? [name, 'latest'] : [name.slice(0, at), name.slice(at + 1) || 'latest'];
  if (!collectionName) return undefined;
  const row = await findMembershipRowByName(ctx.db, { projectId, collectionName, version, ...options });
  if (!row) return undefined;
  prime(ctx, [row]);
  return row.membership;
}

/** A team project's artifact types (the distinct types of its collections), a page by name: one statement. */
async function teamProjectTypesPage(
  ctx: Context,
  projectId: number,
  args: { after?: string | null; first?: number | null },
): Promise<Page<ArtifactTypeShape>> {
  const first = pageSize(args.first);
  const after = decodeCursor(args.after);
  const rows = await projectTypeNames(ctx.db, projectId, after === undefined ? undefined : String(after.v), first + 1);
  return {
    hasNextPage: rows.length > first,
    edges: rows.slice(0, first).map((row) => ({
      cursor: encodeCursor({ v: row.name, id: 0 }),
      node: { projectId, name: row.name, createdAt: row.createdAt },
    })),
  };
}

/** A project's artifact types: a team project's are those of its collections; a registry's are its allowed types. */
export async function artifactTypePage(
  ctx: Context,
  project: Project,
  args: { after?: string | null; first?: number | null },
): Promise<Page<ArtifactTypeShape>> {
  if (!project.is_registry) return teamProjectTypesPage(ctx, project.id, args);
  const types = await registryTypesLoader(ctx).load(project.id);
  return {
    hasNextPage: false,
    edges: types.map((row) => ({
      cursor: row.type_name,
      node: { projectId: project.id, name: row.type_name, createdAt: row.created_at },
    })),
  };
}

/** Every collection a source version is in (its sequence and its registry links) that the viewer can see. */
export async function visibleVersionsOfArtifact(ctx: Context, artifact: Artifact): Promise<Membership[]> {
  const rows = await artifactMembershipsLoader(ctx).load(artifact.id);
  prime(ctx, rows);
  // The version's own aliases are those of its memberships: when they came with it, no statement.
  const known = artifactAliasesLoader(ctx).get(artifact.id);
  if (!(known instanceof Promise)) {
    const byName = [...known].sort((a, b) => (a.alias < b.alias ? -1 : a.alias > b.alias ? 1 : 0));
    for (const row of rows)
      membershipAliasesLoader(ctx).prime(
        row.membership.id,
        byName.filter((a) => a.membership_id === row.membership.id),
      );
  }
  const visible = [];
  for (const row of rows) if (await canSeeCollection(ctx, row.collection)) visible.push(row.membership);
  return visible;
}
