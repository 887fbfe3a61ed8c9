import type { Alias, Artifact, ArtifactFile, Run } from '../../db/tables.js';
import { builder, connection, type Page } from '../../graphql/builder.js';
import { byKey, contextLoader, andThen } from '../../graphql/context-loaders.js';
import { decodeCursor, encodeCursor, pageSize } from '../../graphql/cursor.js';
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
// eslint-disable-next-line import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write
import { findUserById } from '../auth/repository.js';
import { canSeeProject, viewerRegistryRole } from '../registries/access.js';
// eslint-disable-next-line import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write
import { findArtifactByClientId, findArtifactByName } from './repository.js';
import { fileDownloadUrl, fileUrlSigner, manifestDownloadUrl, manifestUploadUrl, uploadUrl } from './urls.js';
// eslint-disable-next-line import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write
import { type VersionLink, projectTypeNamed } from '../collections/repository-artifacts.js';
import { artifactAccess, canWriteArtifact } from './access.js';
import { artifactAliasesLoader, artifactLinksLoader, artifactTagsLoader, loadArtifact, loadCollection } from '../collections/loaders.js';
// eslint-disable-next-line import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write
import { countFiles, listFiles } from './repository-files.js';
// eslint-disable-next-line import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write
import { countRunArtifacts, findRun, runArtifacts, runsByIds, runsUsing } from './repository-runs.js';
import { loadEntity } from '../organization/loaders.js';
import { loadProject, registryTypesLoader } from '../registries/loaders.js';

export const MANIFEST_NAME = 'wandb_manifest.json';

export const ArtifactStateEnum = builder.enumType('ArtifactState', { values: ['COMMITTED', 'DELETED', 'PENDING'] as const });

/**
 * Files of a page, with how their download URLs are made: the access check and the signing key are
 * done once per page, not once per file (a page of the SDK's download() holds 5 000). `null`: the
 * viewer may not download (restricted viewers of the registry the page is read through).
 */
const pageSigners = new WeakMap<ArtifactFile, ((artifactId: number, fileId: number) => string) | null>();

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

async function canDownload(ctx: Parameters<typeof loadArtifact>[0], artifactId: number): Promise<boolean> {
  const artifact = await loadArtifact(ctx, artifactId);
  return artifact !== null && (await artifactAccess(ctx, artifact)).download;
}

function downloadUrl(ctx: Parameters<typeof loadArtifact>[0], file: ArtifactFile): string | null | Promise<string | null> {
  // A reference (s3://…, file://…) is the user's own location, fetched by the SDK itself; never a link we serve.
  const served = file.id === 0 || (!file.ref && file.sha256 !== null);
  const signer = pageSigners.get(file);
  if (signer !== undefined) return served && signer ? signer(file.artifact_id, file.id) : null;
  if (!served) return null;
  return canDownload(ctx, file.artifact_id).then((may) => {
    if (!may) return null;
    return file.id === 0 ? manifestDownloadUrl(ctx, file.artifact_id) : fileDownloadUrl(ctx, file.artifact_id, file.id);
  });
}

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
    storagePath: t.string({ nullable: true, resolve: (f) => (f.sha256 ? `blobs/${f.sha256.slice(0, 2)}/${f.sha256}` : null) }),
    directUrl: t.string({
      nullable: true,
      description:
        'A signed URL that works without credentials for an hour. Null for restricted viewers of the registry the file is read through, and for files not uploaded yet.',
      resolve: (f, _args, ctx) => downloadUrl(ctx, f),
    }),
    url: t.string({ nullable: true, description: 'Same as directUrl.', resolve: (f, _args, ctx) => downloadUrl(ctx, f) }),
    uploadUrl: t.string({
      nullable: true,
      description:
        'Where to PUT the content (once; never after the version is committed); null when the file already has its content, uploaded or reused from a version the viewer may download. Only those who may write the version see it.',
      resolve: async (f, _args, ctx) => {
        if (!f.upload_token || !ctx.viewer) return null;
        const artifact = await loadArtifact(ctx, f.artifact_id);
        if (!artifact || artifact.state !== 'PENDING' || !(await canWriteArtifact(ctx, artifact))) return null;
        return f.id === 0 ? manifestUploadUrl(ctx, f.upload_token) : uploadUrl(ctx, f.upload_token);
      },
    }),
    uploadHeaders: t.stringList({ resolve: () => [] }),
    uploadMultipartUrls: t.field({
      type: UploadMultipartUrls,
      nullable: true,
      description: 'Always null: files are uploaded whole, with one PUT.',
      resolve: () => null,
    }),
    artifact: t.field({ type: ArtifactRef, nullable: true, resolve: (f, _args, ctx) => loadArtifact(ctx, f.artifact_id) }),
  }),
});

