import type { Transaction } from 'kysely';
import type { Collection, Database, Entity, Project } from '../../db/tables.js';
import { builder, type Context } from '../../graphql/builder.js';
import { userError } from '../../graphql/errors.js';
import { decodeId } from '../../graphql/ids.js';
import { ArtifactCollectionRef, TagRef, type TagShape } from '../../graphql/refs.js';
import { TAG_NAME, TagInput } from './inputs.js';
import { canSeeProject, describeLinks, requireRegistryRole } from '../registries/access.js';
import { requireViewer } from './service.js';
// eslint-disable-next-line import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write
import { findProjectWithEntityById, findProjectWithEntityByName } from '../registries/repository.js';
// eslint-disable-next-line import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write
import { findCollection } from './repository.js';
import { markDeleted } from './schema.js';

/* eslint-disable import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write */
import {
  addCollectionTags,
  collectionHasProtectedAlias,
  deletePortfolio,
  deleteSequence,
  ensurePortfolio,
  linksOf,
  registryTypeNames,
  removeCollectionTags,
  updateCollection,
} from './repository-writes.js';
/* eslint-enable import-x/no-restricted-paths */
// eslint-disable-next-line import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write
import { recordEvent } from '../events/repository.js';
// eslint-disable-next-line import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write
import { collectionsByIds } from './repository-artifacts.js';
import { validateName } from '../../graphql/names.js';
import { COLLECTION_ID_TYPES } from './inputs.js';

const MAX_TAGS = 20;

type Trx = Transaction<Database>;

/** The collection's last event: what it was, kept by value since the row is gone. */
async function recordDeleted(trx: Trx, actorId: number, located: Located): Promise<void> {
  const { collection } = located;
  await recordEvent(trx, {
    action: 'collection.deleted',
    actorId,
    project: located.project,
    collection,
    before: { name: collection.name, type: collection.type_name, description: collection.description },
  });
}
const MAX_DESCRIPTION = 100_000;

interface Located {
  collection: Collection;
  project: Project;
  entity: Entity;
}

/**
 * Checks the viewer may edit a collection: `member` in a registry; in a team project, anyone who
 * can see it (its team's members and org admins). Invisible collections are NOT_FOUND.
 */
async function requireEditable(ctx: Context, located: Located | undefined, action: string): Promise<Located & { admin: boolean }> {
  const notFound = () => userError('NOT_FOUND', 'The collection was not found.');
  if (!located) throw notFound();
  if (located.project.is_registry) {
    const role = await requireRegistryRole(ctx, located.project, located.entity, 'member', action, notFound);
    return { ...located, admin: role.role === 'admin' };
  }
  if (!(await canSeeProject(ctx, located.project, located.entity))) throw notFound();
  return { ...located, admin: ctx.viewer?.org_role === 'admin' };
}

async function locateById(ctx: Context, id: string, kind: 'SEQUENCE' | 'PORTFOLIO'): Promise<Located | undefined> {
  const [collection] = await collectionsByIds(ctx.db, [decodeId(id, ...COLLECTION_ID_TYPES)]);
  if (!collection || collection.kind !== kind) return undefined;
  const found = await findProjectWithEntityById(ctx.db, collection.project_id);
  return found && { collection, ...found };
}

async function locateByName(ctx: Context, entityName: string, projectName: string, name: string): Promise<Located | undefined> {
  const found = await findProjectWithEntityByName(ctx.db, entityName.slice(0, 300), projectName.slice(0, 300));
  const collection = found && (await findCollection(ctx.db, found.project.id, name.slice(0, 300)));
  return found && collection && { collection, ...found };
}

function checkDescription(description: string | null | undefined): string | undefined {
  if (description == null) return undefined;
  if (description.length > MAX_DESCRIPTION) {
    throw userError('BAD_USER_INPUT', `The description is longer than ${MAX_DESCRIPTION} characters.`);
  }
  return description;
}

async function checkNewName(ctx: Context, located: Located, name: string | null | undefined): Promise<string | undefined> {
  if (name == null || name === located.collection.name) return undefined;
  validateName('Collection', name);
  if (await findCollection(ctx.db, located.project.id, name)) {
    throw userError('CONFLICT', `A collection named "${name}" already exists in ${located.project.name}.`);
  }
  return name;
}

const CollectionPayload = (name: string) =>
  builder.objectRef<{ artifactCollection: Collection }>(name).implement({
    fields: (t) => ({
      artifactCollection: t.field({ type: ArtifactCollectionRef, resolve: (p) => p.artifactCollection }),
      clientMutationId: t.string({ nullable: true, resolve: () => null }),
    }),
  });
