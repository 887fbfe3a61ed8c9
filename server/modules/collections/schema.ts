import type { Collection, Event } from '../../db/tables.js';
import { eventPage } from './service.js';
import { builder, connection, PageInfo, selectsField, selectsPath, type Page } from '../../graphql/builder.js';
import { andThen } from '../../graphql/context-loaders.js';
import { decodeId, encodeId } from '../../graphql/ids.js';
import {
  ArtifactAliasRef,
  ArtifactCollectionRef,
  ArtifactPortfolioRef,
  ArtifactSequenceRef,
  ArtifactTypeRef,
  MembershipRef,
  ProjectRef,
  TagRef,
  UserRef,
} from '../../graphql/refs.js';
import { canSeeCollection, collectionLoader, collectionTagsLoader, membershipAliasesLoader } from './loaders.js';
import { projectLoader } from '../registries/loaders.js';
import { ArtifactTypeConnection } from '../registries/schema.js';
import { userLoader } from '../auth/loaders.js';
import { COLLECTION_ID_TYPES } from './inputs.js';
import { aliasPage, artifactTypePage, collectionByName, collectionPage, versionByAlias, versionByName } from './service-reads.js';

export function collectionId(c: Collection): string {
  return encodeId(c.kind === 'SEQUENCE' ? 'ArtifactSequence' : 'ArtifactPortfolio', c.id);
}

/** Collections a mutation just deleted: they answer with state DELETED. */
const deleted = new WeakSet<Collection>();
export function markDeleted(collection: Collection): Collection {
  deleted.add(collection);
  return collection;
}

export const ArtifactCollectionStateEnum = builder.enumType('ArtifactCollectionState', { values: ['READY', 'DELETED'] as const });
export const ArtifactCollectionTypeEnum = builder.enumType('ArtifactCollectionType', {
  description: 'PORTFOLIO: a registry collection of linked versions; SEQUENCE: a team project collection of logged versions.',
  values: ['PORTFOLIO', 'SEQUENCE'] as const,
});

TagRef.implement({
  fields: (t) => ({
    id: t.id({ resolve: (tag) => encodeId('Tag', tag.name) }),
    name: t.exposeString('name'),
  }),
});
const TagConnection = connection('Tag', TagRef);

ArtifactAliasRef.implement({
  description: 'A name on a version, unique within its collection.',
  fields: (t) => ({
    // A linked version's `vN` (Artifact.aliases) is no aliases row: its id names the link instead.
    id: t.id({ resolve: (a) => (a.id < 0 ? encodeId('ArtifactVersionAlias', a.membership_id) : encodeId('ArtifactAlias', a.id)) }),
    alias: t.exposeString('alias'),
    artifactCollection: t.field({
      type: ArtifactCollectionRef,
      nullable: true,
      resolve: (a, _args, ctx) => collectionLoader(ctx).get(a.collection_id),
    }),
    artifactCollectionName: t.string({ resolve: async (a, _args, ctx) => (await collectionLoader(ctx).load(a.collection_id)).name }),
    createdAt: t.field({ type: 'DateTime', description: 'When the alias was put on its current version.', resolve: (a) => a.created_at }),
  }),
});
const ArtifactAliasConnection = connection('ArtifactAlias', ArtifactAliasRef);

MembershipRef.implement({
  description: 'A version inside a collection: a logged version in its sequence, or a linked version in a registry collection.',
  fields: (t) => ({
    id: t.id({ resolve: (m) => encodeId('ArtifactCollectionMembership', m.id) }),
    versionIndex: t.int({ nullable: true, description: 'The N of vN within this collection.', resolve: (m) => m.version_index }),
    version: t.string({ description: '"vN" within this collection.', resolve: (m) => `v${m.version_index}` }),
    aliases: t.field({
      type: [ArtifactAliasRef],
      description: 'Aliases in this collection only.',
      resolve: (m, _args, ctx) => membershipAliasesLoader(ctx).get(m.id),
    }),
    artifactCollection: t.field({
      type: ArtifactCollectionRef,
      nullable: true,
      resolve: (m, _args, ctx) => collectionLoader(ctx).get(m.collection_id),
    }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When the version was linked (or committed, in a sequence).',
      resolve: (m) => m.created_at,
    }),
    linkedBy: t.field({
      type: UserRef,
      nullable: true,
      resolve: async (m, _args, ctx) => (m.created_by === null ? null : ((await userLoader(ctx).load(m.created_by)) ?? null)),
    }),
  }),
});
export const MembershipConnection = connection('ArtifactCollectionMembership', MembershipRef, { totalCount: true });

