import type { Entity } from '../../db/tables.js';
import { builder, type Context } from '../../graphql/builder.js';
import { encodeId } from '../../graphql/ids.js';
import { EntityRef, OrganizationRef, UserRef } from '../../graphql/refs.js';
import { entityByName, entityLoader, organizationByName, organizationLoader } from './loaders.js';
import { inOrganization } from '../auth/access.js';
import { userOfEntity } from '../auth/service.js';

OrganizationRef.implement({
  fields: (t) => ({
    id: t.id({ resolve: (o) => encodeId('Organization', o.id) }),
    name: t.exposeString('name'),
    orgEntity: t.field({
      type: EntityRef,
      nullable: true,
      description: 'The entity that owns every registry of the organization.',
      resolve: (o, _a, ctx) => (o.org_entity_id ? entityLoader(ctx).load(o.org_entity_id) : null),
    }),
    advancedRegistryFeatures: t.field({
      type: builder.simpleObject('AdvancedRegistryFeatures', { fields: (f) => ({ advancedSearch: f.boolean() }) }),
      nullable: true,
      resolve: () => ({ advancedSearch: false }),
    }),
    featureFlags: t.field({
      type: [
        builder.simpleObject('FeatureFlag', {
          fields: (f) => ({ rampKey: f.string({ nullable: true }), isEnabled: f.boolean({ nullable: true }) }),
        }),
      ],
      nullable: { list: true, items: true },
      args: { rampIDType: t.arg({ type: builder.enumType('RampIDType', { values: ['OrgName'] as const }) }) },
      resolve: () => [],
    }),
  }),
});

EntityRef.implement({
  fields: (t) => ({
    id: t.id({ resolve: (e) => encodeId('Entity', e.id) }),
    name: t.exposeString('name'),
    entityType: t.string({ nullable: true, description: 'ORGANIZATION, TEAM or USER.', resolve: (e) => e.kind }),
    isTeam: t.boolean({ resolve: (e) => e.kind === 'TEAM' }),
    organization: t.field({
      type: OrganizationRef,
      nullable: true,
      resolve: (e, _a, ctx) => organizationLoader(ctx).load(e.organization_id),
    }),
    user: t.field({
      type: UserRef,
      nullable: true,
      description: 'The person whose own entity this is.',
      resolve: async (e, _a, ctx) => (e.kind === 'USER' ? ((await userOfEntity(ctx.db, e.id)) ?? null) : null),
    }),
  }),
});

builder.queryField('organization', (t) =>
  t.field({
    type: OrganizationRef,
    nullable: true,
    args: { name: t.arg.string() },
    resolve: async (_r, { name }, ctx) => {
      if (!ctx.viewer) return null;
      const own = await organizationLoader(ctx).get(ctx.viewer.organization_id);
      if (!name || own?.name === name) return own ?? null;
      // Its entity comes along, so later fields (orgEntity, entity.organization) cost no statement of their own.
      const found = await organizationByName(ctx, name);
      return found && inOrganization(ctx.viewer, found.id) ? found : null;
    },
  }),
);

/** The viewer's organization entity when it is the one named: read with the viewer, no statement. */
async function ownOrgEntity(ctx: Context, name: string): Promise<Entity | undefined> {
  if (!ctx.viewer) return undefined;
  const org = await organizationLoader(ctx).get(ctx.viewer.organization_id);
  const entity = org?.org_entity_id ? await entityLoader(ctx).get(org.org_entity_id) : undefined;
  return entity?.name === name ? entity : undefined;
}

builder.queryField('entity', (t) =>
  t.field({
    type: EntityRef,
    nullable: true,
    args: { name: t.arg.string() },
    resolve: async (_r, { name }, ctx) => {
      if (!ctx.viewer) return null;
      const entity = name
        ? ((await ownOrgEntity(ctx, name)) ?? (await entityByName(ctx, name)))
        : await entityLoader(ctx).load(ctx.viewer.entity_id);
      if (!entity || !inOrganization(ctx.viewer, entity.organization_id)) return null;
      entityLoader(ctx).prime(entity.id, entity);
      return entity;
    },
  }),
);

/** The features the wandb SDK checks before it uses its registry calls. */
export const SERVER_FEATURES = [
  'ARTIFACT_REGISTRY_SEARCH',
  'INCLUDE_ARTIFACT_TYPES_IN_REGISTRY_CREATION',
  'ARTIFACT_MEMBERSHIP_IN_LINK_ARTIFACT_RESPONSE',
  'PROJECT_ARTIFACT_COLLECTION_MEMBERSHIP',
  'ARTIFACT_TAGS',
] as const;

const ServerFeature = builder.simpleObject('ServerFeature', {
  fields: (f) => ({ name: f.string(), isEnabled: f.boolean() }),
});

const LocalVersionInfo = builder.simpleObject('LocalVersionInfo', {
  fields: (f) => ({ outOfDate: f.boolean(), latestVersionString: f.string(), versionOnThisInstanceString: f.string() }),
});

const VERSION = '0.1.0';

const ServerInfo = builder.objectRef<Record<string, never>>('ServerInfo').implement({
  fields: (t) => ({
    features: t.field({
      type: [ServerFeature],
      nullable: { list: true, items: true },
      resolve: () => SERVER_FEATURES.map((name) => ({ name, isEnabled: true })),
    }),
    cliVersionInfo: t.field({ type: 'JSON', nullable: true, resolve: () => ({}) }),
    latestLocalVersionInfo: t.field({
      type: LocalVersionInfo,
      nullable: true,
      resolve: () => ({ outOfDate: false, latestVersionString: VERSION, versionOnThisInstanceString: VERSION }),
    }),
  }),
});

builder.queryField('serverInfo', (t) => t.field({ type: ServerInfo, nullable: true, resolve: () => ({}) }));

// The user's entity and organization, on the user type auth defines.
builder.objectFields(UserRef, (t) => ({
  entity: t.string({
    nullable: true,
    description: "The user's default entity name.",
    resolve: async (u, _args, ctx) => (await entityLoader(ctx).load(u.entity_id))?.name ?? null,
  }),
  organizations: t.field({
    type: [OrganizationRef],
    resolve: async (u, _args, ctx) => {
      const org = await organizationLoader(ctx).load(u.organization_id);
      return org ? [org] : [];
    },
  }),
}));
