import type { Transaction } from 'kysely';
import type { Collection, CollectionKind, Database, Entity, Project, User } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { userError } from '../../graphql/errors.js';
import { decodeId } from '../../graphql/ids.js';
import { validateName, validateNewCollectionName, validateTag } from '../../graphql/names.js';
import { recordEvent } from '../events/repository.js';
import { canSeeProject, describeLinks, requireRegistryRole } from '../registries/access.js';
import { findProjectWithEntityById, findProjectWithEntityByName } from '../registries/repository.js';
import { COLLECTION_ID_TYPES } from './inputs.js';
import { findCollection } from './repository.js';
import { collectionsByIds } from './repository-artifacts.js';
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
import { requireViewer } from './service.js';

// Changes of a collection itself: its name, description, type and tags, its creation and deletion.
// Each edit goes one way (changeCollection): locate, authorize, check, then one transaction with its events.

type Trx = Transaction<Database>;

const MAX_TAGS = 20;
const MAX_DESCRIPTION = 100_000;

/** A collection by id (of the kind the mutation is for), or by entity, project and collection name. */
export type CollectionRef =
  { id: string; kind: CollectionKind } | { entityName: string; projectName: string; artifactCollectionName: string };

interface Located {
  collection: Collection;
  project: Project;
  entity: Entity;
}

/** A collection the viewer may edit: `admin` when they may also touch its protected aliases. */
interface Editable extends Located {
  admin: boolean;
  viewer: User;
}

/** What an edit writes once its checks pass: nothing (`unchanged` is the answer), or one transaction. */
type Change<T> = { unchanged: T } | { write: (trx: Trx) => Promise<T> };

