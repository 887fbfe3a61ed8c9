// The GraphQL of logged versions: Artifact, File, the manifest, Run's versions, and the lookups of a
// version by id, client id and name. The rules live in the services.
import type { Artifact, ArtifactFile } from '../../db/tables.js';
import { builder, connection } from '../../graphql/builder.js';
import { andThen } from '../../graphql/context-loaders.js';
import { encodeCursor } from '../../graphql/cursor.js';
import { decodeId, encodeId } from '../../graphql/ids.js';
import {
  ArtifactAliasRef,
  ArtifactRef,
  ArtifactSequenceRef,
  ArtifactTypeRef,
  FileRef,
  MembershipRef,
  ProjectRef,
  RunRef,
  TagRef,
  UserRef,
} from '../../graphql/refs.js';
import { artifactTagsLoader, loadArtifact, loadCollection } from '../collections/loaders.js';
import { loadProject } from '../registries/loaders.js';
import {
  artifactByName,
  artifactCreator,
  artifactIdOfClientId,
  artifactTypeOf,
  latestArtifactOf,
  readableArtifact,
  runArtifactPage,
  runOfProject,
  runsUsingArtifact,
  visibleAliases,
} from './service.js';
import { directUrlOf, filePage, membershipFilePage, storagePathOf, uploadHeadersOf, uploadUrlOf } from './service-files.js';
import { multipartUrlsOf } from './service-direct.js';

export const MANIFEST_NAME = 'wandb_manifest.json';

export const ArtifactStateEnum = builder.enumType('ArtifactState', { values: ['COMMITTED', 'DELETED', 'PENDING'] as const });

/** Builds the synthetic File of a version's manifest (`id` 0: it is no artifact_files row). */
export function manifestFile(artifact: Artifact, uploadToken: string | null): ArtifactFile {
  return {
    id: 0,
    artifact_id: artifact.id,
    name: MANIFEST_NAME,
    digest: '',
    size: 0,
    mimetype: 'application/json',
    blob: null,
    sha256: null,
    upload_token: uploadToken,
    ref: null,
    created_at: artifact.created_at,
  };
}

export interface ManifestShape {
  artifact: Artifact;
  uploadToken: string | null;
}

export const ArtifactManifestRef = builder.objectRef<ManifestShape>('ArtifactManifest').implement({
  description: "A version's manifest (wandb_manifest.json): every file path with its digest and size.",
  fields: (t) => ({
    id: t.id({ resolve: (m) => encodeId('ArtifactManifest', m.artifact.id) }),
    type: t.string({ resolve: () => 'FULL' }),
    file: t.field({ type: FileRef, resolve: (m) => manifestFile(m.artifact, m.uploadToken) }),
  }),
});

const UploadUrlPart = builder.simpleObject('UploadUrlPart', {
  fields: (t) => ({ partNumber: t.int(), uploadUrl: t.string() }),
});
const UploadMultipartUrls = builder.simpleObject('UploadMultipartUrls', {
  fields: (t) => ({ uploadID: t.string(), uploadUrlParts: t.field({ type: [UploadUrlPart] }) }),
});

FileRef.implement({
  description: 'A file of an artifact version, stored by content (SHA-256; `md5` is the digest the SDK checks).',
  fields: (t) => ({
    id: t.id({ resolve: (f) => (f.id === 0 ? encodeId('ArtifactManifestFile', f.artifact_id) : encodeId('File', f.id)) }),
    name: t.exposeString('name'),
    displayName: t.string({ nullable: true, resolve: (f) => f.name.split('/').at(-1) ?? f.name }),
    sizeBytes: t.field({ type: 'Int64', resolve: (f) => Number(f.size) }),
    digest: t.string({ nullable: true, resolve: (f) => f.digest || null }),
    md5: t.string({ nullable: true, resolve: (f) => (f.ref ? null : f.digest || null) }),
    mimetype: t.string({ nullable: true, resolve: (f) => f.mimetype }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (f) => f.created_at }),
    storagePath: t.string({ nullable: true, resolve: (f, _args, ctx) => storagePathOf(ctx, f) }),
    directUrl: t.string({
      nullable: true,
      description:
        'A signed URL that works without credentials for an hour. Null for restricted viewers of the registry the file is read through, and for files not uploaded yet.',
      resolve: (f, _args, ctx) => directUrlOf(ctx, f),
    }),
    url: t.string({ nullable: true, description: 'Same as directUrl.', resolve: (f, _args, ctx) => directUrlOf(ctx, f) }),
    uploadUrl: t.string({
      nullable: true,
      description:
        'Where to PUT the content (never after the version is committed; with S3 storage a presigned URL to the bucket, sent with uploadHeaders, whose bytes the commit checks); null when the file already has its content, uploaded or reused from a version the viewer may download. Only those who may write the version see it.',
      resolve: (f, _args, ctx) => uploadUrlOf(ctx, f),
    }),
    uploadHeaders: t.stringList({
      description: 'Headers (`Name:value`) to send with the PUT to uploadUrl: with S3 storage, the signed Content-MD5.',
      resolve: (f, _args, ctx) => uploadHeadersOf(ctx, f),
    }),
    uploadMultipartUrls: t.field({
      type: UploadMultipartUrls,
      nullable: true,
      description:
        'For a file createArtifactFiles got uploadPartsInput for: the upload id and a URL per part (with S3 presigned to the bucket), each PUT answering its ETag; then completeMultipartUploadArtifact. Null otherwise: one PUT to uploadUrl.',
      resolve: (f) => multipartUrlsOf(f),
    }),
    artifact: t.field({ type: ArtifactRef, nullable: true, resolve: (f, _args, ctx) => loadArtifact(ctx, f.artifact_id) }),
  }),
});