function jsonField(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

const CollectionAction = builder.objectRef<Event>('ArtifactCollectionAction').implement({
  description: 'One change in a collection or registry (an event): who did what, when, and what it changed.',
  fields: (t) => ({
    id: t.id({ resolve: (a) => encodeId('ArtifactCollectionAction', a.id) }),
    actionType: t.string({
      description:
        'The event: registry.created|updated|renamed|deleted, registry.member_added|member_role_changed|member_removed, ' +
        'collection.created|updated|deleted|tag_added|tag_removed, version.linked|unlinked|created|deleted|tag_added|tag_removed, ' +
        'alias.added|moved|removed.',
      resolve: (a) => a.action,
    }),
    versionIndex: t.int({
      nullable: true,
      description: 'The version it is about (for version and alias events): its N of vN in the collection.',
      resolve: (a) => a.version_index,
    }),
    alias: t.string({
      nullable: true,
      resolve: (a) => {
        const alias = jsonField(a.after, 'alias') ?? jsonField(a.before, 'alias');
        return typeof alias === 'string' ? alias : null;
      },
    }),
    collectionName: t.string({
      nullable: true,
      description: 'The collection, by its name at the time.',
      resolve: (a) => a.collection_name,
    }),
    projectName: t.string({
      description: 'The registry ("wandb-registry-<name>") or project, by its name at the time.',
      resolve: (a) => a.project_name,
    }),
    before: t.field({
      type: 'JSON',
      nullable: true,
      description: 'What the change replaced or removed.',
      resolve: (a) => a.before ?? null,
    }),
    after: t.field({ type: 'JSON', nullable: true, description: 'What the change added or set.', resolve: (a) => a.after ?? null }),
    detail: t.field({
      type: 'JSON',
      description: 'Before and after together: { before, after }.',
      resolve: (a) => ({ before: a.before ?? null, after: a.after ?? null }),
    }),
    user: t.field({
      type: UserRef,
      nullable: true,
      resolve: async (a, _args, ctx) => (a.actor_id === null ? null : ((await userLoader(ctx).load(a.actor_id)) ?? null)),
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (a) => a.created_at }),
  }),
});
const CollectionActionConnection = connection('ArtifactCollectionAction', CollectionAction);

/** A history's paging and filters, the same on a collection and on a registry. */
const EVENT_ARGS = builder.args((t) => ({
  after: t.string(),
  first: t.int(),
  actions: t.stringList({ description: 'Only these actions (see actionType); an unknown one is an error that lists them.' }),
  actor: t.string({ description: 'Only changes made by this user (a username); no such user: no events.' }),
}));

ArtifactCollectionRef.implement({
  description: 'A named series of versions: a team project sequence or a registry portfolio.',
  resolveType: (c) => (c.kind === 'SEQUENCE' ? 'ArtifactSequence' : 'ArtifactPortfolio'),
  fields: (t) => ({
    id: t.id({ resolve: collectionId }),
    name: t.exposeString('name'),
    description: t.string({ nullable: true, description: 'Markdown (the model card, in a registry).', resolve: (c) => c.description }),
    createdAt: t.field({ type: 'DateTime', resolve: (c) => c.created_at }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.updated_at }),
    state: t.field({ type: ArtifactCollectionStateEnum, resolve: (c) => (deleted.has(c) ? 'DELETED' : 'READY') }),
    project: t.field({ type: ProjectRef, nullable: true, resolve: (c, _args, ctx) => projectLoader(ctx).get(c.project_id) }),
    defaultArtifactType: t.field({
      type: ArtifactTypeRef,
      resolve: (c) => ({ projectId: c.project_id, name: c.type_name, createdAt: c.created_at }),
    }),
    tags: t.field({
      type: TagConnection,
      args: { after: t.arg.string(), first: t.arg.int() },
      resolve: (c, _args, ctx) =>
        andThen(collectionTagsLoader(ctx).get(c.id), (tags) => ({
          hasNextPage: false,
          edges: tags.map((name) => ({ cursor: name, node: { name } })),
        })),
    }),
    aliases: t.field({
      type: ArtifactAliasConnection,
      args: { after: t.arg.string(), first: t.arg.int() },
      resolve: (c, args, ctx) => aliasPage(ctx, c.id, args),
    }),
    artifactMembership: t.field({
      type: MembershipRef,
      nullable: true,
      description: 'A version by "vN" or by alias ("latest" included).',
      args: { aliasName: t.arg.string({ required: true }) },
      resolve: async (c, { aliasName }, ctx) => (await versionByAlias(ctx, c.id, aliasName)) ?? null,
    }),
    artifactCollectionActions: t.field({
      type: CollectionActionConnection,
      description: 'The action history, newest first.',
      args: EVENT_ARGS,
      resolve: (c, args, ctx) => eventPage(ctx, { collectionId: c.id }, args),
    }),
  }),
});

