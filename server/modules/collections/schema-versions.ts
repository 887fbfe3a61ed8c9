import type { Artifact, Membership } from '../../db/tables.js';
import { getNamedType, type GraphQLResolveInfo } from 'graphql';
import { builder, PageInfo, selectsField, selectsPath, type Context, type Page } from '../../graphql/builder.js';
import { contextLoader } from '../../graphql/context-loaders.js';
import { decodeCursor, pageSize } from '../../graphql/cursor.js';
import { compileFilter, parseOrder, takeEquality, type Order } from '../../graphql/filters.js';
import { ArtifactAliasRef, ArtifactCollectionRef, ArtifactRef, MembershipRef } from '../../graphql/refs.js';
import { canSeeCollection, membershipAliasesLoader, membershipLoader, prime } from './loaders.js';

/* eslint-disable import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write */
import {
  countMemberships,
  listMemberships,
  MEMBERSHIP_ORDER_COLUMNS,
  membershipsOfArtifacts,
  type MembershipListQuery,
} from './repository.js';
/* eslint-enable import-x/no-restricted-paths */
import { MembershipConnection } from './schema.js';
import { artifactAliasesLoader, loadArtifact } from './loaders.js';
// eslint-disable-next-line import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write
import { versionField } from './repository.js';

// Fields that point at source versions (`Artifact`, implemented by the artifacts module).

export interface PageArgs {
  filters?: string | null;
  order?: string | null;
  after?: string | null;
  first?: number | null;
}

/** A page of versions: one statement for the rows with what they show (and totalCount when selected). */
export async function membershipPage(
  ctx: Context,
  scope: MembershipListQuery['scope'],
  args: PageArgs,
  fallback: Order = { field: 'version', direction: 'desc' },
  info?: GraphQLResolveInfo,
): Promise<Page<Membership>> {
  // An alias is joined rather than tested per version, so the page can walk that alias's index.
  const alias = takeEquality(args.filters, 'alias');
  const where = compileFilter(alias ? alias.rest : args.filters, versionField);
  const order = parseOrder(args.order, Object.keys(MEMBERSHIP_ORDER_COLUMNS), fallback);
  const after = decodeCursor(args.after);
  const first = pageSize(args.first);
  const withTotal = info ? selectsField(info, 'totalCount') : false;
  // A version's aliases in every collection, when the document asks for them (the SDK does with
  // $includeAliases): on a membership's artifact, or on the node of a VersionedArtifactConnection.
  const artifactPath =
    info && getNamedType(info.returnType).name === 'VersionedArtifactConnection' ? ['edges', 'node'] : ['edges', 'node', 'artifact'];
  const withArtifactAliases = info ? selectsPath(info, [...artifactPath, 'aliases']) : true;
  const page = await listMemberships(ctx.db, { scope, where, alias: alias?.value, order, after, first, withTotal, withArtifactAliases });
  prime(ctx, page.rows);
  const total = page.totalCount;
  return {
    hasNextPage: page.hasNextPage,
    edges: page.rows.map((r) => ({ cursor: r.cursor, node: r.membership })),
    totalCount: () => (total !== undefined ? Promise.resolve(total) : countMemberships(ctx.db, { scope, where, alias: alias?.value })),
  };
}

const VersionedArtifactEdge = builder.objectRef<{ cursor: string; node: Membership }>('VersionedArtifactEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    version: t.string({ description: '"vN" within the collection.', resolve: (e) => `v${e.node.version_index}` }),
    node: t.field({ type: ArtifactRef, resolve: async (e, _args, ctx) => requireArtifact(ctx, e.node.artifact_id) }),
  }),
});

const VersionedArtifactConnection = builder.objectRef<Page<Membership>>('VersionedArtifactConnection').implement({
  description: "A collection's versions as source artifacts, each with its vN in this collection.",
  fields: (t) => ({
    totalCount: t.int({ resolve: (page) => (page.totalCount ? page.totalCount() : page.edges.length) }),
    pageInfo: t.field({
      type: PageInfo,
      resolve: (page) => ({ endCursor: page.edges.at(-1)?.cursor ?? null, hasNextPage: page.hasNextPage }),
    }),
    edges: t.field({ type: [VersionedArtifactEdge], resolve: (page) => page.edges }),
  }),
});

async function requireArtifact(ctx: Context, id: number): Promise<Artifact> {
  const artifact = await loadArtifact(ctx, id);
  if (!artifact) throw new Error(`artifact ${id} not found`);
  return artifact;
}

builder.objectFields(MembershipRef, (t) => ({
  artifact: t.field({ type: ArtifactRef, nullable: true, resolve: (m, _args, ctx) => loadArtifact(ctx, m.artifact_id) }),
  commitHash: t.string({
    nullable: true,
    resolve: async (m, _args, ctx) => (await loadArtifact(ctx, m.artifact_id))?.digest.slice(0, 12) ?? null,
  }),
}));

builder.objectFields(ArtifactAliasRef, (t) => ({
  artifact: t.field({
    type: ArtifactRef,
    nullable: true,
    resolve: async (a, _args, ctx) => loadArtifact(ctx, (await membershipLoader(ctx).load(a.membership_id)).artifact_id),
  }),
}));

builder.interfaceFields(ArtifactCollectionRef, (t) => ({
  artifacts: t.field({
    type: VersionedArtifactConnection,
    nullable: true,
    description: 'Versions, newest first by default; filters on id, version, alias, tag, metadata(.key), created_at, updated_at.',
    args: { after: t.arg.string(), first: t.arg.int(), order: t.arg.string(), filters: t.arg({ type: 'JSONString' }) },
    resolve: (c, args, ctx, info) => membershipPage(ctx, { collectionId: c.id }, args, undefined, info),
  }),
  artifactMemberships: t.field({
    type: MembershipConnection,
    args: { after: t.arg.string(), first: t.arg.int(), order: t.arg.string(), filters: t.arg({ type: 'JSONString' }) },
    resolve: (c, args, ctx, info) => membershipPage(ctx, { collectionId: c.id }, args, undefined, info),
  }),
}));

builder.objectFields(ArtifactRef, (t) => ({
  artifactMemberships: t.field({
    type: MembershipConnection,
    description:
      'Every collection this version is in (its own sequence and the registry collections it is linked into) that the viewer can see.',
    args: { after: t.arg.string(), first: t.arg.int() },
    resolve: async (artifact, _args, ctx) => {
      const rows = await contextLoader(ctx, 'collections.membershipsOfArtifact', async (ids: readonly number[]) => {
        const all = await membershipsOfArtifacts(ctx.db, ids);
        return ids.map((id) => all.filter((row) => row.membership.artifact_id === id));
      }).load(artifact.id);
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
      return { hasNextPage: false, edges: visible.map((node) => ({ cursor: String(node.id), node })) };
    },
  }),
}));
