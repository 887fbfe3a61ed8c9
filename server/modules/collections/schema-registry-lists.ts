import { builder, selectsField } from '../../graphql/builder.js';
import { EntityRef } from '../../graphql/refs.js';
import { versionSelection } from './schema-versions.js';
import { ArtifactCollectionConnection, ArtifactCollectionTypeEnum, MembershipConnection } from './schema.js';
import { registryCollectionPage, registryVersionPage } from './service-reads.js';

// Registry-wide searches on the organization entity (the SDK's RegistryCollections and
// RegistryVersions): only registries the viewer can see take part.

builder.objectFields(EntityRef, (t) => ({
  artifactCollections: t.field({
    type: ArtifactCollectionConnection,
    nullable: true,
    description: 'On the organization entity: collections of every registry the viewer can see.',
    args: {
      projectFilters: t.arg({ type: 'JSONString' }),
      filters: t.arg({ type: 'JSONString' }),
      collectionTypes: t.arg({ type: [ArtifactCollectionTypeEnum] }),
      after: t.arg.string(),
      first: t.arg.int(),
      order: t.arg.string(),
    },
    resolve: (entity, args, ctx, info) => registryCollectionPage(ctx, entity, args, { withTotal: selectsField(info, 'totalCount') }),
  }),
  artifactMemberships: t.field({
    type: MembershipConnection,
    nullable: true,
    description:
      'On the organization entity: linked versions in every registry the viewer can see. Filters on registries, collections and versions (alias, tag, version, metadata.<key>, created_at, updated_at).',
    args: {
      projectFilters: t.arg({ type: 'JSONString' }),
      collectionFilters: t.arg({ type: 'JSONString' }),
      filters: t.arg({ type: 'JSONString' }),
      after: t.arg.string(),
      first: t.arg.int(),
      order: t.arg.string(),
    },
    resolve: (entity, args, ctx, info) => registryVersionPage(ctx, entity, args, versionSelection(info)),
  }),
}));