const UpdateArtifactCollectionPayload = CollectionPayload('UpdateArtifactCollectionPayload');
const DeleteArtifactCollectionPayload = CollectionPayload('DeleteArtifactCollectionPayload');
const MoveArtifactCollectionPayload = CollectionPayload('MoveArtifactCollectionPayload');
const CreateArtifactPortfolioPayload = CollectionPayload('CreateArtifactPortfolioPayload');

async function updateResolver(
  ctx: Context,
  kind: 'SEQUENCE' | 'PORTFOLIO',
  id: string,
  input: { name?: string | null; description?: string | null },
): Promise<{ artifactCollection: Collection }> {
  const viewer = requireViewer(ctx);
  const located = await requireEditable(ctx, await locateById(ctx, id, kind), 'edit collections');
  const description = checkDescription(input.description);
  const name = await checkNewName(ctx, located, input.name);
  if (name === undefined && description === undefined) return { artifactCollection: located.collection };
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const row = await updateCollection(trx, located.collection.id, { name, description });
    const was = located.collection;
    await recordEvent(trx, {
      action: 'collection.updated',
      actorId: viewer.id,
      project: located.project,
      collection: row,
      before: { ...(name !== undefined ? { name: was.name } : {}), ...(description !== undefined ? { description: was.description } : {}) },
      after: { ...(name !== undefined ? { name } : {}), ...(description !== undefined ? { description } : {}) },
    });
    return row;
  });
  return { artifactCollection: updated };
}

const UpdateArtifactSequenceInput = builder.inputType('UpdateArtifactSequenceInput', {
  fields: (t) => ({
    artifactSequenceID: t.id({ required: true }),
    name: t.string(),
    description: t.string(),
    clientMutationId: t.string(),
  }),
});
const UpdateArtifactPortfolioInput = builder.inputType('UpdateArtifactPortfolioInput', {
  fields: (t) => ({
    artifactPortfolioID: t.id({ required: true }),
    name: t.string(),
    description: t.string(),
    clientMutationId: t.string(),
  }),
});

builder.mutationField('updateArtifactSequence', (t) =>
  t.field({
    type: UpdateArtifactCollectionPayload,
    nullable: true,
    description: 'Renames a team project collection or changes its description.',
    args: { input: t.arg({ type: UpdateArtifactSequenceInput, required: true }) },
    resolve: (_root, { input }, ctx) => updateResolver(ctx, 'SEQUENCE', input.artifactSequenceID, input),
  }),
);

builder.mutationField('updateArtifactPortfolio', (t) =>
  t.field({
    type: UpdateArtifactCollectionPayload,
    nullable: true,
    description: 'Renames a registry collection or changes its description (the model card). Needs member in the registry.',
    args: { input: t.arg({ type: UpdateArtifactPortfolioInput, required: true }) },
    resolve: (_root, { input }, ctx) => updateResolver(ctx, 'PORTFOLIO', input.artifactPortfolioID, input),
  }),
);

const MoveArtifactSequenceInput = builder.inputType('MoveArtifactSequenceInput', {
  fields: (t) => ({
    artifactSequenceID: t.id({ required: true }),
    destinationArtifactTypeName: t.string({ required: true }),
    clientMutationId: t.string(),
  }),
});