async function locateById(ctx: Context, id: string, kind: CollectionKind): Promise<Located | undefined> {
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

function locate(ctx: Context, ref: CollectionRef): Promise<Located | undefined> {
  if ('id' in ref) return locateById(ctx, ref.id, ref.kind);
  return locateByName(ctx, ref.entityName, ref.projectName, ref.artifactCollectionName);
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

/**
 * The one way a collection is edited: locate it, check the viewer may `action` it, let `plan` check
 * the request against it (reads and refusals, nothing written), then write in one transaction.
 */
async function changeCollection<T>(
  ctx: Context,
  viewer: User,
  ref: CollectionRef,
  action: string,
  plan: (target: Editable) => Change<T> | Promise<Change<T>>,
): Promise<T> {
  const located = await requireEditable(ctx, await locate(ctx, ref), action);
  const change = await plan({ ...located, viewer });
  if ('unchanged' in change) return change.unchanged;
  return ctx.db.transaction().execute(change.write);
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
  if (located.project.is_registry) validateNewCollectionName(name);
  else validateName('Collection', name);
  if (await findCollection(ctx.db, located.project.id, name)) {
    throw userError('CONFLICT', `A collection named "${name}" already exists in ${located.project.name}.`);
  }
  return name;
}

/** Valid, de-duplicated tag names; at most MAX_TAGS at once. */
function checkTags(tags: readonly string[]): string[] {
  if (tags.length > MAX_TAGS) throw userError('BAD_USER_INPUT', `Give at most ${MAX_TAGS} tags at once.`);
  const names = new Set<string>();
  for (const tagName of tags) {
    validateTag(tagName);
    names.add(tagName);
  }
  return [...names];
}

/** Renames a collection or changes its description (the model card, in a registry). */
export async function editCollection(
  ctx: Context,
  ref: { id: string; kind: CollectionKind },
  input: { name?: string | null; description?: string | null },
): Promise<Collection> {
  const viewer = requireViewer(ctx);
  return changeCollection<Collection>(ctx, viewer, ref, 'edit collections', async (target) => {
    const description = checkDescription(input.description);
    const name = await checkNewName(ctx, target, input.name);
    if (name === undefined && description === undefined) return { unchanged: target.collection };
    return {
      write: async (trx) => {
        const row = await updateCollection(trx, target.collection.id, { name, description });
        const was = target.collection;
        await recordEvent(trx, {
          action: 'collection.updated',
          actorId: viewer.id,
          project: target.project,
          collection: row,
          before: {
            ...(name !== undefined ? { name: was.name } : {}),
            ...(description !== undefined ? { description: was.description } : {}),
          },
          after: { ...(name !== undefined ? { name } : {}), ...(description !== undefined ? { description } : {}) },
        });
        return row;
      },
    };
  });
}

/** Refuses to change a team project collection while any of its versions is linked into a registry. */
async function requireUnlinked(ctx: Context, sequence: Collection, why: string): Promise<void> {
  const links = await linksOf(ctx.db, sequence.id);
  if (links.length > 0) throw userError('CONFLICT', `Its versions are linked as ${await describeLinks(ctx, links)}${why}`);
}

/** Changes a team project collection's type; a linked version keeps its type, so none may be linked. */
export async function retypeSequence(ctx: Context, id: string, destinationTypeName: string): Promise<Collection> {
  const viewer = requireViewer(ctx);
  return changeCollection<Collection>(ctx, viewer, { id, kind: 'SEQUENCE' }, 'edit collections', async (target) => {
    const typeName = validateName('Artifact type', destinationTypeName);
    if (typeName === target.collection.type_name) return { unchanged: target.collection };
    await requireUnlinked(ctx, target.collection, ': a linked version keeps its type. Unlink them first.');
    return {
      write: async (trx) => {
        const row = await updateCollection(trx, target.collection.id, { type_name: typeName });
        await recordEvent(trx, {
          action: 'collection.updated',
          actorId: viewer.id,
          project: target.project,
          collection: row,
          before: { type: target.collection.type_name },
          after: { type: typeName },
        });
        return row;
      },
    };
  });
}

/** The collection's last event: what it was, kept by value since the row is gone. */
async function recordDeleted(trx: Trx, target: Editable): Promise<void> {
  const { collection } = target;
  await recordEvent(trx, {
    action: 'collection.deleted',
    actorId: target.viewer.id,
    project: target.project,
    collection,
    before: { name: collection.name, type: collection.type_name, description: collection.description },
  });
}

/** Deletes a team project collection and its versions; refused while any version is linked into a registry. */
export async function deleteSequenceCollection(ctx: Context, id: string): Promise<Collection> {
  const viewer = requireViewer(ctx);
  return changeCollection(ctx, viewer, { id, kind: 'SEQUENCE' }, 'delete collections', async (target) => {
    await requireUnlinked(ctx, target.collection, '. Unlink them (or delete those collections) first.');
    return {
      write: async (trx) => {
        await deleteSequence(trx, target.collection.id);
        await recordDeleted(trx, target);
        return target.collection;
      },
    };
  });
}

/** Deletes a registry collection with its links and aliases; only its admins while it holds a protected alias. */
export async function deletePortfolioCollection(ctx: Context, id: string): Promise<Collection> {
  const viewer = requireViewer(ctx);
  return changeCollection(ctx, viewer, { id, kind: 'PORTFOLIO' }, 'delete collections', async (target) => {
    if (!target.admin) {
      const alias = await collectionHasProtectedAlias(ctx.db, target.collection.id, target.project.id);
      if (alias) {
        throw userError(
          'FORBIDDEN',
          `Collection "${target.collection.name}" holds the protected alias "${alias}": only a registry admin may delete it.`,
        );
      }
    }
    return {
      write: async (trx) => {
        await deletePortfolio(trx, target.collection.id);
        await recordDeleted(trx, target);
        return target.collection;
      },
    };
  });
}

/** Adds tags to a collection (an event per tag it did not have); returns the collection and the tags given. */
export async function tagCollection(
  ctx: Context,
  ref: CollectionRef,
  tagNames: readonly string[],
): Promise<{ collection: Collection; tags: string[] }> {
  const viewer = requireViewer(ctx);
  const tags = checkTags(tagNames);
  return changeCollection(ctx, viewer, ref, 'edit tags', (target) => ({
    write: async (trx) => {
      for (const tag of await addCollectionTags(trx, target.collection.id, tags)) {
        await recordEvent(trx, {
          action: 'collection.tag_added',
          actorId: viewer.id,
          project: target.project,
          collection: target.collection,
          after: { tag },
        });
      }
      return { collection: target.collection, tags };
    },
  }));
}

/** Removes tags from a collection (an event per tag it had). */
export async function untagCollection(ctx: Context, ref: CollectionRef, tagNames: readonly string[]): Promise<Collection> {
  const viewer = requireViewer(ctx);
  const tags = checkTags(tagNames);
  return changeCollection(ctx, viewer, ref, 'edit tags', (target) => ({
    write: async (trx) => {
      for (const tag of await removeCollectionTags(trx, target.collection.id, tags)) {
        await recordEvent(trx, {
          action: 'collection.tag_removed',
          actorId: viewer.id,
          project: target.project,
          collection: target.collection,
          before: { tag },
        });
      }
      return target.collection;
    },
  }));
}

/** Refuses a type the registry does not accept (unless it accepts every type). */
async function requireAcceptedType(ctx: Context, registry: Project, typeName: string): Promise<void> {
  if (registry.allow_all_types) return;
  const allowed = await registryTypeNames(ctx.db, registry.id);
  if (!allowed.includes(typeName)) {
    throw userError(
      'BAD_USER_INPUT',
      `This registry accepts ${allowed.length ? allowed.map((a) => `"${a}"`).join(', ') : 'no types yet'}; "${typeName}" is not one of them.`,
    );
  }
}

/** Creates an empty registry collection of one type, with a description and tags. Needs member in the registry. */
export async function createPortfolio(
  ctx: Context,
  input: { projectId: string; name: string; type: string; description?: string | null; tags?: readonly string[] | null },
): Promise<Collection> {
  const viewer = requireViewer(ctx);
  const found = await findProjectWithEntityById(ctx.db, decodeId(input.projectId, 'Project'));
  const notFound = () => userError('NOT_FOUND', 'The registry was not found.');
  if (!found || !found.project.is_registry) throw notFound();
  const registry = found.project;
  await requireRegistryRole(ctx, registry, found.entity, 'member', 'create collections', notFound);
  const name = validateNewCollectionName(input.name);
  const typeName = validateName('Artifact type', input.type);
  const description = checkDescription(input.description) ?? '';
  const tags = checkTags(input.tags ?? []);
  await requireAcceptedType(ctx, registry, typeName);
  const taken = () => userError('CONFLICT', `A collection named "${name}" already exists in this registry.`);
  if (await findCollection(ctx.db, registry.id, name)) throw taken();
  return ctx.db.transaction().execute(async (trx) => {
    const { collection, created } = await ensurePortfolio(trx, { projectId: registry.id, name, typeName, description, userId: viewer.id });
    if (!created) throw taken();
    const added = await addCollectionTags(trx, collection.id, tags);
    await recordEvent(trx, {
      action: 'collection.created',
      actorId: viewer.id,
      project: registry,
      collection,
      after: { name, type: typeName, description, tags: added },
    });
    return collection;
  });
}
