// The life of a logged version: created (pending), committed, used by runs, changed, deleted. Each
// change is one transaction with its event rows.
import { isDeepStrictEqual } from 'node:util';
import type { Artifact } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { isForeignKeyViolation } from '../../db/errors.js';
import { userError } from '../../graphql/errors.js';
import { decodeId } from '../../graphql/ids.js';
import { checkRunName, validateName } from '../../graphql/names.js';
import { recordEvent } from '../events/repository.js';
import { checkProjectName, describeLinks, requireWritableEntity, type RegistryLink } from '../registries/access.js';
import { ensureProject, findProject } from '../registries/repository.js';
import { putAlias, recordAliasesGone, recordAliasPut, type EventScope } from '../collections/service.js';
import { forgetArtifactRows, loadArtifact } from '../collections/loaders.js';
import { findCollection } from '../collections/repository.js';
import { aliasesOfArtifacts, tagsByArtifactIds } from '../collections/repository-artifacts.js';
import { appendVersion, restoreLatest } from '../collections/repository-versions.js';
import { artifactAccess, requireArtifactWrite, requireFieldChange, requireTagChange } from './access.js';
import { bindReusableFiles } from './content.js';
import {
  deleteArtifactRows,
  ensureSequence,
  findCommittedByDigest,
  insertArtifact,
  linksOfArtifact,
  lockArtifact,
  markCommitted,
  placesOfVersion,
  replaceArtifactTags,
  updateArtifactFields,
} from './repository.js';
import { missingFiles, retireUploadTokens } from './repository-files.js';
import { findRun, recordRunInput, upsertRun } from './repository-runs.js';
import { pendingArtifact } from './service-files.js';
import { receiveDirectUploads } from './service-direct.js';
import { checkAliases, checkDescription, checkTags, checkTtl, collectionNameOf, parseMetadata } from './service-inputs.js';

// ---- create

export interface CreateArtifactInput {
  entityName: string;
  projectName: string;
  runName?: string | null;
  artifactTypeName: string;
  artifactCollectionName?: string | null;
  artifactCollectionNames?: readonly string[] | null;
  digest: string;
  description?: string | null;
  metadata?: string | null;
  aliases?: readonly { alias: string }[] | null;
  tags?: readonly { tagName: string }[] | null;
  ttlDurationSeconds?: number | null;
  historyStep?: number | null;
  enableDigestDeduplication?: boolean | null;
  clientID?: string | null;
}

/**
 * Starts a version (PENDING) in a team project, creating the project, its collection and the run
 * when missing. With enableDigestDeduplication, an existing committed version with the same digest
 * is returned instead. Everything is checked before anything is written.
 */
