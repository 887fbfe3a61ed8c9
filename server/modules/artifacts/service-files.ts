// The files of a version: declaring them, the manifest's upload, pages of them with their URLs.
import { randomBytes } from 'node:crypto';
import type { Artifact, ArtifactFile, Membership } from '../../db/tables.js';
import type { Context, Page } from '../../graphql/builder.js';
import { decodeCursor, encodeCursor, pageSize } from '../../graphql/cursor.js';
import { userError } from '../../graphql/errors.js';
import { decodeId } from '../../graphql/ids.js';
import { base64Md5ToHex, HEX_SHA256 } from '../../storage/blobs.js';
import { canSeeProject, viewerRegistryRole } from '../registries/access.js';
import { loadProject } from '../registries/loaders.js';
import { loadEntity } from '../organization/loaders.js';
import { loadArtifact, loadCollection } from '../collections/loaders.js';
import { artifactAccess, canWriteArtifact, requireArtifactWrite } from './access.js';
import { reusableContent } from './content.js';
import { validateFilePath } from './manifest.js';
import { type FileSpec, countFiles, listFiles, setManifestUploadToken, upsertFileSpecs } from './repository-files.js';
import {
  type CompleteMultipartInput,
  checkParts,
  completeMultipartUpload,
  directDownload,
  directStore,
  directUpload,
  multipartUrlsOf,
  startMultipartUploads,
  uploadKeyOf,
} from './service-direct.js';
import { fileDownloadUrl, fileUrlSigner, manifestDownloadUrl, manifestUploadUrl, uploadUrl } from './urls.js';

/** An upload token: the secret part of an upload URL, good for one PUT. */
export const uploadToken = () => randomBytes(24).toString('base64url');

/** A version the viewer may change (files, manifest, commit); committed and deleted ones too, for the caller to judge. */
export async function pendingArtifact(ctx: Context, id: string): Promise<Artifact> {
  const artifact = await loadArtifact(ctx, decodeId(id, 'Artifact'));
  if (!artifact || !(await artifactAccess(ctx, artifact)).read) throw userError('NOT_FOUND', 'Artifact not found.');
  await requireArtifactWrite(ctx, artifact);
  return artifact;
}

// ---- pages of files and their URLs

/**
 * The SDK asks for a version's files 5000 at a time (`download()`, `files()`); 10 000 leaves it room
 * while one page stays one keyset statement and a response of a few MB.
 */
export const MAX_FILES_PAGE = 10_000;

/**
 * Files of a page, with how their download URLs are made: the access check and the signing key are
 * done once per page, not once per file (a page of the SDK's download() holds 5 000). `null`: the
 * viewer may not download (restricted viewers of the registry the page is read through).
 */
const pageSigners = new WeakMap<ArtifactFile, ((artifactId: number, fileId: number) => string) | null>();

async function canDownload(ctx: Context, artifactId: number): Promise<boolean> {
  const artifact = await loadArtifact(ctx, artifactId);
  return artifact !== null && (await artifactAccess(ctx, artifact)).download;
}

/**
 * A signed download URL of a file (or of the manifest, `id` 0), for those who may download it. Never
 * for a reference (s3://…, file://…): that is the user's own location, fetched by the SDK itself.
 */
export function directUrlOf(ctx: Context, file: ArtifactFile): string | null | Promise<string | null> {
  const served = file.id === 0 || (!file.ref && file.sha256 !== null);
  const store = directStore(ctx);
  // With S3 a file's bytes come from the bucket; the manifest is the server's own.
  if (store && served && file.id !== 0) {
    const signer = pageSigners.get(file);
    if (signer !== undefined) return signer ? directDownload(store, file) : null;
    return canDownload(ctx, file.artifact_id).then((may) => (may ? directDownload(store, file) : null));
  }
  const signer = pageSigners.get(file);
  if (signer !== undefined) return served && signer ? signer(file.artifact_id, file.id) : null;
  if (!served) return null;
  return canDownload(ctx, file.artifact_id).then((may) => {
    if (!may) return null;
    return file.id === 0 ? manifestDownloadUrl(ctx, file.artifact_id) : fileDownloadUrl(ctx, file.artifact_id, file.id);
  });
}

/** Whether the viewer may send this file's content now: only while its version is pending, and only if they may write it. */
async function mayUpload(ctx: Context, file: ArtifactFile): Promise<boolean> {
  if (!file.upload_token || !ctx.viewer) return false;
  const artifact = await loadArtifact(ctx, file.artifact_id);
  return !!artifact && artifact.state === 'PENDING' && (await canWriteArtifact(ctx, artifact));
}

/** Where to PUT a file's content (with S3, a presigned URL to the bucket), for those who may. */
export async function uploadUrlOf(ctx: Context, file: ArtifactFile): Promise<string | null> {
  if (!file.upload_token || !(await mayUpload(ctx, file))) return null;
  if (file.id === 0) return manifestUploadUrl(ctx, file.upload_token);
  const store = directStore(ctx);
  return store ? (await directUpload(store, file)).url : uploadUrl(ctx, file.upload_token);
}

/** Headers to send with the PUT (`Name:value`): with S3, the signed Content-MD5; none otherwise. */
export function uploadHeadersOf(ctx: Context, file: ArtifactFile): string[] | Promise<string[]> {
  const store = directStore(ctx);
  // Synchronous for the local store: a page of thousands of files waits on no promise for it.
  if (!store || file.id === 0 || !file.upload_token) return [];
  return mayUpload(ctx, file).then(async (may) => (may ? (await directUpload(store, file)).headers : []));
}

