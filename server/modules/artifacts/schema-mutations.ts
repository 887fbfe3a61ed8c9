// The SDK's logging documents: CreateArtifact, CreateArtifactFiles, the manifest's upload,
// CommitArtifact, UseArtifact, UpdateArtifact, DeleteArtifact. The rules live in the services.
import { builder } from '../../graphql/builder.js';
import { userError } from '../../graphql/errors.js';
import { decodeId } from '../../graphql/ids.js';
import { ArtifactRef } from '../../graphql/refs.js';
import { ArtifactAliasInput, TagInput } from '../collections/inputs.js';
import { ArtifactManifestRef, FileConnection } from './schema.js';
import { completeFileUpload, declareFiles, startManifestUpload } from './service-files.js';
import { commitArtifact, createArtifact, deleteArtifact, updateArtifact, useArtifact } from './service-versions.js';

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
    resolve: async (_root, { input }, ctx) => ({
      artifact: await createArtifact(ctx, input),
      clientMutationId: input.clientMutationId ?? null,
    }),
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
      const rows = await declareFiles(ctx, input.artifactFiles);
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

builder.mutationField('createArtifactManifest', (t) =>
  t.field({
    type: CreateArtifactManifestPayload,
    description: "Gives the URL to PUT a pending version's manifest (wandb_manifest.json) to. Only FULL manifests are supported.",
    args: { input: t.arg({ type: CreateArtifactManifestInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      if (input.type && input.type !== 'FULL')
        throw userError('BAD_USER_INPUT', `${input.type} manifests are not supported: send the FULL manifest.`);
      return { artifactManifest: await startManifestUpload(ctx, input.artifactID) };
    },
  }),
);

builder.mutationField('updateArtifactManifest', (t) =>
  t.field({
    type: UpdateArtifactManifestPayload,
    description: 'A fresh upload URL for the manifest of a pending version.',
    args: { input: t.arg({ type: UpdateArtifactManifestInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      artifactManifest: await startManifestUpload(ctx, String(decodeIdAsArtifact(input.artifactManifestID))),
    }),
  }),
);

/** Manifest ids are `ArtifactManifest:<artifact id>`; turned into the artifact's own id. */
function decodeIdAsArtifact(manifestId: string): string {
  return Buffer.from(`Artifact:${decodeId(manifestId, 'ArtifactManifest')}`, 'utf8').toString('base64');
}

// ---- Multipart

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
    description:
      'Joins the parts uploaded to the uploadMultipartUrls of a file, in order; every part must be there with the MD5 given. The whole file is checked against its MD5 (local storage: now; S3: at commit).',
    args: { input: t.arg({ type: CompleteMultipartUploadArtifactInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ digest: await completeFileUpload(ctx, input.artifactID, input) }),
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
    resolve: async (_root, { input }, ctx) => ({
      artifact: await commitArtifact(ctx, input.artifactID),
      clientMutationId: input.clientMutationId ?? null,
    }),
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
    resolve: async (_root, { input }, ctx) => ({
      artifact: await useArtifact(ctx, input),
      clientMutationId: input.clientMutationId ?? null,
    }),
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
    description:
      "Changes a version's description, metadata, tags or TTL (its files never change). Writers of its team project change anything; members of a registry it is linked in change its tags only.",
    args: { input: t.arg({ type: UpdateArtifactInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      artifact: await updateArtifact(ctx, decodeId(input.artifactID, 'Artifact'), input),
      clientMutationId: input.clientMutationId ?? null,
    }),
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
    resolve: async (_root, { input }, ctx) => ({
      artifact: await deleteArtifact(ctx, decodeId(input.artifactID, 'Artifact'), input.deleteAliases ?? false),
      clientMutationId: input.clientMutationId ?? null,
    }),
  }),
);
