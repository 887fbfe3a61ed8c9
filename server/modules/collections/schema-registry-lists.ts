import type { Entity } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { builder } from '../../graphql/builder.js';
import { compileFilter } from '../../graphql/filters.js';
import { EntityRef } from '../../graphql/refs.js';
import { membershipPage } from './schema-versions.js';
// eslint-disable-next-line import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write
import { collectionField, type Visibility } from './repository.js';
import { ArtifactCollectionConnection, ArtifactCollectionTypeEnum, collectionPage, MembershipConnection } from './schema.js';
// eslint-disable-next-line import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write
import { registryField } from '../registries/repository.js';

// Registry-wide searches on the organization entity (the SDK's RegistryCollections and
// RegistryVersions): only registries the viewer can see take part.

function registryScope(ctx: Context, entity: Entity): { visibility: Visibility } | null {
  const viewer = ctx.viewer;
  if (!viewer || entity.kind !== 'ORGANIZATION' || viewer.organization_id !== entity.organization_id) return null;
  return { visibility: viewer.org_role === 'admin' ? 'everyone' : { userId: viewer.id } };
}

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
    resolve: async (entity, args, ctx, info) => {
      const projectWhere = compileFilter(args.projectFilters, registryField);
      const scope = registryScope(ctx, entity);
      if (!scope) return null;
      return collectionPage(
        ctx,
        {
          scope: { orgEntityId: entity.id, visibility: scope.visibility, projectWhere },
          kinds: args.collectionTypes ?? ['PORTFOLIO'],
        },
        args,
        info,
      );
    },
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
    resolve: async (entity, args, ctx, info) => {
      const projectWhere = compileFilter(args.projectFilters, registryField);
      const collectionWhere = compileFilter(args.collectionFilters, collectionField);
      const scope = registryScope(ctx, entity);
      if (!scope) return null;
      return membershipPage(
        ctx,
        { orgEntityId: entity.id, visibility: scope.visibility, projectWhere, collectionWhere },
        args,
        { field: 'created_at', direction: 'desc' },
        info,
      );
    },
  }),
}));