builder.mutationField('moveArtifactSequence', (t) =>
  t.field({
    type: MoveArtifactCollectionPayload,
    nullable: true,
    description: "Changes a team project collection's type. Refused while any of its versions is linked into a registry.",
    args: { input: t.arg({ type: MoveArtifactSequenceInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const viewer = requireViewer(ctx);
      const located = await requireEditable(ctx, await locateById(ctx, input.artifactSequenceID, 'SEQUENCE'), 'edit collections');
      const typeName = validateName('Artifact type', input.destinationArtifactTypeName);
      if (typeName === located.collection.type_name) return { artifactCollection: located.collection };
      const links = await linksOf(ctx.db, located.collection.id);
      if (links.length > 0) {
        throw userError(
          'CONFLICT',
          `Its versions are linked as ${await describeLinks(ctx, links)}: a linked version keeps its type. Unlink them first.`,
        );
      }
      const updated = await ctx.db.transaction().execute(async (trx) => {
        const row = await updateCollection(trx, located.collection.id, { type_name: typeName });
        await recordEvent(trx, {
          action: 'collection.updated',
          actorId: viewer.id,
          project: located.project,
          collection: row,
          before: { type: located.collection.type_name },
          after: { type: typeName },
        });
        return row;
      });
      return { artifactCollection: updated };
    },
  }),
);

const DeleteArtifactSequenceInput = builder.inputType('DeleteArtifactSequenceInput', {
  fields: (t) => ({ artifactSequenceID: t.id({ required: true }), clientMutationId: t.string() }),
});
const DeleteArtifactPortfolioInput = builder.inputType('DeleteArtifactPortfolioInput', {
  fields: (t) => ({ artifactPortfolioID: t.id({ required: true }), clientMutationId: t.string() }),
});

builder.mutationField('deleteArtifactSequence', (t) =>
  t.field({
    type: DeleteArtifactCollectionPayload,
    nullable: true,
    description:
      'Deletes a team project collection and its versions. Refused (CONFLICT, with the list) while any version is linked into a registry.',
    args: { input: t.arg({ type: DeleteArtifactSequenceInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const viewer = requireViewer(ctx);
      const located = await requireEditable(ctx, await locateById(ctx, input.artifactSequenceID, 'SEQUENCE'), 'delete collections');
      const links = await linksOf(ctx.db, located.collection.id);
      if (links.length > 0) {
        throw userError(
          'CONFLICT',
          `Its versions are linked as ${await describeLinks(ctx, links)}. Unlink them (or delete those collections) first.`,
        );
      }
      await ctx.db.transaction().execute(async (trx) => {
        await deleteSequence(trx, located.collection.id);
        await recordDeleted(trx, viewer.id, located);
      });
      return { artifactCollection: markDeleted(located.collection) };
    },
  }),
);

builder.mutationField('deleteArtifactPortfolio', (t) =>
  t.field({
    type: DeleteArtifactCollectionPayload,
    nullable: true,
    description:
      'Deletes a registry collection with its links and aliases; source versions stay. Needs registry admin while it holds a protected alias.',
    args: { input: t.arg({ type: DeleteArtifactPortfolioInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const viewer = requireViewer(ctx);
      const located = await requireEditable(ctx, await locateById(ctx, input.artifactPortfolioID, 'PORTFOLIO'), 'delete collections');
      if (!located.admin) {
        const alias = await collectionHasProtectedAlias(ctx.db, located.collection.id, located.project.id);
        if (alias) {
          throw userError(
            'FORBIDDEN',
            `Collection "${located.collection.name}" holds the protected alias "${alias}": only a registry admin may delete it.`,
          );
        }
      }
      await ctx.db.transaction().execute(async (trx) => {
        await deletePortfolio(trx, located.collection.id);
        await recordDeleted(trx, viewer.id, located);
      });
      return { artifactCollection: markDeleted(located.collection) };
    },
  }),
);

function checkTags(tags: readonly { tagName: string }[]): string[] {
  if (tags.length > MAX_TAGS) throw userError('BAD_USER_INPUT', `Give at most ${MAX_TAGS} tags at once.`);
  const names = new Set<string>();
  for (const { tagName } of tags) {
    if (tagName.length < 1 || tagName.length > 128 || !TAG_NAME.test(tagName)) {
      throw userError(
        'BAD_USER_INPUT',
        `Tag "${tagName.slice(0, 140)}" is not valid: use 1-128 letters, digits, "-", "_" or inner spaces.`,
      );
    }
    names.add(tagName);
  }
  return [...names];
}

const TagAssignmentsInput = (name: string) =>
  builder.inputType(name, {
    fields: (t) => ({
      artifactCollectionName: t.string({ required: true }),
      entityName: t.string({ required: true }),
      projectName: t.string({ required: true }),
      tags: t.field({ type: [TagInput], required: true }),
      clientMutationID: t.string(),
    }),
  });

builder.mutationField('createArtifactCollectionTagAssignments', (t) =>
  t.field({
    type: builder.objectRef<{ tags: TagShape[]; collection: Collection }>('CreateArtifactCollectionTagAssignmentsPayload').implement({
      fields: (f) => ({
        tags: f.field({ type: [TagRef], resolve: (p) => p.tags }),
        artifactCollection: f.field({
          type: ArtifactCollectionRef,
          description: 'The collection with its tags now.',
          resolve: (p) => p.collection,
        }),
      }),
    }),
    nullable: true,
    description: 'Adds tags to a collection (at most 20 at once).',
    args: { input: t.arg({ type: TagAssignmentsInput('CreateArtifactCollectionTagAssignmentsInput'), required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const viewer = requireViewer(ctx);
      const tags = checkTags(input.tags);
      const located = await requireEditable(
        ctx,
        await locateByName(ctx, input.entityName, input.projectName, input.artifactCollectionName),
        'edit tags',
      );
      await ctx.db.transaction().execute(async (trx) => {
        const added = await addCollectionTags(trx, located.collection.id, tags);
        for (const tag of added) {
          await recordEvent(trx, {
            action: 'collection.tag_added',
            actorId: viewer.id,
            project: located.project,
            collection: located.collection,
            after: { tag },
          });
        }
      });
      return { tags: tags.map((name) => ({ name })), collection: located.collection };
    },
  }),
);

builder.mutationField('deleteArtifactCollectionTagAssignments', (t) =>
  t.field({
    type: builder.objectRef<{ success: boolean; collection: Collection }>('DeleteArtifactCollectionTagAssignmentsPayload').implement({
      fields: (f) => ({
        success: f.exposeBoolean('success'),
        artifactCollection: f.field({
          type: ArtifactCollectionRef,
          description: 'The collection with its tags now.',
          resolve: (p) => p.collection,
        }),
      }),
    }),
    nullable: true,
    description: 'Removes tags from a collection.',
    args: { input: t.arg({ type: TagAssignmentsInput('DeleteArtifactCollectionTagAssignmentsInput'), required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const viewer = requireViewer(ctx);
      const tags = checkTags(input.tags);
      const located = await requireEditable(
        ctx,
        await locateByName(ctx, input.entityName, input.projectName, input.artifactCollectionName),
        'edit tags',
      );
      await ctx.db.transaction().execute(async (trx) => {
        const removed = await removeCollectionTags(trx, located.collection.id, tags);
        for (const tag of removed) {
          await recordEvent(trx, {
            action: 'collection.tag_removed',
            actorId: viewer.id,
            project: located.project,
            collection: located.collection,
            before: { tag },
          });
        }
      });
      return { success: true, collection: located.collection };
    },
  }),
);

const CreateArtifactPortfolioInput = builder.inputType('CreateArtifactPortfolioInput', {
  fields: (t) => ({
    projectId: t.id({ required: true, description: 'The registry (its Project id).' }),
    name: t.string({ required: true }),
    type: t.string({ required: true, description: 'The artifact type of every version it will hold; fixed at creation.' }),
    description: t.string(),
    tags: t.stringList(),
    clientMutationId: t.string(),
  }),
});

builder.mutationField('createArtifactPortfolio', (t) =>
  t.field({
    type: CreateArtifactPortfolioPayload,
    nullable: true,
    description: 'Creates an empty registry collection (the web app\'s "Create collection"). Needs member in the registry.',
    args: { input: t.arg({ type: CreateArtifactPortfolioInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const viewer = requireViewer(ctx);
      const found = await findProjectWithEntityById(ctx.db, decodeId(input.projectId, 'Project'));
      const notFound = () => userError('NOT_FOUND', 'The registry was not found.');
      if (!found || !found.project.is_registry) throw notFound();
      await requireRegistryRole(ctx, found.project, found.entity, 'member', 'create collections', notFound);
      const name = validateName('Collection', input.name);
      const typeName = validateName('Artifact type', input.type);
      const description = checkDescription(input.description) ?? '';
      const tags = checkTags((input.tags ?? []).map((tagName) => ({ tagName })));
      if (!found.project.allow_all_types) {
        const allowed = await registryTypeNames(ctx.db, found.project.id);
        if (!allowed.includes(typeName)) {
          throw userError(
            'BAD_USER_INPUT',
            `This registry accepts ${allowed.length ? allowed.map((a) => `"${a}"`).join(', ') : 'no types yet'}; "${typeName}" is not one of them.`,
          );
        }
      }
      if (await findCollection(ctx.db, found.project.id, name)) {
        throw userError('CONFLICT', `A collection named "${name}" already exists in this registry.`);
      }
      const collection = await ctx.db.transaction().execute(async (trx) => {
        const { collection: row, created } = await ensurePortfolio(trx, {
          projectId: found.project.id,
          name,
          typeName,
          description,
          userId: viewer.id,
        });
        if (!created) throw userError('CONFLICT', `A collection named "${name}" already exists in this registry.`);
        const added = await addCollectionTags(trx, row.id, tags);
        await recordEvent(trx, {
          action: 'collection.created',
          actorId: viewer.id,
          project: found.project,
          collection: row,
          after: { name, type: typeName, description, tags: added },
        });
        return row;
      });
      return { artifactCollection: collection };
    },
  }),
);