ArtifactSequenceRef.implement({
  description: "A team project's collection of logged versions.",
  interfaces: [ArtifactCollectionRef],
  isTypeOf: (c) => (c as Collection).kind === 'SEQUENCE',
  fields: () => ({}),
});
ArtifactPortfolioRef.implement({
  description: 'A registry collection: linked versions of one artifact type, a model card and tags.',
  interfaces: [ArtifactCollectionRef],
  isTypeOf: (c) => (c as Collection).kind === 'PORTFOLIO',
  fields: () => ({}),
});

// connection() takes object types; collections are an interface, so their connection is spelled out.
const ArtifactCollectionEdge = builder.objectRef<{ cursor: string; node: Collection }>('ArtifactCollectionEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: ArtifactCollectionRef, resolve: (edge) => edge.node }),
  }),
});
export const ArtifactCollectionConnection = builder.objectRef<Page<Collection>>('ArtifactCollectionConnection').implement({
  fields: (t) => ({
    totalCount: t.int({ resolve: (page) => (page.totalCount ? page.totalCount() : page.edges.length) }),
    pageInfo: t.field({
      type: PageInfo,
      resolve: (page) => ({ endCursor: page.edges.at(-1)?.cursor ?? null, hasNextPage: page.hasNextPage }),
    }),
    edges: t.field({ type: [ArtifactCollectionEdge], resolve: (page) => page.edges }),
  }),
});

builder.queryField('artifactCollection', (t) =>
  t.field({
    type: ArtifactCollectionRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const collectionIdN = decodeId(id, ...COLLECTION_ID_TYPES);
      const collection = await collectionLoader(ctx)
        .load(collectionIdN)
        .catch(() => undefined);
      return collection && (await canSeeCollection(ctx, collection)) ? collection : null;
    },
  }),
);

builder.objectFields(ProjectRef, (t) => ({
  events: t.field({
    type: CollectionActionConnection,
    description:
      "The registry's (or project's) history, newest first: its settings, members, collections, versions, aliases and tags, " +
      'deleted collections included. Whoever can see the registry can read it.',
    args: EVENT_ARGS,
    resolve: (p, args, ctx) => eventPage(ctx, { projectId: p.id }, args),
  }),
  artifactCollections: t.field({
    type: ArtifactCollectionConnection,
    nullable: true,
    args: {
      after: t.arg.string(),
      first: t.arg.int(),
      filters: t.arg({ type: 'JSONString' }),
      order: t.arg.string(),
      collectionTypes: t.arg({ type: [ArtifactCollectionTypeEnum] }),
    },
    resolve: (project, args, ctx, info) =>
      collectionPage(ctx, { scope: { projectId: project.id }, kinds: args.collectionTypes ?? [] }, args, {
        withTotal: selectsField(info, 'totalCount'),
      }),
  }),
  artifactCollection: t.field({
    type: ArtifactCollectionRef,
    nullable: true,
    args: { name: t.arg.string({ required: true }) },
    resolve: async (project, { name }, ctx) => (await collectionByName(ctx, project.id, name)) ?? null,
  }),
  artifactCollectionMembership: t.field({
    type: MembershipRef,
    nullable: true,
    description: 'A version addressed as "collection:vN", "collection:alias" or "collection" (its latest).',
    args: { name: t.arg.string({ required: true }) },
    resolve: async (project, { name }, ctx, info) => {
      const withArtifactAliases = selectsPath(info, ['artifact', 'aliases']);
      return (await versionByName(ctx, project.id, name, { withArtifactAliases })) ?? null;
    },
  }),
}));

builder.objectFields(ArtifactTypeRef, (t) => ({
  artifactCollections: t.field({
    type: ArtifactCollectionConnection,
    nullable: true,
    args: { after: t.arg.string(), first: t.arg.int(), filters: t.arg({ type: 'JSONString' }), order: t.arg.string() },
    resolve: (type, args, ctx, info) =>
      collectionPage(ctx, { scope: { projectId: type.projectId }, kinds: [], typeName: type.name }, args, {
        withTotal: selectsField(info, 'totalCount'),
      }),
  }),
  artifactCollection: t.field({
    type: ArtifactCollectionRef,
    nullable: true,
    args: { name: t.arg.string({ required: true }) },
    resolve: async (type, { name }, ctx) => (await collectionByName(ctx, type.projectId, name, type.name)) ?? null,
  }),
}));

builder.objectFields(ProjectRef, (t) => ({
  artifactTypes: t.field({
    type: ArtifactTypeConnection,
    args: { includeAll: t.arg.boolean(), after: t.arg.string(), first: t.arg.int() },
    // A team project's types are those of its collections; a registry's are its allowed types.
    resolve: (p, args, ctx) => artifactTypePage(ctx, p, args),
  }),
}));
