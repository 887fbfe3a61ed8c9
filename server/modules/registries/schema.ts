import { builder, connection } from '../../graphql/builder.js';
import { andThen } from '../../graphql/context-loaders.js';
import { decodeCursor, pageSize } from '../../graphql/cursor.js';
import { parseFilter, parseOrder } from '../../graphql/filters.js';
import { encodeId } from '../../graphql/ids.js';
import { ArtifactTypeRef, EntityRef, ProjectRef } from '../../graphql/refs.js';
import { canSeeProject, viewerTeamIds } from './access.js';
import {
  projectByPath,
  projectOf,
  projectPage,
  REGISTRY_ORDER_COLUMNS,
  REGISTRY_PREFIX,
  registryField,
  teamProjectField,
} from './service.js';
import { entityLoader } from '../organization/loaders.js';
import { projectLoader, registryTypesLoader } from './loaders.js';

// The ref lives in refs.ts so other modules can add fields to ArtifactType.
const ArtifactType = ArtifactTypeRef.implement({
  fields: (t) => ({
    id: t.id({ resolve: (a) => encodeId('ArtifactType', `${a.projectId}:${a.name}`) }),
    name: t.exposeString('name'),
    description: t.string({ nullable: true, resolve: () => null }),
    createdAt: t.field({ type: 'DateTime', resolve: (a) => a.createdAt }),
  }),
});

export const ArtifactTypeConnection = connection('ArtifactType', ArtifactType);
export const ProjectConnection = connection('Project', ProjectRef);

ProjectRef.implement({
  description: 'A team project, or a registry: the project `wandb-registry-<name>` of the organization entity.',
  fields: (t) => ({
    id: t.id({ resolve: (p) => encodeId('Project', p.id) }),
    internalId: t.id({
      description: 'Decodes to the integer used in {"id": N} filters.',
      resolve: (p) => encodeId('Project', p.id),
    }),
    name: t.exposeString('name'),
    displayName: t.string({
      description: 'The name people read, e.g. "Models" for the registry `model`.',
      resolve: (p) => p.display_name || (p.name.startsWith(REGISTRY_PREFIX) ? p.name.slice(REGISTRY_PREFIX.length) : p.name),
    }),
    entityName: t.string({ resolve: async (p, _a, ctx) => (await entityLoader(ctx).load(p.entity_id))?.name ?? '' }),
    entity: t.field({
      type: EntityRef,
      resolve: (p, _a, ctx) =>
        andThen(entityLoader(ctx).get(p.entity_id), (entity) => {
          if (!entity) throw new Error(`project ${p.id} has no entity`);
          return entity;
        }),
    }),
    description: t.string({ nullable: true, resolve: (p) => p.description }),
    createdAt: t.field({ type: 'DateTime', resolve: (p) => p.created_at }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => p.updated_at }),
    access: t.string({
      nullable: true,
      description: 'PRIVATE: visible to the whole organization; RESTRICTED: invited members only.',
      resolve: (p) => p.access,
    }),
    isCore: t.boolean({ description: 'The Models and Datasets registries, which cannot be deleted.', resolve: (p) => p.is_core }),
    allowAllArtifactTypesInRegistry: t.boolean({ resolve: (p) => p.allow_all_types }),
  }),
});

// Other modules' registry lists filter with the same fields.
export { registryField };

builder.objectFields(EntityRef, (t) => ({
  project: t.field({
    type: ProjectRef,
    nullable: true,
    args: { name: t.arg.string() },
    resolve: async (entity, { name }, ctx) => {
      if (!name) return null;
      const project = await projectOf(ctx.db, entity.id, name);
      return project && (await canSeeProject(ctx, project, entity)) ? project : null;
    },
  }),
  projects: t.field({
    type: ProjectConnection,
    nullable: true,
    description: "The organization entity's projects are its registries.",
    args: { filters: t.arg({ type: 'JSONString' }), after: t.arg.string(), first: t.arg.int(), order: t.arg.string() },
    resolve: async (entity, args, ctx) => {
      const viewer = ctx.viewer;
      const where = parseFilter(args.filters, entity.kind === 'ORGANIZATION' ? registryField : teamProjectField);
      const order = parseOrder(args.order, Object.keys(REGISTRY_ORDER_COLUMNS), { field: 'created_at', direction: 'asc' });
      const after = decodeCursor(args.after, order.field === 'name' ? 'text' : order.field === 'id' ? 'integer' : 'date');
      const first = pageSize(args.first);
      if (!viewer || viewer.organization_id !== entity.organization_id) return null;
      const registries = entity.kind === 'ORGANIZATION';
      if (!registries && viewer.org_role !== 'admin' && entity.id !== viewer.entity_id && !(await viewerTeamIds(ctx)).has(entity.id)) {
        return { hasNextPage: false, edges: [] };
      }
      const page = await projectPage(ctx.db, viewer, entity, { where, order, after, first });
      if (registries) for (const { projectId, types } of page.types) registryTypesLoader(ctx).prime(projectId, types);
      return page;
    },
  }),
}));

builder.queryField('project', (t) =>
  t.field({
    type: ProjectRef,
    nullable: true,
    args: { name: t.arg.string(), entityName: t.arg.string() },
    resolve: async (_r, { name, entityName }, ctx) => {
      if (!name || !entityName) return null;
      const found = await projectByPath(ctx.db, entityName, name);
      if (!found || !(await canSeeProject(ctx, found.project, found.entity))) return null;
      // Fields below (a collection's project, its owner) read no row again.
      projectLoader(ctx).prime(found.project.id, found.project);
      entityLoader(ctx).prime(found.entity.id, found.entity);
      return found.project;
    },
  }),
);