/**
 * Where the content is kept: the key it is bound to, or, for one who may upload it, the upload key
 * (the SDK names a multipart upload by it when completing; the local store has no other use for it).
 */
export function storagePathOf(ctx: Context, file: ArtifactFile): string | null | Promise<string | null> {
  if (file.sha256) return HEX_SHA256.test(file.sha256) ? `blobs/${file.sha256.slice(0, 2)}/${file.sha256}` : file.sha256;
  if (file.id === 0 || !file.upload_token) return null;
  // The local store names it only with the part URLs of a multipart upload, which is all it serves.
  if (!directStore(ctx) && !multipartUrlsOf(file)) return null;
  return mayUpload(ctx, file).then((may) => (may ? uploadKeyOf(file) : null));
}

export interface FilePageArgs {
  names?: readonly (string | null)[] | null;
  after?: string | null;
  first?: number | null;
}

/**
 * A page of a version's files, sorted by name. `download`: whether the viewer may download them, when
 * the caller knows (a registry's role); otherwise the version's access decides.
 */
export async function filePage(ctx: Context, artifactId: number, args: FilePageArgs, download?: boolean): Promise<Page<ArtifactFile>> {
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

/**
 * A page of the files of a version as read through a collection; null when the viewer cannot see it.
 * Read through a registry, its role decides the downloads (restricted viewers: metadata only); in a
 * team project, those who see it may download its files.
 */
export async function membershipFilePage(ctx: Context, membership: Membership, args: FilePageArgs): Promise<Page<ArtifactFile> | null> {
  const collection = await loadCollection(ctx, membership.collection_id);
  const project = await loadProject(ctx, collection.project_id);
  const owner = await loadEntity(ctx, project.entity_id);
  if (project.is_registry) {
    const role = await viewerRegistryRole(ctx, project, owner);
    if (!role) return null;
    return filePage(ctx, membership.artifact_id, args, role.role !== 'restricted_viewer');
  }
  if (!(await canSeeProject(ctx, project, owner))) return null;
  return filePage(ctx, membership.artifact_id, args, true);
}

// ---- declaring files

const MAX_FILES_PER_CALL = 10_000;

export interface FileDeclaration {
  artifactID: string;
  name: string;
  /** Base64 MD5 of the content. */
  md5: string;
  mimetype?: string | null;
  /** The parts of a large file (a URL each comes back in uploadMultipartUrls). */
  uploadPartsInput?: readonly { hexMD5: string; partNumber: number }[] | null;
}

/**
 * Declares files of pending versions (the last of a path wins); each gets an upload token unless a
 * committed version the viewer may download holds content with the same MD5, which it is bound to.
 */
export async function declareFiles(ctx: Context, declarations: readonly FileDeclaration[]): Promise<ArtifactFile[]> {
  if (declarations.length > MAX_FILES_PER_CALL) {
    throw userError('BAD_USER_INPUT', `At most ${MAX_FILES_PER_CALL} files per call; send them in batches.`);
  }
  const byArtifact = new Map<string, Map<string, { name: string; md5: string; mimetype: string | null }>>();
  for (const spec of declarations) {
    validateFilePath(spec.name);
    if (!base64Md5ToHex(spec.md5))
      throw userError('BAD_USER_INPUT', `md5 of "${spec.name.slice(0, 200)}" must be the base64 MD5 of its content (24 characters).`);
    if (spec.mimetype != null && spec.mimetype.length > 255) throw userError('BAD_USER_INPUT', 'mimetype is longer than 255 characters.');
    if (spec.uploadPartsInput?.length) checkParts(spec.name, spec.uploadPartsInput);
    const byName = byArtifact.get(spec.artifactID) ?? new Map();
    byName.set(spec.name, { name: spec.name, md5: spec.md5, mimetype: spec.mimetype ?? null });
    byArtifact.set(spec.artifactID, byName);
  }
  const batches: { artifactID: string; artifact: Artifact; specs: FileSpec[] }[] = [];
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
      uploadToken: uploadToken(),
    }));
    batches.push({ artifactID: id, artifact, specs });
  }
  const rows = await ctx.db.transaction().execute(async (trx) => {
    const all = [];
    for (const { artifact, specs } of batches) all.push(...(await upsertFileSpecs(trx, artifact.id, specs)));
    return all;
  });
  const idOf = new Map(batches.map((b) => [b.artifactID, b.artifact.id]));
  const parts = new Map(declarations.map((d) => [`${idOf.get(d.artifactID)}/${d.name}`, d.uploadPartsInput]));
  await startMultipartUploads(ctx, rows, (row) => parts.get(`${row.artifact_id}/${row.name}`));
  return rows;
}

/** Joins the uploaded parts of a file: only for those who may write its pending version. */
export async function completeFileUpload(ctx: Context, artifactId: string, input: CompleteMultipartInput): Promise<string> {
  const artifact = await pendingArtifact(ctx, artifactId);
  return completeMultipartUpload(ctx, artifact, input);
}

/** A fresh upload token for the manifest of a pending version: the previous one no longer works. */
export async function startManifestUpload(ctx: Context, artifactId: string): Promise<{ artifact: Artifact; uploadToken: string }> {
  const artifact = await pendingArtifact(ctx, artifactId);
  if (artifact.state !== 'PENDING') throw userError('BAD_USER_INPUT', 'This version is committed; its manifest cannot change.');
  const token = uploadToken();
  await setManifestUploadToken(ctx.db, artifact.id, token);
  return { artifact, uploadToken: token };
}
