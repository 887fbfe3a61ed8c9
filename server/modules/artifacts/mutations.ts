import { randomBytes } from 'node:crypto';
import type { Artifact } from '../../db/tables.js';
import { builder } from '../../graphql/builder.js';
import { userError } from '../../graphql/errors.js';
import { decodeId } from '../../graphql/ids.js';
import { ArtifactRef } from '../../graphql/refs.js';
import { isVersionName, validateAlias, validateName } from '../collections/names.js';
import { putAlias, recordAliasesGone, recordAliasPut, type EventScope } from '../collections/links.js';
import { appendVersion, restoreLatest } from '../collections/versions.js';
import { recordEvent } from '../events/repository.js';
import { describeLinks, type RegistryLink } from '../registries/access.js';
import { findProject } from '../registries/repository.js';
import { base64Md5ToHex } from '../../storage/blobs.js';
import {
  artifactAccess,
  checkProjectName,
  checkRunName,
  forgetArtifactRows,
  loadArtifact,
  requireArtifactWrite,
  requireWritableEntity,
} from './access.js';
import { bindReusableFiles, reusableContent } from './content.js';
import { ArtifactAliasInput, TAG_NAME, TagInput } from './inputs.js';
import { validateFilePath } from './manifest.js';
import {
  aliasesOfArtifacts,
  ensureProject,
  ensureSequence,
  findCollection,
  findCommittedByDigest,
  findRun,
  insertArtifact,
  linksOfArtifact,
  lockArtifact,
  markCommitted,
  missingFiles,
  placesOfVersion,
  recordRunInput,
  retireUploadTokens,
  replaceArtifactTags,
  setManifestUploadToken,
  tagsByArtifactIds,
  updateArtifactFields,
  upsertFileSpecs,
  upsertRun,
  deleteArtifactRows,
  type FileSpec,
} from './repository.js';
import { ArtifactManifestRef, FileConnection } from './types.js';

/** Metadata is stored as JSON and shown on every version page; larger documents belong in files. */
export const MAX_METADATA_BYTES = 256 * 1024;
const MAX_DESCRIPTION = 64 * 1024;
const MAX_FILES_PER_CALL = 10_000;

const token = () => randomBytes(24).toString('base64url');

