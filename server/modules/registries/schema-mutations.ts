import type { Entity, ProjectAccess } from '../../db/tables.js';
import { builder, type Context } from '../../graphql/builder.js';
import { userError } from '../../graphql/errors.js';
import { decodeId } from '../../graphql/ids.js';
import { ProjectRef } from '../../graphql/refs.js';
import { viewerAccess } from './access.js';
import { deleteRegistryById, renameRegistryProject, REGISTRY_PREFIX, upsertRegistry } from './service.js';
import { entityByName, entityLoader, organizationLoader } from '../organization/loaders.js';
import { registryTypesLoader } from './loaders.js';
import { validateName } from '../../graphql/names.js';

const MAX_PROJECT_NAME = 128;
const MAX_DESCRIPTION = 20_000;
const ACCESS: readonly ProjectAccess[] = ['PRIVATE', 'RESTRICTED'];

function requireViewer(ctx: Context, action: string) {
  if (!ctx.viewer) throw userError('UNAUTHENTICATED', `Sign in to ${action}.`);
  return ctx.viewer;
}

/** `wandb-registry-<name>` with a valid name part, at most 128 characters in all. */
export function registryProjectName(full: string): string {
  if (!full.startsWith(REGISTRY_PREFIX)) {
    throw userError(
      'BAD_USER_INPUT',
      `Registry project names start with "${REGISTRY_PREFIX}", e.g. "${REGISTRY_PREFIX}my-models"; got "${full.slice(0, 80)}".`,
    );
  }
  validateName('Registry', full.slice(REGISTRY_PREFIX.length));
  if (full.length > MAX_PROJECT_NAME) {
    throw userError(
      'BAD_USER_INPUT',
      `Registry name is too long: "${REGISTRY_PREFIX}<name>" may have at most ${MAX_PROJECT_NAME} characters, so the name at most ${MAX_PROJECT_NAME - REGISTRY_PREFIX.length}.`,
    );
  }
  return full;
}

/** The organization entity the registry mutation targets: the one named, or the viewer's. */
async function orgEntity(ctx: Context, entityName: string | null | undefined): Promise<Entity> {
  const viewer = requireViewer(ctx, 'manage registries');
  const org = await organizationLoader(ctx).load(viewer.organization_id);
  const entity = entityName
    ? await entityByName(ctx, entityName)
    : org?.org_entity_id
      ? await entityLoader(ctx).load(org.org_entity_id)
      : undefined;
  if (!entity || entity.organization_id !== viewer.organization_id) {
    throw userError('NOT_FOUND', `Entity "${(entityName ?? '').slice(0, 80)}" was not found.`);
  }
  if (entity.kind !== 'ORGANIZATION') {
    throw userError('BAD_USER_INPUT', `Registries belong to the organization entity "${org?.name ?? ''}", not to "${entity.name}".`);
  }
  return entity;
}

function parseAccess(value: string | null | undefined): ProjectAccess | undefined {
  if (value == null) return undefined;
  if (!(ACCESS as readonly string[]).includes(value)) {
    throw userError(
      'BAD_USER_INPUT',
      `access "${value.slice(0, 40)}" is not valid: use PRIVATE (whole organization) or RESTRICTED (invited members only).`,
    );
  }
  return value as ProjectAccess;
}

function parseDescription(value: string | null | undefined): string | undefined {
  if (value == null) return undefined;
  if (value.length > MAX_DESCRIPTION) throw userError('BAD_USER_INPUT', `The description is longer than ${MAX_DESCRIPTION} characters.`);
  return value;
}

function parseTypes(types: readonly { name: string }[] | null | undefined): string[] {
  const names = (types ?? []).map((t) => validateName('Artifact type', t.name));
  if (names.length > 100) throw userError('BAD_USER_INPUT', 'At most 100 artifact types can be added at once.');
  return [...new Set(names)];
}

const ArtifactTypeInput = builder.inputType('ArtifactTypeInput', {
  fields: (t) => ({ name: t.string({ required: true }), description: t.string({ required: false }) }),
});