export async function createArtifact(ctx: Context, input: CreateArtifactInput): Promise<Artifact> {
  const viewer = ctx.viewer;
  const entity = await requireWritableEntity(ctx, input.entityName);
  if (!viewer) throw userError('UNAUTHENTICATED', 'Sign in to log artifacts.');
  const projectName = checkProjectName(input.projectName);
  const collectionName = collectionNameOf(input);
  const typeName = validateName('Artifact type', input.artifactTypeName);
  if (!/^[0-9a-f]{32}$/.test(input.digest))
    throw userError('BAD_USER_INPUT', 'digest must be the 32-character hex MD5 of the manifest (see logging-inputs.md).');
  const metadata = parseMetadata(input.metadata);
  const description = checkDescription(input.description);
  const aliases = checkAliases(input.aliases).filter((a) => a !== 'latest');
  const tags = checkTags(input.tags);
  const ttl = checkTtl(input.ttlDurationSeconds);
  const runName = input.runName ? checkRunName(input.runName) : null;
  if (input.clientID != null && input.clientID.length > 128) throw userError('BAD_USER_INPUT', 'clientID is longer than 128 characters.');

  const existingProject = await findProject(ctx.db, entity.id, projectName);
  const existing = existingProject ? await findCollection(ctx.db, existingProject.id, collectionName) : undefined;
  if (existing && existing.kind !== 'SEQUENCE')
    throw userError('BAD_USER_INPUT', `"${collectionName}" is not an artifact collection of this project.`);
  if (existing && existing.type_name !== typeName) {
    throw userError(
      'BAD_USER_INPUT',
      `Artifact "${collectionName}" holds type "${existing.type_name}", not "${typeName}": log it with type "${existing.type_name}" or use another name.`,
    );
  }
  if (existing && input.enableDigestDeduplication) {
    const same = await findCommittedByDigest(ctx.db, existing.id, input.digest);
    if (same) return same;
  }
  return ctx.db.transaction().execute(async (trx) => {
    const project = await ensureProject(trx, entity.id, projectName);
    const { collection: sequence, created: newSequence } = await ensureSequence(trx, {
      projectId: project.id,
      name: collectionName,
      typeName,
      userId: viewer.id,
    });
    if (sequence.type_name !== typeName) {
      throw userError('BAD_USER_INPUT', `Artifact "${collectionName}" holds type "${sequence.type_name}", not "${typeName}".`);
    }
    if (newSequence) {
      await recordEvent(trx, {
        action: 'collection.created',
        actorId: viewer.id,
        project,
        collection: sequence,
        after: { name: sequence.name, type: typeName },
      });
    }
    const run = runName ? (await upsertRun(trx, { projectId: project.id, name: runName, displayName: null, userId: viewer.id })).run : null;
    const created = await insertArtifact(trx, {
      sequenceId: sequence.id,
      digest: input.digest,
      description,
      metadata,
      clientId: input.clientID ?? null,
      runId: run?.id ?? null,
      userId: viewer.id,
      pendingAliases: aliases,
      ttlDurationSeconds: ttl,
      historyStep: input.historyStep ?? null,
    });
    await replaceArtifactTags(trx, created.id, tags, []);
    return created;
  });
}

// ---- commit

/** Says which files are not uploaded yet (the first 20 by name). */
function notUploaded(missing: readonly string[]) {
  const shown = missing
    .slice(0, 20)
    .map((n) => `"${n}"`)
    .join(', ');
  return userError(
    'BAD_USER_INPUT',
    `${missing.length} file(s) are not uploaded yet: ${shown}${missing.length > 20 ? ', …' : ''}. PUT each to its uploadUrl, then commit.`,
  );
}

/**
 * Makes a pending version immutable once its manifest and every file are uploaded; gives it the next
 * vN, `latest` and the aliases it was created with. Committing a committed version returns it.
 */
export async function commitArtifact(ctx: Context, artifactId: string): Promise<Artifact> {
  const artifact = await pendingArtifact(ctx, artifactId);
  if (artifact.state === 'COMMITTED') return artifact;
  if (artifact.state !== 'PENDING') throw userError('BAD_USER_INPUT', 'This version was deleted.');
  if (artifact.manifest === null)
    throw userError('BAD_USER_INPUT', 'Upload the manifest (createArtifactManifest, then PUT) before committing.');
  // S3: what was uploaded straight to the bucket is checked and copied to keys no URL can write first.
  await receiveDirectUploads(ctx, artifact);
  await bindReusableFiles(ctx, artifact);
  const missing = await missingFiles(ctx.db, artifact.id);
  if (missing.length > 0) throw notUploaded(missing);
  const pendingAliases = Array.isArray(artifact.pending_aliases)
    ? artifact.pending_aliases.filter((a): a is string => typeof a === 'string')
    : [];
  const userId = ctx.viewer?.id ?? null;
  const committed = await ctx.db.transaction().execute(async (trx) => {
    // Locked and read again: a manifest upload that started since is still writing its files.
    const locked = await lockArtifact(trx, artifact.id);
    if (locked?.state === 'COMMITTED') return locked;
    if (!locked || locked.state !== 'PENDING' || locked.manifest === null) {
      throw userError('BAD_USER_INPUT', 'The manifest is being uploaded again: commit once its upload has finished.');
    }
    const { membership, latestFrom } = await appendVersion(trx, {
      collectionId: artifact.sequence_id,
      artifactId: artifact.id,
      userId,
    });
    // The version exists from now on: its events are the link's (docs/events.md), with the tags it was created with.
    const [place] = await placesOfVersion(trx, artifact.id);
    if (!place) throw new Error('a committed version has no place in its sequence');
    const scope: EventScope = { actorId: userId, project: place.project, collection: place.collection };
    await recordEvent(trx, {
      ...scope,
      action: 'version.created',
      version: membership,
      after: { versionIndex: membership.version_index, artifactId: artifact.id, digest: locked.digest },
    });
    await recordAliasPut(trx, scope, membership, 'latest', latestFrom);
    for (const alias of pendingAliases) await putAlias(trx, scope, membership, alias);
    for (const { tag } of await tagsByArtifactIds(trx, [artifact.id])) {
      await recordEvent(trx, { ...scope, action: 'version.tag_added', version: membership, after: { tag } });
    }
    await retireUploadTokens(trx, artifact.id);
    return markCommitted(trx, artifact.id, membership.version_index);
  });
  forgetArtifactRows(ctx, artifact.id);
  // Parts of uploads never completed (their files came whole, or were reused) are no longer wanted.
  await ctx.store?.parts?.drop(artifact.id);
  return committed;
}