export const FileConnection = connection('File', FileRef, { totalCount: true });

/**
 * The SDK asks for a version's files 5000 at a time (`download()`, `files()`); 10 000 leaves it room
 * while one page stays one keyset statement and a response of a few MB.
 */
export const MAX_FILES_PAGE = 10_000;

/**
 * A page of a version's files, sorted by name. `download`: whether the viewer may download them, when
 * the caller knows (a registry's role); otherwise the version's access decides.
 */
export async function filePage(
  ctx: Parameters<typeof loadArtifact>[0],
  artifactId: number,
  args: { names?: readonly (string | null)[] | null; after?: string | null; first?: number | null },
  download?: boolean,
): Promise<Page<ArtifactFile>> {
  const names = args.names ? args.names.filter((n): n is string => n !== null).slice(0, 1000) : null;
  const first = pageSize(args.first, MAX_FILES_PAGE);
  const rows = await listFiles(ctx.db, { artifactId, names, after: decodeCursor(args.after), first });
  const page = rows.slice(0, first);
  const may = download ?? (await canDownload(ctx, artifactId));
  const signer = may && page.length > 0 ? await fileUrlSigner(ctx) : null;
  for (const row of page) pageSigners.set(row, signer);
  return {
    hasNextPage: rows.length > first,
    edges: page.map((node) => ({ node, cursor: encodeCursor({ v: node.name, id: node.id }) })),
    // A first page that holds every file is its own count.
    totalCount: () => (!args.after && rows.length <= first ? Promise.resolve(page.length) : countFiles(ctx.db, artifactId, names)),
  };
}

/** A link's `vN` in its registry collection, shown as an alias of that collection (never stored as one). */
function versionAlias(link: VersionLink): Alias {
  return {
    // Negative: no aliases row has it, and ArtifactAlias.id tells the two apart.
    id: -link.membershipId,
    collection_id: link.collectionId,
    membership_id: link.membershipId,
    alias: `v${link.versionIndex}`,
    created_at: link.createdAt,
    linked_at: link.createdAt,
  };
}

const ArtifactConnection = connection('Artifact', ArtifactRef, { totalCount: true });

const runLoader = (ctx: Parameters<typeof loadArtifact>[0]) =>
  contextLoader(ctx, 'artifacts:run', async (ids: readonly number[]) => {
    const rows = await runsByIds(ctx.db, ids);
    return byKey(ids, rows, (r) => r.id).map((r) => r ?? null);
  });

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
      resolve: async (a, _args, ctx) => {
        // Aliases in registries the viewer cannot see would leak that those registries exist.
        const [named, links] = await Promise.all([artifactAliasesLoader(ctx).load(a.id), artifactLinksLoader(ctx).load(a.id)]);
        const aliases = [...named, ...links.map(versionAlias)];
        // All at once, so the loaders batch them: a constant number of statements per page.
        const shown = await Promise.all(
          aliases.map(async (alias) => {
            const project = await loadProject(ctx, (await loadCollection(ctx, alias.collection_id)).project_id);
            return !project.is_registry || (await viewerRegistryRole(ctx, project, await loadEntity(ctx, project.entity_id))) !== null;
          }),
        );
        return aliases.filter((_alias, i) => shown[i]);
      },
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
        const runs = await visibleRuns(ctx, await runsUsing(ctx.db, a.id));
        return { hasNextPage: false, edges: runs.map((node) => ({ node, cursor: encodeCursor({ v: null, id: node.id }) })) };
      },
    }),
    createdBy: t.field({
      type: Initiator,
      nullable: true,
      description: 'The run that logged it, or the user when no run is known (or visible).',
      resolve: async (a, _args, ctx) => {
        if (a.run_id !== null) {
          const run = await runLoader(ctx).load(a.run_id);
          if (run && (await visibleRuns(ctx, [run])).length > 0) return run;
        }
        return a.created_by === null ? null : ((await findUserById(ctx.db, a.created_by)) ?? null);
      },
    }),
  }),
});

/** Runs whose project the viewer can see. */
async function visibleRuns(ctx: Parameters<typeof loadArtifact>[0], runs: Run[]): Promise<Run[]> {
  const shown = await Promise.all(
    runs.map(async (run) => {
      const project = await loadProject(ctx, run.project_id);
      return canSeeProject(ctx, project, await loadEntity(ctx, project.entity_id));
    }),
  );
  return runs.filter((_run, i) => shown[i]);
}

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

