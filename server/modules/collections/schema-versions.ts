import type { Artifact, Membership } from '../../db/tables.js';
import { getNamedType, type GraphQLResolveInfo } from 'graphql';
import { builder, PageInfo, selectsField, selectsPath, type Context, type Page } from '../../graphql/builder.js';
import { ArtifactAliasRef, ArtifactCollectionRef, ArtifactRef, MembershipRef } from '../../graphql/refs.js';
import { loadArtifact, membershipLoader } from './loaders.js';
import { MembershipConnection } from './schema.js';
import { versionPage, visibleVersionsOfArtifact, type Selection } from './service-reads.js';

// Fields that point at source versions (`Artifact`, implemented by the artifacts module).

/** What a page of versions must read for the document: totalCount, and the source versions' aliases. */
export function versionSelection(info: GraphQLResolveInfo): Selection {
  // A version's aliases in every collection, when the document asks for them (the SDK does with
  // $includeAliases): on a membership's artifact, or on the node of a VersionedArtifactConnection.
  const artifactPath =
    getNamedType(info.returnType).name === 'VersionedArtifactConnection' ? ['edges', 'node'] : ['edges', 'node', 'artifact'];
  return { withTotal: selectsField(info, 'totalCount'), withArtifactAliases: selectsPath(info, [...artifactPath, 'aliases']) };
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
    resolve: (c, args, ctx, info) => versionPage(ctx, { collectionId: c.id }, args, versionSelection(info)),
  }),
  artifactMemberships: t.field({
    type: MembershipConnection,
    args: { after: t.arg.string(), first: t.arg.int(), order: t.arg.string(), filters: t.arg({ type: 'JSONString' }) },
    resolve: (c, args, ctx, info) => versionPage(ctx, { collectionId: c.id }, args, versionSelection(info)),
  }),
}));

builder.objectFields(ArtifactRef, (t) => ({
  artifactMemberships: t.field({
    type: MembershipConnection,
    description:
      'Every collection this version is in (its own sequence and the registry collections it is linked into) that the viewer can see.',
    args: { after: t.arg.string(), first: t.arg.int() },
    resolve: async (artifact, _args, ctx) => {
      const visible = await visibleVersionsOfArtifact(ctx, artifact);
      return { hasNextPage: false, edges: visible.map((node) => ({ cursor: String(node.id), node })) };
    },
  }),
}));