// ---- use

export interface UseArtifactInput {
  artifactID: string;
  entityName: string;
  projectName: string;
  runName: string;
  usedAs?: string | null;
}

/** Records a committed version the viewer can read as an input of a run (created when missing). */
export async function useArtifact(ctx: Context, input: UseArtifactInput): Promise<Artifact> {
  const viewer = ctx.viewer;
  const entity = await requireWritableEntity(ctx, input.entityName);
  if (!viewer) throw userError('UNAUTHENTICATED', 'Sign in to use artifacts.');
  const projectName = checkProjectName(input.projectName);
  const runName = checkRunName(input.runName);
  if (input.usedAs != null && input.usedAs.length > 256) throw userError('BAD_USER_INPUT', 'usedAs is longer than 256 characters.');
  const artifact = await loadArtifact(ctx, decodeId(input.artifactID, 'Artifact'));
  if (!artifact || artifact.state !== 'COMMITTED' || !(await artifactAccess(ctx, artifact)).read) {
    throw userError('NOT_FOUND', 'Artifact not found (only committed versions you can read may be used).');
  }
  await ctx.db.transaction().execute(async (trx) => {
    const project = await ensureProject(trx, entity.id, projectName);
    const run =
      (await findRun(trx, project.id, runName)) ??
      (await upsertRun(trx, { projectId: project.id, name: runName, displayName: null, userId: viewer.id })).run;
    await recordRunInput(trx, run.id, artifact.id, input.usedAs ?? null);
  });
  return artifact;
}

// ---- update and delete

/** A version that is not deleted, the viewer can read and may change. */
async function changeableArtifact(ctx: Context, id: number): Promise<Artifact> {
  const artifact = await loadArtifact(ctx, id);
  if (!artifact || artifact.state === 'DELETED' || !(await artifactAccess(ctx, artifact)).read)
    throw userError('NOT_FOUND', 'Artifact not found.');
  await requireArtifactWrite(ctx, artifact);
  return artifact;
}

export interface UpdateArtifactInput {
  /** Absent: unchanged; null: cleared. */
  description?: string | null;
  /** Absent or null: unchanged. */
  metadata?: string | null;
  tagsToAdd?: readonly { tagName: string }[] | null;
  tagsToDelete?: readonly { tagName: string }[] | null;
  /** Absent: unchanged. */
  ttlDurationSeconds?: number | null;
}

/**
 * Changes a version's description, metadata, tags or TTL (its files never change). A tag belongs to
 * the version wherever it is: each collection holding a committed version records the change.
 * Writers of its team project change anything; members of a registry it is linked in change its
 * tags only. A field sent with the value it already has is no change (the SDK's save() sends the
 * description and metadata with every tag change).
 */