const UpsertModelInput = builder.inputType('UpsertModelInput', {
  description: 'Creates a registry (the project `wandb-registry-<name>` of the organization entity) or updates it.',
  fields: (t) => ({
    name: t.string({ required: false, description: '`wandb-registry-<name>`, at most 128 characters.' }),
    entityName: t.string({ required: false, description: "The organization entity's name (default: the viewer's organization)." }),
    id: t.string({ required: false, description: 'Accepted for compatibility; the registry is found by name.' }),
    description: t.string({ required: false }),
    access: t.string({
      required: false,
      description: 'PRIVATE (organization) or RESTRICTED (invited members). It can only go PRIVATE → RESTRICTED.',
    }),
    allowAllArtifactTypesInRegistry: t.boolean({ required: false }),
    artifactTypes: t.field({
      type: [ArtifactTypeInput],
      required: false,
      description: 'Types to add; saved types are never removed.',
    }),
    createOnly: t.boolean({
      required: false,
      description:
        'When true, only create: a registry of that name (in any letter case) is a CONFLICT error instead of an update. ' +
        'The SDK never sends it (its create path asks FetchRegistry first); the web app\'s "Create registry" does.',
    }),
    updateOnly: t.boolean({
      required: false,
      description:
        'When true, only update: a registry that does not exist (deleted meanwhile, say) is NOT_FOUND instead of being created. ' +
        "The web app's settings page sends it.",
    }),
    clientMutationId: t.string({ required: false }),
  }),
});

const UpsertModelPayload = builder.simpleObject('UpsertModelPayload', {
  fields: (f) => ({
    inserted: f.boolean({ nullable: true, description: 'True when the registry was created, false when updated.' }),
    project: f.field({ type: ProjectRef, nullable: true }),
  }),
});

builder.mutationField('upsertModel', (t) =>
  t.field({
    type: UpsertModelPayload,
    nullable: true,
    description:
      'Creates the registry `name` when it does not exist (org role member or admin), else updates it (registry admin). ' +
      'Pass createOnly: true to refuse an existing name with CONFLICT.',
    args: { input: t.arg({ type: UpsertModelInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const viewer = requireViewer(ctx, 'create or change a registry');
      if (input.name == null) throw userError('BAD_USER_INPUT', 'Give the registry name, e.g. "wandb-registry-my-models".');
      const name = registryProjectName(input.name);
      const entity = await orgEntity(ctx, input.entityName);
      const access = parseAccess(input.access);
      const description = parseDescription(input.description);
      const types = parseTypes(input.artifactTypes);
      const allowAll = input.allowAllArtifactTypesInRegistry ?? undefined;

      const result = await upsertRegistry(ctx.db, viewer, viewerAccess(ctx), entity, {
        name,
        typed: input.name,
        access,
        description,
        types,
        allowAll,
        createOnly: input.createOnly ?? false,
        updateOnly: input.updateOnly ?? false,
      });
      if (!result.inserted) registryTypesLoader(ctx).clear(result.project.id);
      return result;
    },
  }),
);

const RenameProjectInput = builder.inputType('RenameProjectInput', {
  fields: (t) => ({
    entityName: t.string({ required: true }),
    oldProjectName: t.string({ required: true }),
    newProjectName: t.string({ required: true, description: '`wandb-registry-<new name>` for a registry.' }),
    clientMutationId: t.string({ required: false }),
  }),
});

builder.mutationField('renameProject', (t) =>
  t.field({
    type: UpsertModelPayload,
    nullable: true,
    description: 'Renames a registry (registry admin). Core registries keep their names.',
    args: { input: t.arg({ type: RenameProjectInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const entity = await orgEntity(ctx, input.entityName);
      const newName = registryProjectName(input.newProjectName);
      const viewer = requireViewer(ctx, 'rename a registry');
      const project = await renameRegistryProject(ctx.db, viewer, viewerAccess(ctx), entity, input.oldProjectName, newName);
      return { inserted: false, project };
    },
  }),
);

builder.mutationField('deleteModel', (t) =>
  t.field({
    type: builder.simpleObject('DeleteModelPayload', { fields: (f) => ({ success: f.boolean({ nullable: true }) }) }),
    nullable: true,
    description:
      'Deletes a registry (registry admin) with its collections, linked versions, aliases and members. ' +
      'The source versions stay in their projects. Core registries cannot be deleted.',
    args: {
      input: t.arg({
        type: builder.inputType('DeleteModelInput', {
          fields: (f) => ({ id: f.string({ required: true, description: "The registry's Project id." }) }),
        }),
        required: true,
      }),
    },
    resolve: async (_r, { input }, ctx) => {
      const viewer = requireViewer(ctx, 'delete a registry');
      const id = decodeId(input.id, 'Project');
      await deleteRegistryById(ctx.db, viewer, viewerAccess(ctx), id);
      return { success: true };
    },
  }),
);
