import type { Collection, Membership, Project } from '../../db/tables.js';
import { builder } from '../../graphql/builder.js';
import { ArtifactCollectionRef, EntityRef, MembershipRef, ProjectRef } from '../../graphql/refs.js';
import { MAX_GROUP_SIZE, MAX_SEARCH_LENGTH, searchRegistry, type RegistrySearch, type SearchGroup } from './service-search.js';

// The home page's search on the organization entity: one field answering every group at once.

const TagHit = builder.objectRef<{ tag: string; collection: Collection }>('RegistrySearchTagHit').implement({
  description: 'A collection found by one of its tags.',
  fields: (t) => ({
    tag: t.exposeString('tag', { description: 'The matching tag.' }),
    collection: t.field({ type: ArtifactCollectionRef, resolve: (hit) => hit.collection }),
  }),
});

const AliasHit = builder.objectRef<{ alias: string; version: Membership }>('RegistrySearchAliasHit').implement({
  description: 'A linked version found by one of its aliases.',
  fields: (t) => ({
    alias: t.exposeString('alias', { description: 'The matching alias.' }),
    version: t.field({ type: MembershipRef, resolve: (hit) => hit.version }),
  }),
});

const hasMore = 'More matched than the group shows: type more to narrow the search.';

const RegistryGroup = builder.objectRef<SearchGroup<Project>>('RegistrySearchRegistries').implement({
  fields: (t) => ({
    nodes: t.field({ type: [ProjectRef], resolve: (g) => g.nodes }),
    hasMore: t.exposeBoolean('hasMore', { description: hasMore }),
  }),
});
const CollectionGroup = builder.objectRef<SearchGroup<Collection>>('RegistrySearchCollections').implement({
  fields: (t) => ({
    nodes: t.field({ type: [ArtifactCollectionRef], resolve: (g) => g.nodes }),
    hasMore: t.exposeBoolean('hasMore', { description: hasMore }),
  }),
});
const TagGroup = builder.objectRef<RegistrySearch['tags']>('RegistrySearchTags').implement({
  fields: (t) => ({
    nodes: t.field({ type: [TagHit], resolve: (g) => g.nodes }),
    hasMore: t.exposeBoolean('hasMore', { description: hasMore }),
  }),
});
const AliasGroup = builder.objectRef<RegistrySearch['aliases']>('RegistrySearchAliases').implement({
  fields: (t) => ({
    nodes: t.field({ type: [AliasHit], resolve: (g) => g.nodes }),
    hasMore: t.exposeBoolean('hasMore', { description: hasMore }),
  }),
});
const VersionGroup = builder.objectRef<SearchGroup<Membership>>('RegistrySearchVersions').implement({
  fields: (t) => ({
    nodes: t.field({ type: [MembershipRef], resolve: (g) => g.nodes }),
    hasMore: t.exposeBoolean('hasMore', { description: hasMore }),
  }),
});

const RegistrySearchRef = builder.objectRef<RegistrySearch>('RegistrySearch').implement({
  description: 'What a search found in the registries the viewer can see, by kind.',
  fields: (t) => ({
    query: t.exposeString('query', { description: 'The text searched for, trimmed.' }),
    registries: t.field({ type: RegistryGroup, description: 'By name or description.', resolve: (s) => s.registries }),
    collections: t.field({ type: CollectionGroup, description: 'By name or model card.', resolve: (s) => s.collections }),
    tags: t.field({ type: TagGroup, description: 'Collections by tag.', resolve: (s) => s.tags }),
    aliases: t.field({ type: AliasGroup, description: 'Linked versions by alias.', resolve: (s) => s.aliases }),
    versions: t.field({
      type: VersionGroup,
      description: 'Linked versions by name: "v3" in every collection, "resnet v3" in collections whose name holds "resnet".',
      resolve: (s) => s.versions,
    }),
  }),
});

builder.objectFields(EntityRef, (t) => ({
  registrySearch: t.field({
    type: RegistrySearchRef,
    nullable: true,
    description:
      `On the organization entity: registries, collections, tags, aliases and version names holding the text (any letter case), ` +
      `in the registries the viewer can see; at most ${MAX_SEARCH_LENGTH} characters, \`first\` (at most ${MAX_GROUP_SIZE}) per group.`,
    args: { query: t.arg.string({ required: true }), first: t.arg.int() },
    resolve: (entity, args, ctx) => searchRegistry(ctx, entity, args),
  }),
}));