export async function updateArtifact(ctx: Context, id: number, input: UpdateArtifactInput): Promise<Artifact> {
  const artifact = await loadArtifact(ctx, id);
  if (!artifact || artifact.state === 'DELETED' || !(await artifactAccess(ctx, artifact)).read)
    throw userError('NOT_FOUND', 'Artifact not found.');
  const description = input.description === undefined ? undefined : checkDescription(input.description);
  const metadata = input.metadata == null ? undefined : parseMetadata(input.metadata);
  const ttl = input.ttlDurationSeconds === undefined ? undefined : checkTtl(input.ttlDurationSeconds);
  const add = checkTags(input.tagsToAdd);
  const remove = checkTags(input.tagsToDelete);
  const fields = {
    description: description === undefined || description === artifact.description ? undefined : description,
    metadata: metadata === undefined || isDeepStrictEqual(JSON.parse(metadata), artifact.metadata) ? undefined : metadata,
    ttlDurationSeconds: ttl === undefined || ttl === artifact.ttl_duration_seconds ? undefined : ttl,
  };
  if (Object.values(fields).some((v) => v !== undefined)) await requireFieldChange(ctx, artifact);
  else await requireTagChange(ctx, artifact);
  const updated = await ctx.db.transaction().execute(async (trx) => {
    // Locked, so a commit running meanwhile records these tags (as the version's) or sees them committed.
    const locked = await lockArtifact(trx, artifact.id);
    const { added, removed } = await replaceArtifactTags(trx, artifact.id, add, remove);
    const places = locked?.state === 'COMMITTED' && added.length + removed.length > 0 ? await placesOfVersion(trx, artifact.id) : [];
    const actorId = ctx.viewer?.id ?? null;
    for (const tag of removed) {
      for (const p of places) await recordEvent(trx, { ...p, actorId, action: 'version.tag_removed', before: { tag } });
    }
    for (const tag of added) {
      for (const p of places) await recordEvent(trx, { ...p, actorId, action: 'version.tag_added', after: { tag } });
    }
    return updateArtifactFields(trx, artifact.id, fields);
  });
  forgetArtifactRows(ctx, artifact.id);
  return updated;
}

/**
 * Deletes a version of a team project; the deleted row comes back with state DELETED. Refused
 * (CONFLICT, listing them) while it is linked into any registry collection, and while it holds
 * aliases other than `latest` unless `deleteAliases`.
 */
export async function deleteArtifact(ctx: Context, id: number, deleteAliases: boolean): Promise<Artifact> {
  const artifact = await changeableArtifact(ctx, id);
  // The links found under the lock; which of them the viewer may see is read after the transaction.
  let links: RegistryLink[] = [];
  const result = await ctx.db.transaction().execute(async (trx) => {
    // Locked and re-read inside the transaction, so a link made meanwhile is seen or blocks the delete.
    const locked = await lockArtifact(trx, artifact.id);
    if (!locked) throw userError('NOT_FOUND', 'Artifact not found.');
    links = await linksOfArtifact(trx, artifact.id);
    if (links.length > 0) return null;
    const held = await aliasesOfArtifacts(trx, [artifact.id]);
    const aliases = held.filter((a) => a.alias !== 'latest');
    if (aliases.length > 0 && !deleteAliases) {
      throw userError(
        'CONFLICT',
        `This version has aliases (${aliases.map((a) => a.alias).join(', ')}): remove them first, or delete with deleteAliases: true.`,
      );
    }
    // Only a committed version is in its sequence; a pending one was never a version, so its delete records nothing.
    const [place] = await placesOfVersion(trx, artifact.id);
    try {
      await deleteArtifactRows(trx, locked);
    } catch (error) {
      // A registry link arrived between the check and the delete.
      if (isForeignKeyViolation(error)) {
        throw userError('CONFLICT', 'This version was just linked into a registry collection: unlink it before deleting it.');
      }
      throw error;
    }
    const newest = await restoreLatest(trx, artifact.sequence_id);
    if (place) {
      const scope: EventScope = { actorId: ctx.viewer?.id ?? null, project: place.project, collection: place.collection };
      await recordEvent(trx, {
        ...scope,
        action: 'version.deleted',
        version: place.version,
        before: { versionIndex: place.version.version_index, artifactId: artifact.id, digest: locked.digest },
      });
      await recordAliasesGone(
        trx,
        scope,
        place.version,
        held.map((a) => a.alias),
        newest,
      );
    }
    return locked;
  });
  if (!result) {
    throw userError('CONFLICT', `This version is linked as ${await describeLinks(ctx, links)}. Unlink it from each before deleting it.`);
  }
  forgetArtifactRows(ctx, artifact.id);
  await ctx.store?.parts?.drop(artifact.id);
  return { ...result, state: 'DELETED' as const };
}