function parseMetadata(text: string | null | undefined): string {
  if (text == null || text === '') return '{}';
  if (Buffer.byteLength(text, 'utf8') > MAX_METADATA_BYTES) {
    throw userError(
      'BAD_USER_INPUT',
      `Metadata is larger than ${MAX_METADATA_BYTES / 1024} KiB of JSON: store large data in the artifact's files.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw userError('BAD_USER_INPUT', 'Metadata must be a JSON object, given as a JSON string.');
  }
  if (value === null) return '{}';
  if (typeof value !== 'object' || Array.isArray(value))
    throw userError('BAD_USER_INPUT', 'Metadata must be a JSON object ({"key": value}).');
  // Postgres jsonb refuses \u0000 in strings; say so instead of failing in SQL.
  if (text.includes('\\u0000')) throw userError('BAD_USER_INPUT', 'Metadata may not contain the NUL character (\\u0000).');
  return JSON.stringify(value);
}

function checkDescription(description: string | null | undefined): string | null {
  if (description == null) return null;
  if (description.length > MAX_DESCRIPTION)
    throw userError('BAD_USER_INPUT', `The description is longer than ${MAX_DESCRIPTION} characters.`);
  return description;
}

function checkTags(tags: readonly { tagName: string }[] | null | undefined): string[] {
  const names = (tags ?? []).map((t) => t.tagName);
  for (const name of names) {
    if (name.length > 128 || !TAG_NAME.test(name)) {
      throw userError('BAD_USER_INPUT', `Tag "${name.slice(0, 140)}" is not valid: use 1-128 letters, digits, "-", "_" or inner spaces.`);
    }
  }
  return [...new Set(names)];
}

function checkAliases(aliases: readonly { alias: string }[] | null | undefined): string[] {
  const names = (aliases ?? []).map((a) => validateAlias(a.alias));
  for (const alias of names) {
    if (isVersionName(alias)) throw userError('BAD_USER_INPUT', `Alias "${alias}" looks like a version number (vN): pick another name.`);
  }
  return [...new Set(names)];
}

function checkTtl(ttl: number | null | undefined): number | null {
  if (ttl == null) return null;
  if (!Number.isSafeInteger(ttl) || ttl < -1)
    throw userError('BAD_USER_INPUT', 'ttlDurationSeconds is a whole number of seconds, or -1 to keep forever.');
  return ttl;
}

/**
 * The collection a new version goes to: newer SDKs send `artifactCollectionName` (which wins), older
 * ones only `artifactCollectionNames`, which must then hold one name: a version lives in one sequence.
 */
function collectionNameOf(input: { artifactCollectionName?: string | null; artifactCollectionNames?: readonly string[] | null }): string {
  if (input.artifactCollectionName != null) return validateName('Artifact', input.artifactCollectionName);
  const names = [...new Set(input.artifactCollectionNames ?? [])];
  if (names.length === 0)
    throw userError('BAD_USER_INPUT', 'Name the artifact: give artifactCollectionName (or artifactCollectionNames with one name).');
  if (names.length > 1) {
    const shown = names
      .slice(0, 5)
      .map((n) => `"${n.slice(0, 140)}"`)
      .join(', ');
    throw userError(
      'BAD_USER_INPUT',
      `A version goes to exactly one artifact, got ${names.length} names in artifactCollectionNames (${shown}): send one.`,
    );
  }
  return validateName('Artifact', names[0]!);
}

/** A pending version of the viewer that may still change (files, manifest, commit). */
async function pendingArtifact(ctx: Parameters<typeof loadArtifact>[0], id: string): Promise<Artifact> {
  const artifact = await loadArtifact(ctx, decodeId(id, 'Artifact'));
  if (!artifact || !(await artifactAccess(ctx, artifact)).read) throw userError('NOT_FOUND', 'Artifact not found.');
  await requireArtifactWrite(ctx, artifact);
  return artifact;
}

// ---- CreateArtifact

const ArtifactDigestAlgorithm = builder.enumType('ArtifactDigestAlgorithm', { values: ['MANIFEST_MD5'] as const });

const CreateArtifactInput = builder.inputType('CreateArtifactInput', {
  fields: (t) => ({
    entityName: t.string({ required: true }),
    projectName: t.string({ required: true }),
    runName: t.string(),
    artifactTypeName: t.string({ required: true }),
    artifactCollectionName: t.string({
      description: 'The collection (sequence) name; or give it as the one name of artifactCollectionNames.',
    }),
    artifactCollectionNames: t.stringList({ description: 'Older SDKs name the collection here, as a list of exactly one name.' }),
    digest: t.string({ required: true }),
    digestAlgorithm: t.field({ type: ArtifactDigestAlgorithm }),
    description: t.string(),
    labels: t.field({ type: 'JSONString' }),
    metadata: t.field({ type: 'JSONString' }),
    aliases: t.field({ type: [ArtifactAliasInput] }),
    tags: t.field({ type: [TagInput] }),
    ttlDurationSeconds: t.field({ type: 'Int64' }),
    historyStep: t.field({ type: 'Int64' }),
    enableDigestDeduplication: t.boolean(),
    clientID: t.id(),
    sequenceClientID: t.id(),
    distributedID: t.string(),
    storageRegion: t.string(),
    clientMutationId: t.string(),
  }),
});

const CreateArtifactPayload = builder.simpleObject('CreateArtifactPayload', {
  fields: (t) => ({ artifact: t.field({ type: ArtifactRef }), clientMutationId: t.string({ nullable: true }) }),
});

builder.mutationField('createArtifact', (t) =>
  t.field({
    type: CreateArtifactPayload,
    description:
      'Starts a version (PENDING) in a team project, creating the project and its collection when missing. With enableDigestDeduplication, an existing committed version with the same digest is returned instead.',
    args: { input: t.arg({ type: CreateArtifactInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
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
      if (input.clientID != null && input.clientID.length > 128)
        throw userError('BAD_USER_INPUT', 'clientID is longer than 128 characters.');

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
        if (same) return { artifact: same, clientMutationId: input.clientMutationId ?? null };
      }
      const artifact = await ctx.db.transaction().execute(async (trx) => {
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
        const run = runName
          ? (await upsertRun(trx, { projectId: project.id, name: runName, displayName: null, userId: viewer.id })).run
          : null;
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
      return { artifact, clientMutationId: input.clientMutationId ?? null };
    },
  }),
);

// ---- CreateArtifactFiles

const ArtifactStorageLayout = builder.enumType('ArtifactStorageLayout', { values: ['V1', 'V2'] as const });

const UploadPartsInput = builder.inputType('UploadPartsInput', {
  fields: (t) => ({ hexMD5: t.string({ required: true }), partNumber: t.field({ type: 'Int64', required: true }) }),
});

const CreateArtifactFileSpecInput = builder.inputType('CreateArtifactFileSpecInput', {
  fields: (t) => ({
    artifactID: t.id({ required: true }),
    artifactManifestID: t.id(),
    name: t.string({ required: true }),
    md5: t.string({ required: true }),
    mimetype: t.string(),
    uploadPartsInput: t.field({ type: [UploadPartsInput] }),
  }),
});

const CreateArtifactFilesInput = builder.inputType('CreateArtifactFilesInput', {
  fields: (t) => ({
    artifactFiles: t.field({ type: [CreateArtifactFileSpecInput], required: true }),
    storageLayout: t.field({ type: ArtifactStorageLayout, required: true }),
    clientMutationId: t.string(),
  }),
});

const CreateArtifactFilesPayload = builder.simpleObject('CreateArtifactFilesPayload', {
  fields: (t) => ({ files: t.field({ type: FileConnection }) }),
});

builder.mutationField('createArtifactFiles', (t) =>
  t.field({
    type: CreateArtifactFilesPayload,
    description:
      'Declares files of pending versions; each gets an uploadUrl unless a committed version the viewer may download holds content with the same MD5.',
    args: { input: t.arg({ type: CreateArtifactFilesInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      if (input.artifactFiles.length > MAX_FILES_PER_CALL) {
        throw userError('BAD_USER_INPUT', `At most ${MAX_FILES_PER_CALL} files per call; send them in batches.`);
      }
      const byArtifact = new Map<string, Map<string, { name: string; md5: string; mimetype: string | null }>>();
      for (const spec of input.artifactFiles) {
        validateFilePath(spec.name);
        if (!base64Md5ToHex(spec.md5))
          throw userError('BAD_USER_INPUT', `md5 of "${spec.name.slice(0, 200)}" must be the base64 MD5 of its content (24 characters).`);
        if (spec.mimetype != null && spec.mimetype.length > 255)
          throw userError('BAD_USER_INPUT', 'mimetype is longer than 255 characters.');
        const byName = byArtifact.get(spec.artifactID) ?? new Map();
        byName.set(spec.name, { name: spec.name, md5: spec.md5, mimetype: spec.mimetype ?? null });
        byArtifact.set(spec.artifactID, byName);
      }
      const batches: { artifact: Artifact; specs: FileSpec[] }[] = [];
      for (const [id, byName] of byArtifact) {
        const artifact = await pendingArtifact(ctx, id);
        if (artifact.state !== 'PENDING')
          throw userError('BAD_USER_INPUT', 'This version is committed, and committed versions are immutable: create a new one.');
        // No sizes come with these specs, so reuse matches the MD5 alone; a manifest declaring another size undoes it.
        const reusable = await reusableContent(
          ctx,
          artifact.sequence_id,
          [...byName.values()].map((s) => s.md5),
        );
        const specs = [...byName.values()].map((s) => ({
          name: s.name,
          digest: s.md5,
          mimetype: s.mimetype,
          content: reusable(s.md5, null),
          uploadToken: token(),
        }));
        batches.push({ artifact, specs });
      }
      const rows = await ctx.db.transaction().execute(async (trx) => {
        const all = [];
        for (const { artifact, specs } of batches) all.push(...(await upsertFileSpecs(trx, artifact.id, specs)));
        return all;
      });
      return { files: { hasNextPage: false, edges: rows.map((node) => ({ node, cursor: String(node.id) })) } };
    },
  }),
);

// ---- Manifest

const ArtifactManifestType = builder.enumType('ArtifactManifestType', { values: ['FULL', 'INCREMENTAL', 'PATCH'] as const });

const CreateArtifactManifestInput = builder.inputType('CreateArtifactManifestInput', {
  fields: (t) => ({
    artifactID: t.id({ required: true }),
    baseArtifactID: t.id(),
    name: t.string({ required: true }),
    digest: t.string({ required: true }),
    entityName: t.string({ required: true }),
    projectName: t.string({ required: true }),
    runName: t.string({ required: true }),
    type: t.field({ type: ArtifactManifestType }),
    clientMutationId: t.string(),
  }),
});

const UpdateArtifactManifestInput = builder.inputType('UpdateArtifactManifestInput', {
  fields: (t) => ({
    artifactManifestID: t.id({ required: true }),
    digest: t.string(),
    baseArtifactID: t.id(),
    clientMutationId: t.string(),
  }),
});

const ManifestPayload = (name: string) =>
  builder.simpleObject(name, { fields: (t) => ({ artifactManifest: t.field({ type: ArtifactManifestRef }) }) });
const CreateArtifactManifestPayload = ManifestPayload('CreateArtifactManifestPayload');
const UpdateArtifactManifestPayload = ManifestPayload('UpdateArtifactManifestPayload');

async function startManifestUpload(ctx: Parameters<typeof loadArtifact>[0], artifactId: string) {
  const artifact = await pendingArtifact(ctx, artifactId);
  if (artifact.state !== 'PENDING') throw userError('BAD_USER_INPUT', 'This version is committed; its manifest cannot change.');
  const uploadToken = token();
  await setManifestUploadToken(ctx.db, artifact.id, uploadToken);
  return { artifactManifest: { artifact, uploadToken } };
}

builder.mutationField('createArtifactManifest', (t) =>
  t.field({
    type: CreateArtifactManifestPayload,
    description: "Gives the URL to PUT a pending version's manifest (wandb_manifest.json) to. Only FULL manifests are supported.",
    args: { input: t.arg({ type: CreateArtifactManifestInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      if (input.type && input.type !== 'FULL')
        throw userError('BAD_USER_INPUT', `${input.type} manifests are not supported: send the FULL manifest.`);
      return startManifestUpload(ctx, input.artifactID);
    },
  }),
);

builder.mutationField('updateArtifactManifest', (t) =>
  t.field({
    type: UpdateArtifactManifestPayload,
    description: 'A fresh upload URL for the manifest of a pending version.',
    args: { input: t.arg({ type: UpdateArtifactManifestInput, required: true }) },
    resolve: (_root, { input }, ctx) => startManifestUpload(ctx, String(decodeIdAsArtifact(input.artifactManifestID))),
  }),
);

/** Manifest ids are `ArtifactManifest:<artifact id>`; turned into the artifact's own id. */
function decodeIdAsArtifact(manifestId: string): string {
  return Buffer.from(`Artifact:${decodeId(manifestId, 'ArtifactManifest')}`, 'utf8').toString('base64');
}

// ---- Multipart (not used: files go up whole)

const CompleteMultipartAction = builder.enumType('CompleteMultipartAction', { values: ['Complete'] as const });
const CompleteMultipartUploadArtifactInput = builder.inputType('CompleteMultipartUploadArtifactInput', {
  fields: (t) => ({
    completeMultipartAction: t.field({ type: CompleteMultipartAction, required: true }),
    completedParts: t.field({ type: [UploadPartsInput], required: true }),
    artifactID: t.id({ required: true }),
    storagePath: t.string({ required: true }),
    uploadID: t.string({ required: true }),
  }),
});
const CompleteMultipartUploadArtifactPayload = builder.simpleObject('CompleteMultipartUploadArtifactPayload', {
  fields: (t) => ({ digest: t.string({ nullable: true }) }),
});

builder.mutationField('completeMultipartUploadArtifact', (t) =>
  t.field({
    type: CompleteMultipartUploadArtifactPayload,
    nullable: true,
    description: 'Not needed here: createArtifactFiles never hands out multipart URLs, so every file is one PUT.',
    args: { input: t.arg({ type: CompleteMultipartUploadArtifactInput, required: true }) },
    resolve: () => {
      throw userError('BAD_USER_INPUT', 'Multipart uploads are not used by this server: PUT the whole file to its uploadUrl.');
    },
  }),
);

// ---- CommitArtifact

const CommitArtifactInput = builder.inputType('CommitArtifactInput', {
  fields: (t) => ({ artifactID: t.id({ required: true }), clientMutationId: t.string() }),
});
const CommitArtifactPayload = builder.simpleObject('CommitArtifactPayload', {
  fields: (t) => ({ artifact: t.field({ type: ArtifactRef }), clientMutationId: t.string({ nullable: true }) }),
});

builder.mutationField('commitArtifact', (t) =>
  t.field({
    type: CommitArtifactPayload,
    description: 'Makes a pending version immutable once its manifest and every file are uploaded; gives it the next vN and `latest`.',
    args: { input: t.arg({ type: CommitArtifactInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const artifact = await pendingArtifact(ctx, input.artifactID);
      if (artifact.state === 'COMMITTED') return { artifact, clientMutationId: input.clientMutationId ?? null };
      if (artifact.state !== 'PENDING') throw userError('BAD_USER_INPUT', 'This version was deleted.');
      if (artifact.manifest === null)
        throw userError('BAD_USER_INPUT', 'Upload the manifest (createArtifactManifest, then PUT) before committing.');
      await bindReusableFiles(ctx, artifact);
      const missing = await missingFiles(ctx.db, artifact.id);
      if (missing.length > 0) {
        const shown = missing
          .slice(0, 20)
          .map((n) => `"${n}"`)
          .join(', ');
        throw userError(
          'BAD_USER_INPUT',
          `${missing.length} file(s) are not uploaded yet: ${shown}${missing.length > 20 ? ', …' : ''}. PUT each to its uploadUrl, then commit.`,
        );
      }
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
      return { artifact: committed, clientMutationId: input.clientMutationId ?? null };
    },
  }),
);

// ---- UseArtifact

const UseArtifactInput = builder.inputType('UseArtifactInput', {
  fields: (t) => ({
    artifactID: t.id({ required: true }),
    artifactEntityName: t.string(),
    artifactProjectName: t.string(),
    entityName: t.string({ required: true }),
    projectName: t.string({ required: true }),
    runName: t.string({ required: true }),
    usedAs: t.string(),
    clientMutationId: t.string(),
  }),
});
const UseArtifactPayload = builder.simpleObject('UseArtifactPayload', {
  fields: (t) => ({ artifact: t.field({ type: ArtifactRef }), clientMutationId: t.string({ nullable: true }) }),
});

builder.mutationField('useArtifact', (t) =>
  t.field({
    type: UseArtifactPayload,
    description: "Records a version as an input of a run (the run's lineage).",
    args: { input: t.arg({ type: UseArtifactInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
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
      return { artifact, clientMutationId: input.clientMutationId ?? null };
    },
  }),
);

// ---- UpdateArtifact / DeleteArtifact

const UpdateArtifactInput = builder.inputType('UpdateArtifactInput', {
  fields: (t) => ({
    artifactID: t.id({ required: true }),
    description: t.string(),
    metadata: t.field({ type: 'JSONString' }),
    labels: t.field({ type: 'JSONString' }),
    aliases: t.field({ type: [ArtifactAliasInput], description: 'Not handled here: use addAliases / deleteAliases.' }),
    tagsToAdd: t.field({ type: [TagInput] }),
    tagsToDelete: t.field({ type: [TagInput] }),
    ttlDurationSeconds: t.field({ type: 'Int64' }),
    clientMutationId: t.string(),
  }),
});
const UpdateArtifactPayload = builder.simpleObject('UpdateArtifactPayload', {
  fields: (t) => ({ artifact: t.field({ type: ArtifactRef }), clientMutationId: t.string({ nullable: true }) }),
});

builder.mutationField('updateArtifact', (t) =>
  t.field({
    type: UpdateArtifactPayload,
    description: "Changes a version's description, metadata, tags or TTL (its files never change).",
    args: { input: t.arg({ type: UpdateArtifactInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const artifact = await loadArtifact(ctx, decodeId(input.artifactID, 'Artifact'));
      if (!artifact || artifact.state === 'DELETED' || !(await artifactAccess(ctx, artifact)).read)
        throw userError('NOT_FOUND', 'Artifact not found.');
      await requireArtifactWrite(ctx, artifact);
      const description = input.description === undefined ? undefined : checkDescription(input.description);
      const metadata = input.metadata == null ? undefined : parseMetadata(input.metadata);
      const ttl = input.ttlDurationSeconds === undefined ? undefined : checkTtl(input.ttlDurationSeconds);
      const add = checkTags(input.tagsToAdd);
      const remove = checkTags(input.tagsToDelete);
      const updated = await ctx.db.transaction().execute(async (trx) => {
        // Locked, so a commit running meanwhile records these tags (as the version's) or sees them committed.
        const locked = await lockArtifact(trx, artifact.id);
        const { added, removed } = await replaceArtifactTags(trx, artifact.id, add, remove);
        // A tag belongs to the version wherever it is: each collection holding it records the change in its history.
        const places = locked?.state === 'COMMITTED' && added.length + removed.length > 0 ? await placesOfVersion(trx, artifact.id) : [];
        const actorId = ctx.viewer?.id ?? null;
        for (const tag of removed) {
          for (const p of places) await recordEvent(trx, { ...p, actorId, action: 'version.tag_removed', before: { tag } });
        }
        for (const tag of added) {
          for (const p of places) await recordEvent(trx, { ...p, actorId, action: 'version.tag_added', after: { tag } });
        }
        return updateArtifactFields(trx, artifact.id, { description, metadata, ttlDurationSeconds: ttl });
      });
      forgetArtifactRows(ctx, artifact.id);
      return { artifact: updated, clientMutationId: input.clientMutationId ?? null };
    },
  }),
);

const DeleteArtifactInput = builder.inputType('DeleteArtifactInput', {
  fields: (t) => ({
    artifactID: t.id({ required: true }),
    deleteAliases: t.boolean({ defaultValue: false }),
    clientMutationId: t.string(),
  }),
});
const DeleteArtifactPayload = builder.simpleObject('DeleteArtifactPayload', {
  fields: (t) => ({ artifact: t.field({ type: ArtifactRef }), clientMutationId: t.string({ nullable: true }) }),
});

builder.mutationField('deleteArtifact', (t) =>
  t.field({
    type: DeleteArtifactPayload,
    description:
      'Deletes a version of a team project. Refused (CONFLICT, listing them) while it is linked into any registry collection, and while it holds aliases other than `latest` unless deleteAliases is true.',
    args: { input: t.arg({ type: DeleteArtifactInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const artifact = await loadArtifact(ctx, decodeId(input.artifactID, 'Artifact'));
      if (!artifact || artifact.state === 'DELETED' || !(await artifactAccess(ctx, artifact)).read)
        throw userError('NOT_FOUND', 'Artifact not found.');
      await requireArtifactWrite(ctx, artifact);
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
        if (aliases.length > 0 && !input.deleteAliases) {
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
          // 23503: a registry link arrived between the check and the delete.
          if ((error as { code?: string }).code === '23503') {
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
        throw userError(
          'CONFLICT',
          `This version is linked as ${await describeLinks(ctx, links)}. Unlink it from each before deleting it.`,
        );
      }
      forgetArtifactRows(ctx, artifact.id);
      return { artifact: { ...result, state: 'DELETED' as const }, clientMutationId: input.clientMutationId ?? null };
    },
  }),
);