async function runArtifactPage(
  ctx: Parameters<typeof loadArtifact>[0],
  runId: number,
  direction: 'output' | 'input',
  args: { after?: string | null; first?: number | null },
): Promise<Page<Artifact>> {
  const first = pageSize(args.first);
  const rows = await runArtifacts(ctx.db, { runId, direction, afterId: decodeCursor(args.after)?.id, first });
  // Inputs may come from other projects: only those the viewer can read are shown.
  const candidates = rows.slice(0, first);
  const readable = await Promise.all(candidates.map(async (row) => (await artifactAccess(ctx, row)).read));
  const page = candidates.filter((_row, i) => readable[i]);
  return {
    hasNextPage: rows.length > first,
    edges: page.map((node) => ({ node, cursor: encodeCursor({ v: null, id: node.id }) })),
    totalCount: () => countRunArtifacts(ctx.db, runId, direction),
  };
}

builder.objectFields(ArtifactSequenceRef, (t) => ({
  latestArtifact: t.field({
    type: ArtifactRef,
    nullable: true,
    description: 'The version holding `latest` in this sequence.',
    resolve: async (c, _args, ctx) => (await findArtifactByName(ctx.db, c.project_id, c.name, 'latest')) ?? null,
  }),
}));

builder.objectFields(MembershipRef, (t) => ({
  files: t.field({
    type: FileConnection,
    nullable: true,
    description: "The version's files. Through a registry, restricted viewers get no download URLs.",
    args: { names: t.arg.stringList(), after: t.arg.string(), first: t.arg.int() },
    resolve: async (m, args, ctx) => {
      const collection = await loadCollection(ctx, m.collection_id);
      const project = await loadProject(ctx, collection.project_id);
      const owner = await loadEntity(ctx, project.entity_id);
      // Read through a registry, its role decides the downloads (restricted viewers: metadata only);
      // in a team project, those who see it may download its files.
      if (project.is_registry) {
        const role = await viewerRegistryRole(ctx, project, owner);
        if (!role) return null;
        return filePage(ctx, m.artifact_id, args, role.role !== 'restricted_viewer');
      }
      if (!(await canSeeProject(ctx, project, owner))) return null;
      return filePage(ctx, m.artifact_id, args, true);
    },
  }),
}));

builder.objectFields(ProjectRef, (t) => ({
  run: t.field({
    type: RunRef,
    nullable: true,
    args: { name: t.arg.string({ required: true }) },
    resolve: async (p, { name }, ctx) => (name.length > 256 || p.is_registry ? null : ((await findRun(ctx.db, p.id, name)) ?? null)),
  }),
  artifactType: t.field({
    type: ArtifactTypeRef,
    nullable: true,
    args: { name: t.arg.string({ required: true }) },
    resolve: async (p, { name }, ctx) => {
      if (name.length > 128) return null;
      if (p.is_registry) {
        const types = await registryTypesLoader(ctx).load(p.id);
        const row = types.find((ty) => ty.type_name === name);
        return row ? { projectId: p.id, name, createdAt: row.created_at } : null;
      }
      const found = await projectTypeNamed(ctx.db, p.id, name);
      return found ? { projectId: p.id, ...found } : null;
    },
  }),
  artifact: t.field({
    type: ArtifactRef,
    nullable: true,
    description:
      'A version by "collection:vN", "collection:alias" or "collection" (its latest). In a registry, the source version the linked version points to (its `aliases` hold its `vN` there).',
    args: { name: t.arg.string({ required: true }) },
    resolve: async (p, { name }, ctx) => {
      if (name.length > 300) return null;
      const at = name.lastIndexOf(':');
      const [collection, version] = at > 0 ? [name.slice(0, at), name.slice(at + 1)] : [name, 'latest'];
      return (await findArtifactByName(ctx.db, p.id, collection, version || 'latest')) ?? null;
    },
  }),
}));

builder.queryField('artifact', (t) =>
  t.field({
    type: ArtifactRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const artifact = await loadArtifact(ctx, decodeId(id, 'Artifact'));
      return artifact && artifact.state !== 'DELETED' && (await artifactAccess(ctx, artifact)).read ? artifact : null;
    },
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
      if (clientID.length > 128) return null;
      const artifact = await findArtifactByClientId(ctx.db, clientID);
      return artifact && (await artifactAccess(ctx, artifact)).read ? { serverID: encodeId('Artifact', artifact.id) } : null;
    },
  }),
);