export const FileConnection = connection('File', FileRef, { totalCount: true });

const ArtifactConnection = connection('Artifact', ArtifactRef, { totalCount: true });

const Initiator = builder.unionType('Initiator', {
  types: [RunRef, UserRef],
  resolveType: (value) => ('project_id' in value ? RunRef : UserRef),
});

ArtifactRef.implement({
  description: 'A logged version: immutable once committed; its files are listed in its manifest.',
  fields: (t) => ({
    id: t.id({ resolve: (a) => encodeId('Artifact', a.id) }),
    digest: t.exposeString('digest'),
    description: t.string({ nullable: true, resolve: (a) => a.description }),
    metadata: t.field({ type: 'JSONString', nullable: true, resolve: (a) => JSON.stringify(a.metadata ?? {}) }),
    state: t.field({ type: ArtifactStateEnum, resolve: (a) => a.state }),
    size: t.field({ type: 'Int64', resolve: (a) => Number(a.size) }),
    storageBytes: t.field({ type: 'Int64', resolve: (a) => Number(a.size) }),
    fileCount: t.field({ type: 'Int64', resolve: (a) => a.file_count }),
    createdAt: t.field({ type: 'DateTime', resolve: (a) => a.created_at }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.updated_at }),
    versionIndex: t.int({
      nullable: true,
      description: 'The N of vN in its source collection; null until committed.',
      resolve: (a) => a.version_index,
    }),
    commitHash: t.string({ nullable: true, resolve: (a) => (a.state === 'COMMITTED' ? a.digest.slice(0, 12) : null) }),
    ttlDurationSeconds: t.field({ type: 'Int64', description: '-1: kept forever.', resolve: (a) => a.ttl_duration_seconds ?? -1 }),
    ttlIsInherited: t.boolean({ resolve: (a) => a.ttl_duration_seconds === null }),
    historyStep: t.field({ type: 'Int64', nullable: true, resolve: (a) => a.history_step }),
    tags: t.field({ type: [TagRef], resolve: (a, _args, ctx) => artifactTagsLoader(ctx).get(a.id) }),
    aliases: t.field({
      type: [ArtifactAliasRef],
      description:
        'Its aliases in every collection it is in (each alias names its collection), and for each registry collection it is linked into, its `vN` there (as W&B answers: the SDK reads the version of a linked artifact from it).',
      resolve: (a, _args, ctx) => visibleAliases(ctx, a.id),
    }),
    artifactType: t.field({
      type: ArtifactTypeRef,
      resolve: (a, _args, ctx) =>
        andThen(loadCollection(ctx, a.sequence_id), (collection) => ({
          projectId: collection.project_id,
          name: collection.type_name,
          createdAt: collection.created_at,
        })),
    }),
    artifactSequence: t.field({ type: ArtifactSequenceRef, resolve: (a, _args, ctx) => loadCollection(ctx, a.sequence_id) }),
    currentManifest: t.field({
      type: ArtifactManifestRef,
      nullable: true,
      resolve: (a) => (a.manifest === null ? null : { artifact: a, uploadToken: null }),
    }),
    files: t.field({
      type: FileConnection,
      nullable: true,
      args: { names: t.arg.stringList(), after: t.arg.string(), first: t.arg.int() },
      resolve: (a, args, ctx) => filePage(ctx, a.id, args),
    }),
    usedBy: t.field({
      type: RunConnection,
      resolve: async (a, _args, ctx) => {
        const runs = await runsUsingArtifact(ctx, a.id);
        return { hasNextPage: false, edges: runs.map((node) => ({ node, cursor: encodeCursor({ v: null, id: node.id }) })) };
      },
    }),
    createdBy: t.field({
      type: Initiator,
      nullable: true,
      description: 'The run that logged it, or the user when no run is known (or visible).',
      resolve: (a, _args, ctx) => artifactCreator(ctx, a),
    }),
  }),
});

RunRef.implement({
  description: 'A run of a team project: it logs versions (outputs) and uses them (inputs).',
  fields: (t) => ({
    id: t.id({ resolve: (r) => encodeId('Run', r.id) }),
    name: t.exposeString('name'),
    displayName: t.string({ nullable: true, resolve: (r) => r.display_name ?? r.name }),
    description: t.string({ nullable: true, resolve: () => null }),
    config: t.field({ type: 'JSONString', nullable: true, resolve: (r) => r.config }),
    sweepName: t.string({ nullable: true, resolve: () => null }),
    historyLineCount: t.int({ nullable: true, resolve: (r) => r.history_line_count }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.created_at }),
    project: t.field({ type: ProjectRef, nullable: true, resolve: (r, _args, ctx) => loadProject(ctx, r.project_id) }),
    outputArtifacts: t.field({
      type: ArtifactConnection,
      nullable: true,
      args: { after: t.arg.string(), first: t.arg.int() },
      resolve: (r, args, ctx) => runArtifactPage(ctx, r.id, 'output', args),
    }),
    inputArtifacts: t.field({
      type: ArtifactConnection,
      nullable: true,
      args: { after: t.arg.string(), first: t.arg.int() },
      resolve: (r, args, ctx) => runArtifactPage(ctx, r.id, 'input', args),
    }),
  }),
});

const RunConnection = connection('Run', RunRef);

builder.objectFields(ArtifactSequenceRef, (t) => ({
  latestArtifact: t.field({
    type: ArtifactRef,
    nullable: true,
    description: 'The version holding `latest` in this sequence.',
    resolve: (c, _args, ctx) => latestArtifactOf(ctx, c),
  }),
}));

builder.objectFields(MembershipRef, (t) => ({
  files: t.field({
    type: FileConnection,
    nullable: true,
    description: "The version's files. Through a registry, restricted viewers get no download URLs.",
    args: { names: t.arg.stringList(), after: t.arg.string(), first: t.arg.int() },
    resolve: (m, args, ctx) => membershipFilePage(ctx, m, args),
  }),
}));

builder.objectFields(ProjectRef, (t) => ({
  run: t.field({
    type: RunRef,
    nullable: true,
    args: { name: t.arg.string({ required: true }) },
    resolve: (p, { name }, ctx) => runOfProject(ctx, p, name),
  }),
  artifactType: t.field({
    type: ArtifactTypeRef,
    nullable: true,
    args: { name: t.arg.string({ required: true }) },
    resolve: (p, { name }, ctx) => artifactTypeOf(ctx, p, name),
  }),
  artifact: t.field({
    type: ArtifactRef,
    nullable: true,
    description:
      'A version by "collection:vN", "collection:alias" or "collection" (its latest). In a registry, the source version the linked version points to (its `aliases` hold its `vN` there).',
    args: { name: t.arg.string({ required: true }) },
    resolve: (p, { name }, ctx) => artifactByName(ctx, p, name),
  }),
}));

builder.queryField('artifact', (t) =>
  t.field({
    type: ArtifactRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => readableArtifact(ctx, decodeId(id, 'Artifact')),
  }),
);

const ClientIDMapping = builder.simpleObject('ClientIDMapping', { fields: (t) => ({ serverID: t.id() }) });

builder.queryField('clientIDMapping', (t) =>
  t.field({
    type: ClientIDMapping,
    nullable: true,
    description: 'The server id of a version the SDK created with this client id.',
    args: { clientID: t.arg.id({ required: true }) },
    resolve: async (_root, { clientID }, ctx) => {
      const id = await artifactIdOfClientId(ctx, clientID);
      return id === null ? null : { serverID: encodeId('Artifact', id) };
    },
  }),
);
